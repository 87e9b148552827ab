"""Models shared by the ORM tests: a small export-trade world."""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError


class Country(models.Model):
    _name = "test.country"
    _description = "Country"
    _order = "code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(size=2)


class Tag(models.Model):
    _name = "test.tag"
    _description = "Tag"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)


class Partner(models.Model):
    _name = "test.partner"
    _description = "Partner"
    _order = "name, id"

    name = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    email = fields.Char()
    is_company = fields.Boolean()
    country_id = fields.Many2one("test.country", ondelete="restrict")
    country_code = fields.Char(related="country_id.code")
    parent_id = fields.Many2one("test.partner", ondelete="cascade")
    child_ids = fields.One2many("test.partner", "parent_id")
    tag_ids = fields.Many2many("test.tag")
    credit_limit = fields.Float(digits=(16, 2))
    order_ids = fields.One2many("test.order", "partner_id")
    order_count = fields.Integer(compute="_compute_order_count")
    total_ordered = fields.Float(compute="_compute_total_ordered", store=True)

    _sql_constraints = [
        ("email_unique", "unique(email)", "Another partner already uses this e-mail address."),
    ]

    @api.depends("order_ids")
    def _compute_order_count(self):
        for partner in self:
            partner.order_count = len(partner.order_ids)

    @api.depends("order_ids.amount_total")
    def _compute_total_ordered(self):
        for partner in self:
            partner.total_ordered = sum(partner.order_ids.mapped("amount_total"))


class Order(models.Model):
    _name = "test.order"
    _description = "Order"
    _order = "date_order desc, id desc"

    name = fields.Char(required=True, default="New")
    partner_id = fields.Many2one("test.partner", required=True)
    date_order = fields.Date(default=lambda self: fields.Date.today())
    state = fields.Selection([("draft", "Quotation"), ("sale", "Sales Order"),
                              ("cancel", "Cancelled")], default="draft")
    line_ids = fields.One2many("test.order.line", "order_id", copy=True)
    amount_total = fields.Float(compute="_compute_amount_total", store=True)
    note = fields.Text()

    @api.depends("line_ids.subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("subtotal"))


class OrderLine(models.Model):
    _name = "test.order.line"
    _description = "Order Line"
    _order = "sequence, id"

    order_id = fields.Many2one("test.order", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    product = fields.Char(required=True)
    quantity = fields.Float(default=1.0)
    price_unit = fields.Float()
    subtotal = fields.Float(compute="_compute_subtotal", store=True)

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.price_unit

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity < 0:
                raise ValidationError(f"The quantity of {line.product} cannot be negative.")


class Category(models.Model):
    _name = "test.category"
    _description = "Product Category"
    _parent_name = "parent_id"

    name = fields.Char(required=True)
    parent_id = fields.Many2one("test.category", ondelete="cascade")
    child_ids = fields.One2many("test.category", "parent_id")


ALL = [Country, Tag, Partner, Order, OrderLine, Category]
