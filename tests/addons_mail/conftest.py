"""Fixtures of the mail addon's tests: a database with ``tm_lead`` (a tracked
mail.thread with activities, a workflow, templates and record rules, in
tests/addons_mail), users, and a real SMTP server on a loopback port.

    def test_something(env, users):
        lead = env["tm.lead"].with_user(users.sales1).create({"name": "Acme"})

    def test_sending(mail_db, smtp_server):        # committed work, a live server
        ...
        smtp_server.messages                        # what the server received
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from pathlib import Path
from types import SimpleNamespace

import pytest

ADDONS = str(Path(__file__).resolve().parent)
MODULES = ("tm_lead",)


@pytest.fixture
def env(addon_env):
    """A superuser environment with tm_lead (and mail); rolled back after the test."""
    return addon_env(*MODULES, addons_path=ADDONS)


def make_user(env, login: str, *groups: str, notification_type: str = "email",
              email: str | None = None):
    return env["res.users"].sudo().create({
        "name": login.replace("_", " ").title(), "login": login,
        "email": email or f"{login}@example.com", "notification_type": notification_type,
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups or ("base.group_user",)])],
    })


@pytest.fixture
def users(env):
    """sales1 and sales2 (internal users who see their own leads; sales1 reads
    notifications in the inbox), manager (sees all leads), portal (a customer
    who logs in), admin (settings)."""
    return SimpleNamespace(
        sales1=make_user(env, "sales1", notification_type="inbox"),
        sales2=make_user(env, "sales2"),
        manager=make_user(env, "manager", "tm_lead.group_lead_manager"),
        portal=make_user(env, "portal", "base.group_portal"),
        admin=make_user(env, "admin2", "base.group_user", "base.group_system"),
    )


def messages_of(record, **domain):
    """The messages of a record, oldest first (as superuser)."""
    terms = [("model", "=", record._name), ("res_id", "=", record.id)]
    terms += [(key, "=", value) for key, value in domain.items()]
    return record.env["mail.message"].sudo().search(terms, order="id")


# ---------------------------------------------------------------------------
# a real SMTP server
# ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An aiosmtpd handler keeping what it receives; ``refuse`` makes it
    refuse recipients (550), ``fail_data`` the message itself (451)."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.sessions: list = []
        self.refuse: set[str] = set()
        self.refuse_all = False
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            if not any(s is session for s in self.sessions):
                self.sessions.append(session)
        if self.refuse_all or address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.envelopes.append(SimpleNamespace(
                mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.content))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def clear(self) -> None:
        with self._lock:
            self.envelopes.clear()
            self.sessions.clear()
        self.refuse.clear()
        self.refuse_all = False


@pytest.fixture(scope="module")
def smtp_controller():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.recorder = recorder
    yield controller
    controller.stop()


@pytest.fixture
def smtp_server(smtp_controller, monkeypatch):
    """The running server (emptied), and TROIKA_SMTP_* pointing at it."""
    recorder = smtp_controller.recorder
    recorder.clear()
    monkeypatch.setenv("TROIKA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TROIKA_SMTP_PORT", str(smtp_controller.port))
    monkeypatch.delenv("TROIKA_SMTP_USER", raising=False)
    monkeypatch.delenv("TROIKA_SMTP_ENCRYPTION", raising=False)
    recorder.port = smtp_controller.port
    return recorder


@pytest.fixture
def mail_db(installed_db):
    """A database with tm_lead whose work is committed (the job runner uses its
    own transactions): no mail, no job, no lead, scheduled jobs inactive."""
    database = installed_db(MODULES, addons_path=ADDONS)
    with database.env() as env:
        env["ir.cron"].with_context(active_test=False).search([]).write({"active": False})
        env["ir.job"].search([]).unlink()
        env["mail.mail"].search([]).unlink()
        env["tm.lead"].search([]).unlink()
        env["ir.mail_server"].with_context(active_test=False).search([]).unlink()
        env["mail.blacklist"].with_context(active_test=False).search([]).unlink()
    return database
