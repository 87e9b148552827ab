"""Helpdesk tickets: a customer's question, problem, return or complaint.

    ticket = env["helpdesk.ticket"].create({
        "name": "Panels arrived with cracked diffusers", "team_id": support.id,
        "partner_id": mueller.id, "priority": "2",
        "ticket_type_id": env.ref("crm_helpdesk.type_complaint").id})
    ticket.user_id              # a member of the team, when it assigns automatically
    ticket.sla_status_ids       # the SLA policies that apply, with their deadlines
    ticket.action_start()       # the workflow: New -> In Progress -> Solved
    ticket.action_solve()       # closed: close date, the satisfaction survey e-mailed

Stages move through the workflow of data/helpdesk_ticket_workflow.xml (the
buttons, the status bar and kanban moves follow it). Tickets created by
mail (``message_new``, helpdesk_ticket_mail.py) get the sender as customer;
SLAs are in helpdesk_ticket_sla.py. Times (to assign, to the first
response, to close) are counted in working hours of the team's calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api, fields, models

from ..tools.mail import split_name_email

TICKET_PRIORITY = [("0", "Low priority"), ("1", "Medium priority"), ("2", "High priority"),
                   ("3", "Urgent")]
#: fields whose change re-applies the SLA policies
SLA_FIELDS = ("team_id", "priority", "ticket_type_id", "tag_ids", "partner_id")


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _description = "Helpdesk Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin", "rating.mixin"]
    _order = "priority desc, id desc"

    name = fields.Char("Subject", required=True, index=True, tracking=True)
    ticket_ref = fields.Char("Ticket IDs Sequence", copy=False, readonly=True, index=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    team_id = fields.Many2one("helpdesk.team", "Helpdesk Team", index=True, tracking=True,
                              default=lambda self: self._default_team_id(),
                              ondelete="restrict")
    company_id = fields.Many2one("res.company", related="team_id.company_id", store=True,
                                 string="Company", index=True)
    user_id = fields.Many2one("res.users", "Assigned to", index=True, tracking=True,
                              domain=[("share", "=", False)])
    partner_id = fields.Many2one("res.partner", "Customer", index=True, tracking=True,
                                 ondelete="set null")
    commercial_partner_id = fields.Many2one("res.partner", "Customer Company",
                                            related="partner_id.commercial_partner_id",
                                            store=True, index=True)
    partner_name = fields.Char("Customer Name", compute="_compute_partner_info", store=True,
                               readonly=False)
    partner_email = fields.Char("Customer Email", compute="_compute_partner_info",
                                store=True, readonly=False, index=True)
    partner_phone = fields.Char("Customer Phone", compute="_compute_partner_info",
                                store=True, readonly=False)
    stage_id = fields.Many2one("helpdesk.stage", "Stage", index=True, tracking=True,
                               group_expand=True, copy=False, ondelete="restrict")
    is_closed = fields.Boolean(related="stage_id.is_close", store=True, string="Closed")
    priority = fields.Selection(TICKET_PRIORITY, "Priority", default="0", index=True,
                                tracking=True)
    ticket_type_id = fields.Many2one("helpdesk.ticket.type", "Type", tracking=True,
                                     ondelete="set null")
    is_complaint = fields.Boolean(related="ticket_type_id.is_complaint", store=True,
                                  string="Complaint")
    tag_ids = fields.Many2many("helpdesk.tag", "helpdesk_tag_helpdesk_ticket_rel",
                               "helpdesk_ticket_id", "helpdesk_tag_id", "Tags")
    color = fields.Integer("Color Index")
    date_last_stage_update = fields.Datetime("Last Stage Update", copy=False, readonly=True)
    assign_date = fields.Datetime("First assignment date", copy=False, readonly=True)
    assign_hours = fields.Float("Time to first assignment (hours)", copy=False,
                                readonly=True, aggregator="avg",
                                help="Working hours from the creation to the first assignee")
    first_response_date = fields.Datetime("First Response", copy=False, readonly=True,
                                          help="When an agent first wrote to the customer")
    first_response_hours = fields.Float("Hours to First Response", copy=False,
                                        readonly=True, aggregator="avg")
    close_date = fields.Datetime("Close date", copy=False, readonly=True, index=True)
    close_hours = fields.Float("Time to close (hours)", copy=False, readonly=True,
                               aggregator="avg",
                               help="Working hours from the creation to the close")

    # ------------------------------------------------------------------
    # defaults and display
    # ------------------------------------------------------------------
    def _default_team_id(self) -> int | bool:
        Team = self.env["helpdesk.team"]  # noqa: N806
        team = Team.search([("member_ids", "in", [self.env.uid])], limit=1)
        return (team or Team.search([], limit=1)).id or False

    @api.depends("name", "ticket_ref")
    def _compute_display_name(self) -> None:
        for ticket in self:
            ticket.display_name = f"{ticket.name} (#{ticket.ticket_ref})" \
                if ticket.ticket_ref else (ticket.name or "")

    def _display_name_domain(self, operator: str, value: Any) -> list:
        text = str(value or "").lstrip("#") if isinstance(value, str) else value
        if operator in ("!=", "not like", "not ilike", "not in"):
            return ["&", ("name", operator, value), ("ticket_ref", operator, text)]
        return ["|", ("name", operator, value), ("ticket_ref", operator, text)]

    @api.depends("partner_id")
    def _compute_partner_info(self) -> None:
        for ticket in self:
            partner = ticket.partner_id
            if partner:
                ticket.partner_name = partner.name
                ticket.partner_email = partner.email or ticket.partner_email
                ticket.partner_phone = partner.phone or ticket.partner_phone
            else:       # typed by hand, or the sender of a mail: kept
                ticket.partner_name = ticket.partner_name
                ticket.partner_email = ticket.partner_email
                ticket.partner_phone = ticket.partner_phone

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        Sequence = self.env["ir.sequence"].sudo()  # noqa: N806
        for vals in vals_list:
            vals.setdefault("ticket_ref", Sequence.next_by_code("helpdesk.ticket") or False)
            if vals.get("partner_email") and not vals.get("partner_id"):
                partner = self._partner_from_email(vals["partner_email"],
                                                   vals.get("partner_name"))
                vals["partner_id"] = partner.id or False
            if vals.get("user_id"):
                vals.setdefault("assign_date", now)
                vals.setdefault("assign_hours", 0.0)
            vals.setdefault("date_last_stage_update", now)
        tickets = super().create(vals_list)
        tickets._auto_assign()
        tickets._sla_apply()
        for ticket in tickets.sudo().filtered("partner_id"):
            ticket._message_subscribe_partners(ticket.partner_id.ids)
        return tickets

    def write(self, vals):
        stage_change = "stage_id" in vals
        if stage_change:
            vals = dict(vals, date_last_stage_update=fields.Datetime.now())
        before = {t.id: t.stage_id for t in self} if stage_change else {}
        result = super().write(vals)
        if vals.get("user_id"):
            self.filtered(lambda t: not t.assign_date)._set_assigned()
        if any(name in vals for name in SLA_FIELDS):
            self._sla_apply()
        if stage_change:
            self._stage_changed(before)
        return result

    def _set_assigned(self) -> None:
        now = fields.Datetime.now()
        for ticket in self.sudo():
            ticket.write({"assign_date": now,
                          "assign_hours": ticket._working_hours(ticket.create_date, now)})

    def _stage_changed(self, before: dict[int, Any]) -> None:
        for ticket in self.sudo():
            old = before.get(ticket.id)
            if old and old.is_close and not ticket.stage_id.is_close:
                ticket.write({"close_date": False, "close_hours": 0.0})   # reopened
        self._sla_reach_stage()

    @api.model
    def _partner_from_email(self, email: str, name: str | None = None) -> Any:
        """The contact with this address, created when there is none (a customer
        who writes to support for the first time)."""
        partner = self.env["mail.thread"]._mail_find_partner(email)
        if partner:
            return partner
        parsed_name, address = split_name_email(email)
        if not address:
            return self.env["res.partner"]
        return self.env["res.partner"].sudo().create({"name": name or parsed_name or address,
                                                      "email": address})

    # ------------------------------------------------------------------
    # assignment
    # ------------------------------------------------------------------
    def _auto_assign(self) -> None:
        """Give the tickets without an assignee to their team's members, in turn
        (round-robin) or to the least loaded (balanced), one team at a time."""
        pending = self.sudo().filtered(lambda t: not t.user_id and t.team_id.auto_assignment)
        for team in pending.mapped("team_id"):
            tickets = pending.filtered(lambda t, team=team: t.team_id == team).sorted("id")
            for ticket, user in zip(tickets, team._determine_user_to_assign(len(tickets)),
                                    strict=False):
                ticket.write({"user_id": user.id})

    # ------------------------------------------------------------------
    # working hours
    # ------------------------------------------------------------------
    def _calendar(self) -> Any:
        self.ensure_one()
        team = self.sudo().team_id
        return team.resource_calendar_id or (team.company_id or self.env.company) \
            .resource_calendar_id

    def _working_hours(self, start: dt.datetime | None, stop: dt.datetime) -> float:
        """Working hours of the team's calendar between two moments (plain hours
        when there is no calendar)."""
        if not start or not stop or stop <= start:
            return 0.0
        calendar = self._calendar()
        if calendar:
            return round(calendar.get_work_hours_count(start, stop, compute_leaves=True), 2)
        return round((stop - start).total_seconds() / 3600.0, 2)

    # ------------------------------------------------------------------
    # workflow actions (on_enter methods of data/helpdesk_ticket_workflow.xml)
    # ------------------------------------------------------------------
    def _on_closed(self) -> None:
        now = fields.Datetime.now()
        for ticket in self.sudo():
            ticket.write({"close_date": now,
                          "close_hours": ticket._working_hours(ticket.create_date, now)})

    def _on_solved(self) -> None:
        """Solved: closed, and the customer is asked to rate the answer."""
        self._on_closed()
        template = self.env.ref("crm_helpdesk.rating_ticket_request_email_template",
                                raise_if_not_found=False)
        if template is None:
            return
        self.filtered(lambda t: t.sudo().team_id.use_rating and t.partner_id
                      and t.partner_id.email).rating_send_request(template)

    def assign_ticket_to_self(self) -> bool:
        """Odoo's button: the current user takes the ticket."""
        self.write({"user_id": self.env.uid})
        return True
