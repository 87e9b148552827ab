from core import fields, models


class TwStage(models.Model):
    _name = "tw.stage"
    _description = "Stage"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)


class TwCard(models.Model):
    """A workflow on a many2one state field: the states are tw.stage records."""

    _name = "tw.card"
    _description = "Card"

    name = fields.Char(required=True)
    stage_id = fields.Many2one("tw.stage")
