from core import fields, models


class Bad(models.Model):
    _name = "tm.bad"
    _description = "Never installed"

    name = fields.Char()


class Book(models.Model):
    _inherit = "tm.book"

    bad_flag = fields.Boolean(default=True)
