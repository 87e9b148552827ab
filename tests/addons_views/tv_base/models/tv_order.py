from core import fields, models


class TvOrder(models.Model):
    _name = "tv.order"
    _description = "Test Order"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done"),
                              ("cancel", "Cancelled")], default="draft", required=True)
    partner_id = fields.Many2one("res.partner", "Customer")
    date = fields.Date()
    date_deadline = fields.Date("Deadline")
    amount = fields.Float()
    tag_ids = fields.Many2many("res.partner.category", string="Tags")
    line_ids = fields.One2many("tv.order.line", "order_id", "Lines")
    note = fields.Text()
    secret = fields.Char(groups="base.group_system")
    manager_note = fields.Char(groups="tv_base.group_tv_manager")

    def action_confirm(self):
        self.write({"state": "confirmed"})
        return True

    def _private_helper(self):
        return True


class TvOrderLine(models.Model):
    _name = "tv.order.line"
    _description = "Test Order Line"

    order_id = fields.Many2one("tv.order", "Order", required=True, ondelete="cascade")
    product = fields.Char(required=True)
    qty = fields.Float("Quantity", default=1.0)
    price = fields.Float()
    note = fields.Text()
