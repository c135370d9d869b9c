"""The models of `site.yaml`: who the client is, who is on duty, when changes may be made, and
which environments, hosts, databases and chat groups exist.

Every model forbids unknown keys, so a typo (`prodution: true`) is an error with a position
rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from launchpad.workspace.secrets import SecretRef, WebhookRef
from launchpad.workspace.windows import WindowSchedule, parse_days, parse_time

Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def valid_regex(value: str | None) -> str | None:
    """A field validator for the regular expressions site.yaml and playbooks carry."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
    return value


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


class BackupRetention(Model):
    """How many backups of a target to keep; the newest verified one is never deleted."""

    keep: int | None = Field(None, ge=1, description="Keep the N newest backups.")
    keep_days: int | None = Field(None, ge=1, description="Keep backups younger than this many days.")


class CommandDriver(Model):
    """For engines with their own tools (DM `dexp`, KingbaseES `sys_dump`): the dump command
    writes the dump to stdout, the restore command reads it from stdin. With `database:`, the
    commands see LAUNCHPAD_DB_HOST/PORT/NAME/USER and LAUNCHPAD_DB_PASSWORD_FILE (readable by
    the command alone, gone when it ends)."""

    dump: str = Field(description="Shell command writing the dump to stdout.")
    restore: str = Field(description="Shell command reading a dump from stdin.")
    extension: str = Field("dump", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$")
    complete: str | None = Field(None, description="Regex the end of a complete dump matches.")

    _regex = field_validator("complete")(valid_regex)


class BackupTarget(Model):
    """One thing to back up: a database of this environment, paths on a host, or a command."""

    database: Name | None = Field(None, description="A key of this environment's databases.")
    paths: list[str] | None = Field(None, min_length=1, description="Files and directories (tar).")
    command: CommandDriver | None = None
    host: Name | None = Field(None, description="Host that runs the dump (default: the database's via).")
    compression: Literal["auto", "zstd", "gzip", "none"] = Field(
        "auto", description="auto: zstd when the host and this machine have it, else gzip."
    )
    retention: BackupRetention = Field(default_factory=BackupRetention)
    description: str = ""

    @model_validator(mode="after")
    def _one_source(self) -> BackupTarget:
        if (self.database is None and self.command is None) == (self.paths is None):
            raise ValueError("a backup target needs either paths, or a database (with an optional command)")
        if self.paths is not None:
            kinds = {p.startswith("/") for p in self.paths}
            if len(kinds) > 1:
                raise ValueError("paths must be all absolute or all relative (to the login or workspace directory)")
            if any(not p.strip() or ".." in p.split("/") for p in self.paths):
                raise ValueError("paths must not be empty or contain '..'")
        return self


class Environment(Model):
    description: str = ""
    production: bool = False
    transport: Literal["ssh", "local"] = "ssh"
    jump: JumpHost | None = None
    hosts: list[Host] = Field(default_factory=list)
    databases: dict[Name, Database] = Field(default_factory=dict)
    urls: dict[Name, str] = Field(default_factory=dict)
    backups: dict[Name, BackupTarget] = Field(default_factory=dict, description="Backup targets by name.")

    @model_validator(mode="after")
    def _backup_targets_known(self) -> Environment:
        hosts = {h.name for h in self.hosts}
        for name, target in self.backups.items():
            if target.database is not None and target.database not in self.databases:
                raise ValueError(f"backup target {name!r} names database {target.database!r}, "
                                 f"which is not in databases ({', '.join(self.databases) or 'none'})")
            database = self.databases.get(target.database or "")
            for host in (target.host, database.via if database else None):
                if host is not None and host not in hosts:
                    raise ValueError(f"backup target {name!r} runs on host {host!r}, which is not in hosts")
            if database is None and target.host is None and len(hosts) > 1 and self.transport == "ssh":
                raise ValueError(f"backup target {name!r}: say which host runs it (host: NAME)")
            if database is not None and target.command is None and database.engine in ("dm", "kingbase", "other"):
                raise ValueError(f"backup target {name!r}: a {database.engine} database needs a command: "
                                 "driver (dump, restore, extension)")
        return self

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
    webhook: WebhookRef = Field(description="The robot's webhook URL holds its key: a reference "
                                            "(a robot on this machine, http://127.0.0.1:PORT/…, may be written as is).")
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
