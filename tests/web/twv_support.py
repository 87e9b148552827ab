"""Fixtures of the kanban, calendar, graph and pivot tests (import them in a test module).

The prepared database has base and the test addon ``twv_tasks``
(tests/addons_web_views) installed, and:

- ``admin``/``admin``; ``demo``/``demo`` (internal user, timezone
  Asia/Taipei); ``manager``/``manager`` (internal user and task manager,
  UTC); ``outsider``/``outsider`` (no group: no right on tasks);
- stages Backlog, Doing, Review (empty) and Archive (folded);
- tags Red and Blue; the tasks of ``TASKS`` (by name: ``task_ids(web)``).

``views_web`` is the module's own copy of it (a ``WebDatabase`` of
tests/web/conftest.py, per backend); templates are made once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import clone_database, fresh_database_url
from tests.web.conftest import WebDatabase

ADDONS = str(Path(__file__).resolve().parents[1] / "addons_web_views")
USERS = {"demo": (["base.group_user"], "Asia/Taipei"),
         "manager": (["base.group_user", "twv_tasks.group_task_manager"], "UTC"),
         "outsider": ([], "UTC")}
#: name: (stage, priority, user, hours, amount, deadline, start (UTC), stop (UTC), allday, tags)
TASKS = {
    "Write spec": ("backlog", "3", "demo", 2.0, 100.0, "2026-11-20", "2026-11-05 01:30:00",
                   "2026-11-05 03:30:00", False, ["Red"]),
    "Order parts": ("backlog", "0", None, 3.0, 0.0, None, "2026-11-12 08:00:00",
                    "2026-11-12 09:00:00", False, []),
    "Build prototype": ("doing", "1", "manager", 5.0, 50.0, None, "2026-11-30 17:00:00",
                        "2026-11-30 19:00:00", False, ["Red", "Blue"]),
    "Old report": ("archive", "0", None, 1.0, 10.0, None, None, None, False, []),
    "Loose end": (None, "2", "demo", 4.0, 25.5, "2026-12-03", "2026-11-10 00:00:00",
                  "2026-11-11 00:00:00", True, ["Blue"]),
}
_TEMPLATES: dict[str, str] = {}


def prepare(url: str) -> None:
    from core.modules.manager import open_database

    db = open_database(url, ADDONS)
    try:
        db.install(["twv_tasks"])
        with db.env() as env:
            env.ref("base.user_admin").write({"password": "admin"})
            users = {}
            for login, (groups, tz) in USERS.items():
                users[login] = env["res.users"].create({
                    "name": login.title(), "login": login, "password": login, "tz": tz,
                    "groups_id": [(6, 0, [env.ref(g).id for g in groups])]})
            tags = {name: env["twv.tag"].create({"name": name}).id for name in ("Red", "Blue")}
            usd = env.ref("base.USD").id
            for name, (stage, priority, user, hours, amount, deadline, start, stop, allday,
                       tag_names) in TASKS.items():
                env["twv.task"].create({
                    "name": name, "priority": priority, "hours": hours, "amount": amount,
                    "currency_id": usd,
                    "stage_id": env.ref(f"twv_tasks.stage_{stage}").id if stage else False,
                    "user_id": users[user].id if user else False,
                    "deadline": deadline or False, "allday": allday,
                    "start": dt.datetime.fromisoformat(start) if start else False,
                    "stop": dt.datetime.fromisoformat(stop) if stop else False,
                    "tag_ids": [(6, 0, [tags[t] for t in tag_names])]})
            # a task in progress (the workflow moves it; sudo() as a data fix would)
            env["twv.task"].search([("name", "=", "Build prototype")]).action_start()
    finally:
        db.close()


def template_url(backend: str, config: Any, tmp_path_factory: Any) -> str:
    """The URL of the prepared database of ``backend`` (made once per process, dropped
    when the test session ends)."""
    if backend not in _TEMPLATES:
        stack = ExitStack()
        config.add_cleanup(stack.close)
        directory = tmp_path_factory.mktemp("twv_template")
        url = stack.enter_context(fresh_database_url(backend, str(directory)))
        prepare(url)
        _TEMPLATES[backend] = url
    return _TEMPLATES[backend]


@pytest.fixture(scope="module")
def views_web(backend, request, tmp_path_factory) -> Iterator[WebDatabase]:
    """This module's copy of the prepared database of ``backend``, with the app."""
    from core.http.app import Application
    from core.modules.manager import open_database

    template = template_url(backend, request.config, tmp_path_factory)
    directory = tmp_path_factory.mktemp("twv")
    with clone_database(template, str(directory), prefix="twv") as url:
        db = open_database(url, ADDONS)
        try:
            yield WebDatabase(db=db, url=url, backend=backend, app=Application(db))
        finally:
            db.close()


def ids(web: WebDatabase) -> dict[str, int]:
    """Task name -> id."""
    with web.env() as env:
        return {t.name: t.id for t in env["twv.task"].with_context(active_test=False)
                .search([])}


def ref(web: WebDatabase, xmlid: str) -> int:
    with web.env() as env:
        return env.ref(xmlid).id


def action_url(web: WebDatabase, name: str = "twv_tasks.twv_task_action", **query: str) -> str:
    from urllib.parse import urlencode

    url = f"/web/action/{ref(web, name)}"
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def add_tasks(web: WebDatabase, count: int, prefix: str = "Bulk") -> None:
    """``count`` more tasks spread over the stages, users, priorities and days."""
    with web.env() as env:
        stages = env["twv.stage"].search([]).ids
        users = env["res.users"].search([("login", "in", ["demo", "manager"])]).ids
        tags = env["twv.tag"].search([]).ids
        env["twv.task"].create([{
            "name": f"{prefix} {i}", "stage_id": stages[i % len(stages)],
            "user_id": users[i % len(users)], "priority": str(i % 4), "hours": 1.0,
            "amount": float(i), "currency_id": env.ref("base.USD").id,
            "tag_ids": [(6, 0, [tags[i % len(tags)]])],
            "start": dt.datetime(2026, 11, 1 + i % 28, 9, 0),
            "stop": dt.datetime(2026, 11, 1 + i % 28, 10, 0)} for i in range(count)])
