"""The mail queue, for mailing mails: the recipient's own unsubscribe page,
a last check of opt-outs when the mail leaves, and the traces told the outcome.

    mail.mailing_id              # the mailing the mail belongs to
    mail.mailing_trace_ids       # its trace (one recipient per mailing mail)

A contact may opt out between the moment a large mailing is queued and the
hour its mail is due: the queue checks again (the blacklist, as for any bulk
mail, and the subscriptions to the mailing's lists) and cancels the mail.
"""

from __future__ import annotations

from typing import Any

from core import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    mailing_id = fields.Many2one("mailing.mailing", "Mass Mailing", index=True,
                                 ondelete="set null")
    mailing_trace_ids = fields.One2many("mailing.trace", "mail_mail_id", "Statistics")

    def _sending_context(self) -> dict:
        context = super()._sending_context()
        mailing_mails = self.filtered("mailing_id")
        context["mailing_traces"] = {}
        context["mailing_opted_out"] = set()
        context["mailing_dropped"] = {}
        if mailing_mails:
            traces = self.env["mailing.trace"].sudo().search(
                [("mail_mail_id", "in", mailing_mails.ids)])
            context["mailing_traces"] = {trace.mail_mail_id.id: trace for trace in traces}
            context["mailing_opted_out"] = self._mailing_opted_out(traces)
            if context["secret"] is None:
                context["secret"] = self.env["mail.blacklist"]._database_secret()
        return context

    def _mailing_opted_out(self, traces: Any) -> set[int]:
        """Ids of mails whose contact has left the mailing's lists since they
        were queued (one query)."""
        contact_traces = traces.filtered(
            lambda t: t.model == "mailing.contact" and t.mailing_id.contact_list_ids)
        if not contact_traces:
            return set()
        rows = self.env["mailing.subscription"].sudo().search_read(
            [("contact_id", "in", contact_traces.mapped("res_id")),
             ("list_id", "in", contact_traces.mapped("mailing_id.contact_list_ids").ids),
             ("opt_out", "=", False), ("is_pending", "=", False)],
            ["contact_id", "list_id"])
        subscribed = {(row["contact_id"][0], row["list_id"][0]) for row in rows}
        result = set()
        for trace in contact_traces:
            lists = trace.mailing_id.contact_list_ids.ids
            if not any((trace.res_id, list_id) in subscribed for list_id in lists):
                result.add(trace.mail_mail_id.id)
        return result

    def _recipients(self, context: dict) -> list[tuple[Any, str]]:
        if self.id in context.get("mailing_opted_out", ()):
            context["mailing_dropped"][self.id] = "mail_optout"
            return []
        recipients = super()._recipients(context)
        if not recipients and self.id in context.get("mailing_traces", {}):
            context["mailing_dropped"][self.id] = "mail_bl"
        return recipients

    def _unsubscribe_link(self, email: str, context: dict) -> str:
        trace = context.get("mailing_traces", {}).get(self.id)
        if trace is None:
            return super()._unsubscribe_link(email, context)
        return trace._tracking_urls(context["base_url"], context["secret"])["unsubscribe"]

    def _record_outcomes(self, outcomes: dict[int, tuple], context: dict) -> None:
        traces = context.get("mailing_traces") or {}
        if not traces:
            return super()._record_outcomes(outcomes, context)
        Trace = self.env["mailing.trace"].sudo()  # noqa: N806
        sent, failed = Trace, Trace
        canceled: dict[str, Any] = {}
        for mail_id, outcome in outcomes.items():
            trace = traces.get(mail_id)
            if trace is None:
                continue
            if outcome[0] == "sent":
                sent |= trace
            elif outcome[0] == "cancel":
                reason = context["mailing_dropped"].get(mail_id, "mail_email_missing")
                canceled[reason] = canceled.get(reason, Trace) | trace
            elif outcome[0] == "failed":
                failed |= trace
        if sent:
            sent.set_sent()
        for reason, group in canceled.items():
            group.set_canceled(failure_type=reason)
        result = super()._record_outcomes(outcomes, context)
        given_up = failed.filtered(lambda t: t.mail_mail_id.state == "exception")
        for trace in given_up:
            trace.set_failed(failure_type="mail_smtp",
                             failure_reason=trace.mail_mail_id.failure_reason)
        return result
