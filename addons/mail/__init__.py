"""The mail addon: the chatter, followers, activities, e-mail templates, the
outgoing mail queue, incoming mail and discussion channels (see docs/mail.md).

    class Lead(models.Model):
        _name = "crm.lead"
        _inherit = ["mail.thread", "mail.activity.mixin"]
        stage_id = fields.Many2one("crm.stage", tracking=True)

    lead.message_post(body="Called the buyer", subtype_xmlid="mail.mt_note")
    lead.activity_schedule("mail.mail_activity_data_call", summary="Call back")
"""

from . import models
