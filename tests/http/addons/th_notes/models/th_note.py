from core import fields, models


class ThNote(models.Model):
    _name = "th.note"
    _description = "Note"
    _order = "id"

    name = fields.Char(required=True)
    body = fields.Text()
