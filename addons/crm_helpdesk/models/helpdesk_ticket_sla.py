"""The SLAs of tickets: which policies apply, their deadlines, reaching and failing.

    ticket.sla_status_ids      # one helpdesk.sla.status per policy that applies
    ticket.sla_deadline        # the nearest deadline not reached yet
    ticket.sla_state           # on_track, at_risk, failed, reached, none (live, for the board)
    env["helpdesk.ticket"].search([("sla_fail", "=", True)])

The policies are applied when a ticket is created and again when its team,
priority, type, tags or customer change (statuses already reached stay);
deadlines count the policy's working hours from the ticket's creation in
the team's calendar. A first-response SLA is reached by the first message
an agent sends the customer, a stage SLA by getting to that stage or a later
one (and unreached when the ticket goes back). When an SLA fails, the
automated action escalates: the team leader is told (a message naming them
and a to-do) and, if the team says so, becomes the assignee.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from core import api, fields, models
from core.i18n import _, format_datetime

from . import helpdesk_sla_status as status_module

SLA_STATES = [("none", "No SLA"), ("on_track", "On track"), ("at_risk", "At risk"),
              ("failed", "Failed"), ("reached", "Reached")]


class HelpdeskTicketSLA(models.Model):
    _inherit = "helpdesk.ticket"

    sla_status_ids = fields.One2many("helpdesk.sla.status", "ticket_id", "SLA Status")
    sla_ids = fields.Many2many("helpdesk.sla", string="SLAs", compute="_compute_sla_ids")
    sla_deadline = fields.Datetime("SLA Deadline", compute="_compute_sla_summary",
                                   store=True, index=True,
                                   help="The nearest deadline of the SLAs not reached yet")
    sla_reached_late = fields.Boolean("Has SLA reached late", compute="_compute_sla_summary",
                                      store=True)
    sla_reached = fields.Boolean("Has SLA reached", compute="_compute_sla_summary",
                                 store=True, help="Every SLA of the ticket was reached in time")
    sla_fail = fields.Boolean("Failed SLA Policy", compute="_compute_sla_live",
                              search="_search_sla_fail")
    sla_success = fields.Boolean("Success SLA Policy", compute="_compute_sla_live",
                                 search="_search_sla_success")
    sla_state = fields.Selection(SLA_STATES, "SLA Status", compute="_compute_sla_live",
                                 help="On track; at risk when less than a fifth of the time "
                                      "is left; failed; reached")
    sla_deadline_hours = fields.Float("Working Hours until SLA Deadline",
                                      compute="_compute_sla_live")

    @api.depends("sla_status_ids.sla_id")
    def _compute_sla_ids(self) -> None:
        for ticket in self:
            ticket.sla_ids = ticket.sla_status_ids.mapped("sla_id")

    @api.depends("sla_status_ids.deadline", "sla_status_ids.reached_datetime",
                 "sla_status_ids.status")
    def _compute_sla_summary(self) -> None:
        for ticket in self:
            statuses = ticket.sla_status_ids
            open_deadlines = [s.deadline for s in statuses
                              if s.deadline and not s.reached_datetime]
            ticket.sla_deadline = min(open_deadlines) if open_deadlines else False
            ticket.sla_reached_late = any(s.reached_datetime and s.deadline
                                          and s.reached_datetime > s.deadline
                                          for s in statuses)
            ticket.sla_reached = bool(statuses) and all(s.status == "reached"
                                                        for s in statuses)

    @api.depends("sla_status_ids.deadline", "sla_status_ids.reached_datetime",
                 "sla_status_ids.risk_date", "sla_deadline")
    def _compute_sla_live(self) -> None:
        moment = status_module.now()
        for ticket in self:
            state = ticket._sla_state_at(moment)
            ticket.sla_state = state
            ticket.sla_fail = state == "failed"
            ticket.sla_success = state == "reached"
            ticket.sla_deadline_hours = ticket._sla_hours_left(moment)

    def _sla_state_at(self, moment: dt.datetime) -> str:
        statuses = self.sla_status_ids
        if not statuses:
            return "none"
        for status in statuses:
            if status.reached_datetime:
                if status.deadline and status.reached_datetime > status.deadline:
                    return "failed"
            elif status.deadline and status.deadline <= moment:
                return "failed"
        ongoing = statuses.filtered(lambda s: not s.reached_datetime)
        if not ongoing:
            return "reached"
        if any(s.risk_date and s.risk_date <= moment for s in ongoing):
            return "at_risk"
        return "on_track"

    def _sla_hours_left(self, moment: dt.datetime) -> float:
        if not self.sla_deadline or not self.id:
            return 0.0
        if self.sla_deadline >= moment:
            return self._working_hours(moment, self.sla_deadline)
        return -self._working_hours(self.sla_deadline, moment)

    def _search_sla_fail(self, operator: str, value: Any) -> list:
        failing = ["|", ("sla_status_ids", "any", [
            ("reached_datetime", "=", False), ("deadline", "<=", status_module.now())]),
            ("sla_reached_late", "=", True)]
        positive = (operator == "=") == bool(value)
        return failing if positive else ["!"] + failing

    def _search_sla_success(self, operator: str, value: Any) -> list:
        success = [("sla_reached", "=", True)]
        positive = (operator == "=") == bool(value)
        return success if positive else ["!"] + success

    # ------------------------------------------------------------------
    # applying the policies
    # ------------------------------------------------------------------
    def _sla_find(self) -> Any:
        """The policies that apply to this ticket."""
        self.ensure_one()
        ticket = self.sudo()
        SLA = self.env["helpdesk.sla"].sudo()  # noqa: N806
        if not ticket.team_id or not ticket.team_id.use_sla:
            return SLA
        candidates = SLA.search([("team_id", "=", ticket.team_id.id),
                                 ("priority", "=", ticket.priority)])
        return candidates.filtered(lambda sla: sla._applies_to(ticket))

    def _sla_apply(self) -> None:
        """Create the statuses of the policies that (now) apply, drop the unreached
        ones that no longer do."""
        Status = self.env["helpdesk.sla.status"].sudo()  # noqa: N806
        for ticket in self.sudo():
            matching = ticket._sla_find()
            statuses = ticket.sla_status_ids
            statuses.filtered(lambda s, m=matching: s.sla_id not in m
                              and not s.reached_datetime).unlink()
            new_slas = matching - statuses.exists().mapped("sla_id")
            if not new_slas:
                continue
            created = Status.create([{"ticket_id": ticket.id, "sla_id": sla.id}
                                     for sla in new_slas])
            created._set_deadline(ticket.create_date or fields.Datetime.now())
            ticket._sla_reach_new(created)

    def _sla_reach_new(self, statuses: Any) -> None:
        """Statuses created for a ticket that is past their target already."""
        for status in statuses:
            if status.target_type == "first_response" and self.first_response_date:
                status._reach(self.first_response_date)
            elif status.target_type == "stage" and self._stage_reaches(status.sla_stage_id):
                status._reach(self.date_last_stage_update or fields.Datetime.now())

    def _stage_reaches(self, target: Any) -> bool:
        return bool(self.stage_id) and bool(target) and \
            self.stage_id.sequence >= target.sequence

    def _sla_reach_stage(self) -> None:
        moment = fields.Datetime.now()
        for ticket in self.sudo():
            stage_statuses = ticket.sla_status_ids.filtered(
                lambda s: s.target_type == "stage")
            reached = stage_statuses.filtered(
                lambda s, t=ticket: t._stage_reaches(s.sla_stage_id))
            reached._reach(moment)
            (stage_statuses - reached)._unreach()

    def _sla_reach_first_response(self, moment: dt.datetime) -> None:
        self.sudo().sla_status_ids.filtered(
            lambda s: s.target_type == "first_response")._reach(moment)

    # ------------------------------------------------------------------
    # escalation (helpdesk.sla.status._on_deadline_passed / _on_at_risk)
    # ------------------------------------------------------------------
    def _sla_escalate(self, status: Any) -> None:
        """Tell the team leader that ``status`` failed (a message naming them and a
        to-do for today); reassign the ticket to them when the team asks for it."""
        self.ensure_one()
        ticket = self.sudo()
        leader = ticket.team_id.user_id
        lang = (leader.lang if leader else False) or "en_US"
        tenv = ticket.with_context(lang=lang).env
        text = _(tenv, "SLA failed: %(sla)s (deadline %(deadline)s).",
                 sla=status.sla_id.with_context(lang=lang).name,
                 deadline=self._format_moment(status.deadline, leader, lang))
        if leader and ticket.team_id.escalate_reassign and ticket.user_id != leader:
            ticket.write({"user_id": leader.id})
        ticket.message_post(body=Markup("<p>{}</p>").format(text),
                            subtype_xmlid="mail.mt_note",
                            partner_ids=leader.partner_id.ids if leader else [])
        if leader:
            ticket.activity_schedule(date_deadline=fields.Date.today(), summary=text,
                                     user_id=leader.id)

    def _sla_warn_at_risk(self, status: Any) -> None:
        """Less than a fifth of the SLA's time is left: a note to the assignee (or,
        without one, to the team leader)."""
        self.ensure_one()
        ticket = self.sudo()
        user = ticket.user_id or ticket.team_id.user_id
        lang = (user.lang if user else False) or "en_US"
        text = _(ticket.with_context(lang=lang).env,
                 "SLA at risk: %(sla)s is due %(deadline)s.",
                 sla=status.sla_id.with_context(lang=lang).name,
                 deadline=self._format_moment(status.deadline, user, lang))
        ticket.message_post(body=Markup("<p>{}</p>").format(text),
                            subtype_xmlid="mail.mt_note",
                            partner_ids=user.partner_id.ids if user else [])

    def _format_moment(self, moment: dt.datetime | bool, user: Any, lang: str) -> str:
        if not moment:
            return ""
        calendar = self._calendar()
        tz = (user.tz if user else False) or (calendar.tz if calendar else False) or "UTC"
        return format_datetime(moment, lang, tz)
