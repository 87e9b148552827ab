"""Running the application: ``serve(db, host, port, workers)``.

One worker serves requests on threads. Several workers are processes
forked once at start (pre-fork, as gunicorn does), each serving requests
on threads from the one listening socket they share; the parent only
watches them, starts a new one when one dies, and stops them all on
SIGTERM or Ctrl+C. No database connection crosses a fork: each worker
opens its own. Use PostgreSQL for several workers (SQLite serialises
writers), or a WSGI server such as gunicorn with
``core.http.server:wsgi_app()``.

What a worker keeps in memory (the verified-credentials cache of the
RPC services, the failed-login counts) is its own.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from typing import Any

from werkzeug.serving import make_server, run_simple

from core.http.app import Application

_logger = logging.getLogger("troika.http")
#: a worker that dies sooner than this after its start is restarted after a pause
RESTART_PAUSE = 1.0


def serve(db: Any, host: str = "127.0.0.1", port: int = 8069, workers: int = 1) -> None:
    app = Application(db)
    print(f"Troika is running on http://{host}:{port}/web/login (database {db.name!r}); "
          "press Ctrl+C to stop.", file=sys.stderr, flush=True)
    if workers > 1 and hasattr(os, "fork"):
        serve_workers(app, host, port, workers)
    else:
        run_simple(host, port, app, threaded=True, use_reloader=False)


def serve_workers(app: Application, host: str, port: int, workers: int) -> None:
    """Fork ``workers`` processes serving ``app`` on one listening socket."""
    server = make_server(host, port, app, threaded=True)     # bound and listening
    server.log_startup()
    app.db.engine.dispose()            # the parent's connections stay out of the workers
    children: dict[int, float] = {}

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:                   # the worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                app.db.engine.dispose(close=False)   # a pool of its own
                server.serve_forever()
            except BaseException:  # noqa: BLE001 - a worker never returns into the parent
                _logger.exception("Worker %s failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    for _ in range(workers):
        spawn()
    _logger.info("Started %d workers: %s", workers, ", ".join(map(str, children)))
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while children:
            pid, status = os.wait()
            started = children.pop(pid, None)
            if started is None:
                continue
            _logger.warning("Worker %s exited (status %s); starting another", pid, status)
            if time.monotonic() - started < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)
            spawn()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for pid in list(children):
            while time.monotonic() < deadline:
                done, _status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        server.server_close()


def wsgi_app() -> Application:
    """For WSGI servers: ``gunicorn 'core.http.server:wsgi_app()'`` (TROIKA_DB_URL)."""
    from core.modules.manager import open_database

    return Application(open_database())
