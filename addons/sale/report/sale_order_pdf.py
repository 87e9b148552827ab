"""The quotation / proforma invoice PDF, in the customer's language and the order's currency.

    pdf = render_order_pdf(order)          # bytes of an A4 PDF
    order._get_pdf_attachment()            # the same, kept as an ir.attachment of the order

Drawn with fpdf2 (pure Python, from PyPI) in a Unicode TrueType font, so
that Chinese, German and Japanese names print as written: the first font
found among ``TROIKA_PDF_FONT`` (a .ttf/.ttc path) and the CJK fonts that
Debian's packages install (``fonts-wqy-microhei``, ``fonts-noto-cjk``,
``fonts-arphic-uming``), else DejaVu Sans (Latin, Greek, Cyrillic only).
The page carries the company's letterhead, the customer's addresses, the
export terms (Incoterm and named place, ports, payment terms), the lines
with sections and notes, the totals per tax, and the company's bank
accounts. Labels are translated with the customer's language
(``core.i18n``); amounts and dates are formatted for it.
"""

from __future__ import annotations

import os
import re
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

from core.i18n import _, format_amount, format_date, format_number

#: fonts tried in order; the first existing one is used (a .ttc: its first face)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
FONT = "troika"
MARGIN = 15.0
#: column widths (mm) of the lines table: description, qty, unit, price, disc., taxes, amount
COLUMNS = (64.0, 18.0, 14.0, 24.0, 12.0, 22.0, 26.0)


@cache
def find_font() -> str | None:
    """The font file the PDF uses, or None when no Unicode font is installed."""
    configured = os.environ.get("TROIKA_PDF_FONT")
    for candidate in ((configured,) if configured else ()) + FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def html_to_text(html: str | bool) -> str:
    """Plain text of a sanitised HTML field (paragraphs and breaks as new lines)."""
    if not html:
        return ""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", html)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in unescape(text).splitlines()).strip()


