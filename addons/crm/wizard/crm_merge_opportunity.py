"""Merging deals (Odoo's ``crm.merge.opportunity``).

    wizard = env["crm.merge.opportunity"].create({"opportunity_ids": [(6, 0, ids)]})
    kept = wizard.action_merge()          # see crm.lead.merge_opportunity
"""

from __future__ import annotations

from core import fields, models


class CrmMergeOpportunity(models.TransientModel):
    _name = "crm.merge.opportunity"
    _description = "Merge Opportunities"

    opportunity_ids = fields.Many2many("crm.lead", "merge_opportunity_rel", "merge_id",
                                       "opportunity_id", "Leads/Opportunities")
    user_id = fields.Many2one("res.users", "Salesperson", domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", "Sales Team")

    def action_merge(self) -> dict:
        """Merge the deals; open the one kept."""
        self.ensure_one()
        kept = self.opportunity_ids.merge_opportunity(self.user_id.id, self.team_id.id)
        return {"type": "ir.actions.act_window", "res_model": "crm.lead", "res_id": kept.id,
                "view_mode": "form"}
