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
    isbn = fields.Char(index=True)
    pages = fields.Integer()
    tag_ids = fields.Many2many("tm.tag")
