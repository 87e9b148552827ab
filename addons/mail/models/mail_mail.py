"""Outgoing e-mails: the queue the scheduled sender empties through SMTP.

    mail = env["mail.mail"].create({"subject": "Offer", "body_html": "<p>Hi</p>",
                                    "recipient_ids": [(6, 0, [jane.id])]})
    mail.send()                     # now, in this transaction (tests, "send now")
    env["mail.mail"].process_email_queue()   # what the scheduled job does

States: ``outgoing`` (queued, or waiting for a retry), ``sent``,
``exception`` (``failure_reason`` holds the SMTP error), ``cancel``
(nobody to send to, a blacklisted address). A failed attempt keeps the
mail ``outgoing`` with ``retry_count`` raised and ``scheduled_date`` put
off (1, 4, 16 minutes ...); after ``mail.mail.max_retries`` attempts
(a system parameter, default 3) it becomes ``exception``.

The scheduled job ``process_email_queue`` cuts the due mails into
batches of 100 and queues each batch as a deferred job (``with_delay``):
each batch is sent and committed in a transaction of its own, one SMTP
connection per server and batch, and several runners never send one
mail twice (the batch locks its rows, ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL). Each recipient gets a message of their own (their address
in To; for bulk mail their own unsubscribe link).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from core import api, fields, models

from ..tools.mail_utils import attachment_payload, email_split, email_split_and_format
from ..tools.smtp import build_email, close_quietly, connect
from .mail_notification import FAILURE_TYPES

_logger = logging.getLogger("troika.mail")
BATCH_SIZE = 100
QUEUE_LIMIT = 10_000
DEFAULT_MAX_RETRIES = 3
#: minutes before retry n (1-based): 1, 4, 16 ...
RETRY_BASE_MINUTES = 1


class MailMail(models.Model):
    _name = "mail.mail"
    _description = "Outgoing Mails"
    _order = "id desc"
    _rec_name = "subject"

    mail_message_id = fields.Many2one("mail.message", "Message", ondelete="cascade",
                                      index=True)
    subject = fields.Char()
    body_html = fields.Html("Rich-text Contents")
    email_from = fields.Char("From")
    email_to = fields.Text("To", help="Addresses of recipients that are not partners")
    email_cc = fields.Char("Cc")
    reply_to = fields.Char("Reply-To")
    recipient_ids = fields.Many2many("res.partner", "mail_mail_res_partner_rel", "mail_mail_id",
                                     "partner_id", "To (Partners)")
    attachment_ids = fields.Many2many("ir.attachment", "mail_mail_attachment_rel",
                                      "mail_mail_id", "attachment_id", "Attachments")
    model = fields.Char("Related Document Model", index=True)
    res_id = fields.Integer("Related Document ID", index=True)
    message_id = fields.Char("Message-Id", index=True, copy=False)
    references = fields.Text("References", help="Message-Ids this mail replies to")
    headers = fields.Json("Headers", copy=False)
    state = fields.Selection([("outgoing", "Outgoing"), ("sent", "Sent"),
                              ("received", "Received"), ("exception", "Delivery Failed"),
                              ("cancel", "Cancelled")], "Status", default="outgoing",
                             required=True, index=True, copy=False)
    failure_type = fields.Selection(FAILURE_TYPES, "Failure type")
    failure_reason = fields.Text("Failure Reason", copy=False)
    retry_count = fields.Integer("Attempts", copy=False,
                                 help="Failed sending attempts so far")
    scheduled_date = fields.Datetime("Scheduled Send Date", index=True,
                                     help="Not sent before (retries are put off)")
    date = fields.Datetime("Sent on", copy=False)
    auto_delete = fields.Boolean("Auto Delete", help="Delete once sent (the message stays)")
    is_mass_mailing = fields.Boolean("Bulk e-mail", help="Carries an unsubscribe link")
    mail_server_id = fields.Many2one("ir.mail_server", "Outgoing mail server",
                                     ondelete="set null")

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def mark_outgoing(self) -> bool:
        """Queue again (after an exception or a cancel)."""
        return self.write({"state": "outgoing", "retry_count": 0, "failure_reason": False,
                           "failure_type": False, "scheduled_date": False})

    def cancel(self) -> bool:
        return self.write({"state": "cancel"})

    # ------------------------------------------------------------------
    # the queue
    # ------------------------------------------------------------------
    @api.model
    def _due_domain(self) -> list:
        return [("state", "=", "outgoing"), "|", ("scheduled_date", "=", False),
                ("scheduled_date", "<=", fields.Datetime.now())]

    @api.model
    def process_email_queue(self, ids: list[int] | None = None,
                            batch_size: int = BATCH_SIZE) -> int:
        """Queue the due mails as deferred jobs of ``batch_size`` mails each
        (the scheduled job); returns how many batches were queued."""
        self.check_access_rights("write")
        domain = self._due_domain()
        if ids:
            domain = [("id", "in", list(ids))] + domain
        due = self.sudo().search(domain, limit=QUEUE_LIMIT, order="id").ids
        queued = self._ids_in_pending_jobs()
        due = [mail_id for mail_id in due if mail_id not in queued]
        batches = 0
        for start in range(0, len(due), batch_size):
            self.sudo().browse(due[start:start + batch_size]).with_delay(
                priority=20, max_attempts=1)._send_queued()
            batches += 1
        return batches

    @api.model
    def _ids_in_pending_jobs(self) -> set[int]:
        jobs = self.env["ir.job"].sudo().search([("model", "=", self._name),
                                                 ("method", "=", "_send_queued"),
                                                 ("state", "=", "pending")])
        return {mail_id for job in jobs for mail_id in (job.record_ids or [])}

    def _send_queued(self) -> bool:
        """A batch job: send the mails of this batch that are still due (and
        not taken by another runner)."""
        table = self._table_obj
        stmt = sa.select(table.c.id).where(table.c.id.in_(self.ids),
                                           table.c.state == "outgoing")
        if self.env.transaction.connection.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(self.env.execute(stmt).scalars())
        if ids:
            self.browse(sorted(ids)).send()
        return True

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------
    def send(self, auto_commit: bool = False, raise_exception: bool = False) -> bool:
        """Send these mails now: one SMTP connection per server, one message per
        recipient; states, notifications and retries updated in batch."""
        self.check_access_rights("write")
        mails = self.sudo().filtered(lambda mail: mail.state == "outgoing")
        if not mails:
            return True
        context = mails._sending_context()
        outcomes: dict[int, tuple] = {}
        by_server: dict[Any, list] = defaultdict(list)
        for mail in mails:
            by_server[mail.mail_server_id.id or False].append(mail)
        for server_id, server_mails in by_server.items():
            outcomes.update(self._send_with_server(server_id, server_mails, context,
                                                   raise_exception))
        mails._record_outcomes(outcomes, context)
        return True

    def _sending_context(self) -> dict:
        """What every message of the batch needs, read once."""
        params = self.env["ir.config_parameter"].sudo()
        catchall_domain = params.get_param("mail.catchall.domain")
        bounce_alias = params.get_param("mail.bounce.alias") or "bounce"
        blacklist = set()
        if any(self.mapped("is_mass_mailing")):
            blacklist = self.env["mail.blacklist"].sudo()._blacklisted(
                {email.lower() for mail in self for email in mail._recipient_emails()})
        return {"base_url": params.get_param("web.base.url", "http://localhost:8069"),
                "secret": self.env["mail.blacklist"]._database_secret()
                if any(self.mapped("is_mass_mailing")) else None,
                "bounce": f"{bounce_alias}@{catchall_domain}" if catchall_domain else None,
                "max_retries": int(params.get_param("mail.mail.max_retries",
                                                    DEFAULT_MAX_RETRIES)),
                "blacklist": blacklist, "now": fields.Datetime.now()}

    def _recipient_emails(self) -> list[str]:
        return [partner.email for partner in self.recipient_ids if partner.email] + \
            email_split(self.email_to)

    def _send_with_server(self, server_id: Any, mails: list, context: dict,
                          raise_exception: bool) -> dict[int, tuple]:
        """{mail id: (state, failure type, reason, delivered partner ids, failed
        partner ids)} for the mails of one server."""
        outcomes: dict[int, tuple] = {}
        config = self.env["ir.mail_server"]._config_of(server_id)
        smtp = None
        try:
            smtp = connect(config)
        except (smtplib.SMTPException, OSError) as exc:
            if raise_exception:
                raise
            reason = f"Connection to {config.host}:{config.port} failed: {exc}"
            return {mail.id: ("failed", "mail_smtp", reason, [], []) for mail in mails}
        try:
            for mail in mails:
                smtp, outcomes[mail.id] = mail._send_one(smtp, config, context,
                                                         raise_exception)
        finally:
            close_quietly(smtp)
        return outcomes

    def _send_one(self, smtp: smtplib.SMTP, config: Any, context: dict,
                  raise_exception: bool) -> tuple[smtplib.SMTP, tuple]:
        recipients = self._recipients(context)
        if not recipients:
            return smtp, ("cancel", "mail_email_missing",
                          "No recipient (or only blacklisted ones).", [], [])
        attachments = [attachment_payload(a) for a in self.attachment_ids]
        delivered, failed, errors = [], [], []
        for partner, address in recipients:
            message = self._build_message(partner, address, context, attachments)
            try:
                smtp = self._deliver(smtp, config, message, context)
            except (smtplib.SMTPException, OSError) as exc:
                if raise_exception:
                    raise
                _logger.warning("Mail %s to %s failed: %s", self.id, address, exc)
                errors.append(f"{address}: {exc}")
                failed.append(partner.id if partner else None)
                continue
            delivered.append(partner.id if partner else None)
        if not delivered:
            return smtp, ("failed", "mail_smtp", "\n".join(errors), [], failed)
        return smtp, ("sent", False, "\n".join(errors) or False, delivered, failed)

    def _deliver(self, smtp: smtplib.SMTP, config: Any, message: Any,
                 context: dict) -> smtplib.SMTP:
        """Send one message; a dropped connection is opened again once."""
        sender = context["bounce"] or None
        try:
            smtp.send_message(message, from_addr=sender)
        except smtplib.SMTPServerDisconnected:
            close_quietly(smtp)
            smtp = connect(config)
            smtp.send_message(message, from_addr=sender)
        return smtp

    def _recipients(self, context: dict) -> list[tuple[Any, str]]:
        """(partner or None, formatted address) per recipient, less blacklisted."""
        result = []
        blacklist = context["blacklist"] if self.is_mass_mailing else set()
        for partner in self.recipient_ids:
            if partner.email and partner.email.lower() not in blacklist:
                result.append((partner, partner.email_formatted))
        for address in email_split_and_format(self.email_to):
            if email_split(address)[0].lower() not in blacklist:
                result.append((None, address))
        return result

    def _build_message(self, partner: Any, address: str, context: dict,
                       attachments: list) -> Any:
        body = self.body_html or ""
        headers = dict(self.headers or {})
        if self.is_mass_mailing:
            email = email_split(address)[0]
            link = self._unsubscribe_link(email, context)
            body = self.env["mail.blacklist"]._with_unsubscribe_link(body, link)
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            headers.setdefault("Precedence", "bulk")
        if self.model and self.res_id:
            headers.setdefault("X-Troika-Objects", f"{self.model}-{self.res_id}")
        references = self.references or False
        return build_email(
            self.email_from or context["bounce"] or "troika@localhost", [address],
            self.subject or "", body, email_cc=email_split_and_format(self.email_cc),
            reply_to=self.reply_to or None, message_id=self.message_id or None,
            references=references, in_reply_to=(references.split()[-1] if references
                                                 else None),
            headers=headers, attachments=attachments)

    def _unsubscribe_link(self, email: str, context: dict) -> str:
        """The signed unsubscribe link of a bulk mail's recipient (the
        blacklist's; e-mail marketing gives its mailings' own page)."""
        return self.env["mail.blacklist"]._unsubscribe_url(email, context["base_url"],
                                                           context["secret"])

    # ------------------------------------------------------------------
    # writing the outcome, in batch
    # ------------------------------------------------------------------
    def _record_outcomes(self, outcomes: dict[int, tuple], context: dict) -> None:
        groups: dict[tuple, list[int]] = defaultdict(list)
        retries = self._retry_values(outcomes, context)
        for mail in self:
            state, failure_type, reason, _delivered, _failed = outcomes[mail.id]
            if state == "failed":
                groups[retries[mail.id]].append(mail.id)
            else:
                groups[(("state", state), ("failure_type", failure_type),
                        ("failure_reason", reason), ("date", context["now"]))].append(mail.id)
        for values, ids in groups.items():
            self.browse(ids).write(dict(values))
        self._update_notifications(outcomes)
        done = self.filtered(lambda mail: mail.auto_delete and mail.state == "sent")
        if done:
            done.unlink()

    def _retry_values(self, outcomes: dict[int, tuple], context: dict) -> dict[int, tuple]:
        result = {}
        for mail in self:
            state, failure_type, reason, _delivered, _failed = outcomes[mail.id]
            if state != "failed":
                continue
            attempts = mail.retry_count + 1
            if attempts >= context["max_retries"]:
                values = (("state", "exception"), ("failure_type", failure_type),
                          ("failure_reason", reason), ("retry_count", attempts))
            else:
                delay = dt.timedelta(minutes=RETRY_BASE_MINUTES * 4 ** (attempts - 1))
                values = (("failure_type", failure_type), ("failure_reason", reason),
                          ("retry_count", attempts),
                          ("scheduled_date", context["now"] + delay))
            result[mail.id] = values
        return result

    def _update_notifications(self, outcomes: dict[int, tuple]) -> None:
        Notification = self.env["mail.notification"].sudo()
        notifications = Notification.search([("mail_mail_id", "in", list(outcomes))])
        groups: dict[tuple, list[int]] = defaultdict(list)
        states = {mail.id: mail.state for mail in self}
        for notification in notifications:
            mail_id = notification.mail_mail_id.id
            state, failure_type, reason, delivered, failed = outcomes[mail_id]
            partner_id = notification.res_partner_id.id
            if partner_id in delivered:
                key = ("sent", False, False)
            elif partner_id in failed and states.get(mail_id) == "exception" or \
                    (partner_id in failed and state == "sent"):
                key = ("exception", "mail_smtp", reason)
            elif state == "cancel":
                key = ("canceled", failure_type, reason)
            else:
                continue
            groups[key].append(notification.id)
        for (status, failure_type, reason), ids in groups.items():
            Notification.browse(ids).write({"notification_status": status,
                                            "failure_type": failure_type,
                                            "failure_reason": reason})