class _Document:
    """One order's PDF; ``env`` is in the customer's language."""

    def __init__(self, order: Any):
        from fpdf import FPDF

        self.order = order
        self.env = order.env
        self.lang = self.env.lang or "en_US"
        self.currency = order.currency_id
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.alias_nb_pages()
        self._set_up_font()
        footer_text = html_to_text(order.company_id.report_footer or "")
        page_label = _(self.env, "Page")
        pdf = self.pdf

        def footer() -> None:
            pdf.set_y(-13)
            self.font(7)
            pdf.cell(0, 4, footer_text[:150], align="L")
            pdf.set_y(-13)
            pdf.cell(0, 4, f"{page_label} {pdf.page_no()}/{{nb}}", align="R")

        self.pdf.footer = footer

    def _set_up_font(self) -> None:
        path = find_font()
        self.unicode = path is not None
        if path:
            for style in ("", "B"):
                self.pdf.add_font(FONT, style=style, fname=path)
        self.family = FONT if self.unicode else "helvetica"

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def text(self, value: Any) -> str:
        text = "" if value in (None, False) else str(value)
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def money(self, amount: float) -> str:
        return format_amount(amount, self.currency, self.lang)

    # -- parts of the page ---------------------------------------------------
    def letterhead(self) -> None:
        company = self.order.company_id
        partner = company.partner_id
        pdf = self.pdf
        self.font(16, bold=True)
        pdf.cell(0, 8, self.text(company.name), new_x="LMARGIN", new_y="NEXT")
        self.font(8)
        lines = [", ".join(p for p in (partner.street, partner.street2) if p),
                 " ".join(p for p in (partner.zip, partner.city) if p),
                 partner.country_id.name or "",
                 "  ".join(p for p in (partner.phone and f"Tel {partner.phone}",
                                       partner.email, partner.website) if p),
                 partner.vat and f"{_(self.env, 'Tax ID')}: {partner.vat}"]
        if company.report_header:
            lines.insert(0, html_to_text(company.report_header))
        for line in filter(None, lines):
            pdf.cell(0, 4, self.text(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.line(MARGIN, pdf.get_y(), 210 - MARGIN, pdf.get_y())
        pdf.ln(4)

    def title(self) -> None:
        order, pdf = self.order, self.pdf
        self.font(15, bold=True)
        pdf.cell(0, 8, self.text(f"{order._document_title()} {order.name}"),
                 new_x="LMARGIN", new_y="NEXT")
        self.font(9)
        facts = [(_(self.env, "Date"), format_date(order.date_order.date(), self.lang)
                  if order.date_order else "")]
        if order.validity_date and order.state != "sale":
            facts.append((_(self.env, "Valid until"), format_date(order.validity_date,
                                                                 self.lang)))
        if order.client_order_ref:
            facts.append((_(self.env, "Your reference"), order.client_order_ref))
        if order.revision_number:
            facts.append((_(self.env, "Revision"), str(order.revision_number)))
        facts.append((_(self.env, "Salesperson"), order.user_id.name or ""))
        for label, value in facts:
            pdf.cell(35, 5, self.text(label))
            pdf.cell(0, 5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def addresses(self) -> None:
        order, pdf = self.order, self.pdf
        top = pdf.get_y()
        blocks = [(_(self.env, "Customer"), order.partner_invoice_id or order.partner_id)]
        if order.partner_shipping_id and order.partner_shipping_id != blocks[0][1]:
            blocks.append((_(self.env, "Ship to"), order.partner_shipping_id))
        bottom = top
        for index, (label, partner) in enumerate(blocks):
            pdf.set_xy(MARGIN + index * 90, top)
            self.font(9, bold=True)
            pdf.cell(85, 5, self.text(label), new_x="LEFT", new_y="NEXT")
            self.font(9)
            for line in _address_lines(partner):
                pdf.cell(85, 4.5, self.text(line), new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(MARGIN, bottom + 3)

    def terms(self) -> None:
        order, pdf = self.order, self.pdf
        rows = []
        if order.incoterm:
            place = f" {order.incoterm_location}" if order.incoterm_location else ""
            rows.append((_(self.env, "Incoterm"),
                         f"{order.incoterm.code}{place} (Incoterms® 2020) - "
                         f"{order.incoterm.name}"))
        if order.port_of_loading:
            rows.append((_(self.env, "Port of loading"), order.port_of_loading))
        if order.port_of_destination:
            rows.append((_(self.env, "Port of destination"), order.port_of_destination))
        if order.payment_term_id:
            rows.append((_(self.env, "Payment terms"), order.payment_term_id.name))
        rows.append((_(self.env, "Currency"), f"{self.currency.name} "
                     f"({self.currency.full_name or self.currency.name})"))
        self.font(9)
        for label, value in rows:
            pdf.cell(35, 5, self.text(label))
            pdf.multi_cell(0, 5, self.text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def lines(self) -> None:
        pdf = self.pdf
        headers = (_(self.env, "Description"), _(self.env, "Quantity"), _(self.env, "Unit"),
                   _(self.env, "Unit Price"), _(self.env, "Disc.%"), _(self.env, "Taxes"),
                   _(self.env, "Amount"))
        self.font(8, bold=True)
        pdf.set_fill_color(235, 235, 235)
        for width, header in zip(COLUMNS, headers, strict=True):
            pdf.cell(width, 6, self.text(header), border="B", fill=True,
                     align="L" if header == headers[0] else "R")
        pdf.ln()
        for line in self.order._get_order_lines_to_report():
            self._line(line)
        pdf.ln(2)

    def _line(self, line: Any) -> None:
        pdf = self.pdf
        if line.display_type:
            self.font(9, bold=line.display_type == "line_section")
            pdf.multi_cell(sum(COLUMNS), 5, self.text(line.name), align="L",
                           new_x="LMARGIN", new_y="NEXT")
            return
        self.font(8)
        digits = max(0, _decimals(line.product_uom.rounding))
        cells = (format_number(line.product_uom_qty, self.lang, digits),
                 line.product_uom.name or "",
                 format_number(line.price_unit, self.lang, _price_digits(line.price_unit,
                                                                         self.currency)),
                 format_number(line.discount, self.lang, 2) if line.discount else "",
                 ", ".join(line.tax_id.mapped(lambda t: t.description or t.name)),
                 self.money(line.price_subtotal))
        if pdf.will_page_break(9):
            pdf.add_page()
        top, page = pdf.get_y(), pdf.page_no()
        pdf.multi_cell(COLUMNS[0], 4.5, self.text(line.name), align="L", new_x="LMARGIN",
                       new_y="NEXT")
        bottom, last_page = pdf.get_y(), pdf.page_no()
        pdf.page = page
        pdf.set_xy(MARGIN + COLUMNS[0], top)
        for width, value in zip(COLUMNS[1:], cells, strict=True):
            pdf.cell(width, 4.5, self.text(value), align="R")
        pdf.page = last_page
        pdf.set_xy(MARGIN, bottom + 1)

    def totals(self) -> None:
        pdf, totals = self.pdf, self.order.tax_totals or {}
        rows = [(_(self.env, "Untaxed Amount"), totals.get("amount_untaxed", 0.0), False)]
        rows += [(tax["name"], tax["amount"], False) for tax in totals.get("taxes", [])]
        rows.append((_(self.env, "Total"), totals.get("amount_total", 0.0), True))
        for label, amount, strong in rows:
            self.font(9, bold=strong)
            pdf.set_x(210 - MARGIN - 90)
            pdf.cell(55, 5.5, self.text(label), border="T" if strong else "")
            pdf.cell(35, 5.5, self.text(self.money(amount)), align="R",
                     border="T" if strong else "", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def banks(self) -> None:
        accounts = self.order.company_id.sudo().bank_ids
        preferred = accounts.filtered(lambda a: a.currency_id == self.currency) or accounts
        if not preferred:
            return
        pdf = self.pdf
        self.font(9, bold=True)
        pdf.cell(0, 5, self.text(_(self.env, "Bank details")), new_x="LMARGIN", new_y="NEXT")
        self.font(8)
        for account in preferred:
            parts = [account.bank_id.name, account.bank_id.bic and
                     f"SWIFT {account.bank_id.bic}",
                     f"{_(self.env, 'Account')} {account.acc_number}",
                     account.acc_holder_name or self.order.company_id.name,
                     account.currency_id.name]
            pdf.multi_cell(0, 4.5, self.text(" · ".join(p for p in parts if p)), align="L",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def notes(self) -> None:
        text = "\n".join(filter(None, (html_to_text(self.order.note),
                                       html_to_text(self.order.fiscal_position_id.note),
                                       html_to_text(self.order.payment_term_id.note))))
        if text:
            self.font(8)
            self.pdf.multi_cell(0, 4.5, self.text(text), align="L", new_x="LMARGIN",
                                new_y="NEXT")

    def render(self) -> bytes:
        self.pdf.add_page()
        self.letterhead()
        self.title()
        self.addresses()
        self.terms()
        self.lines()
        self.totals()
        self.banks()
        self.notes()
        return bytes(self.pdf.output())


def _address_lines(partner: Any) -> list[str]:
    if not partner:
        return []
    commercial = partner.commercial_partner_id
    lines = [commercial.name or ""]
    if partner != commercial and partner.name:
        lines.append(partner.name)
    lines += [", ".join(p for p in (partner.street, partner.street2) if p),
              " ".join(p for p in (partner.zip, partner.city) if p),
              partner.country_id.name or "", partner.vat or commercial.vat or ""]
    return [line for line in lines if line]


def _decimals(rounding: float) -> int:
    digits = 0
    while rounding and rounding < 1 and digits < 6:
        rounding *= 10
        digits += 1
    return digits


def _price_digits(price: float, currency: Any) -> int:
    """The currency's decimals, more when the unit price has more (0.0125)."""
    digits = currency.decimal_places if currency else 2
    text = f"{price:.4f}".rstrip("0")
    return max(digits, len(text.split(".")[1]) if "." in text else 0)


def render_order_pdf(order: Any) -> bytes:
    """The PDF of ``order`` in its customer's language."""
    order.ensure_one()
    lang = order.partner_id.lang or order.env.lang or "en_US"
    return _Document(order.with_context(lang=lang)).render()
