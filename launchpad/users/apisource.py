"""Users from another system's HTTP JSON interface (the mapping's `source: {kind: api}`).

Pages are fetched one after the other, by a page number and size in the query string or by
following the answer's next link, never more than `max_pages`. By number, the list ends once
as many users came as the answer's total says (`paging.total`), else at an empty page or one
shorter than the first: a server may keep to fewer a page than the size asked for, so a short
first page is not taken for the last. A page that repeats a short page before it ends the list
too: RuoYi's PageHelper (`reasonable`, its default) answers a page past the end with the last
page again. Fewer users than the total is an error, never a list silently cut short. The bearer token comes from a
secret reference and goes into the Authorization header only: it is never part of a URL, and
any text shown from the server's answer has it blotted out, so an API that echoes its headers
cannot put the token into an error, a log or the store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.httperrors import http_reason
from launchpad.phrases import Phrase, phrase
from launchpad.users.mapping import ApiSource
from launchpad.users.sources import Sheet, records_sheet

AuditFn = Callable[[str, str, dict[str, Any]], None]
SHOWN_BODY = 200  # characters of an error answer shown


class ApiSourceFailed(LaunchpadError):
    """The users' API answered with an error, with something that is not JSON, or with an
    unexpected shape."""

    title = "cannot read the users' API"


def read_api(source: ApiSource, token: str | None, audit: AuditFn) -> Sheet:
    """Every page's records as one table, the columns in the order they first appear."""
    import httpx

    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    paging = source.paging
    limit = paging.max_pages if paging is not None else 1
    records: list[dict[str, Any]] = []
    previous: list[dict[str, Any]] = []
    total: int | None = None
    kept = 0  # the page size the server keeps to: the first page's, when shorter than asked
    repeated = 0  # the page whose users came again on the page after it, ending the list
    url, number, page = source.url, paging.first_page if paging else 1, 1
    with httpx.Client(headers=headers, timeout=source.timeout, follow_redirects=False) as client:
        while True:
            params: dict[str, Any] = {}
            if paging is not None and paging.page_param:
                params[paging.page_param] = number
            if paging is not None and paging.size_param:
                params[paging.size_param] = paging.size
            answer = _fetch(client, url, params, page, token)
            items = _items(answer, source.list, url, page)
            if items and items == previous and _past_the_end(paging, total, previous):
                repeated = page - 1
                break
            if items and items == previous:  # a page parameter the API ignores, a next link to itself
                raise ApiSourceFailed(phrase("api.same_page", where=_where(url, page), previous=page - 1),
                                      hint=phrase("api.same_page_hint"))
            if paging is not None and paging.total is not None and total is None:
                total = _total(answer, paging.total, url, page)
            records.extend(items)
            previous = items
            if page == 1 and paging is not None:
                kept = min(len(items), paging.size)
            following = _following(paging, answer, items, url, page, token)
            if following == "" and _last_page(items, len(records), total, kept):
                following = None
            if following is None:
                break
            if page >= limit:
                raise ApiSourceFailed(phrase("api.more_pages", url=source.url, pages=page),
                                      hint=phrase("api.more_pages_hint"))
            url, number, page = following or url, number + 1, page + 1
    pages = repeated or page
    audit("user_source_read", source.url, {"kind": "api", "pages": pages, "records": len(records)})
    if total is not None and paging is not None and total != len(records):
        raise ApiSourceFailed(phrase("api.total_differs", url=source.url, path=paging.total, total=total,
                                     count=len(records)), hint=phrase("api.total_differs_hint"))
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    names = list(columns)
    rows = [[_text(record.get(name)) for name in names] for record in records]
    sheet = records_sheet("api", names, rows)
    sheet.notes.append(phrase("users.api_read", count=len(records), url=source.url, pages=pages))
    if repeated:
        sheet.notes.append(phrase("users.api_repeated_end", url=source.url, page=repeated + 1, previous=repeated,
                                  count=len(records)))
    return sheet


def _past_the_end(paging: Any, total: int | None, previous: list[dict[str, Any]]) -> bool:
    """Whether a page by number that repeats the one before, a short one, is the API's answer to
    a page past the end (the last page again), not a page number it ignores: an API that ignored
    it would repeat a full page. Said in a note, with the total that would make it certain."""
    return paging.next is None and total is None and len(previous) < paging.size


def _following(paging: Any, answer: Any, items: list[dict[str, Any]], url: str, page: int,
               token: str | None) -> str | None:
    """The next page's URL ("" for the same URL with the next page number, unless the page ends
    the list: `read_api` decides that), or None at the end."""
    import httpx

    if paging is None:
        return None
    if paging.next is not None:
        link = _at(answer, paging.next, url, page, missing_ok=True)
        if link in (None, ""):
            return None
        if not isinstance(link, str):
            raise ApiSourceFailed(phrase("api.not_a_link", where=_where(url, page), path=paging.next,
                                         kind=type(link).__name__), hint=phrase("api.not_a_link_hint"))
        try:
            joined = httpx.URL(url).join(link)
        except httpx.InvalidURL:  # `http://[::1/x`: the server's link, not the mapping, is wrong
            raise ApiSourceFailed(phrase("api.bad_link", where=_where(url, page), path=paging.next,
                                         link=_blot(link, token)), hint=phrase("api.owner_hint")) from None
        if joined.host != httpx.URL(url).host or joined.scheme != httpx.URL(url).scheme:
            # The token goes with every page: never to a host the mapping does not name.
            raise ApiSourceFailed(phrase("api.other_server", where=_where(url, page), host=joined.host),
                                  hint=phrase("api.other_server_hint"))
        return str(joined)
    if paging.page_param is None:
        return None
    return ""


