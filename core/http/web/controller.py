"""The web client's request plumbing: routes, the user's environment, CSRF, errors.

    app = Application(db)          # core/http/app.py creates WebClient(self)
    # GET /web/action/12?view_type=list&page=2    -> pages.Pages.action
    # POST /web/json/onchange (X-CSRF-Token)      -> json_api.JsonApi.onchange

Every page runs in one transaction as the logged-in user, with their
language and timezone in the context (``res.users.context_get``); nothing
a user sees is read with ``sudo()``. A POST, form or JSON, must carry the
session's CSRF token (the ``csrf_token`` form field, or the
``X-CSRF-Token`` header of a ``fetch``); without it the request is refused
with 403 before anything is read or written. An ``AccessError`` becomes a
403 page, a ``MissingError`` a 404.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.routing import Rule
from werkzeug.utils import redirect, send_from_directory
from werkzeug.wrappers import Request, Response

from core.exceptions import AccessError, MissingError, UserError
from core.http.sessions import Session
from core.http.web.i18n import _, translate
from core.orm.environment import Environment

STATIC = Path(__file__).resolve().parents[1] / "static"
CSRF_HEADER = "X-CSRF-Token"
#: seconds a user's context_get() is kept (per language and timezone)
CONTEXT_TTL = 300.0


class JsonError(Exception):
    """An error answered to a JSON endpoint as ``{"error": {...}}`` with ``status``."""

    def __init__(self, message: str, status: int = 400, kind: str = "error",
                 fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.fields = fields or {}


@dataclass
class Page:
    """One request of a logged-in user: the request, the session and the environment."""

    client: Any
    request: Request
    session: Session
    env: Environment
    #: values every page template gets (menus, user), filled lazily by ``shell``
    _shell: dict | None = field(default=None, repr=False)

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token()

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        """A page of the app shell: ``values`` plus the menus, the user and the token."""
        from core.http.web.shell import shell_values

        if self._shell is None:
            self._shell = shell_values(self)
            self._shell["tr"] = lambda text: translate(self.env, text)
        return self.client.app.render(template, status=status, **self._shell, **values)

    def fragment(self, template: str, **values: Any) -> Response:
        """A piece of HTML for the page's scripts (no shell around it)."""
        return self.client.app.render(template, csrf_token=self.csrf_token,
                                      lang=self.env.context.get("lang"),
                                      tr=lambda text: translate(self.env, text), **values)


