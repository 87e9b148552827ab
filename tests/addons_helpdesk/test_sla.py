"""SLA policies: which apply, deadlines in working hours, on track -> at risk ->
failed, reached (in time or late), re-applied on changes, the success rate,
and the escalation run by the automated actions."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ValidationError
from core.workflow.automation import run_time_triggers
from tests.addons_helpdesk.conftest import statuses

D = dt.datetime


def run_automations(env, now):
    """What the scheduled job base.ir_cron_automation_time does, at ``now``."""
    return run_time_triggers(env["base.automation"].sudo(), now)


def test_deadlines_count_working_hours_of_the_team(desk):
    ticket = desk.ticket()                                   # Wednesday 16:00 Taipei
    found = statuses(ticket)
    assert set(found) == {"Low: first response in 4 h", "Low: solved in 16 h"}
    first, solve = found["Low: first response in 4 h"], found["Low: solved in 16 h"]
    # 4 h: Wednesday 16-18, Thursday 09-11 -> Thursday 11:00 Taipei
    assert first.deadline == D(2026, 11, 26, 3, 0)
    # at risk with a fifth (48 min) of working time left: Thursday 10:12
    assert first.risk_date == D(2026, 11, 26, 2, 12)
    # 16 h: 2 Wednesday, 8 Thursday, Friday 09-12 and 13-16 -> Friday 16:00
    assert solve.deadline == D(2026, 11, 27, 8, 0)
    assert solve.risk_date == D(2026, 11, 27, 3, 48)     # 3 h 12 min before: 11:48
    assert ticket.sla_deadline == first.deadline
    assert ticket.sla_deadline_hours == 4.0
    assert (first.status, first.success, ticket.sla_state) == ("ongoing", 0.0, "on_track")


def test_on_track_then_at_risk_then_failed(desk, clock):
    ticket = desk.ticket()
    assert ticket.sla_state == "on_track" and not ticket.sla_fail
    clock.set(D(2026, 11, 26, 2, 30))                        # Thursday 10:30: 30 min left
    ticket.invalidate_recordset()
    assert ticket.sla_state == "at_risk"
    assert ticket.sla_deadline_hours == 0.5
    clock.set(D(2026, 11, 26, 3, 30))                        # Thursday 11:30
    ticket.invalidate_recordset()
    assert ticket.sla_state == "failed" and ticket.sla_fail
    assert ticket.sla_deadline_hours == -0.5
    Ticket = desk.env["helpdesk.ticket"]  # noqa: N806
    assert ticket in Ticket.search([("sla_fail", "=", True)])
    assert ticket not in Ticket.search([("sla_fail", "=", False)])


def test_first_response_reaches_the_sla_in_time(desk, clock):
    ticket = desk.ticket()
    clock.set(D(2026, 11, 26, 1, 30))                        # Thursday 09:30
    ticket.with_user(ticket.user_id).message_post(
        body="We are checking the batch.", message_type="comment",
        subtype_xmlid="mail.mt_comment")
    first = statuses(ticket)["Low: first response in 4 h"]
    assert ticket.first_response_date == D(2026, 11, 26, 1, 30)
    assert ticket.first_response_hours == 2.5                # Wed 16-18, Thu 09-09:30
    assert (first.status, first.success, first.exceeded_hours) == ("reached", 100.0, -1.5)
    assert ticket.sla_deadline == statuses(ticket)["Low: solved in 16 h"].deadline
    clock.set(D(2026, 11, 27, 9, 0))                         # past the solve deadline
    ticket.invalidate_recordset()
    assert ticket.sla_state == "failed"


def test_notes_and_customer_mail_are_not_a_response(desk, clock):
    ticket = desk.ticket()
    ticket.with_user(desk.users.agent1).message_post(body="Internal: ask QA",
                                                     subtype_xmlid="mail.mt_note")
    ticket.message_post(body="Any news?", message_type="email",
                        author_id=desk.anna.id, subtype_xmlid="mail.mt_comment")
    assert not ticket.first_response_date
    assert statuses(ticket)["Low: first response in 4 h"].status == "ongoing"


def test_reaching_late_is_a_failure(desk, clock):
    ticket = desk.ticket()
    clock.set(D(2026, 11, 26, 5, 0))                         # Thursday 13:00 (late by 1 h)
    ticket.with_user(desk.users.agent2).message_post(
        body="Sorry for the wait.", message_type="comment", subtype_xmlid="mail.mt_comment")
    first = statuses(ticket)["Low: first response in 4 h"]
    assert (first.status, first.success, first.exceeded_hours) == ("failed", 0.0, 1.0)
    assert ticket.sla_reached_late and ticket.sla_state == "failed"


def test_stage_sla_is_reached_by_solving_and_unreached_by_reopening(desk, clock):
    ticket = desk.ticket()
    ticket.with_user(ticket.user_id).action_start()
    solve = statuses(ticket)["Low: solved in 16 h"]
    assert solve.status == "ongoing"
    clock.set(D(2026, 11, 26, 9, 0))                         # Thursday 17:00
    ticket.with_user(ticket.user_id).action_solve()
    assert (solve.status, solve.reached_datetime) == ("reached", D(2026, 11, 26, 9, 0))
    assert ticket.close_date == D(2026, 11, 26, 9, 0)
    assert ticket.close_hours == 9.0                        # Wed 2 h + Thu 7 h
    clock.set(D(2026, 11, 30, 2, 0))                         # Monday: the customer is back
    ticket.with_user(ticket.user_id).action_reopen()
    assert not solve.reached_datetime and solve.status == "failed"
    assert not ticket.close_date


def test_policies_follow_priority_and_customer_tier(desk):
    ticket = desk.ticket(priority="2")
    assert set(statuses(ticket)) == {"High: first response in 2 h", "High: solved in 8 h"}
    assert statuses(ticket)["High: first response in 2 h"].deadline == D(2026, 11, 25, 10, 0)
    assert statuses(ticket)["High: solved in 8 h"].deadline == D(2026, 11, 26, 8, 0)
    # a customer with the VIP tag: the VIP policy too (1 h: Wednesday 17:00)
    vip = desk.ticket(priority="2", partner_id=desk.vip_customer.id)
    assert statuses(vip)["VIP: first response in 1 h"].deadline == D(2026, 11, 25, 9, 0)
    # a contact of a VIP company is a VIP customer as well
    contact = desk.env["res.partner"].create({"name": "Omar", "parent_id":
                                              desk.vip_customer.id})
    assert "VIP: first response in 1 h" in statuses(desk.ticket(priority="2",
                                                                partner_id=contact.id))
    # lowering the priority replaces the unreached statuses
    ticket.priority = "0"
    assert set(statuses(ticket)) == {"Low: first response in 4 h", "Low: solved in 16 h"}
    # another team without policies: none
    ticket.team_id = desk.other_team
    assert not ticket.sla_status_ids and ticket.sla_state == "none"


def test_reached_statuses_stay_when_the_policies_change(desk, clock):
    ticket = desk.ticket()
    clock.advance(hours=1)
    ticket.with_user(ticket.user_id).message_post(body="On it", message_type="comment",
                                                  subtype_xmlid="mail.mt_comment")
    ticket.priority = "2"
    names = set(statuses(ticket))
    assert "Low: first response in 4 h" in names                # reached: kept
    assert "Low: solved in 16 h" not in names                   # unreached: dropped
    assert statuses(ticket)["High: first response in 2 h"].status == "reached"


def test_type_and_tag_criteria(desk):
    damage = desk.env["helpdesk.tag"].create({"name": "Damage"})
    complaint = desk.env.ref("crm_helpdesk.type_complaint")
    policy = desk.env["helpdesk.sla"].create({
        "name": "Damage complaints: first response in 30 min", "team_id": desk.team.id,
        "priority": "0", "target_type": "first_response", "time": 0.5,
        "ticket_type_ids": [(6, 0, complaint.ids)], "tag_ids": [(6, 0, damage.ids)]})
    plain = desk.ticket(ticket_type_id=complaint.id)
    assert policy not in plain.sla_ids
    tagged = desk.ticket(ticket_type_id=complaint.id, tag_ids=[(6, 0, damage.ids)])
    assert policy in tagged.sla_ids
    plain.tag_ids = [(6, 0, damage.ids)]
    assert policy in plain.sla_ids


def test_success_rate_by_team_and_agent(desk, clock):
    on_time, late, ongoing = desk.ticket("A"), desk.ticket("B"), desk.ticket("C")
    clock.set(D(2026, 11, 26, 1, 0))
    on_time.with_user(on_time.user_id).message_post(body="Hi", message_type="comment",
                                                    subtype_xmlid="mail.mt_comment")
    clock.set(D(2026, 11, 26, 6, 0))
    late.with_user(late.user_id).message_post(body="Hi", message_type="comment",
                                              subtype_xmlid="mail.mt_comment")
    Status = desk.env["helpdesk.sla.status"]  # noqa: N806
    scope = [("ticket_id", "in", (on_time | late | ongoing).ids),
             ("target_type", "=", "first_response")]
    (total,) = Status.read_group(scope, ["success:avg"], [])
    assert total["success"] == pytest.approx(50.0)            # the ongoing one is left out
    by_user = {g["user_id"][1]: g["success"]
               for g in Status.read_group(scope, ["success:avg"], ["user_id"])}
    assert by_user == {"Agent1": 100.0, "Agent2": 0.0}


def test_escalation_by_the_automated_action(desk, clock):
    desk.team.escalate_reassign = True
    ticket = desk.ticket(priority="2")
    assert ticket.user_id == desk.users.agent1
    env = desk.env
    # Wednesday 17:40: the first-response SLA (due 18:00) is at risk
    clock.set(D(2026, 11, 25, 9, 40))
    run_automations(env, clock.now)
    warning = env["mail.message"].search([("model", "=", "helpdesk.ticket"),
                                          ("res_id", "=", ticket.id),
                                          ("body", "ilike", "SLA at risk")])
    assert warning and desk.users.agent1.partner_id in warning.partner_ids
    # Thursday 09:30: it failed; the automated action escalates to the leader
    clock.set(D(2026, 11, 26, 1, 30))
    run_automations(env, clock.now)
    first = statuses(ticket)["High: first response in 2 h"]
    assert (first.status, first.escalated) == ("failed", True)
    assert ticket.user_id == desk.users.leader                  # reassigned
    escalation = env["mail.message"].search([("model", "=", "helpdesk.ticket"),
                                             ("res_id", "=", ticket.id),
                                             ("body", "ilike", "SLA failed")])
    assert len(escalation) == 1 and desk.users.leader.partner_id in escalation.partner_ids
    activity = env["mail.activity"].search([("res_model", "=", "helpdesk.ticket"),
                                            ("res_id", "=", ticket.id),
                                            ("user_id", "=", desk.users.leader.id)])
    assert activity and "SLA failed" in activity.summary
    # later runs do not escalate it again
    clock.advance(hours=1)
    run_automations(env, clock.now)
    assert env["mail.message"].search_count([("model", "=", "helpdesk.ticket"),
                                             ("res_id", "=", ticket.id),
                                             ("body", "ilike", "SLA failed")]) == 1


def test_escalation_without_reassignment_only_tells_the_leader(desk, clock):
    ticket = desk.ticket(priority="2")
    clock.set(D(2026, 11, 26, 1, 30))
    run_automations(desk.env, clock.now)
    assert ticket.user_id == desk.users.agent1
    assert desk.env["mail.activity"].search_count([("res_id", "=", ticket.id),
                                                   ("res_model", "=", "helpdesk.ticket"),
                                                   ("user_id", "=", desk.users.leader.id)])


def test_policy_definitions_are_checked(desk):
    with pytest.raises(ValidationError, match="stage"):
        desk.env["helpdesk.sla"].create({"name": "No stage", "team_id": desk.team.id,
                                         "target_type": "stage", "time": 4})
    with pytest.raises(ValidationError, match="more than 0"):
        desk.env["helpdesk.sla"].create({"name": "Zero", "team_id": desk.team.id,
                                         "target_type": "first_response", "time": 0})


def test_a_team_without_sla_has_no_status(desk):
    desk.team.use_sla = False
    assert not desk.ticket().sla_status_ids

