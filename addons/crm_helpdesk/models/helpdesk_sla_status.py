"""The SLA policies of one ticket, with their deadlines and outcomes.

    status = ticket.sla_status_ids[0]
    status.deadline            # creation + the policy's working hours (team calendar)
    status.risk_date           # when less than 20 % of that time is left
    status.reached_datetime    # the first response / the stage reached
    status.status              # ongoing, reached, failed (stored, for reports)
    status.success             # 100 reached in time, 0 failed, empty while ongoing:
                               # its average is the SLA success rate of any group

``status`` and ``success`` are written when a status is reached and when its
deadline passes: the automated action "SLA deadline passed"
(data/helpdesk_automation.xml, a time trigger on ``deadline``) calls
``_on_deadline_passed``, which marks it failed and escalates the ticket; the
action "SLA at risk" (on ``risk_date``) warns the assignee. What the board
shows (on track / at risk / failed) is computed from the clock
(``helpdesk.ticket.sla_state``), so it is right between two runs as well.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import fields, models

from .helpdesk_sla import AT_RISK_SHARE

STATUSES = [("ongoing", "Ongoing"), ("reached", "Reached"), ("failed", "Failed")]


def now() -> dt.datetime:
    """The clock of SLA computations (naive UTC); tests replace it."""
    return fields.Datetime.now()


class HelpdeskSLAStatus(models.Model):
    _name = "helpdesk.sla.status"
    _description = "Ticket SLA Status"
    _order = "deadline, id"
    _rec_name = "sla_id"

    ticket_id = fields.Many2one("helpdesk.ticket", "Ticket", required=True,
                                ondelete="cascade", index=True)
    sla_id = fields.Many2one("helpdesk.sla", "SLA", required=True, ondelete="cascade",
                             index=True)
    target_type = fields.Selection(related="sla_id.target_type", store=True)
    sla_stage_id = fields.Many2one("helpdesk.stage", related="sla_id.stage_id", store=True)
    team_id = fields.Many2one("helpdesk.team", related="ticket_id.team_id", store=True,
                              index=True)
    user_id = fields.Many2one("res.users", related="ticket_id.user_id", store=True,
                              string="Assigned to", index=True)
    priority = fields.Selection(related="ticket_id.priority", store=True)
    deadline = fields.Datetime("Deadline", index=True)
    risk_date = fields.Datetime("At Risk From", index=True,
                                help="Less than a fifth of the SLA's working time is left")
    reached_datetime = fields.Datetime("Reached Date")
    status = fields.Selection(STATUSES, "Status", required=True, default="ongoing",
                              index=True)
    success = fields.Float("SLA Success (%)", aggregator="avg",
                           help="100 when reached in time, 0 when failed; empty while "
                                "ongoing. Its average is the success rate.")
    exceeded_hours = fields.Float("Exceeded Working Hours", aggregator="avg",
                                  help="Working hours past the deadline when it was reached "
                                       "(negative: hours to spare)")
    escalated = fields.Boolean(help="The team leader was told that this SLA failed")

    # ------------------------------------------------------------------
    # deadlines and outcomes
    # ------------------------------------------------------------------
    def _set_deadline(self, start: dt.datetime) -> None:
        """Deadline and risk date: the policy's working hours from ``start``."""
        for status in self:
            sla = status.sla_id.sudo()
            calendar = sla._calendar()
            if not calendar:
                deadline = start + dt.timedelta(hours=sla.time)
                risk = deadline - dt.timedelta(hours=sla.time * AT_RISK_SHARE)
            else:
                deadline = calendar.plan_hours(sla.time, start, compute_leaves=True) or False
                risk = calendar.plan_hours(-sla.time * AT_RISK_SHARE, deadline,
                                           compute_leaves=True) if deadline else False
            status.sudo().write({"deadline": deadline, "risk_date": risk or False})
        self._refresh_status()

    def _reach(self, when: dt.datetime) -> None:
        self.sudo().filtered(lambda s: not s.reached_datetime).write(
            {"reached_datetime": when})
        self._refresh_status()

    def _unreach(self) -> None:
        self.sudo().filtered("reached_datetime").write({"reached_datetime": False,
                                                        "exceeded_hours": 0.0})
        self._refresh_status()

    def _refresh_status(self, moment: dt.datetime | None = None) -> None:
        """Write ``status``/``success``/``exceeded_hours`` as of ``moment`` (now)."""
        moment = moment or now()
        for status in self.sudo():
            values = status._outcome(moment)
            if any(status[name] != value for name, value in values.items()):
                status.write(values)

    def _outcome(self, moment: dt.datetime) -> dict[str, Any]:
        deadline, reached = self.deadline, self.reached_datetime
        if reached:
            late = bool(deadline) and reached > deadline
            return {"status": "failed" if late else "reached",
                    "success": 0.0 if late else 100.0,
                    "exceeded_hours": self._exceeded(reached)}
        if deadline and deadline <= moment:
            return {"status": "failed", "success": 0.0}
        return {"status": "ongoing", "success": None}

    def _exceeded(self, reached: dt.datetime) -> float:
        if not self.deadline:
            return 0.0
        calendar = self.sla_id._calendar()
        if not calendar:
            return round((reached - self.deadline).total_seconds() / 3600.0, 2)
        if reached >= self.deadline:
            return round(calendar.get_work_hours_count(self.deadline, reached), 2)
        return -round(calendar.get_work_hours_count(reached, self.deadline), 2)

    # ------------------------------------------------------------------
    # automated actions (data/helpdesk_automation.xml)
    # ------------------------------------------------------------------
    def _on_deadline_passed(self) -> None:
        """The deadline of these statuses passed: unreached ones fail and their
        tickets are escalated (once)."""
        self._refresh_status()
        failed = self.sudo().filtered(lambda s: s.status == "failed" and not s.escalated
                                      and not s.reached_datetime)
        for status in failed:
            status.ticket_id._sla_escalate(status)
        failed.write({"escalated": True})

    def _on_at_risk(self) -> None:
        """Less than a fifth of the time is left: warn the assignee (or the leader)."""
        self._refresh_status()
        for status in self.sudo().filtered(lambda s: s.status == "ongoing"):
            status.ticket_id._sla_warn_at_risk(status)
