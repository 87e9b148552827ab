"""Sending a mailing: traces and mails in batches, under the hourly limit.

    traces = mailing.action_send_mail()            # its remaining recipients
    traces = mailing.action_send_mail(res_ids=[7, 9])   # these records of mailing_model_real

``action_send_mail`` returns the ``mailing.trace`` records it created, one per
record given (or per remaining recipient): ``outgoing`` with a queued
``mail.mail`` (``is_mass_mailing``) for those who get the mail, ``cancel`` with
a ``failure_type`` for the others: no address (``mail_email_missing``), an
invalid one (``mail_email_invalid``), a blacklisted one (``mail_bl``), a
contact who opted out of the mailing's lists or has not confirmed the sign-up
(``mail_optout``), an address mailed already by this mailing (``mail_dup``).

Work goes in batches of ``BATCH_SIZE`` records, each a fixed number of
queries: the records read, the blacklist and the subscriptions looked up,
the traces created, the subjects and bodies rendered (jinja2 sandbox of the
mail addon, as the sending user), the mails created and linked to their traces.

**The hourly limit** (system parameter ``mass_mailing.hourly_limit``, default
``DEFAULT_HOURLY_LIMIT``; 0 turns it off): no clock hour holds more than that
many bulk mails. Each mail gets a ``scheduled_date`` (the mail queue does not
send it earlier), and so does its trace (``scheduled_datetime``): the mails of
the current hour are due now, up to the hour's room left; the next ones go to
the next hours, the limit per hour. The mail queue (``mail.mail``, every
minute, batches of 100 in jobs of their own) sends them when they are due.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from email.utils import formataddr
from typing import Any

from markupsafe import Markup

from addons.mail.tools.mail_utils import (
    append_content_to_html,
    email_normalize,
    email_split,
    generate_message_id,
)
from addons.mail.tools.render import render
from core import fields, models
from core.orm import sql

BATCH_SIZE = 500
PREHEADER = ('<div style="display:none; max-height:0; overflow:hidden; font-size:1px;">'
             '{}</div>')
DEFAULT_HOURLY_LIMIT = 1000
_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?://[^"'\s>]+)\2""",
                   re.IGNORECASE)


