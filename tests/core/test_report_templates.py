"""Both client reports load their templates the same way: the workspace's own first."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.report.run import collect_run, render_run
from tests.core.test_engine import Harness, playbook_text
from tests.scripted import ScriptedPrompter


def _run(tmp_path: Path) -> tuple[Harness, dict[str, object]]:
    h = Harness(tmp_path / "ws", playbook_text("- {id: hello, name: 问好 <b>, kind: shell, hosts: app, run: 'true'}"))
    result = h.run(ScriptedPrompter())
    return h, collect_run(h.store, h.workspace.site, result.run_id)


def test_a_workspace_template_replaces_the_bundled_run_report(tmp_path: Path) -> None:
    h, report = _run(tmp_path)
    bundled = render_run(report, "md", "zh", workspace_root=h.workspace.root)
    templates = h.workspace.root / "templates"
    templates.mkdir()
    (templates / "run_report.md.j2").write_text("项目代号 XJ-01 · {{ r.run.playbook }}\n", encoding="utf-8")
    ours = render_run(report, "md", "zh", workspace_root=h.workspace.root)
    assert ours.startswith("项目代号 XJ-01 · ") and ours != bundled
    # Other formats still come from the bundled templates.
    assert render_run(report, "text", "zh", workspace_root=h.workspace.root) == render_run(report, "text", "zh")


def test_every_value_a_workspace_run_template_prints_is_cleaned_for_its_format(tmp_path: Path) -> None:
    h, report = _run(tmp_path)
    templates = h.workspace.root / "templates"
    templates.mkdir()
    (templates / "run_report.html.j2").write_text("{% for step in r.steps %}<li>{{ step.title }}</li>{% endfor %}",
                                                  encoding="utf-8")
    html = render_run(report, "html", "zh", workspace_root=h.workspace.root)
    assert "<b>" not in html and "问好" in html


def test_a_broken_workspace_run_template_is_located(tmp_path: Path) -> None:
    h, report = _run(tmp_path)
    templates = h.workspace.root / "templates"
    templates.mkdir()
    (templates / "run_report.md.j2").write_text("第一行\n{{ r.run.playbook \n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        render_run(report, "md", "zh", workspace_root=h.workspace.root)
    assert "run_report.md.j2:2" in str(caught.value)
