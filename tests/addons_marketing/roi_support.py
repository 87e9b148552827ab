"""A database of each backend with crm_marketing installed and the application on it,
for the web tests of the Campaign ROI report and the public lead form (made once per
test module: the pages commit).

Users (password = login): ``marketer`` (Email Marketing user, no sales right),
``boss`` (sales manager), ``seller`` (salesperson, own documents); ``admin``/``admin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import WebDatabase

USERS = {"marketer": ["base.group_user", "crm_marketing.group_mass_mailing_user"],
         "boss": ["base.group_user", "sales_team.group_sale_manager"],
         "seller": ["base.group_user", "sales_team.group_sale_salesman"]}


def prepare(db: Any) -> None:
    with db.env() as env:
        env.ref("base.user_admin").write({"password": "admin"})
        for login, groups in USERS.items():
            env["res.users"].create({
                "name": login.title(), "login": login, "password": login,
                "email": f"{login}@troika.example",
                "groups_id": [(6, 0, [env.ref(group).id for group in groups])]})


@pytest.fixture(scope="module")
def roi_web(backend, installed_db) -> Iterator[WebDatabase]:
    from core.http.app import Application

    db = installed_db(("crm_marketing",))
    prepare(db)
    yield WebDatabase(db=db, url=db.engine.url.render_as_string(hide_password=False),
                      backend=backend, app=Application(db))


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def text(response: Any) -> str:
    return response.get_data(as_text=True)
