"""Sales teams: a leader and the salespeople who report to them.

    europe = env["crm.team"].create({"name": "Europe", "user_id": manager.id,
                                     "member_ids": [(6, 0, [alice.id, bob.id])]})
    alice.sale_team_id                       # europe
    env["crm.team"]._get_default_team_id(user_id=alice.id)

The team leader is the salesperson's manager: Sales asks them to approve
discounts beyond the company's threshold. CRM extends this model.
"""

from __future__ import annotations

from core import api, fields, models


class CrmTeam(models.Model):
    _name = "crm.team"
    _description = "Sales Team"
    _order = "sequence, name, id"

    name = fields.Char("Sales Team", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", "Company", index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    user_id = fields.Many2one("res.users", "Team Leader", index=True,
                              help="Approves what the team's salespeople may not decide alone")
    member_ids = fields.Many2many("res.users", "crm_team_member_rel", "crm_team_id",
                                  "user_id", "Salespersons",
                                  domain=[("share", "=", False)])
    color = fields.Integer("Color Index")

    @api.depends("company_id")
    def _compute_currency_id(self) -> None:
        for team in self:
            team.currency_id = (team.company_id or self.env.company).currency_id

    @api.model
    def _get_default_team_id(self, user_id: int | None = None, domain: list | None = None):
        """The team of the user (leader or member), else the first team."""
        user_id = user_id or self.env.uid
        scope = ["|", ("company_id", "=", False),
                 ("company_id", "in", self.env.companies.ids)] + list(domain or [])
        team = self.search(scope + ["|", ("user_id", "=", user_id),
                                    ("member_ids", "in", [user_id])], limit=1)
        return team or self.search(scope, limit=1)
