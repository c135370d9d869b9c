"""Turning report data into text: Jinja2 templates in a sandbox, the workspace's own first.

A site's PM may want the daily report to open with the client's project code or to drop a
section: a file `templates/daily.txt.j2` in the workspace replaces the bundled one of the same
name (likewise `daily.md.j2`, `daily.html.j2`, `release_notice.md.j2`, `postmortem.md.j2`, or
any new notice name). Workspace templates are files anyone on the team can edit, so they run
sandboxed and an undefined name is an error that names the template, never silent blanks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.sandbox import SandboxedEnvironment

from launchpad.errors import UsageError
from launchpad.issues.display import field_label, value_label
from launchpad.phrases import phrase, section, word
from launchpad.phrases import render as render_phrase
from launchpad.report.activity import StepNote
from launchpad.report.daily import DailyReport, IssueLine
from launchpad.report.golive_section import GoliveLine, GoliveSection, GoliveSetAside
from launchpad.report.template_errors import template_failed, template_places
from launchpad.safetext import block_for_format, for_format

FORMATS = ("txt", "md", "html")
# Templates launchpad renders under names of its own: the reports (and `_macros.j2`, the pieces
# their templates share). What a person names — `report notice NAME`, an announce step's
# `template:` — is any other: a notice, bundled or the workspace's own.
REPORT_TEMPLATES = ("daily", "daily_monitoring", "run_report", "release_test_report", "baseline_drift",
                    "postmortem")
SAID_LIMIT = 200  # a check's summary in the daily report: the gist, not the whole output
CHAT_TITLE_LIMIT = 120  # an issue's title in the chat formats; the HTML and the sheet keep it whole
WORKSPACE_TEMPLATES = "templates"


@cache
def _environment(workspace_templates: Path | None, fmt: str = "txt",
                 clean_every_value: bool = False) -> SandboxedEnvironment:
    """The template environment for one output format: its `text` filter is that format's.
    With `clean_every_value` (the run report, whose every value is text from people or
    servers) each printed string passes through that cleaner without a filter."""
    loaders: list[BaseLoader] = []
    if workspace_templates is not None:
        loaders.append(FileSystemLoader(str(workspace_templates)))
    loaders.append(PackageLoader("launchpad.report", "templates"))
    environment = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        # One environment per format: the HTML one escapes in every template it loads, the
        # shared `_macros.j2` included (by its name it would not be escaped, yet the HTML report
        # prints what its macros return as safe), and the others never do.
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if clean_every_value:
        clean = for_format(fmt)
        # A value already cleaned as a block keeps its lines (a release's changes, its rollback plan).
        environment.finalize = lambda value: clean(value) if isinstance(value, str) and not isinstance(
            value, CleanBlock) else value
    environment.filters["text"] = _text_only(for_format(fmt))
    block = block_for_format(fmt)
    environment.filters["block"] = lambda value: CleanBlock(block(value)) if isinstance(value, str) else value
    return environment


class CleanBlock(str):
    """Text of several lines already made inert by the `block` filter for the template's format."""


def _text_only(clean: Callable[[str], str]) -> Callable[[Any], Any]:
    """A filter that cleans text and leaves None, numbers and dates as they are."""
    return lambda value: clean(value) if isinstance(value, str) else value


def templates_dir(workspace_root: Path | None) -> Path | None:
    if workspace_root is None:
        return None
    folder = workspace_root / WORKSPACE_TEMPLATES
    return folder if folder.is_dir() else None