class MailingMailingSend(models.Model):
    _inherit = "mailing.mailing"

    def action_send_mail(self, res_ids: list[int] | None = None) -> Any:
        """Send to ``res_ids`` (records of ``mailing_model_real``), or to the
        remaining recipients; the traces created (see the module's docstring)."""
        traces = self.env["mailing.trace"]
        for mailing in self:
            ids = list(res_ids) if res_ids is not None else mailing._get_remaining_recipients()
            if res_ids is None and mailing.ab_testing_enabled:
                ids = mailing._ab_testing_sample(ids)
            traces |= mailing._send_to(ids)
            values: dict[str, Any] = {"state": "sending" if traces.filtered(
                lambda t, m=mailing: t.mailing_id == m and t.trace_status == "outgoing")
                else "done"}
            if not mailing.sent_date:
                values["sent_date"] = fields.Datetime.now()
            mailing.write(values)
        return traces

    def _send_to(self, res_ids: list[int]) -> Any:
        self.ensure_one()
        traces = self.env["mailing.trace"]
        if not res_ids:
            return traces
        context = self._send_context()
        for start in range(0, len(res_ids), BATCH_SIZE):
            traces |= self._send_batch(res_ids[start:start + BATCH_SIZE], context)
        return traces

    def _send_context(self) -> dict[str, Any]:
        """What every batch of one sending needs, read once."""
        params = self.env["ir.config_parameter"].sudo()
        base_url = params.get_param("web.base.url", "http://localhost:8069").rstrip("/")
        _seen_ids, seen_emails = self._get_seen()
        body, links = self._tracked_body(base_url)
        return {"base_url": base_url, "secret": self.env["mail.blacklist"]._database_secret(),
                "domain": params.get_param("mail.catchall.domain") or "localhost",
                "reply_to": self._reply_to_address(params), "seen": seen_emails,
                "slots": self._hourly_slots(), "body": body, "links": links,
                "user_env": self._sending_user_env()}

    def _sending_user_env(self) -> Any:
        """The environment recipients are read and rendered in: the current
        user's, or the mailing's responsible when the superuser sends."""
        if not self.env.is_superuser() or not self.user_id:
            return self.env
        return self.env(user=self.user_id.id, su=False)

    def _reply_to_address(self, params: Any) -> str | bool:
        if self.reply_to_mode == "new" and self.reply_to:
            return self.reply_to
        alias, domain = params.get_param("mail.catchall.alias"), \
            params.get_param("mail.catchall.domain")
        return f"{alias}@{domain}" if alias and domain else (self.reply_to or False)

    # ------------------------------------------------------------------
    # one batch
    # ------------------------------------------------------------------
    def _send_batch(self, res_ids: list[int], context: dict) -> Any:
        records = context["user_env"][self.mailing_model_real].browse(res_ids)
        reasons = self._cancel_reasons(records, context["seen"])
        trace_values = []
        for record in records:
            reason, email = reasons[record.id]
            values = {"model": records._name, "res_id": record.id, "email": email or False,
                      "mailing_id": self.id}
            if reason:
                values.update(trace_status="cancel", failure_type=reason)
            else:
                values.update(trace_status="outgoing", scheduled_datetime=next(context["slots"]),
                              message_id=generate_message_id(records._name, record.id,
                                                             context["domain"]))
            trace_values.append(values)
        traces = self.env["mailing.trace"].sudo().create(trace_values)
        outgoing = traces.filtered(lambda t: t.trace_status == "outgoing")
        if outgoing:
            self._create_mails(records, outgoing, context)
        return traces.with_env(self.env)

    def _cancel_reasons(self, records: Any, seen: set[str]) -> dict[int, tuple]:
        """{record id: (failure type or False, normalised address)}; ``seen``
        (the addresses mailed) grows with the new ones."""
        email_field = getattr(type(records), "_primary_email", "email")
        raw = {record.id: record[email_field] for record in records}
        normalized = {res_id: email_normalize(value) if value else False
                      for res_id, value in raw.items()}
        blacklisted = self.env["mail.blacklist"].sudo()._blacklisted(
            {email for email in normalized.values() if email})
        opted_out = self._opted_out(records)
        result = {}
        for record in records:
            email = normalized[record.id]
            if not raw[record.id]:
                reason = "mail_email_missing"
            elif not email:
                reason = "mail_email_invalid"
            elif email in blacklisted:
                reason = "mail_bl"
            elif record.id in opted_out:
                reason = "mail_optout"
            elif email in seen:
                reason = "mail_dup"
            else:
                reason = False
                seen.add(email)
            result[record.id] = (reason, email)
        return result

    def _opted_out(self, records: Any) -> set[int]:
        """Contacts of a list mailing without a confirmed, not opted-out
        subscription to one of its lists."""
        if records._name != "mailing.contact" or not self.contact_list_ids:
            return set()
        rows = self.env["mailing.subscription"].sudo().search_read(
            [("contact_id", "in", records.ids), ("list_id", "in", self.contact_list_ids.ids),
             ("opt_out", "=", False), ("is_pending", "=", False)], ["contact_id"])
        subscribed = {row["contact_id"][0] for row in rows}
        return {res_id for res_id in records.ids if res_id not in subscribed}

    def _create_mails(self, records: Any, traces: Any, context: dict) -> None:
        by_id = {record.id: record for record in records}
        email_field = getattr(type(records), "_primary_email", "email")
        template = self.env["mail.template"]
        subject_source, body_source, preview = self.subject, context["body"], self.preview
        mail_values = []
        for trace in traces:
            record = by_id[trace.res_id]
            values = template.with_env(records.env)._render_values(record)
            body = render(body_source, values, html=True)
            if preview:     # the preheader mail clients show after the subject
                body = str(Markup(PREHEADER).format(render(preview, values))) + body
            mail_values.append({
                "subject": render(subject_source, values),
                "body_html": self._personal_body(body, trace, context),
                "email_from": self.email_from, "reply_to": context["reply_to"],
                "email_to": _formatted(record, email_field, trace.email),
                "model": records._name, "res_id": record.id,
                "message_id": trace.message_id, "scheduled_date": trace.scheduled_datetime,
                "is_mass_mailing": True, "auto_delete": not self.keep_archives,
                "mailing_id": self.id, "headers": {"X-Troika-Mailing": str(self.id)},
            })
        mails = self.env["mail.mail"].sudo().create(mail_values)
        table = traces._table_obj
        sql.update_rows(self.env.transaction.connection, table,
                        ("mail_mail_id", "mail_mail_id_int"),
                        [(trace.id, {"mail_mail_id": mail.id, "mail_mail_id_int": mail.id})
                         for trace, mail in zip(traces, mails, strict=True)])
        traces.invalidate_recordset(["mail_mail_id", "mail_mail_id_int"])

    def _personal_body(self, body: str, trace: Any, context: dict) -> str:
        """The rendered body with the recipient's click links and open pixel."""
        secret, links = context["secret"], context["links"]
        if links:
            body = re.sub(
                re.escape(context["base_url"]) + r"/r/([A-Za-z0-9]+)(?=[\"'])",
                lambda m: trace._click_url(m.group(0), secret) if m.group(1) in links
                else m.group(0), body)
        pixel = Markup('<img src="{}" alt="" width="1" height="1" style="display:block; '
                       'height:1px; width:1px; border:0;"/>').format(
            trace._tracking_urls(context["base_url"], secret)["open"])
        return append_content_to_html(body, str(pixel))

    def _tracked_body(self, base_url: str) -> tuple[str, set[str]]:
        """The body source with its http(s) links replaced by the mailing's
        link trackers (links holding placeholders stay as they are), and the
        trackers' codes."""
        source = self.body_html or ""
        urls = [match.group(3) for match in _HREF.finditer(source)
                if "{{" not in match.group(3) and "{%" not in match.group(3)
                and not match.group(3).startswith(f"{base_url}/r/")]
        trackers = self.env["link.tracker"].sudo()._find_or_create(
            [_unescape(url) for url in urls], self)
        if not trackers:
            return source, set()

        def replace(match: re.Match) -> str:
            link = trackers.get(_unescape(match.group(3)))
            if link is None:
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}{base_url}/r/{link.code}{match.group(2)}"

        return _HREF.sub(replace, source), {link.code for link in trackers.values()}

    # ------------------------------------------------------------------
    # the hourly limit
    # ------------------------------------------------------------------
    def _hourly_limit(self) -> int:
        value = self.env["ir.config_parameter"].sudo().get_param(
            "mass_mailing.hourly_limit", DEFAULT_HOURLY_LIMIT)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_HOURLY_LIMIT

    def _hourly_slots(self) -> Iterator[dt.datetime]:
        """Scheduled datetimes for the next mails: now while the current clock
        hour has room, then the following hours, ``limit`` mails each."""
        now = fields.Datetime.now()
        limit = self._hourly_limit()
        if not limit:
            while True:
                yield now
        hour = now.replace(minute=0, second=0, microsecond=0)
        rows = self.env["mailing.trace"].sudo().search_read(
            [("scheduled_datetime", ">=", hour), ("trace_status", "!=", "cancel")],
            ["scheduled_datetime"])
        used = Counter(row["scheduled_datetime"].replace(minute=0, second=0, microsecond=0)
                       for row in rows)
        while True:
            for _i in range(limit - used[hour]):
                yield max(now, hour)
            hour += dt.timedelta(hours=1)


def _formatted(record: Any, email_field: str, normalized: str) -> str:
    """``Name <address>``, the address as the record writes it."""
    found = email_split(record[email_field])
    email = found[0] if found else normalized
    name = record.display_name if record._name != "crm.lead" else \
        (record.contact_name or record.partner_name or record.display_name)
    return formataddr((name or "", email))


def _unescape(url: str) -> str:
    return url.replace("&amp;", "&")
