"""Load YAML while remembering where every value came from.

Validation errors are only useful to a field engineer if they point at the line to fix, so the
loaders build plain Python data from PyYAML's node tree and keep a map from each value's path
(`("environments", "prod", "hosts", 0, "address")`) to its line and column. Pydantic's error
locations are the same paths, which turns every validation error into `file:line:col: message`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from launchpad.errors import InvalidInput, Problem
from launchpad.oserrors import os_reason
from launchpad.phrases import CATALOG, Phrase, Said, phrase
from launchpad.yamlreasons import yaml_reason

PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class SourceMap:
    """Line and column (1-based) of each value, and of each mapping key, in one file."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Iterable[str | int], *, at_key: bool = False) -> tuple[int, int]:
        """The position of the deepest known prefix of `path`; of its key when `at_key`
        (an unknown key is best reported at the key itself, not at its value)."""
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if at_key and prefix in self.keys and cut == len(path):
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def problem(self, path: Iterable[str | int], message: Said, *, at_key: bool = False) -> Problem:
        line, col = self.locate(path, at_key=at_key)
        return Problem(self.file, line, col, message)


@dataclass
class Document:
    data: Any
    source: SourceMap


# No real site.yaml or playbook comes near these. The size is checked before parsing: PyYAML
# spends about a minute and a gigabyte of memory on a few megabytes of YAML. The depth is
# checked while composing, since PyYAML composes nested values by recursion and would
# otherwise die of Python's recursion limit at a few hundred levels.
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing values nested more than MAX_DEPTH deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Recursive(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooLarge(_Recursive):
    pass


class _BadScalar(Exception):
    def __init__(self, node: yaml.Node, reason: Said) -> None:
        self.node, self.reason = node, reason


def _line_col(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `position` in `text`."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node tree into Python data, recording positions and rejecting
    duplicate keys (PyYAML silently keeps the last one, which hides mistakes)."""

    # Aliases can make a small file expand enormously ("billion laughs"); no real site.yaml
    # or playbook comes near this many values.
    MAX_VALUES = 200_000

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._open: set[int] = set()  # collections being built: an alias back to one is a cycle
        self._count = 0

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.source.values[path] = _position(node)
        self._count += 1
        if self._count > self.MAX_VALUES:
            raise _TooLarge(node)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self._open:
                raise _Recursive(node)
            self._open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._mapping(node, path)
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            finally:
                self._open.discard(id(node))
        return self._construct(node)

    def _construct(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError) as exc:
            # PyYAML's timestamp and number constructors raise plain errors on odd input; a
            # date that does not exist (a due date of 2026-02-30) is said as the date commands say it.
            if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(node.value, str):
                raise _BadScalar(node, phrase("error.date_not_real", text=node.value)) from None
            raise _BadScalar(node, str(exc)) from None

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        own = [pair for pair in node.value if pair[0].tag != "tag:yaml.org,2002:merge"]
        # flatten_mapping puts the pairs of `<<: *anchor` before the mapping's own pairs.
        self._constructor.flatten_mapping(node)
        merged = node.value[: len(node.value) - len(own)]
        result: dict[Any, Any] = {}
        for key_node, value_node in own:
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                line, col = _position(key_node)
                self.problems.append(Problem(self.source.file, line, col, phrase("rule.yaml_duplicate_key", name=key)))
                continue
            self.source.keys[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        # YAML's merge key: the mapping's own keys override merged ones, and of several merged
        # mappings the first named wins (flatten_mapping lists it last).
        for key_node, value_node in reversed(merged):
            key = self._key(key_node)
            if key is None or key in result:
                continue
            self.source.keys[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, key_node: yaml.Node) -> str | None:
        key = self._construct(key_node)
        if not isinstance(key, str | int | bool | float) or key is None:
            line, col = _position(key_node)
            self.problems.append(Problem(self.source.file, line, col, phrase("rule.yaml_plain_key")))
            return None
        return str(key) if not isinstance(key, str) else key


def load_yaml(text: str, file: str, limit: int = MAX_BYTES) -> Document:
    """Parse `text`; raise InvalidInput with the position of any syntax error. `limit`: a
    baseline of thousands of grants is larger than any site.yaml or playbook."""
    source = SourceMap(file)
    if len(text) > limit:
        raise _too_big(file, len(text.encode("utf-8", "surrogatepass")), limit)
    try:
        nodes = list(yaml.compose_all(text, Loader=_DepthLimitedLoader))
    except _TooDeep as exc:
        raise InvalidInput([Problem(file, exc.mark.line + 1, exc.mark.column + 1,
                                    phrase("rule.yaml_too_deep", depth=MAX_DEPTH))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = yaml_reason(exc.problem or exc.context or "")
        raise InvalidInput([Problem(file, line, col, phrase("rule.yaml_syntax", reason=reason))]) from None
    except yaml.YAMLError as exc:  # the reader's: a character YAML does not allow, at its place
        line, col = _line_col(text, getattr(exc, "position", 0))
        said = phrase("rule.yaml_syntax", reason=yaml_reason(str(exc)))
        raise InvalidInput([Problem(file, line, col, said)]) from None
    except ValueError as exc:  # e.g. invalid characters the reader rejects
        raise InvalidInput([Problem(file, 1, 1, phrase("rule.yaml_unreadable", reason=str(exc)))]) from None
    if len(nodes) > 1:
        line, col = _position(nodes[1])
        raise InvalidInput([Problem(file, line, col, phrase("rule.yaml_documents"))])
    if not nodes or nodes[0] is None:
        return Document({}, source)
    builder = _Builder(source)
    try:
        data = builder.build(nodes[0], ())
    except _TooLarge as exc:
        line, col = _position(exc.node)
        raise InvalidInput([Problem(file, line, col, phrase("rule.yaml_aliases"))]) from None
    except _Recursive as exc:
        line, col = _position(exc.node)
        raise InvalidInput([Problem(file, line, col, phrase("rule.yaml_recursive"))]) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        said = phrase("rule.yaml_value", reason=yaml_reason(str(exc.problem)))
        raise InvalidInput([Problem(file, line, col, said)]) from None
    except _BadScalar as exc:
        line, col = _position(exc.node)
        raise InvalidInput([Problem(file, line, col, phrase("rule.yaml_value", reason=exc.reason))]) from None
    if builder.problems:
        raise InvalidInput(builder.problems)
    return Document(data, source)


def read_yaml(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> Document:
    display = display or str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
            if len(raw) > limit:
                raise _too_big(display, os.fstat(handle.fileno()).st_size, limit)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem(display, 1, 1, phrase("rule.file_not_found"))]) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [Problem(display, 1, 1, phrase("rule.not_utf8", byte=exc.start))]
        ) from None
    except OSError as exc:
        raise InvalidInput([Problem(display, 1, 1, phrase("rule.cannot_read", reason=os_reason(exc)))]) from None
    return load_yaml(text, display, limit)


def _too_big(file: str, size: int, limit: int = MAX_BYTES) -> InvalidInput:
    # Said in the problem itself: `check` lists problems and keeps only its own hint.
    return InvalidInput([Problem(file, 1, 1, phrase("rule.file_too_big", size=f"{size / 1024 / 1024:.1f}",
                                                    limit=limit // 1024 // 1024))])


# The error types whose context fills a word-book sentence (`valid.<type>`); any other type
# keeps pydantic's English message.
_CONTEXT_LISTS = ("expected", "expected_schemes")


def _describe(error: Any, at: PathKey = ()) -> Said:
    """Pydantic's error as a sentence in the word-book, or its own English for a type the book
    does not know, led by the field as the file names it (`at`, its place in the file). A
    ValueError raised with a phrase (our validators) stays that phrase."""
    kind = error["type"]
    if kind in ("extra_forbidden", "missing"):
        return Phrase(f"valid.{kind}", {"key": error["loc"][-1]})
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, Exception) and raised.args and isinstance(raised.args[0], Phrase):
        return raised.args[0]
    message: Said
    if kind == "model_type" and not at:
        return phrase("valid.model_type_top")
    if f"valid.{kind}" in CATALOG:
        message = phrase(f"valid.{kind}", **_context(error.get("ctx") or {}))
    else:
        english = str(error["msg"])
        # Pydantic prefixes errors raised by our validators; the prefix means nothing to a user.
        for prefix in ("Value error, ", "Assertion failed, "):
            english = english.removeprefix(prefix)
        ours = kind.startswith(("value_error", "assertion"))
        message = english if ours else english[:1].lower() + english[1:]
    if kind.startswith(("value_error", "assertion", "union_tag")):  # these name what they speak of
        return message
    return _with_field(at, message)


def _with_field(at: PathKey, message: Said) -> Said:
    """`field: message`, the field being the last key of `at` (`level`), or an item of it
    (`level 的第 2 项`); the message alone for the file's top."""
    named = [i for i, part in enumerate(at) if isinstance(part, str)]
    if not named:
        return message
    field: Said = str(at[named[-1]])
    if named[-1] == len(at) - 2 and isinstance(at[-1], int):
        field = phrase("valid.item_of", field=field, number=at[-1] + 1)
    return phrase("valid.field", field=field, message=message)


# The shapes a union's member may be named by (pydantic's tag for it): `int`, `list[int]`, a model.
_SHAPES = ("int", "float", "str", "bool")


def _shape(tag: str, held: bool = False) -> Said | None:
    """A union member's shape in words (`held`: as what a list holds), or None for one not
    said here (then its error is)."""
    words = "valid.shapes." if held else "valid.shape."
    if tag in _SHAPES:
        return phrase(words + tag)
    if tag.startswith("list[") and tag.endswith("]") and not held:
        inner = _shape(tag[5:-1], held=True)
        return None if inner is None else phrase("valid.shape.list", shape=inner)
    if tag.startswith("dict[") or (tag.isidentifier() and tag[:1].isupper()):
        return phrase(words + "mapping")  # a mapping, or one of our models
    return None
def _context(ctx: dict[str, Any]) -> dict[str, Any]:
    """The error's context as the sentence's values: pydantic's "'a', 'b' or 'c'" as a list
    each language joins its own way; other values as they are."""
    values: dict[str, Any] = {}
    for name, value in ctx.items():
        if name in _CONTEXT_LISTS and isinstance(value, str):
            head, joined, last = value.rpartition(" or ")
            value = phrase("valid.alternatives", items=head.split(", "), last=last) if joined else value
        elif name == "expected_tags" and isinstance(value, str):
            value = value.split(", ")
        elif name == "discriminator" and isinstance(value, str):
            value = value.strip("'")
        elif not isinstance(value, int | float | str):
            value = str(value)
        values[name] = value
    return values


def problems_from_validation(exc: ValidationError, source: SourceMap) -> list[Problem]:
    """Each of pydantic's errors at file:line:col. A value that may take several shapes
    (`int | list[int]`) fails once per shape: said once, as the shapes it may take, or — when
    the value has one of them and fails inside it (a list with a word in it) — as that failure."""
    problems: set[Problem] = set()
    branches: dict[PathKey, list[tuple[str, Any, PathKey]]] = {}
    for error in exc.errors():
        path, at, tag = _located(error["loc"], source, error["type"])
        if tag is not None:
            branches.setdefault(at, []).append((tag, error, path))
        else:
            problems.add(_problem(error, path, source))
    for at, found in branches.items():
        problems |= _union_problems(at, found, source)
    return sorted(problems, key=lambda p: (p.line, p.col, p.message))


def _problem(error: Any, path: PathKey, source: SourceMap) -> Problem:
    return source.problem(path, _describe(error, path), at_key=error["type"] in ("extra_forbidden", "missing"))


def _located(loc: tuple[Any, ...], source: SourceMap, kind: str) -> tuple[PathKey, PathKey, str | None]:
    """Pydantic's location less the segments that are not in the file (union members' names,
    validators' names), so that it can be looked up in the source map; where the first union
    member was named, and its name (`int`, `list[int]`)."""
    kept: PathKey = ()
    at: PathKey = ()
    tag = None
    for i, part in enumerate(loc):
        candidate = (*kept, part)
        if candidate in source.values or candidate in source.keys or \
                (i == len(loc) - 1 and kind in ("extra_forbidden", "missing")):
            kept = candidate
        elif tag is None and isinstance(part, str):
            at, tag = kept, part
    return kept, at, tag


def _union_problems(at: PathKey, found: list[tuple[str, Any, PathKey]], source: SourceMap) -> set[Problem]:
    if len(found) == 1:  # a tagged union names its one member: an error like any other
        _, error, path = found[0]
        return {_problem(error, path, source)}
    inside = [(error, path) for _, error, path in found if len(path) > len(at)]
    if inside:  # the value has the member's shape; what is wrong is inside it
        return {_problem(error, path, source) for error, path in inside}
    shapes = [_shape(tag) for tag, _, _ in found]
    said: list[Said] = [s for s in shapes if s is not None]
    if len(said) == len(shapes):
        message: Said = phrase("valid.one_of_shapes", shapes=_either(said))
    else:
        message = _either([_describe(error) for _, error, _ in found])
    return {source.problem(at, _with_field(at, message))}


def _either(items: list[Said]) -> Said:
    unique: list[Said] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    if len(unique) == 1:
        return unique[0]
    return phrase("valid.alternatives", items=unique[:-1], last=unique[-1])


def validate(model: type[M], document: Document, **context: Any) -> M:
    """Validate a loaded document into `model`, or raise InvalidInput with positions."""
    try:
        return model.model_validate(document.data, context=context or None)
    except ValidationError as exc:
        raise InvalidInput(problems_from_validation(exc, document.source)) from None
