"""Small e-mail helpers of the helpdesk.

    split_name_email('"Anna Weber" <anna@lichtwerk.de>')   # ('Anna Weber', 'anna@lichtwerk.de')
"""

from __future__ import annotations

from email.utils import parseaddr


def split_name_email(text: str | None) -> tuple[str, str]:
    """(display name, lower-case address) of an address; ('', '') when there is none."""
    name, address = parseaddr(text or "")
    address = address.strip().lower()
    if "@" not in address:
        return "", ""
    return name.strip(), address
