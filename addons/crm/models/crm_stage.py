"""Pipeline stages: New, Qualified, Quotation, Negotiation, Won.

    won = env["crm.stage"].create({"name": "Won", "is_won": True, "sequence": 70})
    env["crm.stage"].create({"name": "Samples", "team_id": europe.id, "probability": 40,
                             "rotting_threshold_days": 14})

A stage without a team is shared by every team; a team's own stages are
for its leads only. Each stage gives the probability a deal reaching it
gets (Odoo <= 12's stage probability: a small exporter trusts numbers it
set itself more than a learned score), folds in the kanban when done, and
says after how many days without a move a deal in it is *rotting*.
Lost is not a stage: a lost deal is archived with a reason.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class CrmStage(models.Model):
    _name = "crm.stage"
    _description = "CRM Stages"
    _order = "sequence, name, id"

    name = fields.Char("Stage Name", required=True, translate=True)
    sequence = fields.Integer(default=1, help="Used to order stages. Lower is better.")
    is_won = fields.Boolean("Is Won Stage?", help="Deals in this stage are won")
    probability = fields.Float("Probability (%)", digits=(16, 2), default=10.0,
                               help="The probability a deal in this stage is won; a deal "
                                    "that reaches it gets it (unless set by hand)")
    requirements = fields.Text(help="What a deal needs to enter this stage; shown as a "
                                    "tooltip over its column")
    team_id = fields.Many2one("crm.team", "Sales Team", ondelete="set null", index=True,
                              help="The team that uses this stage; other teams do not "
                                   "see it. Empty: every team uses it.")
    fold = fields.Boolean("Folded in Pipeline",
                          help="The column is folded in the kanban when it has no deal "
                               "to show")
    rotting_threshold_days = fields.Integer(
        "Days to Rot", default=0,
        help="A deal staying longer than this in the stage is flagged as rotting; 0: never")

    @api.constrains("probability", "is_won")
    def _check_probability(self) -> None:
        for stage in self:
            if not 0 <= stage.probability <= 100:
                raise ValidationError(_(self.env, "The probability of a stage lies between "
                                        "0 and 100 %%, not %s.", stage.probability))
            if stage.rotting_threshold_days < 0:
                raise ValidationError(_(self.env, "The days to rot cannot be negative."))

    def _deal_probability(self) -> float:
        """The probability a deal entering this stage gets (100 for won stages)."""
        self.ensure_one()
        return 100.0 if self.is_won else self.probability
