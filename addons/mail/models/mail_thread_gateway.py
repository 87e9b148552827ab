"""Incoming mail: routing a raw message to a record.

    env["mail.thread"].message_process(None, raw_bytes)   # -> the record id, or False

Routes, in order:

1. a delivery status notification (a bounce) is matched to the message it
   answers by Message-Id: the recipient's notification becomes
   ``bounce``, their ``message_bounce`` counter goes up, the mail (if kept)
   is marked failed; nothing is posted;
2. a message whose Message-Id is known already is not posted twice;
3. a reply (``In-Reply-To``, then ``References``) to a known message is
   posted on that message's record;
4. a message to an alias (the local part of a recipient; with
   ``mail.catchall.domain`` set, only addresses of that domain) creates a
   record of the alias's model with ``message_new(msg_dict,
   custom_values)`` — or is posted on ``alias_force_thread_id`` — when
   ``alias_contact`` lets the sender write;
5. anything else is logged and dropped.

A model customises how a mail becomes a record by overriding
``message_new`` (and ``message_update`` for replies). The gateway runs as
superuser: the sender is not a user of the database.
"""

from __future__ import annotations

import logging
from typing import Any

from core import api, models
from core.exceptions import AccessError
from core.i18n.translate import _

from ..tools.mail_parse import parse_message
from ..tools.mail_utils import email_split
from .mail_alias import parse_defaults

_logger = logging.getLogger("troika.mail.gateway")


