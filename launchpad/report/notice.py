"""Notices for the client group — above all the release notice the seed asks for: what will
change, when, the expected impact and who to call. A notice is a template
(`<name>.txt.j2` for plain text, `<name>.md.j2` for Markdown), bundled or the workspace's own,
filled from the fields given and the site (project name, who is on duty).

A notice always tells the client whom to call: without a contact field it names the person on
duty, and when nobody is on duty or that person has no phone, the notice is refused with the
reason rather than sent with an empty "联系人：" line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.phrases import Phrase, phrase
from launchpad.report.render import render_template
from launchpad.safetext import for_format
from launchpad.workspace.site import Contact, Site

SUFFIX = {"text": "txt", "markdown": "md"}
STANDARD_FIELDS = ("change", "when", "impact", "contact", "backup")


class NoticeRefused(LaunchpadError):
    """A notice that would leave the client without anyone to call."""

    title = "notice refused"

    def __init__(self, reason: Phrase, *, hint: Phrase) -> None:
        super().__init__(reason, hint=hint)
        self.reason = reason


def _person(contact: Contact | dict[str, Any] | None) -> str:
    if contact is None:
        return ""
    data = contact.model_dump() if isinstance(contact, Contact) else contact
    return " ".join(part for part in (data.get("name", ""), data.get("phone", "")) if part)


def site_values(site: Site, day: date) -> dict[str, Any]:
    """What a notice may read about the site when no run provides it (the CLI)."""
    primary, backup = site.on_duty(day)
    return {"site": site.site.model_dump(),
            "duty": {"primary": primary.model_dump() if primary else None,
                     "backup": backup.model_dump() if backup else None}}


def render_notice(name: str, fields: dict[str, str], values: dict[str, Any], fmt: str, lang: str,
                  workspace_root: Path | None = None) -> str:
    """Render notice `name` in `fmt` (text or markdown). `values` is the template context of
    a run (or `site_values`); the standard fields default to empty, the contacts to the
    people on duty."""
    duty = values.get("duty") or {}
    notice = {name: "" for name in STANDARD_FIELDS}
    notice["contact"] = _person(duty.get("primary"))
    notice["backup"] = _person(duty.get("backup"))
    notice.update(fields)
    _require_contact(fields, duty.get("primary"))
    text = for_format(SUFFIX[fmt])  # what people typed stays text: no forged lines, links or mentions
    notice = {key: text(value) if isinstance(value, str) else value for key, value in notice.items()}
    template = f"{name}.{SUFFIX[fmt]}.j2"
    return render_template(template, {**values, "notice": notice}, lang, workspace_root).strip() + "\n"


def _require_contact(fields: dict[str, str], primary: dict[str, Any] | None) -> None:
    """Refuse a notice nobody could be called about: a contact the person wrote is taken as
    written (unless blank); the one taken from the roster needs a name and a phone."""
    if "contact" in fields:
        if not fields["contact"].strip():
            raise NoticeRefused(phrase("notice.blank_contact"),
                                hint=phrase("notice.blank_contact_hint"))
        return
    if primary is None:
        raise NoticeRefused(phrase("notice.nobody_on_duty"),
                            hint=phrase("notice.nobody_on_duty_hint"))
    if not str(primary.get("name", "")).strip() or not str(primary.get("phone", "")).strip():
        raise NoticeRefused(phrase("notice.no_phone", name=primary.get("name") or primary.get("id", "?")),
                            hint=phrase("notice.no_phone_hint", id=primary.get("id", "?")))
