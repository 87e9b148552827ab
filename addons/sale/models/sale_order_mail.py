"""Sending the quotation by e-mail with its PDF, and asking for a discount approval.

    order.action_quotation_send()      # queues the e-mail (PDF attached), marks it sent
    order.action_request_approval()    # a to-do for the discount approver

The e-mail is the template ``sale.email_template_edi_sale``, rendered in
the customer's language; templates with ``attach_record_pdf`` attach the
PDF of the record they are sent for (``mail.template`` extension below).
"""

from __future__ import annotations

from core import fields, models
from core.exceptions import UserError
from core.i18n import _


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _get_pdf_content(self) -> tuple[str, bytes]:
        """(file name, PDF) for e-mail templates."""
        return self._get_pdf_filename(), self._render_pdf()

    def action_quotation_send(self) -> bool:
        """E-mail the quotation (PDF attached) to the customer; a draft becomes sent."""
        template = self.env.ref("sale.email_template_edi_sale")
        for order in self:
            if not order.partner_id.email:
                raise UserError(_(self.env, "%s has no e-mail address.",
                                  order.partner_id.display_name))
            if order.state == "cancel" or not order.active:
                raise UserError(_(self.env, "A cancelled or replaced quotation is not sent."))
            template.send_mail(order.id)
            order.message_subscribe(partner_ids=order.partner_id.ids)
            if order.state == "draft":
                order.action_quotation_sent()
        return True

    def action_request_approval(self) -> bool:
        """Ask the discount approver (a to-do, and a note in the chatter)."""
        for order in self:
            if not order.discount_approval_required:
                raise UserError(_(self.env, "%s needs no approval.", order.name))
            order._schedule_discount_approval()
        return True

    def _schedule_discount_approval(self) -> None:
        approver = self.discount_approver_id
        if not approver:
            managers = self.env.ref("sales_team.group_sale_manager").sudo().users
            approver = managers.filtered(lambda user: not user.share and user.id != 1)[:1]
        if not approver:
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo", user_id=approver.id,
            summary=_(self.env, "Approve the discount of %(discount)s %% on %(order)s",
                      discount=f"{self.max_discount:g}", order=self.name))


class MailTemplate(models.Model):
    _inherit = "mail.template"

    attach_record_pdf = fields.Boolean(
        "Attach the document's PDF",
        help="Attach the PDF of the record the e-mail is sent for (quotations, orders)")

    def _generate_attachments(self, record):
        attachments = list(super()._generate_attachments(record))
        if self.attach_record_pdf and hasattr(record, "_get_pdf_content"):
            attachments.append(record._get_pdf_content())
        return attachments
