"""Hardened responses: security headers on every response, error pages
without traces, and the reverse proxy's headers trusted only when asked.

    secure_headers(request, response)          # Application.__call__, last step
    error_page(app, request, NotFound())       # 404/403/... as a page (or plain for RPC)
    server_error(app, request)                 # 500: logged with a reference, shown without
    behind_proxy(app)                          # ProxyFix: X-Forwarded-For/Proto/Host

The Content-Security-Policy lets pages load scripts, styles, images,
fonts and ``fetch`` only from their own origin: no inline script runs
(data for a script goes in ``<script type="application/json">``, which is
not executed, and is read with ``JSON.parse``); inline ``style``
attributes are allowed. Pages can be framed by the same origin only.
``Strict-Transport-Security`` is sent on HTTPS requests only, which behind
a proxy means ``--proxy-mode`` and the proxy's ``X-Forwarded-Proto``.

JSON-RPC, XML-RPC and the web client's JSON endpoints keep their own
error formats: their errors are never turned into HTML pages.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Request, Response

_logger = logging.getLogger("troika.http")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
#: one year, as browsers' preload lists expect
HSTS = "max-age=31536000; includeSubDomains"

#: paths whose callers read JSON or XML, never an HTML page
API_PREFIXES = ("/xmlrpc", "/jsonrpc", "/web/dataset/", "/web/webclient/", "/web/database/",
                "/web/session/authenticate", "/web/session/get_session_info",
                "/web/session/destroy")
API_MIMETYPES = frozenset({"application/json", "application/json-rpc", "text/xml",
                           "application/xml"})

TITLES = {
    400: "Bad request", 401: "Log in required", 403: "Access denied", 404: "Page not found",
    405: "Method not allowed", 413: "Request too large", 500: "Something went wrong",
}


def secure_headers(request: Request, response: Response) -> Response:
    """Add the security headers a handler did not set itself."""
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def wants_page(request: Request) -> bool:
    """Whether an error should be shown as an HTML page (not to RPC clients)."""
    if request.path.startswith(API_PREFIXES) or request.mimetype in API_MIMETYPES:
        return False
    return "application/json" not in request.headers.get("Accept", "")


def error_page(app: Any, request: Request, exc: HTTPException) -> Response:
    """The response of an HTTP error: a page of error.html for people; the
    plain werkzeug response (no page, no trace) for RPC clients."""
    if not wants_page(request) or exc.code is None or exc.code < 400 \
            or exc.response is not None:
        return exc.get_response(request.environ)
    try:
        response = app.render("error.html", status=exc.code, code=exc.code,
                              title=TITLES.get(exc.code, exc.name), lang=_lang(app, request),
                              message=exc.description, reference=None)
    except Exception:  # noqa: BLE001 - a broken template must not hide the error
        _logger.exception("Rendering the error page failed")
        return exc.get_response(request.environ)
    for name, value in exc.get_headers(request.environ):
        if name.lower() != "content-type":      # e.g. Allow on 405
            response.headers[name] = value
    return response


def server_error(app: Any, request: Request) -> Response:
    """A 500 for an unexpected exception (call it from an ``except`` block): the
    trace goes to the log with a reference the page shows; nothing else does."""
    reference = secrets.token_hex(4).upper()
    _logger.exception("Request %s %s failed [reference %s]", request.method, request.path,
                      reference)
    if wants_page(request):
        try:
            return app.render("error.html", status=500, code=500, title=TITLES[500],
                              message=None, reference=reference, lang=_lang(app, request))
        except Exception:  # noqa: BLE001
            _logger.exception("Rendering the error page failed [reference %s]", reference)
    response = InternalServerError().get_response(request.environ)
    response.headers["X-Troika-Error-Reference"] = reference
    return response


def _lang(app: Any, request: Request) -> str | None:
    """The page's language: ``?lang=``, else the browser's, among the active ones."""
    try:
        from core.i18n import login_lang

        return login_lang(app.db, request)
    except Exception:  # noqa: BLE001 - an error page in English rather than none
        return None


def behind_proxy(app: Any, hops: int = 1) -> Any:
    """``app`` trusting ``hops`` reverse proxies' X-Forwarded-For, -Proto, -Host
    and -Port: the client's address (login throttling), HTTPS (secure cookies,
    HSTS) and the public host name."""
    return ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
