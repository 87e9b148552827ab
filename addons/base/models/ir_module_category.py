"""Application categories: how groups and modules are arranged in settings.

    category = env.ref("base.module_category_sales_crm")   # "Sales / CRM"
    category.group_ids                                       # its access groups
"""

from __future__ import annotations

from core import api, fields, models


class IrModuleCategory(models.Model):
    _name = "ir.module.category"
    _description = "Application"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, index=True)
    parent_id = fields.Many2one("ir.module.category", "Parent Application", index=True)
    child_ids = fields.One2many("ir.module.category", "parent_id", "Child Applications")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    visible = fields.Boolean(default=True)
    exclusive = fields.Boolean(help="A user is in at most one group of this application")
    group_ids = fields.One2many("res.groups", "category_id", "Groups")

    @api.depends("name", "parent_id.name")
    def _compute_display_name(self) -> None:
        for category in self:
            parent = category.parent_id
            category.display_name = (f"{parent.name} / {category.name}" if parent
                                     else category.name or "")
