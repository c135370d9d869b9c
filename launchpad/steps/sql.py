"""`sql`: one query on a database of the environment, with parameters, judged by the rows it
returns (exact rows, a row count, or the first value). It runs through the database's own
client on the host that reaches it (`via`), with the credentials on a file descriptor of the
command (`launchpad.backup.envelope`), never on a command line or left on disk; values travel
as parameters, never spliced into the SQL (see `launchpad.backup.sqlquery`). Chinese text,
NULLs, tabs and newlines come back as they are."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from launchpad.phrases import Phrase, phrase
from launchpad.run.events import CommandSent
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec

KEPT_ROWS = 50
Param = str | int | float | bool | None


class SqlExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rows: list[list[Any]] | None = Field(None, description="The exact rows, in order.")
    row_count: int | None = Field(None, ge=0)
    min_rows: int | None = Field(None, ge=0)
    max_rows: int | None = Field(None, ge=0)
    value: Any = Field(None, description="The first column of the first row (null: SQL NULL).")


class SqlStep(StepSpec):
    kind: Literal["sql"]
    database: str = Field(description="A key of the environment's databases.")
    query: str = Field(description="One statement; :name marks a parameter.")
    params: dict[str, Param] = Field(default_factory=dict, description="Values of the :name parameters.")
    expect: SqlExpect = Field(default_factory=SqlExpect)

    def references(self) -> list[Reference]:
        return [*super().references(), Reference("database", "database", (self.database,))]

    @field_validator("params")
    @classmethod
    def _names(cls, params: dict[str, Param]) -> dict[str, Param]:
        import re

        for name in params:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,40}", name):
                raise ValueError(phrase("rule.sql_param", name=name))
        return params

    def describe(self) -> str:
        return self.description or self.query.strip()


def same(actual: Any, expected: Any) -> bool:
    """Client tools answer text: 42 matches '42', 1.5 matches '1.50', true matches 't' or '1'."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool):
        return str(actual).lower() in (("1", "t", "true") if expected else ("0", "f", "false"))
    if isinstance(expected, int | float) and not isinstance(actual, bool):
        try:
            return Decimal(str(actual)) == Decimal(str(expected))
        except InvalidOperation:
            return False
    return str(actual) == str(expected)


def judge(expect: SqlExpect, rows: tuple[tuple[Any, ...], ...]) -> Phrase | None:
    """Why the rows miss the expectation, or None. Values are shown as Python literals so that
    None, '' and '0' stay distinguishable."""
    count = len(rows)
    if expect.row_count is not None and count != expect.row_count:
        return phrase("sql.count", count=count, expected=expect.row_count)
    if expect.min_rows is not None and count < expect.min_rows:
        return phrase("sql.count_min", count=count, expected=expect.min_rows)
    if expect.max_rows is not None and count > expect.max_rows:
        return phrase("sql.count_max", count=count, expected=expect.max_rows)
    if expect.rows is not None:
        if count != len(expect.rows):
            return phrase("sql.count", count=count, expected=len(expect.rows))
        for number, (got, wanted) in enumerate(zip(rows, expect.rows, strict=True), 1):
            if len(got) != len(wanted) or not all(same(a, e) for a, e in zip(got, wanted, strict=True)):
                return phrase("sql.row_differs", number=number, got=repr(list(got)), wanted=repr(wanted))
    if "value" in expect.model_fields_set:
        if not rows or not rows[0]:
            return phrase("sql.no_value", wanted=repr(expect.value))
        if not same(rows[0][0], expect.value):
            return phrase("sql.value_differs", got=repr(rows[0][0]), wanted=repr(expect.value))
    return None


def run_sql(step: SqlStep, ctx: StepContext) -> StepOutcome:
    from launchpad.backup.hostshell import HostShell
    from launchpad.backup.sqlclient import DbAccess
    from launchpad.backup.sqlquery import run_query, secret_files
    from launchpad.backup.targets import transport_for_host
    from launchpad.workspace.secrets import resolve_secret

    database = ctx.environment.databases.get(step.database)
    if database is None:
        return StepOutcome("failed", phrase("sql.no_database", name=step.database, env=ctx.env_name,
                                            names=list(ctx.environment.databases) or "-"))
    password = None
    if database.password is not None:
        password = resolve_secret(database.password, ask=getattr(ctx.prompter, "secret", None),
                                  label=phrase("secret.database_password", name=step.database, env=ctx.env_name))
    access = DbAccess(database.engine, database.name, database.host, database.port, database.user, password)
    root = ctx.workspace_root or Path.cwd()
    transport, local = transport_for_host(ctx.environment, database.via, ctx.transport_for, root)
    shell = HostShell(transport, lambda action, target, detail: ctx.audit(
        action, target, {**detail, "step": ctx.step_id, "query": step.query, "params": sorted(step.params)}),
        local=local)
    ctx.emit(CommandSent(ctx.run_id, ctx.step_id, shell.name, step.query))
    with shell.private_dir(secret_files(access)) as tmp:
        result = run_query(shell, tmp, access, step.query, dict(step.params))
    problem = judge(step.expect, result.rows)
    evidence = {"columns": list(result.columns), "rows": [list(r) for r in result.rows[:KEPT_ROWS]],
                "row_count": len(result.rows)}
    if problem:
        return StepOutcome("failed", problem, evidence=evidence)
    if result.rows and result.rows[0]:
        summary = phrase("sql.rows_first", count=len(result.rows), value=repr(result.rows[0][0]))
    else:
        summary = phrase("sql.rows", count=len(result.rows))
    return StepOutcome("passed", summary, evidence=evidence)


STEP_KIND = StepKind("sql", SqlStep, run_sql, idempotent=False)
