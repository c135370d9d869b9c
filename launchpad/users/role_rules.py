"""Roles that follow the organisation: rules in the workspace's `roles/rules.yaml` say which
users get (and lose) which roles, by unit path, unit level (depth in the tree: the root is 1),
post, and a role the user already has. Rules apply in order, each to the roles the earlier
ones left; a user no rule matches keeps their roles.

On site these assignments used to be a developer's hand-written SQL. Here the rules are read
through `yamlsource` (a mistake is file:line:col), checked against the live target (a role
key, unit or post it does not have is a problem, located in the file), and evaluated into a
preview: per user, the roles now and after. `role_apply` writes exactly that preview.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.errors import InvalidInput, Problem, UsageError
from launchpad.phrases import Phrase, phrase
from launchpad.users.profile import FieldName
from launchpad.users.state import UNIT, TargetState
from launchpad.workspace.yamlsource import SourceMap, read_yaml, validate

RULES_FILE = Path("roles") / "rules.yaml"
SEPARATOR = "/"
GLOB = set("*?[")

Key = Annotated[str, Field(min_length=1, max_length=100)]
OneOrMore = Key | list[Key]


def _many(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Model):
    name: Annotated[str, Field(min_length=1, max_length=100, description="Shown in the preview's counts.")]
    unit: OneOrMore | None = Field(None, description="Unit path(s) from the root, e.g. 某某局/办公室: the unit and "
                                                     "every unit under it; with * ? [ ] a glob on the whole path.")
    level: int | list[int] | None = Field(None, description="Depth of the user's unit in the tree (the root is 1).")
    post: OneOrMore | None = Field(None, description="Post code(s) or name(s): the user holds one of them.")
    has_role: OneOrMore | None = Field(None, description="Role key(s): the user has one of them (after the "
                                                         "earlier rules).")
    add: list[Key] = Field(default_factory=list, description="Role keys the matched users get.")
    remove: list[Key] = Field(default_factory=list, description="Role keys the matched users lose.")

    @model_validator(mode="after")
    def _does_something(self) -> Rule:
        if not self.add and not self.remove:
            raise ValueError(phrase("rule.roles_does_nothing"))
        both = set(self.add) & set(self.remove)
        if both:
            raise ValueError(phrase("rule.roles_both", role=sorted(both)[0]))
        if self.unit is None and self.level is None and self.post is None and self.has_role is None:
            raise ValueError(phrase("rule.roles_matches_all"))
        if any(n < 1 for n in ([self.level] if isinstance(self.level, int) else self.level or [])):
            raise ValueError(phrase("rule.roles_level"))
        return self

    @property
    def units(self) -> list[str]:
        return _many(self.unit)

    @property
    def levels(self) -> set[int]:
        return set() if self.level is None else {self.level} if isinstance(self.level, int) else set(self.level)

    @property
    def posts(self) -> list[str]:
        return _many(self.post)

    @property
    def roles_held(self) -> list[str]:
        return _many(self.has_role)


class RulesFile(_Model):
    target: FieldName = Field("ruoyi", description="The target profile (imports/targets/NAME.yaml, or bundled).")
    database: str | None = Field(None, description="The environment's database (default: its only one).")
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self) -> RulesFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise ValueError(phrase("rule.roles_twice", name=rule.name))
            seen.add(rule.name)
        return self


@dataclass
class LoadedRules:
    rules: RulesFile
    source: SourceMap
    display: str
    sha256: str


def rules_json_schema() -> dict[str, Any]:
    return dict(RulesFile.model_json_schema())


def find_rules(root: Path | None, given: str | None) -> Path:
    if given is not None:
        path = Path(given)
        if not path.is_file() and root is not None and (root / given).is_file():
            path = root / given
        if not path.is_file():
            hint = phrase("users.no_rules_file_hint", cwd=str(Path.cwd()), root=str(root), default=RULES_FILE) \
                if root is not None else phrase("users.no_such_file_hint", cwd=str(Path.cwd()))
            raise UsageError(phrase("users.no_rules_file", file=str(given)), hint=hint)
        return path
    if root is None or not (root / RULES_FILE).is_file():
        raise UsageError(phrase("users.no_rules_here", file=RULES_FILE), hint=phrase("users.no_rules_here_hint"))
    return root / RULES_FILE


def load_rules(path: Path, display: str | None = None) -> LoadedRules:
    document = read_yaml(path, display or str(path))
    rules = validate(RulesFile, document)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LoadedRules(rules, document.source, document.source.file, digest)


def rules_file_problems(root: Path) -> list[Problem]:
    """`launchpad check`: the workspace's rules file as a file (the target's roles, units and
    posts are checked by `roles preview`, which reads them)."""
    if not (root / RULES_FILE).is_file():
        return []
    try:
        load_rules(root / RULES_FILE, str(RULES_FILE))
    except InvalidInput as exc:
        return list(exc.problems)
    return []


@dataclass(frozen=True)
class RoleChange:
    user_id: str
    account: str
    name: str
    unit: str  # the unit's path
    posts: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    rules: tuple[str, ...]  # the rules that changed something for this user

    @property
    def added(self) -> list[str]:
        return sorted(set(self.after) - set(self.before))

    @property
    def removed(self) -> list[str]:
        return sorted(set(self.before) - set(self.after))

    def as_json(self) -> dict[str, Any]:
        return {"account": self.account, "name": self.name, "unit": self.unit, "posts": list(self.posts),
                "before": list(self.before), "after": list(self.after), "added": self.added,
                "removed": self.removed, "rules": list(self.rules), "user_id": self.user_id}


@dataclass
class Preview:
    changes: list[RoleChange]
    per_rule: dict[str, int]  # rule name → users it changed
    per_unit: dict[str, int]  # unit path → users changed
    matched: dict[str, int] = field(default_factory=dict)  # rule name → users it matched

    def digest(self) -> str:
        body = [[c.user_id, list(c.before), list(c.after)] for c in self.changes]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode("utf-8")).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {"changes": [c.as_json() for c in self.changes], "per_rule": self.per_rule,
                "per_unit": self.per_unit, "matched": self.matched, "digest": self.digest()}


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


def _parts(text: str) -> tuple[str, ...]:
    return tuple(_fold(p) for p in text.split(SEPARATOR) if p.strip())


def unit_matches(pattern: str, path: tuple[str, ...]) -> bool:
    """A plain path names a unit and everything under it; one with * ? [ ] is a glob on the
    whole path (so 某某局/*/综合科 is every 综合科 one level below the root's children)."""
    if GLOB & set(pattern):
        return fnmatch.fnmatchcase(SEPARATOR.join(_fold(p) for p in path), SEPARATOR.join(_parts(pattern)))
    wanted = _parts(pattern)
    return bool(wanted) and tuple(_fold(p) for p in path[:len(wanted)]) == wanted


def check_rules(loaded: LoadedRules, state: TargetState) -> None:
    """Every role key, unit and post the rules name must exist in the target: what does not is
    a problem at its place in the file, and nothing is previewed."""
    problems: list[Problem] = []
    paths = [d.path for d in state.departments]
    for i, rule in enumerate(loaded.rules.rules):
        where = ("rules", i)
        for kind in ("add", "remove", "has_role"):
            keys = getattr(rule, kind) if kind != "has_role" else rule.roles_held
            for j, key in enumerate(keys):
                if key not in state.roles:
                    at = (*where, kind, j) if isinstance(getattr(rule, kind), list) else (*where, kind)
                    problems.append(loaded.source.problem(at, phrase("users.rule_no_role", rule=rule.name, role=key,
                                                                     known=_some(state.roles))))
        for j, pattern in enumerate(rule.units):
            if not any(unit_matches(pattern, p) for p in paths):
                at = (*where, "unit", j) if isinstance(rule.unit, list) else (*where, "unit")
                problems.append(loaded.source.problem(at, phrase("users.rule_no_unit", rule=rule.name,
                                                                 pattern=pattern)))
        for j, post in enumerate(rule.posts):
            if post.casefold() not in state.posts:
                at = (*where, "post", j) if isinstance(rule.post, list) else (*where, "post")
                codes = sorted(set(state.posts.values()))
                problems.append(loaded.source.problem(at, phrase("users.rule_no_post", rule=rule.name, post=post,
                                                                 known=codes or phrase("sweep.none"))))
    if problems:
        raise InvalidInput(problems, hint=phrase("users.rules_fix_hint"))


def _some(names: dict[str, str]) -> Phrase | list[str]:
    shown = sorted(names)
    if not shown:
        return phrase("sweep.none")
    return phrase("more", text=shown[:12], count=len(shown) - 12) if len(shown) > 12 else shown


def preview(loaded: LoadedRules, state: TargetState) -> Preview:
    """Every user's roles after the rules; only the users whose roles change are listed."""
    check_rules(loaded, state)
    rules = loaded.rules.rules
    units = {str(d.id): d.path for d in state.departments}
    key_field = state.profile.users.key
    per_rule = {r.name: 0 for r in rules}
    matched = {r.name: 0 for r in rules}
    changes: list[RoleChange] = []
    for user in sorted(state.users.values(), key=lambda u: u.values.get(key_field, "")):
        path = units.get(user.values.get(UNIT, ""), ())
        posts = {p.casefold() for p in user.posts}
        roles = set(user.roles)
        changed_by: list[str] = []
        for rule in rules:
            if not _matches(rule, path, posts, roles, state):
                continue
            matched[rule.name] += 1
            after = (roles | set(rule.add)) - set(rule.remove)
            if after != roles:
                changed_by.append(rule.name)
            roles = after
        if roles != user.roles:
            for name in changed_by:
                per_rule[name] += 1
            changes.append(RoleChange(user.id, user.values.get(key_field, ""), user.values.get("nick_name", ""),
                                      SEPARATOR.join(path), tuple(sorted(user.posts)), tuple(sorted(user.roles)),
                                      tuple(sorted(roles)), tuple(changed_by)))
    per_unit: dict[str, int] = {}
    for change in changes:
        per_unit[change.unit] = per_unit.get(change.unit, 0) + 1
    return Preview(changes, per_rule, dict(sorted(per_unit.items())), matched)


def _matches(rule: Rule, path: tuple[str, ...], posts: set[str], roles: set[str], state: TargetState) -> bool:
    if rule.units and not any(unit_matches(p, path) for p in rule.units):
        return False
    if rule.levels and len(path) not in rule.levels:
        return False
    if rule.posts and not {state.posts[p.casefold()].casefold() for p in rule.posts} & posts:
        return False
    return not (rule.roles_held and not set(rule.roles_held) & roles)
