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
import logging
import xmlrpc.client
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from core import i18n
from core.exceptions import AccessDenied, UserError
from core.http import hardening, routes, rpc
from core.http.apps import AppsPage
from core.http.rpc import Services, version_info
from core.http.sessions import Session, SessionStore
from core.http.web import WebClient

COOKIE = "troika_session"
JSON_MIMETYPES = ("application/json", "application/json-rpc")
TEMPLATES = Path(__file__).parent / "templates"
_logger = logging.getLogger("troika.http")


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
            Rule("/xmlrpc/2/<service>", endpoint="xmlrpc", methods=["POST"]),
            Rule("/xmlrpc/<service>", endpoint="xmlrpc_legacy", methods=["POST"]),
            Rule("/jsonrpc", endpoint="jsonrpc", methods=["POST"]),
            Rule("/web/session/authenticate", endpoint="session_authenticate",
                 methods=["POST"]),
            Rule("/web/session/get_session_info", endpoint="session_info", methods=["POST"]),
            Rule("/web/session/destroy", endpoint="session_destroy", methods=["POST"]),
            Rule("/web/dataset/call_kw", endpoint="call_kw", methods=["POST"]),
            Rule("/web/dataset/call_kw/<path:_path>", endpoint="call_kw", methods=["POST"]),
            Rule("/web/database/list", endpoint="database_list", methods=["POST"]),
        ])
        self.services = Services(db)
        self.web = WebClient(self)      # the web client's pages (core/http/web), /web included
        self.apps = AppsPage(self)      # /web/apps: modules for administrators
        routes.mount(self)              # routes of the installed addons (core/http/routes.py)

    # -- WSGI ----------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = LimitedRequest(environ)
        try:
            response = self._respond(request)
        except Exception:  # noqa: BLE001 - logged with a reference; no trace is sent
            response = hardening.server_error(self, request)
        hardening.secure_headers(request, response)
        return response(environ, start_response)

    def _respond(self, request: Request) -> Response:
        environ = request.environ
        check_signals = getattr(self.db, "check_signals", None)
        if check_signals is not None:     # another worker changed modules or rights
            check_signals()
        routes.mount(self)              # an addon installed meanwhile may add routes
        session = self.sessions.get(request.cookies.get(COOKIE)) or self.sessions.new()
        try:
            endpoint, values = self.url_map.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, session, **values)
        except HTTPException as exc:
            response = hardening.error_page(self, request, exc)
        if session.deleted:         # logged out, or replaced at login: keep its cookie out
            pass
        elif session.is_new and session.uid is None and request.path == "/web/login":
            self.sessions.save(session)
        if not session.is_new and not session.deleted:
            response.set_cookie(COOKIE, session.token, httponly=True, samesite="Lax",
                                secure=request.is_secure, max_age=7 * 24 * 3600)
        return response

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        # gettext in the page's language: the values' ``lang`` (zh_TW or zh-TW)
        templates = i18n.jinja_environment(self.templates, values.get("lang"), self.db.registry)
        html = templates.get_template(template).render(**values)
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
                           database=self.db.name, lang=i18n.login_lang(self.db, request))

    def on_web_logout(self, request: Request, session: Session) -> Response:
        self._check_csrf(request, session)
        self.sessions.delete(session)
        response = redirect("/web/login")
        response.delete_cookie(COOKIE)
        return response

    def on_version_info(self, request: Request, session: Session) -> Response:
        if request.method == "POST":
            return self._json(request, lambda params: version_info())
        return Response(json.dumps(version_info()), mimetype="application/json")

    # -- XML-RPC ---------------------------------------------------------------
    def on_xmlrpc(self, request: Request, session: Session, service: str) -> Response:
        return self._xmlrpc(request, service, legacy=False)

    def on_xmlrpc_legacy(self, request: Request, session: Session, service: str) -> Response:
        return self._xmlrpc(request, service, legacy=True)

    def _xmlrpc(self, request: Request, service: str, legacy: bool) -> Response:
        body = request.get_data(cache=False)
        try:
            params, method = rpc.xmlrpc_loads(body)
            result = self.services.dispatch(service, method, list(params),
                                             request.remote_addr)
            payload = rpc.xmlrpc_response(result)
        except Exception as exc:  # noqa: BLE001 - every error becomes a fault
            _log_error(exc)
            code = rpc.legacy_fault_code(exc) if legacy else rpc.fault_code(exc)
            payload = xmlrpc.client.dumps(xmlrpc.client.Fault(code, rpc.error_message(exc)),
                                          allow_none=True)
        return Response(payload, mimetype="text/xml")

    # -- JSON-RPC --------------------------------------------------------------
    def _json(self, request: Request, handler: Callable[[dict], Any],
              response: Response | None = None) -> Response:
        """A JSON-RPC 2.0 exchange; ``handler(params)`` returns a wire value."""
        if request.mimetype not in JSON_MIMETYPES:
            # as Odoo: JSON routes take JSON only, which a cross-site form cannot send
            raise BadRequest("JSON-RPC requests must have the Content-Type application/json")
        data = request.get_data(cache=False)    # 413 past the size limit
        request_id = None
        try:
            try:
                body = json.loads(data or b"{}")
            except ValueError:
                raise UserError("Malformed JSON-RPC request") from None
            if not isinstance(body, dict):
                raise UserError("Malformed JSON-RPC request")
            request_id = body.get("id")
            params = body.get("params") or {}
            if not isinstance(params, dict):
                raise UserError("JSON-RPC params must be an object")
            result = {"jsonrpc": "2.0", "id": request_id, "result": handler(params)}
        except SessionExpired:
            result = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 100, "message": "Odoo Session Expired",
                "data": {"name": "odoo.http.SessionExpiredException",
                         "message": "Session expired", "arguments": ["Session expired"],
                         "debug": "", "context": {}}}}
        except Exception as exc:  # noqa: BLE001 - every error becomes an error object
            _log_error(exc)
            message = rpc.error_message(exc)
            result = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 200, "message": "Odoo Server Error",
                "data": {"name": rpc.error_name(exc), "message": message,
                         "arguments": [message], "debug": "", "context": {}}}}
        response = response or Response(mimetype="application/json")
        response.set_data(json.dumps(result))
        return response

    def on_jsonrpc(self, request: Request, session: Session) -> Response:
        def handle(params: dict) -> Any:
            args = params.get("args") or []
            if not isinstance(args, list):
                raise UserError("JSON-RPC args must be a list")
            return self.services.dispatch(params.get("service"), params.get("method"), args,
                                          request.remote_addr)

        return self._json(request, handle)

    def on_session_authenticate(self, request: Request, session: Session) -> Response:
        response = Response(mimetype="application/json")

        def handle(params: dict) -> Any:
            self.services.check_database(params.get("db"))
            # a password only: API keys are for RPC, not for web sessions (as in Odoo)
            uid = self.services.authenticate(params.get("login"), params.get("password"),
                                             request.remote_addr, api_key=False)
            self.sessions.delete(session)
            fresh = self.sessions.new()
            fresh.uid = uid
            self.sessions.save(fresh)
            response.set_cookie(COOKIE, fresh.token, httponly=True, samesite="Lax",
                                secure=request.is_secure, max_age=7 * 24 * 3600)
            return self._session_info(uid)

        return self._json(request, handle, response)

    def on_session_info(self, request: Request, session: Session) -> Response:
        def handle(params: dict) -> Any:
            if session.uid is None:
                raise SessionExpired()
            return self._session_info(session.uid)

        return self._json(request, handle)

    def on_session_destroy(self, request: Request, session: Session) -> Response:
        response = Response(mimetype="application/json")

        def handle(params: dict) -> Any:
            if not session.is_new:
                self.sessions.delete(session)
                response.delete_cookie(COOKIE)
            return None

        return self._json(request, handle, response)

    def on_call_kw(self, request: Request, session: Session, _path: str = "") -> Response:
        def handle(params: dict) -> Any:
            if session.uid is None:
                raise SessionExpired()
            return self.services.execute_kw(session.uid, params.get("model"),
                                            params.get("method"), params.get("args") or [],
                                            params.get("kwargs") or {})

        return self._json(request, handle)

    def on_database_list(self, request: Request, session: Session) -> Response:
        return self._json(request, lambda params: [self.db.name])

    def _session_info(self, uid: int) -> dict:
        with self.db.env(user=uid) as env:
            user = env["res.users"].sudo().browse(uid)
            context = user.context_get()
            return rpc.to_wire({
                "uid": uid, "db": self.db.name, "username": user.login, "name": user.name,
                "partner_id": user.partner_id.id, "company_id": user.company_id.id,
                "is_system": user._is_system(), "is_admin": user.has_group(
                    "base.group_erp_manager"),
                "user_context": context, "server_version": rpc.SERVER_SERIE,
                "server_version_info": rpc.SERVER_VERSION_INFO,
                "user_companies": {"current_company": user.company_id.id,
                                   "allowed_companies": {
                                       str(c.id): {"id": c.id, "name": c.name}
                                       for c in user.company_ids}},
            })


class SessionExpired(Exception):
    """A web endpoint called without a logged-in session."""


class LimitedRequest(Request):
    #: request bodies larger than this are refused (413)
    max_content_length = 32 * 1024 * 1024
    max_form_memory_size = 4 * 1024 * 1024


def _log_error(exc: BaseException) -> None:
    if isinstance(exc, (AccessDenied, UserError, ValueError, TypeError)):
        _logger.info("RPC error: %s", exc)
    else:
        _logger.exception("RPC call failed")
