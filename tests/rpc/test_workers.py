"""``serve --workers 2``: gunicorn's master forks two worker processes that
share the listening socket, each with database connections of its own,
under concurrent calls; a killed worker is replaced; SIGTERM to the master
stops them all. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.orm import sql
from tests.fixtures import clone_database
from tests.rpc.conftest import running_server

THREADS = 6
CALLS = 8


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def workers(backend, rpc_template, tmp_path_factory):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the worker processes")
    template, facts = rpc_template(backend)
    directory = tmp_path_factory.mktemp("rpc_workers")
    with clone_database(template, str(directory), prefix="rpc") as url, \
            running_server(url, directory / "server.log", workers=2) as (base, process):
        yield base, process, sql.database_name(url), facts


def test_two_worker_processes(workers):
    _base, process, _db, _facts = workers
    deadline = time.monotonic() + 10
    while len(children_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(children_of(process.pid)) == 2


def test_concurrent_calls(workers):
    base, _process, db, facts = workers
    uid = facts["admin_uid"]

    def work(index: int) -> list[int]:
        with xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True) as models:
            made = []
            for call in range(CALLS):
                rows = models.execute_kw(db, uid, "admin", "res.partner", "search_read",
                                         [[["ref", "=like", "P%"]]],
                                         {"fields": ["name", "category_id"], "limit": 30})
                assert len(rows) == 30
                made.append(models.execute_kw(db, uid, "admin", "res.partner", "create",
                                              [{"name": f"Worker {index}-{call}"}]))
            return made

    with ThreadPoolExecutor(THREADS) as pool:
        created = [pid for ids in pool.map(work, range(THREADS)) for pid in ids]
    assert len(set(created)) == THREADS * CALLS
    with xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True) as models:
        assert models.execute_kw(db, uid, "admin", "res.partner", "search_count",
                                 [[["name", "=like", "Worker %"]]]) == THREADS * CALLS


def test_responses_are_hardened(workers):
    base, _process, _db, _facts = workers
    body = xmlrpc.client.dumps((), "version").encode()
    request = urllib.request.Request(f"{base}/xmlrpc/2/common", data=body,
                                     headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in response.headers
    with urllib.request.urlopen(f"{base}/web/login", timeout=30) as response:
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_killed_worker_is_replaced(workers):
    base, process, db, facts = workers
    before = children_of(process.pid)
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = children_of(process.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.1)
    assert len(children_of(process.pid)) == 2
    with xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common") as common:
        assert common.login(db, "admin", "admin") == facts["admin_uid"]


def test_stopping_the_parent_stops_the_workers(workers):
    """The module's last test: SIGTERM to the parent ends every worker."""
    _base, process, _db, _facts = workers
    pids = children_of(process.pid)
    assert len(pids) == 2
    process.terminate()
    assert process.wait(timeout=15) == 0
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists()
