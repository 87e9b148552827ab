"""The quotation's documents on SQLite and PostgreSQL: the PDF (amounts, Chinese
text), the e-mail with the PDF, the customer link (accepts once, expires), and
the issue's scenario from quotation to confirmed order."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from werkzeug.test import Client

from addons.sale.models.sale_order_portal import PortalLinkError
from addons.sale.report import find_font
from core.exceptions import UserError
from core.fields import Command

pytestmark = pytest.mark.skipif(find_font() is None or "/dejavu/" in (find_font() or ""),
                                reason="no CJK font installed (fonts-wqy-microhei)")


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_in_english_with_amounts_and_export_terms(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600), (trade.tube, 480)],
                        incoterm=trade.env.ref("account_base.incoterm_FOB").id,
                        incoterm_location="Keelung", port_of_loading="Keelung, Taiwan",
                        port_of_destination="Hamburg, Germany")
    bank = trade.env["res.bank"].create({"name": "Bank of Taiwan", "bic": "BKTWTWTP"})
    trade.env["res.partner.bank"].create({"partner_id": trade.company.partner_id.id,
                                          "bank_id": bank.id, "acc_number": "045-001-123456",
                                          "currency_id": trade.usd.id})
    content = order._render_pdf()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert f"Quotation {order.name}" in text
    assert "Müller Lichttechnik GmbH" in text
    assert "FOB Keelung" in text and "Hamburg, Germany" in text
    assert "30% Deposit, 70% against B/L Copy" in text
    assert "$25,200.00" in text and "$1,800.00" in text           # 600 x 42, 480 x 3.75
    assert "$27,000.00" in text                                    # the total
    assert "BKTWTWTP" in text and "045-001-123456" in text
    assert "Keelung Lighting Co., Ltd." in text


def test_pdf_in_traditional_chinese(trade):
    order = trade.order(trade.taipei, [(trade.tube, 3)])
    order.order_line.name = "LED 燈管 T8 1200 mm"
    text = pdf_text(order._render_pdf())
    assert f"報價單 {order.name}" in text
    assert "台北燈飾股份有限公司" in text and "LED 燈管 T8 1200 mm" in text
    assert "未稅金額" in text and "總計" in text
    assert "$378.00" in text                                       # 360 + 5 % VAT, TWD
    order.action_confirm()
    assert f"形式發票 {order.name}" in pdf_text(order._render_pdf())


def test_pdf_needs_the_right_to_read_the_order(trade):
    order = trade.order(trade.mueller, [(trade.tube, 1)], user=trade.leader)
    with pytest.raises(Exception, match="not allowed|access"):
        order.with_user(trade.salesman)._render_pdf()
    attachment = order.with_user(trade.leader)._get_pdf_attachment()
    assert attachment.mimetype == "application/pdf" and attachment.res_id == order.id
    assert attachment.raw.startswith(b"%PDF")


def test_send_by_mail_queues_the_pdf(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)], user=trade.salesman)
    order.with_user(trade.salesman).action_quotation_send()
    assert order.state == "sent"
    mail = trade.env["mail.mail"].search([("model", "=", "sale.order"),
                                          ("res_id", "=", order.id)])
    assert mail.state == "outgoing" and mail.recipient_ids == trade.mueller
    assert mail.subject == f"Keelung Lighting Co., Ltd. {order.name}"
    assert order.portal_url in mail.body_html
    (attachment,) = mail.attachment_ids
    assert attachment.name == f"Quotation - {order.name}.pdf"
    assert "$25,200.00" in pdf_text(attachment.raw)
    chatter = trade.env["mail.message"].search([("model", "=", "sale.order"),
                                                ("res_id", "=", order.id),
                                                ("message_type", "=", "email_outgoing")])
    assert chatter.attachment_ids == mail.attachment_ids
    trade.mueller.email = False
    with pytest.raises(UserError, match="no e-mail"):
        order.action_quotation_send()


def test_customer_link_expires_and_accepts_once(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)])
    order.validity_date = dt.date(2030, 1, 31)
    Order = trade.env["sale.order"]  # noqa: N806
    token = order._portal_token(today=dt.date(2030, 1, 1))
    assert Order._portal_order_from_token(token, today=dt.date(2030, 1, 31)) == order
    with pytest.raises(PortalLinkError, match="expired"):
        Order._portal_order_from_token(token, today=dt.date(2030, 2, 1))
    order_id, expiry, signature = token.split(".")
    other = "1" if signature.endswith("0") else "0"
    for forged in (f"{order_id}.{int(expiry) + 30}.{signature}",
                   f"{order_id}.{expiry}.{signature[:-1]}{other}", "1.2", "x.y.z", ""):
        with pytest.raises(PortalLinkError, match="not valid"):
            Order._portal_order_from_token(forged, today=dt.date(2030, 1, 1))
    current = order._portal_token()
    assert order._portal_accept("Hans Müller") is True
    assert order.state == "sale" and order.signed_by == "Hans Müller"
    with pytest.raises(PortalLinkError, match="cannot be accepted"):
        order._portal_accept("Someone Else")
    order._portal_revoke()
    with pytest.raises(PortalLinkError):
        Order._portal_order_from_token(current)


def test_customer_link_with_a_big_discount_waits_for_the_manager(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600, {"discount": 20})],
                        user=trade.salesman)
    assert order._portal_accept("Hans Müller") is False
    assert order.state == "draft" and order.signed_on
    activity = trade.env["mail.activity"].search([("res_model", "=", "sale.order"),
                                                  ("res_id", "=", order.id)])
    assert activity.user_id == trade.leader


@pytest.fixture
def served(installed_db):
    """A committed sale database and a werkzeug client of the application."""
    from core.http.app import Application

    db = installed_db(("sale",))
    return db, Client(Application(db))


def test_portal_pages(served):
    db, client = served
    with db.env() as env:
        customer = env["res.partner"].create({"name": "台北燈飾", "lang": "zh_TW"})
        product = env["product.product"].create({"name": "Panel", "list_price": 100.0})
        order = env["sale.order"].create({"partner_id": customer.id, "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": 2})]})
        url, order_id = order.portal_url, order.id
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "台北燈飾" in html and "報價單" in html and "接受並確認" in html
    form_token = re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)
    pdf = client.get(url + "/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "台北燈飾" in pdf_text(pdf.get_data())
    assert client.post(url + "/accept", data={"name": "王小明",
                                              "form_token": "0" * 64}).status_code == 403
    assert client.post(url + "/accept", data={"name": "",
                                              "form_token": form_token}).status_code == 400
    accepted = client.post(url + "/accept", data={"name": "王小明", "form_token": form_token})
    assert accepted.status_code == 200
    assert "王小明" in accepted.get_data(as_text=True)
    again = client.post(url + "/accept", data={"name": "王小明", "form_token": form_token})
    assert again.status_code == 409
    with db.env() as env:
        order = env["sale.order"].browse(order_id)
        assert order.state == "sale" and order.signed_by == "王小明"
    order_part, _expiry, signature = url.rsplit("/", 1)[1].split(".")
    assert client.get(f"/sale/portal/{order_part}.100.{signature}").status_code == 410 \
        or client.get(f"/sale/portal/{order_part}.100.{signature}").status_code == 404
    assert client.get("/sale/portal/garbage").status_code == 404


def test_done_when_scenario(trade):
    """A salesperson builds a multi-currency FOB quotation with tiered USD prices for
    a German customer, sends it as a PDF by mail, revises it, and confirms it."""
    salesman = trade.salesman
    Order = trade.env["sale.order"].with_user(salesman)  # noqa: N806
    quotation = Order.create({
        "partner_id": trade.mueller.id, "company_id": trade.company.id,
        "incoterm": trade.env.ref("account_base.incoterm_FOB").id,
        "incoterm_location": "Keelung", "port_of_loading": "Keelung, Taiwan",
        "port_of_destination": "Hamburg, Germany",
        "order_line": [Command.create({"display_type": "line_section", "name": "Panels"}),
                       Command.create({"product_id": trade.panel36.id,
                                       "product_uom_qty": 600}),
                       Command.create({"product_id": trade.panel48.id,
                                       "product_uom_qty": 300})]})
    # USD prices from the tiers, for a company keeping its books in TWD
    assert quotation.currency_id == trade.usd and trade.company.currency_id == trade.twd
    panel36, panel48 = quotation.order_line.filtered("product_id")
    assert (panel36.price_unit, panel48.price_unit) == (42.0, 45.0)
    assert quotation.amount_total == 600 * 42 + 300 * 45
    quotation.action_quotation_send()
    mail = trade.env["mail.mail"].search([("res_id", "=", quotation.id),
                                          ("model", "=", "sale.order")])
    assert mail.attachment_ids.name.endswith(".pdf") and quotation.state == "sent"
    assert "FOB Keelung" in pdf_text(mail.attachment_ids.raw)
    quotation.action_negotiate()
    # the customer wants 1,000 of the 36 W: a revision, at the next tier
    revision = Order.browse(quotation.action_revise()["res_id"])
    revision.order_line.filtered(lambda line: line.product_id == trade.panel36) \
        .write({"product_uom_qty": 1000})
    assert revision.name == f"{quotation.name}-01"
    assert revision.order_line.filtered("product_id").mapped("price_unit") == [39.5, 45.0]
    revision.action_quotation_send()
    assert trade.env["mail.mail"].search_count([("res_id", "=", revision.id),
                                                ("model", "=", "sale.order")]) == 1
    revision.action_confirm()
    assert revision.state == "sale" and revision.locked
    assert revision.amount_total == 1000 * 39.5 + 300 * 45
    # the revision is dated today: the latest rate applies (USD 1 = TWD 31.25)
    assert revision.currency_rate == pytest.approx(0.032)
    assert revision.amount_total_company == pytest.approx(revision.amount_total * 31.25)
    assert quotation.with_context(active_test=False).current_revision_id == revision
    assert quotation.state == "cancel" and not quotation.active
