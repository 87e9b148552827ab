"""The WSGI application: routing, sessions, CSRF and the first pages.

    app = Application(db)              # a core.modules.manager.Database
    run_simple("127.0.0.1", 8069, app)

Requests are handled with the database passed in explicitly (no global
state). Pages are jinja2 templates with autoescaping; every POST from a
form must carry the session's CSRF token; the session cookie is HttpOnly
and SameSite=Lax.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from core.exceptions import AccessDenied
from core.http.sessions import Session, SessionStore

COOKIE = "troika_session"
TEMPLATES = Path(__file__).parent / "templates"
TROIKA_VERSION = "0.1.0"
#: the Odoo API level Troika speaks, for client libraries
SERVER_VERSION_INFO = [17, 0, 0, "final", 0, ""]


class Application:
    def __init__(self, db: Any):
        self.db = db
        self.sessions = SessionStore(db.engine)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
            extensions=["jinja2.ext.i18n"])
        self.templates.install_null_translations(newstyle=True)
        self.url_map = Map([
            Rule("/", endpoint="index"),
            Rule("/web", endpoint="web_home"),
            Rule("/web/login", endpoint="web_login", methods=["GET", "POST"]),
            Rule("/web/session/logout", endpoint="web_logout", methods=["POST"]),
            Rule("/web/webclient/version_info", endpoint="version_info",
                 methods=["GET", "POST"]),
        ])

    # -- WSGI ----------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        session = self.sessions.get(request.cookies.get(COOKIE)) or self.sessions.new()
        try:
            endpoint, values = self.url_map.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, session, **values)
        except HTTPException as exc:
            response = exc.get_response(environ)
        if session.is_new and session.uid is None and request.path == "/web/login":
            self.sessions.save(session)
        if not session.is_new:
            response.set_cookie(COOKIE, session.token, httponly=True, samesite="Lax",
                                secure=request.is_secure, max_age=7 * 24 * 3600)
        return response(environ, start_response)

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        html = self.templates.get_template(template).render(**values)
        return Response(html, status=status, mimetype="text/html")

    def _check_csrf(self, request: Request, session: Session) -> None:
        if session.is_new or not session.check_csrf(request.form.get("csrf_token")):
            raise Forbidden("The form has expired or did not come from this site; "
                            "reload the page and try again.")

    # -- pages -----------------------------------------------------------------
    def on_index(self, request: Request, session: Session) -> Response:
        return redirect("/web")

    def on_web_login(self, request: Request, session: Session) -> Response:
        error = None
        login = ""
        if request.method == "POST":
            self._check_csrf(request, session)
            login = request.form.get("login", "").strip()
            password = request.form.get("password", "")
            if not login or not password:
                raise BadRequest("Login and password are required.")
            try:
                with self.db.env() as env:
                    uid = env["res.users"].authenticate(login, password,
                                                        remote_addr=request.remote_addr)
            except AccessDenied as exc:
                error = str(exc) if str(exc).startswith("Too many") else "Wrong login/password"
            else:
                self.sessions.delete(session)
                fresh = self.sessions.new()
                fresh.uid = uid
                self.sessions.save(fresh)
                target = request.args.get("redirect", "/web")
                response = redirect(target if target.startswith("/") and
                                    not target.startswith("//") else "/web")
                response.set_cookie(COOKIE, fresh.token, httponly=True, samesite="Lax",
                                    secure=request.is_secure, max_age=7 * 24 * 3600)
                return response
        return self.render("login.html", status=401 if error else 200, error=error,
                           login=login, csrf_token=session.csrf_token(),
                           database=self.db.name)

    def on_web_logout(self, request: Request, session: Session) -> Response:
        self._check_csrf(request, session)
        self.sessions.delete(session)
        response = redirect("/web/login")
        response.delete_cookie(COOKIE)
        return response

    def on_web_home(self, request: Request, session: Session) -> Response:
        if session.uid is None:
            return redirect("/web/login?redirect=/web")
        with self.db.env(user=session.uid) as env:
            user = env.user.sudo()
            if not user.exists() or not user.active:
                raise NotFound()
            modules = env["ir.module.module"].sudo().search_read(
                [("state", "=", "installed")], ["name", "shortdesc", "summary",
                                                "application", "latest_version"])
            values = {"user_name": user.name, "modules": modules,
                      "database": self.db.name, "csrf_token": session.csrf_token()}
        return self.render("home.html", **values)

    def on_version_info(self, request: Request, session: Session) -> Response:
        info = {"server_version": ".".join(map(str, SERVER_VERSION_INFO[:2])),
                "server_version_info": SERVER_VERSION_INFO, "server_serie": "17.0",
                "protocol_version": 1, "troika_version": TROIKA_VERSION}
        if request.method == "POST":
            body = {"jsonrpc": "2.0", "id": _request_id(request), "result": info}
        else:
            body = info
        return Response(json.dumps(body), mimetype="application/json")


def _request_id(request: Request) -> Any:
    try:
        return json.loads(request.get_data() or b"{}").get("id")
    except ValueError:
        return None
