"""A batch's new users as the rows of the stage, in the bulk loaders' text format (MariaDB's
`LOAD DATA` and PostgreSQL's `COPY` read it alike): built a column at a time — each column
taken from the users with `map`, each line one join over the columns — because a batch is tens
of thousands of rows built while the one before is on the host (bench/import: 5.5 → 4.6 µs a
row against building each row's list of cells)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any, cast

NULL = "\\N"  # how both loaders' text format writes NULL
# Both loaders read a backslash as an escape: these four are all a value needs.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = ("\\", "\t", "\n", "\r")
_APART = "\x1f"  # between a row's role keys, to find rows with the same set
_SETS = "\x1e"  # between its roles and its posts
# A batch's roles and posts travel as bits on the user's own row (not a row per link): keys
# 0..61 in the first BIGINT of each kind, and so on; bit 63 stays clear of the sign.
MASK_BITS = 62


def escaped(value: str | None) -> str:
    return NULL if value is None else value.translate(_ESCAPE)


class StageCells:
    """The stage's cells of a batch's new users, a column at a time: the key, each field (None
    where the row leaves it out), the hash, the salt and a made id."""

    def __init__(self, inserts: list[Any], fields: list[str], hashes: dict[str, str], salts: dict[str, str] | None,
                 own_uuid: bool) -> None:
        self.inserts, self.fields = inserts, fields
        self.values = [u.values for u in inserts]
        self.keys = keys = [u.key for u in inserts]
        count = len(inserts)
        self.raw: list[list[str | None]] = [list(keys)]
        self.raw += [list(map(dict.get, self.values, repeat(f, count))) for f in fields]
        self.raw.append(list(map(hashes.__getitem__, keys)))
        if salts is not None:
            self.raw.append(list(map(salts.__getitem__, keys)))
        self.made = [str(uuid.uuid4()) for _ in keys] if own_uuid else None

    def texts(self) -> list[list[str]]:
        """The columns in the loader's text format. Most batches hold no backslash, tab or line
        break in any value: then no value is escaped one by one (the check is one search a column)."""
        joined = ["".join(filter(None, column)) for column in self.raw]
        plain = not any(char in text for text in joined for char in _SPECIAL)
        if plain:  # a missing field is NULL; a column that misses none is taken as it is (one search in C)
            found = [[NULL if value is None else value for value in column] if None in column
                     else cast(list[str], column) for column in self.raw]
        else:
            found = [list(map(escaped, column)) for column in self.raw]
        return found + ([self.made] if self.made is not None else [])

    def distinct(self, field: str) -> set[str]:
        """The values of `field` in the batch, each once."""
        return set(filter(None, self.raw[1 + self.fields.index(field)]))

    def widths(self) -> list[int]:
        """The longest value, in characters, of each value column (the key's apart)."""
        return [max(map(len, filter(None, column)), default=0) for column in self.raw[1:]] + \
            ([36] if self.made is not None else [])

    def shapes(self, shapes: dict[tuple[str, ...], int],
               ranked: bool) -> tuple[list[str], list[int], dict[str, int]]:
        """Each row's shape (its number in `shapes`, which gains the batch's new shapes) and,
        when `ranked`, its rank among its shape's rows and each shape's count."""
        shape_of: dict[tuple[str, ...], str] = {}  # by the row's own field order

        def new(names: tuple[str, ...]) -> str:
            filled = tuple(f for f in self.fields if f in names)
            shape_of[names] = found = str(shapes.setdefault(filled, len(shapes)))
            return found

        row_shapes = [shape_of.get(names) or new(names) for names in map(tuple, self.values)]
        if not ranked:
            return row_shapes, [], {}
        if len(set(shape_of.values())) == 1:  # one shape, the usual sheet: the ranks are the rows' order
            return row_shapes, list(range(1, len(row_shapes) + 1)), {row_shapes[0]: len(row_shapes)}
        counted: dict[str, int] = {}
        ranks = []
        for shape in row_shapes:
            counted[shape] = rank = counted.get(shape, 0) + 1
            ranks.append(rank)
        return row_shapes, ranks, counted

    def masks(self, role_bit: dict[str, int], post_bit: dict[str, int], roles: int,
              posts: int) -> list[list[str]]:
        """The mask columns: each row's roles and posts as bits, worked out once per set, and
        each column then one lookup a row (not a row's list of words turned into columns)."""
        role_lists = list(map(attrgetter("roles_added"), self.inserts))
        post_lists = list(map(attrgetter("posts_added"), self.inserts))
        # Rows with the same roles and posts are found by a text of them: a join costs less
        # than a tuple, and tells the sets apart while no key holds either separator.
        held: list[Any]
        if any(_APART in key or _SETS in key for key in (*role_bit, *post_bit)):
            held = list(zip(map(tuple, role_lists), map(tuple, post_lists), strict=True))
        else:
            held = list(map(_SETS.join, zip(map(_APART.join, role_lists), map(_APART.join, post_lists), strict=True)))
        at_row = dict(zip(held, range(len(held)), strict=True))  # each set, and a row that has it
        words = {one: _masks(role_lists[at], role_bit, roles) + _masks(post_lists[at], post_bit, posts)
                 for one, at in at_row.items()}
        width = len(next(iter(words.values()), []))  # every set has as many words
        return [list(map({one: word[column] for one, word in words.items()}.__getitem__, held))
                for column in range(width)]


def _masks(keys: Sequence[str], bit: dict[str, int], count: int) -> list[str]:
    """The row's roles (or posts) as bits of BIGINTs, MASK_BITS keys each; NULL for none."""
    words = [0] * -(-count // MASK_BITS)
    for key in keys:
        words[bit[key] // MASK_BITS] |= 1 << bit[key] % MASK_BITS
    return [str(word) if word else NULL for word in words]

