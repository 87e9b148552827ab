"""Service level agreements: how fast a team answers and solves, in working hours.

    env["helpdesk.sla"].create({
        "name": "VIP: first answer within 2 hours", "team_id": support.id,
        "priority": "2", "target_type": "first_response", "time": 2,
        "partner_category_ids": [(6, 0, [vip.id])]})
    env["helpdesk.sla"].create({
        "name": "Solved within 3 working days", "team_id": support.id, "priority": "0",
        "target_type": "stage", "stage_id": env.ref("crm_helpdesk.stage_solved").id,
        "time": 24})

A policy applies to the tickets of its team with its priority (Odoo 17: the
same priority, not "at least"), of one of its ticket types (any when none is
given), carrying all its tags, and — for customer tiers — whose customer (or
the customer's company) is one of ``partner_ids`` or has one of the contact
tags ``partner_category_ids`` (e.g. "VIP", "Distributor"). Its target is the
first response (the first message an agent sends the customer) or reaching
a stage; ``time`` counts the working hours of the team's calendar from the
ticket's creation.
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

from .helpdesk_ticket import TICKET_PRIORITY

TARGET_TYPES = [("first_response", "First response"), ("stage", "Reach a stage")]
#: an SLA is "at risk" when less than this share of its time is left
AT_RISK_SHARE = 0.2


class HelpdeskSLA(models.Model):
    _name = "helpdesk.sla"
    _description = "Helpdesk SLA Policies"
    _order = "team_id, priority desc, time, id"

    name = fields.Char("SLA Policy Name", required=True, translate=True)
    description = fields.Html("SLA Policy Description", translate=True)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one("helpdesk.team", "Helpdesk Team", required=True,
                              ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", related="team_id.company_id", store=True)
    priority = fields.Selection(TICKET_PRIORITY, "Priority", required=True, default="0")
    ticket_type_ids = fields.Many2many("helpdesk.ticket.type", "helpdesk_sla_ticket_type_rel",
                                       "sla_id", "type_id", "Ticket Types",
                                       help="Any type when empty")
    tag_ids = fields.Many2many("helpdesk.tag", "helpdesk_sla_tag_rel", "sla_id", "tag_id",
                               "Tags", help="The ticket must carry all these tags")
    partner_ids = fields.Many2many("res.partner", "helpdesk_sla_res_partner_rel", "sla_id",
                                   "partner_id", "Customers")
    partner_category_ids = fields.Many2many(
        "res.partner.category", "helpdesk_sla_partner_category_rel", "sla_id",
        "category_id", "Customer Tiers",
        help="Customers with one of these contact tags (VIP, Distributor...)")
    target_type = fields.Selection(TARGET_TYPES, "Target", required=True, default="stage")
    stage_id = fields.Many2one("helpdesk.stage", "Reach Stage", ondelete="restrict",
                               help="The SLA is reached when the ticket gets to this stage "
                                    "or a later one")
    time = fields.Float("Within", required=True, default=8.0,
                        help="Working hours of the team's schedule, from the ticket's "
                             "creation")
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    @api.constrains("target_type", "stage_id", "time")
    def _check_target(self) -> None:
        for sla in self:
            if sla.target_type == "stage" and not sla.stage_id:
                raise ValidationError(_(self.env, "SLA %(name)s: choose the stage to reach.",
                                        name=sla.name))
            if sla.time <= 0:
                raise ValidationError(_(self.env, "SLA %(name)s: the time must be more than "
                                        "0 hours.", name=sla.name))

    def _compute_ticket_count(self) -> None:
        groups = self.env["helpdesk.sla.status"].read_group(
            [("sla_id", "in", self.ids)], ["sla_id"], ["sla_id"]) if self.ids else []
        counts = {g["sla_id"][0]: g["sla_id_count"] for g in groups if g["sla_id"]}
        for sla in self:
            sla.ticket_count = counts.get(sla.id, 0)

    def _applies_to(self, ticket: Any) -> bool:
        """Whether this policy covers ``ticket`` (read as superuser)."""
        self.ensure_one()
        if self.team_id != ticket.team_id or self.priority != ticket.priority:
            return False
        if self.ticket_type_ids and ticket.ticket_type_id not in self.ticket_type_ids:
            return False
        if self.tag_ids and self.tag_ids - ticket.tag_ids:
            return False
        partner = ticket.partner_id
        customers = partner | partner.commercial_partner_id if partner else partner
        if self.partner_ids and not (self.partner_ids & customers):
            return False
        if self.partner_category_ids and not (
                self.partner_category_ids & customers.mapped("category_id")):
            return False
        return True

    def _calendar(self) -> Any:
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.team_id.company_id.resource_calendar_id
