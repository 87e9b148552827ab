"""Mailings (e-mail campaigns): a subject and a body sent to a segment.

    mailing = env["mailing.mailing"].create({
        "subject": "New LED panels for {{ object.name }}",
        "body_html": "<p>Dear {{ object.name }}, see <a href='https://shop.example.com'>"
                     "our range</a></p>",
        "mailing_model_id": env.ref("base.model_res_partner").id,
        "mailing_domain": "[('country_id.code', '=', 'DE')]",
    })
    mailing.action_launch()          # queued; the scheduler sends it
    mailing.action_send_mail()       # or now: the traces created (see mailing_mailing_send)
    mailing.opened_ratio, mailing.crm_lead_count

Recipients are records of ``mailing_model_real``: the contacts of
``contact_list_ids`` (when ``mailing_model_id`` is ``mailing.list``), or
partners or leads matching ``mailing_domain``, a domain kept as text and read
by ``tools.domain_text`` (never evaluated). Addresses in the blacklist, contacts
who opted out of the lists or have not confirmed their sign-up, and a second
record with an address already mailed are skipped (their traces are canceled
with the reason).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from jinja2 import TemplateSyntaxError

from addons.mail.tools.render import sandbox
from core import api, fields, models
from core.exceptions import AccessError, UserError, ValidationError
from core.i18n import _

from ..tools.domain_text import parse_domain

_logger = logging.getLogger("troika.mailing")
#: the models a mailing may be sent to (``mailing.list`` means its contacts)
MAILING_MODELS = ("mailing.list", "res.partner", "crm.lead")
STATES = [("draft", "Draft"), ("in_queue", "In Queue"), ("sending", "Sending"),
          ("done", "Sent")]


def _default_model(self: Any) -> Any:
    return self.env["ir.model"].sudo().search([("model", "=", "mailing.list")], limit=1).id \
        or False


def _default_medium(self: Any) -> Any:
    medium = self.env.ref("utm.utm_medium_email", raise_if_not_found=False)
    return medium.id if medium else False


class MailingMailing(models.Model):
    _name = "mailing.mailing"
    _description = "Mass Mailing"
    _order = "calendar_date desc, id desc"
    _rec_name = "subject"

    active = fields.Boolean(default=True)
    subject = fields.Char("Subject", required=True, translate=False,
                          help="May hold placeholders, e.g. {{ object.name }}")
    preview = fields.Char("Preview", help="The text mail clients show after the subject")
    email_from = fields.Char("Send From", required=True,
                             default=lambda self: self.env.user.partner_id.email_formatted or
                             self.env.company.email or False)
    reply_to_mode = fields.Selection(
        [("update", "Recipient's Document"), ("new", "Specified Email Address")],
        "Reply-To Mode", default="update", required=True,
        help="Recipient's Document: replies come back to Troika (the catchall address), are "
             "counted and posted on the recipient's record; Specified Email Address: replies "
             "go to Reply To (counted only if that address delivers to Troika)")
    reply_to = fields.Char("Reply To")
    body_html = fields.Html("Body", sanitize=True,
                            help="HTML with placeholders: {{ object.name }} ...; links are "
                                 "tracked")
    keep_archives = fields.Boolean("Keep Archives",
                                   help="Keep the sent e-mails (they are deleted otherwise)")
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.uid,
                              help="Recipients are searched and bodies rendered with this "
                                   "user's rights when the scheduler sends")
    state = fields.Selection(STATES, "Status", default="draft", required=True, copy=False,
                             index=True, group_expand=True)
    color = fields.Integer("Color Index")
    schedule_type = fields.Selection([("now", "Send now"), ("scheduled", "Send on")],
                                     "Schedule", default="now", required=True)
    schedule_date = fields.Datetime("Scheduled for", copy=False, index=True)
    calendar_date = fields.Datetime("Calendar Date", compute="_compute_calendar_date",
                                    store=True, index=True)
    sent_date = fields.Datetime("Sent Date", copy=False, readonly=True)
    next_departure = fields.Datetime("Scheduled date", compute="_compute_next_departure")
    # recipients
    mailing_model_id = fields.Many2one("ir.model", "Recipients Model", required=True,
                                       ondelete="cascade", default=_default_model,
                                       domain=[("model", "in", list(MAILING_MODELS))])
    mailing_model_name = fields.Char("Recipients Model Name",
                                     related="mailing_model_id.model", store=True)
    mailing_model_real = fields.Char("Recipients Real Model", compute="_compute_model_real",
                                     store=True)
    mailing_domain = fields.Text("Domain", default="[]",
                                 help="A filter on the recipients, e.g. [('country_id.code', "
                                      "'=', 'DE')]; dates may be relative: context_today() - "
                                      "relativedelta(days=90)")
    contact_list_ids = fields.Many2many("mailing.list", "mail_mass_mailing_list_rel",
                                        "mailing_mailing_id", "mailing_list_id",
                                        "Mailing Lists")
    # utm
    campaign_id = fields.Many2one("utm.campaign", "UTM Campaign", index=True,
                                  ondelete="set null")
    source_id = fields.Many2one("utm.source", "Source", readonly=True, copy=False,
                                ondelete="restrict", index=True,
                                help="Created from the subject; leads with this source "
                                     "came from the mailing")
    medium_id = fields.Many2one("utm.medium", "Medium", default=_default_medium,
                                ondelete="restrict")
    # traces and statistics
    mailing_trace_ids = fields.One2many("mailing.trace", "mailing_id", "Emails Statistics")
    link_tracker_ids = fields.One2many("link.tracker", "mass_mailing_id", "Links")
    total = fields.Integer(compute="_compute_statistics")
    scheduled = fields.Integer(compute="_compute_statistics")
    expected = fields.Integer(compute="_compute_statistics")
    canceled = fields.Integer(compute="_compute_statistics")
    sent = fields.Integer(compute="_compute_statistics")
    delivered = fields.Integer(compute="_compute_statistics")
    opened = fields.Integer(compute="_compute_statistics")
    clicked = fields.Integer(compute="_compute_statistics")
    replied = fields.Integer(compute="_compute_statistics")
    bounced = fields.Integer(compute="_compute_statistics")
    failed = fields.Integer(compute="_compute_statistics")
    unsubscribed = fields.Integer(compute="_compute_statistics")
    received_ratio = fields.Float("Received Ratio", compute="_compute_statistics")
    opened_ratio = fields.Float("Opened Ratio", compute="_compute_statistics")
    replied_ratio = fields.Float("Replied Ratio", compute="_compute_statistics")
    bounced_ratio = fields.Float("Bounced Ratio", compute="_compute_statistics")
    clicks_ratio = fields.Float("Number of Clicks", compute="_compute_statistics")
    unsubscribed_ratio = fields.Float("Unsubscribed Ratio", compute="_compute_statistics")
    crm_lead_count = fields.Integer("Leads/Opportunities Count",
                                    compute="_compute_crm_lead_count")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("mailing_model_name")
    def _compute_model_real(self) -> None:
        for mailing in self:
            name = mailing.mailing_model_name
            mailing.mailing_model_real = "mailing.contact" if name == "mailing.list" else name

    @api.depends("state", "schedule_date", "sent_date")
    def _compute_calendar_date(self) -> None:
        for mailing in self:
            mailing.calendar_date = mailing.sent_date if mailing.state in ("sending", "done") \
                else mailing.schedule_date if mailing.state == "in_queue" else False

    def _compute_next_departure(self) -> None:
        now = fields.Datetime.now()
        for mailing in self:
            mailing.next_departure = max(mailing.schedule_date, now) \
                if mailing.state == "in_queue" and mailing.schedule_date else \
                (now if mailing.state == "in_queue" else False)

    def _compute_statistics(self) -> None:
        """Counts and ratios of every mailing of the set, in one query."""
        figures = self._trace_figures()
        for mailing in self:
            row = figures.get(mailing.id, {})
            for name in ("expected", "scheduled", "canceled", "sent", "delivered", "opened",
                         "clicked", "replied", "bounced", "failed", "unsubscribed"):
                mailing[name] = row.get(name, 0)
            total = mailing.expected - mailing.canceled
            mailing.total = total
            base = total or 1
            mailing.received_ratio = round(100.0 * mailing.delivered / base, 2)
            mailing.opened_ratio = round(100.0 * mailing.opened / base, 2)
            mailing.replied_ratio = round(100.0 * mailing.replied / base, 2)
            mailing.bounced_ratio = round(100.0 * mailing.bounced / base, 2)
            mailing.clicks_ratio = round(100.0 * mailing.clicked / base, 2)
            mailing.unsubscribed_ratio = round(100.0 * mailing.unsubscribed / base, 2)

    def _trace_figures(self) -> dict[int, dict[str, int]]:
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        Trace = self.env["mailing.trace"]  # noqa: N806
        Trace.check_access_rights("read")
        table = Trace._table_obj
        status = table.c.trace_status
        count = sa.func.count
        columns = {
            "expected": count(),
            "scheduled": count().filter(status == "outgoing"),
            "canceled": count().filter(status == "cancel"),
            "sent": count(table.c.sent_datetime),
            "delivered": count().filter(status.in_(("sent", "open", "reply"))),
            "opened": count().filter(status.in_(("open", "reply"))),
            "clicked": count(table.c.links_click_datetime),
            "replied": count().filter(status == "reply"),
            "bounced": count().filter(status == "bounce"),
            "failed": count().filter(status == "error"),
            "unsubscribed": count(table.c.unsubscribed_datetime),
        }
        stmt = (sa.select(table.c.mailing_id, *[c.label(n) for n, c in columns.items()])
                .where(table.c.mailing_id.in_(ids)).group_by(table.c.mailing_id))
        return {row.mailing_id: dict(row._mapping) for row in self.env.execute(stmt)}

    def _compute_crm_lead_count(self) -> None:
        counts = self._lead_counts()
        for mailing in self:
            mailing.crm_lead_count = counts.get(mailing.id, 0)

    def _lead_counts(self) -> dict[int, int]:
        """Leads per mailing (counted as superuser, as Odoo does: a marketing user
        sees how many leads a mailing brought even without the sales rights)."""
        result = {}
        for mailing in self:
            if isinstance(mailing.id, int) and mailing.source_id:
                result[mailing.id] = self.env["crm.lead"].sudo().with_context(
                    active_test=False).search_count(mailing._get_lead_domain())
        return result

    def _get_lead_domain(self) -> list:
        """The leads the mailing brought: those with its source (the click path,
        a web form), and those created for its recipients after it was sent."""
        self.ensure_one()
        domain: list = [("source_id", "=", self.source_id.id)]
        if self.sent_date:
            traces = self.env["mailing.trace"].sudo().search_read(
                [("mailing_id", "=", self.id), ("trace_status", "in", ("sent", "open", "reply"))],
                ["model", "res_id", "email"])
            emails = sorted({t["email"] for t in traces if t["email"]})
            partners = sorted({t["res_id"] for t in traces if t["model"] == "res.partner"})
            leads = sorted({t["res_id"] for t in traces if t["model"] == "crm.lead"})
            recipients: list = [("email_normalized", "in", emails)]
            if partners:
                recipients = ["|", ("partner_id", "in", partners)] + recipients
            recipients = ["&", ("create_date", ">=", self.sent_date),
                          ("id", "not in", leads)] + recipients
            domain = ["|"] + domain + recipients
        return domain

    # ------------------------------------------------------------------
    # create, checks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        Source = self.env["utm.source"]  # noqa: N806
        for vals in vals_list:
            if not vals.get("source_id"):
                vals["source_id"] = Source.create({
                    "name": self._unique_source_name(vals.get("subject") or "Mailing")}).id
        mailings = super().create(vals_list)
        mailings._check_ab_testing_campaign()
        return mailings

    def write(self, vals):
        result = super().write(vals)
        if "ab_testing_enabled" in vals or "campaign_id" in vals:
            self._check_ab_testing_campaign()
        return result

    def copy(self, default: dict | None = None):
        self.ensure_one()
        default = dict(default or {})
        default.setdefault("subject", self.subject)
        return super().copy(default)

    @api.model
    def _unique_source_name(self, subject: str) -> str:
        """The subject, numbered when another source has that name already
        (one source per mailing)."""
        base = (subject or "Mailing").strip()[:200]
        existing = {source.name.lower() for source in self.env["utm.source"].sudo().search(
            [("name", "ilike", base)])}
        name, number = base, 1
        while name.lower() in existing:
            number += 1
            name = f"{base} [{number}]"
        return name

    @api.constrains("mailing_domain", "mailing_model_id")
    def _check_mailing_domain(self) -> None:
        for mailing in self:
            model = mailing.sudo().mailing_model_id.model
            if model not in self._mailing_models():
                raise ValidationError(_(self.env, "Mailings cannot be sent to %(model)s.",
                                        model=model))
            try:
                domain = mailing._parse_mailing_domain()
                self.env[mailing.mailing_model_real].sudo().search_count(domain)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValidationError(_(self.env, "The filter (Domain) of the mailing "
                                        "%(subject)s is not valid: %(error)s",
                                        subject=mailing.subject, error=str(exc))) from None

    @api.constrains("subject", "body_html", "preview")
    def _check_templates(self) -> None:
        """Subject, preview and body are jinja2 templates: their syntax is checked
        when saved, not when the scheduler sends."""
        for mailing in self:
            for name, html in (("subject", False), ("preview", False), ("body_html", True)):
                try:
                    sandbox(html).parse(mailing[name] or "")
                except TemplateSyntaxError as exc:
                    raise ValidationError(_(
                        self.env, "The %(field)s of the mailing %(subject)s is not a valid "
                        "template: %(error)s (line %(line)s)", field=self._fields[name].string,
                        subject=mailing.subject, error=exc.message, line=exc.lineno)) from None

    @api.constrains("schedule_type", "schedule_date")
    def _check_schedule_date(self) -> None:
        for mailing in self:
            if mailing.schedule_type == "scheduled" and not mailing.schedule_date:
                raise ValidationError(_(self.env, "Choose when to send the mailing "
                                        "%(subject)s (Scheduled for).",
                                        subject=mailing.subject))

    @api.model
    def _mailing_models(self) -> tuple[str, ...]:
        """Names of the models mailings may be sent to (addons extend it)."""
        return MAILING_MODELS

    # ------------------------------------------------------------------
    # recipients
    # ------------------------------------------------------------------
    def _context_today(self) -> dt.date:
        now = fields.Datetime.now()
        try:
            zone = ZoneInfo(self.env.user.tz or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return now.replace(tzinfo=dt.UTC).astimezone(zone).date()

    def _parse_mailing_domain(self) -> list:
        self.ensure_one()
        return parse_domain(self.mailing_domain, today=self._context_today(),
                            now=fields.Datetime.now())

    def _get_recipients_domain(self) -> list:
        """The domain of the recipients on ``mailing_model_real``."""
        self.ensure_one()
        domain = self._parse_mailing_domain()
        if self.mailing_model_name == "mailing.list":
            # opted-out contacts stay in: their traces are canceled with the reason
            domain = [("subscription_ids", "any", [
                ("list_id", "in", self.contact_list_ids.ids),
                ("is_pending", "=", False)])] + domain
        return domain

    def _get_recipients(self) -> list[int]:
        """Ids of the records the mailing goes to (searched as the current user)."""
        self.ensure_one()
        if self.mailing_model_name == "mailing.list" and not self.contact_list_ids:
            return []
        model = self.env[self.mailing_model_real]
        return model.search(self._get_recipients_domain(), order="id").ids

    def _get_seen(self) -> tuple[set[int], set[str]]:
        """Record ids and addresses this mailing has traces for already."""
        rows = self.env["mailing.trace"].sudo().search_read(
            [("mailing_id", "=", self.id)], ["model", "res_id", "email"])
        return ({row["res_id"] for row in rows if row["model"] == self.mailing_model_real},
                {row["email"] for row in rows if row["email"]})

    def _get_remaining_recipients(self) -> list[int]:
        self.ensure_one()
        seen_ids, _seen_emails = self._get_seen()
        return [res_id for res_id in self._get_recipients() if res_id not in seen_ids]

    # ------------------------------------------------------------------
    # states
    # ------------------------------------------------------------------
    def action_launch(self) -> bool:
        """Send now: queued, and the sending starts in a job of its own."""
        self.write({"schedule_type": "now", "schedule_date": False})
        return self.action_put_in_queue()

    def action_schedule(self) -> bool:
        for mailing in self:
            if not mailing.schedule_date:
                raise UserError(_(self.env, "Choose when to send the mailing %(subject)s "
                                  "(Scheduled for).", subject=mailing.subject))
        self.write({"schedule_type": "scheduled"})
        return self.action_put_in_queue()

    def action_put_in_queue(self) -> bool:
        for mailing in self:
            if mailing.state != "draft":
                raise UserError(_(self.env, "The mailing %(subject)s was sent or queued "
                                  "already.", subject=mailing.subject))
            if mailing.mailing_model_name == "mailing.list" and not mailing.contact_list_ids:
                raise UserError(_(self.env, "Choose the mailing lists of %(subject)s.",
                                  subject=mailing.subject))
            if not mailing.body_html or not mailing.body_html.strip():
                raise UserError(_(self.env, "The mailing %(subject)s has no body.",
                                  subject=mailing.subject))
        self.write({"state": "in_queue"})
        now_mailings = self.filtered(lambda m: m.schedule_type == "now")
        if now_mailings:
            now_mailings.with_delay(priority=15, max_attempts=1)._action_send_queued()
        return True

    def action_cancel(self) -> bool:
        self.filtered(lambda m: m.state == "in_queue").write({"state": "draft"})
        return True

    def _action_send_queued(self) -> bool:
        """A job: send the mailings of the set that are still queued and due."""
        now = fields.Datetime.now()
        for mailing in self:
            if mailing.state == "in_queue" and (mailing.schedule_type == "now" or
                                                (mailing.schedule_date or now) <= now):
                mailing.action_send_mail()
        return True

    @api.model
    def _process_mass_mailing_queue(self) -> bool:
        """The scheduled job: send the queued mailings that are due, choose the
        winners of finished A/B tests, and close the mailings whose mails all
        left the queue."""
        now = fields.Datetime.now()
        due = self.search([("state", "=", "in_queue"), "|",
                           ("schedule_type", "=", "now"), ("schedule_date", "<=", now)])
        for mailing in due:
            user = mailing.user_id if mailing.user_id.active else self.env.user
            try:
                with self.env.transaction.atomic(savepoint=True):
                    mailing.with_user(user).with_context(
                        **user.context_get()).action_send_mail()
            except (UserError, AccessError, ValidationError):
                # the others still go; this one stays queued, its error in the log
                _logger.exception("The mailing %s (%s) could not be sent", mailing.id,
                                  mailing.subject)
        self._action_send_ab_testing_winners()
        self._close_sent_mailings()
        return True

    @api.model
    def _close_sent_mailings(self) -> None:
        sending = self.search([("state", "=", "sending")])
        if not sending:
            return
        busy = {row["mailing_id"][0] for row in self.env["mailing.trace"].sudo().read_group(
            [("mailing_id", "in", sending.ids), ("trace_status", "=", "outgoing")],
            ["mailing_id"], ["mailing_id"])}
        sending.filtered(lambda m: m.id not in busy).write({"state": "done"})

    # ------------------------------------------------------------------
    # statistics: who opened, clicked, replied, became a lead
    # ------------------------------------------------------------------
    def _action_view_traces(self, name: str, domain: list) -> dict:
        self.ensure_one()
        action = self.env.ref("crm_marketing.mailing_trace_action")
        return {"type": "ir.actions.act_window", "id": action.id, "name": name,
                "res_model": "mailing.trace", "view_mode": "list,form",
                "domain": [("mailing_id", "=", self.id)] + domain, "context": {"create": False}}

    def action_view_traces_scheduled(self) -> dict:
        return self._action_view_traces(_(self.env, "Scheduled"),
                                        [("trace_status", "=", "outgoing")])

    def action_view_traces_canceled(self) -> dict:
        return self._action_view_traces(_(self.env, "Canceled"),
                                        [("trace_status", "=", "cancel")])

    def action_view_traces_failed(self) -> dict:
        return self._action_view_traces(_(self.env, "Failed"), [("trace_status", "=", "error")])

    def action_view_traces_sent(self) -> dict:
        return self._action_view_traces(_(self.env, "Sent"), [("sent_datetime", "!=", False)])

    def action_view_delivered(self) -> dict:
        return self._action_view_traces(_(self.env, "Delivered"),
                                        [("trace_status", "in", ("sent", "open", "reply"))])

    def action_view_opened(self) -> dict:
        return self._action_view_traces(_(self.env, "Opened"),
                                        [("trace_status", "in", ("open", "reply"))])

    def action_view_clicked(self) -> dict:
        return self._action_view_traces(_(self.env, "Clicked"),
                                        [("links_click_datetime", "!=", False)])

    def action_view_replied(self) -> dict:
        return self._action_view_traces(_(self.env, "Replied"),
                                        [("trace_status", "=", "reply")])

    def action_view_bounced(self) -> dict:
        return self._action_view_traces(_(self.env, "Bounced"),
                                        [("trace_status", "=", "bounce")])

    def action_view_unsubscribed(self) -> dict:
        return self._action_view_traces(_(self.env, "Unsubscribed"),
                                        [("unsubscribed_datetime", "!=", False)])

    def action_redirect_to_leads(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Leads/Opportunities"),
                "res_model": "crm.lead", "view_mode": "list,form",
                "domain": self._get_lead_domain(),
                "context": {"active_test": False, "create": False}}

    def action_view_links(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Links"),
                "res_model": "link.tracker", "view_mode": "list,form",
                "domain": [("mass_mailing_id", "=", self.id)], "context": {"create": False}}
