"""Product variants: what an order line sells.

    variant = env["product.product"].create({"name": "Cable tie", "list_price": 0.02})
    variant.product_tmpl_id            # its template, created with it
    variant.lst_price                  # the template's price plus the values' extras
    variant.display_name               # '[CT-100] Cable tie' or 'LED Panel (36 W)'

A variant is a template plus one value per attribute line. Troika has
no ``_inherits``: the template's fields are related fields here
(writable: writing them writes the template), and creating a variant
without a template creates the template from the same values.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

from .product_template import combination_key

#: template fields shown on the variant (related, writable); creating a variant
#: without a template gives them to the new template
TEMPLATE_FIELDS = ("name", "categ_id", "type", "uom_id", "uom_po_id", "list_price", "sale_ok",
                   "purchase_ok", "description_sale", "description_purchase", "description",
                   "hs_code", "country_of_origin", "export_tax_rebate_rate", "company_id",
                   "image_1920")


class ProductProduct(models.Model):
    _name = "product.product"
    _description = "Product Variant"
    _order = "default_code, id"

    product_tmpl_id = fields.Many2one("product.template", "Product Template", required=True,
                                      ondelete="cascade", index=True)
    default_code = fields.Char("Internal Reference", index=True)
    barcode = fields.Char(copy=False, index=True,
                          help="International Article Number used for product identification")
    active = fields.Boolean(default=True)
    standard_price = fields.Float("Cost", digits=(16, 4),
                                  help="The cost of one unit, in the company currency")
    weight = fields.Float(digits=(16, 3), help="Net weight in kg")
    volume = fields.Float(digits=(16, 4), help="Volume in m³")
    product_template_attribute_value_ids = fields.Many2many(
        "product.template.attribute.value", "product_variant_combination", "product_product_id",
        "product_template_attribute_value_id", "Attribute Values", ondelete="restrict")
    combination_indices = fields.Char(compute="_compute_combination_indices", store=True,
                                      index=True)
    price_extra = fields.Float("Variant Price Extra", digits=(16, 4),
                               compute="_compute_price_extra",
                               help="The sum of the extra prices of the variant's values")
    lst_price = fields.Float("Sales Price", digits=(16, 4), compute="_compute_lst_price",
                             help="The template's price plus the variant's extras, in the "
                                  "company currency")
    currency_id = fields.Many2one("res.currency", related="product_tmpl_id.currency_id")
    cost_currency_id = fields.Many2one("res.currency",
                                       related="product_tmpl_id.cost_currency_id")
    uom_name = fields.Char(related="product_tmpl_id.uom_name")
    product_variant_count = fields.Integer(related="product_tmpl_id.product_variant_count")

    _sql_constraints = [
        ("barcode_uniq", "unique(barcode)", "A barcode can only be assigned to one product."),
    ]

    # the template's fields (TEMPLATE_FIELDS), related and writable
    name = fields.Char(related="product_tmpl_id.name", readonly=False)
    categ_id = fields.Many2one("product.category", related="product_tmpl_id.categ_id",
                               readonly=False)
    type = fields.Selection(related="product_tmpl_id.type", readonly=False)
    uom_id = fields.Many2one("uom.uom", related="product_tmpl_id.uom_id", readonly=False)
    uom_po_id = fields.Many2one("uom.uom", related="product_tmpl_id.uom_po_id", readonly=False)
    list_price = fields.Float(related="product_tmpl_id.list_price", readonly=False)
    sale_ok = fields.Boolean(related="product_tmpl_id.sale_ok", readonly=False)
    purchase_ok = fields.Boolean(related="product_tmpl_id.purchase_ok", readonly=False)
    description_sale = fields.Text(related="product_tmpl_id.description_sale", readonly=False)
    description_purchase = fields.Text(related="product_tmpl_id.description_purchase",
                                       readonly=False)
    description = fields.Html(related="product_tmpl_id.description", readonly=False)
    hs_code = fields.Char(related="product_tmpl_id.hs_code", readonly=False)
    country_of_origin = fields.Many2one("res.country",
                                        related="product_tmpl_id.country_of_origin",
                                        readonly=False)
    export_tax_rebate_rate = fields.Float(related="product_tmpl_id.export_tax_rebate_rate",
                                          readonly=False)
    company_id = fields.Many2one("res.company", related="product_tmpl_id.company_id",
                                 readonly=False)
    image_1920 = fields.Binary(related="product_tmpl_id.image_1920", readonly=False)

    @api.depends("product_template_attribute_value_ids")
    def _compute_combination_indices(self) -> None:
        for product in self:
            product.combination_indices = combination_key(
                product.product_template_attribute_value_ids)

    @api.depends("product_template_attribute_value_ids.price_extra")
    def _compute_price_extra(self) -> None:
        for product in self:
            product.price_extra = sum(
                product.product_template_attribute_value_ids.mapped("price_extra"))

    @api.depends("list_price", "price_extra")
    def _compute_lst_price(self) -> None:
        for product in self:
            product.lst_price = product.list_price + product.price_extra

    @api.depends("default_code", "name", "product_template_attribute_value_ids.name")
    def _compute_display_name(self) -> None:
        for product in self:
            name = product.name or ""
            values = product.product_template_attribute_value_ids.filtered(
                lambda v: v.attribute_id.create_variant == "always")
            if values:
                name = f"{name} ({', '.join(values.mapped('name'))})"
            code = product.default_code
            product.display_name = f"[{code}] {name}" if code else name

    def _display_name_domain(self, operator: str, value) -> list:
        names = ("default_code", "name", "barcode")
        if operator in ("!=", "not like", "not ilike", "not in"):
            return ["&", "&"] + [(n, operator, value) for n in names]
        return ["|", "|"] + [(n, operator, value) for n in names]

    @api.constrains("product_template_attribute_value_ids", "product_tmpl_id")
    def _check_combination(self) -> None:
        for product in self:
            values = product.product_template_attribute_value_ids
            if values.mapped("product_tmpl_id") - product.product_tmpl_id:
                raise ValidationError(_(self.env, "The variant %s has values of another "
                                        "product.", product.display_name))
            if len(values.mapped("attribute_id")) != len(values):
                raise ValidationError(_(self.env, "The variant %s has two values of one "
                                        "attribute.", product.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        Template = self.env["product.template"].with_context(create_product_product=True)  # noqa: N806
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if not vals.get("product_tmpl_id"):
                template_vals = {name: vals.pop(name) for name in list(vals)
                                 if name in TEMPLATE_FIELDS}
                vals["product_tmpl_id"] = Template.create(template_vals).id
        return super().create(vals_list)
