"""The order's PDF as an attachment of the order.

    attachment = order._get_pdf_attachment()     # ir.attachment "S00012.pdf"
    order.action_print_quotation()               # the same, from the form's button
"""

from __future__ import annotations

from core import models
from core.i18n import _

from ..report.sale_order_pdf import render_order_pdf


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _get_pdf_filename(self) -> str:
        self.ensure_one()
        title = self.with_context(lang=self.partner_id.lang or self.env.lang)._document_title()
        return f"{title} - {self.name}.pdf"

    def _render_pdf(self) -> bytes:
        """The PDF, read as the user: they must be allowed to read the order."""
        self.ensure_one()
        self.check_access_rights("read")
        self.read(["name"])
        return render_order_pdf(self)

    def _get_pdf_attachment(self):
        """A new attachment of the order holding its current PDF."""
        self.ensure_one()
        content = self._render_pdf()
        return self.env["ir.attachment"].create({
            "name": self._get_pdf_filename(), "res_model": self._name, "res_id": self.id,
            "raw": content, "mimetype": "application/pdf",
            "description": _(self.env, "Generated from %s", self.name)})

    def action_print_quotation(self) -> bool:
        """Attach the PDF to the order (the form's attachments offer it)."""
        for order in self:
            order._get_pdf_attachment()
        return True