def render_template(name: str, context: dict[str, Any], lang: str, workspace_root: Path | None = None,
                    *, clean_every_value: bool = False) -> str:
    """Render template `name` (e.g. `daily.txt.j2`) with `context`, the labels of `lang` as
    `t`, and the helpers `v(code)` (a value's label), `f(field)` (a field's label),
    `fmt(key, **values)` (a label with values filled in), `overdue(days)`, `golive_headline(g)`, `golive_verdict(g)`,
    `set_aside_text(s)` (the go-live section's words) and `golive_unreadable(note)` (its lines
    when golive.yaml has mistakes: what, each place, what to do), and the filters `text` and `block`,
    which make a person's text (one line, or several) inert in the template's format (see
    launchpad.safetext)."""
    words = section("daily", lang)
    fmt = _format_of(name)
    text = for_format(fmt)
    helpers = {
        "t": words, "lang": lang, "html_lang": word("language.tag", lang),
        "v": lambda code: value_label(code, lang),
        "f": lambda name: field_label(name, lang),
        "fmt": lambda key, **values: words[key].format(**values),
        "weekday": lambda day: word(f"weekday.{day.weekday()}", lang) if isinstance(day, date) else "",
        "section": lambda number: word("daily.section_mark", lang, mark=words["sections"].split()[number - 1]),
        "backup_text": lambda backup: _backup_text(backup, words, lang, text),
        "release_text": lambda line: release_text(line, words),
        "onsite_text": lambda line: onsite_text(line, words),
        "overdue": lambda days: days_overdue(days, words),
        "golive_verdict": lambda section: golive_verdict(section, words),
        "golive_headline": lambda section: golive_headline(section, words),
        "set_aside_text": lambda aside: set_aside_text(aside, words),
        # golive.yaml's mistakes quote what the file says: text like any other.
        "golive_unreadable": lambda note: [text(line) for line in note.lines(lang)],
        # A check's summary may quote what a server answered: text like any other.
        "said": lambda value: text(render_phrase(value, lang)[:SAID_LIMIT]),
        # Why a go-live item is open: a blocked item's reason (a person's words, cleaned with
        # the report's other text) or what its proof found (the product's words, cleaned here).
        "why": lambda value: value if isinstance(value, str) else text(render_phrase(value, lang)[:SAID_LIMIT]),
    }
    where = templates_dir(workspace_root)
    try:
        template = _environment(where, fmt, clean_every_value).get_template(name)
        return template.render({**helpers, **context})
    except TemplateNotFound as exc:
        places = template_places(exc, where)
        if places:
            # `name` is there; a template it renders includes, imports or extends one that is not.
            missing = [str(each) for each in exc.templates]
            folder = str(workspace_root / WORKSPACE_TEMPLATES) if workspace_root else WORKSPACE_TEMPLATES
            raise UsageError(phrase("report.template_includes_missing", source=places[-1].source,
                                    line=places[-1].line, missing=missing, folder=folder),
                             hint=phrase("report.template_includes_missing_hint", missing=missing,
                                         folder=folder)) from None
        raise UsageError(phrase("error.no_template", name=name),
                         hint=phrase("error.no_template_hint", names=notice_names(workspace_root, fmt))) from None
    except TemplateError as exc:
        raise template_failed(exc, name, where, exc.message or str(exc), phrase("error.template_fix_hint")) from None
    except Exception as exc:
        # A workspace template calling a helper wrongly (`fmt('no_such_label')`, `section(9)`)
        # fails inside the helper; that is the template's mistake, not launchpad's.
        if not any(place.in_workspace for place in template_places(exc, where)):
            raise
        raise template_failed(exc, name, where, f"{type(exc).__name__}: {exc}",
                              phrase("error.template_helpers_hint")) from None


def notice_names(workspace_root: Path | None, fmt: str) -> list[str]:
    """The templates a person can name in `fmt` (txt, md), as they name them (`release_notice`):
    the bundled notices and the workspace's own, never a report's or a shared piece."""
    suffix = f".{fmt}.j2"
    files = _environment(templates_dir(workspace_root)).list_templates(filter_func=lambda n: n.endswith(suffix))
    names = {file.removesuffix(suffix) for file in files}
    return sorted(name for name in names - set(REPORT_TEMPLATES) if not name.startswith("_"))


def _format_of(name: str) -> str:
    """`daily.md.j2` → `md`; a name without a known format is treated as plain text."""
    parts = name.split(".")
    return parts[-2] if len(parts) >= 3 and parts[-2] in ("txt", "md", "html") else "txt"


