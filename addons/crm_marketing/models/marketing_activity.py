"""The steps of a nurturing sequence: what to do (an e-mail, a lead, a to-do
for the salesperson), after which step and event, and how long after.

    welcome = Activity.create({"campaign_id": c.id, "name": "Welcome",
                               "activity_type": "email", "mass_mailing_id": m.id})
    Activity.create({"campaign_id": c.id, "name": "Reminder", "parent_id": welcome.id,
                     "activity_type": "email", "mass_mailing_id": m2.id,
                     "trigger_type": "mail_not_open", "interval_number": 3,
                     "interval_type": "days"})          # 3 days after sending, if unopened

``begin`` steps run when a contact is enrolled (after the interval);
``activity`` and ``mail_not_*`` steps are scheduled when their parent is
processed (the ``mail_not_*`` ones are canceled if the event happens
first); ``mail_open``/``mail_click``/``mail_reply``/``mail_bounce`` steps
wait for the event and run the interval after it. The scheduler runs them
(``marketing.campaign.execute_activities``) in batches.
"""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import Markup, escape

from addons.base.models.ir_cron import add_interval
from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

_logger = logging.getLogger(__name__)

ACTIVITY_TYPES = [
    ("email", "Email"),
    ("create_lead", "Create a Lead"),
    ("schedule_activity", "Schedule an Activity"),
]
TRIGGER_TYPES = [
    ("begin", "beginning of workflow"),
    ("activity", "another activity"),
    ("mail_open", "Mail: opened"),
    ("mail_not_open", "Mail: not opened"),
    ("mail_reply", "Mail: replied"),
    ("mail_not_reply", "Mail: not replied"),
    ("mail_click", "Mail: clicked"),
    ("mail_not_click", "Mail: not clicked"),
    ("mail_bounce", "Mail: bounced"),
]
INTERVAL_TYPES = [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks"),
                  ("months", "Months")]
HOURS = {"hours": 1, "days": 24, "weeks": 168, "months": 720}
#: triggers that need an e-mail parent
MAIL_TRIGGERS = {"mail_open", "mail_not_open", "mail_reply", "mail_not_reply",
                 "mail_click", "mail_not_click", "mail_bounce"}
#: triggers whose date is known when the parent is processed
TIMED_TRIGGERS = {"activity", "mail_not_open", "mail_not_click", "mail_not_reply"}
#: the event each "not" trigger waits for in vain
NOT_TRIGGERS = {"mail_not_open": "mail_open", "mail_not_click": "mail_click",
                "mail_not_reply": "mail_reply"}


