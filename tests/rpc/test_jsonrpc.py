"""JSON-RPC with urllib: /jsonrpc and the web session endpoints, against a
server started for this module, on SQLite and PostgreSQL.

This module makes 2 failed logins (the throttle allows 4 per address) until
its last test, which locks the address out."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse

import pytest

from tests.rpc.conftest import JsonError


def session_cookie(headers: dict) -> str:
    cookie = headers.get("Set-Cookie", "")
    assert cookie.startswith("troika_session="), headers
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    return cookie.split(";", 1)[0]


@pytest.fixture(scope="module")
def cookie(server) -> str:
    """The cookie of an admin session."""
    answer, headers = server.json("/web/session/authenticate",
                                  {"db": server.db, "login": "admin", "password": "admin"})
    assert answer["result"]["uid"] == server.admin_uid
    return session_cookie(headers)


def error_of(server, service: str, method: str, *args) -> dict:
    with pytest.raises(JsonError) as info:
        server.jsonrpc(service, method, *args)
    error = info.value.error
    assert set(error) == {"code", "message", "data"}
    assert {"name", "message", "arguments"} <= set(error["data"])
    assert error["data"]["arguments"] == [error["data"]["message"]]
    assert "Traceback" not in json.dumps(error)
    return error


# ---------------------------------------------------------------------------
# /jsonrpc
# ---------------------------------------------------------------------------
def test_jsonrpc_common(server):
    version = server.jsonrpc("common", "version")
    assert version["server_version"] == "17.0" and version["server_version_info"][0] == 17
    assert server.jsonrpc("common", "login", server.db, "admin", "admin") == server.admin_uid
    assert server.jsonrpc("common", "authenticate", server.db, "demo", "demo", {}) \
        == server.demo_uid


def test_jsonrpc_object(server):
    rows = server.jsonrpc("object", "execute_kw", server.db, server.admin_uid, "admin",
                          "res.partner", "search_read", [[["ref", "=like", "P00%"]]],
                          {"fields": ["name", "company_id", "create_date"], "order": "ref",
                           "limit": 2})
    assert [row["name"] for row in rows] == ["Partner 000", "Partner 001"]
    assert rows[0]["company_id"] is False
    assert isinstance(rows[0]["create_date"], str)
    count = server.jsonrpc("object", "execute", server.db, server.admin_uid, "admin",
                           "res.partner", "search_count", [["ref", "=like", "P%"]])
    assert count == 30


def test_jsonrpc_create_with_tags(server):
    tags = server.jsonrpc("object", "execute_kw", server.db, server.admin_uid, "admin",
                          "res.partner.category", "search", [[["name", "in",
                                                               ["Export", "Wholesale"]]]])
    pid = server.jsonrpc("object", "execute_kw", server.db, server.admin_uid, "admin",
                         "res.partner", "create",
                         [{"name": "Json Co", "category_id": [[6, 0, tags]]}])
    record = server.jsonrpc("object", "execute_kw", server.db, server.admin_uid, "admin",
                            "res.partner", "read", [[pid], ["category_id"]])[0]
    assert sorted(record["category_id"]) == sorted(tags)


def test_jsonrpc_errors(server):
    error = error_of(server, "object", "execute_kw", server.db, server.admin_uid, "admin",
                     "res.partner", "create", [{"email": "nameless@x.com"}])
    assert error["code"] == 200 and error["message"] == "Odoo Server Error"
    assert error["data"]["name"] == "odoo.exceptions.ValidationError"
    assert "require a name" in error["data"]["message"]

    error = error_of(server, "object", "execute_kw", server.db, server.demo_uid, "demo",
                     "ir.config_parameter", "search_read", [[]])
    assert error["data"]["name"] == "odoo.exceptions.AccessError"

    error = error_of(server, "object", "execute_kw", server.db, server.admin_uid, "admin",
                     "res.partner", "_read", [[1]])
    assert error["data"]["name"] == "odoo.exceptions.AccessError"

    error = error_of(server, "object", "execute_kw", server.db, server.admin_uid,
                     "wrong password", "res.partner", "search", [[]])   # failed login 1
    assert error["data"]["name"] == "odoo.exceptions.AccessDenied"

    error = error_of(server, "nothing", "version")
    assert error["code"] == 200


def test_jsonrpc_login_wrong_password(server):
    assert server.jsonrpc("common", "login", server.db, "demo", "nope") is False  # 2


def test_malformed_requests(server):
    status, _headers, data = server.post("/jsonrpc", b"{not json")
    assert status == 200
    assert json.loads(data)["error"]["data"]["message"] == "Malformed JSON-RPC request"
    answer, _ = server.json("/jsonrpc", {"service": "common", "method": "version",
                                         "args": "not a list"})
    assert answer["error"]["code"] == 200


def test_jsonrpc_needs_a_json_content_type(server):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"service": "common", "method": "version", "args": []}})
    status, _headers, _data = server.post("/jsonrpc", body.encode(), "text/plain")
    assert status == 400


def test_body_over_the_size_limit_refused(server):
    """The Content-Length alone is enough to refuse a body that is too large."""
    start = b'{"jsonrpc": "2.0", "params": {"args": ["' + b"x" * 65536
    assert server.post_announcing("/jsonrpc", "application/json", start) == 413


# ---------------------------------------------------------------------------
# web session endpoints
# ---------------------------------------------------------------------------
def test_version_info(server):
    answer, _ = server.json("/web/webclient/version_info", {})
    assert answer["result"]["server_version"] == "17.0"


def test_database_list(server):
    answer, _ = server.json("/web/database/list", {})
    assert answer["result"] == [server.db]


def test_session_authenticate(server, cookie):
    answer, _ = server.json("/web/session/get_session_info", {}, cookie=cookie)
    info = answer["result"]
    assert info["uid"] == server.admin_uid
    assert info["db"] == server.db
    assert info["username"] == "admin"
    assert info["user_context"]["lang"] == "en_US"
    assert info["server_version_info"][0] == 17
    assert info["is_system"] is True


def test_session_authenticate_wrong_password(server):
    answer, headers = server.json("/web/session/authenticate",      # failed login 2
                                  {"db": server.db, "login": "admin", "password": "bad"})
    assert answer["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert "Set-Cookie" not in headers


def test_session_authenticate_refuses_an_api_key(server):
    """API keys are for RPC: they do not open a web session (as in Odoo)."""
    answer, headers = server.json("/web/session/authenticate",
                                  {"db": server.db, "login": "admin",
                                   "password": server.api_key})
    assert answer["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert "Set-Cookie" not in headers


def test_call_kw_with_the_session(server, cookie):
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search_read",
        "args": [[["ref", "=like", "P00%"]]],
        "kwargs": {"fields": ["name", "category_id"], "limit": 3, "order": "ref"}},
        cookie=cookie)
    rows = answer["result"]
    assert [row["name"] for row in rows] == ["Partner 000", "Partner 001", "Partner 002"]

    tag, _ = server.json("/web/dataset/call_kw/res.partner.category/create", {
        "model": "res.partner.category", "method": "create", "args": [{"name": "Web tag"}],
        "kwargs": {}}, cookie=cookie)
    answer, _ = server.json("/web/dataset/call_kw/res.partner/create", {
        "model": "res.partner", "method": "create",
        "args": [{"name": "Session Co", "category_id": [[4, tag["result"]]]}],
        "kwargs": {"context": {"lang": "en_US"}}}, cookie=cookie)
    pid = answer["result"]
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "read", "args": [[pid], ["category_id"]],
        "kwargs": {}}, cookie=cookie)
    assert answer["result"][0]["category_id"] == [tag["result"]]


def test_call_kw_errors(server, cookie):
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "create", "args": [{"email": "nameless@x.com"}],
        "kwargs": {}}, cookie=cookie)
    assert answer["error"]["code"] == 200
    assert answer["error"]["data"]["name"] == "odoo.exceptions.ValidationError"


def test_call_kw_without_a_session(server):
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search", "args": [[]], "kwargs": {}})
    assert answer["error"]["code"] == 100
    assert answer["error"]["data"]["name"] == "odoo.http.SessionExpiredException"
    answer, _ = server.json("/web/session/get_session_info", {})
    assert answer["error"]["code"] == 100
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search", "args": [[]], "kwargs": {}},
        cookie="troika_session=forged-or-expired")
    assert answer["error"]["code"] == 100


def test_session_destroy(server):
    answer, headers = server.json("/web/session/authenticate",
                                  {"db": server.db, "login": "demo", "password": "demo"})
    cookie = session_cookie(headers)
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}},
        cookie=cookie)
    assert answer["result"] > 0
    answer, _ = server.json("/web/session/destroy", {}, cookie=cookie)
    assert "error" not in answer
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}},
        cookie=cookie)
    assert answer["error"]["code"] == 100


def test_authenticate_again_replaces_the_session(server):
    """One Set-Cookie, for the new session; the old one is logged out."""
    _answer, headers = server.json("/web/session/authenticate",
                                   {"db": server.db, "login": "admin", "password": "admin"})
    cookie = session_cookie(headers)
    answer, headers = server.json("/web/session/authenticate",
                                  {"db": server.db, "login": "demo", "password": "demo"},
                                  cookie=cookie)
    assert answer["result"]["uid"] == server.demo_uid
    fresh = session_cookie(headers)
    assert fresh != cookie and headers["Set-Cookie"].count("troika_session=") == 1
    answer, _ = server.json("/web/session/get_session_info", {}, cookie=fresh)
    assert answer["result"]["uid"] == server.demo_uid
    answer, _ = server.json("/web/session/get_session_info", {}, cookie=cookie)
    assert answer["error"]["code"] == 100


def test_login_form_keeps_the_new_session(server):
    """The login page's session is replaced by the logged-in one, whose cookie
    is the only one sent (a stale second cookie would log the user out)."""
    parts = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", "/web/login")
        page = connection.getresponse()
        html = page.read().decode()
        anonymous = page.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        form = urllib.parse.urlencode({"login": "admin", "password": "admin",
                                       "csrf_token": token})
        connection.request("POST", "/web/login", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": anonymous})
        login = connection.getresponse()
        login.read()
        assert login.status == 302
        cookies = login.headers.get_all("Set-Cookie")
        assert len(cookies) == 1
        logged_in = cookies[0].split(";", 1)[0]
        assert logged_in != anonymous
        connection.request("GET", "/web", headers={"Cookie": logged_in})
        home = connection.getresponse()
        home.read()
        assert home.status == 200
    finally:
        connection.close()


def test_session_runs_as_its_user(server):
    answer, headers = server.json("/web/session/authenticate",
                                  {"db": server.db, "login": "demo", "password": "demo"})
    cookie = session_cookie(headers)
    answer, _ = server.json("/web/dataset/call_kw", {
        "model": "res.partner", "method": "create", "args": [{"name": "Not allowed"}],
        "kwargs": {}}, cookie=cookie)
    assert answer["error"]["data"]["name"] == "odoo.exceptions.AccessError"


def test_failed_logins_are_throttled(server):
    """The module's last test: past 5 failures from an address, every login
    from it is refused for a while, even with the right password."""
    def authenticate(password: str) -> str:
        answer, headers = server.json("/web/session/authenticate",
                                      {"db": server.db, "login": "demo", "password": password})
        assert "Set-Cookie" not in headers
        assert answer["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
        return answer["error"]["data"]["message"]

    messages = [authenticate("guess") for _attempt in range(6)]
    assert messages[0] == "Access Denied"
    assert messages[-1].startswith("Too many failed logins")
    assert authenticate("demo").startswith("Too many failed logins")
    assert server.jsonrpc("common", "login", server.db, "demo", "demo") is False
