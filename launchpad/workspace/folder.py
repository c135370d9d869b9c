"""Finding and loading a workspace: the folder with `site.yaml`, `playbooks/`, `backups/`,
`data/` and the store in `.launchpad/`.

A workspace is found the way git finds a repository (the nearest ancestor holding
`site.yaml`), unless `--workspace DIR` or `LAUNCHPAD_WORKSPACE` names one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from launchpad.errors import LaunchpadError, WorkspaceNotFound
from launchpad.phrases import phrase
from launchpad.workspace.site import Environment, Site
from launchpad.workspace.yamlsource import SourceMap, read_yaml, validate

SITE_FILE = "site.yaml"
ENV_VARIABLE = "LAUNCHPAD_WORKSPACE"


def backups_dir(root: Path) -> Path:
    """The workspace's backup files, for readers that have its folder but not the workspace."""
    return root / "backups"


@dataclass
class Workspace:
    root: Path
    site: Site
    source: SourceMap
    # Whether `launchpad` typed in the current folder without `--workspace` opens this
    # workspace (`found_here`); else a command a person is told to type names it with `-w`.
    found_here: bool = True

    @property
    def site_file(self) -> Path:
        return self.root / SITE_FILE

    @property
    def state_dir(self) -> Path:
        return self.root / ".launchpad"

    @property
    def store_path(self) -> Path:
        return self.state_dir / "launchpad.db"

    @property
    def known_hosts(self) -> Path:
        """Host keys the person trusted through launchpad (the user's own file is read too)."""
        return self.state_dir / "known_hosts"

    @property
    def playbooks_dir(self) -> Path:
        return self.root / "playbooks"

    @property
    def backups_dir(self) -> Path:
        return backups_dir(self.root)

    def environment(self, name: str) -> Environment:
        from launchpad.errors import UsageError

        env = self.site.environments.get(name)
        if env is None:
            raise UsageError(
                phrase("error.unknown_env", name=name, file=str(self.site_file)),
                hint=phrase("error.unknown_env_hint", names=list(self.site.environments) or phrase("error.no_envs")),
            )
        return env

    @cached_property
    def display_root(self) -> str:
        try:
            return str(self.root.relative_to(Path.cwd()))
        except ValueError:
            return str(self.root)


def find_root(start: Path | None = None, explicit: str | Path | None = None) -> Path:
    """The workspace folder: explicit, else $LAUNCHPAD_WORKSPACE, else the nearest ancestor."""
    named = explicit or os.environ.get(ENV_VARIABLE)
    if named:
        root = Path(named).expanduser().resolve()
        if not (root / SITE_FILE).is_file():
            raise WorkspaceNotFound(phrase("error.no_site_file", root=str(root), file=SITE_FILE),
                                    hint=phrase("error.no_site_file_hint", root=str(root)))
        return root
    here = (start or Path.cwd()).resolve()
    nearest = _nearest(here)
    if nearest is not None:
        return nearest
    raise WorkspaceNotFound(phrase("error.no_site_file_here", file=SITE_FILE, here=str(here)),
                            hint=phrase("error.no_site_file_here_hint"))


def _nearest(here: Path) -> Path | None:
    """The nearest folder from `here` up holding site.yaml."""
    return next((folder for folder in (here, *here.parents) if (folder / SITE_FILE).is_file()), None)


def found_here(root: Path) -> bool:
    """Whether `launchpad` typed in the current folder without `--workspace` opens `root`: it is
    the nearest folder up from there holding site.yaml, and LAUNCHPAD_WORKSPACE, which would
    win, names no other. The variable naming `root` alone is not counted on: it may have been
    set for that one command."""
    named = os.environ.get(ENV_VARIABLE)
    try:
        root = root.resolve()
        if named and Path(named).expanduser().resolve() != root:
            return False
        return _nearest(Path.cwd().resolve()) == root
    except OSError:  # the current folder is gone
        return False


def site_language(explicit: str | Path | None = None) -> str | None:
    """The `language` site.yaml sets, read without checking the rest of the file: what the
    command line speaks before it has parsed its options (`--help`). None when there is no
    workspace, or its site.yaml cannot be read: the help must come whatever the file holds."""
    try:
        data = read_yaml(find_root(explicit=explicit) / SITE_FILE).data
    except (LaunchpadError, OSError, ValueError):
        return None
    site = data.get("site") if isinstance(data, dict) else None
    language = site.get("language") if isinstance(site, dict) else None
    return language if isinstance(language, str) else None


def load_workspace(root: Path) -> Workspace:
    site_file = root / SITE_FILE
    display = _display(site_file)
    document = read_yaml(site_file, display)
    site = validate(Site, document)
    return Workspace(root, site, document.source, found_here=found_here(root))


def open_workspace(explicit: str | Path | None = None) -> Workspace:
    return load_workspace(find_root(explicit=explicit))


def workspace_relative(path: Path, root: Path) -> str:
    """`path` as a person in the workspace names it: relative to the workspace when inside it."""
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
