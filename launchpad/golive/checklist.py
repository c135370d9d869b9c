"""`golive.yaml` in the workspace: the go-live date and version, and every item go-live needs.

    date: 2026-12-20          # 上线日期
    version: V1.0
    items:
      - id: envs
        title: 测试、生产两套环境就绪
        owner: engineer       # a contact id from site.yaml
        due: 2026-12-10
        critical: true        # open on the day, it stops go-live
        proof: {playbook: environment-readiness, env: prod}
      - id: trial-group
        title: 试运行反馈群已建立
        owner: pm
        due: 2026-12-12
        proof: {sign_off: true}
        depends_on: [envs]
      - id: users
        title: 用户数据已导入生产
        owner: engineer
        due: 2026-12-15
        proof: {import: prod}   # or {import: prod, file: 花名册.xlsx}

An item with a proof is done when the proof holds, never by hand (`status: done` is refused on
it); one without a proof carries the status people give it. The file goes through
`yamlsource`, so every mistake (an unknown owner, a dependency cycle) is file:line:col.
"""

from __future__ import annotations

from datetime import date as Date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from launchpad.errors import InvalidInput, Problem, UsageError
from launchpad.phrases import Phrase, phrase
from launchpad.workspace.site import Name, Site
from launchpad.workspace.yamlsource import Document, read_yaml, validate

CHECKLIST_FILE = "golive.yaml"
Status = Literal["todo", "in_progress", "done", "blocked", "not_applicable"]
_AGE = r"^\d+(\.\d+)?\s*[smhd]$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaybookProof(Model):
    """The newest finished run of `playbook` on `env` passed (and, with max_age, recently)."""

    playbook: str = Field(description="Name of a playbook in the workspace or bundled.")
    env: Name = Field(description="Environment of site.yaml the run must have passed on.")
    max_age: Annotated[str, Field(pattern=_AGE)] | None = Field(
        None, description="A pass older than this no longer proves the item: 12h, 7d.")


class BackupProof(Model):
    """A verified backup of every named target (default: all of the environment's) younger
    than max_age."""

    backup: Name = Field(description="Environment whose backups prove the item.")
    targets: list[Name] | None = Field(None, description="Backup targets (default: all of them).")
    max_age: Annotated[str, Field(pattern=_AGE)] = Field(description="e.g. 1d, 12h.")


class ImportProof(Model):
    """The newest user import into `import` (of `file`, when named) was applied and has not
    been rolled back (`launchpad users import`)."""

    import_: Name = Field(alias="import", description="Environment of site.yaml the users were imported into.")
    file: str | None = Field(None, min_length=1, description="The sheet's file name, when one import proves it.")


class ReleaseProof(Model):
    """The newest release record of `release` (a version) is released (`launchpad release`)."""

    release: str = Field(min_length=1, description="The version whose release proves the item, e.g. V1.0.")


class BaselineProof(Model):
    """The newest comparison of `baseline` (an environment) against the baseline found no
    drift of the kinds named (default: any) (`launchpad baseline diff`)."""

    baseline: Name = Field(description="Environment whose comparison with the baseline proves the item.")
    kinds: list[Literal["role", "permission", "dictionary", "dict_item", "post"]] | None = Field(
        None, min_length=1, description="Only drift of these kinds reopens the item (default: any).")


class SignOffProof(Model):
    """Done only when a named person signs it off (`launchpad golive sign`)."""

    sign_off: Literal[True]


def _proof_kind(value: object) -> str | None:
    """Which proof a mapping is, by its leading key, so a mistake in one is reported against
    that kind alone rather than as every kind's missing keys."""
    if isinstance(value, dict):
        return next((key for key in ("playbook", "backup", "import", "release", "baseline", "sign_off")
                     if key in value), None)
    return next((key for key, kind in _KINDS.items() if isinstance(value, kind)), None)


Proof = Annotated[
    Annotated[PlaybookProof, Tag("playbook")] | Annotated[BackupProof, Tag("backup")]
    | Annotated[ImportProof, Tag("import")] | Annotated[ReleaseProof, Tag("release")]
    | Annotated[BaselineProof, Tag("baseline")] | Annotated[SignOffProof, Tag("sign_off")],
    # the message a person reads is the word-book's valid.proof_kind; pydantic's own stays English
    Discriminator(_proof_kind, custom_error_type="proof_kind",
                  custom_error_message="a proof is {playbook: NAME, env: ENV}, {backup: ENV, max_age: 1d}, "
                                       "{import: ENV}, {release: VERSION}, {baseline: ENV} or {sign_off: true}"),
]
_KINDS: dict[str, type[BaseModel]] = {"playbook": PlaybookProof, "backup": BackupProof, "import": ImportProof,
                                      "release": ReleaseProof, "baseline": BaselineProof, "sign_off": SignOffProof}


class Item(Model):
    id: Name
    title: str = Field(min_length=1)
    owner: Name = Field(description="Contact id from site.yaml: the person actually responsible.")
    due: Date = Field(description="The date it must be done by (site time).")
    critical: bool = Field(False, description="Open on the go-live date, it stops go-live.")
    status: Status = Field("todo", description="For items without a proof; blocked and "
                                               "not_applicable need a reason.")
    reason: str = Field("", description="Why it is blocked or not applicable.")
    notes: str = ""
    depends_on: list[Name] = Field(default_factory=list)
    proof: Proof | None = None

    @model_validator(mode="after")
    def _status_fits(self) -> Item:
        if self.status in ("blocked", "not_applicable") and not self.reason.strip():
            raise ValueError(phrase("rule.golive_reason", status=self.status))
        if self.status == "done" and self.proof is not None:
            raise ValueError(phrase("rule.golive_proof_done"))
        return self


