from core import fields, models


class Tag(models.Model):
    _name = "tm.tag"
    _description = "Book Tag"
    _order = "name"

    name = fields.Char(required=True)
    color = fields.Integer()


class Book(models.Model):
    _name = "tm.book"
    _description = "Book"
    _order = "name, id"

    name = fields.Char(required=True)
    isbn13 = fields.Char(index=True)          # was isbn: renamed by migrations/1.1/pre-rename.py
    pages = fields.Integer()
    tag_ids = fields.Many2many("tm.tag")
    subtitle = fields.Char()                  # new, filled by migrations/1.1/post-fill.py
    edition = fields.Integer(required=True, default=1)   # new, required
