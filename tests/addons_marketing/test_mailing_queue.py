"""Mailings through the mail queue and a real SMTP server (aiosmtpd on a
loopback port): what arrives, the traces told, opt-outs checked again when the
mail leaves, the hourly limit with a fake clock, flat query counts."""

from __future__ import annotations

from core.workflow.jobs import run_pending
from tests.addons_marketing.conftest import build


def send_queue(db) -> None:
    with db.env() as env:
        env["mail.mail"].process_email_queue()
    run_pending(db)


def test_mailing_goes_through_the_queue(mailing_db, smtp_server):
    with mailing_db.env() as env:
        mk = build(env)
        mailing = mk.mailing(mk.news)
        traces = mailing.action_send_mail()
        mailing_id = mailing.id
        anna = traces.filtered(lambda t: t.email == "anna@lichtwerk.example")
        unsubscribe = anna._tracking_urls("https://erp.troika.example",
                                          env["mail.blacklist"]._database_secret())["unsubscribe"]
        # Chen leaves the list after the mailing was queued, before the mail leaves
        mk.contacts[2].subscription_ids.opt_out = True
    send_queue(mailing_db)
    received = {m["To"]: m for m in smtp_server.messages}
    assert sorted(received) == ["Anna Weber <anna@lichtwerk.example>",
                                "Bruno Rossi <Bruno.Rossi@luce.example>"]
    message = received["Anna Weber <anna@lichtwerk.example>"]
    assert message["Subject"] == "New LED panels for Anna Weber"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["Message-Id"] == anna.message_id
    html = message.get_body(preferencelist=("html",)).get_content()
    assert unsubscribe in html and "/mail/track/" in html
    with mailing_db.env() as env:
        mailing = env["mailing.mailing"].browse(mailing_id)
        statuses = {t.email: (t.trace_status, t.failure_type) for t in mailing.mailing_trace_ids}
        assert statuses == {"anna@lichtwerk.example": ("sent", False),
                            "bruno.rossi@luce.example": ("sent", False),
                            "chen@guangming.example": ("cancel", "mail_optout")}
        assert all(t.sent_datetime for t in mailing.mailing_trace_ids if t.trace_status == "sent")
        # sent mails are deleted (keep_archives off); the trace keeps the mail's id
        left = env["mail.mail"].search([("mailing_id", "=", mailing_id)])
        assert (left.email_to, left.state) == ("Chen Wei <chen@guangming.example>", "cancel")
        assert all(mailing.mailing_trace_ids.mapped("mail_mail_id_int"))
        env["mailing.mailing"]._process_mass_mailing_queue()
        assert mailing.state == "done"


def add_contacts(env, mailing_list, count, prefix="c"):
    return env["mailing.contact"].create([
        {"name": f"Contact {i}", "email": f"{prefix}{i}@buyers.example",
         "list_ids": [(6, 0, [mailing_list.id])]} for i in range(count)])


def test_hourly_limit_spreads_a_large_mailing(mailing_db, smtp_server, clock):
    """100 per hour: 250 recipients at 10:20 go out 100 now, 100 at 11:00 and 50 at
    12:00; a mailing queued at 11:30 fills the room left at 12:00."""
    with mailing_db.env() as env:
        mk = build(env)
        env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "100")
        big = env["mailing.list"].create({"name": "Everyone"})
        add_contacts(env, big, 250)
        traces = mk.mailing(big).action_send_mail()
        slots = sorted(set(traces.mapped("scheduled_datetime")))
        counts = [len(traces.filtered(lambda t, s=s: t.scheduled_datetime == s))
                  for s in slots]
        assert [s.strftime("%H:%M") for s in slots] == ["10:20", "11:00", "12:00"]
        assert counts == [100, 100, 50]
        assert set(traces.mapped("mail_mail_id.scheduled_date")) == set(slots)
    send_queue(mailing_db)
    assert len(smtp_server.envelopes) == 100
    clock.set(clock.now.replace(minute=59))
    send_queue(mailing_db)
    assert len(smtp_server.envelopes) == 100
    clock.set(clock.now.replace(hour=11, minute=0))
    send_queue(mailing_db)
    assert len(smtp_server.envelopes) == 200
    clock.set(clock.now.replace(minute=30))
    with mailing_db.env() as env:
        small = env["mailing.list"].create({"name": "Late"})
        add_contacts(env, small, 30, prefix="late")
        late = env["mailing.mailing"].create({
            "subject": "Late", "body_html": "<p>x</p>", "email_from": "m@troika.example",
            "contact_list_ids": [(6, 0, small.ids)]}).action_send_mail()
        assert {t.scheduled_datetime.strftime("%H:%M") for t in late} == {"12:00"}
    send_queue(mailing_db)
    assert len(smtp_server.envelopes) == 200
    clock.set(clock.now.replace(hour=12, minute=0))
    send_queue(mailing_db)
    assert len(smtp_server.envelopes) == 280
    with mailing_db.env() as env:
        env["mailing.mailing"]._process_mass_mailing_queue()
        assert set(env["mailing.mailing"].search([]).mapped("state")) == {"done"}
        env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")


def _queries_to_send(env, count: int) -> int:
    from tests.fixtures import QueryCounter

    mailing_list = env["mailing.list"].create({"name": f"Flat {count}"})
    add_contacts(env, mailing_list, count, prefix=f"flat{count}-")
    env["mail.blacklist"]._add(f"flat{count}-0@buyers.example")
    mailing = env["mailing.mailing"].create({
        "subject": "Hello {{ object.name }}", "email_from": "m@troika.example",
        "body_html": "<p>Dear {{ object.name }}, <a href='https://shop.example/a'>a</a> "
                     "<a href='https://shop.example/b'>b</a></p>",
        "contact_list_ids": [(6, 0, mailing_list.ids)]})
    env.invalidate_all()
    with QueryCounter(env.transaction.connection.engine) as counter:
        traces = mailing.action_send_mail()
    assert len(traces) == count and len(traces.filtered("mail_mail_id")) == count - 1
    return counter.count


def test_query_count_of_sending_is_flat(env, mk):
    small = _queries_to_send(env, 20)
    large = _queries_to_send(env, 400)
    assert large <= small + 2, (small, large)
