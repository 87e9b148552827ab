"""Marketing campaigns: a named effort (a fair, a mailing) that leads are linked to.

    fair = env["utm.campaign"].create({"name": "Light + Building 2026",
                                       "user_id": mei.id, "tag_ids": [(6, 0, [tag.id])]})
    fair.stage_id                 # the first stage (New)
    lead.campaign_id = fair       # CRM reports revenue per campaign

Marketing addons extend it (mailings, budget, ROI).
"""

from __future__ import annotations

from core import fields, models


def _default_stage(self):
    return self.env["utm.stage"].search([], limit=1).id or False


class UtmCampaign(models.Model):
    _name = "utm.campaign"
    _description = "UTM Campaign"
    _order = "id desc"

    name = fields.Char("Campaign Name", required=True, translate=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.uid)
    stage_id = fields.Many2one("utm.stage", "Stage", ondelete="restrict",
                               default=_default_stage, group_expand=True)
    tag_ids = fields.Many2many("utm.tag", "utm_tag_rel", "campaign_id", "tag_id", "Tags")
    is_auto_campaign = fields.Boolean("Automatically Generated Campaign", default=False)
    color = fields.Integer("Color Index")
