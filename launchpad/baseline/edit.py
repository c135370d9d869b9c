"""One item of a YAML baseline set to a new value, in the text itself: only that item's lines
change — a changed field's value is rewritten where it stands, a new item is appended to its
list at its siblings' indentation, a removed one loses its lines — and every other byte
(comments, order, the version) stays as HQ wrote it, so the change reviews as a small diff.

The file is located through PyYAML's node marks (line and column of every node)."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from launchpad.baseline.files import DictionarySpec, ItemSpec, PostSpec, RoleSpec
from launchpad.errors import UsageError
from launchpad.phrases import phrase

# The list each kind of item lives in, and the field that names an item there.
PLACES: dict[str, tuple[str, str]] = {"role": ("roles", "key"), "dictionary": ("dictionaries", "type"),
                                      "post": ("posts", "code")}
_LISTS = ("permissions", "items")  # a role's or a dictionary's own list: never rewritten as a field
_SPECS: dict[str, type[BaseModel]] = {"role": RoleSpec, "dictionary": DictionarySpec, "dict_item": ItemSpec,
                                      "post": PostSpec}


def _defaults(kind: str) -> dict[str, Any]:
    """What a field left out of the file reads as: such a field is not written in for nothing."""
    spec = _SPECS.get(kind)
    return {name: f.default for name, f in spec.model_fields.items()} if spec is not None else {}


def set_item(text: str, shown: str, kind: str, key: list[str], value: Any | None) -> str:
    """`text` with the item (`kind`, natural `key`) made `value` — None removes it. `value` is
    as `dump_baseline` writes the item (a permission: its code)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        raise UsageError(phrase("error.edit_not_baseline", file=shown))
    lines = text.splitlines(keepends=True)
    if kind == "permission":
        role = _element(_list(root, "roles"), "key", key[0])
        if not isinstance(role, MappingNode):
            raise UsageError(phrase("error.edit_no_role", file=shown, role=key[0], permission=key[1]),
                             hint=phrase("error.edit_no_role_hint", role=key[0]))
        return _set(lines, role, "permissions", None, key[1], key[1] if value is not None else None)
    if kind == "dict_item":
        dictionary = _element(_list(root, "dictionaries"), "type", key[0])
        if not isinstance(dictionary, MappingNode):
            raise UsageError(phrase("error.edit_no_dictionary", file=shown, type=key[0], value=key[1]),
                             hint=phrase("error.edit_no_dictionary_hint", type=key[0]))
        return _set(lines, dictionary, "items", "value", key[1], value, _defaults(kind))
    list_name, field = PLACES[kind]
    return _set(lines, root, list_name, field, key[0], value, _defaults(kind))


def _set(lines: list[str], owner: MappingNode, list_name: str, field: str | None, name: str, value: Any,
         defaults: dict[str, Any] | None = None) -> str:
    sequence = _list(owner, list_name)
    found = _element(sequence, field, name) if sequence is not None else None
    if found is None and value is None:
        return "".join(lines)  # already absent
    if found is None or sequence is None:
        return "".join(_append(lines, owner, list_name, sequence, value))
    if value is None:
        first, last = _span(lines, sequence, found)
        return "".join(lines[:first] + lines[last + 1:])
    if isinstance(found, MappingNode) and isinstance(value, dict):
        return "".join(_rewrite_fields(lines, found, value, defaults or {}))
    return "".join(lines)  # a permission already granted


def _list(owner: MappingNode, name: str) -> SequenceNode | None:
    node = _get(owner, name)
    return node if isinstance(node, SequenceNode) else None


def _get(owner: MappingNode, name: str) -> Node | None:
    return next((v for k, v in owner.value if isinstance(k, ScalarNode) and k.value == name), None)


def _element(sequence: SequenceNode | None, field: str | None, name: str) -> Node | None:
    for element in sequence.value if sequence is not None else []:
        if field is None and isinstance(element, ScalarNode) and element.value == name:
            return element
        if field is not None and isinstance(element, MappingNode):
            named = _get(element, field)
            if isinstance(named, ScalarNode) and named.value == name:
                return element
    return None


