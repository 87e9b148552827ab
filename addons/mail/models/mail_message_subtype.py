"""Message subtypes: what kind of message a message is, and what followers
subscribe to ("Discussions", "Note", "Activities", "Stage Changed" ...).

    note = env.ref("mail.mt_note")             # internal: employees only
    env["mail.message.subtype"].create({"name": "Lead Won", "res_model": "crm.lead",
                                        "default": True})
"""

from __future__ import annotations

from core import api, fields, models


class MailMessageSubtype(models.Model):
    _name = "mail.message.subtype"
    _description = "Message subtypes"
    _order = "sequence, id"

    name = fields.Char("Message Type", required=True, translate=True)
    description = fields.Text(translate=True,
                              help="The body of messages of this subtype when they have none")
    internal = fields.Boolean("Internal Only",
                              help="Messages of internal subtypes are seen by employees only")
    parent_id = fields.Many2one("mail.message.subtype", "Parent", ondelete="set null",
                                help="Following the parent record follows this subtype")
    relation_field = fields.Char("Relation field",
                                 help="The field linking the record to its parent record")
    res_model = fields.Char("Model", help="The model it applies to; empty: every model")
    default = fields.Boolean("Default", default=True,
                             help="New followers subscribe to it")
    sequence = fields.Integer(default=1)
    hidden = fields.Boolean(help="Not shown in the follow options")
    track_recipients = fields.Boolean(help="Show the recipients of such messages")

    @api.model
    def _default_subtypes(self, model_name: str) -> tuple:
        """(all default subtypes, the internal ones among them) for a model."""
        subtypes = self.sudo().search([("default", "=", True), "|",
                                       ("res_model", "=", model_name),
                                       ("res_model", "=", False)])
        return subtypes, subtypes.filtered(lambda subtype: subtype.internal)

