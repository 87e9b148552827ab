"""Product templates: what is sold, with its variants.

    panel = env["product.template"].create({
        "name": "LED Panel 60x60", "list_price": 42.0, "hs_code": "9405.42",
        "country_of_origin": env.ref("base.tw").id, "categ_id": lighting.id,
        "attribute_line_ids": [Command.create({"attribute_id": wattage.id,
                                               "value_ids": [(6, 0, (w36 | w48).ids)]})],
    })
    panel.product_variant_ids          # two variants: (36 W) and (48 W)
    panel.product_variant_count        # 2

Troika has no ``_inherits``: a variant (``product.product``) points to its
template and shows the template's fields through related fields; fields
that belong to each variant (internal reference, barcode, cost, weight,
volume) are shown on the template while it has a single variant.
"""

from __future__ import annotations

import itertools

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

from .product_hs_code import normalize_hs_code

#: fields of the variant the template shows (and writes) while it has one variant
VARIANT_FIELDS = ("default_code", "barcode", "standard_price", "weight", "volume")


def _default_category(self):
    category = self.env.ref("product.product_category_all", raise_if_not_found=False)
    return category.id if category else False


def _default_uom(self):
    uom = self.env.ref("uom.product_uom_unit", raise_if_not_found=False)
    return uom.id if uom else False


