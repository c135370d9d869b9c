"""The handover as text for the terminal, Markdown for pasting into a chat or a wiki, or JSON.
Every line is made inert for its format (`launchpad.safetext`): an issue title cannot start a
heading or a list of its own, or ping a group."""

from __future__ import annotations

import json

from launchpad.handover.collect import SECTIONS, Handover
from launchpad.phrases import phrase, render
from launchpad.safetext import markdown, one_line


def render_handover(handover: Handover, fmt: str, lang: str) -> str:
    if fmt == "json":
        return json.dumps(handover.as_dict(lang), ensure_ascii=False, indent=2) + "\n"
    clean = markdown if fmt == "markdown" else one_line
    head = render(phrase("handover.head", site=handover.site, at=f"{handover.at:%Y-%m-%d %H:%M}",
                         actor=handover.actor), lang)
    lines = [f"# {clean(head)}" if fmt == "markdown" else clean(head), ""]
    if handover.clear:
        lines += [render(phrase("handover.clear"), lang), ""]
    for name in SECTIONS:
        entries = handover.sections.get(name, [])
        title = render(phrase(f"handover.{name}"), lang)
        count = render(phrase("handover.count", count=len(entries)), lang)
        lines.append(f"## {title}{count}" if fmt == "markdown" else f"{title}{count}")
        if fmt == "markdown":
            lines.append("")
        for entry in entries:
            lines.append(f"- {clean(render(entry.said, lang))}" if fmt == "markdown"
                         else f"  · {clean(render(entry.said, lang))}")
        if not entries:
            nothing = render(phrase("handover.nothing"), lang)
            lines.append(f"- {nothing}" if fmt == "markdown" else f"  {nothing}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
