"""An age written in site.yaml, a playbook or `--backup-age` (`2h`, `1d`, `30m`) is said in words
wherever a sentence names it: "没有 1 天内的已校验备份", "younger than 2 hours", never "1d 内"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchpad.backup.freshness import said_age
from launchpad.golive.checklist import Item, PlaybookProof
from launchpad.golive.proofs import find_proof
from launchpad.phrases import dumps, loads, phrase, render
from launchpad.steps.gate import GateStep
from launchpad.store.db import Store


@pytest.mark.parametrize(("written", "chinese", "english"), [
    ("2h", "2 小时", "2 hours"),
    ("1d", "1 天", "1 day"),
    ("7d", "7 天", "7 days"),
    ("30m", "30 分钟", "30 minutes"),
    ("1m", "1 分钟", "1 minute"),
    ("90s", "90 秒", "90 seconds"),
    ("1.5h", "1.5 小时", "1.5 hours"),
    ("12 h", "12 小时", "12 hours"),
])
def test_an_age_reads_in_words_in_each_language(written: str, chinese: str, english: str) -> None:
    said = said_age(written)
    assert (render(said, "zh"), render(said, "en")) == (chinese, english)


def test_text_that_is_no_age_stays_as_written() -> None:
    assert said_age("soon") == "soon"


def test_a_gate_sentence_keeps_the_age_in_words_through_the_store() -> None:
    said = phrase("gate.backup_stale", age=said_age("1d"), targets=["users"], env="prod", command_targets="users")
    back = loads(str(said), dumps(said))
    assert render(back, "zh").startswith("以下目标没有 1 天内的已校验备份：users")
    assert str(back).startswith("no verified backup younger than 1 day of: users")


def test_a_fresh_backup_gate_describes_its_age_in_words() -> None:
    step = GateStep.model_validate({"id": "fresh", "name": "备份", "kind": "gate", "fresh_backup": "2h"})
    assert render(step.describe(), "zh") == "有 2 小时内经过校验的备份"
    assert render(step.describe(), "en") == "a verified backup younger than 2 hours"


def test_a_go_live_run_too_old_to_prove_its_item_says_how_old_in_words(tmp_path: Path) -> None:
    with Store.open(tmp_path / "launchpad.db") as store:
        run = store.create_run(playbook="readiness", playbook_path="readiness.yaml", playbook_hash="0",
                               playbook_snapshot={}, environment="test", production=False, variables={},
                               operator="tester")
        store.set_run_status(run, "passed", finished=True)
        item = Item(id="ready", title="测试环境就绪", owner="zhang", due=date(2030, 1, 5),
                    proof=PlaybookProof(playbook="readiness", env="test", max_age="7d"))
        finding = find_proof(item, store, "V1.0", datetime.now(UTC) + timedelta(days=8), tmp_path, [],
                             {"readiness": "环境就绪检查"})
    assert finding is not None and not finding.holds
    assert render(finding.said, "zh") == f"“环境就绪检查”（test）：运行 #{run} 通过已超过 7 天，请重新运行"
    assert str(finding.said) == f"环境就绪检查 on test: run #{run} passed more than 7 days ago; run it again"
