"""Users from a query on another system's database (the mapping's `source: {kind: database}`).

The query runs as the `sql` step runs one: the database's own client on the host that reaches
it, credentials in a private folder there, the mapping's `params` sent as parameters (never
spliced into the text), every command audited. Its column names are the headers; its rows are
numbered from 1 in the order the query returns them.
"""

from __future__ import annotations

from launchpad.errors import LaunchpadError
from launchpad.phrases import phrase
from launchpad.users.sources import Sheet, records_sheet
from launchpad.users.target import TargetFailed, TargetSession


class SourceQueryFailed(LaunchpadError):
    """The mapping's query could not be run: nothing was read, nothing planned."""

    title = "the users' query failed"


def read_query(session: TargetSession, query: str, params: dict[str, str | int | None], name: str) -> Sheet:
    """The query's rows under its column names, as a sheet called `name`."""
    try:
        result = session.query(query, dict(params))
    except TargetFailed as exc:
        raise SourceQueryFailed(phrase("users.source_said", name=name, message=exc.said),
                                hint=phrase("users.source_query_hint")) from None
    return records_sheet(name, list(result.columns), [[_text(value) for value in row] for row in result.rows])


def _text(value: object) -> str:
    """A value as a sheet shows it. MySQL and PostgreSQL answer text, SQLite numbers as numbers:
    a 0 stays "0" (not empty), a REAL holding 1 is "1"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
