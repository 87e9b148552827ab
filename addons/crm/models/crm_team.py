"""Sales teams in the pipeline: their leads, markets and assignment rules.

    europe.market_ids = [(6, 0, [env.ref("crm.market_europe").id])]
    europe.assignment_domain = "[('source_id.name', '=', 'Light + Building')]"
    env["crm.team"]._assign_leads(unassigned)   # team by market/domain, then round-robin
    europe.action_assign_leads()                # the team's unassigned leads, in turn

Assignment (Odoo's rule-based assignment, made plain): a deal without a
team goes to the first team (by sequence) whose markets hold its market or
whose ``assignment_domain`` it matches; failing that, to the first team
with neither (a catch-all). A deal without a salesperson then goes to the
team's members in turn (round-robin, in the order of their ids), the team
remembering whom it gave the last one to. The scheduled job
``crm.ir_cron_crm_lead_assign`` does it every hour for leads nobody took.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _
from core.modules.safe_eval import literal_eval_with_refs


class CrmTeam(models.Model):
    _inherit = "crm.team"

    use_leads = fields.Boolean("Leads", default=True,
                               help="The team qualifies leads before they become deals")
    use_opportunities = fields.Boolean("Pipeline", default=True)
    market_ids = fields.Many2many("res.country.group", "crm_team_market_rel", "team_id",
                                  "market_id", "Markets", domain=[("is_market", "=", True)],
                                  help="Leads of these markets are assigned to this team")
    assignment_domain = fields.Char(
        "Assignment Domain",
        help="Leads matching this domain are assigned to this team, e.g. "
             "[('country_id.code', 'in', ['DE', 'AT'])]")
    assignment_optout = fields.Boolean("Skip auto assignment")
    assignment_last_user_id = fields.Many2one("res.users", "Last Assigned", readonly=True,
                                              ondelete="set null")
    opportunities_count = fields.Integer("# Opportunities",
                                         compute="_compute_opportunities_data")
    opportunities_amount = fields.Monetary("Opportunities Revenues",
                                           currency_field="currency_id",
                                           compute="_compute_opportunities_data")

    @api.constrains("assignment_domain")
    def _check_assignment_domain(self) -> None:
        for team in self:
            try:
                domain = team._assignment_domain()
                self.env["crm.lead"].search_count(domain)
            except (ValueError, SyntaxError) as exc:
                raise ValidationError(_(self.env, "The assignment domain of %(team)s is not "
                                        "valid: %(error)s", team=team.name,
                                        error=str(exc))) from None

    def _assignment_domain(self) -> list:
        self.ensure_one()
        if not self.assignment_domain:
            return []
        domain = literal_eval_with_refs(self.assignment_domain,
                                        lambda xmlid: self.env.ref(xmlid).id)
        if not isinstance(domain, (list, tuple)):
            raise ValueError("a domain is a list")
        return list(domain)

    def _compute_opportunities_data(self) -> None:
        data: dict[int, tuple[int, float]] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            groups = self.env["crm.lead"].read_group(
                [("team_id", "in", ids), ("type", "=", "opportunity"),
                 ("won_status", "=", "pending")],
                ["company_expected_revenue:sum"], ["team_id"])
            data = {g["team_id"][0]: (g["team_id_count"], g["company_expected_revenue"])
                    for g in groups}
        for team in self:
            team.opportunities_count, team.opportunities_amount = data.get(team.id, (0, 0.0))

    # ------------------------------------------------------------------
    # assignment
    # ------------------------------------------------------------------
    @api.model
    def _assign_leads(self, leads: Any) -> dict[int, list[int]]:
        """Give team and salesperson to the leads that lack them; returns
        {user id: lead ids} of what was assigned to salespeople."""
        leads = leads.filtered(lambda lead: lead.active and lead.won_status == "pending")
        without_team = leads.filtered(lambda lead: not lead.team_id)
        if without_team:
            for team, matched in self._match_teams(without_team).items():
                matched.write({"team_id": team.id})
        assigned: dict[int, list[int]] = defaultdict(list)
        for team, team_leads in leads.filtered(lambda lead: not lead.user_id and lead.team_id) \
                .grouped("team_id").items():
            for user_id, ids in team._round_robin(team_leads).items():
                assigned[user_id] += ids
        return dict(assigned)

    @api.model
    def _match_teams(self, leads: Any) -> dict[Any, Any]:
        """{team: leads} by markets, then assignment domains, then the catch-all team."""
        teams = self.search([("assignment_optout", "=", False)], order="sequence, id")
        result: dict[Any, Any] = defaultdict(lambda: self.env["crm.lead"])
        left = leads
        for team in teams:
            if not left:
                break
            taken = self.env["crm.lead"]
            if team.market_ids:
                markets = set(team.market_ids.ids)
                taken |= left.filtered(lambda lead, m=markets: lead.market_id.id in m)
            if team.assignment_domain:
                taken |= left.filtered_domain(team._assignment_domain())
            if taken:
                result[team] |= taken
                left -= taken
        catch_all = teams.filtered(lambda t: not t.market_ids and not t.assignment_domain)[:1]
        if left and catch_all:
            result[catch_all] |= left
        return dict(result)

    def _round_robin(self, leads: Any) -> dict[int, list[int]]:
        """The team's members get the leads in turn, after the last one served."""
        self.ensure_one()
        members = sorted(set(self.member_ids.filtered("active").ids))
        if not members:
            return {}
        last = self.assignment_last_user_id.id
        start = (members.index(last) + 1) if last in members else 0
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, lead in enumerate(leads.sorted("id")):
            buckets[members[(start + index) % len(members)]].append(lead.id)
        for user_id, ids in buckets.items():
            self.env["crm.lead"].browse(ids).write({"user_id": user_id})
        self.sudo().write({"assignment_last_user_id":
                           members[(start + len(leads) - 1) % len(members)]})
        return dict(buckets)

    def action_assign_leads(self) -> bool:
        """The "Assign leads" button: this team's leads without a salesperson."""
        for team in self:
            leads = self.env["crm.lead"].search([("team_id", "=", team.id),
                                                 ("user_id", "=", False)])
            self._assign_leads(leads)
        return True

    @api.model
    def _cron_assign_leads(self) -> None:
        """Every hour: the leads nobody took get a team and a salesperson."""
        leads = self.env["crm.lead"].search(["|", ("team_id", "=", False),
                                             ("user_id", "=", False)], limit=5000)
        self._assign_leads(leads)

    def action_open_pipeline(self) -> dict:
        """The team's pipeline (smart button)."""
        self.ensure_one()
        action = self.env.ref("crm.crm_lead_action_pipeline")
        return {"type": "ir.actions.act_window", "id": action.id, "name": self.name,
                "res_model": "crm.lead", "view_mode": "kanban,list,form",
                "domain": [("team_id", "=", self.id), ("type", "=", "opportunity")]}
