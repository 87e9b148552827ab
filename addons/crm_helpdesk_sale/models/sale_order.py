"""Orders show their tickets and complaints.

    order.ticket_count, order.complaint_count
    order.action_view_tickets()
"""

from __future__ import annotations

from core import fields, models
from core.i18n import _


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ticket_ids = fields.One2many("helpdesk.ticket", "sale_order_id", "Tickets")
    ticket_count = fields.Integer("Tickets", compute="_compute_ticket_count",
                                  compute_sudo=False)
    complaint_count = fields.Integer("Complaints", compute="_compute_ticket_count",
                                     compute_sudo=False)

    def _compute_ticket_count(self) -> None:
        """As the user: the tickets they may see (none without helpdesk rights)."""
        Ticket = self.env["helpdesk.ticket"]  # noqa: N806
        allowed = Ticket.check_access_rights("read", raise_exception=False)
        rows = Ticket.search_read([("sale_order_id", "in", self.ids)],
                                  ["sale_order_id", "is_complaint"]) \
            if allowed and self.ids else []
        for order in self:
            mine = [r for r in rows if r["sale_order_id"][0] == order.id]
            order.ticket_count = len(mine)
            order.complaint_count = sum(1 for r in mine if r["is_complaint"])

    def action_view_tickets(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Tickets"),
                "res_model": "helpdesk.ticket", "view_mode": "list,form",
                "domain": [("sale_order_id", "=", self.id)]}
