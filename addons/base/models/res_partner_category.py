"""Partner tags, in a hierarchy: "Customer / Distributor".

    vip = env["res.partner.category"].create({"name": "VIP"})
    partner.category_id = [(4, vip.id)]
"""

from __future__ import annotations

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import ValidationError

#: how many levels of parents a tag's display name shows
_DEPTH = 5


class ResPartnerCategory(models.Model):
    _name = "res.partner.category"
    _description = "Partner Tags"
    _order = "name, id"

    name = fields.Char("Tag Name", required=True, translate=True)
    color = fields.Integer("Color")
    parent_id = fields.Many2one("res.partner.category", "Parent Category", index=True,
                                ondelete="cascade")
    child_ids = fields.One2many("res.partner.category", "parent_id", "Child Tags")
    active = fields.Boolean(default=True, help="Archived tags are hidden from the choices.")
    partner_ids = fields.Many2many("res.partner", column1="category_id", column2="partner_id",
                                   string="Partners")

    @api.constrains("parent_id")
    def _check_parent_id(self) -> None:
        if has_parent_cycle(self):
            raise ValidationError("You cannot create recursive tags.")

    @api.depends("name", *(".".join(["parent_id"] * level) + ".name"
                           for level in range(1, _DEPTH + 1)))
    def _compute_display_name(self) -> None:
        for category in self:
            names, current, seen = [], category, set()
            while current and current.id not in seen and len(names) <= _DEPTH:
                seen.add(current.id)
                names.append(current.name or "")
                current = current.parent_id
            category.display_name = " / ".join(reversed(names))

    def _display_name_domain(self, operator: str, value) -> list:
        if isinstance(value, str) and " / " in value and operator in ("=", "ilike", "like"):
            # "Parent / Child" as shown: match the last part under the others
            *parents, name = value.split(" / ")
            return [("name", operator, name), ("parent_id.name", operator, parents[-1])]
        return [("name", operator, value)]
