"""Fixtures of the web client tests: a prepared database per backend, cloned per module.

The prepared database has base and the test addon ``tweb_shop``
(tests/addons_web) installed, and:

- ``admin``/``admin`` (administrator), ``demo``/``demo`` (internal user),
  ``manager``/``manager`` (internal user and shop manager), ``outsider``/
  ``outsider`` (a user in no group: no right on the shop's models);
- partners "Acme" (ref AC1, no e-mail) and "Globex" (ref GX2, with e-mail);
- tags Red and Blue; 100 orders SO000..SO099 (odd ones for Acme, every
  tenth urgent, amounts 0..99, each with one line of 2 x 1.5).

``web(backend)`` gives a ``WebDatabase``: the opened database and a
``client(login)`` making logged-in werkzeug test clients against the
``Application``. The browser tests serve the same prepared database with
a real server (``live_server``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from tests.fixtures import browser_page, clone_database, fresh_database_url, log_in

ADDONS = str(Path(__file__).resolve().parents[1] / "addons_web")
ORDERS = 100
USERS = {"demo": ["base.group_user"],
         "manager": ["base.group_user", "tweb_shop.group_shop_manager"], "outsider": []}


def prepare(url: str) -> None:
    from core.modules.manager import open_database

    db = open_database(url, ADDONS)
    try:
        db.install(["tweb_shop"])
        with db.env() as env:
            env.ref("base.user_admin").write({"password": "admin"})
            for login, groups in USERS.items():
                env["res.users"].create({
                    "name": login.title(), "login": login, "password": login,
                    "groups_id": [(6, 0, [env.ref(g).id for g in groups])]})
            acme, globex = env["res.partner"].create([
                {"name": "Acme", "ref": "AC1", "is_company": True},
                {"name": "Globex", "ref": "GX2", "email": "info@globex.example",
                 "is_company": True}])
            red, blue = env["tweb.tag"].create([{"name": "Red"}, {"name": "Blue"}])
            env["tweb.order"].create([{
                "name": f"SO{i:03d}", "partner_id": acme.id if i % 2 else globex.id,
                "amount": float(i), "is_urgent": i % 10 == 0,
                "urgency_reason": "Customer waits" if i % 10 == 0 else False,
                "tag_ids": [(6, 0, [red.id] if i % 2 else [red.id, blue.id])],
                "line_ids": [(0, 0, {"name": "Widget", "qty": 2, "price": 1.5})]}
                for i in range(ORDERS)])
            env["tweb.note"].create([{"name": f"Note {i}", "hours": float(i),
                                      "level": "high" if i == 2 else "low"}
                                     for i in range(3)])
            env["tweb.secret"].create({"name": "The recipe"})
    finally:
        db.close()


@pytest.fixture(scope="session")
def web_template(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """``web_template(backend)``: the URL of the prepared database (made once)."""
    templates: dict[str, str] = {}
    with ExitStack() as stack:
        def get(backend: str) -> str:
            if backend not in templates:
                directory = str(tmp_path_factory.mktemp("web_template"))
                url = stack.enter_context(fresh_database_url(backend, directory))
                prepare(url)
                templates[backend] = url
            return templates[backend]

        yield get


@dataclass
class WebDatabase:
    db: Any
    url: str
    backend: str
    app: Any = None
    _clients: dict = field(default_factory=dict)

    def client(self, login: str | None = "admin") -> WebClient:
        """A test client logged in as ``login`` (None: not logged in)."""
        client = WebClient(Client(self.app), self)
        if login:
            client.login(login, login)
        return client

    def env(self, user: str | None = None) -> Any:
        return self.db.env(user=user) if user else self.db.env()


class WebClient:
    """A werkzeug test client with the session's CSRF token at hand."""

    def __init__(self, client: Client, web: WebDatabase):
        self.client = client
        self.web = web
        self.csrf = ""

    def login(self, login: str, password: str) -> None:
        page = self.client.get("/web/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.client.post("/web/login", data={"login": login, "password": password,
                                                         "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.refresh_token()

    def refresh_token(self) -> str:
        page = self.client.get("/web/preferences").get_data(as_text=True)
        found = re.search(r'name="csrf-token" content="([^"]+)"', page)
        self.csrf = found.group(1) if found else ""
        return self.csrf

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: Any = None, csrf: bool = True, **kwargs: Any) -> Any:
        data = dict(data or {}) if not isinstance(data, list) else data
        if csrf:
            if isinstance(data, list):
                data = [*data, ("csrf_token", self.csrf)]
            else:
                data.setdefault("csrf_token", self.csrf)
        if isinstance(data, list):
            from werkzeug.datastructures import MultiDict

            data = MultiDict(data)
        return self.client.post(url, data=data, **kwargs)

    def json(self, url: str, payload: dict, csrf: str | None = None) -> Any:
        headers = {"X-CSRF-Token": self.csrf if csrf is None else csrf}
        return self.client.post(url, json=payload, headers=headers)


@pytest.fixture(scope="module")
def web(backend, web_template, tmp_path_factory) -> Iterator[WebDatabase]:
    """This module's own copy of the prepared database of ``backend``, with the app."""
    from core.http.app import Application
    from core.modules.manager import open_database

    directory = tmp_path_factory.mktemp("web")
    with clone_database(web_template(backend), str(directory), prefix="web") as url:
        db = open_database(url, ADDONS)
        try:
            yield WebDatabase(db=db, url=url, backend=backend, app=Application(db))
        finally:
            db.close()


def xmlid(web: WebDatabase, name: str) -> int:
    with web.env() as env:
        return env.ref(name).id


def text(response: Any) -> str:
    return response.get_data(as_text=True)


# -- browser tests ----------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(web_template, tmp_path_factory) -> Iterator[str]:
    """A real server (SQLite) on this module's copy of the prepared database: its URL."""
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("web_live")
    with clone_database(web_template("sqlite"), str(directory), prefix="live") as url, \
            running_server(url, directory / "server.log",
                           extra_env={"TROIKA_ADDONS_PATH": ADDONS}) as (base, _process):
        yield base


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    """A logged-in page (admin), failing the test on any script error."""
    with browser_page(browser) as page:
        log_in(page, live_server, "admin")
        yield page