class MarketingActivity(models.Model):
    _name = "marketing.activity"
    _description = "Marketing Activity"
    _order = "interval_standardized, id"

    name = fields.Char(required=True)
    campaign_id = fields.Many2one("marketing.campaign", "Campaign", required=True,
                                  ondelete="cascade", index=True)
    utm_campaign_id = fields.Many2one("utm.campaign", related="campaign_id.utm_campaign_id",
                                      string="UTM Campaign")
    model_name = fields.Char(related="campaign_id.model_name", string="Model Name")
    activity_type = fields.Selection(ACTIVITY_TYPES, "Activity Type", required=True,
                                     default="email")
    mass_mailing_id = fields.Many2one("mailing.mailing", "Mailing", ondelete="restrict",
                                      index=True, help="The e-mail sent by an e-mail step")
    # create_lead / schedule_activity
    mail_activity_type_id = fields.Many2one(
        "mail.activity.type", "To-Do Type", ondelete="restrict",
        help="The activity scheduled for the record's salesperson (default: To-Do)")
    mail_activity_summary = fields.Char("To-Do Summary",
                                        help="Default: the name of the step")
    # when
    trigger_type = fields.Selection(TRIGGER_TYPES, "Trigger", required=True,
                                    default="begin")
    parent_id = fields.Many2one("marketing.activity", "After", ondelete="cascade",
                                index=True)
    child_ids = fields.One2many("marketing.activity", "parent_id", "Next Steps")
    interval_number = fields.Integer("Wait", default=0,
                                     help="How long after the trigger the step runs")
    interval_type = fields.Selection(INTERVAL_TYPES, "Wait Unit", required=True,
                                     default="days")
    interval_standardized = fields.Integer("Wait (hours)",
                                           compute="_compute_interval_standardized",
                                           store=True)
    trace_ids = fields.One2many("marketing.trace", "activity_id", "Traces")
    # statistics
    waiting = fields.Integer(compute="_compute_statistics")
    processed = fields.Integer(compute="_compute_statistics")
    rejected = fields.Integer(compute="_compute_statistics")
    canceled = fields.Integer(compute="_compute_statistics")
    errors = fields.Integer(compute="_compute_statistics")
    total_sent = fields.Integer("Sent", compute="_compute_mail_statistics")
    total_open = fields.Integer("Opened", compute="_compute_mail_statistics")
    total_click = fields.Integer("Clicked", compute="_compute_mail_statistics")
    total_reply = fields.Integer("Replied", compute="_compute_mail_statistics")
    total_bounce = fields.Integer("Bounced", compute="_compute_mail_statistics")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("interval_number", "interval_type")
    def _compute_interval_standardized(self) -> None:
        for activity in self:
            activity.interval_standardized = \
                activity.interval_number * HOURS.get(activity.interval_type, 24)

    def _compute_statistics(self) -> None:
        counts: dict[tuple[int, str], int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            for group in self.env["marketing.trace"].read_group(
                    [("activity_id", "in", ids)], ["activity_id"],
                    ["activity_id", "state"], lazy=False):
                counts[(group["activity_id"][0], group["state"])] = group["__count"]
        for activity in self:
            activity.waiting = counts.get((activity.id, "scheduled"), 0)
            activity.processed = counts.get((activity.id, "processed"), 0)
            activity.rejected = counts.get((activity.id, "rejected"), 0)
            activity.canceled = counts.get((activity.id, "canceled"), 0)
            activity.errors = counts.get((activity.id, "error"), 0)

    #: statistic -> the mailing traces it counts
    MAIL_FIGURES = {
        "total_sent": [("sent_datetime", "!=", False)],
        "total_open": [("open_datetime", "!=", False)],
        "total_click": [("links_click_datetime", "!=", False)],
        "total_reply": [("trace_status", "=", "reply")],
        "total_bounce": [("trace_status", "=", "bounce")],
    }

    def _compute_mail_statistics(self) -> None:
        counts: dict[tuple[str, int], int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        mailing_ids = [i for i in self.filtered("mass_mailing_id").ids if isinstance(i, int)]
        if mailing_ids:
            MailingTrace = self.env["mailing.trace"].sudo()  # noqa: N806
            for name, domain in self.MAIL_FIGURES.items():
                for group in MailingTrace.read_group(
                        [("marketing_activity_id", "in", mailing_ids)] + domain,
                        ["marketing_activity_id"], ["marketing_activity_id"], lazy=False):
                    counts[(name, group["marketing_activity_id"][0])] = group["__count"]
        for activity in self:
            for name in self.MAIL_FIGURES:
                activity[name] = counts.get((name, activity.id), 0) if ids else 0

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("trigger_type", "parent_id", "campaign_id", "activity_type")
    def _check_chaining(self) -> None:
        for activity in self:
            parent = activity.parent_id
            if activity.trigger_type == "begin":
                if parent:
                    raise ValidationError(_(
                        self.env, "Step %(step)s starts the sequence: it comes after no "
                        "other step.", step=activity.name))
                continue
            if not parent:
                raise ValidationError(_(
                    self.env, "Step %(step)s is triggered by another step: choose which "
                    "one.", step=activity.name))
            if parent.campaign_id != activity.campaign_id:
                raise ValidationError(_(
                    self.env, "Step %(step)s comes after %(parent)s, a step of another "
                    "campaign.", step=activity.name, parent=parent.name))
            if activity.trigger_type in MAIL_TRIGGERS and parent.activity_type != "email":
                raise ValidationError(_(
                    self.env, "Step %(step)s waits for an e-mail event of %(parent)s, "
                    "which sends no e-mail.", step=activity.name, parent=parent.name))
            seen, ancestor = {activity.id}, parent
            while ancestor:
                if ancestor.id in seen:
                    raise ValidationError(_(
                        self.env, "Step %(step)s cannot come after itself.",
                        step=activity.name))
                seen.add(ancestor.id)
                ancestor = ancestor.parent_id

    @api.constrains("interval_number")
    def _check_interval(self) -> None:
        for activity in self:
            if activity.interval_number < 0:
                raise ValidationError(_(
                    self.env, "The wait of step %(step)s cannot be negative.",
                    step=activity.name))

    @api.constrains("activity_type", "campaign_id", "mass_mailing_id")
    def _check_activity_type(self) -> None:
        for activity in self:
            model = activity.campaign_id.model_name
            mailing = activity.mass_mailing_id.sudo()
            if activity.activity_type == "email" and not mailing:
                raise ValidationError(_(
                    self.env, "Step %(step)s sends an e-mail: choose its mailing.",
                    step=activity.name))
            if activity.activity_type == "email" and mailing.mailing_model_real != model:
                raise ValidationError(_(
                    self.env, "Step %(step)s: the mailing %(mailing)s is written for "
                    "%(mailing_model)s, the campaign's contacts are %(model)s.",
                    step=activity.name, mailing=mailing.subject,
                    mailing_model=mailing.mailing_model_id.name,
                    model=activity.campaign_id.model_id.name))
            if activity.activity_type == "create_lead" and model == "crm.lead":
                raise ValidationError(_(
                    self.env, "Step %(step)s: the records of this campaign already are "
                    "leads; schedule an activity for their salesperson instead.",
                    step=activity.name))
            if activity.activity_type == "schedule_activity" and model in self.env and \
                    not getattr(type(self.env[model]), "_mail_activity", False):
                raise ValidationError(_(
                    self.env, "Step %(step)s: %(model)s records have no activities; "
                    "create a lead instead.", step=activity.name, model=model))

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._adopt_mailings()
        return activities

    def write(self, vals):
        result = super().write(vals)
        if "mass_mailing_id" in vals:
            self._adopt_mailings()
        return result

    def _adopt_mailings(self) -> None:
        """A step's mailing is sent by the sequence only, and carries the campaign's
        UTM campaign (when it has none)."""
        for activity in self.filtered(lambda a: a.activity_type == "email"
                                      and a.mass_mailing_id):
            mailing = activity.mass_mailing_id.sudo()
            values: dict[str, Any] = {}
            if not mailing.use_in_marketing_automation:
                values["use_in_marketing_automation"] = True
            if not mailing.campaign_id and activity.campaign_id.utm_campaign_id:
                values["campaign_id"] = activity.campaign_id.utm_campaign_id.id
            if values:
                mailing.write(values)

    def _is_leaf(self) -> bool:
        return not self.child_ids

    # ------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------
    def _due_domain(self, now: Any) -> list:
        return [("activity_id", "=", self.id), ("state", "=", "scheduled"),
                ("schedule_date", "<=", now), ("participant_id.state", "=", "running")]

    def _execute_due(self) -> int:
        """Run this step on its due traces, a batch at a time; returns how many."""
        from .marketing_campaign import BATCH_SIZE

        self.ensure_one()
        Trace = self.env["marketing.trace"]  # noqa: N806
        ran, tried = 0, set()
        while True:
            batch = Trace.search(self._due_domain(fields.Datetime.now()),
                                 order="schedule_date, id", limit=BATCH_SIZE)
            batch = batch.filtered(lambda t: t.id not in tried)
            if not batch:
                return ran
            tried.update(batch.ids)
            self._execute_safely(batch)
            ran += len(batch)

    def _execute_safely(self, traces: Any) -> None:
        """A batch in a savepoint; when it fails, each trace alone, so that one bad
        record marks its own trace in error and the others go on."""
        try:
            with self.env.transaction.atomic(savepoint=True):
                self._execute_on_traces(traces)
            return
        except Exception:  # noqa: BLE001 - isolated below, trace by trace
            if len(traces) == 1:
                _logger.warning("Step %s failed on trace %s", self.id, traces.id,
                                exc_info=True)
                traces._set_error(self._error_message(), fields.Datetime.now())
                return
        for trace in traces:
            try:
                with self.env.transaction.atomic(savepoint=True):
                    self._execute_on_traces(trace)
            except Exception:  # noqa: BLE001 - the trace records the error
                _logger.warning("Step %s failed on trace %s", self.id, trace.id,
                                exc_info=True)
                trace._set_error(self._error_message(), fields.Datetime.now())

    def _error_message(self) -> str:
        import sys

        exc = sys.exc_info()[1]
        text = getattr(exc, "args", None) and str(exc.args[0]) or str(exc) or \
            type(exc).__name__
        return _(self.env, "%(step)s failed: %(error)s", step=self.name, error=text)

    def _execute_on_traces(self, traces: Any) -> Any:
        """Run this step for ``traces`` now (scheduled traces of this step): records
        deleted or no longer matching the campaign's filter are rejected, the others
        get the step's action; the processed ones schedule the next steps. Returns
        the processed traces."""
        self.ensure_one()
        traces = traces.filtered(lambda t: t.state == "scheduled")
        if not traces:
            return traces
        now = fields.Datetime.now()
        campaign = self.campaign_id
        model = self.env[campaign.model_name].sudo()
        res_ids = list(dict.fromkeys(traces.mapped("res_id")))
        valid = set(model.search([("id", "in", res_ids)] + campaign._get_domain()).ids)
        rejected = traces.filtered(lambda t: t.res_id not in valid)
        if rejected:
            rejected.write({"state": "rejected", "schedule_date": now,
                            "state_msg": _(self.env, "The record was deleted, archived "
                                                     "or left the campaign's filter")})
        allowed = traces - rejected
        processed = getattr(self, f"_execute_{self.activity_type}")(allowed, now) \
            if allowed else allowed
        if self.trigger_type in NOT_TRIGGERS:
            # the deadline passed: the event branch under the same parent expires
            traces.mapped("parent_id")._cancel_children(
                [NOT_TRIGGERS[self.trigger_type]],
                _(self.env, "%(step)s ran first", step=self.name), now)
        if processed and self.child_ids:
            self._generate_children_traces(processed, now)
            processed._move_on(now)
        traces.mapped("participant_id")._check_completed()
        return processed

    def _generate_children_traces(self, traces: Any, now: Any) -> Any:
        """The next steps of the processed ``traces``: dated from now for timed
        triggers, waiting for their event otherwise."""
        vals_list = []
        for child in self.child_ids:
            date = add_interval(now, child.interval_number, child.interval_type) \
                if child.trigger_type in TIMED_TRIGGERS else False
            vals_list += [{"parent_id": trace.id, "participant_id": trace.participant_id.id,
                           "activity_id": child.id, "schedule_date": date}
                          for trace in traces]
        return self.env["marketing.trace"].create(vals_list)

    def _schedule_begin(self, now: Any) -> None:
        """First steps for the running participants that lack them (new
        participants, or a first step added to a running campaign)."""
        Participant = self.env["marketing.participant"]  # noqa: N806
        for activity in self:
            participants = Participant.search([
                ("campaign_id", "=", activity.campaign_id.id), ("state", "=", "running"),
                ("trace_ids.activity_id", "!=", activity.id)])
            if participants:
                date = add_interval(now, activity.interval_number, activity.interval_type)
                self.env["marketing.trace"].create([
                    {"participant_id": p.id, "activity_id": activity.id,
                     "schedule_date": date} for p in participants])

    # -- actions -----------------------------------------------------------------
    def _execute_email(self, traces: Any, now: Any) -> Any:
        """The step's mailing to the batch's records, through ``action_send_mail``:
        blacklisted, opted-out and duplicate addresses come back canceled (their
        trace too, with the reason), the others are processed; each mailing trace
        points to its step so that opens, clicks and replies move it on."""
        mailing = self.mass_mailing_id.sudo()
        res_ids = list(dict.fromkeys(traces.mapped("res_id")))
        sent = mailing.action_send_mail(res_ids=res_ids).sudo()
        by_record = {trace.res_id: trace for trace in sent}
        links = {by_record[trace.res_id].id: {"marketing_trace_id": trace.id,
                                              "marketing_activity_id": self.id}
                 for trace in traces if trace.res_id in by_record}
        sent._update_each(links)
        reasons = dict(sent.fields_get(["failure_type"], ["selection"])
                       ["failure_type"]["selection"])
        canceled, failed = self.env["marketing.trace"], self.env["marketing.trace"]
        messages: dict[str, Any] = {}
        for trace in traces:
            mail = by_record.get(trace.res_id)
            if mail is None or mail.trace_status == "cancel":
                reason = reasons.get(mail.failure_type, mail.failure_type) if mail else \
                    _(self.env, "No e-mail was made")
                message = _(self.env, "E-mail canceled: %(reason)s", reason=reason)
                messages[message] = messages.get(message, canceled.browse()) | trace
                canceled |= trace
            elif mail.trace_status in ("error", "bounce"):
                failed |= trace
        for message, group in messages.items():
            group.write({"state": "canceled", "schedule_date": now, "state_msg": message})
        if failed:
            failed.write({"state": "error", "schedule_date": now,
                          "state_msg": _(self.env, "The e-mail could not be sent")})
        processed = traces - canceled - failed
        processed.write({"state": "processed", "schedule_date": now, "state_msg": False})
        return processed

    def _records(self, traces: Any) -> dict[int, Any]:
        model = self.env[self.campaign_id.model_name].sudo()
        records = model.browse(list(dict.fromkeys(traces.mapped("res_id"))))
        return {record.id: record for record in records}

    def _execute_create_lead(self, traces: Any, now: Any) -> Any:
        """A lead per engaged contact, with the campaign's UTM, for the contact's
        salesperson, else the one the CRM assignment picks, else the campaign's
        responsible."""
        records = self._records(traces)
        vals_list = [self._lead_values(records[trace.res_id]) for trace in traces]
        leads = self.env["crm.lead"].sudo().with_context(
            mail_create_nosubscribe=True).create(vals_list)
        unassigned = leads.filtered(lambda lead: not lead.user_id)
        if unassigned:
            # a new lead's first salesperson is not a change worth a tracking
            # message per lead; the salespeople follow their leads all the same
            unassigned = unassigned.with_context(mail_notrack=True)
            self.env["crm.team"].sudo().with_context(mail_notrack=True)._assign_leads(
                unassigned)
            responsible = self.campaign_id.user_id
            if responsible:
                unassigned.filtered(lambda lead: not lead.user_id).write(
                    {"user_id": responsible.id})
            unassigned._message_auto_subscribe_users({"user_id"})
        # one statement for every trace's own lead
        traces._update_each({trace.id: {"lead_id": lead.id}
                             for trace, lead in zip(traces, leads, strict=True)})
        self.env.registry.modified(traces, ("lead_id",))
        traces.write({"state": "processed", "schedule_date": now, "state_msg": False})
        return traces

    def _lead_values(self, record: Any) -> dict:
        campaign = self.campaign_id
        name = record.display_name or ""
        values = {
            "name": _(self.env, "%(contact)s (%(campaign)s)", contact=name,
                      campaign=campaign.name),
            "type": "lead",
            "user_id": False,
            "campaign_id": campaign.utm_campaign_id.id or False,
            "description": Markup("<p>%s</p>") % escape(_(
                self.env, "Engaged in the sequence %(campaign)s: %(step)s.",
                campaign=campaign.name, step=self._trigger_description())),
        }
        values.update(self._lead_utm_values())
        if record._name == "res.partner":
            values.update(partner_id=record.id, user_id=record.user_id.id or False)
        else:
            email = record["email"] if "email" in record._fields else False
            values.update(contact_name=name, email_from=email or False)
            if "company_name" in record._fields:
                values["partner_name"] = record.company_name or False
            if "country_id" in record._fields:
                values["country_id"] = record.country_id.id or False
        return values

    def _lead_utm_values(self) -> dict:
        """Source and medium of the leads: those of the e-mail that engaged the
        contact (the nearest e-mail step above), when there is one."""
        ancestor = self.parent_id
        while ancestor and ancestor.activity_type != "email":
            ancestor = ancestor.parent_id
        mailing = ancestor.mass_mailing_id.sudo()
        if not mailing:
            return {}
        return {"source_id": mailing.source_id.id or False,
                "medium_id": mailing.medium_id.id or False}

    def _trigger_description(self) -> str:
        labels = dict(TRIGGER_TYPES)
        if self.parent_id:
            return f"{self.parent_id.name} - {labels[self.trigger_type]}"
        return self.name

    def _execute_schedule_activity(self, traces: Any, now: Any) -> Any:
        """An activity on each record for its salesperson (the record's ``user_id``),
        else for the campaign's responsible."""
        records = self._records(traces)
        activity_type = self.mail_activity_type_id or \
            self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        deadline = activity_type._deadline(now.date()) if activity_type else now.date()
        fallback = self.campaign_id.user_id.id or self.env.uid
        model_id = self.env["ir.model"].sudo()._get_id(self.campaign_id.model_name)
        vals_list = []
        for trace in traces:
            record = records[trace.res_id]
            user = record.user_id if "user_id" in record._fields else None
            vals_list.append({
                "res_model": record._name, "res_model_id": model_id, "res_id": record.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": self.mail_activity_summary or self.name,
                "note": Markup("<p>%s</p>") % escape(_(
                    self.env, "Engaged in the sequence %(campaign)s: %(step)s.",
                    campaign=self.campaign_id.name, step=self._trigger_description())),
                "user_id": user.id if user and user.active else fallback,
                "date_deadline": deadline, "automated": True})
        self.env["mail.activity"].sudo().create(vals_list)
        traces.write({"state": "processed", "schedule_date": now, "state_msg": False})
        return traces
