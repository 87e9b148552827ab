"""Fixtures of the helpdesk tests: a support team in Taipei with its agents, SLA
policies in working hours, and a clock the tests move.

    def test_x(desk, clock):
        clock.set(WED_1600)                       # Wednesday 16:00 in Taipei
        ticket = desk.ticket("Cracked diffusers", priority="2")
        clock.advance(hours=30)

``desk.calendar`` works Monday to Friday, 09:00-12:00 and 13:00-18:00
(Asia/Taipei, 8 hours a day). ``desk.team`` (alias ``support``, round-robin
among agent1 and agent2, leader ``leader``) has two policies for low
priority (first response in 4 h, solved in 16 h), two for high priority
(first response in 2 h, solved in 8 h) and one for VIP customers of high
priority (first response in 1 h).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from core.orm import fields as orm_fields

#: Wednesday 25 November 2026, 16:00 in Taipei (UTC+8)
WED_1600 = dt.datetime(2026, 11, 25, 8, 0)


@pytest.fixture
def env(addon_env):
    """A superuser environment with crm_helpdesk installed (rolled back after the test)."""
    return addon_env("crm_helpdesk")


class Clock:
    """``fields.Datetime.now()`` under the test's control (naive UTC)."""

    def __init__(self, monkeypatch, start: dt.datetime):
        self.now = start
        monkeypatch.setattr(orm_fields.Datetime, "now", staticmethod(lambda *_a: self.now))

    def set(self, moment: dt.datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, WED_1600)


def make_user(env, login: str, *groups: str, **values):
    return env["res.users"].create({
        "name": login.replace("_", " ").title(), "login": login,
        "email": f"{login}@troika.example", "tz": "Asia/Taipei",
        "groups_id": [(6, 0, [env.ref(g).id for g in groups])], **values})


def taipei_calendar(env):
    return env["resource.calendar"].create({
        "name": "Taipei office", "tz": "Asia/Taipei",
        "attendance_ids": [(0, 0, {"name": f"{day} {start}", "dayofweek": str(day),
                                   "hour_from": start, "hour_to": stop})
                           for day in range(5) for start, stop in ((9, 12), (13, 18))]})


@pytest.fixture
def desk(env, clock):
    agent = "crm_helpdesk.group_helpdesk_user"
    users = SimpleNamespace(
        agent1=make_user(env, "agent1", agent), agent2=make_user(env, "agent2", agent),
        leader=make_user(env, "leader", agent),
        manager=make_user(env, "hd_manager", "crm_helpdesk.group_helpdesk_manager"),
        outsider=make_user(env, "outsider", agent),
        employee=make_user(env, "employee", "base.group_user"),
        portal=make_user(env, "portal_user", "base.group_portal"))
    calendar = taipei_calendar(env)
    team = env["helpdesk.team"].create({
        "name": "Export Support", "user_id": users.leader.id, "alias_name": "support",
        "member_ids": [(6, 0, [users.agent1.id, users.agent2.id])],
        "auto_assignment": True, "assign_method": "randomly",
        "resource_calendar_id": calendar.id})
    other_team = env["helpdesk.team"].create({
        "name": "Domestic Support", "member_ids": [(6, 0, [users.outsider.id])],
        "resource_calendar_id": calendar.id})
    solved = env.ref("crm_helpdesk.stage_solved")
    vip = env["res.partner.category"].create({"name": "VIP"})
    Sla = env["helpdesk.sla"]  # noqa: N806
    slas = SimpleNamespace(
        low_first=Sla.create({"name": "Low: first response in 4 h", "team_id": team.id,
                              "priority": "0", "target_type": "first_response", "time": 4}),
        low_solve=Sla.create({"name": "Low: solved in 16 h", "team_id": team.id,
                              "priority": "0", "target_type": "stage",
                              "stage_id": solved.id, "time": 16}),
        high_first=Sla.create({"name": "High: first response in 2 h", "team_id": team.id,
                               "priority": "2", "target_type": "first_response", "time": 2}),
        high_solve=Sla.create({"name": "High: solved in 8 h", "team_id": team.id,
                               "priority": "2", "target_type": "stage",
                               "stage_id": solved.id, "time": 8}),
        vip_first=Sla.create({"name": "VIP: first response in 1 h", "team_id": team.id,
                              "priority": "2", "target_type": "first_response", "time": 1,
                              "partner_category_ids": [(6, 0, [vip.id])]}))
    Partner = env["res.partner"]  # noqa: N806
    mueller = Partner.create({"name": "Müller Lichttechnik GmbH", "is_company": True,
                              "email": "einkauf@mueller.example"})
    anna = Partner.create({"name": "Anna Weber", "parent_id": mueller.id,
                           "email": "anna@mueller.example"})
    vip_customer = Partner.create({"name": "Dubai Lighting LLC", "is_company": True,
                                   "email": "buyer@dubai.example",
                                   "category_id": [(6, 0, [vip.id])]})

    def ticket(name="Question", **values):
        values.setdefault("team_id", team.id)
        values.setdefault("partner_id", anna.id)
        return env["helpdesk.ticket"].create({"name": name, **values})

    return SimpleNamespace(env=env, users=users, team=team, other_team=other_team,
                           calendar=calendar, slas=slas, vip=vip, mueller=mueller, anna=anna,
                           vip_customer=vip_customer, ticket=ticket, clock=clock)


def statuses(ticket) -> dict[str, object]:
    """{SLA name: status record} of a ticket."""
    return {s.sla_id.name: s for s in ticket.sla_status_ids}
