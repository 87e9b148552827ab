"""One recipient of one mailing: what happened to the e-mail sent to them.

    trace.trace_status          # outgoing, sent, open, reply, bounce, error, cancel
    trace.set_opened()          # the open pixel was loaded
    trace.set_clicked()         # a tracked link was followed
    env["mailing.trace"].set_replied(domain=[("message_id", "in", refs)])

Every event goes through the ``set_*`` methods (the tracking routes, the mail
queue, replies and bounces coming in through the mail gateway): an addon that
reacts to events (nurturing sequences) overrides them, calls ``super()`` and
acts on the records returned.

The links of a mail (open pixel, click redirects, unsubscribe page) carry an
HMAC-SHA256 of the trace id, the recipient's address and the purpose of the
link, keyed with the database secret: a link works for its recipient and its
purpose only, and cannot be made without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from core import api, fields, models

TRACE_STATUSES = [("outgoing", "Outgoing"), ("sent", "Delivered"), ("open", "Opened"),
                  ("reply", "Replied"), ("bounce", "Bounced"), ("error", "Exception"),
                  ("cancel", "Canceled")]
FAILURE_TYPES = [("unknown", "Unknown error"), ("mail_bounce", "Bounce"),
                 ("mail_email_invalid", "Invalid email address"),
                 ("mail_email_missing", "Missing email address"),
                 ("mail_smtp", "Connection failed (outgoing mail server problem)"),
                 ("mail_bl", "Blacklisted Address"), ("mail_dup", "Duplicated Email"),
                 ("mail_optout", "Opted Out")]
#: purposes of the signed links of a mail
TOKEN_PURPOSES = ("open", "click", "unsubscribe")


class MailingTrace(models.Model):
    _name = "mailing.trace"
    _description = "Mailing Statistics"
    _order = "create_date desc, id desc"
    _rec_name = "email"

    trace_type = fields.Selection([("mail", "Email")], "Type", default="mail", required=True)
    model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Integer("Document ID", index=True)
    email = fields.Char("Email", index=True, help="Normalised address the mail went to")
    mailing_id = fields.Many2one("mailing.mailing", "Mailing", index=True, ondelete="cascade")
    campaign_id = fields.Many2one("utm.campaign", "Campaign", related="mailing_id.campaign_id",
                                  store=True, index=True)
    source_id = fields.Many2one("utm.source", "Source", related="mailing_id.source_id")
    medium_id = fields.Many2one("utm.medium", "Medium", related="mailing_id.medium_id")
    mail_mail_id = fields.Many2one("mail.mail", "Mail", index=True, ondelete="set null")
    mail_mail_id_int = fields.Integer("Mail ID (tech)", index=True,
                                      help="The mail's id, kept once the sent mail is "
                                           "deleted")
    message_id = fields.Char("Message-ID", index=True,
                             help="Replies and bounces are matched to the trace by it")
    trace_status = fields.Selection(TRACE_STATUSES, "Status", default="outgoing",
                                    required=True, index=True)
    failure_type = fields.Selection(FAILURE_TYPES, "Failure type")
    failure_reason = fields.Text("Failure reason")
    scheduled_datetime = fields.Datetime("Scheduled On", index=True,
                                         help="When the mail queue may send it (the hourly "
                                              "limit spreads large mailings)")
    sent_datetime = fields.Datetime("Sent On", index=True)
    open_datetime = fields.Datetime("Opened On")
    reply_datetime = fields.Datetime("Replied On")
    links_click_datetime = fields.Datetime("Clicked On",
                                           help="The last click on a link of the mail")
    unsubscribed_datetime = fields.Datetime("Unsubscribed On")
    links_click_ids = fields.One2many("link.tracker.click", "mailing_trace_id", "Links click")
    res_name = fields.Char("Recipient", compute="_compute_res_name")

    def _compute_res_name(self) -> None:
        by_model: dict[str, list[int]] = {}
        for trace in self:
            if trace.model in self.env and trace.res_id:
                by_model.setdefault(trace.model, []).append(trace.res_id)
        names: dict[tuple[str, int], str] = {}
        for model, ids in by_model.items():
            records = self.env[model].sudo().browse(ids).exists()
            names.update({(model, record.id): record.display_name for record in records})
        for trace in self:
            trace.res_name = names.get((trace.model, trace.res_id)) or trace.email or False

    # ------------------------------------------------------------------
    # events: always through these methods (see the module's docstring)
    # ------------------------------------------------------------------
    def _with_domain(self, domain: list | None) -> Any:
        return self | (self.search(domain) if domain else self.browse())

    def set_sent(self, domain: list | None = None) -> Any:
        traces = self._with_domain(domain)
        traces.write({"trace_status": "sent", "sent_datetime": fields.Datetime.now(),
                      "failure_type": False, "failure_reason": False})
        return traces

    def set_opened(self, domain: list | None = None) -> Any:
        """Opened (the pixel, or a click or a reply, which imply it); a reply
        stays a reply. Returns the traces that were not opened before."""
        traces = self._with_domain(domain).filtered(
            lambda t: t.trace_status not in ("open", "reply") and not t.open_datetime)
        traces.write({"trace_status": "open", "open_datetime": fields.Datetime.now()})
        return traces

    def set_clicked(self, domain: list | None = None) -> Any:
        traces = self._with_domain(domain)
        traces.write({"links_click_datetime": fields.Datetime.now()})
        return traces

    def set_replied(self, domain: list | None = None) -> Any:
        """Replied; returns the traces that were not replied before."""
        traces = self._with_domain(domain).filtered(lambda t: t.trace_status != "reply")
        now = fields.Datetime.now()
        traces.write({"trace_status": "reply", "reply_datetime": now})
        traces.filtered(lambda t: not t.open_datetime).write({"open_datetime": now})
        return traces

    def set_bounced(self, domain: list | None = None, bounce_message: str | bool = False) -> Any:
        traces = self._with_domain(domain)
        traces.write({"trace_status": "bounce", "failure_type": "mail_bounce",
                      "failure_reason": bounce_message or False})
        return traces

    def set_failed(self, domain: list | None = None, failure_type: str = "unknown",
                   failure_reason: str | bool = False) -> Any:
        traces = self._with_domain(domain)
        traces.write({"trace_status": "error", "failure_type": failure_type,
                      "failure_reason": failure_reason or False})
        return traces

    def set_canceled(self, domain: list | None = None, failure_type: str | bool = False) -> Any:
        traces = self._with_domain(domain)
        values: dict[str, Any] = {"trace_status": "cancel"}
        if failure_type:
            values["failure_type"] = failure_type
        traces.write(values)
        return traces

    def set_unsubscribed(self, domain: list | None = None) -> Any:
        traces = self._with_domain(domain).filtered(lambda t: not t.unsubscribed_datetime)
        traces.write({"unsubscribed_datetime": fields.Datetime.now()})
        return traces

    # ------------------------------------------------------------------
    # unsubscribing (the page of the mail's link)
    # ------------------------------------------------------------------
    def _unsubscribe_from_lists(self) -> Any:
        """Opt the recipient's address out of the mailing's lists."""
        self.ensure_one()
        trace = self.sudo()
        subscriptions = self.env["mailing.subscription"].sudo().search([
            ("contact_id.email_normalized", "=", trace.email),
            ("list_id", "in", trace.mailing_id.contact_list_ids.ids),
            ("opt_out", "=", False)])
        subscriptions.write({"opt_out": True})
        trace.set_unsubscribed()
        return subscriptions

    def _unsubscribe_blacklist(self) -> None:
        """No bulk e-mail at all to the recipient's address any more."""
        self.ensure_one()
        trace = self.sudo()
        if trace.email:
            self.env["mail.blacklist"].sudo()._add(
                trace.email, reason=f"Unsubscribed from the mailing {trace.mailing_id.subject}")
        trace.set_unsubscribed()

    # ------------------------------------------------------------------
    # signed links
    # ------------------------------------------------------------------
    def _tracking_token(self, purpose: str, secret: str | None = None) -> str:
        """The signature of this trace's ``purpose`` link ('open', 'click',
        'unsubscribe')."""
        self.ensure_one()
        if purpose not in TOKEN_PURPOSES:
            raise ValueError(f"Unknown link purpose {purpose!r}")
        key = (secret or self.env["mail.blacklist"]._database_secret()).encode()
        message = f"mailing.trace:{purpose}:{self.id}:{self.sudo().email or ''}"
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _from_token(self, trace_id: int, purpose: str, token: str) -> Any:
        """The trace ``trace_id`` (as superuser) when ``token`` is its ``purpose``
        signature, else an empty set."""
        if not isinstance(trace_id, int) or not token:
            return self.browse()
        trace = self.sudo().browse(trace_id).exists()
        if not trace or not hmac.compare_digest(trace._tracking_token(purpose), str(token)):
            return self.browse()
        return trace

    def _tracking_urls(self, base_url: str, secret: str) -> dict[str, str]:
        """The pixel and the unsubscribe page of this trace."""
        self.ensure_one()
        base = base_url.rstrip("/")
        return {
            "open": f"{base}/mail/track/{self.id}/{self._tracking_token('open', secret)}"
                    "/blank.gif",
            "unsubscribe": f"{base}/mailing/unsubscribe/{self.id}/"
                           f"{self._tracking_token('unsubscribe', secret)}",
        }

    def _click_url(self, short_url: str, secret: str) -> str:
        """A link tracker's short URL, followed for this trace."""
        return f"{short_url}/m/{self.id}/{self._tracking_token('click', secret)}"
