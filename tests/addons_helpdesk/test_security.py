"""Rights: agents see their teams' tickets (and those assigned to them), managers
all, other employees and customers none; SLA statuses and messages follow
the ticket; stages move through the workflow only; answered ratings stay."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError


@pytest.fixture
def tickets(desk):
    mine = desk.ticket("Support ticket")
    other = desk.ticket("Domestic ticket", team_id=desk.other_team.id)
    loose = desk.ticket("No team yet", team_id=False)
    return mine, other, loose


def visible(user, records):
    return set(records.with_user(user).search([("id", "in", records.ids)]).mapped("name"))


def test_agents_see_their_teams_tickets(desk, tickets):
    mine, other, loose = tickets
    everything = mine | other | loose
    users = desk.users
    assert visible(users.agent1, everything) == {"Support ticket", "No team yet"}
    assert visible(users.leader, everything) == {"Support ticket", "No team yet"}
    assert visible(users.outsider, everything) == {"Domestic ticket", "No team yet"}
    assert visible(users.manager, everything) == {"Support ticket", "Domestic ticket",
                                                  "No team yet"}
    # assigned to a ticket of another team: that one becomes visible
    mine.user_id = users.outsider
    assert "Support ticket" in visible(users.outsider, everything)


def test_agents_cannot_open_other_teams_tickets(desk, tickets):
    mine, _other, _loose = tickets
    with pytest.raises(AccessError):
        mine.with_user(desk.users.outsider).read(["name"])
    with pytest.raises(AccessError):
        mine.with_user(desk.users.outsider).write({"priority": "3"})
    statuses = desk.env["helpdesk.sla.status"].with_user(desk.users.outsider)
    assert not statuses.search([("ticket_id", "=", mine.id)])
    assert desk.env["helpdesk.sla.status"].with_user(desk.users.agent1).search(
        [("ticket_id", "=", mine.id)])
    mine.message_post(body="Margin is thin on this customer", subtype_xmlid="mail.mt_note")
    messages = desk.env["mail.message"].with_user(desk.users.outsider)
    assert not messages.search([("model", "=", "helpdesk.ticket"), ("res_id", "=", mine.id)])


def test_employees_and_customers_have_no_tickets(desk, tickets):
    for user in (desk.users.employee, desk.users.portal):
        with pytest.raises(AccessError):
            desk.env["helpdesk.ticket"].with_user(user).search([])
        with pytest.raises(AccessError):
            desk.env["helpdesk.ticket"].with_user(user).create({"name": "Let me in"})


def test_only_managers_configure(desk):
    agent = desk.users.agent1
    with pytest.raises(AccessError):
        desk.slas.low_first.with_user(agent).write({"time": 400})
    with pytest.raises(AccessError):
        desk.team.with_user(agent).write({"assign_method": "balanced"})
    with pytest.raises(AccessError):
        desk.env["helpdesk.team"].with_user(agent).create({"name": "Shadow team"})
    desk.slas.low_first.with_user(desk.users.manager).write({"time": 3})
    assert desk.slas.low_first.time == 3


def test_stages_move_through_the_workflow_only(desk, tickets):
    mine, _other, _loose = tickets
    agent = mine.user_id
    with pytest.raises(AccessError, match="workflow"):
        mine.with_user(agent).write({"stage_id": desk.env.ref("crm_helpdesk.stage_solved").id})
    mine.with_user(agent).action_solve()
    assert mine.stage_id == desk.env.ref("crm_helpdesk.stage_solved")
    history = desk.env["ir.workflow.history"].search([("model", "=", "helpdesk.ticket"),
                                                      ("res_id", "=", mine.id)])
    assert history.mapped("trigger") == ["action_solve"] and history.user_id == agent


def test_answered_ratings_are_read_only_for_agents(desk, tickets):
    mine, _other, _loose = tickets
    template = desk.env.ref("crm_helpdesk.rating_ticket_request_email_template")
    rating = mine.rating_send_request(template)
    rating._apply_rating(2, "Slow")
    with pytest.raises(AccessError):
        rating.with_user(mine.user_id).write({"rating": 5})
    assert rating.with_user(desk.users.employee).read(["rating"])[0]["rating"] == 2.0


def test_the_public_user_is_archived_and_shares_nothing(desk, tickets):
    public = desk.env.ref("crm_helpdesk.public_user")
    assert not public.active and public.share
    with pytest.raises(AccessError):
        desk.env["helpdesk.ticket"].with_user(public).search([])