def _backup_text(backup: Any, words: dict[str, str], lang: str, text: Callable[[str], str]) -> str:
    """One backup of the day and what it is now; why it is not usable may quote a tool's or a
    person's words, made inert for the format like a check's summary."""
    size = float(backup.size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            break
        size /= 1024
    return words["backup_line"].format(
        environment=backup.environment, target=backup.target, id=backup.id,
        size=f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}", finished=backup.finished,
        state=text(render_phrase(backup.state, lang)[:SAID_LIMIT]),
        drill={"passed": words["drill_passed"], "failed": words["drill_failed"],
               "void": words["drill_void"]}.get(backup.drill_status or "", ""),
    )


def days_overdue(days: int, words: dict[str, str]) -> str:
    """“3 days overdue”, “1 day overdue”: English says the day in words."""
    return words["days_overdue_one" if days == 1 else "days_overdue"].format(days=days)


def golive_headline(section: GoliveSection, words: dict[str, str]) -> str:
    """The section's head line: version, date, “5 days to go” / “1 day to go”, done, verdict."""
    return words["golive_line_one" if section.days_to_go == 1 else "golive_line"].format(
        version=section.version, date=section.date.isoformat(), days=section.days_to_go, done=section.done,
        total=section.total, verdict=golive_verdict(section, words))


def golive_verdict(section: GoliveSection, words: dict[str, str]) -> str:
    """GO or NO-GO; a GO that rests on critical items set aside names them in the same sentence.
    Their titles were cleaned for the format by `people_text` before they reach here."""
    if not section.go:
        return words["golive_no_go"]
    if not section.set_aside:
        return words["golive_go"]
    count = len(section.set_aside)
    return words["golive_go_set_aside_one" if count == 1 else "golive_go_set_aside"].format(
        count=count, items=words["semi"].join(aside.title for aside in section.set_aside))


def set_aside_text(aside: GoliveSetAside, words: dict[str, str]) -> str:
    """A critical item set aside: who and when (site time), and why; cleaned by `people_text`."""
    if aside.by is None or aside.at is None:
        return words["golive_set_aside_by_hand"].format(title=aside.title, reason=aside.reason or "—")
    return words["golive_set_aside_item"].format(title=aside.title, by=aside.by, at=aside.at,
                                                 reason=aside.reason or "—")


def release_text(line: Any, words: dict[str, str]) -> str:
    """One release: version, window, where it stands, owner, reviewer and the issues it fixes.
    Its words were cleaned for the format by `people_text` before they reach here."""
    text = (f"{line.version} {line.window} {words['rel_' + line.status]}"
            f"{words['sep']}{words['release_owner']} {line.owner}")
    if line.approved_by:
        text += f"{words['sep']}{words['release_reviewed']} {line.approved_by}"
    if line.fixes:
        text += words["sep"] + words["release_fixes"] + " " + words["semi"].join(
            f"#{issue.id} {issue.title}".strip() for issue in line.fixes)
    return text


def onsite_text(line: Any, words: dict[str, str]) -> str:
    """One on-site change: environment, item, what was done, why, the feedback issue, who.
    Its words were cleaned for the format by `people_text` before they reach here."""
    text = (f"#{line.id} {line.environment} {line.item} {words['onsite_' + line.change]}{words['sep']}{line.why}"
            f"{words['sep']}{words['onsite_issue']} #{line.issue_id} {line.issue_title}".rstrip()
            + f"{words['sep']}{words['operator']} {line.operator}")
    return text + (f"{words['sep']}{words['onsite_accepted']}" if line.accepted else "")


def render_daily(report: Any, fmt: str, lang: str, workspace_root: Path | None = None) -> str:
    """The daily report as text (WeChat), Markdown (robots) or HTML."""
    if fmt not in FORMATS:
        raise UsageError(phrase("error.daily_format", fmt=fmt),
                         hint=phrase("error.issue_one_of", values=[*FORMATS, "xlsx"]))
    if isinstance(report, DailyReport) and fmt != "html":
        report = _chat_titles(report)
    safe = people_text(report, for_format(fmt)) if isinstance(report, DailyReport) else report
    text = render_template(f"daily.{fmt}.j2", {"r": safe}, lang, workspace_root)
    return _tidy(text) if fmt != "html" else text


