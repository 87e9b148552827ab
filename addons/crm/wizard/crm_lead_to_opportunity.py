"""Converting a lead (Odoo's ``crm.lead2opportunity.partner``): the customer to
create or link, the duplicates to merge, the salesperson and team.

    wizard = env["crm.lead2opportunity.partner"].create({"lead_id": lead.id})
    wizard.action            # 'exist' when a matching customer was found, else 'create'
    wizard.name              # 'merge' when the lead has duplicates, else 'convert'
    wizard.action_apply()    # the deal, with its customer
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models


class CrmLead2OpportunityPartner(models.TransientModel):
    _name = "crm.lead2opportunity.partner"
    _description = "Convert Lead to Opportunity (not in mass)"

    lead_id = fields.Many2one("crm.lead", "Associated Lead", required=True,
                              ondelete="cascade")
    name = fields.Selection([("convert", "Convert to opportunity"),
                             ("merge", "Merge with existing opportunities")],
                            "Conversion Action", default="convert")
    action = fields.Selection([("create", "Create a new customer"),
                               ("exist", "Link to an existing customer"),
                               ("nothing", "Do not link to a customer")],
                              "Related Customer", default="create")
    duplicated_lead_ids = fields.Many2many("crm.lead", "crm_convert_lead_mass_lead_rel",
                                           "wizard_id", "lead_id", "Opportunities")
    partner_id = fields.Many2one("res.partner", "Customer")
    user_id = fields.Many2one("res.users", "Salesperson", domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", "Sales Team")
    force_assignment = fields.Boolean("Force assignment", default=True,
                                      help="Give the salesperson and team even to a lead "
                                           "that has some")

    @api.model_create_multi
    def create(self, vals_list):
        """What the lead suggests fills what is not given: its duplicates, the
        matching customer, its salesperson and that person's team."""
        return super().create([{**self._values_from_lead(vals.get("lead_id"), vals), **vals}
                               for vals in vals_list])

    def _values_from_lead(self, lead_id: int | None, given: dict) -> dict:
        lead = self.env["crm.lead"].browse(lead_id)
        if not lead:
            return {}
        duplicates = lead._get_lead_duplicates(include_lost=False) | lead
        partner = lead._find_matching_partner()
        user = self.env["res.users"].browse(given.get("user_id")) or lead.user_id or \
            self.env.user
        team = lead.team_id
        if not team or (user not in team.member_ids and user != team.user_id):
            team = self.env["crm.team"]._get_default_team_id(user_id=user.id) or team
        action = "exist" if partner else ("create" if lead.partner_name or lead.contact_name
                                          or lead.email_from else "nothing")
        return {"duplicated_lead_ids": [(6, 0, duplicates.ids)],
                "name": "merge" if len(duplicates) > 1 else "convert",
                "partner_id": partner.id or False, "action": action,
                "user_id": user.id, "team_id": team.id or False}

    def action_apply(self) -> dict:
        """Convert (after merging the duplicates when asked); open the deal."""
        self.ensure_one()
        # merging may delete the wizard's lead, and the wizard with it: read it first
        choice = {"action": self.action, "partner": self.partner_id, "user": self.user_id,
                  "team": self.team_id, "force": self.force_assignment}
        lead = self.lead_id
        if self.name == "merge" and len(self.duplicated_lead_ids) > 1:
            lead = self.duplicated_lead_ids.merge_opportunity()
        _convert(lead, **choice)
        return {"type": "ir.actions.act_window", "res_model": "crm.lead", "res_id": lead.id,
                "view_mode": "form"}


def _convert(lead: Any, action: str, partner: Any, user: Any, team: Any, force: bool) -> None:
    if action == "exist" and partner:
        lead._handle_partner_assignment(force_partner_id=partner.id)
    elif action == "create":
        lead._handle_partner_assignment(create_missing=True)
    user_ids = [user.id] if user and (force or not lead.user_id) else False
    lead.convert_opportunity(lead.partner_id, user_ids=user_ids, team_id=team.id or False)