class WebClient:
    """Mounts the web client's routes on an ``Application`` and serves them.

    Route handlers are collected from controller objects (``pages``,
    ``json_api``): each route names a method, and the application's
    dispatcher (``on_<endpoint>``) finds it on the app, where ``mount``
    put it.
    """

    def __init__(self, app: Any):
        from core.http.web.addon_pages import load_addon_pages
        from core.http.web.json_api import JsonApi
        from core.http.web.pages import Pages

        self.app = app
        self.db = app.db
        self._contexts: dict[tuple, tuple[dict, float]] = {}
        self._user_query: tuple | None = None
        self.pages = Pages(self)
        self.json_api = JsonApi(self)
        load_addon_pages(app)       # addons' controllers and templates (addon_pages.py)
        self.mount()

    # -- routes ----------------------------------------------------------------
    def routes(self) -> list[tuple[str, str, Callable, list[str], str]]:
        """(path, endpoint, handler, methods, kind) of every route; kind is
        ``page``, ``json`` or ``public``."""
        from core.http.web.json_api import JSON_ROUTES
        from core.http.web.pages import PAGE_ROUTES

        result = [("/web/static/<path:filename>", "webclient_static", self.static,
                   ["GET"], "public")]
        for path, name, methods in PAGE_ROUTES:
            result.append((path, f"webclient_{name}", getattr(self.pages, name), methods,
                           "page"))
        for path, name in JSON_ROUTES:
            result.append((path, f"webclient_json_{name}", getattr(self.json_api, name),
                           ["POST"], "json"))
        from core.http.web.renderers import VIEW_ROUTES

        for path, name, handler, methods, kind in VIEW_ROUTES:
            result.append((path, f"webclient_{kind}_{name}", handler, methods, kind))
        return result

    def mount(self) -> None:
        seen: set[str] = set()
        for path, endpoint, handler, methods, kind in self.routes():
            self.app.url_map.add(Rule(path, endpoint=endpoint, methods=methods))
            if endpoint in seen:
                continue
            seen.add(endpoint)
            wrapped = handler if kind == "public" else (
                self._json_handler(handler) if kind == "json" else self._page_handler(handler))
            if kind == "public" and getattr(handler, "takes_app", False):
                # a public route that needs the database (e.g. /mail/unsubscribe)
                wrapped = functools.partial(handler, self.app)
            setattr(self.app, f"on_{endpoint}", wrapped)
        # the application's /web rule opens the app shell's home page
        self.app.on_web_home = self._page_handler(self.pages.home)

    # -- environments ------------------------------------------------------------
    @contextmanager
    def user_env(self, uid: int) -> Iterator[Environment]:
        """A transaction as ``uid`` with the user's context (``_LoggedOut`` if the
        user is gone or archived). The user's row is one query; ``context_get()``
        is kept per user, language and timezone for a few minutes."""
        with self.db.env(user=uid) as env:
            row = self._user_row(env, uid)
            if row is None or not row.active:
                raise _LoggedOut()
            key = (uid, row.lang, row.tz)
            now = time.monotonic()
            known = self._contexts.get(key)
            if known is None or known[1] <= now:
                if len(self._contexts) > 10_000:
                    self._contexts.clear()
                known = self._contexts[key] = (env["res.users"].context_get(),
                                               now + CONTEXT_TTL)
            env = env(context=known[0])
            env.transaction.memo["web.user_name"] = row.name
            yield env

    def _user_row(self, env: Environment, uid: int) -> Any:
        """(active, name, lang, tz) of the user, in one query."""
        if self._user_query is None or self._user_query[0] is not env.registry:
            users = env.registry["res.users"]._table_obj
            partners = env.registry["res.partner"]._table_obj
            self._user_query = (env.registry, (
                sa.select(users.c.active, partners.c.name, partners.c.lang, partners.c.tz)
                .select_from(users.join(partners, partners.c.id == users.c.partner_id))
                .where(users.c.id == sa.bindparam("uid"))))
        return env.transaction.execute(self._user_query[1], {"uid": uid}).first()

    # -- wrappers ----------------------------------------------------------------
    def _page_handler(self, handler: Callable) -> Callable:
        def on_request(request: Request, session: Session, **values: Any) -> Response:
            if session.uid is None:
                return _to_login(request)
            try:
                if request.method == "POST":     # inside: a refused upload is closed too
                    check_form_csrf(request, session)
                with self.user_env(session.uid) as env:
                    return handler(Page(self, request, session, env), **values)
            except _LoggedOut:
                return _to_login(request)
            except AccessError as exc:
                raise Forbidden(str(exc)) from None
            except MissingError as exc:
                raise NotFound(str(exc)) from None
            except UserError as exc:
                # the transaction was rolled back; the message alone, in the shell's style
                back = request.referrer or ""
                return self.app.render("web/error.html", status=422, message=str(exc),
                                       back=back if back.startswith(request.host_url)
                                       else "/web")
            finally:
                request.close()         # uploaded files' temporary files

        on_request.__name__ = handler.__name__
        return on_request

    def _json_handler(self, handler: Callable) -> Callable:
        def on_request(request: Request, session: Session, **values: Any) -> Response:
            try:
                if request.mimetype != "application/json":
                    raise JsonError(_("JSON endpoints take application/json."), 415)
                if session.uid is None:
                    raise JsonError(_("Your session expired; log in again."), 401)
                if session.is_new or not session.check_csrf(request.headers.get(CSRF_HEADER)):
                    raise JsonError(_("The request did not come from this site; reload "
                                      "the page."), 403, "csrf")
                payload = _json_body(request)
                with self.user_env(session.uid) as env:
                    try:
                        result = handler(Page(self, request, session, env), payload, **values)
                    except JsonError as exc:     # in the user's language, while env lives
                        raise JsonError(translate(env, exc.args[0]), exc.status, exc.kind,
                                        {k: translate(env, v) for k, v in exc.fields.items()}
                                        ) from None
                return json_response(result)
            except _LoggedOut:
                return json_response({"error": {"message": _("Log in again.")}}, 401)
            except JsonError as exc:
                return json_response({"error": {"message": str(exc), "type": exc.kind,
                                                "fields": exc.fields}}, exc.status)
            except AccessError as exc:
                return json_response({"error": {"message": str(exc), "type": "access"}}, 403)
            except MissingError as exc:
                return json_response({"error": {"message": str(exc), "type": "missing"}}, 404)
            except UserError as exc:
                return json_response({"error": {"message": str(exc),
                                                "type": type(exc).__name__}}, 422)

        on_request.__name__ = handler.__name__
        return on_request

    # -- static files --------------------------------------------------------------
    def static(self, request: Request, session: Session, filename: str) -> Response:
        response = send_from_directory(STATIC, filename, request.environ, max_age=3600)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


class _LoggedOut(Exception):
    """The session's user is gone or archived."""


def check_form_csrf(request: Request, session: Session) -> None:
    """403 unless the POST carries the session's token (form field or header)."""
    token = request.form.get("csrf_token") or request.headers.get(CSRF_HEADER)
    if session.is_new or not session.check_csrf(token):
        raise Forbidden(_("The form has expired or did not come from this site; reload "
                          "the page and try again."))


def _to_login(request: Request) -> Response:
    target = request.full_path.rstrip("?") if request.method == "GET" else "/web"
    return redirect(f"/web/login?redirect={quote(target, safe='/')}")


def _json_body(request: Request) -> dict:
    try:
        payload = json.loads(request.get_data(cache=False) or b"{}")
    except ValueError:
        raise JsonError(_("Malformed JSON")) from None
    if not isinstance(payload, dict):
        raise JsonError(_("The request must be a JSON object."))
    return payload


def json_response(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value, default=str), status=status,
                    mimetype="application/json")
