"""Attributes and their values (Wattage: 18 W, 36 W, 48 W), and their use on a template.

    wattage = env["product.attribute"].create({"name": "Wattage", "value_ids": [
        Command.create({"name": "36 W"}), Command.create({"name": "48 W"})]})

``product.template.attribute.value`` is one value as a template uses it
(the template's own ``price_extra`` for it); a variant is the combination
of one such value per attribute line of its template.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _


class ProductAttribute(models.Model):
    _name = "product.attribute"
    _description = "Product Attribute"
    _order = "sequence, id"

    name = fields.Char("Attribute", required=True, translate=True)
    sequence = fields.Integer(default=20, index=True)
    value_ids = fields.One2many("product.attribute.value", "attribute_id", "Values", copy=True)
    attribute_line_ids = fields.One2many("product.template.attribute.line", "attribute_id",
                                         "Lines")
    create_variant = fields.Selection(
        [("always", "Instantly"), ("no_variant", "Never")], "Variants Creation Mode",
        default="always", required=True,
        help="Instantly: every combination of values is a variant. Never: the value is "
             "only a description, the product has no variant for it.")
    display_type = fields.Selection([("radio", "Radio"), ("select", "Select"),
                                     ("color", "Color"), ("pills", "Pills")],
                                    default="radio", required=True)
    product_tmpl_ids = fields.Many2many("product.template", string="Related Products",
                                        compute="_compute_products")

    @api.depends("attribute_line_ids.product_tmpl_id")
    def _compute_products(self) -> None:
        for attribute in self:
            attribute.product_tmpl_ids = attribute.attribute_line_ids.mapped("product_tmpl_id")

    def write(self, vals):
        if "create_variant" in vals:
            used = self.filtered(lambda a: a.attribute_line_ids
                                 and a.create_variant != vals["create_variant"])
            if used:
                raise UserError(_(self.env, "You cannot change the variants creation mode of "
                                  "the attribute %s: products use it.", used[0].name))
        return super().write(vals)


class ProductAttributeValue(models.Model):
    _name = "product.attribute.value"
    _description = "Attribute Value"
    _order = "attribute_id, sequence, id"

    name = fields.Char("Value", required=True, translate=True)
    sequence = fields.Integer(index=True)
    attribute_id = fields.Many2one("product.attribute", "Attribute", required=True,
                                   ondelete="cascade", index=True)
    html_color = fields.Char("Color", help="A colour for the colour attributes, e.g. #FF0000")
    default_extra_price = fields.Float(digits=(16, 4),
                                       help="The price extra a template gets for this value "
                                            "by default")

    _sql_constraints = [
        ("value_company_uniq", "unique(name, attribute_id)",
         "You cannot create two values with the same name for the same attribute."),
    ]

    @api.depends("name", "attribute_id.name")
    def _compute_display_name(self) -> None:
        for value in self:
            value.display_name = f"{value.attribute_id.name}: {value.name}" \
                if value.attribute_id else (value.name or "")

    def unlink(self):
        lines = self.env["product.template.attribute.line"].search(
            [("value_ids", "in", self.ids)], limit=1)
        if lines:
            raise UserError(_(self.env, "You cannot delete the value %(value)s: the product "
                              "%(product)s uses it.", value=self[0].name,
                              product=lines.product_tmpl_id.name))
        return super().unlink()


class ProductTemplateAttributeValue(models.Model):
    _name = "product.template.attribute.value"
    _description = "Product Template Attribute Value"
    _order = "attribute_line_id, product_attribute_value_id, id"

    ptav_active = fields.Boolean("Active", default=True)
    name = fields.Char("Value", related="product_attribute_value_id.name")
    product_attribute_value_id = fields.Many2one("product.attribute.value", "Attribute Value",
                                                 required=True, ondelete="cascade", index=True)
    attribute_line_id = fields.Many2one("product.template.attribute.line", required=True,
                                        ondelete="cascade", index=True)
    price_extra = fields.Float("Value Price Extra", digits=(16, 4), default=0.0,
                               help="Added to the sales price of the variants with this "
                                    "value (in the company currency)")
    product_tmpl_id = fields.Many2one("product.template", "Product Template",
                                      related="attribute_line_id.product_tmpl_id", store=True,
                                      index=True)
    attribute_id = fields.Many2one("product.attribute", "Attribute",
                                   related="attribute_line_id.attribute_id", store=True,
                                   index=True)
    ptav_product_variant_ids = fields.Many2many(
        "product.product", "product_variant_combination", "product_template_attribute_value_id",
        "product_product_id", "Related Variants", readonly=True)
    html_color = fields.Char(related="product_attribute_value_id.html_color")

    _sql_constraints = [
        ("attribute_value_unique", "unique(attribute_line_id, product_attribute_value_id)",
         "Each value should be defined only once per attribute per product."),
    ]

    @api.depends("attribute_id.name", "product_attribute_value_id.name")
    def _compute_display_name(self) -> None:
        for value in self:
            value.display_name = f"{value.attribute_id.name}: {value.name}"
