"""The web form's doors, attacked as an outsider would: malformed bodies, other origins, password guessing,
stale sessions, cached pages, forged notices, a full work queue, slow clients — and a workbook whose save
the data cannot take yet, which must keep every value typed."""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE

pytest.importorskip("starlette", reason="the serve extra is part of the test extra: pip install -e '.[test]'")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from test_serve import BASE, _csrf, _version

from docgen.serve import ServeLimits, create_app
from docgen.serve.guard import Sessions, Throttle, same_origin
from docgen.serve.pool import Busy, Pool

NAME = "2021-baode.toml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / NAME)
    return folder


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client(folder: Path, **options: Any) -> tuple[TestClient, Clock]:
    app = create_app(folder, **options)
    clock = Clock()
    app.state.docgen.clock = clock
    return TestClient(app, base_url=options.pop("base_url", BASE)), clock


# --- malformed bodies: 400 with a Chinese message, never 500, the file unchanged --------------------------

MALFORMED_JSON = [
    b"{",
    b"[1]",
    b'"fields"',
    b"null",
    b'{"fields": [1, 2]}',
    b'{"fields": "text"}',
    b'{"fields": {"report.issuer.x": "1"}}',
    b'{"fields": {"x[5].y": "1"}}',
    b'{"fields": {"table3": "1"}}',
    b'{"fields": {"table3.new[99]": "1"}}',
    b'{"fields": {"report.issuer": ["a"]}}',
    b'{"fields": {"report.issuer": {"a": 1}}}',
    b'{"other": 1}',
    b"[" * 100_000,
    b'{"fields": {"' + b"[" * 100_000 + b'": "1"}}',
    b"\xff\xfe\x00",
]


@pytest.mark.parametrize("body", MALFORMED_JSON, ids=lambda body: body[:30].decode("latin-1"))
def test_a_malformed_check_body_is_a_400_with_a_chinese_message(workspace: Path, body: bytes) -> None:
    client, _ = _client(workspace)
    token = _csrf(client.get(f"/r/{NAME}").text)
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    response = client.post(f"/r/{NAME}/check", content=body, headers=headers)
    assert response.status_code == 400, response.text
    (problem,) = response.json()["problems"]
    assert any("\u4e00" <= character <= "\u9fff" for character in problem["message"])


MALFORMED_SAVES = [
    {"report.issuer.x": "1"},
    {"x[5].y": "1"},
    {"table3": "1"},
    {"table3.new[99]": "1"},
    {"[" * 1000: "1"},
    {"report": "1"},
    {"a" * 300: "1"},
]


@pytest.mark.parametrize("fields", MALFORMED_SAVES, ids=lambda fields: next(iter(fields))[:30])
def test_a_malformed_save_is_a_400_and_the_file_is_unchanged(workspace: Path, fields: dict[str, str]) -> None:
    before = (workspace / NAME).read_bytes()
    client, _ = _client(workspace)
    page = client.get(f"/r/{NAME}").text
    response = client.post(f"/r/{NAME}/save", data={"_csrf": _csrf(page), "_version": _version(page), **fields})
    assert response.status_code == 400 and ("报告数据中的项" in response.text or "格式不对" in response.text)
    assert (workspace / NAME).read_bytes() == before


_KEY_PARTS = st.one_of(
    st.sampled_from(["report", "issuer", "table3", "new", "table2", "licensing", "x", "overview", "[0]", "[5]"]),
    st.sampled_from(["[", "]", ".", "..", "[99999999999999999999]", "\x00", "__class__", "名称"]),
    st.text(max_size=8),
)
_KEYS = st.lists(_KEY_PARTS, min_size=0, max_size=6).map(lambda parts: ".".join(parts).replace(".[", "["))
_JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=8,
)
_BODIES = st.one_of(
    st.dictionaries(st.sampled_from(["fields", "other"]), _JSON_VALUES, max_size=2),
    st.builds(lambda fields: {"fields": fields}, st.dictionaries(_KEYS, _JSON_VALUES, max_size=4)),
    _JSON_VALUES,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_BODIES, raw=st.binary(max_size=40))