class ProductTemplate(models.Model):
    _name = "product.template"
    _description = "Product"
    _order = "priority desc, name, id"

    name = fields.Char(required=True, index=True, translate=True)
    sequence = fields.Integer(default=1)
    priority = fields.Selection([("0", "Normal"), ("1", "Favorite")], default="0")
    description = fields.Html(translate=True)
    description_sale = fields.Text("Sales Description", translate=True,
                                   help="Printed on quotations and orders instead of the name")
    description_purchase = fields.Text("Purchase Description", translate=True)
    type = fields.Selection([("consu", "Consumable"), ("service", "Service")],
                            "Product Type", default="consu", required=True)
    detailed_type = fields.Selection(related="type", readonly=False, string="Product Type")
    categ_id = fields.Many2one("product.category", "Product Category", required=True,
                              default=_default_category, ondelete="restrict")
    company_id = fields.Many2one("res.company", "Company", index=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    cost_currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    list_price = fields.Float("Sales Price", digits=(16, 4), default=1.0,
                              help="The base price, in the company currency")
    standard_price = fields.Float("Cost", digits=(16, 4), compute="_compute_variant_fields",
                                  inverse="_inverse_standard_price")
    default_code = fields.Char("Internal Reference", compute="_compute_variant_fields",
                               inverse="_inverse_default_code",
                               search="_search_default_code")
    barcode = fields.Char(compute="_compute_variant_fields", inverse="_inverse_barcode",
                          search="_search_barcode")
    weight = fields.Float(digits=(16, 3), compute="_compute_variant_fields",
                          inverse="_inverse_weight", help="Net weight in kg")
    volume = fields.Float(digits=(16, 4), compute="_compute_variant_fields",
                          inverse="_inverse_volume", help="Volume in m³")
    weight_uom_name = fields.Char(compute="_compute_uom_names")
    volume_uom_name = fields.Char(compute="_compute_uom_names")
    sale_ok = fields.Boolean("Can be Sold", default=True)
    purchase_ok = fields.Boolean("Can be Purchased", default=True)
    uom_id = fields.Many2one("uom.uom", "Unit of Measure", required=True, default=_default_uom,
                             help="The unit of stock, prices and quantities of the product")
    uom_name = fields.Char(related="uom_id.name", string="Unit of Measure Name")
    uom_po_id = fields.Many2one("uom.uom", "Purchase Unit", required=True, default=_default_uom)
    active = fields.Boolean(default=True)
    color = fields.Integer("Color Index")
    image_1920 = fields.Binary("Image", help="Shown on the product and its kanban card")
    # export data
    hs_code = fields.Char("HS Code", size=11, help="Harmonized System code of the goods, "
                          "6 to 11 digits (customs declarations, certificates of origin)")
    country_of_origin = fields.Many2one("res.country", "Origin of Goods",
                                        help="Where the goods were made (rules of origin)")
    export_tax_rebate_rate = fields.Float(
        "Export Tax Rebate (%)", digits=(5, 2), compute="_compute_export_tax_rebate_rate",
        store=True, readonly=False,
        help="The VAT refund rate on export; taken from the HS codes table, may be changed")
    # variants
    attribute_line_ids = fields.One2many("product.template.attribute.line", "product_tmpl_id",
                                         "Product Attributes", copy=True)
    product_variant_ids = fields.One2many("product.product", "product_tmpl_id", "Products")
    product_variant_id = fields.Many2one("product.product", "Product",
                                         compute="_compute_product_variant_id")
    product_variant_count = fields.Integer("# Product Variants",
                                           compute="_compute_product_variant_count")
    pricelist_item_count = fields.Integer("Price Rules", compute="_compute_item_count")

    _sql_constraints = [
        ("rebate_range", "check(export_tax_rebate_rate >= 0 and export_tax_rebate_rate <= 100)",
         "The export tax rebate rate lies between 0 and 100."),
    ]

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("company_id")
    def _compute_currency_id(self) -> None:
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        for template in self:
            company = template.company_id or self.env.company or main
            template.currency_id = company.currency_id
            template.cost_currency_id = company.currency_id

    def _compute_uom_names(self) -> None:
        for template in self:
            template.weight_uom_name = "kg"
            template.volume_uom_name = "m³"

    @api.depends("product_variant_ids", *(f"product_variant_ids.{f}" for f in VARIANT_FIELDS))
    def _compute_variant_fields(self) -> None:
        for template in self:
            variants = template.product_variant_ids
            single = variants if len(variants) == 1 else variants.browse()
            for name in VARIANT_FIELDS:
                template[name] = single[name] if single else \
                    (0.0 if template._fields[name].type == "float" else False)

    def _set_on_single_variant(self, name: str) -> None:
        for template in self:
            if len(template.product_variant_ids) == 1:
                template.product_variant_ids.write({name: template[name]})

    def _inverse_standard_price(self) -> None:
        self._set_on_single_variant("standard_price")

    def _inverse_default_code(self) -> None:
        self._set_on_single_variant("default_code")

    def _inverse_barcode(self) -> None:
        self._set_on_single_variant("barcode")

    def _inverse_weight(self) -> None:
        self._set_on_single_variant("weight")

    def _inverse_volume(self) -> None:
        self._set_on_single_variant("volume")

    def _search_default_code(self, operator, value):
        return [("product_variant_ids.default_code", operator, value)]

    def _search_barcode(self, operator, value):
        return [("product_variant_ids.barcode", operator, value)]

    @api.depends("product_variant_ids")
    def _compute_product_variant_id(self) -> None:
        for template in self:
            template.product_variant_id = template.product_variant_ids[:1]

    @api.depends("product_variant_ids")
    def _compute_product_variant_count(self) -> None:
        for template in self:
            template.product_variant_count = len(template.product_variant_ids)

    def _compute_item_count(self) -> None:
        Item = self.env["product.pricelist.item"]  # noqa: N806
        for template in self:
            template.pricelist_item_count = Item.search_count([
                "|", ("product_tmpl_id", "=", template.id),
                ("product_id", "in", template.product_variant_ids.ids)]) if template.id else 0

    @api.depends("hs_code")
    def _compute_export_tax_rebate_rate(self) -> None:
        Codes = self.env["product.hs.code"]  # noqa: N806
        for template in self:
            rate = Codes._rate_for(template.hs_code)
            template.export_tax_rebate_rate = rate if rate is not None else \
                (template.export_tax_rebate_rate or 0.0)

    @api.depends("name", "default_code")
    def _compute_display_name(self) -> None:
        for template in self:
            code = template.default_code
            template.display_name = f"[{code}] {template.name}" if code else (template.name or "")

    def _display_name_domain(self, operator: str, value) -> list:
        if operator in ("!=", "not like", "not ilike", "not in"):
            return ["&", ("name", operator, value), ("default_code", operator, value)]
        return ["|", ("name", operator, value), ("default_code", operator, value)]

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_vals(dict(vals)) for vals in vals_list]
        variant_values = [{k: vals.pop(k) for k in VARIANT_FIELDS if k in vals}
                          for vals in vals_list]
        templates = super().create(vals_list)
        if not self.env.context.get("create_product_product"):
            templates._create_variant_ids()
        for template, values in zip(templates, variant_values, strict=True):
            if values and len(template.product_variant_ids) == 1:
                template.product_variant_ids.write(values)
        return templates

    def write(self, vals):
        vals = self._clean_vals(dict(vals))
        result = super().write(vals)
        if "attribute_line_ids" in vals or vals.get("active"):
            self._create_variant_ids()
        if "active" in vals and not vals["active"]:
            self.with_context(active_test=False).mapped("product_variant_ids").write(
                {"active": False})
        return result

    def _clean_vals(self, vals: dict) -> dict:
        if "hs_code" in vals:
            vals["hs_code"] = normalize_hs_code(self.env, vals["hs_code"])
        return vals

    @api.constrains("uom_id", "uom_po_id")
    def _check_uom(self) -> None:
        for template in self:
            if template.uom_po_id.category_id != template.uom_id.category_id:
                raise ValidationError(_(
                    self.env, "The purchase unit of %(product)s must be in the category of its "
                    "unit of measure (%(category)s).", product=template.name,
                    category=template.uom_id.category_id.name))

    def copy(self, default=None):
        default = dict(default or {})
        if "name" not in default:
            default["name"] = _(self.env, "%s (copy)", self.name)
        return super().copy(default)

    # ------------------------------------------------------------------
    # variants
    # ------------------------------------------------------------------
    def _create_variant_ids(self) -> None:
        """Make the variants match the attribute lines: one active variant per
        combination of values of the attributes that create variants; the
        variants of combinations that no longer exist are archived."""
        Product = self.env["product.product"].with_context(active_test=False)  # noqa: N806
        to_create = []
        for template in self.filtered("active"):
            template.attribute_line_ids._sync_values()
            combinations = template._variant_combinations()
            existing = {p.combination_indices: p for p in
                        Product.search([("product_tmpl_id", "=", template.id)])}
            wanted = set()
            for combination in combinations:
                key = combination_key(combination)
                wanted.add(key)
                variant = existing.get(key)
                if variant is None:
                    to_create.append({"product_tmpl_id": template.id, "product_template_attribute"
                                      "_value_ids": [(6, 0, combination.ids)]})
                elif not variant.active:
                    variant.active = True
            stale = [p for key, p in existing.items() if key not in wanted and p.active]
            for variant in stale:
                variant.active = False
        if to_create:
            Product.create(to_create)

    def _variant_combinations(self) -> list:
        """The record sets of template attribute values, one per variant."""
        self.ensure_one()
        lines = self.attribute_line_ids.filtered(
            lambda line: line.attribute_id.create_variant == "always" and line.value_ids)
        PTAV = self.env["product.template.attribute.value"]  # noqa: N806
        if not lines:
            return [PTAV]
        per_line = [line.product_template_value_ids.filtered("ptav_active") for line in lines]
        return [_union(PTAV, values) for values in itertools.product(*per_line)]

    def action_open_variants(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Product Variants"),
                "res_model": "product.product", "view_mode": "list,form",
                "domain": [("product_tmpl_id", "=", self.id)],
                "context": {"default_product_tmpl_id": self.id}}

    def action_open_pricelist_rules(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Price Rules"),
                "res_model": "product.pricelist.item", "view_mode": "list,form",
                "domain": ["|", ("product_tmpl_id", "=", self.id),
                           ("product_id", "in", self.product_variant_ids.ids)],
                "context": {"default_product_tmpl_id": self.id,
                            "default_applied_on": "1_product"}}


def _union(empty, values) -> object:
    result = empty
    for value in values:
        result |= value
    return result


def combination_key(values) -> str:
    """The variant's key: the sorted ids of its template attribute values."""
    return ",".join(str(i) for i in sorted(values.ids))
