"""Incoming mail: replies threaded back to their record, aliases creating
records, unknown mail dropped, bounces counted, ``mail-in`` and IMAP."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from addons.mail.tools.mail_in import fetch_imap, run
from core.exceptions import ValidationError
from tests.addons_mail.conftest import messages_of


def raw_mail(subject="Question", sender="Buyer <buyer@example.com>",
             to="sales@example.com", body="How much for 500?", message_id=None,
             in_reply_to=None, references=None, attachment=None) -> bytes:
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {subject}",
               f"Message-ID: {message_id or '<in-1@mail.example.com>'}",
               "Date: Wed, 25 Nov 2026 10:00:00 +0800", "MIME-Version: 1.0"]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    if attachment:
        name, content = attachment
        headers.append('Content-Type: multipart/mixed; boundary="XX"')
        text = (f"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                f"--XX\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
                f'filename="{name}"\r\n\r\n{content}\r\n--XX--\r\n')
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        text = body + "\r\n"
    return ("\r\n".join(headers) + "\r\n\r\n" + text).encode()


@pytest.fixture
def alias(env):
    env["ir.config_parameter"].set_param("mail.catchall.domain", "example.com")
    return env["mail.alias"].create({
        "alias_name": "Sales", "alias_model_id": env["ir.model"]._get_id("tm.lead"),
        "alias_defaults": "{'stage': 'qualified', 'expected_revenue': 100.0}"})


def test_alias_creates_a_record_through_message_new(env, alias):
    buyer = env["res.partner"].create({"name": "Buyer", "email": "buyer@example.com"})
    record_id = env["mail.thread"].message_process(None, raw_mail(
        attachment=("specs.txt", "IP65, 4000K")))
    lead = env["tm.lead"].browse(record_id)
    assert (lead.name, lead.email_from, lead.partner_id) == (
        "Question", "Buyer <buyer@example.com>", buyer)
    assert (lead.stage, lead.expected_revenue) == ("qualified", 100.0)   # alias defaults
    assert lead.description == "via e-mail"                  # tm.lead's message_new
    message = messages_of(lead, message_type="email")
    assert message.body == "<p>How much for 500?</p>"
    assert message.author_id == buyer and message.message_id == "<in-1@mail.example.com>"
    assert message.attachment_ids.name == "specs.txt"
    assert message.attachment_ids.raw == b"IP65, 4000K"
    assert buyer in lead.message_partner_ids                 # the sender follows
    assert alias.alias_name == "sales" and alias.alias_full_name == "sales@example.com"
    # the same message again is not posted twice
    assert env["mail.thread"].message_process(None, raw_mail()) == lead.id
    assert len(messages_of(lead, message_type="email")) == 1


def test_reply_lands_on_the_right_record(env, users):
    first = env["tm.lead"].create({"name": "First"})
    second = env["tm.lead"].create({"name": "Second"})
    sent = second.message_post(body="Our offer", message_type="comment",
                               subtype_xmlid="mail.mt_comment")
    first.message_post(body="Other", message_type="comment", subtype_xmlid="mail.mt_comment")
    reply = raw_mail(subject="Re: Our offer", to="someone@elsewhere.example",
                     body="We accept.", message_id="<reply-1@buyer.example>",
                     in_reply_to=sent.message_id)
    assert env["mail.thread"].message_process(None, reply) == second.id
    posted = messages_of(second)[-1]
    assert posted.body == "<p>We accept.</p>" and posted.parent_id == sent
    # References alone work too (some clients drop In-Reply-To)
    reply2 = raw_mail(subject="Re: again", body="One more thing",
                      message_id="<reply-2@buyer.example>",
                      references=f"<unknown@x> {sent.message_id}")
    assert env["mail.thread"].message_process(None, reply2) == second.id


def test_unknown_mail_is_dropped(env, alias, caplog):
    count = env["tm.lead"].search_count([])
    assert env["mail.thread"].message_process(
        None, raw_mail(to="nobody@example.com", message_id="<x@y>")) is False
    # another domain than the catchall's is not an alias
    assert env["mail.thread"].message_process(
        None, raw_mail(to="sales@other.example", message_id="<x2@y>")) is False
    assert env["tm.lead"].search_count([]) == count
    assert "no route" in caplog.text


def test_alias_contact_partners_refuses_strangers(env, alias):
    alias.alias_contact = "partners"
    assert env["mail.thread"].message_process(None, raw_mail(
        sender="stranger@nowhere.example", message_id="<s@n>")) is False
    env["res.partner"].create({"name": "Known", "email": "known@example.org"})
    assert env["mail.thread"].message_process(None, raw_mail(
        sender="Known <known@example.org>", message_id="<k@n>"))


def test_alias_forced_thread_and_bad_defaults(env, alias):
    target = env["tm.lead"].create({"name": "Support inbox"})
    alias.alias_force_thread_id = target.id
    assert env["mail.thread"].message_process(None, raw_mail(message_id="<f@x>")) == target.id
    with pytest.raises(ValidationError):
        alias.alias_defaults = "{'x': __import__('os')}"
    with pytest.raises(ValidationError):
        env["mail.alias"].create({"alias_name": "bad name",
                                  "alias_model_id": alias.alias_model_id.id})


def dsn(original_id: str, recipient: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.com\r\nTo: bounce@example.com\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: Lamps\r\n\r\n--B--\r\n").encode()


def test_bounce_is_matched_by_message_id(env, users):
    customer = env["res.partner"].create({"name": "Gone", "email": "gone@example.com"})
    lead = env["tm.lead"].create({"name": "Lamps", "partner_id": customer.id})
    lead.message_subscribe(partner_ids=[customer.id])
    message = lead.message_post(body="Offer", message_type="comment",
                                subtype_xmlid="mail.mt_comment")
    mail = env["mail.mail"].search([("mail_message_id", "=", message.id)])
    mail.auto_delete = False
    before = len(messages_of(lead))
    assert env["mail.thread"].message_process(None, dsn(message.message_id,
                                                        "gone@example.com")) is False
    assert customer.message_bounce == 1
    notification = message.notification_ids.filtered(lambda n: n.res_partner_id == customer)
    assert notification.notification_status == "bounce"
    assert (mail.state, mail.failure_type) == ("exception", "mail_bounce")
    assert len(messages_of(lead)) == before                  # nothing posted


def test_mail_in_command_reads_stdin(mail_db, capsys):
    args = SimpleNamespace(imap=None, model=None)
    with mail_db.env() as env:
        lead = env["tm.lead"].create({"name": "CLI"})
        sent = lead.message_post(body="Hi", message_type="comment",
                                 subtype_xmlid="mail.mt_comment")
        sent_id, lead_id = sent.message_id, lead.id
    stdin = io.BytesIO(raw_mail(body="Reply by pipe", message_id="<pipe@x>",
                                in_reply_to=sent_id, to="nobody@nowhere.example"))
    assert run(mail_db, args, stdin) == 0
    assert capsys.readouterr().out.strip() == f"Delivered to record {lead_id}"
    with mail_db.env() as env:
        assert messages_of(env["tm.lead"].browse(lead_id))[-1].body == "<p>Reply by pipe</p>"
    assert run(mail_db, args, io.BytesIO(raw_mail(to="x@nowhere.example",
                                                  message_id="<drop@x>"))) == 0
    assert "Not delivered" in capsys.readouterr().out
    with pytest.raises(ValueError, match="No message"):
        run(mail_db, args, io.BytesIO(b"  "))


class FakeImap:
    """The part of imaplib.IMAP4 fetch_imap uses, with two unseen messages."""

    def __init__(self, host, port, timeout=None):
        self.calls = [("connect", host, port)]
        self.messages = {b"1": raw_mail(message_id="<imap-1@x>", to="nobody@nowhere.example"),
                         b"2": b"not an e-mail at all \xff"}
        self.seen: list[bytes] = []
        FakeImap.last = self

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def select(self, folder):
        return "OK", [b"2"]

    def search(self, charset, criterion):
        assert criterion == "UNSEEN"
        return "OK", [b"1 2"]

    def fetch(self, number, parts):
        assert parts == "(BODY.PEEK[])"
        return "OK", [(b"1 (BODY[] {10}", self.messages[number]), b")"]

    def store(self, number, command, flags):
        self.seen.append(number)

    def close(self):
        self.calls.append(("close",))

    def logout(self):
        self.calls.append(("logout",))


def test_imap_fetch_marks_only_delivered_messages_seen(mail_db, monkeypatch):
    import addons.mail.tools.mail_in as mail_in

    def flaky(db, raw, model=None):
        if b"not an e-mail" in raw:
            raise ValueError("unparsable")
        return False

    monkeypatch.setattr(mail_in, "deliver", flaky)
    delivered, failed = fetch_imap(mail_db, "imap.example.com", "sales", "secret",
                                   imap_factory=FakeImap)
    assert (delivered, failed) == (1, 1)
    fake = FakeImap.last
    assert fake.seen == [b"1"]
    assert fake.calls[0] == ("connect", "imap.example.com", 993)
    assert ("login", "sales", "secret") in fake.calls and fake.calls[-1] == ("logout",)


def test_only_the_gateway_and_administrators_process_mail(env, users):
    """Over RPC a user could otherwise forge incoming mail or flush the queue."""
    from core.exceptions import AccessError

    with pytest.raises(AccessError):
        env["mail.thread"].with_user(users.sales1).message_process(None, raw_mail())
    with pytest.raises(AccessError):
        env["mail.mail"].with_user(users.sales1).process_email_queue()
    mail = env["mail.mail"].create({"subject": "x", "email_to": "x@example.com"})
    with pytest.raises(AccessError):
        mail.with_user(users.sales1).send()
    with pytest.raises(AccessError):
        env["ir.mail_server"].with_user(users.sales1).connect()
    assert mail.state == "outgoing"
