"""Knowledge-base categories: a tree (Shipping / Returns, 產品 / LED 面板).

    returns = env["knowledge.category"].create({"name": "Returns", "parent_id": shipping.id})
    returns.complete_name        # 'Shipping / Returns'
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class KnowledgeCategory(models.Model):
    _name = "knowledge.category"
    _description = "Knowledge Category"
    _order = "sequence, name, id"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one("knowledge.category", "Parent Category", index=True,
                                ondelete="cascade")
    child_ids = fields.One2many("knowledge.category", "parent_id", "Subcategories")
    complete_name = fields.Char("Full Name", compute="_compute_complete_name")
    article_ids = fields.One2many("knowledge.article", "category_id", "Articles")
    article_count = fields.Integer(compute="_compute_article_count")

    @api.depends("name", "parent_id.name")
    def _compute_complete_name(self) -> None:
        for category in self:
            names, node, seen = [], category, set()
            while node and node.id not in seen:
                seen.add(node.id)
                names.append(node.name or "")
                node = node.parent_id
            category.complete_name = " / ".join(reversed(names))

    def _compute_display_name(self) -> None:
        self._compute_complete_name()
        for category in self:
            category.display_name = category.complete_name

    def _display_name_domain(self, operator: str, value) -> list:
        return [("name", operator, value)]

    def _compute_article_count(self) -> None:
        groups = self.env["knowledge.article"].read_group(
            [("category_id", "in", self.ids)], ["category_id"], ["category_id"]) \
            if self.ids else []
        counts = {g["category_id"][0]: g["category_id_count"] for g in groups
                  if g["category_id"]}
        for category in self:
            category.article_count = counts.get(category.id, 0)

    @api.constrains("parent_id")
    def _check_parent(self) -> None:
        for category in self:
            node, seen = category.parent_id, {category.id}
            while node:
                if node.id in seen:
                    raise ValidationError(_(self.env, "A category cannot be inside itself."))
                seen.add(node.id)
                node = node.parent_id
