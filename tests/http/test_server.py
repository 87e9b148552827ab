"""``serve``'s gunicorn configuration and hooks, without starting gunicorn:
the options it gets, the master closing its connections before forking,
and each worker's job runner. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from core.http.app import Application
from core.http.server import GunicornServer, ServeOptions, gunicorn_settings
from core.modules.manager import Database


@pytest.fixture
def db(base_url):
    database = Database(base_url)
    yield database
    database.close()


def test_settings():
    settings = gunicorn_settings(ServeOptions(host="0.0.0.0", port=8070, workers=3,
                                              threads=1, max_requests=500))
    assert settings["bind"] == ["0.0.0.0:8070"]
    assert settings["worker_class"] == "sync" and settings["workers"] == 3
    assert settings["max_requests"] == 500 and settings["max_requests_jitter"] == 50
    assert settings["forwarded_allow_ips"] == "" and settings["secure_scheme_headers"] == {}
    assert gunicorn_settings(ServeOptions(threads=4))["worker_class"] == "gthread"


def test_gunicorn_gets_the_options(db):
    options = ServeOptions(port=8071, workers=2, threads=3, timeout=77, graceful_timeout=33,
                           max_requests=1000)
    app = Application(db)
    server = GunicornServer(app, db, options)
    cfg = server.cfg
    assert (cfg.workers, cfg.threads, cfg.timeout, cfg.graceful_timeout) == (2, 3, 77, 33)
    assert cfg.worker_class_str == "gthread" and cfg.max_requests == 1000
    assert cfg.address == [("127.0.0.1", 8071)]
    assert server.wsgi() is app


def test_the_master_closes_its_connections_before_forking(db):
    server = GunicornServer(Application(db), db, ServeOptions(workers=2))
    db.check_signals()                        # the signal connection is open
    with db.env() as env:
        env["res.partner"].search([], limit=1)
    server._when_ready(SimpleNamespace())
    assert db.engine.pool.checkedin() == 0
    assert db._signal_reader._connection is None
    db.check_signals()                        # and opens again when needed


def test_each_worker_runs_the_job_runner(db):
    server = GunicornServer(Application(db), db, ServeOptions(workers=2))
    worker = SimpleNamespace()
    server._post_fork(SimpleNamespace(), worker)
    server._post_worker_init(worker)
    runner = worker.troika_runner
    assert runner.is_alive() and runner in threading.enumerate()
    server._worker_exit(SimpleNamespace(), worker)
    runner.join(timeout=10)
    assert not runner.is_alive()
    quiet = GunicornServer(Application(db), db, ServeOptions(workers=2, cron=False))
    worker = SimpleNamespace()
    quiet._post_worker_init(worker)
    assert not hasattr(worker, "troika_runner")