def _last_page(items: list[dict[str, Any]], read: int, total: int | None, kept: int) -> bool:
    """Whether a page asked for by number ends the list: with the API's total, once that many
    came; without it, at an empty page or one shorter than the first. A server that keeps to
    fewer than the size asked for (100 of 500) gives a short first page that is not the last."""
    if not items:
        return True
    if total is not None:
        return read >= total
    return len(items) < kept


def _total(answer: Any, path: str, url: str, page: int) -> int:
    """The number of users the answer says the list holds (a number, or digits as text)."""
    value = _at(answer, path, url, page)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ApiSourceFailed(phrase("api.not_a_total", where=_where(url, page), path=path, kind=type(value).__name__),
                          hint=phrase("api.not_a_total_hint"))


def _fetch(client: Any, url: str, params: dict[str, Any], page: int, token: str | None) -> Any:
    import httpx

    where = _where(url, page)
    seconds = client.timeout.read
    timed_out = ApiSourceFailed(phrase("api.timeout", where=where, seconds=seconds), hint=phrase("api.timeout_hint"))
    # httpx's timeout is per read: an answer trickling a byte at a time would never end, so
    # the whole page must come within the timeout too.
    deadline = time.monotonic() + seconds
    try:
        # Merged into the URL's own query: httpx's `params=` would replace it, dropping a filter
        # written into the mapping's url (?status=1) or a next link's cursor.
        with client.stream("GET", httpx.URL(url).copy_merge_params(params) if params else url) as response:
            chunks = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise timed_out
    except httpx.TimeoutException:
        raise timed_out from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # `http://[::1/x` passes the mapping's pattern
        reason = http_reason(exc)
        raise ApiSourceFailed(phrase("api.failed", where=where, error=_blot(reason, token) if isinstance(reason, str)
                                     else reason), hint=phrase("api.failed_hint")) from None
    content = b"".join(chunks)
    if response.status_code >= 300:
        body = _blot(_shown(content, response), token)
        hint = phrase("api.token_hint" if response.status_code in (401, 403) else "api.owner_hint")
        raise ApiSourceFailed(phrase("api.answered", where=where, status=response.status_code,
                                     reason=response.reason_phrase, body=body), hint=hint)
    try:
        return json.loads(_json_text(content, response.charset_encoding))
    except (ValueError, LookupError):  # LookupError: a charset Python does not know
        body = _blot(_shown(content, response), token)
        raise ApiSourceFailed(phrase("api.not_json", where=where, body=body),
                              hint=phrase("api.not_json_hint")) from None


def _json_text(content: bytes, charset: str | None) -> str:
    """The answer as JSON text: in the charset the server declares, else as json reads bytes
    (UTF-8, -16 or -32), else GB18030, which older Chinese systems answer in without saying so."""
    if charset:
        return content.decode(charset)
    try:
        return content.decode(json.detect_encoding(content))
    except UnicodeDecodeError:
        return content.decode("gb18030")


def _shown(content: bytes, response: Any) -> str:
    """The start of an answer's text, decoded as its JSON would be."""
    try:
        text = _json_text(content, response.charset_encoding)
    except (ValueError, LookupError):
        text = content.decode("utf-8", errors="replace")
    return text[:SHOWN_BODY]


def _where(url: str, page: int) -> Phrase:
    return phrase("api.where", url=url, page=page)


def _at(answer: Any, path: str, url: str, page: int, missing_ok: bool = False) -> Any:
    """The value at a dotted path (data.rows; a number indexes a list)."""
    value = answer
    for part in [p for p in path.split(".") if p]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif missing_ok:
            return None
        else:
            raise ApiSourceFailed(phrase("api.no_path", where=_where(url, page), path=path, part=part),
                                  hint=phrase("api.no_path_hint"))
    return value


def _items(answer: Any, path: str, url: str, page: int) -> list[dict[str, Any]]:
    items = _at(answer, path, url, page)
    where, what = _where(url, page), path or phrase("api.the_answer")
    if not isinstance(items, list):
        raise ApiSourceFailed(phrase("api.not_a_list", where=where, path=what, kind=type(items).__name__),
                              hint=phrase("api.not_a_list_hint"))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ApiSourceFailed(phrase("api.not_an_object", where=where, index=i, path=what,
                                         kind=type(item).__name__),
                                  hint=phrase("api.list_hint"))
    return items


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _blot(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text
