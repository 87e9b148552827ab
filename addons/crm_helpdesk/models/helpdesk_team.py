"""Helpdesk teams: who answers, when they work, how tickets reach them.

    support = env["helpdesk.team"].create({
        "name": "Export Support", "user_id": leader.id,
        "member_ids": [(6, 0, [mei.id, tom.id])],
        "auto_assignment": True, "assign_method": "balanced",
        "alias_name": "support"})        # mail to support@<catchall domain> opens tickets
    support._determine_user_to_assign(3)  # the next three assignees

Assignment (Odoo's two methods): ``randomly`` hands tickets round the members
in turn, after the one who got the team's last ticket (each member gets as
many tickets); ``balanced`` gives each ticket to the member with the fewest
open tickets of the team. The team leader (``user_id``) is told when a ticket
fails its SLA, and takes it over when ``escalate_reassign`` is set. Tickets
created through the alias get the team; its working hours
(``resource_calendar_id``) time its SLAs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core import api, fields, models

ASSIGN_METHODS = [("randomly", "Each user is assigned an equal number of tickets"),
                  ("balanced", "Each user has an equal number of open tickets")]


class HelpdeskTeam(models.Model):
    _name = "helpdesk.team"
    _inherit = ["mail.thread"]
    _description = "Helpdesk Team"
    _order = "sequence, name, id"

    name = fields.Char("Helpdesk Team", required=True, translate=True)
    description = fields.Text("About Team", translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer("Color Index")
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", "Team Leader", domain=[("share", "=", False)],
                              tracking=True,
                              help="Told when a ticket of the team fails its SLA")
    member_ids = fields.Many2many("res.users", "helpdesk_team_res_users_rel", "team_id",
                                  "user_id", "Team Members", domain=[("share", "=", False)])
    auto_assignment = fields.Boolean("Automatic Assignment",
                                     help="New tickets without an assignee get one of the "
                                          "team members")
    assign_method = fields.Selection(ASSIGN_METHODS, "Assignment Method", required=True,
                                     default="randomly")
    resource_calendar_id = fields.Many2one(
        "resource.calendar", "Working Hours", ondelete="restrict",
        default=lambda self: self.env.company.resource_calendar_id,
        help="SLA deadlines count the working hours of this schedule")
    use_sla = fields.Boolean("SLA Policies", default=True)
    use_rating = fields.Boolean("Customer Ratings", default=True,
                                help="Send a satisfaction survey when a ticket is solved")
    escalate_reassign = fields.Boolean(
        "Escalation Reassigns", help="A ticket that fails its SLA is reassigned to the team "
                                     "leader (who is told in any case)")
    sla_ids = fields.One2many("helpdesk.sla", "team_id", "SLA Policies")
    ticket_ids = fields.One2many("helpdesk.ticket", "team_id", "Tickets")
    alias_id = fields.Many2one("mail.alias", "Alias", ondelete="set null", copy=False,
                               readonly=True)
    alias_name = fields.Char("Alias Name", compute="_compute_alias_name",
                             inverse="_inverse_alias_name",
                             help="Mail to this address (at the catchall domain) opens a "
                                  "ticket of the team")
    alias_email = fields.Char("Alias Email", compute="_compute_alias_name")
    open_ticket_count = fields.Integer("# Open Tickets", compute="_compute_ticket_stats")
    unassigned_ticket_count = fields.Integer("# Unassigned Tickets",
                                             compute="_compute_ticket_stats")
    sla_failed_count = fields.Integer("# Failed SLA Tickets", compute="_compute_ticket_stats")
    rating_avg = fields.Float("Average Rating", compute="_compute_rating_avg", digits=(16, 2))

    # ------------------------------------------------------------------
    # alias
    # ------------------------------------------------------------------
    @api.depends("alias_id.alias_name")
    def _compute_alias_name(self) -> None:
        for team in self:
            alias = team.alias_id.sudo()
            team.alias_name = alias.alias_name or False
            team.alias_email = alias.alias_full_name or False

    def _inverse_alias_name(self) -> None:
        for team in self:
            name = (team.alias_name or "").strip()
            alias = team.alias_id.sudo()
            if alias and name:
                alias.alias_name = name
            elif alias:
                team.sudo().alias_id = False
                alias.unlink()
            elif name:
                team.sudo().alias_id = self.env["mail.alias"].sudo().create(
                    team._alias_values(name)).id

    def _alias_values(self, name: str) -> dict[str, Any]:
        models_ = self.env["ir.model"].sudo()
        return {"alias_name": name, "alias_model_id": models_._get_id("helpdesk.ticket"),
                "alias_defaults": repr({"team_id": self.id}),
                "alias_parent_model_id": models_._get_id("helpdesk.team"),
                "alias_parent_thread_id": self.id, "alias_contact": "everyone"}

    def unlink(self):
        aliases = self.sudo().mapped("alias_id")
        result = super().unlink()
        aliases.unlink()
        return result

    # ------------------------------------------------------------------
    # statistics
    # ------------------------------------------------------------------
    def _compute_ticket_stats(self) -> None:
        Ticket = self.env["helpdesk.ticket"]  # noqa: N806
        scope = [("team_id", "in", self.ids), ("stage_id.is_close", "=", False)]
        counts = self._count_by_team(Ticket, scope)
        unassigned = self._count_by_team(Ticket, scope + [("user_id", "=", False)])
        failed = self._count_by_team(Ticket, scope + [("sla_fail", "=", True)])
        for team in self:
            team.open_ticket_count = counts.get(team.id, 0)
            team.unassigned_ticket_count = unassigned.get(team.id, 0)
            team.sla_failed_count = failed.get(team.id, 0)

    @staticmethod
    def _count_by_team(model: Any, domain: list) -> dict[int, int]:
        if not domain[0][2]:
            return {}
        groups = model.read_group(domain, ["team_id"], ["team_id"])
        return {g["team_id"][0]: g["team_id_count"] for g in groups if g["team_id"]}

    def _compute_rating_avg(self) -> None:
        groups = self.env["helpdesk.ticket"].read_group(
            [("team_id", "in", self.ids), ("rating_last_value", ">", 0)],
            ["rating_last_value:avg"], ["team_id"]) if self.ids else []
        averages = {g["team_id"][0]: g["rating_last_value"] for g in groups if g["team_id"]}
        for team in self:
            team.rating_avg = averages.get(team.id, 0.0)

    # ------------------------------------------------------------------
    # assignment
    # ------------------------------------------------------------------
    def _determine_user_to_assign(self, count: int = 1) -> list[Any]:
        """The members who get the team's next ``count`` tickets, in order
        (empty when the team assigns by hand or has no member)."""
        self.ensure_one()
        members = self.sudo().member_ids.filtered("active").sorted("id")
        if not self.auto_assignment or not members or count <= 0:
            return []
        if self.assign_method == "balanced":
            return self._assign_balanced(members, count)
        return self._assign_round_robin(members, count)

    def _assign_round_robin(self, members: Any, count: int) -> list[Any]:
        last = self.env["helpdesk.ticket"].sudo().search(
            [("team_id", "=", self.id), ("user_id", "in", members.ids)],
            order="assign_date desc, id desc", limit=1).user_id
        start = (list(members).index(last) + 1) if last in members else 0
        return [members[(start + i) % len(members)] for i in range(count)]

    def _assign_balanced(self, members: Any, count: int) -> list[Any]:
        groups = self.env["helpdesk.ticket"].sudo().read_group(
            [("team_id", "=", self.id), ("user_id", "in", members.ids),
             ("stage_id.is_close", "=", False)], ["user_id"], ["user_id"])
        load = Counter({g["user_id"][0]: g["user_id_count"] for g in groups})
        order = {user.id: index for index, user in enumerate(members)}
        chosen = []
        for _i in range(count):
            user = min(members, key=lambda u: (load[u.id], order[u.id]))
            load[user.id] += 1
            chosen.append(user)
        return chosen
