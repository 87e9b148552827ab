"""Notifications: who was told of a message, in the inbox or by e-mail, and
whether they read it or the e-mail went out.

    env["mail.notification"].search([("res_partner_id", "=", me.id), ("is_read", "=", False)])
"""

from __future__ import annotations

from core import fields, models

NOTIFICATION_STATUS = [("ready", "Ready to Send"), ("sent", "Sent"), ("bounce", "Bounced"),
                       ("exception", "Exception"), ("canceled", "Canceled")]
FAILURE_TYPES = [("unknown", "Unknown error"), ("mail_smtp", "Connection failed"),
                 ("mail_email_invalid", "Invalid e-mail address"),
                 ("mail_email_missing", "Missing e-mail address"),
                 ("mail_bounce", "Bounce"), ("mail_bl", "Blacklisted address")]


class MailNotification(models.Model):
    _name = "mail.notification"
    _description = "Message Notifications"
    _rec_name = "res_partner_id"
    _log_access = False

    mail_message_id = fields.Many2one("mail.message", "Message", required=True,
                                      ondelete="cascade", index=True)
    mail_mail_id = fields.Many2one("mail.mail", "Mail", ondelete="set null", index=True)
    res_partner_id = fields.Many2one("res.partner", "Recipient", ondelete="cascade",
                                     index=True)
    author_id = fields.Many2one("res.partner", related="mail_message_id.author_id",
                                string="Author")
    notification_type = fields.Selection([("inbox", "Inbox"), ("email", "Email")],
                                         "Notification Type", default="inbox", required=True)
    notification_status = fields.Selection(NOTIFICATION_STATUS, "Status", default="ready",
                                           index=True)
    is_read = fields.Boolean("Is Read", index=True)
    read_date = fields.Datetime("Read Date")
    failure_type = fields.Selection(FAILURE_TYPES, "Failure type")
    failure_reason = fields.Text("Failure reason")

    _sql_constraints = [("notification_partner_required",
                         "check(res_partner_id IS NOT NULL)",
                         "A notification needs a recipient.")]

    def mark_as_read(self) -> bool:
        """Mark these notifications read (the recipient's own, or as administrator)."""
        unread = self.filtered(lambda notification: not notification.is_read)
        if unread:
            unread.write({"is_read": True, "read_date": fields.Datetime.now()})
        return True
