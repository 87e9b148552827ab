"""Users choose how they are told of messages: in the inbox or by e-mail.

    user.notification_type      # 'email' (Odoo's default) or 'inbox'
"""

from __future__ import annotations

from core import fields, models
from core.security import access


class ResUsers(models.Model):
    _inherit = "res.users"

    notification_type = fields.Selection([("email", "Handle by Emails"),
                                          ("inbox", "Handle in Troika")], "Notification",
                                         required=True, default="email",
                                         help="Inbox: messages wait in the Discuss inbox; "
                                              "Emails: they are sent by e-mail")

    def _is_own_preferences(self, vals: dict) -> bool:
        """The notification preference is the user's own to change, as their
        language is."""
        rest = {key: value for key, value in vals.items() if key != "notification_type"}
        if len(rest) == len(vals):
            return super()._is_own_preferences(vals)
        if rest:
            return super()._is_own_preferences(rest)
        env = self.env
        return (not env.su and self._ids == (env.uid,)
                and not access.check_rights(self, "write", raise_exception=False))
