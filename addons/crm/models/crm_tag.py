"""Tags of leads and opportunities ("Distributor", "Tender", "Samples sent").

    vip = env["crm.tag"].create({"name": "Key account", "color": 2})
    lead.tag_ids = [(4, vip.id)]
"""

from __future__ import annotations

from core import fields, models


class CrmTag(models.Model):
    _name = "crm.tag"
    _description = "CRM Tag"
    _order = "name, id"

    name = fields.Char("Tag Name", required=True, translate=True)
    color = fields.Integer("Color", help="The colour of the tag in the pipeline")

    _sql_constraints = [("name_uniq", "unique(name)", "Tag name already exists!")]
