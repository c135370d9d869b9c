"""The models of `site.yaml`: who the client is, who is on duty, when changes may be made, and
which environments, hosts, databases and chat groups exist.

Every model forbids unknown keys, so a typo (`prodution: true`) is an error with a position
rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from launchpad.phrases import phrase
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
            raise ValueError(phrase("rule.regex", error=str(exc))) from None
    return value


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(phrase("rule.timezone", name=name)) from None
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
            raise ValueError(phrase("rule.duty_date_or_days"))
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
    """How many backups of a target to keep; the newest usable one is never deleted."""

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
            raise ValueError(phrase("rule.backup_source"))
        if self.paths is not None:
            kinds = {p.startswith("/") for p in self.paths}
            if len(kinds) > 1:
                raise ValueError(phrase("rule.backup_paths_mixed"))
            if any(not p.strip() or ".." in p.split("/") for p in self.paths):
                raise ValueError(phrase("rule.backup_paths_bad"))
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
    vars: dict[Name, str] = Field(
        default_factory=dict,
        description="This environment's values for playbooks, as {{ env.vars.NAME }}: where the "
        "application lives on its hosts, its health URL.",
    )

    @model_validator(mode="after")
    def _backup_targets_known(self) -> Environment:
        hosts = {h.name for h in self.hosts}
        for name, target in self.backups.items():
            if target.database is not None and target.database not in self.databases:
                raise ValueError(phrase("rule.backup_no_database", name=name, database=target.database,
                                        known=list(self.databases) or phrase("rule.none")))
            database = self.databases.get(target.database or "")
            for host in (target.host, database.via if database else None):
                if host is not None and host not in hosts:
                    raise ValueError(phrase("rule.backup_no_host", name=name, host=host))
            if database is None and target.host is None and len(hosts) > 1 and self.transport == "ssh":
                raise ValueError(phrase("rule.backup_which_host", name=name))
            if database is not None and target.command is None and database.engine in ("dm", "kingbase", "other"):
                raise ValueError(phrase("rule.backup_needs_command", name=name, engine=database.engine))
        return self

    @field_validator("hosts")
    @classmethod
    def _unique_host_names(cls, hosts: list[Host]) -> list[Host]:
        seen: set[str] = set()
        for host in hosts:
            if host.name in seen:
                raise ValueError(phrase("rule.host_twice", name=host.name))
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
    """A chat group's robot (WeCom, DingTalk, Feishu)."""

    kind: Literal["wecom", "dingtalk", "feishu"]
    webhook: WebhookRef = Field(description="The robot's webhook URL holds its key: a reference "
                                            "(a robot on this machine, http://127.0.0.1:PORT/…, may be written as is).")
    secret: SecretRef | None = Field(None, description="Signing secret (DingTalk, Feishu).")
    description: str = ""


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# The addresses mail servers take from anyone: ASCII, no quoted local parts, a dotted domain.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def is_address(value: str) -> bool:
    return bool(_ADDRESS.match(value))


def _check_address(value: str) -> str:
    if not is_address(value):
        raise ValueError(phrase("rule.not_address", value=value))
    return value


def _one_line(value: str) -> str:
    # A line break in a header would start a header of its own (a forged Bcc, say).
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError(phrase("rule.one_line"))
    return value


