"""Each field's check compiled once per file, for a whole column at a time.

`check_value(transform(raw, spec), spec)` is the rule; what is compiled here gives exactly its
answers, only faster on the 100,000 cells of a column: the spec's branches are decided once,
not per cell; the common shapes (an 11-digit mobile, an 18-digit ASCII ID number, a
YYYY-MM-DD date) are recognised without regular expressions and anything else falls back to
the rule itself; columns whose values repeat (units, codes, dates, posts) remember each
distinct cell's answer.

A compiled check returns the stored value for a good cell and a `Bad` for a cell with a
problem, so a column checks with one `map` and its problems are the few `Bad`s in it.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple, cast

from launchpad.phrases import Phrase, phrase
from launchpad.users.idnumber import CHECK_CHARS, PROVINCES
from launchpad.users.mapping import FieldSpec
from launchpad.users.values import EMAIL, FULL_WIDTH, SPACES, check_value, transform

# A cache stops growing at this many distinct cells: a column of unique values (names) gains
# nothing from one, and memory stays flat however long the sheet is.
REMEMBERED = 4096
# Birth dates remembered per column: 1900 to today is some 46,000 days, so the memo stays bounded.
BIRTH_DAYS = 50_000
MOBILE_SECOND = frozenset("3456789")
DIGITS_AND_X = frozenset("0123456789X")


class Bad(NamedTuple):
    """A cell with a problem: the value as far as it was understood, and why it is wrong."""

    value: str
    problem: Phrase


class AllGood(list):
    """A column's answers when its check answered it whole: every cell good, no Bad among them."""


Compiled = Callable[[str], "str | Bad"]
CompiledColumn = Callable[[list[str]], "list[str | Bad]"]
# Each transform as a function of one value that runs in C, for a whole column at once.
STEPS: dict[str, Callable[[str], str]] = {
    "trim": str.strip, "lower": str.lower, "upper": str.upper,
    "halfwidth": operator.methodcaller("translate", FULL_WIDTH), "no_spaces": partial(SPACES.sub, ""),
}
# Transforms that return a new string even when nothing changes (strip and a substitution
# without a match return the cell itself). Each changes a character at a time, so when the
# column's text as one string does not change, no cell does: 100,000 accounts already in
# lower case are then kept, not copied.
REMADE = frozenset({STEPS["lower"], STEPS["upper"], STEPS["halfwidth"]})


def compile_column(spec: FieldSpec, today: datetime.date) -> CompiledColumn:
    """`compile_check` for a whole column. A text or e-mail column is first taken whole: every
    cell transformed, then asked at once (in C) whether any is empty, too long or no e-mail;
    only when one is does each cell go through the check, which then says which and why."""
    cell = compile_check(spec, today)

    def cells(raws: list[str]) -> list[str | Bad]:
        return list(map(cell, raws))

    limit = spec.max_length
    if spec.codes is None and spec.transforms == ["trim"]:
        if spec.check == "mobile" and (limit is None or limit >= 11):
            return _whole(_all_mobiles(spec.required), cells)
        if spec.check == "id_number" and (limit is None or limit >= 18):
            return _whole(_all_id_numbers(today, spec.required), cells)
    if spec.codes is not None or spec.check == "date":
        return _distinct(cell)
    if spec.check not in ("text", "email"):
        return cells
    steps = [STEPS[step] for step in spec.transforms]
    required = spec.required
    # Every non-empty cell an e-mail address, asked cell by cell in C (one expression over the
    # column's lines was measured twice as slow: the address's backtracking is per line anyway).
    pattern = EMAIL.fullmatch if spec.check == "email" else None

    def column(raws: list[str]) -> list[str | Bad]:
        values: list[str] = raws
        for step in steps:
            if step in REMADE and step(joined := "".join(values)) == joined:
                continue  # nothing in the column changes: its cells kept, not a new copy of each
            values = AllGood(map(step, values))
        if values is raws:
            values = AllGood(raws)
        if (required and "" in values) or (limit is not None and max(map(len, values), default=0) > limit) \
                or (pattern is not None and not all(map(pattern, filter(None, values)))):
            return cells(raws)
        return cast(list[str | Bad], values)  # every cell good (an AllGood): its value is the transformed text

    return column


def _whole(fast: Callable[[list[str]], list[str] | None], cells: CompiledColumn) -> CompiledColumn:
    """A column answered at once when every cell is good as it stands, else cell by cell."""

    def column(raws: list[str]) -> list[str | Bad]:
        good = fast(raws)
        return cells(raws) if good is None else AllGood(good)

    return column


def _lines(raws: list[str]) -> str | None:
    """The cells one a line, or None when a cell holds a line break itself (its lines would
    pass for cells of their own)."""
    joined = "\n".join(raws) + "\n" if raws else ""
    return joined if joined.count("\n") == len(raws) else None


def _all_mobiles(required: bool) -> Callable[[list[str]], list[str] | None]:
    """Every cell 1[3-9] and nine ASCII digits with nothing to trim (or empty, when the field
    may be): one regular expression over the whole column."""
    shape = re.compile(r"(?:1[3-9][0-9]{9}\n)*" if required else r"(?:(?:1[3-9][0-9]{9})?\n)*")

    def good(raws: list[str]) -> list[str] | None:
        lines = _lines(raws)
        return raws if lines is not None and shape.fullmatch(lines) else None

    return good


