"""A user's sales team: the first team they lead or belong to."""

from __future__ import annotations

from core import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sale_team_id = fields.Many2one("crm.team", "User Sales Team",
                                   compute="_compute_sale_team_id",
                                   search="_search_sale_team_id")

    def _compute_sale_team_id(self) -> None:
        Team = self.env["crm.team"].sudo()  # noqa: N806
        for user in self:
            user.sale_team_id = Team.search(
                ["|", ("member_ids", "in", [user.id]), ("user_id", "=", user.id)],
                limit=1) if user.id else Team.browse()

    def _search_sale_team_id(self, operator, value):
        if operator in ("=", "in") and value:
            teams = self.env["crm.team"].sudo().browse(
                value if isinstance(value, list) else [value])
            users = teams.mapped("member_ids") | teams.mapped("user_id")
            return [("id", "in", users.ids)]
        return [("id", "in", [])] if operator in ("=", "in") else []
