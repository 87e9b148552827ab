"""The customer's page of a quotation: ``/sale/portal/<token>``.

    GET  /sale/portal/<token>          the quotation, in the customer's language
    GET  /sale/portal/<token>/pdf      its PDF
    POST /sale/portal/<token>/accept   name=..., form_token=...: accept it (once)

No login: the signed, expiring token in the URL is the customer's
authentication (models/sale_order_portal.py). The accept form carries a
form token, an HMAC of the link's token with the database secret, so that
a POST must come from the page (the application's CSRF token belongs to
sessions, which customers do not have). An invalid link answers 404, an
expired one 410, a second acceptance 409.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from urllib.parse import quote

import jinja2
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response

from core.http.routes import route
from core.i18n import _, _lt, format_amount, format_date

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent / "templates")),
    autoescape=True)
STATUS = {"invalid": 404, "expired": 410, "closed": 409}
#: texts of the page's template (translated there with t()), listed for extraction
PAGE_TEXTS = (_lt("Download the PDF"), _lt("Accepted by"), _lt("Your name"),
              _lt("Accept and confirm"), _lt("Customer"), _lt("Valid until"),
              _lt("Incoterm"), _lt("Port of loading"), _lt("Port of destination"),
              _lt("Payment terms"), _lt("Currency"), _lt("Description"), _lt("Quantity"),
              _lt("Unit Price"), _lt("Disc.%"), _lt("Amount"), _lt("Untaxed Amount"),
              _lt("Taxes"), _lt("Total"), _lt("Date"))


def _form_token(order, token: str) -> str:
    return hmac.new(order._portal_secret(), f"accept:{token}".encode(),
                    hashlib.sha256).hexdigest()


def _page(app, token: str, message: str | None = None, error: str | None = None,
          status: int = 200) -> Response:
    from addons.sale.models.sale_order_portal import PortalLinkError

    with app.db.env() as env:
        try:
            order = env["sale.order"]._portal_order_from_token(token)
        except PortalLinkError as exc:
            return _error_page(str(exc), STATUS.get(exc.reason, 404))
        lang = order.partner_id.lang or "en_US"
        order = order.with_context(lang=lang)
        html = TEMPLATES.get_template("portal.html").render(
            order=order, lines=order._get_order_lines_to_report(), lang=lang,
            title=order._document_title(), token=token, message=message, error=error,
            form_token=_form_token(order, token), can_accept=order._portal_can_accept(),
            money=lambda amount: format_amount(amount, order.currency_id, lang),
            date=lambda value: format_date(value, lang), t=lambda text: _(order.env, text))
    return Response(html, status=status, mimetype="text/html")


def _error_page(message: str, status: int) -> Response:
    html = TEMPLATES.get_template("portal_error.html").render(message=message)
    return Response(html, status=status, mimetype="text/html")


@route("/sale/portal/<token>", methods=("GET",), module="sale")
def portal_view(app, request, session, token: str) -> Response:
    return _page(app, token)


@route("/sale/portal/<token>/pdf", methods=("GET",), module="sale")
def portal_pdf(app, request, session, token: str) -> Response:
    from addons.sale.models.sale_order_portal import PortalLinkError

    with app.db.env() as env:
        try:
            order = env["sale.order"]._portal_order_from_token(token)
        except PortalLinkError as exc:
            return _error_page(str(exc), STATUS.get(exc.reason, 404))
        name, content = order._get_pdf_filename(), order._render_pdf()
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


@route("/sale/portal/<token>/accept", methods=("POST",), module="sale")
def portal_accept(app, request, session, token: str) -> Response:
    from addons.sale.models.sale_order_portal import PortalLinkError

    name = request.form.get("name", "").strip()
    with app.db.env() as env:
        try:
            order = env["sale.order"]._portal_order_from_token(token)
        except PortalLinkError as exc:
            return _error_page(str(exc), STATUS.get(exc.reason, 404))
        if not hmac.compare_digest(_form_token(order, token),
                                   request.form.get("form_token", "")):
            raise Forbidden("The form did not come from this page; reload it.")
        order = order.with_context(lang=order.partner_id.lang or "en_US")
        if not name:
            outcome = (None, _(order.env, "Please type your name to accept the quotation."),
                       400)
        else:
            try:
                with env.transaction.atomic(savepoint=True):
                    confirmed = order._portal_accept(name)
            except PortalLinkError as exc:
                outcome = (None, str(exc), 409)
            else:
                outcome = (_(order.env, "Thank you: your order is confirmed.") if confirmed
                           else _(order.env, "Thank you: we received your acceptance and "
                                  "will confirm the order shortly."), None, 200)
    # rendered in a transaction of its own, once the acceptance is committed
    return _page(app, token, message=outcome[0], error=outcome[1], status=outcome[2])
