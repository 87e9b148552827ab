"""Two gunicorn workers: a module installed from the Apps page through one
worker is seen by the other without a restart (the registry signal). The
worker that answers is chosen by stopping the other one (SIGSTOP) while a
new connection is made: only a running worker accepts it. On PostgreSQL
and SQLite."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import time
import urllib.parse
import urllib.request
import xmlrpc.client
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.orm import sql
from tests.fixtures import clone_database
from tests.http.conftest import ADDONS
from tests.rpc.conftest import running_server
from tests.rpc.test_workers import children_of


@pytest.fixture(scope="module")
def workers(backend, rpc_template, tmp_path_factory):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the worker processes")
    template, facts = rpc_template(backend)
    directory = tmp_path_factory.mktemp("cross_worker")
    with clone_database(template, str(directory), prefix="rpc") as url, \
            running_server(url, directory / "server.log", workers=2,
                           extra_env={"TROIKA_ADDONS_PATH": ADDONS}) as (base, process):
        deadline = time.monotonic() + 20
        while len(children_of(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = sorted(children_of(process.pid))
        assert len(pids) == 2
        yield base, pids, sql.database_name(url), facts, process.pid


@contextmanager
def only(pids: list[int], index: int):
    """Only worker ``index`` accepts connections inside the block."""
    stopped = [pid for i, pid in enumerate(pids) if i != index]
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)


def notes(base: str, db: str, uid: int) -> Callable[[], list]:
    def call() -> list:
        with xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object") as models:
            return models.execute_kw(db, uid, "admin", "th.note", "search_read", [[]],
                                     {"fields": ["name"]})
    return call


def install_from_the_apps_page(base: str, module: str) -> list[dict]:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def token(path: str, pattern: str) -> str:
        with opener.open(base + path, timeout=30) as response:
            return re.search(pattern, response.read().decode()).group(1)

    login = token("/web/login", r'name="csrf_token" value="([^"]+)"')
    form = urllib.parse.urlencode({"csrf_token": login, "login": "admin",
                                   "password": "admin"}).encode()
    opener.open(base + "/web/login", data=form, timeout=30).close()
    csrf = token("/web/apps", r'name="csrf-token" content="([^"]+)"')
    form = urllib.parse.urlencode({"csrf_token": csrf, "module": module}).encode()
    request = urllib.request.Request(base + "/web/apps/install", data=form,
                                     headers={"Accept": "application/x-ndjson"})
    with opener.open(request, timeout=120) as response:
        return [json.loads(line) for line in response.read().decode().splitlines()]


def test_an_install_through_one_worker_is_seen_by_the_other(workers):
    base, pids, db, facts, master = workers
    call = notes(base, db, facts["admin_uid"])
    for index in (0, 1):
        with only(pids, index), pytest.raises(xmlrpc.client.Fault,
                                              match="th.note doesn't exist"):
            call()
    with only(pids, 0):
        events = install_from_the_apps_page(base, "th_notes")
    assert events[-1] == {"state": "done", "modules": ["th_notes"]}, events
    for index in (1, 0):
        with only(pids, index):
            assert call() == [{"id": 1, "name": "Welcome"}]
    assert sorted(children_of(master)) == pids     # the same workers: no restart
