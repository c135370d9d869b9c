"""A step kind says what it references: `launchpad check` finds each name declared in
site.yaml (or earlier in the playbook) without knowing any kind's field names, so a new kind
really is one module."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from launchpad.run.playbook import LoadedPlaybook, Phase, Playbook, check_against_site
from launchpad.steps import step_kinds
from launchpad.steps.base import Reference, StepSpec
from launchpad.workspace.site import Site
from launchpad.workspace.yamlsource import SourceMap

SITE = Site.model_validate({
    "site": {"name": "某系统", "client": "某局"},
    "environments": {"test": {
        "transport": "local",
        "hosts": [{"name": "app1", "address": "127.0.0.1", "groups": ["app"]}],
        "databases": {"main": {"engine": "sqlite", "name": "data/app.db"}},
    }},
})


class PingStep(StepSpec):
    """A kind no module of launchpad knows: it pings a database through a host group."""

    kind: Literal["ping"]
    via: str
    database: str

    def hosts_group(self) -> str | None:
        return self.via

    def references(self) -> list[Reference]:
        return [*super().references(), Reference("database", "database", (self.database,))]


def problems_of(*steps: StepSpec) -> list[str]:
    phase = Phase.model_construct(id="one", name="第一阶段", description="", steps=list(steps), rollback=[])
    playbook = Playbook.model_construct(name="t", title="测试", phases=[phase])
    return [p.message for p in check_against_site(LoadedPlaybook(playbook, Path("t.yaml"), SourceMap("t.yaml")), SITE)]


def test_a_new_kind_is_checked_by_what_it_says_it_references() -> None:
    assert problems_of(PingStep(name="ping", kind="ping", via="app", database="main")) == []
    assert problems_of(PingStep(name="ping", kind="ping", via="dbs", database="mian")) == [
        "host group 'dbs' is not defined in any environment of site.yaml",
        "database 'mian' is not declared in site.yaml (databases: main)",
    ]


def test_the_playbook_loader_names_no_step_kind() -> None:
    """Each kind's own module says what it references and what cannot work; the loader asks."""
    source = (Path(__file__).parents[2] / "launchpad" / "run" / "playbook.py").read_text(encoding="utf-8")
    named = [kind for kind in step_kinds() if kind not in StepSpec.model_fields and f'"{kind}"' in source]
    assert named == []
    assert "getattr(step" not in source


def test_the_bundled_kinds_report_their_own_references() -> None:
    gate = step_kinds()["gate"].spec.model_validate(
        {"name": "窗口", "kind": "gate", "window": "night"})
    announce = step_kinds()["announce"].spec.model_validate(
        {"name": "通知", "kind": "announce", "critical": True})
    assert problems_of(gate) == ["window 'night' is not defined in site.yaml (windows: none)"]
    assert problems_of(announce) == ["a critical announce step needs a channel: printed is not sent, "
                                     "so without one it can never pass"]
