"""Replies and bounces of mailings through the mail addon's incoming path
(``mail.thread.message_process``, what ``mail-in`` runs): matched to the trace
by the Message-Id of the mail sent (both backends)."""

from __future__ import annotations

from tests.addons_marketing.conftest import model_id


def reply(to_message_id: str, sender: str, references: bool = False) -> bytes:
    header = f"References: <older@x.example> {to_message_id}" if references else \
        f"In-Reply-To: {to_message_id}"
    return (f"From: {sender}\r\nTo: marketing@troika.example\r\n"
            "Subject: Re: New LED panels\r\nMessage-ID: <reply-1@customer.example>\r\n"
            f"{header}\r\nDate: Wed, 25 Nov 2026 12:00:00 +0100\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Please send the price list for 500 panels.\r\n").encode()


def dsn(original_id: str, recipient: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.com\r\nTo: bounce@troika.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-7@mx>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: New LED panels\r\n\r\n--B--\r\n").encode()


def test_reply_marks_the_trace_replied(env, mk):
    mailing = mk.mailing(mk.news)
    traces = mailing.action_send_mail()
    anna = traces.filtered(lambda t: t.email == "anna@lichtwerk.example")
    anna.set_sent()
    gateway = env["mail.thread"]
    # a contact is not a thread: counted, then dropped (no alias takes it)
    assert gateway.message_process(None, reply(anna.message_id,
                                               "anna@lichtwerk.example")) is False
    assert anna.trace_status == "reply" and anna.reply_datetime and anna.open_datetime
    mailing.invalidate_recordset()
    assert (mailing.replied, mailing.opened) == (1, 1)


def test_reply_to_a_partner_mailing_lands_in_the_partners_chatter(env, mk):
    partner = env["res.partner"].create({"name": "Lichtwerk Handels GmbH", "is_company": True,
                                         "email": "buyer@lichtwerk.example"})
    mailing = mk.mailing(mailing_model_id=model_id(env, "res.partner"),
                         mailing_domain=f"[('id', '=', {partner.id})]")
    trace = mailing.action_send_mail()
    trace.set_sent()
    # found through References too
    routed = env["mail.thread"].message_process(
        None, reply(trace.message_id, "Buyer <buyer@lichtwerk.example>", references=True))
    assert routed == partner.id
    assert trace.trace_status == "reply"
    posted = env["mail.message"].search([("model", "=", "res.partner"),
                                         ("res_id", "=", partner.id),
                                         ("message_type", "=", "email")])
    assert "price list for 500 panels" in posted.body


def test_bounce_marks_the_trace_bounced(env, mk):
    mailing = mk.mailing(mk.news)
    traces = mailing.action_send_mail()
    bruno = traces.filtered(lambda t: t.email == "bruno.rossi@luce.example")
    bruno.set_sent()
    assert env["mail.thread"].message_process(
        None, dsn(bruno.message_id, "bruno.rossi@luce.example")) is False
    assert (bruno.trace_status, bruno.failure_type) == ("bounce", "mail_bounce")
    assert mk.contacts[1].message_bounce == 1
    mailing.invalidate_recordset()
    assert (mailing.bounced, mailing.delivered) == (1, 0)
    others = traces - bruno
    assert "bounce" not in others.mapped("trace_status")
