"""Why deals are lost ("Too expensive", "Lead time too long", "Chose a local supplier").

    reason = env.ref("crm.lost_reason_price")
    lead.action_set_lost(lost_reason_id=reason.id)
    reason.leads_count                        # how many deals it explains
"""

from __future__ import annotations

from core import fields, models


class CrmLostReason(models.Model):
    _name = "crm.lost.reason"
    _description = "Opp. Lost Reason"
    _order = "name, id"

    name = fields.Char("Description", required=True, translate=True)
    active = fields.Boolean(default=True)
    leads_count = fields.Integer("Leads Count", compute="_compute_leads_count")

    def _compute_leads_count(self) -> None:
        counts: dict[int, int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            groups = self.env["crm.lead"].with_context(active_test=False).read_group(
                [("lost_reason_id", "in", ids)], ["lost_reason_id"], ["lost_reason_id"])
            counts = {g["lost_reason_id"][0]: g["lost_reason_id_count"] for g in groups}
        for reason in self:
            reason.leads_count = counts.get(reason.id, 0)

    def action_lost_leads(self) -> dict:
        """The deals lost for this reason."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": self.name, "res_model": "crm.lead",
                "view_mode": "list,form",
                "domain": [("lost_reason_id", "=", self.id), ("active", "=", False)],
                "context": {"active_test": False}}
