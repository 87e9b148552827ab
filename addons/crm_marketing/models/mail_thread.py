"""The mail gateway, for mailings: replies and bounces tell the traces.

A reply whose In-Reply-To or References names the Message-Id of a mailing's
mail marks its trace replied (and opened); when nothing else claims it, the
reply is posted on the recipient's record if that model has a chatter. A
bounce naming such a Message-Id marks the trace bounced and counts the bounce
on the mailing contacts with that address.
"""

from __future__ import annotations

from core import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(self, msg_dict: dict, model: str | None = None,
                      thread_id: int | None = None,
                      custom_values: dict | None = None) -> list[tuple]:
        references = list(msg_dict.get("in_reply_to") or []) + \
            list(msg_dict.get("references") or [])
        traces = self.env["mailing.trace"]
        if references and "mailing.trace" in self.env:
            traces = self.env["mailing.trace"].sudo().search(
                [("message_id", "in", references)])
            if traces:
                traces.set_replied()
        routes = super().message_route(msg_dict, model, thread_id, custom_values)
        if routes or not traces:
            return routes
        trace = traces[0]
        if trace.model in self.env and getattr(type(self.env[trace.model]), "_mail_thread",
                                               False) and trace.res_id:
            return [(trace.model, trace.res_id, custom_values, None)]
        return routes

    @api.model
    def _routing_handle_bounce(self, msg_dict: dict) -> None:
        super()._routing_handle_bounce(msg_dict)
        bounce = msg_dict["bounce"]
        if not bounce.get("message_id") or "mailing.trace" not in self.env:
            return
        traces = self.env["mailing.trace"].sudo().search(
            [("message_id", "=", bounce["message_id"])])
        if not traces:
            return
        traces.set_bounced(bounce_message=", ".join(sorted(bounce["recipients"])) or False)
        contacts = self.env["mailing.contact"].sudo().search(
            [("email_normalized", "in", [t.email for t in traces if t.email])])
        for contact in contacts:
            contact.message_bounce = contact.message_bounce + 1
