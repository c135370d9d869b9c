"""Where a report or notice template went wrong, said as the file a person edits, at its line.

A template may include, import or extend others, and the mistake is often in one of those:
a syntax error in `_header.txt.j2` surfaces while `daily.txt.j2` renders. Jinja names the
file a syntax error is in, and maps every running template's frame in the traceback to its
file and lines; the innermost of those frames is where the template failed, and the nearest
frame of another file is the template that referred to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from launchpad.errors import UsageError
from launchpad.phrases import Said, phrase

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class TemplatePlace:
    """A line of a template: the file as the workspace's folder names it (or "bundled NAME")."""

    source: Said
    line: str  # ":LINE", or "" when Jinja did not say
    in_workspace: bool


def template_places(exc: BaseException, where: Path | None) -> list[TemplatePlace]:
    """The template frames of the exception's traceback, outermost first."""
    places: list[TemplatePlace] = []
    frame = exc.__traceback__
    while frame is not None:
        place = _place(Path(frame.tb_frame.f_code.co_filename), f":{frame.tb_lineno}", where)
        if place is not None:
            places.append(place)
        frame = frame.tb_next
    return places


def template_failed(exc: BaseException, name: str, where: Path | None, detail: str, hint: Said) -> UsageError:
    """The error of template `name` failing with `exc`: at the file and line where it went
    wrong, and, when that is a template `name` includes, imports or extends, which one
    referred to it and at which line."""
    places = template_places(exc, where)
    if not places:  # no template frame (Jinja always leaves one): the template asked for, as named
        line = getattr(exc, "lineno", None)
        places = [TemplatePlace(_top_template(name, where), f":{line}" if line else "", False)]
    failed = places[-1]
    referring = next((place for place in reversed(places) if place.source != failed.source), None)
    if referring is None:
        return UsageError(phrase("report.template_failed", source=failed.source, line=failed.line, detail=detail),
                          hint=hint)
    return UsageError(phrase("report.template_failed_referred", source=failed.source, line=failed.line,
                             detail=detail, by=referring.source, by_line=referring.line), hint=hint)


def _top_template(name: str, where: Path | None) -> Said:
    """Template `name` as a person finds it: the workspace's file, or the bundled one."""
    if where is not None and (where / name).is_file():
        return str(where / name)
    return phrase("report.bundled_template", name=name)


def _place(file: Path, line: str, where: Path | None) -> TemplatePlace | None:
    resolved = file.resolve()
    if where is not None and resolved.is_relative_to(where.resolve()):
        # the file as the folder is named, not where a link in its path leads
        return TemplatePlace(str(where / resolved.relative_to(where.resolve())), line, True)
    if resolved.is_relative_to(BUNDLED_TEMPLATES):
        return TemplatePlace(phrase("report.bundled_template", name=resolved.relative_to(BUNDLED_TEMPLATES).as_posix()),
                             line, False)
    return None
