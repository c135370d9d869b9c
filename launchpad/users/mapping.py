"""The mapping file, `imports/NAME.yaml`: how the client's sheet becomes the target's users.

```yaml
target: ruoyi                 # the target profile: bundled, or imports/targets/NAME.yaml (profile.py)
key: user_name                # the natural key: re-importing the same person updates, never duplicates
fields:
  user_name: {headers: [账号, 用户名, 登录名], required: true, transforms: [trim, halfwidth, lower]}
  nick_name: {headers: [姓名, 用户姓名, 名字], required: true, transforms: [trim, no_spaces]}
  id_number: {headers: [身份证号, 身份证号码], check: id_number, unique: true}
  phonenumber: {headers: [手机, 手机号码], check: mobile, unique: true}
  sex: {headers: [性别], codes: {男: "0", 女: "1"}}
  dept: {headers: [实际单位, 单位], required: true}    # the real unit
  attached_dept: {headers: [挂职单位]}                  # the attached unit of seconded staff
units:
  account_in: attached        # the account belongs to the attached unit when there is one
  map: {"市局/办公室": 办公室}   # the sheet's names or paths → the target's departments
roles:
  default: [common]
  rules: [{when: {post: [科长]}, roles: [leader]}]
# encoding: gb18030           # a CSV/TSV file's encoding, when its detection guesses wrong (big5, utf-16, …)
# users from elsewhere than a file (then `users check/plan/import` take no FILE):
# source: {kind: database, environment: prod, database: hr, query: "SELECT … WHERE status = :s", params: {s: "1"}}
# source: {kind: api, url: "https://hr/api/users", list: data.rows, token: env:HR_TOKEN,
#          paging: {page_param: page, size_param: size, size: 200, total: data.total}}
```

Loaded through `yamlsource`, so every mistake is reported as file:line:col, and described by
the same pydantic models as its JSON Schema (`launchpad schema import-mapping`).
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from launchpad.phrases import phrase
from launchpad.users.passwords import PasswordPolicy, rule_fields
from launchpad.workspace.secrets import SecretRef
from launchpad.workspace.yamlsource import read_yaml, validate

if TYPE_CHECKING:
    from launchpad.users.profile import TargetProfile

FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Transform = Literal["trim", "halfwidth", "upper", "lower", "no_spaces"]
DEFAULT_TRANSFORMS: list[Transform] = ["trim"]
CheckKind = Literal["text", "id_number", "mobile", "email", "date"]
UNIT_FIELDS = ("dept", "attached_dept")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(Model):
    headers: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, description="Header texts that mean this field, synonyms included (姓名/用户姓名/名字).")
    required: bool = False
    check: CheckKind = "text"
    transforms: list[Transform] = Field(default_factory=lambda: list(DEFAULT_TRANSFORMS),
                                        description="Applied in order.")
    codes: dict[str, str] | None = Field(
        None, description="The sheet's words → the target's codes (男 → 0); any other value is a problem.")
    unique: bool = Field(False, description="Two rows may not share a value (the key is always unique).")
    max_length: int | None = Field(None, ge=1)


class RoleRule(Model):
    when: dict[FieldName, list[str]] = Field(
        min_length=1, description="Field → values; the rule applies when every named field has one of its values.")
    roles: list[str] = Field(min_length=1, description="Role keys in the target (RuoYi's sys_role.role_key).")


class Roles(Model):
    default: list[str] = Field(default_factory=list, description="Role keys every imported user gets.")
    rules: list[RoleRule] = Field(default_factory=list)


class Units(Model):
    account_in: Literal["real", "attached"] = Field(
        "attached", description="Which unit the account belongs to when a row names both.")
    separator: str = Field("/", min_length=1, description="Between the levels of a unit path (市局/办公室).")
    map: dict[str, str] = Field(default_factory=dict, description="The sheet's unit name or path → the target's.")


class DatabaseSource(Model):
    """The users come from a query on another system's database (through its own client on a
    host of the environment, as the `sql` step runs one)."""

    kind: Literal["database"]
    environment: str = Field(min_length=1, description="The environment in site.yaml whose database is read.")
    database: str | None = Field(None, description="A key of that environment's databases (default: the only one).")
    query: str = Field(min_length=1, description="One SELECT; its column names are the headers.")
    params: dict[str, str | int | None] = Field(
        default_factory=dict, description="Values of the query's :name placeholders, sent as parameters.")


class Paging(Model):
    page_param: str | None = Field(None, description="The page number's query parameter (page).")
    size_param: str | None = Field(None, description="The page size's query parameter (size).")
    size: int = Field(100, ge=1, le=10000)
    first_page: int = Field(1, ge=0)
    next: str | None = Field(None, description="Dotted path of the next page's link in the answer (links.next).")
    total: str | None = Field(None, description="Dotted path of the number of users in the answer (data.total): "
                                                "pages are read until that many came, and fewer is an error.")
    max_pages: int = Field(1000, ge=1, description="More pages than this is an error, never an endless loop.")

    @model_validator(mode="after")
    def _one_style(self) -> Paging:
        if self.next is not None and self.page_param is not None:
            raise ValueError(phrase("rule.paging"))
        return self


class ApiSource(Model):
    """The users come from another system's HTTP JSON interface."""

    kind: Literal["api"]
    url: str = Field(pattern=r"^https?://\S+$", description="The list's address (http or https).")
    list: str = Field("", description="Dotted path of the list of users in the answer (data.rows); empty: the answer.")
    token: SecretRef | None = Field(None, description="Bearer token: env:NAME, keyring:SERVICE/NAME or prompt.")
    paging: Paging | None = None
    timeout: float = Field(30.0, gt=0, le=600, description="Seconds to wait for each page.")