def test_no_generated_body_ends_in_a_server_error_or_changes_the_file(workspace: Path, body: Any, raw: bytes) -> None:
    before = (workspace / NAME).read_bytes()
    client, _ = _client(workspace)
    page = client.get(f"/r/{NAME}").text
    token = _csrf(page)
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    for content in (json.dumps(body).encode(), raw):
        assert client.post(f"/r/{NAME}/check", content=content, headers=headers).status_code < 500
    if isinstance(body, dict) and isinstance(body.get("fields"), dict):
        form = {"_csrf": token, "_version": "stale", **{key: str(value) for key, value in body["fields"].items()}}
        assert client.post(f"/r/{NAME}/save", data=form).status_code < 500
    assert (workspace / NAME).read_bytes() == before


def test_the_csrf_token_is_checked_before_a_json_body_is_read(workspace: Path) -> None:
    client, _ = _client(workspace)
    client.get("/")
    response = client.post(f"/r/{NAME}/check", content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 403


def test_each_route_has_its_own_body_limit(workspace: Path) -> None:
    client, _ = _client(workspace)
    token = _csrf(client.get(f"/r/{NAME}").text)
    big = json.dumps({"fields": {"report.issuer": "字" * 400_000}}).encode()  # 1.2 MB: fine as an upload
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    response = client.post(f"/r/{NAME}/check", content=big, headers=headers)
    assert response.status_code == 413 and "上限" in response.json()["problems"][0]["message"]
    assert client.post("/login", content=b"password=" + b"x" * 10_000).status_code == 413


# --- origins ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("http://127.0.0.1:8000", True),
        ("HTTP://127.0.0.1:8000", True),
        ("https://127.0.0.1:8000", False),  # the other scheme
        ("http://127.0.0.1:8001", False),  # the other port
        ("http://127.0.0.1", False),  # port 80
        ("http://evil.example:8000", False),
        ("null", False),
        ("http://127.0.0.1:8000/path", False),
        ("http://127.0.0.1:99999", False),
    ],
)
def test_origin_is_compared_by_scheme_host_and_port(origin: str | None, allowed: bool) -> None:
    assert same_origin(origin, "http", "127.0.0.1:8000") is allowed


def test_a_post_from_the_other_scheme_is_refused(workspace: Path) -> None:
    client, _ = _client(workspace)
    page = client.get(f"/r/{NAME}").text
    form = {"_csrf": _csrf(page), "_version": _version(page), "table2.licensing": "12"}
    assert client.post(f"/r/{NAME}/save", data=form, headers={"origin": "https://127.0.0.1:8000"}).status_code == 403
    saved = client.post(f"/r/{NAME}/save", data=form, headers={"origin": BASE}, follow_redirects=False)
    assert saved.status_code == 303


# --- passwords and sessions -------------------------------------------------------------------------------

PASSWORD = "保密-2025"


def _password_client(workspace: Path) -> tuple[TestClient, Clock]:
    app = create_app(workspace, host="0.0.0.0", password=PASSWORD)
    clock = Clock()
    app.state.docgen.clock = clock
    return TestClient(app, base_url="http://192.0.2.7:8000"), clock