class Checklist(Model):
    date: Date = Field(description="The go-live date (site time).")
    version: str = Field(min_length=1, description="The version going live, e.g. V1.0.")
    items: list[Item] = Field(default_factory=list)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


def read_checklist(path: Path, display: str = CHECKLIST_FILE) -> tuple[Checklist, Document]:
    document = read_yaml(path, display)
    if not isinstance(document.data, dict):
        raise InvalidInput([Problem(display, 1, 1, phrase("golive.expected_top"))])
    return validate(Checklist, document), document


def load_checklist(root: Path, site: Site, playbook_names: set[str]) -> Checklist:
    """The workspace's checklist, checked against the site and the playbooks it names."""
    path = root / CHECKLIST_FILE
    if not path.exists():
        raise UsageError(phrase("golive.no_checklist", file=CHECKLIST_FILE, root=str(root)),
                         hint=phrase("golive.no_checklist_hint", file=CHECKLIST_FILE))
    checklist, document = read_checklist(path)
    problems = checklist_problems(checklist, document, site, playbook_names)
    if problems:
        raise InvalidInput(problems, hint=phrase("error.golive_fix_checklist", file=CHECKLIST_FILE))
    return checklist


def checklist_problems(checklist: Checklist, document: Document, site: Site,
                       playbook_names: set[str]) -> list[Problem]:
    """What the schema cannot see: owners, environments, targets and playbooks the workspace
    lacks, repeated ids, dependencies on unknown items and dependency cycles."""
    source = document.source
    problems: list[Problem] = []
    contacts = {c.id for c in site.contacts}
    seen: set[str] = set()
    for index, item in enumerate(checklist.items):
        where = ("items", index)
        if item.id in seen:
            problems.append(source.problem((*where, "id"), phrase("error.golive_id_twice", id=item.id)))
        seen.add(item.id)
        if item.owner not in contacts:
            known = sorted(contacts) or phrase("error.golive_none")
            problems.append(source.problem((*where, "owner"),
                                           phrase("error.golive_not_contact", owner=item.owner, contacts=known)))
        problems += _proof_problems(item, (*where, "proof"), document, site, playbook_names)
    ids = {i.id for i in checklist.items}
    for index, item in enumerate(checklist.items):
        for position, other in enumerate(item.depends_on):
            if other not in ids:
                problems.append(source.problem(("items", index, "depends_on", position),
                                               phrase("error.golive_unknown_dependency", item=other)))
    problems += _cycle_problems(checklist, document)
    return problems


def _proof_problems(item: Item, where: tuple[str | int, ...], document: Document, site: Site,
                    playbook_names: set[str]) -> list[Problem]:
    proof, source = item.proof, document.source
    if isinstance(proof, PlaybookProof):
        found = []
        if proof.playbook not in playbook_names:
            known = sorted(playbook_names) or phrase("error.golive_none")
            found.append(source.problem((*where, "playbook"),
                                        phrase("error.golive_no_playbook", name=proof.playbook, known=known)))
        if proof.env not in site.environments:
            found.append(source.problem((*where, "env"), _no_env(proof.env, site)))
        return found
    if isinstance(proof, BackupProof):
        env = site.environments.get(proof.backup)
        if env is None:
            return [source.problem((*where, "backup"), _no_env(proof.backup, site))]
        return [source.problem((*where, "targets", i),
                               phrase("error.golive_no_backup_target", env=proof.backup, name=name))
                for i, name in enumerate(proof.targets or []) if name not in env.backups]
    if isinstance(proof, ImportProof) and proof.import_ not in site.environments:
        return [source.problem((*where, "import"), _no_env(proof.import_, site))]
    if isinstance(proof, BaselineProof) and proof.baseline not in site.environments:
        return [source.problem((*where, "baseline"), _no_env(proof.baseline, site))]
    return []


def _no_env(env: str, site: Site) -> Phrase:
    """A proof's environment that site.yaml lacks, with those it has: a typo is seen at once."""
    return phrase("error.golive_no_env", env=env, known=list(site.environments) or phrase("error.golive_none"))


def _cycle_problems(checklist: Checklist, document: Document) -> list[Problem]:
    """Each cycle once, located at the dependency that closes it."""
    depends = {i.id: list(i.depends_on) for i in checklist.items}
    index_of = {item.id: n for n, item in enumerate(checklist.items)}
    problems, finished, reported = [], set(), set()

    def visit(node: str, trail: list[str]) -> None:
        if node in finished:
            return
        for position, other in enumerate(depends.get(node, [])):
            if other in trail:
                cycle = [*trail[trail.index(other):], node, other]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.append(document.source.problem(
                        ("items", index_of[node], "depends_on", position),
                        phrase("error.golive_cycle", items=" → ".join(cycle))))
            elif other in depends:
                visit(other, [*trail, node])
        finished.add(node)

    for item in checklist.items:
        visit(item.id, [])
    return problems


def checklist_json_schema() -> dict[str, object]:
    return Checklist.model_json_schema()


def checklist_file_problems(root: Path, site: Site, playbook_names: set[str]) -> list[Problem]:
    """For `launchpad check`: the checklist's mistakes, when the workspace has one."""
    path = root / CHECKLIST_FILE
    if not path.exists():
        return []
    try:
        checklist, document = read_checklist(path)
    except InvalidInput as exc:
        return exc.problems
    return checklist_problems(checklist, document, site, playbook_names)
