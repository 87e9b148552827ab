from core import fields, models


class Author(models.Model):
    _name = "tm.author"
    _description = "Author"

    name = fields.Char(required=True)
    book_ids = fields.One2many("tm.book", "author_id")
