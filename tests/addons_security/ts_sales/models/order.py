from core import fields, models


class Tag(models.Model):
    _name = "ts.tag"
    _description = "Order Tag"
    _order = "name"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", "Company")


class Order(models.Model):
    _name = "ts.order"
    _description = "Sales Order"
    _order = "id"

    name = fields.Char(required=True)
    user_id = fields.Many2one("res.users", "Salesperson", default=lambda self: self.env.uid,
                              index=True)
    company_id = fields.Many2one("res.company", "Company", index=True,
                                 default=lambda self: self.env.company.id)
    partner_id = fields.Many2one("res.partner", "Customer", check_company=True)
    tag_ids = fields.Many2many("ts.tag", string="Tags", check_company=True)
    amount = fields.Float()
    margin = fields.Float(groups="base.group_system", help="Only for settings administrators")
    locked = fields.Boolean(help="Locked orders cannot be modified or deleted")


class Partner(models.Model):
    _inherit = "res.partner"

    order_ids = fields.One2many("ts.order", "partner_id", "Orders")