def test_wrong_passwords_make_the_client_wait_and_the_wait_is_shown(workspace: Path) -> None:
    client, clock = _password_client(workspace)
    for _ in range(5):
        assert client.post("/login", data={"password": "wrong"}).status_code == 403
    assert client.post("/login", data={"password": "wrong"}).status_code == 403  # the sixth: 1 s to wait
    waiting = client.post("/login", data={"password": PASSWORD})
    assert waiting.status_code == 429 and "1 秒后再试" in waiting.text and waiting.headers["retry-after"] == "1"
    clock.now += 1
    assert client.post("/login", data={"password": "wrong"}).status_code == 403  # the seventh: 2 s
    clock.now += 1
    assert "1 秒后再试" in client.post("/login", data={"password": PASSWORD}).text
    clock.now += 1
    assert client.post("/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303


def test_three_hundred_guesses_cost_hours_not_a_third_of_a_second() -> None:
    throttle, now, tried = Throttle(), 0.0, 0
    while tried < 300:
        now += throttle.wait("guesser", now)
        throttle.failed("guesser", now)
        tried += 1
    assert now > 20 * 3600


def test_guesses_shared_out_among_many_addresses_close_the_door_for_everyone() -> None:
    throttle = Throttle(overall=100, window=600, lockout=60)
    for client in range(101):
        throttle.failed(f"10.0.{client // 250}.{client % 250}", 0.0)
    assert throttle.wait("10.9.9.9", 1.0) == 59
    assert throttle.wait("10.9.9.9", 60.0) == 0


def test_sessions_expire_when_idle_and_at_the_end_of_their_lifetime() -> None:
    sessions = Sessions(idle=100, lifetime=250)
    token = sessions.new(0)
    assert sessions.valid(token, 90) and sessions.valid(token, 180)  # each use keeps it alive
    assert not sessions.valid(token, 281)
    token = sessions.new(0)
    for moment in range(50, 251, 50):
        assert sessions.valid(token, moment)
    assert not sessions.valid(token, 251)  # used all along, but older than its lifetime
    few = Sessions(capacity=3)
    tokens = [few.new(0) for _ in range(5)]
    assert [few.valid(token, 1) for token in tokens] == [False, False, True, True, True]


def test_an_idle_session_is_sent_to_the_login_and_logout_ends_it(workspace: Path) -> None:
    client, clock = _password_client(workspace)
    client.post("/login", data={"password": PASSWORD})
    page = client.get("/")
    assert page.status_code == 200 and "退出登录" in page.text
    clock.now += 3 * 3600
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    client.post("/login", data={"password": PASSWORD})
    cookie = client.cookies.get("docgen_session")
    out = client.post("/logout", data={"_csrf": _csrf(client.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login?notice=logged-out"
    assert "已退出登录" in client.get("/login?notice=logged-out").text
    client.cookies.set("docgen_session", cookie or "")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"  # the old cookie is dead


def test_pages_and_downloads_behind_a_session_are_never_cached(workspace: Path) -> None:
    client, _ = _password_client(workspace)
    client.post("/login", data={"password": PASSWORD})
    for path in ("/", f"/r/{NAME}", f"/r/{NAME}/download/docx", f"/r/{NAME}/download/xlsx", "/login"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


def test_notices_come_only_from_the_fixed_list(workspace: Path) -> None:
    client, _ = _client(workspace)
    forged = "关于立即缴纳罚款的紧急通知"
    assert forged not in client.get(f"/?notice={forged}").text
    assert forged not in client.get(f"/r/{NAME}?notice={forged}").text
    assert forged not in client.get(f"/login?notice={forged}").text
    assert "已保存。" in client.get(f"/r/{NAME}?notice=saved").text


# --- the work queue ---------------------------------------------------------------------------------------


def test_a_pool_refuses_work_once_its_line_is_full() -> None:
    import anyio

    release = threading.Event()
    results: list[object] = []

    async def scenario() -> None:
        pool = Pool(workers=1, queue=1)

        async def blocked() -> None:
            results.append(await pool.run(release.wait, 10))

        async with anyio.create_task_group() as group:
            group.start_soon(blocked)
            group.start_soon(blocked)
            await anyio.sleep(0.2)
            assert pool.admitted == 2
            with pytest.raises(Busy):
                await pool.run(time.sleep, 0)
            release.set()
        assert pool.admitted == 0
        assert await pool.run(lambda: "done") == "done"

    anyio.run(scenario)
    assert results == [True, True]


def test_a_full_queue_is_answered_503_with_a_time_to_come_back(workspace: Path) -> None:
    app = create_app(workspace, limits=ServeLimits(heavy_workers=1, heavy_queue=0))
    client = TestClient(app, base_url=BASE)
    app.state.docgen.heavy._admitted = 1  # a PDF being made
    response = client.get(f"/r/{NAME}/download/docx")
    assert response.status_code == 503 and response.headers["retry-after"] == "5" and "正忙" in response.text
    assert client.get(f"/r/{NAME}").status_code == 200, "pages and checks use their own pool"


def test_a_client_that_sends_its_body_too_slowly_is_cut_off(workspace: Path) -> None:
    import uvicorn

    app = create_app(workspace, limits=ServeLimits(body_seconds=1.0))
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))  # the server is handed the bound socket: no other test can take its port
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        client = TestClient(app, base_url=f"http://127.0.0.1:{port}")  # only to read a token
        token = _csrf(client.get(f"/r/{NAME}").text)
        cookie = client.cookies.get("docgen_session")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            head = (
                f"POST /r/{NAME}/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                f"X-CSRF-Token: {token}\r\nCookie: docgen_session={cookie}\r\nContent-Length: 1000\r\n\r\n"
            )
            connection.sendall(head.encode() + b'{"fields": {')
            started = time.monotonic()
            answer = connection.recv(4096).decode("utf-8", "replace")
            assert answer.startswith("HTTP/1.1 408") and time.monotonic() - started < 5
    finally:
        server.should_exit = True
        thread.join(10)
        listening.close()


def _workbook_workspace(tmp_path: Path, name: str = "2021.xlsx") -> Path:
    """A workspace holding the example as a workbook named `name`; the workbook's path."""
    import docgen
    from docgen.workbook import workbook_bytes

    folder = tmp_path / "workspace"
    folder.mkdir()
    book = folder / name
    book.write_bytes(workbook_bytes(docgen.load(EXAMPLE)))
    return book


# --- a workbook's draft -----------------------------------------------------------------------------------


def test_a_workbook_save_with_a_wrong_figure_keeps_every_value_typed(tmp_path: Path) -> None:
    book = _workbook_workspace(tmp_path, "2021-保德县.xlsx")
    folder = book.parent
    before = book.read_bytes()
    client, _ = _client(folder)
    page = client.get(f"/r/{book.name}").text
    form = {"_csrf": _csrf(page), "_version": _version(page), "table3.new[0]": "四", "report.issuer": "保德县政府"}
    response = client.post(f"/r/{book.name}/save", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("notice=saved-draft")
    assert book.read_bytes() == before, "the workbook holds only data that validates"
    again = client.get(f"/r/{book.name}").text
    assert 'name="table3.new[0]" value="四"' in again and 'value="保德县政府"' in again
    assert "应为整数" in again and 'id="drafted"' in again
    assert [entry.name for entry in folder.iterdir() if not entry.name.startswith(".")] == [book.name]

    form = {"_csrf": _csrf(again), "_version": _version(again), "table3.new[0]": "4"}
    assert (
        client.post(f"/r/{book.name}/save", data=form, follow_redirects=False)
        .headers["location"]
        .endswith("notice=saved")
    )
    from openpyxl import load_workbook

    saved = load_workbook(io.BytesIO(book.read_bytes()))
    assert any(cell.value == "保德县政府" for row in saved.worksheets[0].iter_rows() for cell in row)
    assert sorted(entry.name for entry in folder.iterdir()) == [book.name], "the draft is gone once written"
    assert 'id="drafted"' not in client.get(f"/r/{book.name}").text


# --- found by a review of the first version of these doors ------------------------------------------------


@pytest.mark.parametrize("year", ["²", "9" * 5000, "１２"])
def test_a_year_of_odd_digits_is_a_problem_not_a_server_error(workspace: Path, year: str) -> None:
    client, _ = _client(workspace)
    page = client.get(f"/r/{NAME}").text
    headers = {"X-CSRF-Token": _csrf(page)}
    answer = client.post(f"/r/{NAME}/check", json={"fields": {"report.year": year}}, headers=headers)
    assert answer.status_code == 200 and answer.json()["errors"] >= 1
    form = {"_csrf": _csrf(page), "_version": _version(page), "report.year": year}
    assert client.post(f"/r/{NAME}/save", data=form, follow_redirects=False).status_code == 303


def test_each_route_takes_only_its_own_kind_of_body(workspace: Path) -> None:
    before = (workspace / NAME).read_bytes()
    client, _ = _client(workspace)
    page = client.get(f"/r/{NAME}").text
    token = _csrf(page)
    form_to_check = client.post(f"/r/{NAME}/check", data={"_csrf": token, "report.issuer": "x"})
    json_to_save = client.post(f"/r/{NAME}/save", json={"_csrf": token}, headers={"X-CSRF-Token": token})
    json_to_new = client.post("/new", json={"kind": "blank"}, headers={"X-CSRF-Token": token})
    assert [form_to_check.status_code, json_to_save.status_code, json_to_new.status_code] == [415, 415, 415]
    assert (workspace / NAME).read_bytes() == before


def test_strangers_without_cookies_cannot_push_the_clerks_session_out(workspace: Path) -> None:
    clerk, _ = _client(workspace)
    page = clerk.get(f"/r/{NAME}").text
    app = clerk.app
    stranger = TestClient(app, base_url=BASE)
    for _ in range(300):
        stranger.cookies.clear()
        stranger.get("/r/x.toml/download/none")
    form = {"_csrf": _csrf(page), "_version": _version(page), "table2.licensing": "12"}
    assert clerk.post(f"/r/{NAME}/save", data=form, follow_redirects=False).status_code == 303
    assert len(app.state.docgen.sessions._tokens) == 0, "without a password nothing is stored per browser"


def test_a_workbook_with_a_name_as_long_as_the_file_system_allows_is_listed_and_drafted(tmp_path: Path) -> None:
    book = _workbook_workspace(tmp_path, "2021-" + "某" * 80 + ".xlsx")  # 250 bytes: a draft so named would not fit
    folder = book.parent
    client, _ = _client(folder)
    assert client.get("/").status_code == 200
    page = client.get(f"/r/{book.name}").text
    form = {"_csrf": _csrf(page), "_version": _version(page), "table3.new[0]": "四"}
    assert client.post(f"/r/{book.name}/save", data=form, follow_redirects=False).status_code == 303
    assert 'value="四"' in client.get(f"/r/{book.name}").text


def test_two_users_drafting_one_workbook_do_not_overwrite_each_other(tmp_path: Path) -> None:
    book = _workbook_workspace(tmp_path, "2021.xlsx")
    folder = book.parent
    first, _ = _client(folder)
    second = TestClient(first.app, base_url=BASE)
    page_first, page_second = first.get("/r/2021.xlsx").text, second.get("/r/2021.xlsx").text
    form = {"_csrf": _csrf(page_first), "_version": _version(page_first), "report.issuer": "甲", "table3.new[0]": "x"}
    assert first.post("/r/2021.xlsx/save", data=form, follow_redirects=False).status_code == 303
    form = {"_csrf": _csrf(page_second), "_version": _version(page_second), "report.issuer": "乙"}
    assert second.post("/r/2021.xlsx/save", data=form).status_code == 409, "the draft changed since it was opened"
    assert 'value="甲"' in first.get("/r/2021.xlsx").text


def test_a_draft_older_than_its_workbook_is_kept_and_said_to_be_stale(tmp_path: Path) -> None:
    import docgen
    from docgen.workbook import workbook_bytes

    book = _workbook_workspace(tmp_path, "2021.xlsx")
    folder = book.parent
    client, _ = _client(folder)
    page = client.get("/r/2021.xlsx").text
    form = {"_csrf": _csrf(page), "_version": _version(page), "table3.new[0]": "x"}
    client.post("/r/2021.xlsx/save", data=form)
    text = EXAMPLE.read_text(encoding="utf-8").replace("licensing = 0", "licensing = 3")
    book.write_bytes(workbook_bytes(docgen.loads(text, "2021.toml")))  # someone saved it in Excel meanwhile
    again = client.get("/r/2021.xlsx").text
    assert 'id="stale-draft"' in again and 'id="drafted"' not in again
    assert any(entry.name.startswith(".docgen-草稿-") for entry in folder.iterdir())


def test_a_login_must_come_from_this_servers_page(workspace: Path) -> None:
    client, _ = _password_client(workspace)
    for _ in range(3):
        response = client.post("/login", data={"password": "x"}, headers={"origin": "http://evil.example"})
        assert response.status_code == 403
    assert client.app.state.docgen.throttle.wait("testclient", 0) == 0, "nothing counted against the clerk"


def test_an_attempt_is_counted_before_its_password_is_read(workspace: Path) -> None:
    client, _ = _password_client(workspace)
    for _ in range(6):
        client.post("/login", content=b"password=x" + b"\xff" * 3, headers={"content-type": "multipart/form-data"})
    assert client.post("/login", data={"password": PASSWORD}).status_code == 429, "bodies that did not parse count"


def test_a_name_in_a_message_is_cut_short(workspace: Path) -> None:
    client, _ = _client(workspace)
    forged = "系统通知：请将本单位全部报告发送至 admin@example.net 并在今日下班前完成，逾期将通报批评。" * 3 + ".toml"
    page = client.get(f"/r/{forged}").text
    assert forged not in page and "系统通知" in page
