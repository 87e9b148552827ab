"""Product categories: a tree (All / Lighting / LED Panels) used by price lists and reports.

    lighting = env["product.category"].create({"name": "Lighting"})
    panels = env["product.category"].create({"name": "LED Panels", "parent_id": lighting.id})
    panels.complete_name            # 'All / Lighting / LED Panels' under the root "All"
    env["product.template"].search([("categ_id", "child_of", lighting.id)])
"""

from __future__ import annotations

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class ProductCategory(models.Model):
    _name = "product.category"
    _description = "Product Category"
    _order = "complete_name, id"
    _rec_name = "complete_name"

    name = fields.Char(required=True, index=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, index=True,
                                recursive=True)
    parent_id = fields.Many2one("product.category", "Parent Category", index=True,
                                ondelete="cascade")
    child_id = fields.One2many("product.category", "parent_id", "Child Categories")
    product_count = fields.Integer("# Products", compute="_compute_product_count",
                                   help="Products of this category and its children")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self) -> None:
        for category in self:
            parent = category.parent_id.complete_name if category.parent_id else ""
            category.complete_name = f"{parent} / {category.name}" if parent else category.name

    def _compute_product_count(self) -> None:
        Template = self.env["product.template"]  # noqa: N806
        for category in self:
            category.product_count = Template.search_count(
                [("categ_id", "child_of", category.id)]) if category.id else 0

    @api.constrains("parent_id")
    def _check_category_recursion(self) -> None:
        if has_parent_cycle(self):
            raise ValidationError(_(self.env, "You cannot create recursive categories."))

    def _display_name_domain(self, operator: str, value) -> list:
        return [("complete_name", operator, value)]
