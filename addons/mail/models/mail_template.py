"""E-mail templates: subject, body and recipients rendered for a record.

    <record id="email_template_quote" model="mail.template">
        <field name="name">Quotation</field>
        <field name="model_id" ref="sale.model_sale_order"/>
        <field name="subject">Quotation {{ object.name }}</field>
        <field name="partner_to">{{ object.partner_id.id }}</field>
        <field name="lang">{{ object.partner_id.lang }}</field>
        <field name="body_html"><![CDATA[<p>Dear {{ object.partner_id.name }},</p>]]></field>
    </record>

    template.send_mail(order.id)            # a queued mail.mail, logged on the order
    template.preview(order.id)              # {"subject": ..., "body_html": ...}

Jinja2 syntax in jinja2's immutable sandbox (``tools/render.py``): ``object``
is the record in the environment of the user who sends, so their rights
and rules apply; ``user`` is that user; bodies are autoescaped HTML. The
subject and body are translatable: a template renders in the language of
its ``lang`` expression (the recipient's, usually).
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models
from core.exceptions import UserError
from core.i18n.translate import _
from core.security import access

from ..tools.render import render

RENDERED_FIELDS = ("subject", "body_html", "email_from", "email_to", "email_cc",
                   "partner_to", "reply_to")


class MailTemplate(models.Model):
    _name = "mail.template"
    _description = "Email Templates"
    _order = "name"

    name = fields.Char(translate=True)
    description = fields.Text("Template description", translate=True)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one("ir.model", "Applies to", ondelete="cascade", index=True,
                               help="The type of document this template is used with")
    model = fields.Char("Related Document Model", compute="_compute_model", store=True,
                        index=True)
    render_model = fields.Char("Rendering Model", compute="_compute_model")
    subject = fields.Char(translate=True, help="Subject (placeholders may be used here)")
    email_from = fields.Char("From", help="Sender address (placeholders may be used here)")
    use_default_to = fields.Boolean("Default recipients",
                                    help="Send to the record's default recipients (its "
                                         "partner or e-mail)")
    email_to = fields.Char("To (Emails)", help="Comma-separated addresses")
    partner_to = fields.Char("To (Partners)", help="Comma-separated partner ids, e.g. "
                                                    "{{ object.partner_id.id }}")
    email_cc = fields.Char("Cc")
    reply_to = fields.Char("Reply To")
    body_html = fields.Html("Body", translate=True, sanitize=False)
    lang = fields.Char("Language", help="The language to render in, e.g. "
                                        "{{ object.partner_id.lang }}")
    attachment_ids = fields.Many2many("ir.attachment", "email_template_attachment_rel",
                                      "email_template_id", "attachment_id", "Attachments")
    mail_server_id = fields.Many2one("ir.mail_server", "Outgoing Mail Server",
                                     ondelete="set null")
    auto_delete = fields.Boolean(default=True, help="Delete the sent e-mails (the message "
                                                    "stays in the chatter)")
    is_mass_mailing = fields.Boolean("Bulk e-mail",
                                     help="Mails of this template carry an unsubscribe link "
                                          "and List-Unsubscribe headers")

    @api.depends("model_id")
    def _compute_model(self) -> None:
        for template in self:
            template.model = template.model_id.sudo().model or False
            template.render_model = template.model

    # ------------------------------------------------------------------
    # rendering
    # ------------------------------------------------------------------
    def _render_values(self, record: Any) -> dict[str, Any]:
        return {"object": record, "user": self.env.user, "ctx": {
            "lang": self.env.lang}}

    def _render_field(self, field: str, res_ids: list[int]) -> dict[int, str]:
        """{res_id: text} of one field rendered for each record (as the user)."""
        self.ensure_one()
        source = self[field]
        html = self._fields[field].type == "html"
        records = self.env[self._model_name()].browse(res_ids)
        if access.enabled(self.env):
            # values cached by other environments are not checked when read:
            # the user must be allowed to read the records themselves
            records.check_access_rights("read")
            access.check_rules(records, "read")
        return {record.id: render(source, self._render_values(record), html=html)
                for record in records}

    def _model_name(self) -> str:
        model = self.sudo().model
        if not model or model not in self.env:
            raise UserError(_(self.env, "The template %(name)s applies to no known model.",
                              name=self.name or self.id))
        return model

    def _render_lang(self, res_ids: list[int]) -> dict[int, str]:
        """{res_id: language}: the ``lang`` expression, else the current language."""
        self.ensure_one()
        if not self.lang:
            return {res_id: self.env.lang for res_id in res_ids}
        installed = {code for code, _name in self.env["res.lang"].sudo().get_installed()}
        rendered = self._render_field("lang", res_ids)
        return {res_id: lang.strip() if lang.strip() in installed else self.env.lang
                for res_id, lang in rendered.items()}

    def _generate_template(self, res_ids: list[int],
                           render_fields: tuple[str, ...] = RENDERED_FIELDS) -> dict[int, dict]:
        """{res_id: values}: the rendered fields, ``partner_ids`` (from
        ``partner_to`` and the default recipients), ``attachments``
        ((name, bytes) pairs generated for the record) and ``lang``."""
        self.ensure_one()
        by_lang: dict[str, list[int]] = {}
        for res_id, lang in self._render_lang(res_ids).items():
            by_lang.setdefault(lang, []).append(res_id)
        result: dict[int, dict] = {}
        for lang, ids in by_lang.items():
            template = self.with_context(lang=lang)
            rendered = {name: template._render_field(name, ids) for name in render_fields}
            for res_id in ids:
                values = {name: rendered[name][res_id] for name in render_fields}
                values["lang"] = lang
                values["partner_ids"] = _partner_ids(values.pop("partner_to", ""))
                result[res_id] = values
        records = self.env[self._model_name()].browse(res_ids)
        defaults = records._message_get_default_recipients() if self.use_default_to and \
            hasattr(records, "_message_get_default_recipients") else {}
        for record in records:
            values = result[record.id]
            if record.id in defaults:
                values["partner_ids"] += defaults[record.id]["partner_ids"]
                if defaults[record.id]["email_to"] and not values.get("email_to"):
                    values["email_to"] = defaults[record.id]["email_to"]
            values["attachments"] = self._generate_attachments(record)
        return result

    def generate_email(self, res_ids: list[int] | int,
                       fields: list[str] | None = None) -> dict | dict[int, dict]:
        """Odoo's name: the rendered values for one record id or for several."""
        single = isinstance(res_ids, int)
        ids = [res_ids] if single else list(res_ids)
        result = self._generate_template(ids, tuple(fields or RENDERED_FIELDS))
        return result[res_ids] if single else result

    def _generate_attachments(self, record: Any) -> list[tuple[str, bytes]]:
        """(name, content) of files generated for the record (e.g. a PDF of the
        document); addons that print documents extend this."""
        return []

    def preview(self, res_id: int) -> dict[str, Any]:
        """What the template gives for one record, without sending anything."""
        values = self._generate_template([res_id])[res_id]
        values.pop("attachments", None)
        values["attachment_names"] = self.sudo().attachment_ids.mapped("name")
        return values

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------
    def send_mail(self, res_id: int, force_send: bool = False, raise_exception: bool = False,
                  email_values: dict | None = None,
                  email_layout_xmlid: str | bool = False) -> int:
        """Render for the record ``res_id`` and queue the mail (``force_send``:
        send it now); the record's chatter shows it. Returns the mail.mail id."""
        self.ensure_one()
        values = self._generate_template([res_id])[res_id]
        record = self.env[self._model_name()].browse(res_id)
        message = self._log_on_record(record, values)
        mail = self._create_mail(record, values, message, email_values or {})
        if force_send:
            mail.send(raise_exception=raise_exception)
        return mail.id

    def _log_on_record(self, record: Any, values: dict) -> Any:
        if not getattr(type(record), "_mail_thread", False):
            return self.env["mail.message"]
        author = self.env.user.sudo().partner_id
        return self.env["mail.message"].sudo().create({
            "model": record._name, "res_id": record.id, "message_type": "email_outgoing",
            "subject": values.get("subject") or False, "body": values.get("body_html") or "",
            "author_id": author.id or False,
            "email_from": values.get("email_from") or author.email_formatted or False,
            "partner_ids": [(6, 0, values.get("partner_ids") or [])],
            "subtype_id": self.env.ref("mail.mt_note").id, "is_internal": False,
        })

    def _create_mail(self, record: Any, values: dict, message: Any, extra: dict) -> Any:
        Attachment = self.env["ir.attachment"].sudo()
        attachment_ids = list(self.sudo().attachment_ids.ids)
        for name, content in values.get("attachments") or []:
            attachment_ids.append(Attachment.create({
                "name": name, "raw": content, "res_model": message._name if message
                else "mail.mail", "res_id": message.id if message else 0}).id)
        if message and attachment_ids:
            message.sudo().write({"attachment_ids": [(6, 0, attachment_ids)]})
        author = self.env.user.sudo().partner_id
        mail_values = {
            "subject": values.get("subject") or False,
            "body_html": values.get("body_html") or "",
            "email_from": values.get("email_from") or author.email_formatted or False,
            "email_to": values.get("email_to") or False,
            "email_cc": values.get("email_cc") or False,
            "reply_to": values.get("reply_to") or False,
            "recipient_ids": [(6, 0, values.get("partner_ids") or [])],
            "attachment_ids": [(6, 0, attachment_ids)],
            "model": record._name, "res_id": record.id,
            "mail_message_id": message.id or False,
            "message_id": message.message_id if message else False,
            "auto_delete": self.auto_delete, "is_mass_mailing": self.is_mass_mailing,
            "mail_server_id": self.mail_server_id.id or False,
        }
        mail_values.update(extra)
        return self.env["mail.mail"].sudo().create(mail_values)


def _partner_ids(text: str) -> list[int]:
    ids = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit():
            ids.append(int(part))
    return ids
