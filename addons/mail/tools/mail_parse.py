"""Parsing incoming RFC 822 messages into the dict the mail gateway routes.

    msg = parse_message(raw_bytes)
    msg["message_id"], msg["in_reply_to"], msg["references"]   # threading
    msg["email_from"], msg["to"], msg["recipients"]            # routing
    msg["body"]                     # HTML (a text body is escaped into HTML)
    msg["attachments"]              # [(file name, bytes, mimetype)]
    msg["bounce"]                   # for delivery status notifications: the
                                    # original Message-Id and failed recipients
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from .mail_utils import message_ids_in, plaintext2html

RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Resent-To")


def parse_message(raw: bytes | str) -> dict[str, Any]:
    """The routing dict of a raw message (bytes or text)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    recipients = []
    for header in RECIPIENT_HEADERS:
        for _name, address in getaddresses(message.get_all(header, [])):
            if address and "@" in address and address.lower() not in recipients:
                recipients.append(address.lower())
    body, attachments = _body_and_attachments(message)
    result = {
        "message_id": (message.get("Message-Id") or "").strip() or None,
        "subject": str(message.get("Subject") or ""),
        "email_from": str(message.get("From") or ""),
        "to": str(message.get("To") or ""), "cc": str(message.get("Cc") or ""),
        "recipients": recipients,
        "in_reply_to": message_ids_in(str(message.get("In-Reply-To") or "")),
        "references": message_ids_in(str(message.get("References") or "")),
        "date": _date(message.get("Date")),
        "body": body, "attachments": attachments,
        "bounce": _bounce_info(message),
    }
    return result


def _date(value: Any) -> Any:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is not None:
        from datetime import UTC

        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _body_and_attachments(message: EmailMessage) -> tuple[str, list]:
    html_part = message.get_body(preferencelist=("html",))
    text_part = message.get_body(preferencelist=("plain",))
    if html_part is not None:
        body = html_part.get_content()
    elif text_part is not None:
        body = str(plaintext2html(text_part.get_content()))
    else:
        body = ""
    attachments = []
    for part in message.iter_attachments():
        if part.get_content_type() in ("message/delivery-status", "message/rfc822",
                                       "text/rfc822-headers"):
            continue
        name = part.get_filename() or "attachment"
        payload = part.get_payload(decode=True) or b""
        attachments.append((name, payload, part.get_content_type()))
    return body, attachments


def _bounce_info(message: EmailMessage) -> dict | None:
    """For a delivery status notification (RFC 3464): the Message-Id of the
    mail that bounced and the addresses that failed; None otherwise."""
    if message.get_content_type() != "multipart/report" or \
            message.get_param("report-type") != "delivery-status":
        return None
    original_id, failed = None, []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            failed.extend(_failed_recipients(part))
        elif kind in ("message/rfc822", "text/rfc822-headers") and original_id is None:
            original_id = _original_message_id(part)
    if original_id is None:
        found = message_ids_in(str(message.get("In-Reply-To") or "")) or \
            message_ids_in(str(message.get("References") or ""))
        original_id = found[-1] if found else None
    return {"message_id": original_id, "recipients": failed}


def _failed_recipients(part: Any) -> list[str]:
    failed = []
    for block in part.get_payload() if part.is_multipart() else []:
        action = str(block.get("Action") or "").lower()
        recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        address = recipient.split(";", 1)[-1].strip().lower()
        if address and action in ("failed", ""):
            failed.append(address)
    return failed


def _original_message_id(part: Any) -> str | None:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if inner is not None and inner.get("Message-Id"):
            return str(inner.get("Message-Id")).strip()
        return None
    text = part.get_payload(decode=True) or b""
    headers = email.message_from_bytes(text, policy=email.policy.default)
    value = headers.get("Message-Id")
    return str(value).strip() if value else None