class ImportMapping(Model):
    target: FieldName = Field(description="The target profile: ruoyi (bundled), or NAME for imports/targets/NAME.yaml.")
    database: str | None = Field(None, description="A key of the environment's databases (default: the only one).")
    key: FieldName = Field(description="The natural key field: the same person in a later import is updated.")
    sheets: list[str] | None = Field(None, description="Sheets to read (default: every sheet with a header).")
    source: Annotated[DatabaseSource | ApiSource, Field(discriminator="kind")] | None = Field(
        None, description="Where the users come from when not from a file: a database query or an HTTP API.")
    encoding: str | None = Field(
        None, description="A CSV/TSV file's encoding (gb18030 for GBK, big5, utf-8, utf-16…) when its detection "
                          "guesses wrong; a workbook (xlsx, xls, ods) has none to give.")
    fields: dict[FieldName, FieldSpec] = Field(min_length=1)
    units: Units = Field(default_factory=Units)
    roles: Roles = Field(default_factory=Roles)
    passwords: PasswordPolicy = Field(default_factory=PasswordPolicy, description="Initial passwords of new users.")

    @model_validator(mode="after")
    def _consistent(self) -> ImportMapping:
        if self.key not in self.fields:
            raise ValueError(phrase("rule.key_not_field", field=self.key, fields=list(self.fields)))
        if not self.fields[self.key].required:
            raise ValueError(phrase("rule.key_required", field=self.key))
        seen: dict[str, str] = {}
        for name, spec in self.fields.items():
            for header in spec.headers:
                other = seen.setdefault(normalise_header(header), name)
                if other != name:
                    raise ValueError(phrase("rule.header_twice", header=header, first=other, second=name))
        for rule in self.roles.rules:
            unknown = sorted(set(rule.when) - set(self.fields))
            if unknown:
                raise ValueError(phrase("rule.role_rule_field", names=unknown))
        return self

    @field_validator("encoding")
    @classmethod
    def _text_encoding(cls, name: str | None, info: ValidationInfo) -> str | None:
        # Checked as the mapping is loaded (at `encoding:`), not when a file fails to decode.
        if name is None:
            return name
        source = info.data.get("source")
        if source is not None:
            raise ValueError(phrase("rule.encoding_with_source", kind=source.kind))
        try:
            codec = codecs.lookup(name)
        except LookupError:
            codec = None
        # A codec of bytes to bytes (base64, zlib) or of text to text (rot13) has no text to give.
        if codec is None or not getattr(codec, "_is_text_encoding", True):
            raise ValueError(phrase("rule.unknown_encoding", name=name))
        return name

    @field_validator("passwords")
    @classmethod
    def _rule_fits(cls, policy: PasswordPolicy, info: ValidationInfo) -> PasswordPolicy:
        # A field validator (not the model's), so the problem is located at `passwords:`.
        fields, key = info.data.get("fields"), info.data.get("key")
        if policy.rule is None or fields is None:
            return policy
        used = rule_fields(policy.rule)
        unknown = sorted(set(used) - set(fields))
        if unknown:
            raise ValueError(phrase("rule.password_rule_field", names=unknown))
        # A field no two rows may share (key, unique) makes the passwords differ between users.
        if not any(name == key or fields[name].unique for name in used):
            raise ValueError(phrase("rule.password_shared"))
        return policy

    _profile: Any = PrivateAttr(None)
    _encoding_at: str | None = PrivateAttr(None)

    @property
    def encoding_at(self) -> str | None:
        """Where `encoding:` is written, file:line:col as the mapping's own errors say it; None
        when it gives none, or when the mapping was not loaded from a file."""
        return self._encoding_at

    @property
    def profile(self) -> TargetProfile:
        """The target's profile: the one found when the mapping was loaded, else a bundled one."""
        from launchpad.users.profile import load_profile

        if self._profile is None:
            self._profile = load_profile(self.target, None)
        return cast("TargetProfile", self._profile)

    def header_of(self, field: str) -> str:
        """How a person knows `field`: the first header the mapping gives it, else its own name."""
        spec = self.fields.get(field)
        return spec.headers[0] if spec is not None else field

    def header_index(self) -> dict[str, str]:
        """Normalised header text → field name."""
        return {normalise_header(h): name for name, spec in self.fields.items() for h in spec.headers}


def normalise_header(text: str) -> str:
    """How headers are compared: full-width folded, case and spaces ignored, a required
    marker (*姓名) and a trailing note in brackets (手机号码（必填）) dropped."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"\s+", "", folded).strip("*")
    return re.sub(r"\([^()]*\)$", "", folded) or folded


def load_mapping(path: Path, display: str | None = None) -> ImportMapping:
    """The mapping and its target's profile (imports/targets/NAME.yaml beside it, or bundled)."""
    from launchpad.users.profile import load_profile

    display = display or str(path)
    document = read_yaml(path, display)
    mapping = validate(ImportMapping, document)
    profile = load_profile(mapping.target, path.parent / "targets")
    # The target's scheme and salt column, unless the mapping names its own.
    given, password = mapping.passwords.model_fields_set, profile.users.password
    update: dict[str, Any] = {}
    if password.scheme is not None and "scheme" not in given:
        update["scheme"] = password.scheme
    if password.salt is not None and "salt_column" not in given:
        update["salt_column"] = password.salt
    if update:
        mapping = mapping.model_copy(update={"passwords": mapping.passwords.model_copy(update=update)})
    mapping._profile = profile
    if mapping.encoding is not None:
        line, col = document.source.locate(("encoding",))
        mapping._encoding_at = f"{display}:{line}:{col}"
    return mapping


def mapping_json_schema() -> dict[str, Any]:
    return dict(ImportMapping.model_json_schema())
