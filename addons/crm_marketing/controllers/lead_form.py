"""The public lead form: ``/contactus``.

    GET  /contactus?utm_campaign=Light+%2B+Building+2026&utm_medium=Email&utm_source=May
         the form (name, e-mail, company, country, phone, message); the link's
         campaign, medium and source ride along in hidden inputs
    POST /contactus      the inputs and csrf_token: a lead, then /contactus/thank-you
    GET  /contactus/thank-you

No login. The page gives the visitor a session of their own and the form
carries that session's CSRF token, which the POST must bring back (403
otherwise). A wrong input shows the form again with the error next to the
field and what was typed (400); too many submissions from one address
within the window answer 429 with the time to wait; a filled honeypot gets
the thank-you page and creates nothing. The checks, the rate limit and the
lead are ``crm.lead.form.submission._submit`` (models/crm_lead_form_submission.py).
The page speaks the visitor's language (``?lang=``, else ``Accept-Language``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from addons.crm_marketing.models.crm_lead_form_submission import (
    FORM_FIELDS,
    HONEYPOT,
    UTM_FIELDS,
    UTM_MAX,
)
from core.http.routes import route
from core.i18n import login_lang

FORM_URL = "/contactus"
THANKS_URL = "/contactus/thank-you"


@route(FORM_URL, methods=("GET", "POST"), module="crm_marketing")
def lead_form(app: Any, request: Request, session: Any) -> Response:
    lang = login_lang(app.db, request)
    if request.method in ("GET", "HEAD"):
        values = dict.fromkeys(FORM_FIELDS, "")
        values.update({name: (request.args.get(name) or "").strip()[:UTM_MAX]
                       for name in UTM_FIELDS})
        response = _render_form(app, session, lang, values)
        if session.is_new:      # a session of its own carries the CSRF secret; saved
            app.sessions.save(session)      # once the page's transaction is over
        return response
    if session.is_new or not session.check_csrf(request.form.get("csrf_token")):
        raise Forbidden("The form has expired or did not come from this site; reload the "
                        "page and try again.")
    data = {name: request.form.get(name, "") for name in (*FORM_FIELDS, *UTM_FIELDS,
                                                          HONEYPOT)}
    with app.db.env() as env:
        result = env["crm.lead.form.submission"]._submit(data, request.remote_addr, lang)
    if result.outcome in ("lead", "spam"):
        return redirect(f"{THANKS_URL}?{urlencode({'lang': lang})}", code=303)
    if result.outcome == "limited":
        minutes = max(1, (result.retry_after + 59) // 60)
        return _render_form(app, session, lang, result.values, status=429,
                            retry_minutes=minutes,
                            headers={"Retry-After": str(result.retry_after)})
    return _render_form(app, session, lang, result.values, errors=result.errors,
                        status=400)


@route(THANKS_URL, methods=("GET",), module="crm_marketing", name="lead_form_thanks")
def lead_form_thanks(app: Any, request: Request, session: Any) -> Response:
    lang = login_lang(app.db, request)
    with app.db.env() as env:
        company = env.company.sudo().name
    return app.render("crm_marketing/lead_form_thanks.html", lang=lang, company=company,
                      form_url=f"{FORM_URL}?{urlencode({'lang': lang})}")


def _render_form(app: Any, session: Any, lang: str, values: dict[str, str],
                 errors: dict[str, str] | None = None, status: int = 200,
                 retry_minutes: int = 0, headers: dict[str, str] | None = None) -> Response:
    with app.db.env() as env:
        lenv = env(context={"lang": lang})
        countries = [(country.id, country.name) for country in
                     lenv["res.country"].sudo().search([])]
        countries.sort(key=lambda item: item[1].casefold())
        company = lenv.company.sudo().name
    response = app.render("crm_marketing/lead_form.html", status=status, lang=lang,
                          values=values, errors=errors or {}, retry_minutes=retry_minutes,
                          countries=countries, company=company, utm_fields=list(UTM_FIELDS),
                          honeypot=HONEYPOT, csrf_token=session.csrf_token(),
                          action=f"{FORM_URL}?{urlencode({'lang': lang})}",
                          sizes={name: size for name, (size, _req) in FORM_FIELDS.items()})
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
