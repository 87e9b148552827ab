"""Followers: the partners who follow a record, and for which subtypes.

    lead.message_subscribe(partner_ids=[jane.id])              # default subtypes
    lead.message_subscribe(partner_ids=[jane.id], subtype_ids=[note.id])   # replace
    lead.message_follower_ids.mapped("partner_id")

One follower per (res_model, res_id, partner). Followers are visible and
changed under the document's access (``DocumentAccessMixin``): reading
needs the right to read the record, following someone else needs the
right to write it, following oneself the right to read it.
"""

from __future__ import annotations

from core import api, fields, models

from .document_access import DocumentAccessMixin, invalidate_documents


class MailFollowers(DocumentAccessMixin, models.Model):
    _name = "mail.followers"
    _description = "Document Followers"
    _rec_name = "partner_id"
    _log_access = False

    res_model = fields.Char("Related Document Model Name", required=True, index=True)
    res_id = fields.Integer("Related Document ID", index=True)
    partner_id = fields.Many2one("res.partner", "Related Partner", required=True,
                                 ondelete="cascade", index=True)
    subtype_ids = fields.Many2many("mail.message.subtype",
                                   "mail_followers_mail_message_subtype_rel",
                                   "mail_followers_id", "mail_message_subtype_id", "Subtype",
                                   help="The kinds of messages the follower is notified of")
    name = fields.Char("Name", related="partner_id.name")
    email = fields.Char("Email", related="partner_id.email")
    is_active = fields.Boolean("Is Active", related="partner_id.active")

    _sql_constraints = [("mail_followers_res_partner_res_model_id_uniq",
                         "unique(res_model, res_id, partner_id)",
                         "A partner follows a document once.")]

    def _document_operation(self, documents, operation: str) -> str:
        # following oneself needs read access only
        own = self.env.user.partner_id.id
        if operation in ("create", "unlink", "write") and self._only_partner(own):
            return "read"
        return "write" if operation in ("create", "unlink") else operation

    def _only_partner(self, partner_id: int) -> bool:
        pending = self.env.context.get("mail_followers_partners")
        if pending is not None:
            return set(pending) <= {partner_id}
        return bool(self) and set(self.sudo().mapped("partner_id").ids) <= {partner_id}

    @api.model_create_multi
    def create(self, vals_list):
        partners = {vals.get("partner_id") for vals in vals_list}
        self.with_context(mail_followers_partners=partners)._check_documents_of_values(
            vals_list, "create")
        followers = super(MailFollowers, self.sudo()).create(vals_list)
        invalidate_documents(self.env, "mail.followers",
                             {(vals.get("res_model"), vals.get("res_id")) for vals in vals_list})
        return followers.with_env(self.env)

    def write(self, vals):
        self._check_document_access(self._document_operation(self, "write")
                                    if "partner_id" not in vals else "write")
        return super(MailFollowers, self.sudo()).write(vals)

    def unlink(self):
        self._check_document_access(self._document_operation(self, "unlink"))
        documents = {(f.res_model, f.res_id) for f in self.sudo()}
        result = super(MailFollowers, self.sudo()).unlink()
        invalidate_documents(self.env, "mail.followers", documents)
        return result
