"""What was wrong with a YAML file, said in the reader's language.

PyYAML explains a mistake in its own English, in terms of its tokens ("expected <block end>,
but found '<block mapping start>'"). A person who mistyped a mapping file at a client's site
needs to read what they did and what to do; the file, line and column come from the sentence
around it. The mistakes people make by hand are matched here by the parser's own problem text;
anything else is passed on as the parser's words, said to be the parser's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from launchpad.phrases import Said, phrase

# (the parser's problem, as a pattern over its text; what to say, from the match)
_KNOWN: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Said]]] = [
    (re.compile(r"mapping values are not allowed here"), lambda m: phrase("yaml.colon_in_value")),
    (re.compile(r"could not find expected ':'"), lambda m: phrase("yaml.key_without_colon")),
    (re.compile(r"found character '\\t' that cannot start any token"), lambda m: phrase("yaml.tab")),
    (re.compile(r"found character '(.+)' that cannot start any token"),
     lambda m: phrase("yaml.cannot_start", char=m.group(1))),
    (re.compile(r"expected <block end>, but found"), lambda m: phrase("yaml.indentation")),
    (re.compile(r"expected ',' or '\]', but got"), lambda m: phrase("yaml.list_unclosed")),
    (re.compile(r"expected ',' or '\}', but got"), lambda m: phrase("yaml.map_unclosed")),
    (re.compile(r"found unexpected end of stream"), lambda m: phrase("yaml.quote_unclosed")),
    (re.compile(r"found unknown escape character '(.+)'"), lambda m: phrase("yaml.bad_escape", char=m.group(1))),
    (re.compile(r"expected the node content, but found"), lambda m: phrase("yaml.missing_value")),
    (re.compile(r"found undefined alias '(.+)'"), lambda m: phrase("yaml.unknown_alias", name=m.group(1))),
    (re.compile(r"could not determine a constructor for the tag '(.+)'"),
     lambda m: phrase("yaml.unknown_tag", tag=m.group(1))),
    (re.compile(r"unacceptable character #x([0-9a-fA-F]{4})"), lambda m: phrase("yaml.control_char",
                                                                              code=m.group(1).upper())),
    (re.compile(r"mapping keys are not allowed here"), lambda m: phrase("yaml.key_not_allowed")),
    (re.compile(r"invalid indentation or unclosed '\[' or '\{'"), lambda m: phrase("yaml.unclosed_or_indented")),
    (re.compile(r"expected '<document start>', but found"), lambda m: phrase("yaml.document_start")),
]


def yaml_reason(problem: str) -> Said:
    """What the parser's `problem` means, in the word-book's words; the parser's own, said as
    its, when the word-book does not know it."""
    for pattern, said in _KNOWN:
        found = pattern.search(problem)
        if found is not None:
            return said(found)
    return phrase("yaml.parser_says", text=problem.strip())
