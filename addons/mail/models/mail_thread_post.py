"""Posting on a ``mail.thread`` and telling the followers.

    lead.message_post(body="Sent the catalogue", message_type="comment",
                      subtype_xmlid="mail.mt_comment", partner_ids=[buyer.id],
                      attachments=[("catalogue.pdf", pdf_bytes)])
    lead.message_post_with_source("crm.email_template_welcome")   # a mail.template
    lead._message_log(body="Imported from the old system")      # a note, nobody told

Who is told of a message (``_notify_thread``): the followers subscribed to
its subtype (internal subtypes: only followers who are internal users)
and the partners named in ``partner_ids``, never its author. Users whose
``notification_type`` is ``inbox`` get an unread notification; everyone
else an e-mail: one ``mail.mail`` per message, queued for the scheduled
sender, one SMTP message per recipient. A body given as text is escaped
(``markupsafe.Markup`` marks HTML, as in Odoo).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from core import api, models
from core.exceptions import UserError
from core.i18n.translate import _

from ..tools.mail_utils import email_normalize, plaintext2html

POSTABLE_TYPES = ("comment", "notification", "email", "auto_comment", "email_outgoing")


class MailThreadPost(models.AbstractModel):
    _inherit = "mail.thread"

    # ------------------------------------------------------------------
    # posting
    # ------------------------------------------------------------------
    def message_post(self, *, body: str = "", subject: str | None = None,
                     message_type: str = "notification", email_from: str | None = None,
                     author_id: int | None = None, parent_id: int | bool = False,
                     subtype_xmlid: str | None = None, subtype_id: int | bool = False,
                     partner_ids: list[int] | None = None,
                     attachments: list[tuple] | None = None,
                     attachment_ids: list[int] | None = None, body_is_html: bool = False,
                     **kwargs: Any) -> Any:
        """Post a message on this record and notify its followers; returns the
        mail.message. ``attachments``: (name, content bytes) pairs to attach;
        ``attachment_ids``: existing attachments of the user, moved to the record."""
        self.ensure_one()
        if message_type not in POSTABLE_TYPES:
            raise UserError(_(self.env, "Posting a message of type %(type)s is not "
                              "supported.", type=message_type))
        self._check_thread_access(self._mail_post_access)
        author, email_from = self._message_author(author_id, email_from)
        subtype = self._message_subtype(subtype_xmlid, subtype_id)
        if not isinstance(body, Markup) and not body_is_html:
            body = plaintext2html(body or "") if body else ""
        values = {
            "body": str(body), "subject": subject or False, "message_type": message_type,
            "author_id": author.id or False, "email_from": email_from,
            "model": self._name, "res_id": self.id, "subtype_id": subtype.id,
            "partner_ids": [(6, 0, list(partner_ids or []))],
            "parent_id": self._message_parent_id(parent_id),
            "attachment_ids": [(6, 0, self._message_attachments(attachments,
                                                                attachment_ids))],
        }
        values.update({key: value for key, value in kwargs.items()
                       if key in ("message_id", "reply_to", "mail_server_id", "date",
                                  "mail_activity_type_id", "tracking_value_ids",
                                  "is_internal", "record_name")})
        message = self.env["mail.message"].sudo().create(values)
        self._notify_thread(message, partner_ids or [])
        return message.with_env(self.env)

    def _message_author(self, author_id: int | None, email_from: str | None) -> tuple:
        Partner = self.env["res.partner"].sudo()
        if author_id:
            author = Partner.browse(author_id)
        elif email_from:
            author = self._mail_find_partner(email_from)
        else:
            author = self.env.user.sudo().partner_id
        if not email_from and author:
            email_from = author.email_formatted or False
        return author, email_from or False

    def _message_subtype(self, subtype_xmlid: str | None, subtype_id: int | bool) -> Any:
        if subtype_xmlid:
            xmlid = subtype_xmlid if "." in subtype_xmlid else f"mail.{subtype_xmlid}"
            return self.env.ref(xmlid).sudo()
        if subtype_id:
            return self.env["mail.message.subtype"].sudo().browse(subtype_id)
        return self.env.ref("mail.mt_note").sudo()

    def _message_parent_id(self, parent_id: int | bool) -> int | bool:
        """The first message of a flat thread is the parent of the others (so
        that e-mails carry it in References)."""
        Message = self.env["mail.message"].sudo()
        if parent_id:
            parent = Message.browse(parent_id)
            if self._mail_flat_thread and parent.parent_id:
                return parent.parent_id.id
            return parent.id
        if not self._mail_flat_thread:
            return False
        first = Message.search([("model", "=", self._name), ("res_id", "=", self.id),
                                ("message_type", "in", ("email", "comment"))],
                               order="id", limit=1)
        return first.id or False

    def _message_attachments(self, attachments: list[tuple] | None,
                             attachment_ids: list[int] | None) -> list[int]:
        Attachment = self.env["ir.attachment"]
        ids = []
        if attachment_ids:
            existing = Attachment.browse(attachment_ids).exists()
            existing.check_access_rights("read")
            existing.read(["name"])       # the user must be able to read them
            movable = existing.sudo().filtered(
                lambda a: a.create_uid.id == self.env.uid and (
                    not a.res_model or a.res_model == "mail.compose.message"))
            if movable:
                movable.write({"res_model": self._name, "res_id": self.id})
            ids.extend(existing.ids)
        for item in attachments or []:
            name, content = item[0], item[1]
            if isinstance(content, str):
                content = content.encode()
            ids.append(Attachment.sudo().create({
                "name": name, "raw": content, "res_model": self._name,
                "res_id": self.id}).id)
        return ids

    def _message_log(self, *, body: str = "", subject: str | None = None,
                     message_type: str = "notification", subtype_xmlid: str = "mail.mt_note",
                     subtype_id: int | bool = False, tracking_value_ids: list | None = None,
                     author_id: int | None = None, notify: bool = False,
                     **values: Any) -> Any:
        """Log a message without access check nor notification (system notes)."""
        self.ensure_one()
        author = self.env["res.partner"].sudo().browse(author_id) if author_id \
            else self.env.user.sudo().partner_id
        subtype = self._message_subtype(None if subtype_id else subtype_xmlid, subtype_id)
        if body and not isinstance(body, Markup):
            body = plaintext2html(body)
        message = self.env["mail.message"].sudo().create({
            "body": str(body or ""), "subject": subject or False,
            "message_type": message_type, "subtype_id": subtype.id,
            "author_id": author.id or False, "email_from": author.email_formatted or False,
            "model": self._name, "res_id": self.id,
            "tracking_value_ids": tracking_value_ids or [], **values})
        if notify:
            self._notify_thread(message, [])
        return message

    def _message_log_batch(self, bodies: dict[int, str], subtype_xmlid: str = "mail.mt_note",
                           message_type: str = "notification") -> Any:
        """One note per record ({record id: text}) in one INSERT."""
        author = self.env.user.sudo().partner_id
        subtype = self.env.ref(subtype_xmlid).sudo()
        return self.env["mail.message"].sudo().create([{
            "body": str(plaintext2html(body)) if not isinstance(body, Markup) else str(body),
            "message_type": message_type, "subtype_id": subtype.id, "model": self._name,
            "res_id": record_id, "author_id": author.id or False,
            "email_from": author.email_formatted or False,
        } for record_id, body in bodies.items()])

    @api.model
    def _mail_find_partner(self, email: str) -> Any:
        """The partner with this e-mail address (users' partners first), or none."""
        normalized = email_normalize(email)
        Partner = self.env["res.partner"].sudo()
        if not normalized:
            return Partner
        found = Partner.search([("email", "=ilike", normalized)], limit=10)
        with_users = found.filtered(lambda partner: partner.user_ids)
        return (with_users or found)[:1]

    # ------------------------------------------------------------------
    # notifying
    # ------------------------------------------------------------------
    def _notify_thread(self, message: Any, partner_ids: list[int]) -> dict:
        """Tell the recipients of ``message``: inbox notifications and e-mails.
        Returns {partner id: "inbox" | "email"}."""
        recipients = self._notify_get_recipients(message, partner_ids)
        if not recipients:
            return {}
        Notification = self.env["mail.notification"].sudo()
        inbox = [pid for pid, kind in recipients.items() if kind == "inbox"]
        email = [pid for pid, kind in recipients.items() if kind == "email"]
        rows = [{"mail_message_id": message.id, "res_partner_id": pid,
                 "notification_type": "inbox"} for pid in inbox]
        if email:
            mail = self._notify_by_email(message, email)
            rows += [{"mail_message_id": message.id, "res_partner_id": pid,
                      "notification_type": "email", "mail_mail_id": mail.id,
                      "is_read": True} for pid in email]
        Notification.create(rows)
        return recipients

    def _notify_get_recipients(self, message: Any, partner_ids: list[int]) -> dict[int, str]:
        """{partner id: "inbox" | "email"}: who is told of ``message``."""
        Followers = self.env["mail.followers"].sudo()
        subtype = message.subtype_id
        wanted: list[int] = []
        if subtype:
            followers = Followers.search([("res_model", "=", self._name),
                                          ("res_id", "=", self.id),
                                          ("subtype_ids", "in", [subtype.id])])
            wanted.extend(followers.mapped("partner_id").ids)
        explicit = list(partner_ids)
        partners = self.env["res.partner"].sudo().browse(
            list(dict.fromkeys(wanted + explicit))).exists()
        author = message.author_id.id
        result: dict[int, str] = {}
        for partner in partners:
            if partner.id == author or not partner.active:
                continue
            users = partner.user_ids.filtered(lambda user: user.active)
            internal = users.filtered(lambda user: not user.share)
            if subtype.internal and not internal and partner.id not in explicit:
                continue        # a note is for employees, unless named
            user = (internal or users)[:1]
            if user and user.notification_type == "inbox":
                result[partner.id] = "inbox"
            elif partner.email:
                result[partner.id] = "email"
        return result

    def _notify_by_email(self, message: Any, partner_ids: list[int]) -> Any:
        """One queued mail.mail carrying ``message`` to these partners."""
        record_name = message.record_name or self.display_name
        body = self._notify_email_body(message)
        references = message.parent_id.message_id if message.parent_id else False
        return self.env["mail.mail"].sudo().create({
            "mail_message_id": message.id, "subject": message.subject or record_name,
            "body_html": body, "email_from": message.email_from or self._notify_email_from(),
            "reply_to": self._notify_reply_to(message),
            "recipient_ids": [(6, 0, partner_ids)], "model": self._name,
            "res_id": self.id, "message_id": message.message_id,
            "references": references, "auto_delete": True,
            "attachment_ids": [(6, 0, message.attachment_ids.ids)],
        })

    def _notify_email_body(self, message: Any) -> str:
        parts = [message.body or ""]
        tracking = message.tracking_value_ids._tracking_value_format()
        if tracking:
            items = "".join(f"<li>{escape(line['label'])}: {escape(line['old'])} &#8594; "
                            f"{escape(line['new'])}</li>" for line in tracking)
            parts.append(f"<ul>{items}</ul>")
        base = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "http://localhost:8069").rstrip("/")
        link = f"{base}/web/model/{self._name}/{self.id}"
        label = escape(_(self.env, "View %(document)s", document=self.display_name))
        parts.append(f'<p><a href="{escape(link)}">{label}</a></p>')
        return "".join(parts)

    def _notify_email_from(self) -> str | bool:
        company = self.env.company.sudo()
        return company.partner_id.email_formatted if "partner_id" in company._fields \
            and company.partner_id.email else False

    def _notify_reply_to(self, message: Any) -> str | bool:
        """Replies go to the catchall address when there is one (routed back
        to the record by their In-Reply-To), else to the author."""
        params = self.env["ir.config_parameter"].sudo()
        alias, domain = params.get_param("mail.catchall.alias"), \
            params.get_param("mail.catchall.domain")
        if alias and domain:
            return f"{alias}@{domain}"
        return message.reply_to or message.email_from or False

    # ------------------------------------------------------------------
    # templates as messages
    # ------------------------------------------------------------------
    def message_post_with_source(self, source_ref: Any, *, render_values: dict | None = None,
                                 message_type: str = "notification",
                                 subtype_xmlid: str | None = None, **kwargs: Any) -> Any:
        """Post, on each record, the message a mail.template (a record or its
        external id) renders for it; returns the messages."""
        template = self.env.ref(source_ref) if isinstance(source_ref, str) else source_ref
        if template._name != "mail.template":
            raise UserError(_(self.env, "message_post_with_source takes a mail.template."))
        messages = self.env["mail.message"]
        for record in self:
            rendered = template._generate_template([record.id])[record.id]
            partner_ids = list(rendered.get("partner_ids", [])) + list(
                kwargs.pop("partner_ids", []) or [])
            messages |= record.message_post(
                body=Markup(rendered.get("body_html") or ""), subject=rendered.get("subject"),
                message_type=message_type, subtype_xmlid=subtype_xmlid or "mail.mt_comment",
                partner_ids=partner_ids, attachments=rendered.get("attachments"),
                attachment_ids=template.sudo().attachment_ids.ids, **kwargs)
        return messages

    def message_post_with_template(self, template_id: int, **kwargs: Any) -> Any:
        """Odoo 16's name for ``message_post_with_source`` with a template id."""
        return self.message_post_with_source(self.env["mail.template"].browse(template_id),
                                             **kwargs)

    # ------------------------------------------------------------------
    # the workflow engine's and automated actions' hooks
    # ------------------------------------------------------------------
    def _workflow_message(self, body: str) -> str | None:
        """An on-enter message goes to the chatter (as a note)."""
        for record in self:
            record._message_log(body=body)
        return None

    def _workflow_template(self, xmlid: str) -> None:
        """An on-enter template is sent (queued) to each record's recipients and
        shown in its chatter."""
        template = self.env.ref(xmlid)
        for record in self:
            template.send_mail(record.id)