def _chat_titles(report: DailyReport) -> DailyReport:
    """Issue titles cut for the group's message: a whole description typed as a title would
    otherwise fill the chat, twice (new today and still open)."""
    def cut(line: IssueLine) -> IssueLine:
        if len(line.title) <= CHAT_TITLE_LIMIT:
            return line
        return replace(line, title=line.title[:CHAT_TITLE_LIMIT - 1] + "…")

    return replace(report, new_today=[cut(i) for i in report.new_today],
                   resolved_today=[cut(i) for i in report.resolved_today], overdue=[cut(i) for i in report.overdue],
                   still_open=[cut(i) for i in report.still_open], due_tomorrow=[cut(i) for i in report.due_tomorrow])


def people_text(report: DailyReport, text: Callable[[str], str]) -> DailyReport:
    """The report with every text a person typed (titles, owners, modules, plan items, the
    project's and client's names…) passed through `text`, before any template sees it: a
    workspace's own template is as safe as the bundled one."""
    def each(value: str) -> str:
        return text(value) if value else value  # an empty field stays as it is (None too)

    def golive_line(line: GoliveLine) -> GoliveLine:
        # A blocked item's reason is a person's words; what a proof found is the product's
        # phrase and goes through `said` in the template.
        return replace(line, title=text(line.title), owner=text(line.owner),
                       why=text(line.why) if isinstance(line.why, str) else line.why)

    def notes(found: tuple[StepNote, ...]) -> tuple[StepNote, ...]:  # a step's title from the playbook
        return tuple(replace(note, title=text(note.title)) for note in found)

    def issue(line: IssueLine) -> IssueLine:
        return replace(line, title=each(line.title), module=each(line.module), owner=each(line.owner),
                       reporter=each(line.reporter), resolution=each(line.resolution), fixed_in=each(line.fixed_in))

    return replace(
        report, site_name=text(report.site_name), client=text(report.client),
        new_today=[issue(i) for i in report.new_today], resolved_today=[issue(i) for i in report.resolved_today],
        overdue=[issue(i) for i in report.overdue], still_open=[issue(i) for i in report.still_open],
        due_tomorrow=[issue(i) for i in report.due_tomorrow], all_issues=[issue(i) for i in report.all_issues],
        runs=[replace(run, title=text(run.title), operator=text(run.operator),
                      failures=tuple(text(failure) for failure in run.failures),
                      rollback_declined_by=each(run.rollback_declined_by), skipped=notes(run.skipped),
                      not_checked=notes(run.not_checked), refused=notes(run.refused), declined=notes(run.declined),
                      overridden=notes(run.overridden))
              for run in report.runs],
        checks=[replace(check, title=text(check.title)) for check in report.checks],
        monitoring=[replace(line, checks=tuple(replace(check, title=text(check.title)) for check in line.checks))
                    for line in report.monitoring],
        plan=[text(item) for item in report.plan],
        releases=[replace(line, version=text(line.version), owner=text(line.owner), approved_by=each(line.approved_by),
                          fixes=tuple(replace(issue, title=each(issue.title)) for issue in line.fixes))
                  for line in report.releases],
        onsite_changes=[replace(line, environment=text(line.environment), item=text(line.item), why=text(line.why),
                                issue_title=each(line.issue_title), operator=text(line.operator))
                        for line in report.onsite_changes],
        golive=None if report.golive is None else replace(
            report.golive, version=text(report.golive.version),
            stoppers=[golive_line(line) for line in report.golive.stoppers],
            late=[golive_line(line) for line in report.golive.late],
            set_aside=[replace(aside, title=text(aside.title), reason=text(aside.reason),
                               by=None if aside.by is None else text(aside.by)) for aside in report.golive.set_aside]))


def _tidy(text: str) -> str:
    """No runs of blank lines, however a template's conditionals fall: chat shows each one."""
    lines: list[str] = []
    for line in text.rstrip().splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
