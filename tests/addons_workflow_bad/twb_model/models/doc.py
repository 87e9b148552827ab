from core import fields, models


class TwbDoc(models.Model):
    """A model without mail support (no activities, no templates)."""

    _name = "twb.doc"
    _description = "Document"

    name = fields.Char(required=True)
    user_id = fields.Many2one("res.users")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
