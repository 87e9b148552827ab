"""Routes that addons add to the application: public pages such as a customer's link.

    # addons/sale/controllers/portal.py, imported by the addon's __init__.py
    from core.http.routes import route

    @route("/sale/portal/<token>", methods=("GET", "POST"), module="sale")
    def portal(app, request, session, token):
        with app.db.env() as env:            # no user: the handler checks its token
            ...
        return Response(html, mimetype="text/html")

An addon's Python package is imported when a database that has it
installed composes its registry, so its ``@route`` calls run then; the
application mounts the routes registered so far when it starts and again
at every request (new ones only), so that an addon installed from the
Apps page serves its routes without a restart. A route answers 404 while
its ``module`` is not installed in the application's database.

Handlers get the ``Application``, the werkzeug ``Request``, the session and
the URL's values, and return a ``Response``. Nothing is checked for them:
they are public. A handler authenticates what it serves (a signed token,
the session's user) and checks the CSRF of its own state-changing POSTs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import Rule


@dataclass(frozen=True)
class AddonRoute:
    path: str
    endpoint: str
    methods: tuple[str, ...]
    handler: Callable[..., Any]
    module: str


#: every route addons registered in this process, in registration order
ROUTES: list[AddonRoute] = []
_LOCK = threading.Lock()


def route(path: str, methods: tuple[str, ...] = ("GET",), module: str = "",
          name: str | None = None) -> Callable:
    """Register the decorated function as the handler of ``path`` (werkzeug
    rule syntax) for the addon ``module``."""
    if not module:
        raise ValueError(f"route {path!r}: name the addon it belongs to (module=...)")

    def decorate(handler: Callable) -> Callable:
        endpoint = f"addon_{module}_{name or handler.__name__}"
        with _LOCK:
            if not any(r.path == path and r.endpoint == endpoint for r in ROUTES):
                ROUTES.append(AddonRoute(path, endpoint, tuple(methods), handler, module))
        return handler

    return decorate


def mount(app: Any) -> None:
    """Add the routes registered since the last call to ``app``'s URL map."""
    mounted: set[str] = app.__dict__.setdefault("_addon_endpoints", set())
    if len(mounted) >= len({r.endpoint for r in ROUTES}):
        return
    with _LOCK:
        for addon_route in ROUTES:
            if addon_route.endpoint in mounted:
                continue
            app.url_map.add(Rule(addon_route.path, endpoint=addon_route.endpoint,
                                 methods=list(addon_route.methods)))
            setattr(app, f"on_{addon_route.endpoint}", _guarded(app, addon_route))
            mounted.add(addon_route.endpoint)


def _guarded(app: Any, addon_route: AddonRoute) -> Callable:
    def on_request(request: Any, session: Any, **values: Any) -> Any:
        installed = getattr(app.db.registry, "installed_modules", None) or []
        if addon_route.module not in installed:
            raise NotFound()
        return addon_route.handler(app, request, session, **values)

    on_request.__name__ = addon_route.handler.__name__
    return on_request
