"""Go-live items proved by what the store records. A user import: done when the newest import
into the environment (of the named file) was applied, open again when it is rolled back or a
newer one is still being applied. A release: done when the newest record of the version is
released. Both are the store's own records, as `users import` and `release` write them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from launchpad.golive.checklist import CHECKLIST_FILE, load_checklist
from launchpad.golive.progress import evaluate
from launchpad.phrases import render
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.workspace.folder import load_workspace
from tests.workspaces import write_workspace

CHECKLIST = """\
date: 2030-01-10
version: V1.0
items:
  - id: users
    title: 用户数据已导入生产
    owner: zhang
    due: 2030-01-05
    proof: {import: prod}
  - id: roster
    title: 花名册已导入测试
    owner: zhang
    due: 2030-01-05
    proof: {import: test, file: 花名册.xlsx}
"""


def _import(store: Store, env: str, file: str, status: str) -> int:
    import_id = records.start_import(store, environment=env, database="main", target="ruoyi", file_name=file,
                                     file_sha256="0" * 64, mapping="users.yaml", rows=120,
                                     planned={"insert": 120}, plan_digest="d", operator="tester")
    if status != "applying":
        records.finish_import(store, import_id, "applied")
    if status == "rolled_back":
        records.finish_import(store, import_id, "rolled_back")
    return import_id


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws")
    (root / CHECKLIST_FILE).write_text(CHECKLIST, encoding="utf-8")
    return root


def _states(root: Path) -> dict[str, tuple[str, str]]:
    workspace = load_workspace(root)
    checklist = load_checklist(root, workspace.site, set())
    with Store.open(workspace.store_path) as store:
        progress = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                            today=datetime(2030, 1, 1).date(), now=datetime.now(UTC))
    return {p.item.id: (p.state, render(p.finding.said, "zh") if p.finding else "") for p in progress.items}


def test_an_applied_import_proves_the_item_and_a_rollback_reopens_it(root: Path) -> None:
    assert _states(root)["users"] == ("open", "尚未向 prod 导入用户")
    store_path = load_workspace(root).store_path
    with Store.open(store_path) as store:
        first = _import(store, "prod", "名单.xlsx", "applied")
        _import(store, "test", "名单.xlsx", "applied")  # another environment proves nothing here
    assert _states(root)["users"] == ("done", f"prod：用户导入 #{first}（名单.xlsx，120 行）已完成")
    with Store.open(store_path) as store:
        records.finish_import(store, first, "rolled_back")
    assert _states(root)["users"] == ("open", f"prod：最近一次用户导入 #{first}（名单.xlsx）已回滚")
    with Store.open(store_path) as store:
        again = _import(store, "prod", "名单.xlsx", "applying")
    assert _states(root)["users"] == ("open", f"prod：最近一次用户导入 #{again}（名单.xlsx）未完成")


def test_a_named_file_is_proved_only_by_an_import_of_that_file(root: Path) -> None:
    assert _states(root)["roster"] == ("open", "尚未向 test 导入 花名册.xlsx")
    with Store.open(load_workspace(root).store_path) as store:
        _import(store, "test", "别的名单.xlsx", "applied")
    assert _states(root)["roster"][0] == "open"
    with Store.open(load_workspace(root).store_path) as store:
        _import(store, "test", "花名册.xlsx", "applied")
    assert _states(root)["roster"][0] == "done"


def test_an_import_proof_on_an_unknown_environment_is_located(root: Path) -> None:
    from launchpad.errors import InvalidInput

    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("{import: prod}", "{import: uat}"), encoding="utf-8")
    workspace = load_workspace(root)
    with pytest.raises(InvalidInput) as caught:
        load_checklist(root, workspace.site, set())
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("golive.yaml", 8) and "'uat' is not in site.yaml" in problem.message


def test_a_released_version_proves_the_item_and_a_later_rollback_of_it_reopens_it(root: Path) -> None:
    from zoneinfo import ZoneInfo

    from launchpad.release.record import ReleaseDraft, create_release, move_release
    from launchpad.release.window import PlannedWindow

    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("{import: prod}", "{release: V1.0}"), encoding="utf-8")
    assert _states(root)["users"] == ("open", "尚未登记 V1.0 的发布")
    zone = ZoneInfo("Asia/Shanghai")
    window = PlannedWindow("always", datetime(2030, 1, 7, 19, 0, tzinfo=zone), datetime(2030, 1, 7, 21, 0, tzinfo=zone))
    draft = ReleaseDraft("V1.0", "首次上线", "无", "切回旧版", "张三", window)
    with Store.open(load_workspace(root).store_path) as store:
        first = create_release(store, "tester", draft).id
        for status in ("approved", "in_progress"):
            move_release(store, "tester", first, status)
    assert _states(root)["users"] == ("open", f"V1.0 的发布 #{first} 发布中")
    with Store.open(load_workspace(root).store_path) as store:
        move_release(store, "tester", first, "released")
    assert _states(root)["users"] == ("done", f"V1.0 已发布（发布 #{first}）")
    with Store.open(load_workspace(root).store_path) as store:
        again = create_release(store, "tester", draft).id  # the same version again, not yet out
    assert _states(root)["users"] == ("open", f"V1.0 的发布 #{again} 计划中")


def _compared(store: Store, env: str, differences: list[tuple[str, str]], reference: str = "baselines/baseline.yaml",
              version: str = "V1.0") -> int:
    from launchpad.baseline.drift import Difference, Drift
    from launchpad.baseline.records import record_comparison

    found = [Difference(f"{kind}/{key}", kind, "changed", key, "low") for kind, key in differences]
    return record_comparison(store, Drift(reference, version, env, found), "tester")


def test_a_comparison_without_drift_proves_the_item_and_a_newer_one_with_drift_reopens_it(root: Path) -> None:
    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("{import: prod}", "{baseline: prod}"), encoding="utf-8")
    assert _states(root)["users"] == ("open", "prod 尚未与基线比对")
    with Store.open(load_workspace(root).store_path) as store:
        drifted = _compared(store, "prod", [("dict_item", "gov_channel/hotline")])
    assert _states(root)["users"] == ("open", f"prod：与基线 V1.0 的比对 #{drifted} 发现 1 处差异")
    with Store.open(load_workspace(root).store_path) as store:
        clean = _compared(store, "prod", [])
        _compared(store, "test", [("role", "approver")])  # another environment proves nothing here
        # Two environments compared with each other: not a comparison against the baseline.
        _compared(store, "prod", [("role", "approver")], reference="test", version="test@2030-01-01T00:00:00")
    assert _states(root)["users"] == ("done", f"prod 与基线 V1.0 一致（比对 #{clean}）")
    with Store.open(load_workspace(root).store_path) as store:
        again = _compared(store, "prod", [("permission", "approver/affair:case:approve")])
    assert _states(root)["users"] == ("open", f"prod：与基线 V1.0 的比对 #{again} 发现 1 处差异")


def test_a_baseline_proof_with_kinds_is_reopened_only_by_drift_of_those_kinds(root: Path) -> None:
    proof = "{baseline: prod, kinds: [role, permission]}"
    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("{import: prod}", proof), encoding="utf-8")
    with Store.open(load_workspace(root).store_path) as store:
        label_only = _compared(store, "prod", [("dict_item", "gov_review_level/3")])
    assert _states(root)["users"] == ("done", f"prod 与基线 V1.0 一致（比对 #{label_only}）")
    with Store.open(load_workspace(root).store_path) as store:
        role = _compared(store, "prod", [("dict_item", "gov_review_level/3"), ("role", "approver")])
    assert _states(root)["users"] == ("open", f"prod：与基线 V1.0 的比对 #{role} 发现 1 处差异")


@pytest.mark.parametrize(("proof", "line", "said"), [
    ("{baseline: uat}", 8, "'uat' is not in site.yaml (known: "),
    ("{baseline: prod, kinds: [label]}", 8, "role"),
])
def test_a_bad_baseline_proof_is_located(root: Path, proof: str, line: int, said: str) -> None:
    from launchpad.errors import InvalidInput

    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("{import: prod}", proof), encoding="utf-8")
    workspace = load_workspace(root)
    with pytest.raises(InvalidInput) as caught:
        load_checklist(root, workspace.site, set())
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("golive.yaml", line) and said in problem.message
