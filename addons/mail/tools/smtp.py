"""Building MIME messages and talking SMTP (the standard library's smtplib).

    message = build_email("Sales <sales@example.com>", ["jane@example.com"], "Offer",
                          "<p>Hello</p>", message_id="<abc@example.com>",
                          headers={"List-Unsubscribe": "<https://...>"})
    config = SmtpConfig(host="smtp.example.com", port=587, encryption="starttls",
                        user="sales", password="...")
    with connect(config) as smtp:
        smtp.send_message(message)

``connect`` opens the connection with a timeout, upgrades it with
STARTTLS or starts in TLS (``ssl``), and logs in when a user is set.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .mail_utils import html2plaintext

#: seconds for connecting and for each SMTP command
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "localhost"
    port: int = 25
    encryption: str = "none"          # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    timeout: float = SMTP_TIMEOUT

    @property
    def key(self) -> tuple:
        return (self.host, self.port, self.encryption, self.user)


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """An open, authenticated SMTP session (the caller quits it)."""
    context = ssl.create_default_context()
    if config.encryption == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                              context=context)
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        smtp.ehlo_or_helo_if_needed()
        if config.encryption == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password or "")
    except BaseException:
        close_quietly(smtp)
        raise
    return smtp


def close_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        try:
            smtp.close()
        except OSError:
            pass


def build_email(email_from: str, email_to: list[str], subject: str, body_html: str, *,
                email_cc: list[str] | None = None, reply_to: str | None = None,
                message_id: str | None = None, references: str | None = None,
                in_reply_to: str | None = None, headers: dict | None = None,
                attachments: list[tuple[str, bytes, str]] | None = None) -> EmailMessage:
    """A multipart message: a text part, the HTML alternative, the attachments."""
    message = EmailMessage()
    message["From"] = email_from
    message["To"] = ", ".join(email_to)
    if email_cc:
        message["Cc"] = ", ".join(email_cc)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject or ""
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-Id"] = message_id or make_msgid()
    if references:
        message["References"] = references
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    for name, value in (headers or {}).items():
        if value and name not in message:
            message[name] = str(value)
    message.set_content(html2plaintext(body_html) or " ")
    message.add_alternative(body_html or "<p></p>", subtype="html")
    for name, content, mimetype in attachments or []:
        maintype, _sep, subtype = (mimetype or "application/octet-stream").partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=name)
    return message
