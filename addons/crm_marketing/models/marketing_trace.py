"""One step reached by one participant: when it runs and how it went.

    trace.state          # scheduled -> processed | rejected | canceled | error
    trace.schedule_date  # when it runs (empty: waits for an e-mail event); once
                         # done, when it ran or was canceled
    trace.state_msg      # why it was rejected, canceled or failed

The traces of a participant form a tree like the campaign's steps.
``_process_event`` moves it on when the contact opens, clicks, replies to
or bounces an e-mail of the sequence; ``_move_on`` keeps a contact in one
running step (docs/nurturing.md).
"""

from __future__ import annotations

from typing import Any

from addons.base.models.ir_cron import add_interval
from core import api, fields, models
from core.i18n import _

STATES = [("scheduled", "Scheduled"), ("processed", "Processed"), ("rejected", "Rejected"),
          ("canceled", "Canceled"), ("error", "Error")]
#: an event on an e-mail cancels the "not" branch waiting for it
OPPOSITES = {"mail_open": "mail_not_open", "mail_click": "mail_not_click",
             "mail_reply": "mail_not_reply"}


#: the steps' figures computed from the traces
STATISTICS = ("waiting", "processed", "rejected", "canceled", "errors", "total_sent",
              "total_open", "total_click", "total_reply", "total_bounce")


def forget(env: Any, model: str, names: tuple[str, ...]) -> None:
    """Drop the cached values of computed fields (not stored: nothing to flush)."""
    fields_of = env[model]._fields
    for name in names:
        env.cache.pop(fields_of[name], None)