def _last_line(node: Node) -> int:
    """The last line holding the node's text (a block's end mark is where the next token starts)."""
    end = node.end_mark
    return end.line if end.column > 0 else end.line - 1


def _span(lines: list[str], sequence: SequenceNode, element: Node) -> tuple[int, int]:
    """An element's lines, from its dash to the line before the next element (or its own end)."""
    index = sequence.value.index(element)
    first = element.start_mark.line
    if index + 1 < len(sequence.value):
        return first, sequence.value[index + 1].start_mark.line - 1
    return first, _own_end(lines, element)


def _own_end(lines: list[str], node: Node) -> int:
    """The node's last line, blank lines and comments that follow it left out."""
    last = _last_line(node)
    while last > node.start_mark.line and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    return last


def _dump_item(value: Any, indent: int) -> list[str]:
    text = yaml.safe_dump([value], allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return [" " * indent + line + "\n" for line in text.splitlines()]


def _append(lines: list[str], owner: MappingNode, list_name: str, sequence: SequenceNode | None,
            value: Any) -> list[str]:
    if sequence is not None and sequence.value and not sequence.flow_style:
        last = sequence.value[-1]
        dash = lines[last.start_mark.line].index("-")
        at = _own_end(lines, last) + 1
        return lines[:at] + _dump_item(value, dash) + lines[at:]
    # No list yet, or an empty `[]`: the key's line ends with the list, the item goes below it.
    key = next(k for k, _ in owner.value if k.value == list_name) if _get(owner, list_name) else None
    if key is None:
        first_key = owner.value[0][0]
        indent = first_key.start_mark.column
        at = _own_end(lines, owner) + 1
        return lines[:at] + [" " * indent + f"{list_name}:\n"] + _dump_item(value, indent) + lines[at:]
    node = _get(owner, list_name)
    assert node is not None
    row = key.start_mark.line
    line = lines[row]
    start = node.start_mark.column if node.start_mark.line == row else len(line.rstrip("\n"))
    end = node.end_mark.column if node.end_mark.line == row else len(line.rstrip("\n"))
    head = (line[:start].rstrip() + line[end:].rstrip("\n")).rstrip() + "\n"
    return lines[:row] + [head] + _dump_item(value, key.start_mark.column) + lines[row + 1:]


def _scalar(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 16).strip().removesuffix(
        "\n...").removesuffix("...").strip()


def _rewrite_fields(lines: list[str], element: MappingNode, value: dict[str, Any],
                    defaults: dict[str, Any]) -> list[str]:
    """Each field whose value differs is rewritten in place; a field the file leaves out is added
    under the element's first one, unless what it reads as without it is already right."""
    out = list(lines)
    added: list[str] = []
    # From the bottom up, so the columns of fields not yet rewritten stay right.
    fields = [(name, wanted) for name, wanted in value.items() if name not in _LISTS]
    placed = sorted(((_get(element, n), n, w) for n, w in fields if _get(element, n) is not None),
                    key=lambda t: (t[0].start_mark.line, t[0].start_mark.column), reverse=True)  # type: ignore[union-attr]
    for node, _, wanted in placed:
        assert node is not None
        if yaml.safe_load(yaml.serialize(node)) == wanted:
            continue
        if node.start_mark.line != node.end_mark.line:
            raise UsageError(phrase("error.edit_multiline", line=node.start_mark.line + 1),
                             hint=phrase("error.edit_multiline_hint"))
        row = node.start_mark.line
        line = out[row]
        out[row] = line[:node.start_mark.column] + _scalar(wanted) + line[node.end_mark.column:]
    indent = element.value[0][0].start_mark.column
    for name, wanted in fields:
        if _get(element, name) is None and (name not in defaults or defaults[name] != wanted):
            added.append(" " * indent + f"{name}: {_scalar(wanted)}\n")
    if added:
        at = _last_line(element.value[0][1]) + 1
        out = out[:at] + added + out[at:]
    return out
