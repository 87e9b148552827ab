"""Outgoing mail servers (SMTP), for the administrator.

    env["ir.mail_server"].create({"name": "Office 365", "smtp_host": "smtp.office365.com",
                                  "smtp_port": 587, "smtp_encryption": "starttls",
                                  "smtp_user": "sales@example.com", "smtp_pass": "..."})
    server.test_smtp_connection()      # UserError with the server's answer if it fails

Mails go through their ``mail_server_id``, else the active server with the
lowest ``sequence``. Without any server record, the ``TROIKA_SMTP_HOST``,
``TROIKA_SMTP_PORT``, ``TROIKA_SMTP_ENCRYPTION`` (none | starttls | ssl),
``TROIKA_SMTP_USER`` and ``TROIKA_SMTP_PASSWORD`` environment variables
apply, else ``localhost:25`` (as Odoo's defaults).
"""

from __future__ import annotations

import os
import smtplib
from typing import Any

from core import api, fields, models
from core.exceptions import UserError
from core.i18n.translate import _

from ..tools.smtp import SMTP_TIMEOUT, SmtpConfig, close_quietly, connect

ENCRYPTIONS = [("none", "None"), ("starttls", "TLS (STARTTLS)"), ("ssl", "SSL/TLS")]


def environment_config() -> SmtpConfig:
    """The SMTP settings of the environment variables (or localhost:25)."""
    encryption = os.environ.get("TROIKA_SMTP_ENCRYPTION", "none").lower()
    if encryption not in {key for key, _label in ENCRYPTIONS}:
        encryption = "none"
    return SmtpConfig(host=os.environ.get("TROIKA_SMTP_HOST", "localhost"),
                      port=int(os.environ.get("TROIKA_SMTP_PORT", "25")),
                      encryption=encryption, user=os.environ.get("TROIKA_SMTP_USER") or None,
                      password=os.environ.get("TROIKA_SMTP_PASSWORD") or None)


class IrMailServer(models.Model):
    _name = "ir.mail_server"
    _description = "Mail Server"
    _order = "sequence, id"

    name = fields.Char("Name", required=True, index=True)
    from_filter = fields.Char("FROM Filtering",
                              help="The sender addresses or domains this server sends for")
    smtp_host = fields.Char("SMTP Server", required=True)
    smtp_port = fields.Integer("SMTP Port", required=True, default=25)
    smtp_authentication = fields.Selection([("login", "Username")], "Authenticate with",
                                           required=True, default="login")
    smtp_user = fields.Char("Username", groups="base.group_system")
    smtp_pass = fields.Char("Password", groups="base.group_system")
    smtp_encryption = fields.Selection(ENCRYPTIONS, "Connection Encryption", required=True,
                                       default="none")
    smtp_timeout = fields.Float("Timeout (seconds)", default=SMTP_TIMEOUT)
    smtp_debug = fields.Boolean("Debugging")
    sequence = fields.Integer("Priority", default=10,
                              help="The server with the lowest priority is used by default")
    active = fields.Boolean(default=True)

    @api.model
    def _config_of(self, server_id: int | bool = False) -> SmtpConfig:
        """The settings of a server (its id), of the default one, or of the
        environment when there is no server."""
        server = self.sudo().browse(server_id).exists() if server_id else self.sudo().search(
            [], limit=1)
        if not server:
            return environment_config()
        return SmtpConfig(host=server.smtp_host, port=server.smtp_port or 25,
                          encryption=server.smtp_encryption or "none",
                          user=server.smtp_user or None, password=server.smtp_pass or None,
                          timeout=server.smtp_timeout or SMTP_TIMEOUT)

    @api.model
    def connect(self, mail_server_id: int | bool = False) -> smtplib.SMTP:
        """An open SMTP session for the server (the caller closes it)."""
        self.check_access_rights("write")
        return connect(self._config_of(mail_server_id))

    @api.model
    def send_email(self, message: Any, mail_server_id: int | bool = False,
                   smtp_session: smtplib.SMTP | None = None) -> str:
        """Send an ``email.message.EmailMessage``; returns its Message-Id."""
        self.check_access_rights("write")
        session = smtp_session or self.connect(mail_server_id)
        try:
            session.send_message(message)
        finally:
            if smtp_session is None:
                close_quietly(session)
        return message["Message-Id"]

    def test_smtp_connection(self) -> bool:
        """Connect and log in; UserError with the reason when that fails."""
        self.check_access_rights("write")
        for server in self:
            try:
                session = connect(server._config_of(server.id))
            except (smtplib.SMTPException, OSError) as exc:
                raise UserError(_(self.env, "Connection to %(server)s failed: %(error)s",
                                  server=server.name, error=exc)) from None
            close_quietly(session)
        return True
