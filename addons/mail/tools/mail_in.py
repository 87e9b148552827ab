"""Feeding incoming mail to the gateway: one raw message, or a mailbox over IMAP.

    python server.py mail-in < message.eml              # e.g. from a Postfix pipe
    python server.py mail-in --imap imap.example.com --user sales@example.com \\
        --password-env IMAP_PASSWORD --folder INBOX      # e.g. every minute from cron

Each message is routed in a transaction of its own (``mail.thread.
message_process``, see ``models/mail_thread_gateway.py``). Over IMAP the
unseen messages are fetched without marking them (``BODY.PEEK[]``) and
flagged ``\\Seen`` only once their transaction is committed: a message
that fails stays unseen and is tried again next time.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Callable
from typing import Any, BinaryIO

_logger = logging.getLogger("troika.mail.gateway")
IMAP_TIMEOUT = 60.0


def deliver(db: Any, raw: bytes, model: str | None = None) -> int | bool:
    """Route one raw message and commit; the record id it went to, or False."""
    with db.env() as env:
        if "mail.thread" not in env.registry:
            raise ValueError("The mail addon is not installed in this database.")
        return env["mail.thread"].message_process(model, raw)


def fetch_imap(db: Any, host: str, user: str, password: str, folder: str = "INBOX",
               port: int | None = None, use_ssl: bool = True, model: str | None = None,
               imap_factory: Callable[..., Any] | None = None) -> tuple[int, int]:
    """Deliver the unseen messages of an IMAP folder; (delivered, failed)."""
    factory = imap_factory or (imaplib.IMAP4_SSL if use_ssl else imaplib.IMAP4)
    connection = factory(host, port or (993 if use_ssl else 143), timeout=IMAP_TIMEOUT)
    delivered = failed = 0
    try:
        connection.login(user, password)
        status, _data = connection.select(folder)
        if status != "OK":
            raise ValueError(f"IMAP folder {folder!r} cannot be opened")
        _status, found = connection.search(None, "UNSEEN")
        for number in (found[0] or b"").split():
            _status, parts = connection.fetch(number, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            try:
                deliver(db, raw, model)
            except Exception:  # noqa: BLE001 - one bad message must not stop the others
                _logger.exception("Incoming message %s of %s failed; left unseen",
                                  number.decode(), folder)
                failed += 1
                continue
            connection.store(number, "+FLAGS", "\\Seen")
            delivered += 1
        connection.close()
    finally:
        connection.logout()
    return delivered, failed


def run(db: Any, args: Any, stdin: BinaryIO) -> int:
    """The ``mail-in`` command: exit code 0 unless something failed."""
    if args.imap:
        password = args.password
        if password is None:
            raise ValueError("--imap needs --password (or TROIKA_IMAP_PASSWORD)")
        delivered, failed = fetch_imap(db, args.imap, args.user or "", password,
                                       args.folder, args.port, not args.no_ssl, args.model)
        print(f"Delivered {delivered} message(s), {failed} failed")
        return 1 if failed else 0
    raw = stdin.read()
    if not raw.strip():
        raise ValueError("No message on the standard input")
    result = deliver(db, raw, args.model)
    print(f"Delivered to record {result}" if result else
          "Not delivered: no route (logged and dropped), or a bounce")
    return 0
