"""Outgoing mail through a real SMTP server (aiosmtpd on a loopback port):
what arrives, headers, bulk mail and unsubscribing, retries and failures,
1,000 mails sent in batches by the job runner."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

from core.workflow.jobs import run_pending
from tests.addons_mail.conftest import free_port
from tests.fixtures import QueryCounter


def make_lead(env, name="Lamps", email="buyer@example.com"):
    customer = env["res.partner"].create({"name": "Buyer", "email": email})
    lead = env["tm.lead"].create({"name": name, "partner_id": customer.id})
    return lead, customer


def test_notification_mail_arrives_with_threading_headers(mail_db, smtp_server):
    with mail_db.env() as env:
        lead, customer = make_lead(env)
        lead.message_subscribe(partner_ids=[customer.id])
        first = lead.message_post(body="Offer attached", message_type="comment",
                                  subtype_xmlid="mail.mt_comment",
                                  attachments=[("offer.txt", b"500 pcs at 3 USD")])
        second = lead.message_post(body="Any news?", message_type="comment",
                                   subtype_xmlid="mail.mt_comment")
        ids = (first.message_id, second.message_id)
        env["mail.mail"].search([]).send()
    received = {m["Message-Id"]: m for m in smtp_server.messages}
    assert set(received) == set(ids)
    offer, reminder = received[ids[0]], received[ids[1]]
    assert offer["To"] == '"Buyer" <buyer@example.com>' or offer["To"] == \
        "Buyer <buyer@example.com>"
    assert offer["Subject"] == "Lamps"
    assert "-troika-tm.lead-" in ids[0] and ids[0].endswith("@localhost>")
    # the reply is threaded under the first message of the record
    assert reminder["References"] == ids[0] and reminder["In-Reply-To"] == ids[0]
    html = offer.get_body(preferencelist=("html",)).get_content()
    assert "Offer attached" in html and "/web/model/tm.lead/" in html
    attachment = next(offer.iter_attachments())
    assert attachment.get_filename() == "offer.txt"
    assert attachment.get_content() == "500 pcs at 3 USD"
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["buyer@example.com"]] * 2
    with mail_db.env() as env:
        # notification mails are deleted once sent; the notification says sent
        assert not env["mail.mail"].search([])
        statuses = env["mail.notification"].search([
            ("mail_message_id.message_id", "in", list(ids))]).mapped("notification_status")
        assert statuses == ["sent", "sent"]


def test_each_recipient_gets_a_message_of_their_own(mail_db, smtp_server):
    with mail_db.env() as env:
        a, b = env["res.partner"].create([{"name": "A", "email": "a@example.com"},
                                          {"name": "B", "email": "b@example.com"}])
        mail = env["mail.mail"].create({"subject": "Hi", "body_html": "<p>Hello</p>",
                                        "email_from": "sales@example.com",
                                        "recipient_ids": [(6, 0, [a.id, b.id])],
                                        "email_to": "c@example.com"})
        mail.send()
        assert mail.state == "sent" and mail.date
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "A <a@example.com>", "B <b@example.com>", "c@example.com"]
    assert {e.mail_from for e in smtp_server.envelopes} == {"sales@example.com"}


def test_bulk_mail_carries_a_signed_unsubscribe_link(mail_db, smtp_server):
    with mail_db.env() as env:
        env["ir.config_parameter"].set_param("web.base.url", "https://erp.example.com")
        lead, customer = make_lead(env, email="Jane.Doe@Example.com")
        news = env.ref("tm_lead.email_template_lead_news")
        mail = env["mail.mail"].browse(news.send_mail(lead.id))
        mail.send()
        assert mail.state == "sent"
        secret = env["ir.config_parameter"].get_param("database.secret")
        assert secret and len(secret) == 64
    message = smtp_server.messages[0]
    header = message["List-Unsubscribe"]
    assert header.startswith("<https://erp.example.com/mail/unsubscribe?")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link.replace("&", "&amp;") in html
    query = parse_qs(urlparse(link).query)
    email, token = query["email"][0], query["token"][0]
    assert email == "jane.doe@example.com"
    with mail_db.env() as env:
        Blacklist = env["mail.blacklist"]
        assert not Blacklist._unsubscribe(email, "0" * 64)            # forged
        assert not Blacklist._unsubscribe("other@example.com", token)   # another address
        assert Blacklist._unsubscribe(email, token)
        assert Blacklist.search([]).mapped("email") == ["jane.doe@example.com"]
        # the next bulk mail to that address is not sent; other mails still are
        news = env.ref("tm_lead.email_template_lead_news")
        again = env["mail.mail"].browse(news.send_mail(lead.id))
        welcome = env["mail.mail"].browse(
            env.ref("tm_lead.email_template_lead_welcome").send_mail(lead.id))
        (again | welcome).send()
        assert again.state == "cancel" and welcome.exists().state in ("sent", False) or \
            not welcome.exists()
    assert len(smtp_server.messages) == 2     # the first bulk mail and the welcome


def test_closed_port_retries_then_fails(mail_db, smtp_server, monkeypatch):
    monkeypatch.setenv("TROIKA_SMTP_PORT", str(free_port()))     # nobody listens
    with mail_db.env() as env:
        mail = env["mail.mail"].create({"subject": "Hi", "body_html": "<p>x</p>",
                                        "email_to": "x@example.com",
                                        "email_from": "s@example.com"})
        mail.send()
        assert (mail.state, mail.retry_count) == ("outgoing", 1)
        assert "Connection to 127.0.0.1" in mail.failure_reason
        assert mail.scheduled_date > dt.datetime.utcnow()
        # not due again before its retry time
        assert env["mail.mail"].process_email_queue() == 0
        mail.send()
        assert (mail.state, mail.retry_count) == ("outgoing", 2)
        mail.send()
        assert (mail.state, mail.retry_count, mail.failure_type) == ("exception", 3,
                                                                     "mail_smtp")
        mail.mark_outgoing()
        assert (mail.state, mail.retry_count) == ("outgoing", 0)


def test_refused_recipients_retry_then_fail_with_the_smtp_answer(mail_db, smtp_server):
    smtp_server.refuse_all = True
    with mail_db.env() as env:
        env["ir.config_parameter"].set_param("mail.mail.max_retries", "2")
        mail = env["mail.mail"].create({"subject": "Hi", "body_html": "<p>x</p>",
                                        "email_to": "nobody@example.com",
                                        "email_from": "s@example.com"})
        mail.send()
        assert mail.state == "outgoing" and "550" in mail.failure_reason
        mail.send()
        assert mail.state == "exception" and "No such user" in mail.failure_reason
        env["ir.config_parameter"].set_param("mail.mail.max_retries", False)
    assert not smtp_server.envelopes


def test_partly_refused_mail_is_sent_and_the_refusal_noted(mail_db, smtp_server):
    smtp_server.refuse.add("bad@example.com")
    with mail_db.env() as env:
        lead, good = make_lead(env, email="good@example.com")
        bad = env["res.partner"].create({"name": "Bad", "email": "bad@example.com"})
        lead.message_subscribe(partner_ids=[good.id, bad.id])
        message = lead.message_post(body="Hello both", message_type="comment",
                                    subtype_xmlid="mail.mt_comment")
        env["mail.mail"].search([]).send()
        statuses = {n.res_partner_id.email: n.notification_status
                    for n in message.notification_ids}
        assert statuses == {"good@example.com": "sent", "bad@example.com": "exception"}
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["good@example.com"]]


def test_an_ir_mail_server_record_wins_over_the_environment(mail_db, smtp_server,
                                                            monkeypatch):
    monkeypatch.setenv("TROIKA_SMTP_PORT", str(free_port()))
    with mail_db.env() as env:
        server = env["ir.mail_server"].create({"name": "Loopback", "smtp_host": "127.0.0.1",
                                               "smtp_port": smtp_server.port,
                                               "smtp_encryption": "none"})
        assert server.test_smtp_connection() is True
        mail = env["mail.mail"].create({"subject": "Via record", "body_html": "<p>x</p>",
                                        "email_to": "x@example.com",
                                        "email_from": "s@example.com"})
        mail.send()
        assert mail.state == "sent"
        server.unlink()
    assert smtp_server.messages[0]["Subject"] == "Via record"


def test_the_runner_sends_1000_mails_in_batches(mail_db, smtp_server):
    with mail_db.env() as env:
        partners = env["res.partner"].with_context(tracking_disable=True).create(
            [{"name": f"P{i}", "email": f"p{i}@example.com"} for i in range(1000)])
        env["mail.mail"].create([{
            "subject": f"Mail {i}", "body_html": f"<p>Hello {i}</p>",
            "email_from": "sales@example.com", "recipient_ids": [(6, 0, [partner.id])]}
            for i, partner in enumerate(partners)])
        cron = env.ref("mail.ir_cron_mail_scheduler_action")
        cron.write({"active": True, "nextcall": dt.datetime.utcnow() - dt.timedelta(1)})
    with QueryCounter(mail_db.engine) as counter:
        ran = run_pending(mail_db)
    assert ran == 11                                  # the scheduled job, 10 batches
    assert len(smtp_server.envelopes) == 1000
    assert len(smtp_server.sessions) == 10            # one connection per batch
    assert {m["Subject"] for m in smtp_server.messages} == {f"Mail {i}" for i in range(1000)}
    with mail_db.env() as env:
        assert env["mail.mail"].search_count([("state", "=", "sent")]) == 1000
        env.ref("mail.ir_cron_mail_scheduler_action").write({"active": False})
        assert env["ir.job"].search_count([("state", "=", "done")]) == 10
        env["mail.mail"].search([]).unlink()
        env["ir.job"].search([]).unlink()
    # the queries of a batch do not grow with its size
    per_batch = counter.count / 10
    assert per_batch < 60, per_batch


def _send_batch_counting(mail_db, size: int) -> int:
    """Queue ``size`` mails, then send them in one transaction: its query count."""
    with mail_db.env() as env:
        partners = env["res.partner"].with_context(tracking_disable=True).create(
            [{"name": f"Q{i}", "email": f"q{i}@example.com"} for i in range(size)])
        ids = env["mail.mail"].create([{
            "subject": "Q", "body_html": "<p>q</p>", "email_from": "s@example.com",
            "recipient_ids": [(6, 0, [partner.id])]} for partner in partners]).ids
    with mail_db.env() as env:
        env.invalidate_all()
        before = env.transaction.query_count
        env["mail.mail"].browse(ids).send()
        env.flush_all()
        count = env.transaction.query_count - before
        env["mail.mail"].browse(ids).unlink()
    return count


def test_query_count_of_a_batch_is_flat(mail_db, smtp_server):
    small = _send_batch_counting(mail_db, 10)
    large = _send_batch_counting(mail_db, 100)
    assert len(smtp_server.envelopes) == 110
    assert large <= small + 3, (small, large)
