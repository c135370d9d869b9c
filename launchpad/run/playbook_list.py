"""The playbooks a workspace can run, each checked against site.yaml, as the TUI's playbook list
shows them (the CLI finds one by name with `find_playbook`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchpad.errors import Problem
    from launchpad.run.playbook import LoadedPlaybook
    from launchpad.workspace.folder import Workspace


# The bundled playbooks in the order a site goes live (environments, users, roles and
# dictionaries, backups, the release, acceptance, then monitoring during the trial run), so the
# list reads as the way there; a site's own playbooks follow by name.
GO_LIVE_ORDER = ("environment-readiness", "user-import", "roles-and-dictionaries", "pre-release-backup",
                 "after-hours-release", "onsite-acceptance", "daily-monitoring")


@dataclass(frozen=True)
class PlaybookEntry:
    """One playbook file as the playbook list shows it: loaded, or why it cannot be."""

    path: Path
    name: str
    bundled: bool
    loaded: LoadedPlaybook | None
    problems: tuple[Problem, ...]

    @property
    def usable(self) -> bool:
        return self.loaded is not None and not self.problems

    @property
    def title(self) -> str:
        return self.loaded.playbook.title if self.loaded else self.name


def read_playbooks(workspace: Workspace) -> list[PlaybookEntry]:
    """Every playbook the workspace can run (workspace copies hide bundled ones), each checked
    against site.yaml so the list can say which cannot run, and where the problem is."""
    from launchpad.errors import InvalidInput
    from launchpad.run.playbook import BUNDLED_DIR, check_against_site, list_playbooks, load_playbook
    from launchpad.workspace.folder import workspace_relative

    entries = []
    for path in list_playbooks(workspace.root):
        bundled = path.parent.resolve() == BUNDLED_DIR.resolve()
        display = path.name if bundled else workspace_relative(path, workspace.root)
        try:
            loaded = load_playbook(path, display)
        except InvalidInput as exc:
            entries.append(PlaybookEntry(path, path.stem, bundled, None, tuple(exc.problems)))
            continue
        problems = tuple(check_against_site(loaded, workspace.site))
        entries.append(PlaybookEntry(path, loaded.playbook.name, bundled, loaded, problems))
    return sorted(entries, key=_go_live_place)


def _go_live_place(entry: PlaybookEntry) -> tuple[int, str]:
    place = GO_LIVE_ORDER.index(entry.name) if entry.name in GO_LIVE_ORDER else len(GO_LIVE_ORDER)
    return place, entry.name


def load_run_playbook(workspace: Workspace, playbook_name: str) -> LoadedPlaybook:
    """The playbook of a stored run, found by its name as `launchpad run NAME --resume` finds it."""
    from launchpad.run.playbook import find_playbook, load_playbook

    return load_playbook(find_playbook(playbook_name, workspace.root))
