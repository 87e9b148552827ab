"""Activities: scheduling, states, the record's summary fields, marking done
with feedback, chains, "My activities"."""

from __future__ import annotations

import datetime as dt

import pytest

from addons.mail.models.mail_activity_type import add_delay
from tests.addons_mail.conftest import messages_of

TODAY = dt.date.today()


@pytest.fixture
def lead(env, users):
    return env["tm.lead"].with_user(users.sales1).create({"name": "Lamps",
                                                          "user_id": users.sales1.id})


def test_schedule_uses_the_type_defaults(env, users, lead):
    call = env.ref("mail.mail_activity_data_call")
    activity = lead.activity_schedule("mail.mail_activity_data_call")
    assert activity.activity_type_id == call
    assert activity.date_deadline == TODAY + dt.timedelta(days=2)    # the type's delay
    assert activity.user_id == users.sales1 and activity.res_name == "Lamps"
    assert activity.res_model_id.model == "tm.lead"
    other = lead.activity_schedule("mail.mail_activity_data_todo", summary="Send samples",
                                   note="<p>50 pcs</p>", user_id=users.sales2.id,
                                   date_deadline=TODAY)
    assert (other.summary, other.note, other.user_id) == ("Send samples", "<p>50 pcs</p>",
                                                          users.sales2)
    # the assignee follows the record
    assert users.sales2.partner_id in lead.message_partner_ids


def test_states_and_the_record_summary(env, users, lead):
    planned = lead.activity_schedule(summary="later", date_deadline=TODAY + dt.timedelta(3))
    assert planned.state == "planned" and lead.activity_state == "planned"
    today = lead.activity_schedule(summary="now", date_deadline=TODAY)
    assert today.state == "today" and lead.activity_state == "today"
    late = lead.activity_schedule(summary="late", date_deadline=TODAY - dt.timedelta(1))
    assert late.state == "overdue" and lead.activity_state == "overdue"
    assert lead.activity_summary == "late" and lead.activity_date_deadline == late.date_deadline
    assert lead.activity_ids == late | today | planned
    Lead = env["tm.lead"].with_user(users.sales1)
    quiet = Lead.create({"name": "No activity", "user_id": users.sales1.id})
    assert Lead.search([("activity_state", "=", "overdue")]) == lead
    assert Lead.search([("activity_state", "=", False)]) == quiet
    assert lead in Lead.search([("activity_user_id", "=", users.sales1.id)])
    Activity = env["mail.activity"].with_user(users.sales1)
    assert Activity.search([("state", "=", "overdue")]) == late
    assert Activity.search([("state", "in", ["today", "planned"])]) == today | planned
    assert env["mail.activity"].with_user(users.sales1).my_activities_count() == {
        "overdue": 1, "today": 1, "planned": 1}


def test_feedback_posts_in_the_chatter_and_removes_the_activity(env, users, lead):
    activity = lead.activity_schedule("mail.mail_activity_data_call", summary="Discuss price",
                                      note="<p>Ask about volume</p>")
    message_id = activity.with_user(users.sales1).action_feedback("Wants 500 units")
    assert not activity.exists()
    message = env["mail.message"].browse(message_id)
    assert message == messages_of(lead)[-1]
    assert message.subtype_id == env.ref("mail.mt_activities")
    assert message.mail_activity_type_id == env.ref("mail.mail_activity_data_call")
    assert message.body == ("<p><b>Call</b> done: Discuss price</p>"
                            "<p>Feedback: Wants 500 units</p><div><p>Ask about volume</p></div>")
    assert not lead.activity_ids and lead.activity_state is False


def test_feedback_is_escaped(env, users, lead):
    activity = lead.activity_schedule(summary="x")
    message_id = activity.action_feedback("<script>alert(1)</script>")
    assert "<script>" not in env["mail.message"].browse(message_id).body


def test_a_triggering_type_schedules_the_next_activity(env, users, lead):
    call = env.ref("mail.mail_activity_data_call")
    email = env.ref("mail.mail_activity_data_email")
    call.write({"chaining_type": "trigger", "triggered_next_type_id": email.id})
    email.write({"delay_from": "current_date", "delay_count": 2, "summary": "Send quotation"})
    first = lead.activity_schedule("mail.mail_activity_data_call", user_id=users.sales1.id)
    first.action_done()
    follow_up = lead.activity_ids
    assert follow_up.activity_type_id == email
    assert follow_up.summary == "Send quotation" and follow_up.automated
    assert follow_up.date_deadline == TODAY + dt.timedelta(days=2)
    assert follow_up.previous_activity_type_id == call
    assert follow_up.user_id == users.sales1


def test_suggestions_when_done(env, users, lead):
    call = env.ref("mail.mail_activity_data_call")
    meeting = env.ref("mail.mail_activity_data_meeting")
    call.write({"suggested_next_type_ids": [(6, 0, [meeting.id])]})
    activity = lead.activity_schedule("mail.mail_activity_data_call")
    assert activity.has_recommended_activities
    assert activity.action_feedback_schedule_next("ok") == [{"id": meeting.id,
                                                             "name": "Meeting"}]


def test_activity_feedback_and_unlink_by_type(env, users, lead):
    lead.activity_schedule("mail.mail_activity_data_call", user_id=users.sales1.id)
    lead.activity_schedule("mail.mail_activity_data_todo", user_id=users.sales1.id)
    lead.activity_feedback(["mail.mail_activity_data_call"], feedback="called")
    assert lead.activity_ids.activity_type_id == env.ref("mail.mail_activity_data_todo")
    lead.activity_unlink(["mail.mail_activity_data_todo"])
    assert not lead.activity_ids


def test_my_activities_across_models(env, users, lead):
    partner = env["res.partner"].create({"name": "Supplier"})
    lead.activity_schedule(summary="lead task", user_id=users.sales2.id)
    partner.activity_schedule(summary="partner task", user_id=users.sales2.id)
    mine = env["mail.activity"].with_user(users.sales2).search(
        [("user_id", "=", users.sales2.id)])
    assert {(a["res_model"], a["summary"]) for a in mine.activity_format()} == {
        ("tm.lead", "lead task"), ("res.partner", "partner task")}


def test_add_delay():
    assert add_delay(dt.date(2026, 1, 31), 1, "months") == dt.date(2026, 2, 28)
    assert add_delay(dt.date(2026, 1, 1), 2, "weeks") == dt.date(2026, 1, 15)
    assert add_delay(dt.date(2026, 11, 30), 3, "months") == dt.date(2027, 2, 28)
