"""docs/architecture.md's layer map names every room of the core, so it cannot fall behind
the tree: a new package or top-level module without its line fails here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _layer_map() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    start = text.index("## Layers")
    return text[start:text.index("```", text.index("```", start) + 3)]


def test_every_package_and_top_level_module_of_the_core_is_on_the_map() -> None:
    layer_map = _layer_map()
    core = ROOT / "launchpad"
    rooms = [f"{p.name}/" for p in core.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    rooms += [p.name for p in core.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    missing = [room for room in sorted(rooms) if room not in layer_map]
    assert not missing, f"add to docs/architecture.md's layer map: {missing}"


def test_the_map_names_no_room_that_is_gone() -> None:
    layer_map = _layer_map()
    core = ROOT / "launchpad"
    for line in layer_map.splitlines():
        parts = line.split()
        if line.startswith("  ") and not line.startswith("    ") and parts and parts[0].endswith(("/", ".py")):
            name = parts[0].rstrip(",")
            assert (core / name).exists(), f"docs/architecture.md names launchpad/{name}, which is gone"
