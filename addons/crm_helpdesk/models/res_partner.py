"""Customers' tickets and complaints, counted on the contact form.

    partner.ticket_count         # tickets of the customer (its contacts included)
    partner.complaint_count      # of which complaints
    partner.action_open_helpdesk_ticket()
"""

from __future__ import annotations

from core import fields, models
from core.i18n import _


class ResPartner(models.Model):
    _inherit = "res.partner"

    ticket_count = fields.Integer("Tickets", compute="_compute_ticket_count",
                                  compute_sudo=False)
    complaint_count = fields.Integer("Complaints", compute="_compute_ticket_count",
                                     compute_sudo=False)

    def _compute_ticket_count(self) -> None:
        """As the user: the tickets they may see."""
        Ticket = self.env["helpdesk.ticket"]  # noqa: N806
        if not self.ids or not Ticket.check_access_rights("read", raise_exception=False):
            for partner in self:
                partner.ticket_count = partner.complaint_count = 0
            return
        domain = [("commercial_partner_id", "in", self.mapped("commercial_partner_id").ids)]
        tickets = Ticket.search_read(domain, ["commercial_partner_id", "is_complaint"])
        for partner in self:
            mine = [t for t in tickets
                    if t["commercial_partner_id"]
                    and t["commercial_partner_id"][0] == partner.commercial_partner_id.id]
            partner.ticket_count = len(mine)
            partner.complaint_count = sum(1 for t in mine if t["is_complaint"])

    def action_open_helpdesk_ticket(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Tickets"),
                "res_model": "helpdesk.ticket", "view_mode": "list,form",
                "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id)]}
