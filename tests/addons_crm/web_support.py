"""The demo database (crm and sale with sale_crm, as ``server.py --demo`` makes it)
for the web, browser and demo tests, made once per backend and cloned per test module.

The demo (addons/crm/demo) gives the users ``mei.chen`` and ``jimmy.lin`` (salespeople
who see their own deals and lead the teams Europe & Africa and Americas),
``grace.wang`` (sees every deal, leads Asia Pacific & Middle East), five more
salespeople, passwords equal to the logins, and ``admin``/``admin`` (sales
administrator).

    def test_page(crm_web):
        client = crm_web.client("mei.chen")
        client.get(f"/web/action/{xmlid(crm_web, 'crm.crm_lead_action_pipeline')}")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from tests.fixtures import clone_database, fresh_database_url
from tests.web.conftest import WebDatabase

_TEMPLATES: dict[str, str] = {}


def prepare(url: str) -> None:
    from core.modules.manager import open_database

    db = open_database(url, demo=True)
    try:
        db.install(["crm", "sale"], demo=True)      # what `server.py --demo` installs
        with db.env() as env:
            env.ref("base.user_admin").write({"password": "admin"})
    finally:
        db.close()


def template_url(backend: str, config: Any, tmp_path_factory: Any) -> str:
    if backend not in _TEMPLATES:
        stack = ExitStack()
        config.add_cleanup(stack.close)
        directory = tmp_path_factory.mktemp("crm_template")
        url = stack.enter_context(fresh_database_url(backend, str(directory)))
        prepare(url)
        _TEMPLATES[backend] = url
    return _TEMPLATES[backend]


@pytest.fixture(scope="module")
def crm_web(backend, request, tmp_path_factory) -> Iterator[WebDatabase]:
    """This module's copy of the CRM demo database of ``backend``, with the app."""
    from core.http.app import Application
    from core.modules.manager import open_database

    template = template_url(backend, request.config, tmp_path_factory)
    directory = tmp_path_factory.mktemp("crm_web")
    with clone_database(template, str(directory), prefix="crm") as url:
        db = open_database(url)
        try:
            yield WebDatabase(db=db, url=url, backend=backend, app=Application(db))
        finally:
            db.close()


def ref(web: WebDatabase, name: str) -> int:
    with web.env() as env:
        return env.ref(name).id
