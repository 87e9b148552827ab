"""Tickets and e-mail: mail to the team's alias opens a ticket, replies thread back.

    # support@<catchall domain>, the alias of a team (helpdesk.team.alias_name):
    env["mail.thread"].message_process(None, raw_rfc822_bytes)   # -> a new ticket's id
    ticket.message_post(body="We ship replacements today.", message_type="comment",
                        subtype_xmlid="mail.mt_comment")         # the first response
    # the customer's answer (In-Reply-To: that message) lands on the same ticket

``message_new`` makes the ticket from the mail: the subject, the body as
description, the sender as customer (a contact is created for an unknown
address, so that the answers reach them), the team of the alias. A reply
from the customer moves a ticket that waited for them back to In Progress.
The first message an agent sends the customer (a chatter message, not a
note; or their own e-mail reply) is the ticket's first response, which
reaches first-response SLAs.
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models

from ..tools.mail import split_name_email

WAITING_STAGE = "crm_helpdesk.stage_waiting"


class HelpdeskTicketMail(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def message_new(self, msg_dict: dict, custom_values: dict | None = None) -> Any:
        name, email = split_name_email(msg_dict.get("email_from"))
        values: dict[str, Any] = {
            "name": msg_dict.get("subject") or "(no subject)",
            "description": msg_dict.get("body") or False,
            "partner_email": email or False,
            "partner_name": name or email or False,
        }
        partner = self._partner_from_email(msg_dict.get("email_from") or "", name or None) \
            if email else self.env["res.partner"]
        if partner:
            values["partner_id"] = partner.id
        values.update(custom_values or {})
        return super().message_new(msg_dict, values)

    def message_update(self, msg_dict: dict, update_vals: dict | None = None) -> bool:
        result = super().message_update(msg_dict, update_vals)
        _name, email = split_name_email(msg_dict.get("email_from"))
        waiting = self.env.ref(WAITING_STAGE, raise_if_not_found=False)
        for ticket in self.sudo():
            from_customer = email and email == (ticket.partner_email or "").lower()
            if from_customer and waiting and ticket.stage_id == waiting:
                ticket.action_start()
        return result

    def message_post(self, **kwargs: Any) -> Any:
        message = super().message_post(**kwargs)
        if self._is_agent_response(message):
            self._set_first_response(message.sudo().date or fields.Datetime.now())
        return message

    def _is_agent_response(self, message: Any) -> bool:
        """A message to the customer written by an employee (not a note)."""
        message = message.sudo()
        if message.message_type not in ("comment", "email", "email_outgoing"):
            return False
        if not message.subtype_id or message.subtype_id.internal or message.is_internal:
            return False
        users = message.author_id.user_ids
        return bool(users.filtered(lambda user: not user.share))

    def _set_first_response(self, moment: Any) -> None:
        for ticket in self.sudo().filtered(lambda t: not t.first_response_date):
            ticket.write({"first_response_date": moment,
                          "first_response_hours": ticket._working_hours(ticket.create_date,
                                                                         moment)})
            ticket._sla_reach_first_response(moment)

    def _message_get_default_recipients(self) -> dict[int, dict]:
        return {ticket.id: {"partner_ids": ticket.partner_id.ids,
                            "email_to": False if ticket.partner_id else ticket.partner_email}
                for ticket in self}

    def _track_subtype(self, init_values: dict) -> Any:
        if "stage_id" in init_values:
            return self.env.ref("crm_helpdesk.mt_ticket_stage")
        return super()._track_subtype(init_values)

    # ------------------------------------------------------------------
    # ratings (rating.mixin)
    # ------------------------------------------------------------------
    def _rating_get_parent(self) -> Any:
        return self.sudo().team_id or None
