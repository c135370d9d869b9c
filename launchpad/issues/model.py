"""What an issue is: its fields, the values each may take, and the words people type for them.

A PM on the phone types `处理中`, `in-progress` or `doing`; a script types `in_progress`. Each
field has one stored value and a set of accepted spellings, so the store stays clean while
the keyboard stays forgiving. Unknown spellings are errors that list the accepted values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import CATALOG, Phrase, phrase

SEVERITIES = ("P0", "P1", "P2", "P3")
STATUSES = ("new", "in_progress", "fixed", "verified", "closed", "wontfix", "by_design", "duplicate")
TYPES = ("defect", "config", "data", "usage", "requirement", "question")
CHANNELS = ("group", "phone", "wechat", "email", "onsite")
INCIDENT_KINDS = ("complaint", "outage")
# Still someone's work: these count as open and can become overdue.
OPEN_STATUSES = ("new", "in_progress")
# Reaching any of these stamps `resolved_at` ("resolved today" in the daily report).
RESOLVED_STATUSES = ("fixed", "verified", "closed", "wontfix", "by_design", "duplicate")

_ALIASES: dict[str, dict[str, str]] = {
    "status": {
        "新建": "new", "待处理": "new", "open": "new",
        "in-progress": "in_progress", "inprogress": "in_progress", "doing": "in_progress",
        "wip": "in_progress", "处理中": "in_progress", "进行中": "in_progress",
        "已修复": "fixed", "done": "fixed", "resolved": "fixed",
        "已验证": "verified", "已关闭": "closed", "关闭": "closed",
        "wont-fix": "wontfix", "won't-fix": "wontfix", "wont_fix": "wontfix", "不修复": "wontfix",
        "不予修复": "wontfix", "by-design": "by_design", "bydesign": "by_design",
        "设计如此": "by_design", "非问题": "by_design", "dup": "duplicate", "重复": "duplicate",
    },
    "type": {
        "bug": "defect", "缺陷": "defect", "故障": "defect", "configuration": "config",
        "配置": "config", "数据": "data", "training": "usage", "使用": "usage",
        "培训": "usage", "操作": "usage", "feature": "requirement", "需求": "requirement",
        "新需求": "requirement", "咨询": "question", "疑问": "question",
    },
    "channel": {
        "群": "group", "微信群": "group", "企业微信群": "group", "电话": "phone", "tel": "phone",
        "微信": "wechat", "wecom": "wechat", "企业微信": "wechat", "邮件": "email",
        "mail": "email", "现场": "onsite", "on-site": "onsite", "on_site": "onsite",
    },
    "kind": {"投诉": "complaint", "故障": "outage", "宕机": "outage"},
}
_ALLOWED = {"status": STATUSES, "type": TYPES, "channel": CHANNELS, "severity": SEVERITIES,
            "kind": INCIDENT_KINDS}


def canonical(field_name: str, value: str) -> str:
    """The stored value for what a person typed in `field_name`, or a UsageError."""
    allowed = _ALLOWED[field_name]
    typed = value.strip()
    lowered = typed.lower()
    if field_name == "severity":
        lowered = lowered.upper()
    if lowered in allowed:
        return lowered
    alias = _ALIASES.get(field_name, {}).get(lowered) or _ALIASES.get(field_name, {}).get(typed)
    if alias:
        return alias
    raise UsageError(phrase("error.issue_not_known", value=typed, field=phrase(f"issue.field.{field_name}")),
                     hint=phrase("error.issue_one_of", values=choices(allowed)))


def choices(values: tuple[str, ...]) -> list[Phrase]:
    """Values as a refusal lists them: each code (what is typed) beside its words, `new（新建）`;
    words that begin with their code in both languages (`P0 紧急`) stand alone."""
    listed = []
    for value in values:
        label = phrase(f"issue.value.{value}")
        alone = all(text.startswith(value) for text in CATALOG[label.key])
        listed.append(label if alone else phrase("error.issue_choice", code=value, label=label))
    return listed


@dataclass(frozen=True)
class IssueDraft:
    """A new issue as captured, before the store gives it an id. Empty means "not given"."""

    title: str
    description: str = ""
    reporter: str = ""
    channel: str = "group"
    reported_at: datetime | None = None  # None: now
    module: str = ""
    severity: str = "P2"
    type: str = "defect"
    owner: str = ""
    due: date | None = None
    attachments: tuple[str, ...] = ()

    def checked(self) -> IssueDraft:
        """The draft with every coded field in its stored spelling; refuses an empty title."""
        if not self.title.strip():
            raise UsageError(phrase("error.issue_needs_title"), hint=phrase("error.issue_needs_title_hint"))
        return IssueDraft(
            title=self.title.strip(), description=self.description.strip(),
            reporter=self.reporter.strip(), channel=canonical("channel", self.channel),
            reported_at=self.reported_at, module=self.module.strip(),
            severity=canonical("severity", self.severity), type=canonical("type", self.type),
            owner=self.owner.strip(), due=self.due, attachments=tuple(self.attachments),
        )


@dataclass(frozen=True)
class Issue:
    id: int
    title: str
    description: str
    reporter: str
    channel: str
    reported_at: str  # UTC ISO-8601
    module: str
    severity: str
    type: str
    owner: str
    due: str | None  # site-local YYYY-MM-DD
    status: str
    resolution: str
    fixed_in: str
    attachments: tuple[str, ...]
    created_at: str
    created_by: str
    updated_at: str
    resolved_at: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Issue:
        known = {name for name in cls.__dataclass_fields__ if name != "extra"}
        values: dict[str, Any] = {name: row.get(name) for name in known}
        values["attachments"] = tuple(json.loads(row.get("attachments") or "[]"))
        skipped = {"search_text", "search_grams"}
        extra = {k: v for k, v in row.items() if k not in known and k not in skipped}
        return cls(**values, extra=extra)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, today: date) -> bool:
        """Open with a due date before `today` (site-local): it must stand out everywhere."""
        return self.is_open and self.due is not None and self.due < today.isoformat()

    def as_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "extra"}
        data["attachments"] = list(self.attachments)
        return data
