"""The workflow engine's and automated actions' hooks on mail.thread models:
on-enter activities, messages and templates (tm_lead's lead_flow)."""

from __future__ import annotations

import datetime as dt

from tests.addons_mail.conftest import messages_of


def test_on_enter_activity_message_and_template(env, users):
    customer = env["res.partner"].create({"name": "Buyer", "email": "buyer@example.com"})
    lead = env["tm.lead"].with_user(users.sales1).create({
        "name": "Lamps", "user_id": users.sales1.id, "partner_id": customer.id})
    lead.action_open()
    assert lead.state == "open"
    # <on_enter activity="Call the customer" user_field="user_id" delay="3"/>
    activity = lead.activity_ids
    assert (activity.summary, activity.user_id, activity.automated) == (
        "Call the customer", users.sales1, True)
    assert activity.date_deadline == dt.date.today() + dt.timedelta(days=3)
    # <on_enter message="The lead is open."/>: a note in the chatter, not in the audit row
    bodies = messages_of(lead).mapped("body")
    assert "<p>The lead is open.</p>" in bodies
    history = env["ir.workflow.history"].search([("model", "=", "tm.lead"),
                                                 ("res_id", "=", lead.id)])
    assert not history.comment
    # the state change is tracked
    tracked = [t for m in messages_of(lead) for t in m.message_format()[0]["tracking"]]
    assert ("State", "Draft", "Open") in [(t["label"], t["old"], t["new"]) for t in tracked]
    # <on_enter state="done" template="tm_lead.email_template_lead_welcome"/>
    lead.action_close()
    mail = env["mail.mail"].search([("model", "=", "tm.lead"), ("res_id", "=", lead.id),
                                    ("subject", "like", "Welcome")])
    assert mail.recipient_ids == customer and mail.state == "outgoing"
    logged = messages_of(lead).filtered(lambda m: m.message_type == "email_outgoing")
    assert logged.subject == "Welcome, Buyer (Lamps)"


def test_automated_actions_schedule_activities_and_send_templates(env, users):
    model = "tm.lead"
    env["base.automation"].create([{
        "name": "Big leads get a call", "model": model, "trigger": "on_create",
        "filter_domain": "[('expected_revenue', '>=', 10000)]", "action": "activity",
        "activity_summary": "Call the big buyer", "activity_user_field": "user_id",
        "activity_delay": 1,
    }, {
        "name": "Welcome won leads", "model": model, "trigger": "on_write",
        "trigger_field_names": "stage", "filter_domain": "[('stage', '=', 'won')]",
        "action": "template", "template": "tm_lead.email_template_lead_welcome",
    }])
    customer = env["res.partner"].create({"name": "Big Buyer", "email": "big@example.com"})
    small = env["tm.lead"].create({"name": "Small", "expected_revenue": 10})
    big = env["tm.lead"].create({"name": "Big", "expected_revenue": 50000,
                                 "user_id": users.sales2.id, "partner_id": customer.id})
    assert not small.activity_ids
    assert big.activity_ids.summary == "Call the big buyer"
    assert big.activity_ids.user_id == users.sales2
    assert big.activity_ids.date_deadline == dt.date.today() + dt.timedelta(days=1)
    big.write({"stage": "won"})
    mails = env["mail.mail"].search([("model", "=", model), ("res_id", "=", big.id)])
    welcome = mails.filtered(lambda m: m.subject == "Welcome, Big Buyer (Big)")
    assert welcome.recipient_ids == customer
    # the other one tells the followers (sales2) of the stage change
    assert (mails - welcome).recipient_ids == users.sales2.partner_id


def test_loader_accepts_activities_on_mail_models(env):
    """tm_lead's workflow has activity and template actions: it loaded."""
    flow = env.ref("tm_lead.lead_flow")
    kinds = sorted(flow.action_ids.mapped("kind"))
    assert kinds == ["activity", "message", "template"]
