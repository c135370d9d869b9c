"""Baseline files: YAML (primary: validated by a JSON-Schema-backed model, every problem at
file:line:col as in playbooks), an xlsx workbook or a folder of CSV files (problems at
sheet/row/column). Written back as YAML, sorted by natural key, one item per line where it
fits, so that two exports of the same state are the same bytes and a change is a small diff."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from launchpad.baseline.model import SECTIONS, Baseline, Dictionary, DictItem, Post, Role
from launchpad.errors import InvalidInput, LaunchpadError, Problem, UsageError
from launchpad.phrases import Phrase, Said, lines, phrase
from launchpad.users.layout import column_letter
from launchpad.workspace.yamlsource import Document, read_yaml, validate

BASELINES_DIR = "baselines"
# A baseline of 50 roles × 800 grants is about 1.5 MiB of YAML; more than any playbook.
MAX_BYTES = 16 * 1024 * 1024
_ANCHOR = re.compile(r"(^|[\s\[{,:-])&[^\s]")
SUFFIXES = (".yaml", ".yml", ".xlsx", ".xls")
# The sheets of an xlsx baseline (or the files of a CSV folder) and their columns.
SHEETS: dict[str, tuple[str, ...]] = {
    "meta": ("version",),
    "roles": ("key", "name", "status", "data_scope", "sort"),
    "permissions": ("role", "permission"),
    "dictionaries": ("type", "name", "status"),
    "items": ("type", "value", "label", "order", "default", "status", "css_class", "list_class"),
    "posts": ("code", "name", "sort", "status"),
}


class BadBaseline(LaunchpadError):
    """A baseline sheet that cannot be used as written (problems at sheet/row/column)."""

    title = "invalid baseline"


def _text(value: Any) -> Any:
    # A status typed 0 in YAML is the text '0' RuoYi stores.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Code = Annotated[str, BeforeValidator(_text), Field(max_length=100)]
Key = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemSpec(_Model):
    value: Key = Field(description="The stored value (dict_value).")
    label: Code = Field(description="What the drop-down shows (dict_label).")
    order: int = Field(0, description="Position in the drop-down (dict_sort).")
    default: bool = Field(False, description="The default option (is_default Y).")
    status: Code = Field("0", description="0 in use, 1 disabled.")
    css_class: Code = ""
    list_class: Code = ""


class DictionarySpec(_Model):
    type: Key = Field(description="The dictionary's type (dict_type), its natural key.")
    name: Code = ""
    status: Code = "0"
    items: list[ItemSpec] = Field(default_factory=list)


class RoleSpec(_Model):
    key: Key = Field(description="The role's key (role_key), its natural key.")
    name: Code = Field(description="The role's name (role_name).")
    status: Code = "0"
    data_scope: Code = Field("1", description="1 all, 2 custom, 3 own unit, 4 own unit and below, 5 self.")
    sort: int = 0
    permissions: list[Key] = Field(default_factory=list, description="Menu permission codes (perms), or "
                                   "a menu's path of names written /目录/菜单 when it has no code.")


class PostSpec(_Model):
    code: Key
    name: Code
    sort: int = 0
    status: Code = "0"


class BaselineSpec(_Model):
    version: Key = Field(description="The baseline's version, recorded with every comparison.")
    roles: list[RoleSpec] = Field(default_factory=list)
    dictionaries: list[DictionarySpec] = Field(default_factory=list)
    posts: list[PostSpec] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    return BaselineSpec.model_json_schema()


def find_baseline(root: Path | None, given: str | None) -> Path:
    """`--baseline` as given (a path, or a name in baselines/), else the workspace's
    `baselines/baseline.*`, else its only baseline."""
    folder = root / BASELINES_DIR if root is not None else None
    if given is not None:
        path = Path(given)
        if not path.exists() and folder is not None and (folder / given).exists():
            path = folder / given
        if not path.exists():
            hint = phrase("error.baseline_not_found_hint", cwd=str(Path.cwd()), folder=str(folder)) \
                if folder is not None else phrase("users.no_such_file_hint", cwd=str(Path.cwd()))
            raise UsageError(phrase("error.baseline_not_found", file=given), hint=hint)
        return path
    if folder is None:
        raise UsageError(phrase("error.baseline_no_workspace"), hint=phrase("error.baseline_no_workspace_hint"))
    found = sorted(p for p in folder.glob("*") if p.suffix.lower() in SUFFIXES or _csv_folder(p))
    named = [p for p in found if p.stem == "baseline"]
    if len(named) == 1:
        return named[0]
    if not found:
        raise UsageError(phrase("error.baseline_none", folder=str(folder)), hint=phrase("error.baseline_none_hint"))
    if len(found) != 1:
        raise UsageError(phrase("error.baseline_several", folder=str(folder), count=len(found),
                                names=[p.name for p in found]), hint=phrase("error.baseline_several_hint"))
    return found[0]


def workspace_baselines(root: Path) -> list[Path]:
    """Every baseline in the workspace's `baselines/`: YAML and xlsx files, CSV folders."""
    folder = root / BASELINES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if (p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")) or _csv_folder(p))


def baseline_file_problems(path: Path, display: str, cache: Path | None = None) -> list[Problem]:
    """`launchpad check`: the baseline as a file — YAML syntax, the shape of each section, keys
    written twice — at file:line:col (a sheet's problems name their sheet, row and column)."""
    try:
        load_baseline(path, display, cache)
    except InvalidInput as exc:
        return list(exc.problems)
    except LaunchpadError as exc:  # a workbook's problems, said by sheet and row
        return [Problem(display, 1, 1, exc.said)]
    return []


def _csv_folder(path: Path) -> bool:
    return path.is_dir() and any(path.glob("*.csv"))


def load_baseline(path: Path, display: str | None = None, cache: Path | None = None) -> Baseline:
    """The baseline at `path`. With `cache` (a private folder of the workspace), a good YAML
    file's parsed copy is kept there under its sha256: YAML of 40,000 grants takes a second
    or two to parse, its JSON copy a few milliseconds, and a baseline is read far more often
    than it changes."""
    shown = display or str(path)
    if _csv_folder(path) or path.suffix.lower() in (".xlsx", ".xls"):
        return _from_sheets(path, shown)
    if path.is_dir():
        raise UsageError(phrase("error.baseline_bare_folder", file=shown),
                         hint=phrase("error.baseline_bare_folder_hint"))
    cached = _cached(path, cache, shown)
    if cached is not None:
        return cached
    fast = _fast_spec(path)
    if fast is not None:
        _keep(path, cache, fast)
        return _from_spec(fast, shown)
    document = read_yaml(path, shown, MAX_BYTES)
    spec = validate(BaselineSpec, document)
    _no_duplicates(spec, document)
    return _from_spec(spec, shown)


def _cache_file(path: Path, cache: Path) -> Path | None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return cache / f"{path.stem}-{digest}.json"


def _cached(path: Path, cache: Path | None, shown: str) -> Baseline | None:
    """The copy launchpad wrote itself after validating the file (so not validated again)."""
    kept = _cache_file(path, cache) if cache is not None else None
    if kept is None or not kept.is_file():
        return None
    try:
        data = json.loads(kept.read_bytes())
        return Baseline(
            data["version"], shown,
            roles={r["key"]: Role(r["key"], r["name"], r["status"], r["data_scope"], r["sort"],
                                  frozenset(r["permissions"])) for r in data["roles"]},
            dictionaries={d["type"]: Dictionary(d["type"], d["name"], d["status"], {
                i["value"]: DictItem(i["value"], i["label"], i["order"], i["default"], i["status"], i["css_class"],
                                     i["list_class"]) for i in d["items"]}) for d in data["dictionaries"]},
            posts={p["code"]: Post(p["code"], p["name"], p["sort"], p["status"]) for p in data["posts"]},
            sections=frozenset(SECTIONS) & frozenset(data["sections"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged copy: the file is read again


def _keep(path: Path, cache: Path | None, spec: BaselineSpec) -> None:
    kept = _cache_file(path, cache) if cache is not None else None
    if kept is None:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in kept.parent.glob(f"{path.stem}-*.json"):
            old.unlink()
        partial = kept.with_name(f".{kept.name}.partial")
        partial.write_text(json.dumps({**spec.model_dump(mode="json"), "sections": sorted(_held(spec))},
                                      ensure_ascii=False), encoding="utf-8")
        partial.replace(kept)


def _fast_spec(path: Path) -> BaselineSpec | None:
    """A good baseline through libyaml, which reads 40,000 grants about 20× faster than the
    located loader; None for anything doubtful (a bad file, anchors, no libyaml), which the
    located loader then reads again to say where the problem is."""
    from pydantic import ValidationError

    loader = getattr(yaml, "CSafeLoader", None)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if loader is None or not text or _ANCHOR.search(text):
        return None
    try:
        spec = BaselineSpec.model_validate(yaml.load(text, Loader=loader))
    except (yaml.YAMLError, ValidationError, ValueError, RecursionError):
        return None
    if _has_duplicates(spec):
        return None
    return spec


def _has_duplicates(spec: BaselineSpec) -> bool:
    lists = [[r.key for r in spec.roles], [d.type for d in spec.dictionaries], [p.code for p in spec.posts],
             *[list(r.permissions) for r in spec.roles], *[[i.value for i in d.items] for d in spec.dictionaries]]
    return any(len(set(keys)) != len(keys) for keys in lists)


def _no_duplicates(spec: BaselineSpec, document: Document) -> None:
    problems: list[Problem] = []

    def once(keys: list[str], path: tuple[str | int, ...], field: str, what: Phrase) -> None:
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(document.source.problem((*path, i, field),
                                                        phrase("baseline.twice", what=what, name=key)))
            seen.add(key)

    once([r.key for r in spec.roles], ("roles",), "key", phrase("baseline.role"))
    for r, role in enumerate(spec.roles):
        once(list(role.permissions), ("roles", r, "permissions"), "", phrase("baseline.permission"))
    once([d.type for d in spec.dictionaries], ("dictionaries",), "type", phrase("baseline.dictionary"))
    for d, dictionary in enumerate(spec.dictionaries):
        once([i.value for i in dictionary.items], ("dictionaries", d, "items"), "value",
             phrase("baseline.item_of", type=dictionary.type))
    once([p.code for p in spec.posts], ("posts",), "code", phrase("baseline.post"))
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: (p.line, p.col)),
                           hint=phrase("baseline.key_twice_hint"))


def _held(spec: BaselineSpec) -> frozenset[str]:
    """The sections the file writes, empty or not: one it leaves out is not compared."""
    return frozenset(SECTIONS) & spec.model_fields_set


def _from_spec(spec: BaselineSpec, source: str, sections: frozenset[str] | None = None) -> Baseline:
    return Baseline(
        spec.version, source,
        sections=_held(spec) if sections is None else sections,
        roles={r.key: Role(r.key, r.name, r.status, r.data_scope, r.sort, frozenset(r.permissions))
               for r in spec.roles},
        dictionaries={d.type: Dictionary(d.type, d.name, d.status, {
            i.value: DictItem(i.value, i.label, i.order, i.default, i.status, i.css_class, i.list_class)
            for i in d.items}) for d in spec.dictionaries},
        posts={p.code: Post(p.code, p.name, p.sort, p.status) for p in spec.posts},
    )


def _from_sheets(path: Path, shown: str) -> Baseline:
    """An xlsx workbook with the SHEETS, or a folder of `SHEET.csv` files; each sheet's first
    row names its columns (any order)."""
    from launchpad.users.sources import Sheet, UnreadableSheet, read_workbook

    try:
        if path.is_dir():
            sheets = [s for f in sorted(path.glob("*.csv")) for s in read_workbook(f).sheets]
        else:
            sheets = read_workbook(path).sheets
    except UnreadableSheet as exc:
        raise BadBaseline(exc.message, hint=exc.hint) from None
    by_name: dict[str, Sheet] = {s.name.strip().lower(): s for s in sheets}
    problems: list[Said] = []
    records: dict[str, list[tuple[int, dict[str, str]]]] = {}
    # A section's sheets left out of the workbook leave it out of the baseline (not compared).
    held = frozenset(section for section, sheets in (("roles", ("roles",)), ("dictionaries", ("dictionaries", "items")),
                                                     ("posts", ("posts",))) if any(s in by_name for s in sheets))
    for name, columns in SHEETS.items():
        sheet = by_name.get(name)
        if sheet is None:
            if name in ("meta", "roles"):
                problems.append(phrase("baseline.no_sheet", file=shown, sheet=name, columns=list(columns)))
            records[name] = []
            continue
        records[name] = _records(shown, sheet, columns, problems)
    spec: dict[str, Any] = {"version": "", "roles": [], "dictionaries": [], "posts": []}
    where: dict[tuple[str, int], Phrase] = {}  # (list, index) → place, for validation problems
    for _, record in records["meta"][:1]:
        spec["version"] = record["version"]
    roles: dict[str, dict[str, Any]] = {}
    for row, record in records["roles"]:
        where[("roles", len(spec["roles"]))] = _row(shown, "roles", row)
        role = {**_present(record), "permissions": []}
        spec["roles"].append(role)
        roles.setdefault(record.get("key", ""), role)
    for row, record in records["permissions"]:
        owner = roles.get(record.get("role", ""))
        if owner is None:
            problems.append(phrase("baseline.no_role_for", file=shown, row=row, role=record.get("role", "")))
        else:
            owner["permissions"].append(record.get("permission", ""))
    dictionaries: dict[str, dict[str, Any]] = {}
    for row, record in records["dictionaries"]:
        where[("dictionaries", len(spec["dictionaries"]))] = _row(shown, "dictionaries", row)
        dictionary = {**_present(record), "items": []}
        spec["dictionaries"].append(dictionary)
        dictionaries.setdefault(record.get("type", ""), dictionary)
    for row, record in records["items"]:
        holder = dictionaries.get(record.get("type", ""))
        if holder is None:
            problems.append(phrase("baseline.no_dictionary_for", file=shown, row=row, type=record.get("type", "")))
            continue
        item = {k: v for k, v in _present(record).items() if k != "type"}
        if "default" in item:
            item["default"] = item["default"].strip().upper() in ("Y", "YES", "TRUE", "1", "是")
        where[("items", id(item))] = _row(shown, "items", row)
        holder["items"].append(item)
    for row, record in records["posts"]:
        where[("posts", len(spec["posts"]))] = _row(shown, "posts", row)
        spec["posts"].append(_present(record))
    if problems:
        raise BadBaseline(lines(problems), hint=phrase("baseline.fix_cells_hint"))
    from pydantic import ValidationError

    try:
        checked = BaselineSpec.model_validate(spec)
    except ValidationError as exc:
        raise BadBaseline(lines([_sheet_problem(e, spec, where, shown) for e in exc.errors()]),
                          hint=phrase("baseline.fix_cells_hint")) from None
    _sheet_duplicates(checked, shown)
    return _from_spec(checked, shown, held)


def _row(shown: str, sheet: str, row: int) -> Phrase:
    return phrase("baseline.sheet_row", file=shown, sheet=sheet, row=row)


def _records(shown: str, sheet: Any, columns: tuple[str, ...], problems: list[Said]
             ) -> list[tuple[int, dict[str, str]]]:
    if not sheet.rows:
        return []
    header = [c.strip().lower() for c in sheet.rows[0]]
    for c, name in enumerate(header):
        if name and name not in columns:
            problems.append(phrase("baseline.unknown_column", file=shown, sheet=sheet.name, column=column_letter(c),
                                   name=name, known=list(columns)))
    # A cell Excel showed as an error (#N/A, #REF!…) reads as empty: a value the sheet meant to
    # give, silently lost (a role's name, a dictionary item's label), unless it is said here.
    for (r, c), error in sorted(sheet.errors.items()):
        problems.append(phrase("baseline.cell_error", file=shown, sheet=sheet.name, row=r + 1,
                               column=column_letter(c), name=header[c] if c < len(header) else "", error=error))
    out = []
    for r, values in enumerate(sheet.rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        out.append((r, {header[c]: v.strip() for c, v in enumerate(values) if c < len(header) and header[c]}))
    return out


def _present(record: dict[str, str]) -> dict[str, Any]:
    """The cells given (an empty cell takes the field's default)."""
    return {k: v for k, v in record.items() if v != "" or k in ("css_class", "list_class")}


def _sheet_problem(error: Any, spec: dict[str, Any], where: dict[tuple[str, int], Phrase], shown: str) -> Phrase:
    loc = error["loc"]
    field = loc[-1] if loc else ""
    place: Said = shown
    if len(loc) >= 2 and loc[0] in ("roles", "dictionaries", "posts") and isinstance(loc[1], int):
        place = where.get((str(loc[0]), loc[1]), shown)
        if loc[0] == "dictionaries" and len(loc) >= 4 and loc[2] == "items" and isinstance(loc[3], int):
            item = spec["dictionaries"][loc[1]]["items"][loc[3]]
            place = where.get(("items", id(item)), place)
        if loc[0] == "roles" and len(loc) >= 3 and loc[2] == "permissions":
            place = phrase("baseline.permissions_of", file=shown, role=spec["roles"][loc[1]].get("key", ""))
            field = "permission"
    elif loc == ("version",):
        place = _row(shown, "meta", 2)
    sheet_columns = next((cols for cols in SHEETS.values() if field in cols), ())
    if field in sheet_columns:
        place = phrase("baseline.column", place=place, column=column_letter(sheet_columns.index(field)), field=field)
    return phrase("baseline.problem_at", place=place, message=error["msg"])  # pydantic's own words stay English


def _sheet_duplicates(spec: BaselineSpec, shown: str) -> None:
    problems = []
    for what, keys in ((phrase("baseline.role"), [r.key for r in spec.roles]),
                       (phrase("baseline.dictionary"), [d.type for d in spec.dictionaries]),
                       (phrase("baseline.post"), [p.code for p in spec.posts])):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                problems.append(phrase("baseline.problem_at", place=shown,
                                       message=phrase("baseline.twice", what=what, name=key)))
            seen.add(key)
    if problems:
        raise BadBaseline(lines(problems), hint=phrase("baseline.key_twice_remove_hint"))


def role_data(role: Role) -> dict[str, Any]:
    """A role as a baseline file writes it (and an on-site change carries it)."""
    return {"key": role.key, "name": role.name, "status": role.status, "data_scope": role.data_scope,
            "sort": role.sort, "permissions": sorted(role.permissions)}


def item_data(item: DictItem) -> dict[str, Any]:
    return {"value": item.value, "label": item.label, "order": item.order, "default": item.default,
            "status": item.status, "css_class": item.css_class, "list_class": item.list_class}


def dictionary_data(dictionary: Dictionary) -> dict[str, Any]:
    return {"type": dictionary.type, "name": dictionary.name, "status": dictionary.status,
            "items": [item_data(i) for i in sorted(dictionary.items.values(), key=lambda i: (i.order, i.value))]}


def post_data(post: Post) -> dict[str, Any]:
    return {"code": post.code, "name": post.name, "sort": post.sort, "status": post.status}


def dump_baseline(baseline: Baseline) -> str:
    """The baseline as YAML, sorted by natural key: the same state gives the same bytes."""
    data: dict[str, Any] = {"version": baseline.version}
    if "roles" in baseline.sections:
        data["roles"] = [role_data(r) for r in sorted(baseline.roles.values(), key=lambda r: (r.sort, r.key))]
    if "dictionaries" in baseline.sections:
        data["dictionaries"] = [dictionary_data(d) for d in sorted(baseline.dictionaries.values(),
                                                                   key=lambda d: d.type)]
    if "posts" in baseline.sections:
        data["posts"] = [post_data(p) for p in sorted(baseline.posts.values(), key=lambda p: (p.sort, p.code))]
    header = ("# A baseline of roles, permissions, dictionaries and posts (launchpad baseline export).\n"
              "# Natural keys only: compare it with any environment (launchpad baseline diff).\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120,
                                   default_flow_style=False)


def write_baseline(baseline: Baseline, path: Path, option: str = "--out") -> Path:
    """Written beside, then moved into place: never a half-written baseline, and a place that
    cannot be written is said as such (`option` is what the person named it with)."""
    from launchpad.workspace.durable import write_output_text

    return write_output_text(path, dump_baseline(baseline), option=option, make_folder=True)
