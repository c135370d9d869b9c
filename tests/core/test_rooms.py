"""Each tool lives in its own room: the backup machinery does not know steps, sending to chat
robots does not borrow the report's words, the store has one row reader for every table, site
time is converted in one place, and a backup command streams into any transport."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import grimp
import pytest

import launchpad
from launchpad.backup.hostshell import HostShell
from launchpad.errors import StoreError
from launchpad.hosts.base import CommandResult, Readable
from launchpad.hosts.local import LocalTransport
from launchpad.report.activity import backups_on, runs_on
from launchpad.store.db import Store

CORE = Path(launchpad.__file__).parent


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("launchpad")


@pytest.mark.parametrize(("importer", "imported"), [
    ("launchpad.backup", "launchpad.steps"),
    ("launchpad.notify", "launchpad.report"),
])
def test_a_room_does_not_reach_into_another(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    chains = graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True)
    assert chains == set(), f"{importer} imports {imported}: {sorted(chains)}"


@pytest.mark.parametrize("table", ["runs", "backups"])
def test_the_store_reader_does_not_say_issues_when_it_reads_runs_or_backups(table: str) -> None:
    store = Store.memory()
    store.db.execute(f"DROP TABLE {table}")
    read = runs_on if table == "runs" else functools.partial(backups_on, backups_dir=Path("backups"))
    # backups_on first asks whether the table exists (a missing one is no backup at all): a
    # table without the columns it reads fails it.
    if table == "backups":
        store.db.execute("CREATE TABLE backups (id INTEGER)")
    with pytest.raises(StoreError) as raised:
        read(store, "2025-01-01", "2025-01-02", ZoneInfo("Asia/Shanghai"))
    assert "could not read the workspace store" in raised.value.message
    assert "issues" not in raised.value.message


def test_site_time_is_converted_in_one_module() -> None:
    writers = {path.relative_to(CORE).as_posix() for path in CORE.rglob("*.py")
               if re.search(r"isoformat\(timespec=\"microseconds\"\)|fromisoformat\(.*\)\.astimezone\(|"
                            r"def utc_now\b|def local_text\b|def day_bounds\b", path.read_text(encoding="utf-8"))}
    assert writers == {"sitetime.py"}


class _Relay:
    """A transport of no class the backup code knows: it only keeps the interface."""

    def __init__(self) -> None:
        self.inner = LocalTransport()
        self.host = self.inner.host
        self.fed: list[str] = []

    def feed(self, command: str, source: Readable, *, timeout: float | None = None) -> CommandResult:
        self.fed.append(command)
        return self.inner.feed(command, source, timeout=timeout)


def test_a_backup_command_streams_into_any_transport_that_can_feed() -> None:
    relay = _Relay()
    audited: list[tuple[str, str, dict[str, object]]] = []
    shell = HostShell(relay, lambda *entry: audited.append(entry), local=False)  # type: ignore[arg-type]
    result = shell.feed("wc -c", io.BytesIO(b"0123456789"), timeout=30)
    assert result.ok and result.text().strip() == "10"
    assert relay.fed == ["wc -c"]
    assert audited == [("remote_command", "local", {"command": "wc -c"})]
