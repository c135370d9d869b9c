"""Judging what was read: key by key, between the hosts of each environment and between the
two environments, against the declared rules.

Every difference is a `Finding`; one a rule allows is `declared` and reported, any other
fails the comparison. So do files that could not be read, groups without hosts, and a
`must: differ` rule that matched no key (a typo in its glob would otherwise check nothing and
read as passed). Values are shown through the `Masker`, never as read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from launchpad.configdiff.expectations import ConfigFile, KeyRule, Plan
from launchpad.configdiff.formats import Flat
from launchpad.configdiff.masking import Masker, printable
from launchpad.phrases import Phrase, Said, parts, phrase

Kind = Literal["differs", "missing", "equal", "hosts_disagree", "unreadable", "no_hosts", "rule_unused"]
SHOWN_CHARS = 160
LISTED = 5
_DISAGREE = object()  # an environment whose hosts hold different values has no one value


@dataclass(frozen=True)
class Reading:
    """One file as read from one host: its keys, or why it could not be read."""

    env: str
    host: str
    file_index: int
    keys: Flat | None = None
    error: Said | None = None


@dataclass(frozen=True)
class Finding:
    file: str
    key: str
    kind: Kind
    declared: bool
    values: tuple[tuple[str, Said], ...] = ()  # (env or env/host, value as it may be shown)
    rule: KeyRule | None = None
    secret: bool = False

    def said(self) -> Phrase:
        values = [phrase("config.value", where=where, value=value) for where, value in self.values]
        text = Phrase(f"config.{self.kind}", {"file": self.file, "key": printable(self.key), "values": values})
        if self.rule is None:
            return text
        # A declared difference says which rule allows it; a broken rule says why it exists.
        key = "config.declared" if self.declared else "config.rule_broken"
        rule = phrase(f"config.rule.{self.rule.verdict}")
        if self.rule.why:
            return phrase(f"{key}_why", text=text, rule=rule, why=self.rule.why)
        return phrase(key, text=text, rule=rule)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "key": self.key, "kind": self.kind, "declared": self.declared,
            "secret": self.secret, "values": {where: str(value) for where, value in self.values},
            "rule": self.rule.verdict if self.rule else None, "why": self.rule.why if self.rule else "",
            "text": str(self.said()),
        }


@dataclass
class ConfigDiff:
    envs: tuple[str, str]
    files: int = 0
    keys: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def undeclared(self) -> list[Finding]:
        return [f for f in self.findings if not f.declared]

    @property
    def declared(self) -> list[Finding]:
        return [f for f in self.findings if f.declared]

    @property
    def passed(self) -> bool:
        return not self.undeclared

    def summary(self) -> Phrase:
        first, second = self.envs
        if self.passed:
            return phrase("config.all_declared", env=first, other=second, files=self.files, keys=self.keys,
                          declared=len(self.declared))
        listed: Said = parts([f.said() for f in self.undeclared[:LISTED]])
        if len(self.undeclared) > LISTED:
            listed = phrase("more", text=listed, count=len(self.undeclared) - LISTED)
        return phrase("config.undeclared", count=len(self.undeclared), env=first, other=second, details=listed)

    def as_dict(self) -> dict[str, Any]:
        return {"environments": list(self.envs), "files": self.files, "keys": self.keys, "passed": self.passed,
                "undeclared": [f.as_dict() for f in self.undeclared],
                "declared": [f.as_dict() for f in self.declared], "summary": str(self.summary())}


def compare(plan: Plan, envs: tuple[str, str], readings: Sequence[Reading], masker: Masker | None = None) -> ConfigDiff:
    judge = _Judge(plan, envs, masker or Masker())
    for index, file in enumerate(plan.files):
        judge.file(file, [r for r in readings if r.file_index == index])
    judge.unused_rules()
    return judge.result


class _Judge:
    def __init__(self, plan: Plan, envs: tuple[str, str], masker: Masker) -> None:
        self.plan, self.envs, self.masker = plan, envs, masker
        self.result = ConfigDiff(envs)
        self.used: set[int] = set()

    def rule(self, file: ConfigFile, key: str) -> KeyRule | None:
        found = self.plan.rule_for(file.label, key)
        if found is not None:
            self.used.add(id(found))
        return found

    def shown(self, key: str, value: str | None) -> tuple[Said, bool]:
        if value is None:
            return phrase("config.absent"), False
        if value == "":
            return phrase("config.empty"), False
        text, secret = self.masker.shown(key, value)
        text = printable(text)
        return (text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"), secret

    def add(self, file: ConfigFile, key: str, kind: Kind, values: list[tuple[str, str | None]],
            rule: KeyRule | None = None, declared: bool = False) -> None:
        shown = [(where, *self.shown(key, value)) for where, value in values]
        self.result.findings.append(Finding(
            file.label, key, kind, declared, tuple((where, text) for where, text, _ in shown), rule,
            any(secret for _, _, secret in shown)))

    def file(self, file: ConfigFile, readings: list[Reading]) -> None:
        self.result.files += 1
        views: dict[str, dict[str, Any]] = {}
        for env in self.envs:
            mine = [r for r in readings if r.env == env]
            if not mine:
                self.result.findings.append(Finding(file.label, "", "no_hosts", False, ((env, file.hosts),)))
            for bad in (r for r in mine if r.keys is None):
                self.result.findings.append(Finding(
                    file.label, "", "unreadable", False, ((f"{env}/{bad.host}", bad.error or ""),)))
            good = [r for r in mine if r.keys is not None]
            if good:
                views[env] = self.env_view(file, env, good)
        if len(views) == 2:
            self.across(file, views[self.envs[0]], views[self.envs[1]])

    def env_view(self, file: ConfigFile, env: str, readings: list[Reading]) -> dict[str, Any]:
        """Each key's value in the environment, or _DISAGREE where its hosts differ."""
        view: dict[str, Any] = {}
        keys = sorted({key for r in readings for key in r.keys or {}})
        for key in keys:
            # Looked up for every key read, so a rule counts as used even when the other
            # environment's file could not be read (that is a finding of its own).
            rule = self.rule(file, key)
            values = [(r.host, (r.keys or {}).get(key)) for r in readings]
            if len({value for _, value in values}) == 1:
                if values[0][1] is not None:
                    view[key] = values[0][1]
                continue
            view[key] = _DISAGREE
            declared = rule is not None and rule.may == "differ_between_hosts"
            self.add(file, key, "hosts_disagree", [(f"{env}/{h}", v) for h, v in values], rule, declared)
        return view

    def across(self, file: ConfigFile, first: dict[str, Any], second: dict[str, Any]) -> None:
        keys = sorted(set(first) | set(second))
        self.result.keys += len(keys)
        for key in keys:
            a, b = first.get(key), second.get(key)
            if a is _DISAGREE or b is _DISAGREE:
                continue  # already reported; per-host values have no one value to compare
            rule = self.rule(file, key)
            values = [(self.envs[0], a), (self.envs[1], b)]
            if a is None or b is None:
                self.add(file, key, "missing", values, rule, rule is not None and rule.may == "be_missing")
            elif a == b:
                if rule is not None and rule.must == "differ":
                    self.add(file, key, "equal", values, rule)
            else:
                self.add(file, key, "differs", values, rule, declared=rule is not None)

    def unused_rules(self) -> None:
        for rule in self.plan.rules:
            if rule.must == "differ" and id(rule) not in self.used:
                self.result.findings.append(Finding(rule.file or "*", rule.key, "rule_unused", False, rule=rule))
