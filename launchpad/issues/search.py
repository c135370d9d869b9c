"""Full-text search that finds Chinese substrings, including the one- and two-character
queries people type most (登录, 报表, 卡).

SQLite's trigram tokenizer finds any substring of three characters or more, but nothing
shorter. So every issue also carries its bigrams as tokens — `登录失败` is indexed as
`登录 录失 失败 败` — in a second FTS5 index (detail=none, a one-character prefix index):
a two-character query is one token lookup, a one-character query a prefix lookup (`登*`
matches `登录` and a final `登`). Both indexes are filled by triggers from two columns that
`search_columns` computes when an issue is written (see `launchpad.issues.schema`).

Text is NFKC-normalised and case-folded on both sides, so a full-width `ＶＰＮ` typed on a
Chinese keyboard finds `vpn`, and `Ｘ` finds `x`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Runs of letters and digits (CJK included); `_` is left out because FTS5's unicode61
# tokenizer splits on it, and a gram must be exactly one token there.
_RUN = re.compile(r"[^\W_]+")
SEARCHED_FIELDS = ("title", "description", "reporter", "module", "owner", "resolution")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def grams_of(text: str) -> set[str]:
    """Every bigram of every run, plus each run's last character: the tokens of the
    short-query index."""
    grams: set[str] = set()
    for run in _RUN.findall(text):
        grams.update(run[i: i + 2] for i in range(len(run) - 1))
        grams.add(run[-1])
    return grams


def search_columns(values: dict[str, Any]) -> dict[str, str]:
    """The two indexed columns for an issue's field values."""
    text = normalize("\n".join(str(values.get(name) or "") for name in SEARCHED_FIELDS))
    return {"search_text": text, "search_grams": " ".join(sorted(grams_of(text)))}


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search_matches(query: str, trigram: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
    """How to find every whitespace-separated term of `query` as a substring: (FTS table,
    MATCH expression) pairs, and LIKE patterns over `search_text` that must hold as well. A short
    term with punctuation in it is matched literally by LIKE (the grams only narrow it first).

    Without the trigram index (SQLite before 3.34) a long term is found by all its bigrams,
    then confirmed by LIKE on the few rows they leave: the same answers, a little slower."""
    long_terms: list[str] = []
    short_terms: list[str] = []
    patterns: list[str] = []
    for term in normalize(query).split():
        if len(term) >= 3 and trigram:
            long_terms.append(_quoted(term))
            continue
        if len(term) >= 3:
            short_terms.extend(_quoted(gram) for run in _RUN.findall(term)
                               for gram in sorted({run[i: i + 2] for i in range(len(run) - 1)}))
            patterns.append(_like(term))
            continue
        runs = _RUN.findall(term)
        short_terms.extend(_quoted(run) + ("*" if len(run) == 1 else "") for run in runs)
        if "".join(runs) != term:
            # Punctuation the gram index cannot hold (`%`, `-`, a full-width `，`): the term is
            # still found as it was typed, never dropped, so `-q '%'` cannot list every issue.
            patterns.append(_like(term))
    matches = []
    if long_terms:
        matches.append(("issues_trigram", " AND ".join(long_terms)))
    if short_terms:
        matches.append(("issues_grams", " AND ".join(short_terms)))
    return matches, patterns


def search_condition(query: str, trigram: bool = True, id_column: str = "issues.id") -> tuple[str, list[str]]:
    """The SQL condition on `id_column` for `query` (see `search_matches`), with its
    parameters; ("", []) when there is nothing to search for."""
    matches, patterns = search_matches(query, trigram)
    conditions = [f"{id_column} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)" for table, _ in matches]
    conditions += ["issues.search_text LIKE ? ESCAPE '\\'"] * len(patterns)
    return " AND ".join(conditions), [expression for _, expression in matches] + patterns


def has_trigram_index(db: Any) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'issues_trigram'").fetchone() is not None


def rebuild_search_index(db: Any) -> None:
    """Recompute both columns and indexes for every issue: for a store edited by hand."""
    rows = db.execute(f"SELECT id, {', '.join(SEARCHED_FIELDS)} FROM issues").fetchall()
    for row in rows:
        columns = search_columns(dict(zip(SEARCHED_FIELDS, row[1:], strict=True)))
        db.execute("UPDATE issues SET search_text = ?, search_grams = ? WHERE id = ?",
                   [columns["search_text"], columns["search_grams"], row[0]])
    for table in ("issues_trigram", "issues_grams") if has_trigram_index(db) else ("issues_grams",):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
