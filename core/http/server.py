"""Running the application: ``serve(db, host, port, workers, ...)``.

    serve(db)                                   # one process: werkzeug's server
    serve(db, workers=4, timeout=120, max_requests=2000, proxy_mode=True)

With ``workers`` 0 or 1, one process serves requests on threads with
werkzeug's server, and runs the job runner in a thread: for development
and small single-user setups.

With several workers, gunicorn serves: a master process binds the
socket, forks the workers, restarts one that dies or stops answering
(``timeout``), recycles each after ``max_requests`` requests, and on
SIGTERM lets them finish their requests (``graceful_timeout``) before
exiting. Workers are gunicorn's ``gthread`` workers (``threads`` threads
each; ``threads=1`` gives ``sync`` workers): they keep HTTP connections
alive, and a long request (a module install streaming its progress)
does not look like a hung worker to the master.

No database connection crosses a fork: the master opens the database
(composes the registry, installs the first modules on a first run),
closes every connection, and each worker opens its own. Each worker
runs a job-runner thread: jobs are claimed with ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL (SQLite serialises writers), so two workers never
run one job, and idle workers notice other workers' module and rights
changes at each tick (``check_signals``). ``cron=False`` (``--no-cron``)
leaves jobs to ``server.py cron``.

What a worker keeps in memory (the verified-credentials cache of the RPC
services, the failed-login counts) is its own. ``wsgi_app()`` serves
other WSGI servers (``gunicorn 'core.http.server:wsgi_app()'``).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import run_simple

try:
    from gunicorn.app.base import BaseApplication
except ImportError:         # a platform without fork (gunicorn needs Unix)
    BaseApplication = object

from core.http import hardening
from core.http.app import Application

_logger = logging.getLogger("troika.http")


@dataclass
class ServeOptions:
    """How to serve: ``server.py serve --help`` documents each."""

    host: str = "127.0.0.1"
    port: int = 8069
    workers: int = 1
    threads: int = 4
    timeout: int = 120
    graceful_timeout: int = 60
    max_requests: int = 0
    proxy_mode: bool = False
    cron: bool = True


def serve(db: Any, host: str = "127.0.0.1", port: int = 8069, workers: int = 1,
          **options: Any) -> None:
    """Serve ``db`` until stopped (Ctrl+C or SIGTERM)."""
    settings = ServeOptions(host=host, port=port, workers=workers, **options)
    app = Application(db)
    wsgi = hardening.behind_proxy(app) if settings.proxy_mode else app
    freeze_long_lived()
    print(f"Troika is running on http://{host}:{port}/web/login (database {db.name!r}); "
          "press Ctrl+C to stop.", file=sys.stderr, flush=True)
    if settings.workers > 1:
        if BaseApplication is object:
            raise RuntimeError("Several workers need gunicorn, which runs on Unix only; "
                               "use --workers 1 here")
        GunicornServer(wsgi, db, settings).run()
        return
    runner = _start_runner(db) if settings.cron else None
    try:
        run_simple(host, port, wsgi, threaded=True, use_reloader=False)
    finally:
        if runner is not None:
            runner.stop()


def freeze_long_lived() -> None:
    """Move what exists now (the registry, its model classes and tables, the
    templates) out of the garbage collector's sight: the full collections a
    server's allocations trigger then walk the requests' objects only, not
    the whole registry (about 200 ms each otherwise, 0.7 ms a call on average
    in ``bench/rpc.py``); before a fork, the workers also keep sharing those
    pages. Called again after a registry is composed anew."""
    gc.collect()
    gc.freeze()


def _start_runner(db: Any) -> Any:
    from core.workflow.jobs import Runner

    runner = Runner(db)
    runner.start()
    return runner


def gunicorn_settings(settings: ServeOptions) -> dict[str, Any]:
    """gunicorn's configuration for these options."""
    return {
        "bind": [f"{settings.host}:{settings.port}"],
        "workers": settings.workers,
        "worker_class": "gthread" if settings.threads > 1 else "sync",
        "threads": max(settings.threads, 1),
        "timeout": settings.timeout,
        "graceful_timeout": settings.graceful_timeout,
        "max_requests": settings.max_requests,
        # workers recycled at once would leave nobody serving for a moment
        "max_requests_jitter": settings.max_requests // 10,
        "keepalive": 5,
        "proc_name": "troika",
        # the reverse proxy's headers are trusted by --proxy-mode (ProxyFix) only
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "errorlog": "-",
        "loglevel": "info",
        # no control socket in the home directory: several servers may run
        "control_socket_disable": True,
    }


class GunicornServer(BaseApplication):
    """gunicorn serving an already loaded application (the master loaded it)."""

    def __init__(self, wsgi: Any, db: Any, settings: ServeOptions):
        self.application = wsgi
        self.db = db
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_settings(self.settings).items():
            if key in self.cfg.settings:      # settings newer gunicorns added are optional
                self.cfg.set(key, value)
        self.cfg.set("when_ready", self._when_ready)
        self.cfg.set("pre_fork", self._pre_fork)
        self.cfg.set("post_fork", self._post_fork)
        self.cfg.set("post_worker_init", self._post_worker_init)
        self.cfg.set("worker_exit", self._worker_exit)

    def load(self) -> Any:
        return self.application

    # -- hooks (gunicorn calls them with the arbiter and the worker) ----------
    def _release_connections(self) -> None:
        """In the master: close every connection before forking."""
        close_signals = getattr(self.db, "close_signals", None)
        if close_signals is not None:
            close_signals()
        self.db.engine.dispose()

    def _when_ready(self, arbiter: Any) -> None:
        self._release_connections()
        _logger.info("Master %s ready: %d %s workers", os.getpid(), self.settings.workers,
                     gunicorn_settings(self.settings)["worker_class"])

    def _pre_fork(self, arbiter: Any, worker: Any) -> None:
        self._release_connections()

    def _post_fork(self, arbiter: Any, worker: Any) -> None:
        # a pool of its own: whatever the master's pool held is not used, nor closed
        self.db.engine.dispose(close=False)

    def _post_worker_init(self, worker: Any) -> None:
        if self.settings.cron:
            worker.troika_runner = _start_runner(self.db)

    def _worker_exit(self, arbiter: Any, worker: Any) -> None:
        runner = getattr(worker, "troika_runner", None)
        if runner is not None:
            runner.stop()


def wsgi_app(proxy_mode: bool | None = None) -> Any:
    """For other WSGI servers: ``gunicorn 'core.http.server:wsgi_app()'`` with
    ``TROIKA_DB_URL`` (and ``TROIKA_PROXY_MODE=1`` behind a reverse proxy).
    Jobs then run in ``server.py cron``."""
    from core.modules.manager import open_database

    if proxy_mode is None:
        proxy_mode = os.environ.get("TROIKA_PROXY_MODE", "") not in ("", "0")
    app = Application(open_database())
    return hardening.behind_proxy(app) if proxy_mode else app
