"""A release's notices, their content taken from the record: before (what changes, the
window, the impact, who to call — the duty contact of the release's day and the backup, from
site.yaml's roster), and after, done or rolled back.

Sending goes through the outbox's public door (`report.publish.send_text`) to every channel
asked for, each with a key made of the release, the kind and the channel: a notice repeated
(a second `--send`, a retry after no network) finds the copy queued or sent and never posts it
twice. Any channel kind the outbox learns to deliver (mail) works here unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.release.record import Release
from launchpad.release.standing import release_standing
from launchpad.store.db import Store

if TYPE_CHECKING:
    from launchpad.report.publish import SendOutcome
    from launchpad.session import Session
    from launchpad.workspace.site import Site

KINDS = {"before": "release_notice", "done": "release_done", "rolled-back": "release_rolled_back"}
# Which record a notice may speak for: the group is never told a release went out when its record
# says it was rolled back, nor announced one that is already over. `before` fits while the
# release is not out yet — in progress too: a second run of a release that stopped sends it again
# (the outbox finds the copy already sent).
FITS = {"before": ("planned", "approved", "in_progress"), "done": ("released",), "rolled-back": ("rolled_back",)}


@dataclass(frozen=True)
class NoticeSent:
    kind: str
    outcomes: list[SendOutcome]


def notice_fields(site: Site, release: Release) -> dict[str, str]:
    """What a notice says, from the record: also what the playbook's `announce` step sends
    when it names the release."""
    return {"change": release.changes, "when": release.window_text(site), "impact": release.impact,
            "version": release.version, "rollback": release.rollback_plan}


def check_notice_fits(store: Store | None, release: Release, kind: str) -> None:
    """Refuse (UsageError) a notice whose kind does not match where the record stands; the
    refusal names where it stands as people read it (release/standing.py): a release whose
    switch was declined is 已停止，未切换, not 发布中 (the record's own status without a store)."""
    if release.status in FITS[kind]:
        return
    fitting = [name for name, statuses in FITS.items() if release.status in statuses]
    status = release_standing(store, release).word if store is not None else phrase(f"release.status.{release.status}")
    hint = (phrase("release.notice_kind_hint", id=release.id, kind=fitting[0]) if fitting
            else phrase("release.notice_none_hint", status=status))
    raise UsageError(phrase("release.notice_misfit", id=release.id, version=release.version, status=status,
                            kind=kind), hint=hint)


def render_release_notice(session: Session, release: Release, kind: str, fmt: str, lang: str) -> str:
    """The notice as text or Markdown; refused when its kind does not fit the record's status
    (UsageError) or when nobody could be called (NoticeRefused)."""
    from launchpad.report.notice import render_notice, site_values

    check_notice_fits(session.store(), release, kind)
    values = site_values(session.site, release.start(session.site).date())
    return render_notice(KINDS[kind], notice_fields(session.site, release), values, fmt, lang, session.workspace.root)


def send_release_notice(session: Session, release: Release, kind: str, channels: list[str], lang: str) -> NoticeSent:
    from launchpad.notify.send import format_for
    from launchpad.report.publish import send_text

    check_notice_fits(session.store(), release, kind)  # before anything is queued on any channel
    outcomes = []
    store = session.store()
    for channel in channels:
        fmt = format_for(session.site, channel)
        text = render_release_notice(session, release, kind, fmt, lang)
        outcome = send_text(store, session.site, channel, text, fmt, title=f"{release.version} {kind}", lang=lang,
                            dedupe_key=f"release {release.id} {kind} to {channel}")
        store.audit(session.actor, "release_notice", f"release {release.id}",
                    {"kind": kind, "channel": channel, "result": outcome.result,
                     "batch": outcome.delivery.batch if outcome.delivery else None,
                     **({"sent_before": outcome.delivery.sent_before}
                        if outcome.delivery and outcome.delivery.sent_before else {})})
        outcomes.append(outcome)
    return NoticeSent(kind, outcomes)
