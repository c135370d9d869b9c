"""YAML, JSON and INI configuration read into flat maps: nested keys joined by dots, list
items as `key[0]`, as Spring Boot names them (`spring.datasource.url`, `servers[1].host`).

Scalars keep the text the file wrote (YAML `010` stays `010`, JSON `1.50` stays `1.50`), and
null is the empty text, as Spring reads it. A key written twice is an error, as Spring's YAML
loader makes it, since which one the application uses is anybody's guess.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from launchpad.configdiff.formats import ConfigSyntaxError, Flat
from launchpad.phrases import phrase
from launchpad.yamlreasons import yaml_reason

# Aliases can expand a small file enormously; no configuration file comes near this.
MAX_VALUES = 100_000


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


# -- YAML ---------------------------------------------------------------------------------


def parse_yaml(text: str) -> Flat:
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        said = phrase("config.yaml_error", error=yaml_reason(exc.problem or exc.context or ""))
        raise ConfigSyntaxError(mark.line + 1 if mark else 1, said) from None
    except yaml.YAMLError as exc:  # the reader's: a character YAML does not allow
        raise ConfigSyntaxError(1, phrase("config.yaml_error", error=yaml_reason(str(exc)))) from None
    except ValueError as exc:
        raise ConfigSyntaxError(1, phrase("config.yaml_error", error=str(exc))) from None
    result: Flat = {}
    flattener = _YamlFlattener(result)
    documents = [d for d in documents if d is not None]
    for number, document in enumerate(documents, start=1):
        # Spring profiles put several documents in one file; each keeps its own keys.
        flattener.add(document, "" if len(documents) == 1 else f"---{number}")
    return result


class _YamlFlattener:
    def __init__(self, result: Flat) -> None:
        self.result = result
        self.count = 0
        self.open: set[int] = set()

    def add(self, node: yaml.Node, key: str) -> None:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_VALUES:
            raise ConfigSyntaxError(line, phrase("config.aliases_too_far"))
        if isinstance(node, yaml.ScalarNode):
            self._set(key, "" if node.tag.endswith(":null") else str(node.value), line)
            return
        if id(node) in self.open:
            raise ConfigSyntaxError(line, phrase("config.alias_loop"))
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self._sequence(node, key, line)
            elif isinstance(node, yaml.MappingNode):
                self._mapping(node, key, line)
        finally:
            self.open.discard(id(node))

    def _sequence(self, node: yaml.SequenceNode, key: str, line: int) -> None:
        if not node.value:
            self._set(key, "", line)
        for index, item in enumerate(node.value):
            self.add(item, f"{key}[{index}]")

    def _mapping(self, node: yaml.MappingNode, key: str, line: int) -> None:
        yaml.SafeLoader("").flatten_mapping(node)  # `<<: *defaults` merges, as Spring does
        if not node.value:
            self._set(key, "", line)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigSyntaxError(key_line, phrase("config.key_not_plain"))
            name = str(key_node.value)
            if name in seen:
                raise ConfigSyntaxError(key_line, phrase("config.duplicate_key", name=name))
            seen.add(name)
            self.add(value_node, _join(key, name))

    def _set(self, key: str, value: str, line: int) -> None:
        if key in self.result:  # `a.b: 1` next to `a: {b: 2}` names one key twice
            raise ConfigSyntaxError(line, phrase("config.key_twice", name=key))
        self.result[key] = value


# -- JSON ---------------------------------------------------------------------------------


class _DuplicateKey(Exception):
    pass


class _NotJson(Exception):
    """NaN or Infinity: Python's json takes them, the JSON a program reads does not."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def parse_json(text: str) -> Flat:
    try:
        data = json.loads(
            text.lstrip("\ufeff"), object_pairs_hook=_pairs, parse_float=str, parse_int=str,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise ConfigSyntaxError(exc.lineno, phrase("config.json_column", error=exc.msg, column=exc.colno)) from None
    except _DuplicateKey as exc:
        raise ConfigSyntaxError(_line_of_key(text, str(exc)), phrase("config.duplicate_key", name=str(exc))) from None
    except _NotJson as exc:
        raise ConfigSyntaxError(1, phrase("config.not_json", name=str(exc))) from None
    except ValueError as exc:
        raise ConfigSyntaxError(1, phrase("config.json_error", error=str(exc))) from None
    result: Flat = {}
    _flatten_json(data, "", result)
    return result


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


def _line_of_key(text: str, key: str) -> int:
    """The line of the second occurrence of `"key":`; json reports no position for it."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    at = found[1] if len(found) > 1 else (found[0] if found else 0)
    return text.count("\n", 0, at) + 1


def _flatten_json(value: Any, key: str, result: Flat) -> None:
    if isinstance(value, dict):
        if not value:
            result[key] = ""
        for name, item in value.items():
            _flatten_json(item, _join(key, name), result)
    elif isinstance(value, list):
        if not value:
            result[key] = ""
        for index, item in enumerate(value):
            _flatten_json(item, f"{key}[{index}]", result)
    elif value is None:
        result[key] = ""
    elif isinstance(value, bool):
        result[key] = "true" if value else "false"
    else:
        result[key] = str(value)


# -- INI ----------------------------------------------------------------------------------


def parse_ini(text: str) -> Flat:
    # `[DEFAULT]` is compared as an ordinary section (no default section: the "\0" name
    # cannot occur), and `%(x)s` stays as written: the file is compared, not evaluated.
    parser = configparser.ConfigParser(
        interpolation=None, strict=True, allow_no_value=True, default_section="\0", delimiters=("=", ":"),
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        parser.read_string(text.lstrip("\ufeff"))
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigSyntaxError(exc.lineno, phrase("config.no_section")) from None
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as exc:
        what = (phrase("config.option", option=exc.option) if isinstance(exc, configparser.DuplicateOptionError)
                else phrase("config.section"))
        said = phrase("config.duplicate_in_section", what=what, section=exc.section)
        raise ConfigSyntaxError(exc.lineno or 1, said) from None
    except configparser.ParsingError as exc:
        line, content = exc.errors[0]
        raise ConfigSyntaxError(line, phrase("config.not_key_value", line=content.strip()[:60])) from None
    except configparser.Error as exc:
        raise ConfigSyntaxError(1, phrase("config.ini_error", error=str(exc))) from None
    return {
        f"{section}.{key}": value or ""
        for section in parser.sections()
        for key, value in parser.items(section, raw=True)
    }


PARSERS: dict[str, Callable[[str], Flat]] = {"yaml": parse_yaml, "json": parse_json, "ini": parse_ini}
