"""Public pages of mailings: tracking, unsubscribing, signing up to a list.

    GET  /mail/track/<trace>/<token>/blank.gif    the open pixel (always a GIF)
    GET  /r/<code>                                 a tracked link (no recipient)
    GET  /r/<code>/m/<trace>/<token>               a tracked link of one recipient's mail
    GET  /mailing/unsubscribe/<trace>/<token>      what the recipient receives, a choice
    POST /mailing/unsubscribe/<trace>/<token>      choice=lists|blacklist (or RFC 8058
                                                   List-Unsubscribe=One-Click)
    GET  /mailing/list/<list>/subscribe            the sign-up form of a public list
    POST /mailing/list/<list>/subscribe            name, email, csrf_token: a pending
                                                   subscription and a confirmation mail
    GET  /mailing/confirm/<subscription>?token=    the confirmation page
    POST /mailing/confirm/<subscription>           token, csrf_token: subscribed

No login. The tokens of the tracking and unsubscribe links are the
recipient's (``mailing.trace._tracking_token``): a forged or foreign token
records nothing and unsubscribes nobody (the visitor of a link still reaches
its target). The sign-up and confirmation forms give the visitor a session of
their own whose CSRF token the POST must bring back (as the login page does);
the unsubscribe POST carries no CSRF token, as the mail addon's: mail clients
post it without a session (one-click), and the signed link is the proof.
"""

from __future__ import annotations

import base64
from typing import Any

from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from core.http.routes import route
from core.i18n import _, login_lang

#: a transparent 1x1 GIF
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
MODULE = "crm_marketing"


def _render(app: Any, lang: str, template: str, status: int = 200, **values: Any) -> Response:
    """A page in ``lang``: the visitor's (``?lang=``, else Accept-Language), read
    before the page's transaction opens."""
    return app.render(f"crm_marketing/{template}", status=status, lang=lang, **values)


def _save_session(app: Any, session: Any) -> None:
    if session.is_new:      # a session of its own carries the CSRF secret
        app.sessions.save(session)


def _check_csrf(request: Request, session: Any) -> None:
    if session.is_new or not session.check_csrf(request.form.get("csrf_token")):
        raise Forbidden("The form has expired or did not come from this site; reload the "
                        "page and try again.")


# ---------------------------------------------------------------------------
# tracking
# ---------------------------------------------------------------------------
@route("/mail/track/<int:trace_id>/<token>/blank.gif", module=MODULE)
def track_open(app: Any, request: Request, session: Any, trace_id: int,
               token: str) -> Response:
    with app.db.env() as env:
        trace = env["mailing.trace"]._from_token(trace_id, "open", token)
        if trace:
            trace.set_opened()
    response = Response(PIXEL, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store"
    return response


@route("/r/<code>", module=MODULE)
def redirect_link(app: Any, request: Request, session: Any, code: str) -> Response:
    return _follow(app, request, code, None)


@route("/r/<code>/m/<int:trace_id>/<token>", module=MODULE, name="redirect_link_trace")
def redirect_link_trace(app: Any, request: Request, session: Any, code: str, trace_id: int,
                        token: str) -> Response:
    return _follow(app, request, code, (trace_id, token))


def _follow(app: Any, request: Request, code: str, signed: tuple | None) -> Response:
    with app.db.env() as env:
        trace = env["mailing.trace"]._from_token(signed[0], "click", signed[1]) \
            if signed else None
        link = env["link.tracker.click"].add_click(code, ip=request.remote_addr,
                                                   trace=trace or None)
        if link is None:
            raise NotFound()
        target = link.redirected_url
    return redirect(target, code=302)


# ---------------------------------------------------------------------------
# unsubscribing
# ---------------------------------------------------------------------------
@route("/mailing/unsubscribe/<int:trace_id>/<token>", methods=("GET", "POST"), module=MODULE)
def unsubscribe(app: Any, request: Request, session: Any, trace_id: int,
                token: str) -> Response:
    lang = login_lang(app.db, request)
    one_click = request.method == "POST" and \
        request.form.get("List-Unsubscribe") == "One-Click"
    with app.db.env() as env:
        trace = env["mailing.trace"]._from_token(trace_id, "unsubscribe", token)
        if not trace:
            return _render(app, lang, "unsubscribe.html", status=404, invalid=True)
        mailing = trace.mailing_id
        lists = mailing.contact_list_ids if trace.model == "mailing.contact" else \
            env["mailing.list"]
        done = None
        if request.method == "POST":
            choice = request.form.get("choice") or ("lists" if lists else "blacklist")
            if one_click:
                choice = "lists" if lists else "blacklist"
            if choice == "lists" and lists:
                trace._unsubscribe_from_lists()
                done = "lists"
            else:
                trace._unsubscribe_blacklist()
                done = "blacklist"
        if one_click:
            return Response("", status=200)
        return _render(app, lang, "unsubscribe.html", email=trace.email,
                       lists=lists.mapped("name"), done=done,
                       action=f"/mailing/unsubscribe/{trace_id}/{token}")


# ---------------------------------------------------------------------------
# signing up (double opt-in)
# ---------------------------------------------------------------------------
@route("/mailing/list/<int:list_id>/subscribe", methods=("GET", "POST"), module=MODULE)
def subscribe(app: Any, request: Request, session: Any, list_id: int) -> Response:
    lang = login_lang(app.db, request)
    if request.method == "POST":
        _check_csrf(request, session)
    with app.db.env() as env:
        mailing_list = env["mailing.list"]._public_list(list_id)
        if not mailing_list:
            raise NotFound()
        values = {"list_name": mailing_list.name, "action": f"/mailing/list/{list_id}/subscribe",
                  "csrf_token": session.csrf_token(), "name": "", "email": ""}
        if request.method == "POST":
            name = request.form.get("name", "").strip()[:200]
            email = request.form.get("email", "").strip()[:320]
            try:
                with env.transaction.atomic(savepoint=True):
                    env["mailing.subscription"]._sign_up(mailing_list, email, name)
            except ValueError:
                response = _render(app, lang, "subscribe.html", status=400, name=name,
                                   email=email,
                                   error=_(env(context={**env.context, "lang": lang}),
                                           "Please enter a valid e-mail address."),
                                   **{k: v for k, v in values.items()
                                      if k not in ("name", "email")})
            else:
                response = _render(app, lang, "subscribe.html", sent=True, email=email,
                                   **{k: v for k, v in values.items() if k != "email"})
        else:
            response = _render(app, lang, "subscribe.html", **values)
    _save_session(app, session)
    return response


@route("/mailing/confirm/<int:subscription_id>", methods=("GET", "POST"), module=MODULE)
def confirm(app: Any, request: Request, session: Any, subscription_id: int) -> Response:
    lang = login_lang(app.db, request)
    token = request.values.get("token", "")
    if request.method == "POST":
        _check_csrf(request, session)
    with app.db.env() as env:
        subscription = env["mailing.subscription"].sudo().browse(subscription_id).exists()
        if not subscription or not subscription._check_confirmation_token(token):
            return _render(app, lang, "confirm.html", status=404, invalid=True)
        done = False
        if request.method == "POST":
            done = subscription._confirm(token)
        response = _render(app, lang, "confirm.html", list_name=subscription.list_id.name,
                           email=subscription.contact_id.email, token=token,
                           done=done or not subscription.is_pending,
                           action=f"/mailing/confirm/{subscription_id}",
                           csrf_token=session.csrf_token())
    _save_session(app, session)
    return response
