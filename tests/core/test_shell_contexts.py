"""A playbook value reaches the shell as data wherever the command puts it — outside quotes,
inside "…", inside '…', inside $( … ), in a comment — run by a real shell (/bin/sh locally,
and bash); where no quoting can help (backquotes, ${…}, a here-document) the command is
refused, by `launchpad check` with its file:line and when the step would run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from launchpad.run.shellcontext import contexts, marker
from launchpad.run.templating import TemplateProblem, check_syntax, render
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_issues import run_cli
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace


def evil(marker_path: Path) -> str:
    return (f"$(touch {marker_path}) `touch {marker_path}` ${{HOME}} \"dq' sq \\ back\\\\slash ; "
            f"echo x & | > <\nnew line # not a comment")


# (command template, what the file holds afterwards); {v} stands for the value.
CONTEXTS = {
    "unquoted": ("printf '%s' note:{{ vars.note }} > out.txt", "note:{v}"),
    "double": ("printf '%s' \"note: {{ vars.note }}\" > out.txt", "note: {v}"),
    "single": ("printf '%s' 'note: {{ vars.note }}' > out.txt", "note: {v}"),
    "subst": ("got=$(printf '%s' \"[{{ vars.note }}]\"); printf '%s' \"$got\" > out.txt", "[{v}]"),
    # The issue's own example; dash's echo reads \\ as one backslash, so only the start is compared.
    "echo": ("echo \"note: {{ vars.note }}\" > out.txt", "note: $(touch "),
    "comment": ("printf ok > out.txt # {{ vars.note }}", "ok"),
}


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_a_value_reaches_the_shell_as_data_in_every_quoting_context(tmp_path: Path, context: str) -> None:
    template, expected = CONTEXTS[context]
    pwned = tmp_path / "pwned"
    value = evil(pwned)
    step = f"- id: s\n  name: s\n  kind: shell\n  hosts: app1\n  run: {json.dumps(template)}"
    h = Harness(tmp_path / "ws", playbook_text(step, vars_="vars:\n  note: {prompt: 备注}\n"))
    result = h.run(ScriptedPrompter(), variables={"note": value})
    assert result.status == "passed", h.store.host_rows(result.run_id)
    written = (h.root / "out.txt").read_text()
    assert written.startswith(expected) if context == "echo" else written == expected.format(v=value)
    assert not pwned.exists()


@pytest.mark.parametrize("shell", ["/bin/sh", "bash"])
@pytest.mark.parametrize("template", [
    'printf "%s" "a {{ v }} b"', "printf '%s' 'a {{ v }} b'", 'printf "%s" a{{ v }}b',
    'printf "%s" "$(printf "%s" "{{ v }}")"', "printf '%s' \"x\"'{{ v }}'\"y\"",
])
def test_each_context_gives_the_value_back_exactly(tmp_path: Path, shell: str, template: str) -> None:
    if shutil.which(shell) is None:
        pytest.fail(f"{shell} is needed to test shell quoting")
    pwned = tmp_path / "pwned"
    value = evil(pwned)
    command = render(template, {"v": value}, shell=True)
    out = subprocess.run([shell, "-c", command], capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert value in out and not pwned.exists()


def test_bash_ansi_quotes_hold_the_value_too(tmp_path: Path) -> None:
    value = evil(tmp_path / "pwned")
    command = render("printf '%s' $'a {{ v }} b'", {"v": value}, shell=True)
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=True).stdout
    assert out == f"a {value} b" and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("template, where", [
    ("echo `echo {{ v }}`", "backquotes"),
    ('echo "${X:-{{ v }}}"', "${…}"),
    ("cat <<EOF\nnote: {{ v }}\nEOF", "here-document"),
    ("cat <<'EOF'\n{{ v }}\nEOF", "here-document"),
])
def test_a_value_where_no_quoting_helps_is_refused(template: str, where: str) -> None:
    refused = check_syntax(template, shell=True)
    assert refused is not None and where in str(refused)
    with pytest.raises(TemplateProblem, match="cannot be quoted safely"):
        render(template, {"v": "$(touch /tmp/x)"}, shell=True)


def test_values_after_a_here_document_and_raw_values_are_not_refused() -> None:
    assert check_syntax("cat <<'EOF'\nplain\nEOF\necho {{ v }}", shell=True) is None
    assert check_syntax("echo `date` {{ v }} # {{ v }}", shell=True) is None
    assert check_syntax("echo `{{ v | raw }}`", shell=True) is None
    assert check_syntax("echo `{{ v }}`") is None  # not a command: not read as one
    text = f"a '{marker(0)}' \"{marker(1)}\" {marker(2)}"
    assert [c for _n, c, _l in contexts(text)] == ["single", "double", "top"]


def test_check_refuses_the_template_with_its_file_and_line(tmp_path: Path) -> None:
    playbook = playbook_text("- id: s\n  name: s\n  kind: shell\n  run: |\n    date\n    echo `echo {{ vars.note }}`",
                             vars_="vars:\n  note: {prompt: 备注}\n")
    root = write_workspace(tmp_path / "ws", playbooks={"t": playbook})
    checked = run_cli(root, "check")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    output = checked.stdout + checked.stderr
    assert "t.yaml:" in output and "命令第 2 行：反引号 `…` 中的值无法安全地加引号" in output  # the site speaks Chinese
    assert "Traceback" not in output
