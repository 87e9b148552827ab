from core import fields, models


class Note(models.Model):
    _name = "tm.note"
    _description = "Note"
    _order = "id"

    name = fields.Char(required=True)
    body = fields.Text()
    book_id = fields.Many2one("tm.book", ondelete="cascade")
    tag_ids = fields.Many2many("tm.tag")
    count = fields.Integer()
    ratio = fields.Float()
    flag = fields.Boolean()
    day = fields.Date()
    kind = fields.Selection([("short", "Short"), ("long", "Long")])
