"""Messages: the entries of a record's chatter and of channels.

    lead.message_post(body="Sent the catalogue", subtype_xmlid="mail.mt_comment")
    env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
    messages.message_format()        # what the chatter shows: author, body, tracking ...

A message belongs to a document (``model``, ``res_id``) and is readable by
exactly the users who may read that document (``DocumentAccessMixin``),
plus its author and its recipients. Portal users never see internal
messages (notes, activities, tracking under an internal subtype). Bodies
are HTML, sanitised by the ``Html`` field.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core import api, fields, models
from core.security import access

from ..tools.mail_utils import generate_message_id, html2plaintext
from .document_access import DocumentAccessMixin, invalidate_documents

MESSAGE_TYPES = [("email", "Incoming Email"), ("comment", "Comment"),
                 ("notification", "System notification"),
                 ("auto_comment", "Automated Targeted Notification"),
                 ("user_notification", "User Specific Notification"),
                 ("email_outgoing", "Outgoing Email")]


class MailMessage(DocumentAccessMixin, models.Model):
    _name = "mail.message"
    _description = "Message"
    _order = "id desc"
    _rec_name = "record_name"
    _document_model_field = "model"
    _document_id_field = "res_id"

    subject = fields.Char()
    date = fields.Datetime(default=lambda self: fields.Datetime.now(), index=True)
    body = fields.Html("Contents", default="")
    preview = fields.Char("Preview", compute="_compute_preview")
    message_type = fields.Selection(MESSAGE_TYPES, "Type", required=True, default="email")
    subtype_id = fields.Many2one("mail.message.subtype", "Subtype", ondelete="set null",
                                 index=True)
    mail_activity_type_id = fields.Many2one("mail.activity.type", "Mail Activity Type",
                                            ondelete="set null", index=True)
    is_internal = fields.Boolean("Employee Only",
                                 help="Hidden from portal users (notes, internal subtypes)")
    author_id = fields.Many2one("res.partner", "Author", ondelete="set null", index=True)
    email_from = fields.Char("From")
    model = fields.Char("Related Document Model", index=True)
    res_id = fields.Integer("Related Document ID", index=True)
    record_name = fields.Char("Message Record Name")
    partner_ids = fields.Many2many("res.partner", "mail_message_res_partner_rel",
                                   "mail_message_id", "res_partner_id", "Recipients")
    notification_ids = fields.One2many("mail.notification", "mail_message_id",
                                       "Notifications")
    attachment_ids = fields.Many2many("ir.attachment", "message_attachment_rel",
                                      "message_id", "attachment_id", "Attachments")
    parent_id = fields.Many2one("mail.message", "Parent Message", ondelete="set null",
                                index=True)
    child_ids = fields.One2many("mail.message", "parent_id", "Child Messages")
    tracking_value_ids = fields.One2many("mail.tracking.value", "mail_message_id",
                                         "Tracking values")
    message_id = fields.Char("Message-Id", index=True, copy=False,
                             help="The Message-Id header, for threading replies")
    reply_to = fields.Char("Reply-To")
    mail_server_id = fields.Many2one("ir.mail_server", "Outgoing mail server",
                                     ondelete="set null")
    needaction = fields.Boolean("Need Action", compute="_compute_needaction",
                                compute_sudo=False)

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("body")
    def _compute_preview(self) -> None:
        for message in self:
            text = html2plaintext(message.body or "")
            message.preview = text[:100] or False

    @api.depends_context("uid")
    def _compute_needaction(self) -> None:
        partner = self.env.user.partner_id
        unread = set()
        if partner and self.ids:
            unread = set(self.env["mail.notification"].sudo().search([
                ("mail_message_id", "in", self.ids), ("res_partner_id", "=", partner.id),
                ("is_read", "=", False), ("notification_type", "=", "inbox")])
                .mapped("mail_message_id").ids)
        for message in self:
            message.needaction = message.id in unread

    # ------------------------------------------------------------------
    # access: the document's, plus one's own messages and inbox
    # ------------------------------------------------------------------
    def _document_extra_condition(self, table: Any) -> Any:
        partner_id = self._user_partner_id()
        if not partner_id:
            return None
        rel = type(self)._fields["partner_ids"].rel_table
        return sa.or_(table.c.author_id == partner_id,
                      table.c.id.in_(sa.select(rel.c.mail_message_id).where(
                          rel.c.res_partner_id == partner_id)))

    def _document_condition(self, table: Any, operation: str = "read") -> Any:
        condition = super()._document_condition(table, operation)
        if operation == "read" and self._user_is_share():
            condition = sa.and_(condition, sa.or_(table.c.is_internal.is_(None),
                                                  table.c.is_internal == sa.false()))
        return condition

    def _user_partner_id(self) -> int | None:
        users = self.env.registry["res.users"]._table_obj
        memo = self.env.transaction.memo.setdefault("mail_user_partner", {})
        if self.env.uid not in memo:
            memo[self.env.uid] = self.env.transaction.execute(
                sa.select(users.c.partner_id).where(users.c.id == self.env.uid)).scalar()
        return memo[self.env.uid]

    def _user_is_share(self) -> bool:
        users = self.env.registry["res.users"]._table_obj
        return bool(self.env.transaction.execute(
            sa.select(users.c.share).where(users.c.id == self.env.uid)).scalar())

    def _document_operation(self, documents, operation: str) -> str:
        if operation == "create":
            return getattr(type(documents), "_mail_post_access", "write")
        return operation

    def _document_allows_none(self, vals: dict) -> bool:
        # a message to people without a document (a direct notification)
        return vals.get("message_type") == "user_notification"

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_documents_of_values(vals_list, "create")
        domain = self._message_id_domain()
        subtypes = {}
        for vals in vals_list:
            if not vals.get("message_id"):
                vals["message_id"] = generate_message_id(vals.get("model"), vals.get("res_id"),
                                                         domain)
            subtype_id = vals.get("subtype_id")
            if subtype_id and "is_internal" not in vals:
                if subtype_id not in subtypes:
                    subtypes[subtype_id] = self.env["mail.message.subtype"].sudo().browse(
                        subtype_id).internal
                vals["is_internal"] = subtypes[subtype_id]
        self._fill_record_names(vals_list)
        messages = super(MailMessage, self.sudo() if access.enabled(self.env) else self).create(
            vals_list)
        invalidate_documents(self.env, "mail.message",
                             {(vals.get("model"), vals.get("res_id")) for vals in vals_list})
        return messages.with_env(self.env)

    def _fill_record_names(self, vals_list: list[dict]) -> None:
        by_model: dict[str, set] = {}
        for vals in vals_list:
            if vals.get("model") and vals.get("res_id") and "record_name" not in vals:
                by_model.setdefault(vals["model"], set()).add(vals["res_id"])
        names = {}
        for model, ids in by_model.items():
            if model in self.env:
                for record in self.env[model].sudo().browse(sorted(ids)).exists():
                    names[(model, record.id)] = record.display_name
        for vals in vals_list:
            key = (vals.get("model"), vals.get("res_id"))
            if key in names and "record_name" not in vals:
                vals["record_name"] = names[key]

    @api.model
    def _message_id_domain(self) -> str:
        params = self.env["ir.config_parameter"].sudo()
        return params.get_param("mail.catchall.domain") or "localhost"

    def write(self, vals):
        self._check_document_access("write")
        return super().write(vals)

    def unlink(self):
        self._check_document_access("write")
        documents = {(m.model, m.res_id) for m in self.sudo()}
        result = super().unlink()
        invalidate_documents(self.env, "mail.message", documents)
        return result

    # ------------------------------------------------------------------
    # reading for the chatter
    # ------------------------------------------------------------------
    def message_format(self) -> list[dict]:
        """The messages as the chatter shows them (one dict per message)."""
        result = []
        for message in self:
            author = message.author_id
            result.append({
                "id": message.id, "body": message.body or "", "date": message.date,
                "subject": message.subject or "", "message_type": message.message_type,
                "subtype": message.subtype_id.sudo().name or "",
                "is_internal": message.is_internal,
                "author": (author.id, author.sudo().display_name) if author else
                          (False, message.email_from or ""),
                "model": message.model, "res_id": message.res_id,
                "record_name": message.record_name or "",
                "partners": [(p.id, p.display_name) for p in message.sudo().partner_ids],
                "attachments": [{"id": a.id, "name": a.name, "mimetype": a.mimetype}
                                for a in message.sudo().attachment_ids],
                "tracking": message.sudo().tracking_value_ids._tracking_value_format(),
            })
        return result

    @api.model
    def mark_all_as_read(self, domain: list | None = None) -> list[int]:
        """Mark the current user's unread inbox notifications read (of the
        messages matching ``domain``); returns the message ids."""
        partner = self.env.user.partner_id
        notification_domain = [("res_partner_id", "=", partner.id), ("is_read", "=", False),
                               ("notification_type", "=", "inbox")]
        if domain:
            notification_domain.append(("mail_message_id", "in", self.search(domain).ids))
        notifications = self.env["mail.notification"].sudo().search(notification_domain)
        notifications.mark_as_read()
        return notifications.mapped("mail_message_id").ids

    def set_message_done(self) -> bool:
        """Mark these messages read in the current user's inbox."""
        partner = self.env.user.partner_id
        self.env["mail.notification"].sudo().search([
            ("mail_message_id", "in", self.ids), ("res_partner_id", "=", partner.id),
            ("is_read", "=", False)]).mark_as_read()
        return True
