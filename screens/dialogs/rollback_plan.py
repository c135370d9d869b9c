"""The rollback plan of the running playbook: each phase's rollback steps, what they run and
where, read-only. Open it before a risky step, not after it failed at 23:00."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Button

from screens.dialogs.base import BaseDialog
from screens.support.i18n import t
from screens.widgets.playbook_preview import describe_step


def rollback_plan(playbook: Any, env_name: str | None) -> Text:
    text = Text()
    for p, phase in enumerate(playbook.phases, 1):
        text.append(f"{t('pb.phase', n=p, name=phase.name)}\n", style="bold green")
        if not phase.rollback:
            text.append(f"     {t('pb.no_rollback')}\n", style="dim")
        for s, step in enumerate(phase.rollback, 1):
            text.append_text(describe_step(f"↺{s}", step, env_name))
            text.append("\n")
    if not any(phase.rollback for phase in playbook.phases):
        text = Text(t("rollback.none"), style="dim")
    return text


class RollbackPlanDialog(BaseDialog[None]):
    def __init__(self, playbook: Any, env_name: str | None) -> None:
        super().__init__(f"{t('rollback.title')} · {playbook.title}", rollback_plan(playbook, env_name))

    def buttons(self) -> list[Button]:
        return [Button(t("dlg.close"), id="close", variant="primary")]
