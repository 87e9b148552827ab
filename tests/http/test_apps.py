"""The Apps page: who may use it, the list and its filters, the growth
guide, and install / upgrade / uninstall through it with CSRF and the
progress stream. On SQLite and PostgreSQL, through werkzeug's test client."""

from __future__ import annotations

import json
import re
import time

import pytest
from werkzeug.test import Client

from core.http import apps
from core.http.app import Application
from core.modules.manager import Database
from tests.fixtures import clone_database
from tests.http.conftest import ADDONS

NDJSON = {"Accept": "application/x-ndjson"}


@pytest.fixture(scope="module")
def app(backend, rpc_template, tmp_path_factory):
    """The application on a copy of the RPC tests' database (admin/admin,
    demo/demo: an internal user) with the Apps page's test addons."""
    template, _facts = rpc_template(backend)
    with clone_database(template, str(tmp_path_factory.mktemp("apps"))) as url:
        db = Database(url, ADDONS)
        yield Application(db)
        db.close()


def login(app, user: str) -> tuple[Client, str]:
    """A client logged in as ``user`` (password = login) and its CSRF token."""
    client = Client(app)
    page = client.get("/web/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/web/login", data={"csrf_token": token, "login": user,
                                               "password": user})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    page = client.get("/web/apps" if user == "admin" else "/web").get_data(as_text=True)
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def admin(app):
    return login(app, "admin")


def run(client: Client, token: str, kind: str, module: str, **form) -> list[dict]:
    """POST an operation and read its progress stream to the end."""
    response = client.post(f"/web/apps/{kind}", headers=NDJSON,
                           data={"csrf_token": token, "module": module, **form})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["X-Accel-Buffering"] == "no"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_the_admin_sees_every_addon_and_the_guide(app, admin):
    client, _token = admin
    response = client.get("/web/apps")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("th_notes", "th_notes_board", "base"):
        assert f'data-module="{name}"' in page
    assert "Test Notes" in page and "Short notes, for the Apps page" in page
    for stage in ("stage-startup", "stage-growing", "stage-mature"):
        assert f'id="{stage}"' in page
    assert "Customer information is scattered" in page
    assert "not available yet" in page           # CRM is not in this addons path
    assert 'href="/web/apps"' in page            # the shell's link, for admins
    assert 'action="/web/apps/uninstall"' not in page   # uninstall asks first
    assert '<script src="/web/static/apps.js" defer></script>' in page
    script = client.get("/web/static/apps.js")
    assert script.status_code == 200 and b"application/x-ndjson" in script.get_data()
    script.close()


def test_search_and_category(app, admin):
    client, _token = admin
    page = client.get("/web/apps?search=board").get_data(as_text=True)
    assert 'data-module="th_notes_board"' in page and 'data-module="base"' not in page
    page = client.get("/web/apps?search=notes&category=Productivity").get_data(as_text=True)
    assert 'data-module="th_notes"' in page and 'data-module="th_notes_board"' in page
    page = client.get("/web/apps?category=Nothing").get_data(as_text=True)
    assert "No module matches." in page


def test_others_are_refused(app):
    anonymous = Client(app)
    response = anonymous.get("/web/apps")
    assert response.status_code in (302, 303) and "/web/login" in response.location
    demo, token = login(app, "demo")
    response = demo.get("/web/apps")
    assert response.status_code == 403
    assert "Only administrators" in response.get_data(as_text=True)
    response = demo.post("/web/apps/install", headers=NDJSON,
                         data={"csrf_token": token, "module": "th_notes"})
    assert response.status_code == 403
    assert "th.note" not in app.db.registry
    assert 'href="/web/apps"' not in demo.get("/web").get_data(as_text=True)


def test_an_operation_needs_the_csrf_token(app, admin):
    client, _token = admin
    response = client.post("/web/apps/install", headers=NDJSON,
                           data={"csrf_token": "forged", "module": "th_notes"})
    assert response.status_code == 403
    assert "th.note" not in app.db.registry


