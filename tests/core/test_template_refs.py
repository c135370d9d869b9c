"""`check` catches what `run` would trip on: every template is rendered, with the real template
engine, against each environment's values, so an environment without `urls.login` is named
at the template's file:line:col with exit 2 — and values only a run knows (variables given at
run time, the run, the people on duty) are stubbed so they raise no false alarm."""

from __future__ import annotations

from pathlib import Path

from launchpad.run.playbook import BUNDLED_DIR, load_playbook
from launchpad.run.template_refs import unresolved_references
from launchpad.workspace.folder import load_workspace
from tests.core.test_engine import playbook_text
from tests.core.test_inputs import launchpad, line_of
from tests.workspaces import LOCAL_SITE, write_workspace

# The test environment has a login page; production does not.
SITE = LOCAL_SITE.replace(
    "      - {name: app2, address: 127.0.0.1, groups: [app]}\n",
    "      - {name: app2, address: 127.0.0.1, groups: [app]}\n    urls: {login: 'http://127.0.0.1:1/login'}\n",
)


def column_of(text: str, needle: str) -> int:
    line = text.splitlines()[line_of(text, needle) - 1]
    return line.index(needle) + 1


def problem_lines(stderr: str, location: str) -> list[str]:
    return [line for line in stderr.splitlines() if location in line]


def test_a_missing_login_url_is_caught_by_check_at_the_template_of_environment_readiness(
        tmp_path: Path, english_cli: None) -> None:
    root = write_workspace(tmp_path / "ws", site=SITE)
    result = launchpad(root, "check", "environment-readiness")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    bundled = (BUNDLED_DIR / "environment-readiness.yaml").read_text(encoding="utf-8")
    url = '"{{ env.urls.login }}"'
    location = f"environment-readiness.yaml:{line_of(bundled, url)}:{column_of(bundled, url)}: "
    found = problem_lines(result.stderr, location)
    assert len(found) == 1, result.stderr
    assert found[0].endswith(location + "environment 'prod': {{ env.urls.login }} is undefined: site.yaml has no "
                             "environments.prod.urls.login; add it there, or name the environments this step "
                             "runs on (environments: [...])"), result.stderr
    assert "environment 'test'" not in result.stderr, "the test environment has its login page"


PLAYBOOK = playbook_text("""
- id: open
  name: 打开登录页
  kind: manual
  instructions: |
    确认版本 {{ vars.version }}，值班：{{ duty.primary.name }} {{ duty.backup.phone }}
    打开 {{ env.urls.login }}
- {id: page, name: 登录页, kind: http, url: "{{ env.urls.login }}", environments: [test]}
- {id: clock, name: 时钟, kind: shell, hosts: app, run: "echo {{ now_epoch() }} {{ run.id }} {{ vars.tier }}"}
- {id: token, name: 接口, kind: http, url: "http://x/{{ vars.version }}", headers: {X-Tier: "{{ vars.teir }}"}}
""", vars_="vars:\n  version: {prompt: 版本号}\n  tier: {per_env: {test: t1, prod: p1}}\n")


def test_each_undefined_name_is_located_and_run_time_values_raise_no_alarm(tmp_path: Path, english_cli: None) -> None:
    root = write_workspace(tmp_path / "ws", site=SITE, playbooks={"t": PLAYBOOK})
    result = launchpad(root, "check", "t")
    assert result.returncode == 2, result.stderr
    problems = [line for line in result.stderr.splitlines() if "t.yaml:" in line]
    # The literal block's second line, in production only; the step limited to test is fine.
    second = "打开 {{"
    at_block = (f"t.yaml:{line_of(PLAYBOOK, second)}:{column_of(PLAYBOOK, second)}: environment 'prod': "
                "{{ env.urls.login }} is undefined")
    # A misspelt variable is a mistake on every environment: said once, naming both.
    header = '"{{ vars.teir }}"'
    at_header = (f"t.yaml:{line_of(PLAYBOOK, header)}:{column_of(PLAYBOOK, header)}: environments 'test', 'prod': "
                 "{{ vars.teir }} is undefined: the playbook declares no variable 'teir' (vars: version, tier)")
    assert any(at_block in line for line in problems), result.stderr
    assert any(line.endswith(at_header) for line in problems), result.stderr
    assert len(problems) == 2, result.stderr  # vars.version (asked at run time), duty, run, now_epoch: no alarm


def test_the_bundled_playbooks_resolve_on_the_demo_and_init_sites(tmp_path: Path) -> None:
    from launchpad.demo import build_demo
    from launchpad.workspace.scaffold import init_workspace

    init_root = tmp_path / "init"
    init_workspace(init_root)
    for root in (build_demo(tmp_path / "demo"), init_root):
        site = load_workspace(root).site
        for path in sorted(BUNDLED_DIR.glob("*.yaml")):
            assert unresolved_references(load_playbook(path), site) == [], (root, path.name)
        result = launchpad(root, "check")
        assert result.returncode == 0, result.stderr


def test_first_undefined_names_the_reference_and_leaves_guarded_lookups_alone() -> None:
    from launchpad.run.templating import UndefinedName, first_undefined

    values = {"env": {"urls": {}, "hosts": [{"name": "app1"}]}, "duty": {"primary": None}}
    assert first_undefined("a\nb {{ env.urls.login }}", values) == UndefinedName(
        2, "env.urls.login", "'dict object' has no attribute 'login'")
    assert first_undefined("{{ duty.primary.name }}", values) == UndefinedName(
        1, "duty.primary.name", "'None' has no attribute 'name'")
    # What a template guards itself, and its own loop names, are not alarms.
    assert first_undefined("{{ env.urls.get('login', '未配置') }}", values) is None
    assert first_undefined("{% for h in env.hosts %}{{ h.name }}{% endfor %}", values) is None
    assert first_undefined("{{ duty.primary.name if duty.primary else '未排班' }}", values) is None
    # A loop name's missing field is still caught, in Jinja's own words.
    missing = first_undefined("{% for h in env.hosts %}{{ h.port }}{% endfor %}", values)
    assert missing == UndefinedName(1, None, "'dict object' has no attribute 'port'")
