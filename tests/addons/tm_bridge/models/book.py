from core import fields, models


class Book(models.Model):
    _inherit = "tm.book"

    other_id = fields.Many2one("tm.other")
