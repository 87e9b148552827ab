from core import fields, models


class Book(models.Model):
    _inherit = "tm.book"

    shelf_code = fields.Char(required=True)
