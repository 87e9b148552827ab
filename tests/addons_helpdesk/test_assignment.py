"""Automatic assignment: round-robin ("randomly", Odoo's name) and least loaded
("balanced"), across calls and within one batch; manual teams assign nobody."""

from __future__ import annotations

from tests.addons_helpdesk.conftest import make_user


def logins(tickets) -> list[str]:
    return [ticket.user_id.login for ticket in tickets]


def test_round_robin_goes_round_the_members(desk):
    third = make_user(desk.env, "agent3", "crm_helpdesk.group_helpdesk_user")
    desk.team.member_ids = [(4, third.id)]
    first = [desk.ticket(f"T{i}") for i in range(4)]
    assert logins(first) == ["agent1", "agent2", "agent3", "agent1"]
    batch = desk.env["helpdesk.ticket"].create([{"name": f"B{i}", "team_id": desk.team.id}
                                                for i in range(4)])
    assert logins(batch) == ["agent2", "agent3", "agent1", "agent2"]
    assert all(t.assign_date and t.assign_hours == 0.0 for t in batch)


def test_round_robin_skips_archived_members_and_keeps_given_assignees(desk):
    desk.users.agent2.active = False
    assert logins([desk.ticket("A"), desk.ticket("B")]) == ["agent1", "agent1"]
    given = desk.ticket("C", user_id=desk.users.leader.id)
    assert given.user_id == desk.users.leader


def test_balanced_gives_the_least_loaded_member(desk):
    desk.team.assign_method = "balanced"
    busy = [desk.ticket(f"Busy {i}", user_id=desk.users.agent1.id) for i in range(3)]
    new = [desk.ticket(f"New {i}") for i in range(4)]
    # agent1 has 3 open tickets, agent2 none: agent2 gets three, then they alternate
    assert logins(new) == ["agent2", "agent2", "agent2", "agent1"]
    # closed tickets do not count: solving agent1's tickets makes them the least loaded
    for ticket in busy:
        ticket.with_user(desk.users.agent1).action_solve()
    assert desk.ticket("After").user_id == desk.users.agent1


def test_balanced_batch_is_spread(desk):
    desk.team.assign_method = "balanced"
    batch = desk.env["helpdesk.ticket"].create([{"name": f"B{i}", "team_id": desk.team.id}
                                                for i in range(5)])
    counts = {login: logins(batch).count(login) for login in ("agent1", "agent2")}
    assert counts == {"agent1": 3, "agent2": 2}


def test_manual_assignment_and_assign_to_me(desk):
    desk.team.auto_assignment = False
    ticket = desk.ticket()
    assert not ticket.user_id and not ticket.assign_date
    desk.clock.advance(hours=1)
    ticket.with_user(desk.users.agent2).assign_ticket_to_self()
    assert ticket.user_id == desk.users.agent2
    assert ticket.assign_hours == 1.0                      # working hours: 16:00 -> 17:00
    assert desk.users.agent2.partner_id in ticket.message_partner_ids   # follows it


def test_team_without_members_assigns_nobody(desk):
    assert not desk.other_team.auto_assignment
    assert not desk.ticket(team_id=desk.other_team.id, name="X").user_id
    desk.other_team.write({"auto_assignment": True, "member_ids": [(5, 0, 0)]})
    assert not desk.ticket(team_id=desk.other_team.id, name="Y").user_id
