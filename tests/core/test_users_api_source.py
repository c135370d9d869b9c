"""User import whose rows come from another system's HTTP JSON interface (`source: {kind: api}`),
against a loopback HTTP server the tests start: pages by number and size or by next link, a
bearer token from a secret reference that never shows, and an API that misbehaves named by
its URL and page with exit 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlparse

import pytest

from launchpad.errors import InvalidInput, UsageError
from launchpad.phrases import render
from launchpad.store.db import Store
from launchpad.users.apisource import ApiSourceFailed, read_api
from launchpad.users.layout import locate
from launchpad.users.mapping import ApiSource, load_mapping
from launchpad.users.operations import read_rows
from launchpad.users.sources import UnreadableSheet, records_sheet
from launchpad.workspace.folder import load_workspace
from tests.core.users_sheets import MAPPING, write_mapping
from tests.workspaces import write_workspace

TOKEN = "canary-7f3a9c-token"
CAPPED = 2  # users a page of /capped holds at most
DRIPPED = 200  # bytes of the answer that never ends, sent one by one
PEOPLE = [
    {"login": "zhangsan", "name": "张三", "mobile": "13800138000", "unit": "办公室"},
    {"login": "lisi", "name": "李四", "mobile": "1390", "unit": "信息中心"},
    {"login": "wangwu", "name": "王五", "mobile": "13700137000", "unit": "办公室", "extra": {"level": 3}},
    {"login": "zhaoliu", "name": "赵六", "mobile": None, "unit": "办公室"},
    {"login": "qianqi", "name": "钱七", "mobile": "13500135000", "unit": "办公室"},
]


class _Api(BaseHTTPRequestHandler):
    """/paged?page=N&size=M, /linked (next links), /broken/N (page N fails as `mode` says)."""

    mode = "error"
    released = threading.Event()

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            # An API that echoes what it got: the token must still never show.
            return self._send(401, json.dumps({"msg": f"bad {self.headers.get('Authorization')}"}))
        if url.path == "/paged":
            page, size = int(query["page"]), int(query["size"])
            rows = PEOPLE[(page - 1) * size: page * size]
            return self._send(200, json.dumps({"code": 200, "data": {"rows": rows, "total": len(PEOPLE)}}))
        if url.path in ("/capped", "/overcounted"):  # never more than CAPPED a page, whatever size is asked for
            page, size = int(query["page"]), min(int(query.get("size", CAPPED)), CAPPED)
            total = len(PEOPLE) + (2 if url.path == "/overcounted" else 0)
            rows = PEOPLE[(page - 1) * size: page * size]
            return self._send(200, json.dumps({"code": 200, "data": {"rows": rows, "total": total}}))
        if url.path == "/reasonable":  # RuoYi's PageHelper: a page past the end is the last page again
            page, size = int(query["pageNum"]), int(query["pageSize"])
            last = max(1, -(-len(PEOPLE) // size))
            rows = PEOPLE[(min(page, last) - 1) * size: min(page, last) * size]
            return self._send(200, json.dumps({"code": 200, "rows": rows}))
        if url.path == "/filtered":  # the mapping's url names the unit: ?unit=办公室
            page, size = int(query["page"]), int(query["size"])
            rows = [person for person in cast(list[dict[str, Any]], PEOPLE) if person["unit"] == query.get("unit")]
            return self._send(200, json.dumps({"data": {"rows": rows[(page - 1) * size: page * size]}}))
        if url.path == "/linked":
            at = int(query.get("after", "0"))
            more = {"next": f"/linked?after={at + 2}"} if at + 2 < len(PEOPLE) else {}
            return self._send(200, json.dumps({"items": PEOPLE[at: at + 2], "links": more}))
        if url.path == "/elsewhere":
            return self._send(200, json.dumps({"items": PEOPLE[:1], "links": {"next": "http://other.example/x"}}))
        if url.path == "/unlinkable":  # a next link no URL parser takes (an unclosed IPv6 bracket)
            return self._send(200, json.dumps({"items": PEOPLE[:1], "links": {"next": "http://[::1/x"}}))
        if url.path == "/empty":
            return self._send(200, json.dumps({"data": {"rows": []}}))
        if url.path == "/silent":
            _Api.released.wait(30)  # answers only once the test is done with it
            return self._send(200, "[]")
        if url.path == "/gbk":  # an older system's JSON in its own encoding, declared or not
            data = json.dumps({"items": PEOPLE[:2]}, ensure_ascii=False).encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "application/json" + ("" if "bare" in query else ";charset=GBK"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        if url.path == "/stuck":  # the first page again, whatever page is asked for
            return self._send(200, json.dumps({"data": {"rows": PEOPLE[:2]}, "links": {"next": "/stuck"}}))
        if url.path == "/dripping":  # an answer that never ends: a byte at a time, each in time
            self.send_response(200)
            self.send_header("Content-Length", str(DRIPPED))
            self.end_headers()
            for _ in range(DRIPPED):
                if _Api.released.wait(0.05):
                    break
                self.wfile.write(b" ")
                self.wfile.flush()
            return None
        if url.path == "/broken":
            if query["page"] == "1":
                return self._send(200, json.dumps({"data": {"rows": PEOPLE[:2]}}))
            if self.mode == "error":
                return self._send(500, f"internal error; you sent {self.headers.get('Authorization')}")
            if self.mode == "html":
                return self._send(200, "<html>login page</html>")
            return self._send(200, json.dumps({"data": {"rows": {"login": "x"}}}))
        self._send(404, "{}")

    def _send(self, status: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Api.released.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    _Api.released.set()
    httpd.shutdown()
    httpd.server_close()


def source(**fields: Any) -> ApiSource:
    return ApiSource.model_validate({"kind": "api", **fields})


def test_every_page_is_read_by_number_and_size_into_one_table(api: str) -> None:
    audited: list[tuple[str, str, dict[str, Any]]] = []
    sheet = read_api(source(url=f"{api}/paged", list="data.rows",
                            paging={"page_param": "page", "size_param": "size", "size": 2}),
                     TOKEN, lambda *entry: audited.append(entry))
    assert sheet.records and sheet.rows[0] == ["login", "name", "mobile", "unit", "extra"]
    assert [row[0] for row in sheet.rows[1:]] == ["zhangsan", "lisi", "wangwu", "zhaoliu", "qianqi"]
    assert sheet.rows[3][4] == '{"level": 3}' and sheet.rows[4][2] == ""
    assert audited == [("user_source_read", f"{api}/paged", {"kind": "api", "pages": 3, "records": 5})]


@pytest.mark.parametrize("total", [None, "data.total"], ids=["pages until one is shorter", "the API's total"])
def test_a_server_that_caps_the_page_size_still_gives_every_user(api: str, total: str | None) -> None:
    # Asked for 500 a page, the server gives 2: its first page is short, yet not the last.
    audited: list[tuple[str, str, dict[str, Any]]] = []
    sheet = read_api(source(url=f"{api}/capped", list="data.rows",
                            paging={"page_param": "page", "size_param": "size", "size": 500,
                                    **({"total": total} if total else {})}),
                     TOKEN, lambda *entry: audited.append(entry))
    assert [row[0] for row in sheet.rows[1:]] == ["zhangsan", "lisi", "wangwu", "zhaoliu", "qianqi"]
    assert audited == [("user_source_read", f"{api}/capped", {"kind": "api", "pages": 3, "records": len(PEOPLE)})]
    assert [str(note) for note in sheet.notes] == [f"{len(PEOPLE)} user(s) read from {api}/capped in 3 page(s)"]


@pytest.mark.parametrize("size", [500, 2], ids=["one short page", "a short last page"])
def test_an_api_that_answers_a_page_past_the_end_with_its_last_page_gives_every_user_once(
        api: str, size: int) -> None:
    audited: list[tuple[str, str, dict[str, Any]]] = []
    sheet = read_api(source(url=f"{api}/reasonable", list="rows",
                            paging={"page_param": "pageNum", "size_param": "pageSize", "size": size}),
                     TOKEN, lambda *entry: audited.append(entry))
    assert [row[0] for row in sheet.rows[1:]] == ["zhangsan", "lisi", "wangwu", "zhaoliu", "qianqi"]
    pages = -(-len(PEOPLE) // size)
    assert audited == [("user_source_read", f"{api}/reasonable", {"kind": "api", "pages": pages, "records": 5})]
    if size == 500:  # a short first page asks for the next; its repeat ends the list, and the note says so
        said = [render(note, "zh") for note in sheet.notes]
        assert said[0] == f"从 {api}/reasonable 读取了 5 个用户，共 1 页"
        assert said[1].startswith(f"{api}/reasonable 的第 2 页与第 1 页（不足一页）的用户相同：视为列表已结束")
        assert "paging.total" in said[1]
    else:  # a short last page after full ones ends the list without asking again
        assert len(sheet.notes) == 1


def test_a_query_in_the_mappings_url_goes_with_every_page(api: str) -> None:
    # A filter written into the url (one unit, active users only) must never be dropped for the
    # page parameters: the whole list would be imported.
    sheet = read_api(source(url=f"{api}/filtered?unit=办公室", list="data.rows",
                            paging={"page_param": "page", "size_param": "size", "size": 2}), TOKEN,
                     lambda *entry: None)
    assert [row[0] for row in sheet.rows[1:]] == ["zhangsan", "wangwu", "zhaoliu", "qianqi"]
    # Nor a next link's own query (its cursor) for the size parameter.
    linked = read_api(source(url=f"{api}/linked", list="items", paging={"next": "links.next", "size_param": "size"}),
                      TOKEN, lambda *entry: None)
    assert len(linked.rows) == 1 + len(PEOPLE)


def test_fewer_users_than_the_apis_total_is_refused_with_both_counts(api: str) -> None:
    with pytest.raises(ApiSourceFailed) as raised:
        read_api(source(url=f"{api}/overcounted", list="data.rows",
                        paging={"page_param": "page", "size_param": "size", "size": 500, "total": "data.total"}),
                 TOKEN, lambda *entry: None)
    assert f"{api}/overcounted: the answer's data.total says 7 user(s), its pages held 5" in raised.value.message
    assert raised.value.exit_code == 2 and "nothing was imported" in str(raised.value.hint)


def test_a_total_that_is_not_a_number_is_named(api: str) -> None:
    with pytest.raises(ApiSourceFailed, match=r"/capped \(page 1\): data.rows is a list, not a number of users"):
        read_api(source(url=f"{api}/capped", list="data.rows", paging={"page_param": "page", "total": "data.rows"}),
                 TOKEN, lambda *entry: None)


def test_next_links_are_followed_and_the_page_count_is_bounded(api: str) -> None:
    sheet = read_api(source(url=f"{api}/linked", list="items", paging={"next": "links.next"}), TOKEN,
                     lambda *entry: None)
    assert len(sheet.rows) == 6
    with pytest.raises(ApiSourceFailed, match=r"/linked: still more users after 2 page\(s\)"):
        read_api(source(url=f"{api}/linked", list="items", paging={"next": "links.next", "max_pages": 2}),
                 TOKEN, lambda *entry: None)
    with pytest.raises(ApiSourceFailed, match="the next link leads to another server"):
        read_api(source(url=f"{api}/elsewhere", list="items", paging={"next": "links.next"}), TOKEN,
                 lambda *entry: None)


@pytest.mark.parametrize("paging", [{"page_param": "pageNum", "size": 2}, {"next": "links.next"}],
                         ids=["page parameter ignored", "next link to itself"])
def test_paging_that_never_ends_stops_at_the_first_page_read_twice(api: str, paging: dict[str, Any]) -> None:
    with pytest.raises(ApiSourceFailed) as raised:
        read_api(source(url=f"{api}/stuck", list="data.rows", paging={**paging, "max_pages": 50}), TOKEN,
                 lambda *entry: None)
    assert f"{api}/stuck (page 2): the same users as page 1 again" in raised.value.message
    assert "paging" in str(raised.value.hint) and raised.value.exit_code == 2


def test_a_next_link_that_is_not_a_url_is_named_by_source_and_page(api: str) -> None:
    with pytest.raises(ApiSourceFailed) as refused:
        read_api(source(url=f"{api}/unlinkable", list="items", paging={"next": "links.next"}), TOKEN,
                 lambda *entry: None)
    assert refused.value.exit_code == 2
    english, chinese = refused.value.render("en"), refused.value.render("zh")
    assert f"{api}/unlinkable (page 1): the next link at links.next is not a URL: 'http://[::1/x'" in english, english
    assert f"{api}/unlinkable（第 1 页）：links.next 处的下一页链接不是有效的 URL" in chinese, chinese
    assert "ask the system's owner" in english


@pytest.mark.parametrize(("mode", "says"), [
    ("error", "(page 2): answered 500 Internal Server Error: 'internal error; you sent Bearer ***'"),
    ("html", "(page 2): the answer is not JSON: '<html>login page</html>'"),
    ("shape", "(page 2): data.rows is dict, not a list of users"),
])
def test_an_api_that_misbehaves_is_named_by_url_and_page_without_the_token(
        api: str, mode: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Api, "mode", mode)
    with pytest.raises(ApiSourceFailed) as raised:
        read_api(source(url=f"{api}/broken", list="data.rows", paging={"page_param": "page", "size": 2}),
                 TOKEN, lambda *entry: None)
    assert f"{api}/broken {says}" in raised.value.message
    assert raised.value.exit_code == 2 and TOKEN not in str(raised.value) + raised.value.hint


def test_an_api_that_does_not_answer_in_time_is_named(api: str) -> None:
    with pytest.raises(ApiSourceFailed, match=r"/silent \(page 1\): no answer within 0.2 s"):
        read_api(source(url=f"{api}/silent", timeout=0.2), TOKEN, lambda *entry: None)


@pytest.mark.parametrize("query", ["", "?bare=1"], ids=["charset GBK", "no charset"])
def test_an_answer_in_gbk_is_read_as_chinese(api: str, query: str) -> None:
    sheet = read_api(source(url=f"{api}/gbk{query}", list="items"), TOKEN, lambda *entry: None)
    assert [row[1] for row in sheet.rows[1:]] == ["张三", "李四"]


def test_an_answer_that_keeps_trickling_is_cut_off_after_the_timeout(api: str) -> None:
    # Each byte comes within the timeout, so only a limit on the whole page ends it.
    with pytest.raises(ApiSourceFailed, match=r"/dripping \(page 1\): no answer within 0.2 s"):
        read_api(source(url=f"{api}/dripping", timeout=0.2), TOKEN, lambda *entry: None)


def test_an_api_nothing_listens_for_says_why_in_the_readers_language() -> None:
    from launchpad.phrases import render
    from tests.loopback import closed_port

    url = f"http://127.0.0.1:{closed_port()}/users"
    with pytest.raises(ApiSourceFailed) as raised:
        read_api(source(url=url), TOKEN, lambda *entry: None)
    assert render(raised.value.said, "zh") == f"{url}（第 1 页）：连接被拒绝：该端口上没有服务在监听"
    assert "ConnectError" not in str(raised.value) and "Errno" not in str(raised.value)


def test_a_wrong_token_is_refused_without_showing_it(api: str) -> None:
    with pytest.raises(ApiSourceFailed) as raised:
        read_api(source(url=f"{api}/paged", list="data.rows"), "wrong-" + TOKEN, lambda *entry: None)
    assert "answered 401 Unauthorized" in raised.value.message and TOKEN not in raised.value.message
    assert "token" in raised.value.hint


def test_a_token_written_into_the_mapping_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write_mapping(tmp_path, MAPPING + f"source: {{kind: api, url: 'http://x/u', token: {TOKEN}}}\n")
    with pytest.raises(InvalidInput) as raised:
        load_mapping(path)
    assert re.search(r"ruoyi\.yaml:\d+:\d+: .*a secret must be a reference", str(raised.value)), str(raised.value)
    assert TOKEN not in str(raised.value)


API_FIELDS = (MAPPING.replace("[账号, 用户名, 登录名]", "[账号, login]")
              .replace("[姓名, 用户姓名, 名字]", "[姓名, name]")
              .replace("[手机, 手机号, 手机号码]", "[手机号码, mobile]")
              .replace("[实际单位, 单位]", "[单位, unit]"))


def test_the_command_line_checks_an_api_by_row_and_column_and_the_token_shows_nowhere(
        api: str, tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    write_mapping(root, API_FIELDS + f"source: {{kind: api, url: '{api}/paged', list: data.rows, token: env:HR_TOKEN,"
                                     " paging: {page_param: page, size_param: size, size: 2}}\n")
    run = [sys.executable, "-m", "launchpad", "--workspace", str(root), "users", "check", "--lang", "en"]
    env = {"HR_TOKEN": TOKEN, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(run, capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert "  api row 2 column mobile '1390': not a mainland mobile number" in done.stdout
    assert "5 row(s): 1 with 1 problem(s); annotated copy:" in done.stderr
    annotated = root / "imports" / "ruoyi-api.checked.xlsx"
    assert annotated.is_file()
    write_mapping(root, API_FIELDS + f"source: {{kind: api, url: '{api}/broken', list: data.rows, "
                                     "token: env:HR_TOKEN, paging: {page_param: page, size: 2}}\n")
    broken = subprocess.run(run, capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    # The command's own --lang speaks its refusals too; the site, without it, speaks Chinese.
    assert broken.returncode == 2 and f"{api}/broken (page 2): answered 500" in broken.stderr, broken.stderr
    chinese = subprocess.run(run[:-2], capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert chinese.returncode == 2 and f"{api}/broken（第 2 页）：返回 500" in chinese.stderr, chinese.stderr
    assert "Traceback" not in broken.stderr
    for output in (done.stdout, done.stderr, broken.stdout, broken.stderr, chinese.stdout, chinese.stderr):
        assert TOKEN not in output
    with Store.open(load_workspace(root).store_path) as store:
        read = [row["target"] for row in store.db.query("SELECT target FROM audit WHERE action = 'user_source_read'")]
    assert read == [f"{api}/paged"]
    for path in root.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_an_api_with_no_users_is_bad_input_and_a_file_beside_a_source_is_refused(
        api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HR_TOKEN", TOKEN)
    root = write_workspace(tmp_path / "ws")
    path = write_mapping(root, API_FIELDS + f"source: {{kind: api, url: '{api}/empty', list: data.rows, "
                                            "token: env:HR_TOKEN}\n")
    with pytest.raises(UnreadableSheet, match="ruoyi-api: the api source gave no users") as raised:
        read_rows(None, load_mapping(path), path, load_workspace(root))
    assert raised.value.exit_code == 2
    with pytest.raises(UsageError, match=r"ruoyi.yaml reads its users from its source \(api\)"):
        read_rows(tmp_path / "名单.xlsx", load_mapping(path), path, load_workspace(root))


def test_the_check_and_the_plan_say_how_many_users_came_from_the_api(
        api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.phrases import render
    from launchpad.users.checks import check_workbook

    monkeypatch.setenv("HR_TOKEN", TOKEN)
    root = write_workspace(tmp_path / "ws")
    path = write_mapping(root, API_FIELDS + f"source: {{kind: api, url: '{api}/capped', list: data.rows, "
                                            "token: env:HR_TOKEN, paging: {page_param: page, size_param: size, "
                                            "size: 500, total: data.total}}\n")
    rows = read_rows(None, load_mapping(path), path, load_workspace(root))
    notes = check_workbook(rows.workbook, load_mapping(path)).notes
    assert render(notes[0], "zh") == f"从 {api}/capped 读取了 {len(PEOPLE)} 个用户，共 3 页"


def test_the_header_of_records_is_their_column_names_only(tmp_path: Path) -> None:
    mapping = load_mapping(write_mapping(tmp_path, API_FIELDS))
    # A record whose values look like headers is still a record, not the header.
    sheet = records_sheet("api", ["login", "x"], [["账号", "姓名"], ["lisi", "李四"]])
    table = locate(sheet, mapping)
    assert table is not None and table.header_rows == (0,)
    assert [(n, c.letter) for n, c in table.by_field.items()] == [("user_name", "login")]
    assert list(table.records()) == [(1, ["账号", "姓名"]), (2, ["lisi", "李四"])]
