"""``utm.mixin``: the campaign, medium and source of a document.

    class Lead(models.Model):
        _name = "crm.lead"
        _inherit = ["utm.mixin"]

    lead.source_id = env["utm.source"]._find_or_create("Alibaba")
"""

from __future__ import annotations

from core import fields, models


class UtmMixin(models.AbstractModel):
    _name = "utm.mixin"
    _description = "UTM Mixin"

    campaign_id = fields.Many2one("utm.campaign", "Campaign", index=True, ondelete="set null",
                                  help="The campaign that brought this document, e.g. a "
                                       "trade fair or a mailing")
    source_id = fields.Many2one("utm.source", "Source", index=True, ondelete="set null",
                                help="Where it came from, e.g. a search engine or a fair")
    medium_id = fields.Many2one("utm.medium", "Medium", index=True, ondelete="set null",
                                help="The kind of channel, e.g. e-mail, website, trade show")
