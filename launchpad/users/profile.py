"""Target profiles: how a system keeps its users, units, roles and posts, described in YAML —
tables, columns with the mapping fields they hold, how ids are made (auto-increment, a
sequence, a UUID, max+1), the soft-delete and tenant columns, the password column and scheme, the unit
table's parent or path column, the role and post link tables, and the columns that carry the
import's mark (which is how a rollback finds exactly what an import wrote).

RuoYi's is bundled (`profiles/ruoyi.yaml`); a custom system's lives in the workspace as
`imports/targets/NAME.yaml` and is named by the mapping's `target: NAME`. Loaded through
`yamlsource`, so a mistake is reported as file:line:col; `launchpad schema target-profile`
prints the JSON Schema. Table and column names are SQL identifiers (letters, digits and
underscores), which is what lets them be written into SQL; values never are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.passwords import Scheme
from launchpad.workspace.yamlsource import read_yaml, validate

Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$", description="An SQL identifier.")]
FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
# A profile's own values (the live flag, the tenant, what every new user gets) are written into
# the SQL as plain literals, which every database reads as the column's type: so they may only
# hold characters no literal can be ended by.
Constant = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{0,64}$",
                                description="Letters, digits and _ . : - only (written into SQL as a literal).")]
BUNDLED = Path(__file__).with_name("profiles")
TARGETS_DIR = Path("imports") / "targets"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IdRule(Model):
    column: Name
    generate: Literal["auto_increment", "sequence", "uuid", "max_plus_one"] = Field(
        "auto_increment", description="auto_increment / identity: the database numbers the row; sequence: "
                                      "nextval of `sequence`; uuid: a new UUID as text; max_plus_one: the "
                                      "largest id + 1, under a table lock.")
    sequence: Name | None = Field(None, description="The sequence's name (generate: sequence).")

    @model_validator(mode="after")
    def _sequence_named(self) -> IdRule:
        if (self.generate == "sequence") != (self.sequence is not None):
            raise ValueError(phrase("rule.sequence"))
        return self


class Flag(Model):
    """A column whose value tells live rows from soft-deleted ones."""

    column: Name
    live: Constant
    deleted: Constant


class Tenant(Model):
    column: Name
    value: Constant = Field(description="This site's tenant: every row read or written carries it.")


class UserColumn(Model):
    column: Name
    size: int | None = Field(None, ge=1, description="Characters the column holds (checked before any write).")
    empty_is_null: bool = Field(False, description="An empty value is NULL here (a rollback restores NULL).")


class UnitColumn(Model):
    column: Name


class Password(Model):
    column: Name
    scheme: Scheme | None = Field(None, description="How the system hashes passwords (a mapping may say otherwise).")
    salt: Name | None = Field(None, description="The salt's column, for schemes that keep it apart.")
    changed_at: Name | None = Field(
        None, description="A column left NULL for a new user and set when the user changes the password.")
    force_change: dict[Name, Constant] | None = Field(
        None, description="Columns set on a new user so the system asks for a new password at first login.")


class Mark(Model):
    created_by: Name
    updated_by: Name
    created_at: Name | None = None
    updated_at: Name | None = None


class UsersTable(Model):
    table: Name
    id: IdRule
    fields: dict[FieldName, UserColumn] = Field(description="Mapping field → the column that holds it.")
    key: FieldName = Field("user_name", description="The field (one of fields:) a mapping's key is matched on.")
    unit: UnitColumn
    password: Password
    soft_delete: Flag | None = None
    tenant: Tenant | None = None
    on_insert: dict[Name, Constant] = Field(default_factory=dict, description="Columns every new user gets.")
    mark: Mark

    @model_validator(mode="after")
    def _key_is_a_field(self) -> UsersTable:
        if self.key not in self.fields:
            raise ValueError(phrase("rule.key_not_field", field=self.key, fields=list(self.fields)))
        return self

    @model_validator(mode="after")
    def _no_password_field(self) -> UsersTable:
        # A field's values are read into plans, shown, and kept in the store for a rollback:
        # a password hash or salt must never be one.
        secret = {column for column in (self.password.column, self.password.salt) if column}
        named = [f"{name} ({field.column})" for name, field in self.fields.items() if field.column in secret]
        if named:
            raise ValueError(phrase("rule.password_as_field", fields=named))
        return self


class Link(Model):
    table: Name
    user: Name = Field(description="The column holding the user's id.")
    to: Name = Field(description="The column holding the role's (or post's) id.")


class UnitsTable(Model):
    table: Name
    id: Name
    name: Name
    parent: Name | None = Field(None, description="The parent unit's id.")
    path: Name | None = Field(None, description="Ids from the root down, e.g. /1/5/9/ (when there is no parent).")
    path_separator: str = Field("/", min_length=1)
    soft_delete: Flag | None = None
    tenant: Tenant | None = None

    @model_validator(mode="after")
    def _parent_or_path(self) -> UnitsTable:
        if (self.parent is None) == (self.path is None):
            raise ValueError(phrase("rule.units_parent"))
        return self


class RolesTable(Model):
    table: Name
    id: Name
    key: Name = Field(description="The column a mapping's role keys are matched on.")
    soft_delete: Flag | None = None
    tenant: Tenant | None = None
    link: Link


class Active(Model):
    column: Name
    value: Constant


class PostsTable(Model):
    table: Name
    id: Name
    key: Name
    name: Name
    active: Active | None = None
    link: Link


class TargetProfile(Model):
    name: FieldName
    users: UsersTable
    units: UnitsTable
    roles: RolesTable
    posts: PostsTable | None = None

    @property
    def user_columns(self) -> dict[str, int | None]:
        """Mapping field → size, for the fields the users table holds."""
        return {name: spec.size for name, spec in self.users.fields.items()}

    def column(self, field: str) -> str:
        return self.users.fields[field].column


def profile_json_schema() -> dict[str, Any]:
    return dict(TargetProfile.model_json_schema())


@cache
def bundled_profile(name: str) -> TargetProfile:
    return validate(TargetProfile, read_yaml(BUNDLED / f"{name}.yaml", f"(bundled) {name}.yaml"))


def load_profile(name: str, targets: Path | None) -> TargetProfile:
    """`name`'s profile: `targets`/NAME.yaml (the workspace's imports/targets/), else a bundled one."""
    if targets is not None:
        path = targets / f"{name}.yaml"
        if path.is_file():
            shown = _display(path)
            profile = validate(TargetProfile, read_yaml(path, shown))
            if profile.name != name:
                raise UsageError(phrase("users.profile_other_name", file=shown, inner=profile.name, name=name),
                                 hint=phrase("users.profile_other_name_hint"))
            return profile
    if (BUNDLED / f"{name}.yaml").is_file():
        return bundled_profile(name)
    bundled = sorted(p.stem for p in BUNDLED.glob("*.yaml"))
    where = phrase("users.no_profile_in", folder=_display(targets)) if targets else ""
    raise UsageError(phrase("users.no_profile", name=name, bundled=bundled, where=where),
                     hint=phrase("users.no_profile_hint", folder=TARGETS_DIR, name=name))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
