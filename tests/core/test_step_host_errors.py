"""A host that fails with a launchpad error: its row says what failed without repeating the
host's name, and what to do next; the step's summary names each host once and leaves the
hints to the rows."""

from __future__ import annotations

from launchpad.errors import HostUnreachable, UnknownHostKey
from launchpad.phrases import render
from launchpad.steps.base import failed_on, hosts_said


def test_a_hosts_row_names_it_once_and_says_what_to_do() -> None:
    error = UnknownHostKey("app1", "ssh-ed25519", "SHA256:abc", searched=["/ws/.launchpad/known_hosts (absent)"])
    outcome = failed_on("app1", error, 0.5)
    assert (outcome.host, outcome.status, outcome.duration) == ("app1", "failed", 0.5)
    row = str(outcome.message)
    assert row.startswith("the host key is not known (ssh-ed25519 SHA256:abc); searched /ws/")
    assert row.endswith("→ " + error.hint) and "hosts trust" in row
    # The words of launchpad's errors stay as written in a Chinese report.
    assert render(outcome.message, "zh") == row.replace("→ ", "→ 建议：")

    summary = str(hosts_said([outcome, failed_on("app2", error)]))
    assert summary.startswith("app1: the host key is not known") and "app2: app1: the host key" in summary
    assert "app1: app1" not in summary and "→" not in summary


def test_an_error_about_the_jump_host_keeps_its_name() -> None:
    error = HostUnreachable("bastion", "no answer from 10.0.0.1:22 within 5s")
    assert str(failed_on("app1", error).message).startswith("bastion: no answer")
    assert str(failed_on("app1", HostUnreachable("app1", "gone")).message) == "gone"
