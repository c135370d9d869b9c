"""`announce`: render a notice (the release notice: what changes, when, the impact, who to
call) and send it to a chat channel — or, with no channel, show it and copy it for the person
to paste. The seed: the client was not told what would be released and when. A critical
notice must reach the group, so without a channel it is shown but the step fails as not sent;
a notice with nobody to call (see `report.notice`) fails with the reason.

A notice goes through the outbox with a key made of the run and the step, so a retried or
resumed step never posts it twice: it finds the queued or sent message and goes on from
there. With `require_delivery` (the default) the step fails while the notice is only queued,
because a release should not start before the group was told. A notice that did not go is
copied to the clipboard (`report.publish.send_text`), as `report notice --send` and the TUI do.

`release:` names a release record: the notice's content (version, what changes, the window,
the impact, the rollback plan) is the record's, as `launchpad release notice` sends it, and its
kind must fit the record's status as there (a done notice only for a released record).

`channels:` sends the one notice to several channels — the client's group robot and a mail to
the client — each in the format it takes best; the step passes when every one has it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import Said, parts, phrase
from launchpad.run.events import Notice
from launchpad.run.templating import render
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec


class AnnounceStep(StepSpec):
    kind: Literal["announce"]
    template: str = Field("release_notice", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                          description="Notice template: workspace templates/NAME.md.j2 / .txt.j2, or bundled.")
    fields: dict[str, str] = Field(default_factory=dict,
                                   description="Values for the notice (change, when, impact, contact, …); "
                                   "may use {{ vars.X }}, {{ env.name }}.")
    channel: str | None = Field(None, description="Channel in site.yaml; none: print and copy to the clipboard.")
    channels: list[str] = Field(default_factory=list,
                                description="Several channels (a group's robot and a mail), instead of channel.")
    format: Literal["text", "markdown"] | None = Field(None, description="Default: what the channel renders best.")
    lang: Literal["zh", "en"] | None = Field(None, description="Default: the site's language.")
    require_delivery: bool = Field(True, description="Fail while the notice is only queued (no network).")
    release: str | None = Field(None, description="A release's id (e.g. {{ vars.release }}): the notice's version, "
                                "change, when, impact and rollback come from its record; `fields` add to them.")

    def targets(self) -> list[str]:
        return list(self.channels) or ([self.channel] if self.channel is not None else [])

    def references(self) -> list[Reference]:
        if self.channels:
            return [*super().references(), Reference("channels", "channel", tuple(self.channels))]
        named = (self.channel,) if self.channel is not None else ()
        return [*super().references(), Reference("channel", "channel", named)]

    def own_problems(self) -> list[tuple[str, str]]:
        if self.channel is not None and self.channels:
            return [("channels", "give channel or channels, not both")]
        if len(set(self.channels)) != len(self.channels):
            return [("channels", "a channel is named twice: it would get the notice twice")]
        if self.critical and not self.targets():
            return [("critical", "a critical announce step needs a channel: printed is not sent, "
                     "so without one it can never pass")]
        return []

    def templates(self) -> dict[str, str]:
        named = {"release": self.release} if self.release is not None else {}
        return {**named, **{f"fields[{name}]": value for name, value in self.fields.items()}}

    def describe(self) -> Said:
        return phrase("describe.announce", template=self.template,
                      to=list(self.targets()) or phrase("describe.clipboard"))


def announce(step: AnnounceStep, ctx: StepContext) -> StepOutcome:
    from launchpad.release.notice import FITS, check_notice_fits, notice_fields
    from launchpad.release.record import Release, release_named
    from launchpad.report.notice import NoticeRefused

    lang = step.lang or ctx.site.site.language
    fields = {name: render(value, ctx.values) for name, value in step.fields.items()}
    keyed = f"run {ctx.run_id} step {ctx.step_id}"
    if step.release is not None:
        release_id = render(step.release, ctx.values).strip()
        recorded = release_named(ctx.store, release_id)
        if not isinstance(recorded, Release):
            return StepOutcome("failed", phrase("announce.no_release", id=release_id))
        kind = _notice_kind(step.template)
        if kind in FITS:
            check_notice_fits(ctx.store, recorded, kind)  # refused as `release notice` refuses it: the step fails
        fields = {**notice_fields(ctx.site, recorded), **fields}
        # The release's own key (as `launchpad release notice --send` uses): a second run for
        # the same release, after one that stopped, does not tell the group twice.
        keyed = f"release {release_id} {kind}"
    try:
        if not step.targets():
            return _show(step, ctx, fields, lang)
        if step.channel is not None:  # one channel: the key of runs made before `channels:`
            key = f"{keyed} to {step.channel}" if step.release is not None else keyed
            return _send(step, ctx, fields, lang, step.channel, key)
        return _all_of([_send(step, ctx, fields, lang, name, f"{keyed} to {name}")
                        for name in step.channels], step.channels)
    except NoticeRefused as refused:
        return StepOutcome("failed", phrase("announce.refused", reason=refused.reason), hint=refused.said_hint)


def _notice_kind(template: str) -> str:
    """The kind `launchpad release notice` names a release notice's template with."""
    from launchpad.release.notice import KINDS

    return next((kind for kind, name in KINDS.items() if name == template), template)


