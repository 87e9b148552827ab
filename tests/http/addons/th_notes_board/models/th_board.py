from core import fields, models


class ThBoard(models.Model):
    _name = "th.board"
    _description = "Board"

    name = fields.Char(required=True)
    note_ids = fields.Many2many("th.note")
