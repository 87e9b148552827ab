"""Hardened responses: security headers on pages, static files and RPC;
error pages without traces; RPC errors keep their formats; proxy mode.
On SQLite and PostgreSQL, through werkzeug's test client."""

from __future__ import annotations

import json
import logging
import re
import xmlrpc.client

import pytest
from werkzeug.routing import Rule
from werkzeug.test import Client

from core.http import hardening
from core.http.app import Application
from core.modules.manager import Database
from tests.fixtures import clone_database

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@pytest.fixture(scope="module")
def app(backend, rpc_template, tmp_path_factory):
    """The application on a copy of the RPC tests' database (admin/admin,
    demo/demo), with two test-only routes: one that fails, one that echoes
    what the request says about its client."""
    template, _facts = rpc_template(backend)
    with clone_database(template, str(tmp_path_factory.mktemp("hardening"))) as url:
        db = Database(url)
        application = Application(db)
        application.url_map.add(Rule("/test/boom", endpoint="test_boom"))
        application.url_map.add(Rule("/test/client", endpoint="test_client"))

        def boom(request, session):
            raise RuntimeError("secret detail: password=hunter2")

        def client(request, session):
            from werkzeug.wrappers import Response

            return Response(json.dumps({"remote_addr": request.remote_addr,
                                        "secure": request.is_secure, "host": request.host}),
                            mimetype="application/json")

        application.on_test_boom = boom
        application.on_test_client = client
        yield application
        db.close()


def assert_hardened(response, https: bool = False) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert ("Strict-Transport-Security" in response.headers) is https


def test_headers_on_pages(app):
    client = Client(app)
    assert_hardened(client.get("/web/login"))
    assert_hardened(client.get("/web"))       # a redirect to the login page
    assert_hardened(client.get("/no/such/page"))


def test_headers_on_rpc(app):
    client = Client(app)
    response = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 1,
                                             "params": {"service": "common",
                                                        "method": "version", "args": []}})
    assert response.status_code == 200 and response.json["result"]["server_serie"]
    assert_hardened(response)
    body = xmlrpc.client.dumps((), "version")
    response = client.post("/xmlrpc/2/common", data=body, content_type="text/xml")
    assert response.status_code == 200
    assert_hardened(response)


def test_not_found_page(app):
    response = Client(app).get("/web/nothing/here")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Traceback" not in page
    assert '<a href="/web">' in page


def test_forbidden_page(app):
    """A form POST without the session's CSRF token: 403 as a page."""
    response = Client(app).post("/web/session/logout", data={"csrf_token": "forged"})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Access denied" in page and "Traceback" not in page


def test_server_error_page(app, caplog):
    with caplog.at_level(logging.ERROR, logger="troika.http"):
        response = Client(app).get("/test/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    for secret in ("Traceback", "RuntimeError", "hunter2", "secret detail"):
        assert secret not in page
    reference = re.search(r'class="error-reference">([0-9A-F]{8})<', page).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and "hunter2" in str(logged[0].exc_info[1])   # the trace is in the log
    assert_hardened(response)


def test_server_error_for_api_clients(app):
    """A JSON client gets no page and no trace either, but the reference."""
    response = Client(app).get("/test/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "hunter2" not in response.get_data(as_text=True)
    assert re.fullmatch(r"[0-9A-F]{8}", response.headers["X-Troika-Error-Reference"])


def test_rpc_errors_keep_their_format(app):
    client = Client(app)
    response = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 3,
                                             "params": {"service": "object",
                                                        "method": "execute_kw",
                                                        "args": ["nope", 1, "x", "res.partner",
                                                                 "search", [[]]]}})
    assert response.status_code == 200 and response.json["error"]["code"] == 200
    response = client.post("/jsonrpc", data="{}", content_type="text/plain")
    assert response.status_code == 400 and "<main" not in response.get_data(as_text=True)
    response = client.get("/xmlrpc/2/common")             # GET: 405, not a page
    assert response.status_code == 405 and "<main" not in response.get_data(as_text=True)


def test_without_proxy_mode_forwarded_headers_are_ignored(app):
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "erp.example.com"}
    response = Client(app).get("/test/client", headers=headers, environ_overrides=LOCAL)
    assert response.json == {"remote_addr": "127.0.0.1", "secure": False,
                             "host": "localhost"}
    assert_hardened(response, https=False)


def test_proxy_mode(app):
    client = Client(hardening.behind_proxy(app))
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "erp.example.com"}
    response = client.get("/test/client", headers=headers, environ_overrides=LOCAL)
    assert response.json == {"remote_addr": "203.0.113.9", "secure": True,
                             "host": "erp.example.com"}
    assert_hardened(response, https=True)
    # the session cookie of a login behind an HTTPS proxy is Secure
    page = client.get("/web/login", headers=headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    response = client.post("/web/login", headers=headers, data={
        "csrf_token": token.group(1), "login": "admin", "password": "admin"})
    assert response.status_code in (302, 303)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_https_without_a_proxy(app):
    response = Client(app).get("/web/login", base_url="https://localhost")
    assert_hardened(response, https=True)
