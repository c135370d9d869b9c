"""What to compare and which differences are expected: `config-expect.yaml` in the workspace.

    app:                                   # a section: `config_diff` steps and `--section` name it
      files:
        - {hosts: app, path: /opt/app/conf/application.properties}
        - hosts: app
          path: {test: /opt/app-test/.env, prod: /opt/app/.env}   # per environment
          format: env                                              # when the name does not say
      expect:
        - {key: spring.datasource.url, may: differ, why: 每个环境各用自己的数据库}
        - {key: "group.gateway.*", must: differ, why: 生产不得调用集团测试接口}

Every difference not declared here fails the comparison. Rules are tried in order and the
first whose `key` (and `file`, if given) glob matches decides. The file is read through
`yamlsource`, so a mistake in it is reported as file:line:col.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from launchpad.configdiff.formats import Format, format_for
from launchpad.errors import InvalidInput, Problem, UsageError
from launchpad.phrases import Phrase, parts, phrase
from launchpad.workspace.site import Site
from launchpad.workspace.yamlsource import Document, read_yaml, validate

EXPECTATIONS_FILE = "config-expect.yaml"
Allowance = Literal["differ", "be_missing", "differ_between_hosts"]


class ConfigFile(BaseModel):
    """One configuration file, read from every host of a group in each environment."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    hosts: str = Field(description="Host group (or host name) holding the file.")
    path: str | dict[str, str] = Field(description="Its path, or its path per environment.")
    format: Format | None = Field(None, description="properties, yaml, json, ini or env; default: from the name.")
    name: str | None = Field(None, description="How reports name it; default: the file's name.")

    @model_validator(mode="after")
    def _format_known(self) -> ConfigFile:
        paths = [self.path] if isinstance(self.path, str) else list(self.path.values())
        if not paths or any(not p.strip() for p in paths):
            raise ValueError(phrase("rule.expect_path"))
        if self.format is None and any(format_for(p) is None for p in paths):
            raise ValueError(phrase("rule.expect_format"))
        return self

    def path_in(self, env_name: str) -> str | None:
        return self.path if isinstance(self.path, str) else self.path.get(env_name)

    def format_of(self, path: str) -> Format:
        found = self.format or format_for(path)
        assert found is not None  # the validator guarantees it
        return found

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        first = self.path if isinstance(self.path, str) else next(iter(self.path.values()))
        return PurePosixPath(first).name