class MailThreadGateway(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(self, model: str | None, message: bytes | str,
                        custom_values: dict | None = None, save_original: bool = False,
                        strip_attachments: bool = False,
                        thread_id: int | None = None) -> int | bool:
        """Route and post one raw message; the id of the record it went to,
        or False when it was dropped (or was a bounce). The gateway's own
        entry point: administrators and the superuser only (it posts and
        creates as superuser, for senders who are not users)."""
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise AccessError(_(self.env, "Only the mail gateway (an administrator) may "
                                "process incoming mail."))
        msg_dict = parse_message(message)
        if strip_attachments:
            msg_dict["attachments"] = []
        if save_original:
            raw = message if isinstance(message, bytes) else message.encode()
            msg_dict["attachments"].append(("original_email.eml", raw, "message/rfc822"))
        if msg_dict["bounce"] is not None:
            self._routing_handle_bounce(msg_dict)
            return False
        routes = self.message_route(msg_dict, model, thread_id, custom_values)
        if not routes:
            _logger.warning("Dropped a mail from %s to %s (%s): no route",
                            msg_dict["email_from"], ", ".join(msg_dict["recipients"]),
                            msg_dict["message_id"])
            return False
        return self._message_route_process(msg_dict, routes)

    @api.model
    def message_route(self, msg_dict: dict, model: str | None = None,
                      thread_id: int | None = None,
                      custom_values: dict | None = None) -> list[tuple]:
        """[(model, thread id or None, custom values, alias or None)] for the mail."""
        Message = self.env["mail.message"].sudo()
        if msg_dict["message_id"]:
            known = Message.search([("message_id", "=", msg_dict["message_id"])], limit=1)
            if known and known.model:
                return [("__known__", known.res_id, None, None)]
        for reference in reversed(msg_dict["in_reply_to"] + msg_dict["references"]):
            parent = Message.search([("message_id", "=", reference), ("model", "!=", False)],
                                    order="id", limit=1)
            if parent and parent.model in self.env and parent.res_id:
                msg_dict["parent_id"] = parent.id
                return [(parent.model, parent.res_id, custom_values, None)]
        for alias in self._aliases_of(msg_dict["recipients"]):
            if self._alias_accepts(alias, msg_dict):
                defaults = dict(parse_defaults(alias.alias_defaults), **(custom_values or {}))
                return [(alias.alias_model_id.model, alias.alias_force_thread_id or None,
                         defaults, alias)]
            _logger.warning("Alias %s refused a mail from %s (%s)", alias.alias_name,
                            msg_dict["email_from"], alias.alias_contact)
            return []
        if model and model in self.env:
            return [(model, thread_id, custom_values, None)]
        return []

    @api.model
    def _aliases_of(self, recipients: list[str]) -> Any:
        domain = self.env["ir.config_parameter"].sudo().get_param("mail.catchall.domain")
        names = []
        for address in recipients:
            local, _at, host = address.partition("@")
            if not domain or host.lower() == domain.lower():
                names.append(local.lower())
        if not names:
            return self.env["mail.alias"]
        found = self.env["mail.alias"].sudo().search([("alias_name", "in", names)])
        return found.sorted(lambda alias: names.index(alias.alias_name))

    @api.model
    def _alias_accepts(self, alias: Any, msg_dict: dict) -> bool:
        if alias.alias_contact == "everyone":
            return True
        author = self._mail_find_partner(msg_dict["email_from"])
        if not author:
            return False
        if alias.alias_contact == "partners":
            return True
        parent_model = alias.alias_parent_model_id.model
        parent_id = alias.alias_parent_thread_id or alias.alias_force_thread_id
        if not parent_model or not parent_id:
            return False
        return bool(self.env["mail.followers"].sudo().search_count([
            ("res_model", "=", parent_model), ("res_id", "=", parent_id),
            ("partner_id", "=", author.id)]))

    @api.model
    def _message_route_process(self, msg_dict: dict, routes: list[tuple]) -> int | bool:
        model, thread_id, custom_values, _alias = routes[0]
        if model == "__known__":
            return thread_id
        Model = self.env[model].sudo()
        if thread_id:
            record = Model.browse(thread_id).exists()
            if not record:
                _logger.warning("Dropped a reply to %s %s, which no longer exists", model,
                                thread_id)
                return False
            record.message_update(msg_dict)
        else:
            record = Model.message_new(msg_dict, custom_values)
        author = self._mail_find_partner(msg_dict["email_from"])
        record._message_post_incoming(msg_dict, author)
        if author and not thread_id:
            record._message_subscribe_partners([author.id])
        return record.id

    def _message_post_incoming(self, msg_dict: dict, author: Any) -> Any:
        values = {"body": msg_dict["body"], "subject": msg_dict["subject"] or None,
                  "message_type": "email", "subtype_xmlid": "mail.mt_comment",
                  "email_from": msg_dict["email_from"], "author_id": author.id or None,
                  "message_id": msg_dict["message_id"] or False, "body_is_html": True,
                  "attachments": [(name, content) for name, content, _type
                                  in msg_dict["attachments"]],
                  "parent_id": msg_dict.get("parent_id") or False}
        if msg_dict.get("date"):
            values["date"] = msg_dict["date"]
        partner_ids = []
        for address in email_split(msg_dict["to"]) + email_split(msg_dict["cc"]):
            partner = self._mail_find_partner(address)
            if partner and partner != author:
                partner_ids.append(partner.id)
        return self.message_post(partner_ids=partner_ids, **values)

    @api.model
    def message_new(self, msg_dict: dict, custom_values: dict | None = None) -> Any:
        """A new record from an incoming mail: its name is the subject, its
        e-mail and partner the sender's when the model has such fields, then
        ``custom_values`` (the alias's defaults). Models override this."""
        values: dict[str, Any] = {}
        fields_ = self._fields
        name_field = self._rec_name or "name"
        if name_field in fields_ and fields_[name_field].store:
            values[name_field] = msg_dict["subject"] or "(no subject)"
        if "email_from" in fields_ and fields_["email_from"].store:
            values["email_from"] = msg_dict["email_from"]
        if "partner_id" in fields_ and fields_["partner_id"].type == "many2one" \
                and fields_["partner_id"].comodel_name == "res.partner":
            author = self._mail_find_partner(msg_dict["email_from"])
            if author:
                values["partner_id"] = author.id
        values.update(custom_values or {})
        return self.with_context(mail_create_nosubscribe=True).create(values)

    def message_update(self, msg_dict: dict, update_vals: dict | None = None) -> bool:
        """A reply came in for these records; ``update_vals`` are written."""
        if update_vals:
            self.write(update_vals)
        return True

    # ------------------------------------------------------------------
    # bounces
    # ------------------------------------------------------------------
    @api.model
    def _routing_handle_bounce(self, msg_dict: dict) -> None:
        bounce = msg_dict["bounce"]
        Message = self.env["mail.message"].sudo()
        message = Message.search([("message_id", "=", bounce["message_id"])], limit=1) \
            if bounce["message_id"] else Message
        failed = set(bounce["recipients"])
        partners = self.env["res.partner"].sudo()
        if failed:
            leaves = [[("email", "=ilike", address)] for address in sorted(failed)]
            partners = partners.search(["|"] * (len(leaves) - 1)
                                       + [leaf for part in leaves for leaf in part])
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.search([("message_id", "=", bounce["message_id"])]) \
            if bounce["message_id"] else Mail
        if message:
            mails |= Mail.search([("mail_message_id", "=", message.id)])
            self.env["mail.notification"].sudo().search([
                ("mail_message_id", "=", message.id),
                ("res_partner_id", "in", partners.ids)]).write({
                    "notification_status": "bounce", "failure_type": "mail_bounce",
                    "failure_reason": "The recipient's server bounced the mail"})
        mails.write({"state": "exception", "failure_type": "mail_bounce",
                     "failure_reason": f"Bounced: {', '.join(sorted(failed)) or 'unknown'}"})
        for partner in partners:
            partner.message_bounce = partner.message_bounce + 1
        _logger.info("Bounce of %s for %s", bounce["message_id"], ", ".join(sorted(failed)))