class MarketingTrace(models.Model):
    _name = "marketing.trace"
    _description = "Marketing Trace"
    _order = "schedule_date desc, id"
    _rec_name = "activity_id"

    participant_id = fields.Many2one("marketing.participant", "Participant", required=True,
                                     ondelete="cascade", index=True)
    # the participant's, copied when the trace is made (in the same INSERT)
    campaign_id = fields.Many2one("marketing.campaign", "Campaign", readonly=True,
                                  ondelete="cascade", index=True)
    res_id = fields.Integer("Record ID", readonly=True, index=True)
    record_name = fields.Char("Record", related="participant_id.record_name")
    activity_id = fields.Many2one("marketing.activity", "Step", required=True,
                                  ondelete="cascade", index=True)
    activity_type = fields.Selection(related="activity_id.activity_type")
    trigger_type = fields.Selection(related="activity_id.trigger_type")
    state = fields.Selection(STATES, default="scheduled", required=True, index=True)
    schedule_date = fields.Datetime("Date", index=True)
    state_msg = fields.Char("Reason", help="Why the step was rejected, canceled or failed")
    parent_id = fields.Many2one("marketing.trace", "Parent", ondelete="cascade", index=True)
    child_ids = fields.One2many("marketing.trace", "parent_id", "Next Steps")
    lead_id = fields.Many2one("crm.lead", "Lead", ondelete="set null", index=True)
    mailing_trace_ids = fields.One2many("mailing.trace", "marketing_trace_id", "E-mails")

    _sql_constraints = [
        ("participant_activity_unique", "unique(participant_id, activity_id)",
         "A participant reaches each step of a campaign once."),
    ]

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        participants = self.env["marketing.participant"].sudo().browse(
            [vals["participant_id"] for vals in vals_list if vals.get("participant_id")])
        known = {p.id: (p.campaign_id.id, p.res_id) for p in participants}
        for vals in vals_list:
            if vals.get("participant_id") in known:
                vals["campaign_id"], vals["res_id"] = known[vals["participant_id"]]
        traces = super().create(vals_list)
        self._invalidate_progress()
        return traces

    def write(self, vals):
        result = super().write(vals)
        self._invalidate_progress()
        return result

    def _invalidate_progress(self) -> None:
        """The figures computed from traces (steps' statistics, participants'
        progress, campaigns' counts) are read again after a change."""
        forget(self.env, "marketing.activity", STATISTICS)
        forget(self.env, "marketing.participant", ("current_activity_id", "next_date"))
        forget(self.env, "marketing.campaign", ("lead_count",))

    # ------------------------------------------------------------------
    # state changes
    # ------------------------------------------------------------------
    def _cancel(self, message: str, now: Any) -> None:
        scheduled = self.filtered(lambda t: t.state == "scheduled")
        if scheduled:
            scheduled.write({"state": "canceled", "schedule_date": now,
                             "state_msg": message})

    def _set_error(self, message: str, now: Any) -> None:
        self.write({"state": "error", "schedule_date": now, "state_msg": message})
        self.mapped("participant_id")._check_completed()

    def _cancel_children(self, triggers: list[str], message: str, now: Any) -> None:
        """Cancel the scheduled next steps of these traces with these triggers."""
        if not self:
            return
        self.env["marketing.trace"].search([
            ("parent_id", "in", self.ids), ("state", "=", "scheduled"),
            ("activity_id.trigger_type", "in", triggers)])._cancel(message, now)

    def _move_on(self, now: Any) -> None:
        """These processed traces scheduled next steps: their participants now wait
        at them, so the steps still scheduled under their previous step (the
        alternative branches not taken) are canceled. A participant is thus in at
        most one running step."""
        others = self.env["marketing.trace"].search([
            ("participant_id", "in", self.mapped("participant_id").ids),
            ("state", "=", "scheduled"),
            ("parent_id", "!=", False), ("parent_id", "not in", self.ids)])
        if not others:
            return
        step_of = {trace.participant_id.id: trace.activity_id.name for trace in self}
        by_message: dict[str, Any] = {}
        for trace in others:
            message = _(self.env, "Moved on to %(step)s",
                        step=step_of[trace.participant_id.id])
            by_message[message] = by_message.get(message, self.browse()) | trace
        for message, traces in by_message.items():
            traces._cancel(message, now)

    # ------------------------------------------------------------------
    # e-mail events
    # ------------------------------------------------------------------
    def _process_event(self, actions: list[str]) -> None:
        """The contact opened (``mail_open``), clicked (``mail_click``), replied to
        (``mail_reply``) or bounced (``mail_bounce``) the e-mail of these processed
        traces: the next steps waiting for that event are dated (the event plus
        their wait), the "not" branches of it canceled; a bounce cancels every other
        next step of the e-mail; a reply ends the sequence for the contact (only the
        steps reacting to the reply still run)."""
        traces = self.filtered(lambda t: t.state == "processed"
                               and t.participant_id.state == "running")
        if not traces:
            return
        now = fields.Datetime.now()
        children = self.env["marketing.trace"].search([
            ("parent_id", "in", traces.ids), ("state", "=", "scheduled")])
        for action in actions:
            waiting = children.filtered(
                lambda t, a=action: t.state == "scheduled" and not t.schedule_date
                and t.activity_id.trigger_type == a)
            for activity, group in waiting.grouped("activity_id").items():
                group.write({"schedule_date": add_interval(
                    now, activity.interval_number, activity.interval_type)})
            if action in OPPOSITES:
                children.filtered(
                    lambda t, a=action: t.state == "scheduled"
                    and t.activity_id.trigger_type == OPPOSITES[a])._cancel(
                    self._event_message(action), now)
            elif action == "mail_bounce":
                children.filtered(
                    lambda t: t.state == "scheduled"
                    and t.activity_id.trigger_type != "mail_bounce")._cancel(
                    self._event_message(action), now)
            if action == "mail_reply":
                reactions = waiting
                self.env["marketing.trace"].search([
                    ("participant_id", "in", traces.mapped("participant_id").ids),
                    ("state", "=", "scheduled"), ("id", "not in", reactions.ids)])._cancel(
                    self._event_message(action), now)
        traces.mapped("participant_id")._check_completed()

    def _event_message(self, action: str) -> str:
        return {
            "mail_open": _(self.env, "The e-mail was opened"),
            "mail_click": _(self.env, "A link of the e-mail was clicked"),
            "mail_reply": _(self.env, "The contact replied"),
            "mail_bounce": _(self.env, "The e-mail bounced"),
        }[action]
