"""Small e-mail helpers: Message-Ids, addresses, text and HTML.

    generate_message_id("crm.lead", 7, "example.com")
    # '<3f2a...c1.1764190000.123456-troika-crm.lead-7@example.com>'
    email_split("Jane <jane@example.com>, bob@example.com")
    # ['jane@example.com', 'bob@example.com']
    plaintext2html("a < b\\nline two")      # 'a &lt; b<br>line two' inside <p>
    html2plaintext("<p>Hello <b>Jane</b></p>")   # 'Hello Jane'
"""

from __future__ import annotations

import re
import time
import uuid
from email.utils import formataddr, getaddresses

from lxml import etree, html
from markupsafe import Markup, escape

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def generate_message_id(model: str | None = None, res_id: int | None = None,
                        domain: str = "localhost") -> str:
    """``<uuid.timestamp-troika-model-id@domain>``: unique, and telling which
    record a reply belongs to even when the database lost the original."""
    stamp = f"{time.time():.6f}"
    if model and res_id:
        middle = f"troika-{model}-{res_id}"
    else:
        middle = "troika"
    return f"<{uuid.uuid4().hex}.{stamp}-{middle}@{domain}>"


def message_ids_in(header: str | None) -> list[str]:
    """The Message-Ids of an In-Reply-To or References header, in order."""
    return _MESSAGE_ID.findall(header or "")


def email_split(text: str | None) -> list[str]:
    """The bare e-mail addresses of a header value or a comma-separated list."""
    if not text:
        return []
    return [address.strip() for _name, address in getaddresses([text])
            if address and "@" in address]


def email_split_and_format(text: str | None) -> list[str]:
    """``Name <address>`` for each address of a header value."""
    if not text:
        return []
    return [formataddr((name, address)) for name, address in getaddresses([text])
            if address and "@" in address]


def email_normalize(text: str | None) -> str | bool:
    """The one address of ``text``, lower-cased; False when there is none."""
    found = email_split(text)
    return found[0].lower() if found else False


def is_html_empty(value: str | None) -> bool:
    if not value:
        return True
    return not html2plaintext(value).strip() and "<img" not in value


def plaintext2html(text: str) -> Markup:
    """Escaped text as HTML paragraphs (a body given as text is not HTML)."""
    paragraphs = [str(escape(part)).replace("\n", "<br>")
                  for part in re.split(r"\n\s*\n", text.strip())]
    return Markup("".join(f"<p>{part}</p>" for part in paragraphs if part))


def html2plaintext(value: str | None) -> str:
    """The text of an HTML body: paragraphs and line breaks kept, tags gone."""
    if not value or not value.strip():
        return ""
    try:
        root = html.fragment_fromstring(value, create_parent="div")
    except etree.ParserError:
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "tr", "h1", "h2", "h3", "h4"):
        block.tail = "\n" + (block.tail or "")
    for link in root.iter("a"):
        href = link.get("href")
        if href and href.startswith(("http", "mailto")) and href != link.text_content():
            link.tail = f" [{href}]" + (link.tail or "")
    text = root.text_content()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in
                                                  text.splitlines())).strip()


def append_content_to_html(body: str, content: str) -> str:
    """``content`` (HTML) added at the end of ``body``, inside its last element
    when it is one document (``<html><body>``)."""
    lowered = body.lower()
    index = lowered.rfind("</body>")
    if index >= 0:
        return body[:index] + content + body[index:]
    return body + content


def attachment_payload(attachment) -> tuple[str, bytes, str]:
    """(name, content, mimetype) of an ir.attachment, for e-mails."""
    record = attachment.sudo()
    return record.name, record.raw or b"", record.mimetype or "application/octet-stream"
