"""The models of `site.yaml`: who the client is, who is on duty, when changes may be made, and
which environments, hosts, databases and chat groups exist.

Every model forbids unknown keys, so a typo (`prodution: true`) is an error with a position
rather than a silently ignored setting.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from launchpad.secrets import SecretRef
from launchpad.windows import WindowSchedule, parse_days, parse_time

Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai") from None
    return name


class SiteInfo(Model):
    name: str = Field(description="The project or system going live, as the client calls it.")
    client: str = Field(description="The client organisation (甲方).")
    language: Literal["zh", "en"] = Field("zh", description="Language of reports and the UI.")
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "Asia/Shanghai"


class Contact(Model):
    id: Name
    name: str
    phone: str = ""
    role: str = ""
    org: str = Field("", description="Organisation: ours, the client's, a vendor's.")
    email: str = ""


class DutyEntry(Model):
    """Who answers the phone on a given day: a date, or weekdays (`mon-fri`)."""

    date: Date | None = None
    weekdays: str | None = Field(None, description="e.g. mon-fri, sat,sun, daily")
    primary: Name
    backup: Name

    @model_validator(mode="after")
    def _one_of_date_or_weekdays(self) -> DutyEntry:
        if (self.date is None) == (self.weekdays is None):
            raise ValueError("give either date or weekdays")
        if self.weekdays is not None:
            parse_days(self.weekdays)
        return self

    def covers(self, day: Date) -> bool:
        if self.date is not None:
            return self.date == day
        return day.weekday() in parse_days(self.weekdays or "")


class TimeWindow(Model):
    days: str | list[str] = Field(description="mon-fri, daily, or a list of day names")
    start: str = Field(description="HH:MM, site time")
    end: str = Field(description="HH:MM; before start means the window runs past midnight")
    description: str = ""

    @field_validator("days")
    @classmethod
    def _days(cls, value: str | list[str]) -> str | list[str]:
        parse_days(value)
        return value

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_time(value)
        return value

    def schedule(self) -> WindowSchedule:
        return WindowSchedule(parse_days(self.days), parse_time(self.start), parse_time(self.end))


class JumpHost(Model):
    address: str
    port: int = Field(22, ge=1, le=65535)
    user: str | None = None


class Host(Model):
    name: Name
    address: str
    port: int | None = Field(None, ge=1, le=65535)
    user: str | None = None
    groups: list[Name] = Field(default_factory=list)


class Database(Model):
    engine: Literal["mysql", "mariadb", "postgresql", "sqlite", "dm", "kingbase", "other"]
    host: str | None = Field(None, description="Address as seen from `via` (or this machine).")
    port: int | None = Field(None, ge=1, le=65535)
    name: str = Field(description="Database name, or the file path for sqlite.")
    user: str | None = None
    password: SecretRef | None = None
    via: Name | None = Field(None, description="Host whose SSH connection reaches the database.")


class Environment(Model):
    description: str = ""
    production: bool = False
    transport: Literal["ssh", "local"] = "ssh"
    jump: JumpHost | None = None
    hosts: list[Host] = Field(default_factory=list)
    databases: dict[Name, Database] = Field(default_factory=dict)
    urls: dict[Name, str] = Field(default_factory=dict)

    @field_validator("hosts")
    @classmethod
    def _unique_host_names(cls, hosts: list[Host]) -> list[Host]:
        seen: set[str] = set()
        for host in hosts:
            if host.name in seen:
                raise ValueError(f"host name {host.name!r} is used twice")
            seen.add(host.name)
        return hosts

    def groups(self) -> set[str]:
        return {"all"} | {g for h in self.hosts for g in h.groups} | {h.name for h in self.hosts}

    def hosts_in(self, group: str) -> list[Host]:
        """Hosts of a group; `all` is every host, and a host's own name selects it alone."""
        if group == "all":
            return list(self.hosts)
        return [h for h in self.hosts if group in h.groups or h.name == group]


class Channel(Model):
    kind: Literal["wecom", "dingtalk", "feishu"]
    webhook: SecretRef = Field(description="The robot's webhook URL holds its key: a reference.")
    secret: SecretRef | None = Field(None, description="Signing secret (DingTalk, Feishu).")
    description: str = ""


class Site(Model):
    """The whole of `site.yaml`."""

    site: SiteInfo
    contacts: list[Contact] = Field(default_factory=list)
    duty: list[DutyEntry] = Field(default_factory=list)
    windows: dict[Name, TimeWindow] = Field(default_factory=dict)
    environments: dict[Name, Environment] = Field(default_factory=dict)
    channels: dict[Name, Channel] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _duty_names_known_contacts(self) -> Site:
        known = {c.id for c in self.contacts}
        for entry in self.duty:
            for who in (entry.primary, entry.backup):
                if who not in known:
                    raise ValueError(f"duty roster names {who!r}, who is not in contacts")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def on_duty(self, day: Date) -> tuple[Contact | None, Contact | None]:
        """(primary, backup) for a day; an entry for the exact date beats a weekday rule."""
        entries = sorted(self.duty, key=lambda e: e.date is None)
        for entry in entries:
            if entry.covers(day):
                return self.contact(entry.primary), self.contact(entry.backup)
        return None, None
