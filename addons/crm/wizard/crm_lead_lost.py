"""Marking deals lost, with a reason (Odoo's ``crm.lead.lost``).

    wizard = env["crm.lead.lost"].create({"lead_ids": [(6, 0, leads.ids)],
                                          "lost_reason_id": price.id,
                                          "lost_feedback": "Chose a supplier in Vietnam"})
    wizard.action_lost_reason_apply()     # archived, 0 %, the feedback in the chatter
"""

from __future__ import annotations

from core import fields, models
from core.i18n import _


class CrmLeadLost(models.TransientModel):
    _name = "crm.lead.lost"
    _description = "Get Lost Reason"

    lead_ids = fields.Many2many("crm.lead", "crm_lead_lost_lead_rel", "wizard_id", "lead_id",
                                "Leads")
    lost_reason_id = fields.Many2one("crm.lost.reason", "Lost Reason", ondelete="cascade")
    lost_feedback = fields.Text("Closing Note")

    def action_lost_reason_apply(self) -> dict | bool:
        """Lose the deals; back to the (first) deal."""
        self.ensure_one()
        leads = self.lead_ids
        if self.lost_feedback:
            for lead in leads:
                lead.message_post(body=_(self.env, "Lost: %s", self.lost_feedback))
        leads.action_set_lost(lost_reason_id=self.lost_reason_id.id)
        if len(leads) == 1:
            return {"type": "ir.actions.act_window", "res_model": "crm.lead",
                    "res_id": leads.id, "view_mode": "form"}
        return True
