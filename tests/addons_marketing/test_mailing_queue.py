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
