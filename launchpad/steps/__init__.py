"""Step kinds. Each module here defines one kind; the registry discovers them at first use."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from launchpad.steps.base import HostCode, StepKind


@cache
def step_kinds() -> dict[str, StepKind]:
    kinds: dict[str, StepKind] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base" or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "STEP_KIND", None)
        if isinstance(kind, StepKind):
            kinds[kind.name] = kind
    return kinds


def host_code(kind_name: str | None) -> HostCode:
    """What the number on a host's row of a `kind_name` step is (StepKind.code): a command's
    exit code, or a page's HTTP status. The one rule every place that shows the number follows
    (the live run lines, the run report, the TUI's host grid); a kind launchpad no longer has,
    in an old run, ran commands."""
    kind = step_kinds().get(kind_name or "")
    return kind.code if kind is not None else "exit"
