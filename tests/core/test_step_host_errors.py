"""A host that fails with a launchpad error: its row says what failed without repeating the
host's name, and what to do next; the step's summary names each host once and leaves the
hints to the rows."""

from __future__ import annotations

from launchpad.errors import HostUnreachable, UnknownHostKey
from launchpad.phrases import dumps, loads, phrase, render
from launchpad.steps.base import failed_on, hosts_said


def test_a_hosts_row_names_it_once_and_says_what_to_do() -> None:
    error = UnknownHostKey("app1", "ssh-ed25519", "SHA256:abc", searched=["/ws/.launchpad/known_hosts (absent)"],
                           env="lab")
    outcome = failed_on("app1", error, 0.5)
    assert (outcome.host, outcome.status, outcome.duration) == ("app1", "failed", 0.5)
    row = str(outcome.message)
    assert row.startswith("the host key is not known (ssh-ed25519 SHA256:abc); searched /ws/")
    assert row.endswith("→ " + error.hint) and "hosts trust" in row
    # A Chinese report reads the error and its hint in Chinese; the store's English stays.
    assert render(outcome.message, "zh") == (
        "主机密钥未知（ssh-ed25519 SHA256:abc）；已查找 /ws/.launchpad/known_hosts (absent)"
        " → 建议：与服务器上的指纹核对后，运行 `launchpad hosts trust --env lab` 记录 app1 的密钥")

    said = hosts_said([outcome, failed_on("app2", error)])
    summary = str(said)
    assert summary.startswith("app1: the host key is not known") and "app2: app1: the host key" in summary
    assert "app1: app1" not in summary and "→" not in summary
    chinese = render(said, "zh")
    assert chinese.startswith("app1：主机密钥未知（ssh-ed25519") and "app2：app1：主机密钥未知" in chinese


def test_a_hosts_row_outlives_the_store_in_both_languages() -> None:
    """What the store keeps beside the English text reads in Chinese tomorrow."""
    outcome = failed_on("app1", HostUnreachable("app1", phrase("error.no_answer", address="10.0.0.1:22", seconds=5),
                                                hint=phrase("error.no_answer_hint")))
    kept = loads(str(outcome.message), dumps(outcome.message))
    assert render(kept, "en") == str(outcome.message) and "no answer from 10.0.0.1:22" in render(kept, "en")
    assert "10.0.0.1:22" in render(kept, "zh") and "建议：" in render(kept, "zh")
    assert not any("a" <= ch <= "z" for ch in render(kept, "zh").replace("10.0.0.1:22", "").replace("ssh", ""))


def test_an_error_about_the_jump_host_keeps_its_name() -> None:
    error = HostUnreachable("bastion", "no answer from 10.0.0.1:22 within 5s")
    assert str(failed_on("app1", error).message).startswith("bastion: no answer")
    assert str(failed_on("app1", HostUnreachable("app1", "gone")).message) == "gone"
