"""E-mail events move nurturing sequences on: the traces of a step's e-mail
point to the participant's step (``marketing_trace_id``), and each event
method, after doing its own work, tells that step.

    trace.set_opened()     # the "opened" next steps are dated, "not opened" canceled
    trace.set_clicked()    # implies opened
    trace.set_replied()    # implies opened; the sequence stops for the contact
    trace.set_bounced()    # every next step but the "bounced" ones canceled
"""

from __future__ import annotations

from typing import Any

from core import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    marketing_trace_id = fields.Many2one("marketing.trace", "Marketing Trace", index=True,
                                         ondelete="cascade")
    marketing_activity_id = fields.Many2one("marketing.activity", "Marketing Activity",
                                            index=True, ondelete="cascade",
                                            help="The step of the marketing trace (kept "
                                                 "here for the steps' statistics)")

    def set_opened(self, domain: list | None = None) -> Any:
        traces = super().set_opened(domain)
        traces._process_marketing_events(["mail_open"])
        return traces

    def set_clicked(self, domain: list | None = None) -> Any:
        traces = super().set_clicked(domain)
        traces._process_marketing_events(["mail_open", "mail_click"])
        return traces

    def set_replied(self, domain: list | None = None) -> Any:
        traces = super().set_replied(domain)
        traces._process_marketing_events(["mail_open", "mail_reply"])
        return traces

    def set_bounced(self, domain: list | None = None, bounce_message: str | bool = False
                    ) -> Any:
        traces = super().set_bounced(domain, bounce_message=bounce_message)
        traces._process_marketing_events(["mail_bounce"])
        return traces

    def _process_marketing_events(self, actions: list[str]) -> None:
        """Events come from public routes and the mail gateway: the sequence
        moves on as superuser."""
        steps = self.sudo().filtered("marketing_trace_id").mapped("marketing_trace_id")
        if steps:
            steps._process_event(actions)