def _show(step: AnnounceStep, ctx: StepContext, fields: dict[str, str], lang: str) -> StepOutcome:
    """Print and copy the notice for the person to paste. A critical notice is one the group
    must receive, and printing is not sending: it is shown, and the step fails as not sent."""
    from launchpad.report.notice import render_notice
    from launchpad.report.publish import copy_text

    text = render_notice(step.template, fields, ctx.values, step.format or "text", lang, ctx.workspace_root)
    tool = copy_text(text)
    ctx.emit(Notice(ctx.run_id, text))
    evidence = {"text": text, "copied": tool}
    if step.critical:
        return StepOutcome("failed", phrase("announce.no_channel"), evidence=evidence)
    said = phrase("announce.copied", tool=tool) if tool else phrase("announce.printed")
    return StepOutcome("passed", said, evidence=evidence)


def _all_of(outcomes: list[StepOutcome], channels: list[str]) -> StepOutcome:
    """Passed when every channel has the notice; the evidence of each by its channel."""
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    return StepOutcome("failed" if failed else "passed", parts([outcome.summary for outcome in failed or outcomes]),
                       evidence={"channels": dict(zip(channels, (o.evidence for o in outcomes), strict=True))})


def _send(step: AnnounceStep, ctx: StepContext, fields: dict[str, str], lang: str, channel: str,
          dedupe_key: str) -> StepOutcome:
    from launchpad.notify.deliver import ContentRefused, DeliveryUncertain
    from launchpad.notify.send import format_for
    from launchpad.report.notice import render_notice
    from launchpad.report.publish import send_text

    fmt = format_for(ctx.site, channel, step.format)
    text = render_notice(step.template, fields, ctx.values, fmt, lang, ctx.workspace_root)
    if ctx.store is None:
        return StepOutcome("failed", phrase("announce.no_store"))
    outcome = send_text(ctx.store, ctx.site, channel, text, fmt, title=step.name, lang=lang, dedupe_key=dedupe_key)
    delivery = outcome.delivery
    if delivery is None:  # refused before it was queued: a channel that cannot work
        assert outcome.error is not None
        raise outcome.error
    earlier = {"sent_before": delivery.sent_before} if delivery.sent_before else {}
    ctx.audit("announced", channel, {"step": ctx.step_id, "batch": delivery.batch,
                                     "delivered": delivery.delivered, **earlier})
    evidence = {"channel": channel, "batch": delivery.batch, "parts": delivery.parts,
                "sent": delivery.sent, "text": text, **earlier}
    if delivery.sent_before:  # a run before this one sent it: found, not posted again
        from launchpad.sitetime import local_text

        return StepOutcome("passed", phrase("announce.already_sent", channel=channel,
                                            when=local_text(delivery.sent_before, ctx.site.tz, with_seconds=True)),
                           evidence=evidence)
    if delivery.delivered:
        return StepOutcome("passed", phrase("announce.sent", channel=channel, parts=delivery.parts),
                           evidence=evidence)
    evidence["copied"] = outcome.copied  # not sent: the person can paste it into the group
    reason = delivery.error.message if delivery.error else "not sent"
    fate = ("announce.robot_refused" if isinstance(delivery.error, ContentRefused)
            else "announce.unknown" if isinstance(delivery.error, DeliveryUncertain) else "announce.queued")
    summary = phrase(fate, channel=channel, reason=reason)
    return StepOutcome("failed" if step.require_delivery else "passed", summary, evidence=evidence)


STEP_KIND = StepKind("announce", AnnounceStep, announce, idempotent=True)