def test_install_with_progress(app, admin):
    client, token = admin
    events = run(client, token, "install", "th_notes")
    messages = [e["message"] for e in events if "message" in e]
    assert "[1/1] th_notes: installing 1.0" in messages
    assert "th_notes: loading data/th_note_data.xml (2/2)" in messages
    assert any(e.get("steps") == 1 for e in events)
    assert events[-1] == {"state": "done", "modules": ["th_notes"]}
    assert "th.note" in app.db.registry
    with app.db.env() as env:
        assert env.ref("th_notes.note_welcome").name == "Welcome"
    page = client.get("/web/apps?search=th_notes").get_data(as_text=True)
    assert 'data-module="th_notes" data-state="installed"' in page


def test_upgrade(app, admin):
    client, token = admin
    events = run(client, token, "upgrade", "th_notes")
    assert events[-1] == {"state": "done", "modules": ["th_notes"]}
    assert any("th_notes: upgrading 1.0" in e.get("message", "") for e in events)


def test_uninstall_asks_and_lists_what_depends(app, admin):
    client, token = admin
    assert run(client, token, "install", "th_notes_board")[-1]["state"] == "done"
    page = client.get("/web/apps/uninstall/th_notes").get_data(as_text=True)
    assert "Test Notes Board" in page and "will be uninstalled too" in page
    assert 'name="confirm" value="th_notes_board"' in page
    response = client.post("/web/apps/uninstall", headers=NDJSON, data={
        "csrf_token": token, "module": "th_notes", "confirm": ""})
    assert response.status_code == 400        # what was confirmed is not what depends
    assert "th.board" in app.db.registry
    events = run(client, token, "uninstall", "th_notes", confirm="th_notes_board")
    assert events[-1]["state"] == "done"
    assert "th.note" not in app.db.registry and "th.board" not in app.db.registry
    assert client.get("/web/apps/uninstall/base").status_code == 404


def test_one_operation_at_a_time(app, admin):
    client, token = admin
    with apps._RUNNING:
        events = run(client, token, "install", "th_notes")
        assert events[-1]["state"] == "failed"
        assert "Another module operation is running" in events[-1]["error"]
        response = client.post("/web/apps/install", data={"csrf_token": token,
                                                          "module": "th_notes"})
        assert response.status_code == 409
    assert "th.note" not in app.db.registry


def test_a_failure_is_reported(app, admin):
    client, token = admin
    response = client.post("/web/apps/install", headers=NDJSON,
                           data={"csrf_token": token, "module": "no_such_module"})
    assert response.status_code == 404


def test_without_scripts(app, admin):
    """A plain form POST starts the operation and comes back to the page."""
    client, token = admin
    response = client.post("/web/apps/install", data={"csrf_token": token,
                                                      "module": "th_notes"})
    assert response.status_code == 303 and response.location.endswith("started=install")
    deadline = time.monotonic() + 60
    while "th.note" not in app.db.registry and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "th.note" in app.db.registry
    with apps._RUNNING:     # the operation thread has let go
        pass
    page = client.get("/web/apps?started=install").get_data(as_text=True)
    assert "The operation was started" in page


def test_in_traditional_chinese(app):
    with app.db.env() as env:
        env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "zh_TW")]).write({"active": True})
        env["res.users"].create({
            "name": "Boss", "login": "boss", "password": "boss", "lang": "zh_TW",
            "groups_id": [(6, 0, [env.ref("base.group_system").id])]})
    client, _token = login(app, "boss")
    page = client.get("/web/apps").get_data(as_text=True)
    for text in ("初創期", "成長期", "成熟期", "客戶資訊散落", "庫存不準", "尚未提供"):
        assert text in page, text
    page = Client(app).get("/web/no/such/page", headers={"Accept-Language": "zh-TW"})
    assert "找不到頁面" in page.get_data(as_text=True)