def _all_id_numbers(today: datetime.date, required: bool) -> Callable[[list[str]], list[str] | None]:
    """Every cell an 18-digit ID number good as it stands (or empty, when the field may be): the
    shape, provinces, check digits (see `_id_number`) and birth days a column at a time, in C,
    each distinct birth day once."""
    born_well = _birth_days(today)
    first2, first17, last, born = itemgetter(slice(0, 2)), itemgetter(slice(0, 17)), itemgetter(17), \
        itemgetter(slice(6, 14))

    def good(raws: list[str]) -> list[str] | None:
        ids = raws if required else list(filter(None, raws))
        if not ids:
            return raws if not required or not raws else None
        if set(map(len, ids)) != {18}:
            return None
        leading = list(map(first17, ids))
        digits = "".join(leading)
        if not (digits.isascii() and digits.isdigit() and set(map(last, ids)) <= DIGITS_AND_X):
            return None
        if not all(map(PROVINCES.__contains__, map(first2, ids))):
            return None
        weighed = map(operator.mod, map(operator.mul, map(int, leading, repeat(13)), repeat(2)), repeat(11))
        if not all(map(operator.eq, map(CHECK_CHARS.__getitem__, weighed), map(last, ids))):
            return None
        if not all(map(born_well, set(map(born, ids)))):
            return None
        return raws

    return good


def _distinct(cell: Compiled) -> CompiledColumn:
    """A column of few distinct cells (units, codes, dates): each distinct cell checked once,
    the column answered from them in C."""

    def column(raws: list[str]) -> list[str | Bad]:
        distinct = set(raws)
        if len(distinct) > REMEMBERED and len(distinct) * 2 > len(raws):
            return list(map(cell, raws))
        answers = {raw: cell(raw) for raw in distinct}
        if Bad in set(map(type, answers.values())):
            return list(map(answers.__getitem__, raws))
        return AllGood(map(answers.__getitem__, raws))

    return column


def compile_check(spec: FieldSpec, today: datetime.date) -> Compiled:
    """The spec's transforms and check as one function of the raw cell text."""

    def rule(raw: str) -> str | Bad:
        value, problem = check_value(transform(raw, spec), spec, today)
        return value if problem is None else Bad(value, problem)

    trim_only = spec.transforms == ["trim"]
    required = Bad("", phrase("users.required")) if spec.required else None
    limit = spec.max_length
    if spec.codes is None and spec.check in ("text", "email"):
        shaped: Callable[[str], str] = str.strip if trim_only else partial(transform, spec=spec)
        return _text(shaped, required, limit, EMAIL if spec.check == "email" else None)
    if spec.codes is None and trim_only:
        if spec.check == "mobile" and (limit is None or limit >= 11):
            return _mobile(rule)
        if spec.check == "id_number" and (limit is None or limit >= 18):
            return _id_number(rule, today)
    if spec.check in ("text", "date") or spec.codes is not None:
        return _remembered(rule)  # few distinct values in a column: units, codes, dates, posts
    return rule


def _text(shaped: Callable[[str], str], required: Bad | None, limit: int | None,
          pattern: re.Pattern[str] | None) -> Compiled:
    """Text and e-mail fields: the transforms, required, the pattern, the length."""
    wrong = phrase("users.email")

    def text(raw: str) -> str | Bad:
        value = shaped(raw)
        if not value:
            return required or value
        if pattern is not None and pattern.fullmatch(value) is None:
            return Bad(value, wrong)
        if limit is not None and len(value) > limit:
            return Bad(value, phrase("users.too_long", length=len(value), limit=limit))
        return value

    return text


def _mobile(rule: Compiled) -> Compiled:
    def mobile(raw: str) -> str | Bad:
        # 1[3-9] and nine more ASCII digits, with nothing to trim, is the rule's answer as is.
        if len(raw) == 11 and raw.isascii() and raw.isdigit() and raw[0] == "1" and raw[1] in MOBILE_SECOND:
            return raw
        return rule(raw)

    return mobile


def _birth_days(today: datetime.date) -> Callable[[str], bool]:
    """Whether YYYYMMDD is a real day between 1900 and today, each day's answer remembered."""
    earliest = datetime.date(1900, 1, 1)
    births: dict[str, bool] = {}

    def born_well(digits: str) -> bool:
        known = births.get(digits)
        if known is None:
            try:
                known = earliest <= datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])) <= today
            except ValueError:
                known = False
            if len(births) < BIRTH_DAYS:
                births[digits] = known
        return known

    return born_well


def _id_number(rule: Compiled, today: datetime.date) -> Compiled:
    chars, provinces = CHECK_CHARS, PROVINCES
    born_well = _birth_days(today)

    def id_number(raw: str) -> str | Bad:
        # 17 ASCII digits and a right check digit (X in upper case) from a known province, born
        # on a real day between 1900 and today: good as it stands. Anything else: the rule.
        # The weights of GB 11643 are 2^k mod 11 and 13 ≡ 2 (mod 11), so the weighted sum is
        # twice the 17 digits read in base 13, mod 11: one int() in C instead of 17 products.
        if len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[:2] in provinces \
                and chars[2 * int(raw[:17], 13) % 11] == raw[17] and born_well(raw[6:14]):
            return raw
        return rule(raw)

    return id_number


def _remembered(rule: Compiled) -> Compiled:
    seen: dict[str, str | Bad] = {}

    def remembered(raw: str) -> str | Bad:
        found = seen.get(raw)
        if found is None:
            found = rule(raw)
            if len(seen) < REMEMBERED:
                seen[raw] = found
        return found

    return remembered
