"""Running the application: ``serve(db, host, port, workers)``.

One worker serves requests on threads; several workers are processes
sharing the database (use PostgreSQL for that, or a WSGI server such as
gunicorn with ``core.http.server:wsgi_app``).
"""

from __future__ import annotations

import sys
from typing import Any

from werkzeug.serving import run_simple

from core.http.app import Application


def serve(db: Any, host: str = "127.0.0.1", port: int = 8069, workers: int = 1) -> None:
    app = Application(db)
    print(f"Troika is running on http://{host}:{port}/web/login (database {db.name!r}); "
          "press Ctrl+C to stop.", file=sys.stderr, flush=True)
    if workers > 1:
        run_simple(host, port, app, processes=workers, use_reloader=False)
    else:
        run_simple(host, port, app, threaded=True, use_reloader=False)


def wsgi_app() -> Application:
    """For WSGI servers: ``gunicorn 'core.http.server:wsgi_app()'`` (TROIKA_DB_URL)."""
    from core.modules.manager import open_database

    return Application(open_database())
