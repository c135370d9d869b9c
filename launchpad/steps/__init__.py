"""Step kinds. Each module here defines one kind; the registry discovers them at first use."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from launchpad.steps.base import StepKind


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