class MailChannel(Model):
    """E-mail through an SMTP server: the client's own mail system, or the team's mailbox."""

    kind: Literal["email"]
    host: Annotated[str, Field(min_length=1, pattern=r"^[^\s/]+$", description="The SMTP server's name or address.")]
    port: int | None = Field(None, ge=1, le=65535, description="Default: 587 for starttls, 465 for ssl, 25 for none.")
    security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="starttls (port 587) or ssl (port 465); none only for a server on this machine.")
    user: Annotated[str, AfterValidator(_one_line)] | None = Field(None, description="Login name, with password.")
    password: SecretRef | None = Field(None, description="A reference: env:NAME, keyring:SERVICE/NAME or prompt.")
    ca_file: str | None = Field(None, description="Absolute path of a PEM file with the CA that signed the server's "
                                                  "certificate (an intranet CA); default: the system's CAs.")
    sender: Annotated[str, AfterValidator(_check_address)] = Field(alias="from",
                                                                   description="The From address.")
    from_name: Annotated[str, AfterValidator(_one_line)] = Field("", description="Display name: 某某系统上线保障组.")
    to: list[str] = Field(min_length=1, description="Recipients: a contact's id or name, role:ROLE or org:ORG "
                                                    "(every contact with it), or an address.")
    cc: list[str] = Field(default_factory=list, description="Copied, written as `to` is.")
    description: str = ""

    @model_validator(mode="after")
    def _safe_settings(self) -> MailChannel:
        if self.security == "none" and self.host not in LOOPBACK_HOSTS:
            raise ValueError(phrase("rule.mail_clear"))
        if (self.user is None) != (self.password is None):
            raise ValueError(phrase("rule.mail_login"))
        if self.ca_file is not None and not self.ca_file.startswith(("/", "~")):
            raise ValueError(phrase("rule.mail_ca"))
        return self

    @property
    def smtp_port(self) -> int:
        return self.port or _DEFAULT_PORTS[self.security]

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2]


AnyChannel = Annotated[Channel | MailChannel, Field(discriminator="kind")]


def recipients(spec: str, contacts: list[Contact]) -> list[tuple[str, str]]:
    """(display name, address) of one recipient entry of a mail channel; ValueError saying
    why when it names nobody, or someone without an e-mail address."""
    if "@" in spec:
        return [("", _check_address(spec))]
    what, sep, value = spec.partition(":")
    if sep and what in ("role", "org"):
        chosen = [c for c in contacts if getattr(c, what) == value]
        if not chosen:
            raise ValueError(phrase("rule.no_contact_with", what=what, value=value))
    else:
        found = [c for c in contacts if spec in (c.id, c.name)]
        if not found:
            raise ValueError(phrase("rule.not_recipient", spec=spec))
        chosen = found[:1]
    missing = [c.id for c in chosen if not is_address(c.email)]
    if missing:
        raise ValueError(phrase("rule.no_email", spec=spec, ids=missing))
    return [(c.name, c.email) for c in chosen]


class Site(Model):
    """The whole of `site.yaml`."""

    site: SiteInfo
    contacts: list[Contact] = Field(default_factory=list)
    duty: list[DutyEntry] = Field(default_factory=list)
    windows: dict[Name, TimeWindow] = Field(default_factory=dict)
    environments: dict[Name, Environment] = Field(default_factory=dict)
    channels: dict[Name, AnyChannel] = Field(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _mail_recipients_known(cls, data: Any, handler: ModelWrapValidatorHandler[Site]) -> Site:
        """Each recipient of a mail channel names someone with an address, reported at the
        entry itself (a whole-site check could only point at the top of the file)."""
        site = handler(data)
        problems = []
        for name, channel in site.channels.items():
            if not isinstance(channel, MailChannel):
                continue
            for field in ("to", "cc"):
                for index, spec in enumerate(getattr(channel, field)):
                    try:
                        recipients(spec, site.contacts)
                    except ValueError as exc:
                        error = PydanticCustomError("recipient", "{reason}", {"reason": str(exc), "error": exc})
                        problems.append(InitErrorDetails(type=error, loc=("channels", name, field, index),
                                                         input=spec))
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return site

    def mail_recipients(self, channel: MailChannel) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(to, cc) as (display name, address), each address once, `to` first."""
        seen: set[str] = set()
        lists: list[list[tuple[str, str]]] = []
        for specs in (channel.to, channel.cc):
            found = []
            for spec in specs:
                for name, address in recipients(spec, self.contacts):
                    if address.lower() not in seen:
                        seen.add(address.lower())
                        found.append((name, address))
            lists.append(found)
        return lists[0], lists[1]

    @model_validator(mode="after")
    def _duty_names_known_contacts(self) -> Site:
        known = {c.id for c in self.contacts}
        for entry in self.duty:
            for who in (entry.primary, entry.backup):
                if who not in known:
                    raise ValueError(phrase("rule.duty_unknown", who=who))
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