class KeyRule(BaseModel):
    """A declared difference: `may: differ`, `may: be_missing`, `may: differ_between_hosts`,
    or `must: differ` (the key exists in both and the values are not equal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(min_length=1, description="Glob over dotted keys: spring.datasource.*, servers[*].host.")
    file: str | None = Field(None, description="Glob over the file's name, to narrow the rule to some files.")
    may: Allowance | None = None
    must: Literal["differ"] | None = None
    why: str = Field("", description="Why, in the reader's words; shown beside the difference.")

    @model_validator(mode="after")
    def _one_verdict(self) -> KeyRule:
        if (self.may is None) == (self.must is None):
            raise ValueError(phrase("rule.expect_verdict"))
        return self

    @property
    def verdict(self) -> str:
        return f"must_{self.must}" if self.must else f"may_{self.may}"

    def matches(self, file_label: str, key: str) -> bool:
        # `[` is literal, since list items are named `servers[0].host`; `*` and `?` stay globs.
        pattern = self.key.replace("[", "[[]")
        return fnmatchcase(key, pattern) and (self.file is None or fnmatchcase(file_label, self.file))


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    files: list[ConfigFile] = Field(default_factory=list)
    expect: list[KeyRule] = Field(default_factory=list)


class Expectations(RootModel[dict[str, Section]]):
    pass


class Plan(BaseModel):
    """The files and rules of one comparison (a section, several, or a step's own)."""

    model_config = ConfigDict(frozen=True)
    files: list[ConfigFile]
    rules: list[KeyRule]

    def rule_for(self, file_label: str, key: str) -> KeyRule | None:
        return next((r for r in self.rules if r.matches(file_label, key)), None)


def load_plan(
    path: Path, display: str, site: Site, envs: tuple[str, str], sections: list[str],
    files: list[ConfigFile] | None = None,
) -> Plan:
    """The comparison's files and rules: the named sections (all of them when none is named
    and no files are given directly), then files given directly (a step's own). The file is
    needed unless files are given; every mistake in it is located as file:line:col."""
    if not path.exists() and not files:
        raise UsageError(phrase("config.no_plan", file=display), hint=phrase("config.no_plan_hint", file=display))
    read = _read(path, display) if (path.exists() or sections) else None
    known = read[0].root if read is not None else {}
    for name in sections:
        if name not in known:
            raise UsageError(phrase("config.no_section_named", name=name, file=display),
                             hint=phrase("config.sections_hint", names=list(known) or phrase("config.none")))
    chosen = sections or ([] if files else list(known))
    if read is not None:
        problems = [p for name in chosen for p in _section_problems(*read, name, site, envs)]
        if problems:
            raise InvalidInput(problems)
    own = _own_file_problems(files or [], site, envs)
    if own:
        raise UsageError(parts(own), hint=phrase("config.own_hint"))
    plan_files = [f for name in chosen for f in known[name].files] + list(files or [])
    if not plan_files:
        raise UsageError(phrase("config.nothing", file=display), hint=phrase("config.nothing_hint"))
    return Plan(files=plan_files, rules=[r for name in chosen for r in known[name].expect])


def _own_file_problems(files: list[ConfigFile], site: Site, envs: tuple[str, str]) -> list[Phrase]:
    """A step's own files, checked as a section's are (the playbook's own check cannot know
    which two environments will meet)."""
    problems: list[Phrase] = []
    for index, file in enumerate(files):
        for env_name in envs:
            if not site.environments[env_name].hosts_in(file.hosts):
                problems.append(phrase("config.own_no_host", index=index, label=file.label, env=env_name,
                                       group=file.hosts))
            if file.path_in(env_name) is None:
                problems.append(phrase("config.own_no_path", index=index, label=file.label, env=env_name))
    return problems


def _read(path: Path, display: str) -> tuple[Expectations, Document]:
    document = read_yaml(path, display)
    if not isinstance(document.data, dict):
        raise InvalidInput([Problem(display, 1, 1, phrase("config.expected_sections"))])
    return validate(Expectations, document), document


def _section_problems(
    expectations: Expectations, document: Document, name: str, site: Site, envs: tuple[str, str]
) -> list[Problem]:
    problems = []
    for index, file in enumerate(expectations.root[name].files):
        where = (name, "files", index)
        if isinstance(file.path, dict):
            problems += [
                document.source.problem((*where, "path", env), phrase("config.env_not_in_site", env=env), at_key=True)
                for env in file.path if env not in site.environments
            ]
        for env_name in envs:
            if not site.environments[env_name].hosts_in(file.hosts):
                problems.append(document.source.problem(
                    (*where, "hosts"), phrase("config.no_host_in_group", env=env_name, group=file.hosts)))
            if file.path_in(env_name) is None:
                problems.append(document.source.problem(
                    (*where, "path"), phrase("config.no_path_for", env=env_name)))
    return problems


def expectation_problems(path: Path, display: str, site: Site) -> list[Problem]:
    """For `launchpad check`: the expectations file's mistakes, and groups or environments
    that no environment of site.yaml has, before a comparison meets them at 23:00."""
    if not path.exists():
        return []
    try:
        expectations, document = _read(path, display)
    except InvalidInput as exc:
        return exc.problems
    groups = set().union(*(env.groups() for env in site.environments.values()))
    problems = []
    for name, section in expectations.root.items():
        for index, file in enumerate(section.files):
            where = (name, "files", index)
            if file.hosts not in groups:
                problems.append(document.source.problem(
                    (*where, "hosts"), phrase("config.group_nowhere", group=file.hosts)))
            for env in file.path if isinstance(file.path, dict) else {}:
                if env not in site.environments:
                    problems.append(document.source.problem(
                        (*where, "path", env), phrase("config.env_not_in_site", env=env), at_key=True))
    return problems
