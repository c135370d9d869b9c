"""A host's error column (`exec`, `hosts check`, `hosts trust`): what failed as it was said,
what to do next, and a name for it that does not change with the language.

The words stay phrases until they are shown, so each reader gets them in their language;
`--json` gives them in the command line's language beside `error_kind`, which scripts read.
"""

from __future__ import annotations

from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.phrases import Said, render


def error_fields(host: str, exc: LaunchpadError) -> dict[str, Any]:
    """`exc` for the row of `host` (without the host's name, which the row already shows), as
    the `error`, `hint` and `error_kind` of a host's result."""
    return {"error": exc.said_for(host), "hint": exc.said_hint, "error_kind": exc.kind}


def error_json(error: Said, hint: Said, kind: str, lang: str) -> dict[str, Any]:
    """The error column for `--json`: the words in `lang`, the kind as it always is."""
    return {"error": render(error, lang), "error_kind": kind, "hint": render(hint, lang)}
