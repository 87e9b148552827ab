from core import fields, models


class Book(models.Model):
    _inherit = "tm.book"

    language = fields.Char(default="en")
    copies = fields.Integer(required=True, default=1)
    author_id = fields.Many2one("tm.author", ondelete="set null", index=True)
    reviewer_ids = fields.Many2many("tm.author", "tm_book_reviewer_rel", "book_id",
                                    "author_id")
