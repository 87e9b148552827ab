"""Partners get a chatter, activities and a bounce counter.

    partner.message_post(body="Met at the Canton Fair", subtype_xmlid="mail.mt_note")
    partner.message_bounce      # how many mails to this address bounced
"""

from __future__ import annotations

from core import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "mail.thread", "mail.activity.mixin"]

    message_bounce = fields.Integer("Bounce", default=0, copy=False,
                                    help="How many e-mails to this contact bounced")
    email = fields.Char(tracking=1)
    user_id = fields.Many2one(tracking=2)
