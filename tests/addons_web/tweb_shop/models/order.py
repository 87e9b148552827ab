"""Orders with lines, tags, a workflow, a constraint and onchanges."""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import UserError, ValidationError


class TwebTag(models.Model):
    _name = "tweb.tag"
    _description = "Shop Tag"
    _order = "name"

    name = fields.Char(required=True)


class TwebOrder(models.Model):
    _name = "tweb.order"
    _description = "Shop Order"
    _order = "name"

    name = fields.Char("Reference", required=True)
    partner_id = fields.Many2one("res.partner", "Customer")
    partner_ref = fields.Char("Customer Code")
    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done")],
                             default="draft")
    priority = fields.Selection([("0", "Normal"), ("1", "Good"), ("2", "Very good"),
                                 ("3", "Excellent")], default="0")
    discount = fields.Float(default=0.0)
    amount = fields.Float("Amount")
    note = fields.Html()
    date_order = fields.Date("Order Date")
    deadline = fields.Datetime()
    is_urgent = fields.Boolean("Urgent")
    urgency_reason = fields.Char("Why urgent")
    tag_ids = fields.Many2many("tweb.tag", string="Tags")
    line_ids = fields.One2many("tweb.order.line", "order_id", "Lines")
    line_count = fields.Integer(compute="_compute_line_count")
    total = fields.Float(compute="_compute_total", store=True)
    active = fields.Boolean(default=True)
    document = fields.Binary()

    @api.depends("line_ids")
    def _compute_line_count(self) -> None:
        for order in self:
            order.line_count = len(order.line_ids)

    @api.depends("line_ids.qty", "line_ids.price")
    def _compute_total(self) -> None:
        for order in self:
            order.total = sum(line.qty * line.price for line in order.line_ids)

    @api.constrains("discount")
    def _check_discount(self) -> None:
        for order in self:
            if not 0 <= order.discount <= 100:
                raise ValidationError("The discount must lie between 0 and 100.")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        self.partner_ref = self.partner_id.ref or False
        if self.partner_id and not self.partner_id.email:
            return {"warning": {"title": "No e-mail",
                                "message": "This customer has no e-mail address."}}
        return None

    def action_mark_urgent(self) -> bool:
        self.write({"is_urgent": True, "urgency_reason": "Marked by button"})
        return True

    def action_fail(self) -> bool:
        raise UserError("This button always refuses.")

    def _secret(self) -> bool:
        self.write({"name": "hacked"})
        return True


class TwebOrderLine(models.Model):
    _name = "tweb.order.line"
    _description = "Shop Order Line"

    order_id = fields.Many2one("tweb.order", required=True, ondelete="cascade")
    name = fields.Char("Description", required=True)
    qty = fields.Integer("Quantity", default=1)
    price = fields.Float("Unit Price")
