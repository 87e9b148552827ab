"""Assignment rules: a team by market or domain, then the team's salespeople in turn."""

from __future__ import annotations

import pytest

from core.exceptions import ValidationError


def _unassigned(env, count: int, country: str, **values):
    return env["crm.lead"].create([{"name": f"{country} {i}", "type": "lead", "user_id": False,
                                    "country_id": env.ref(f"base.{country}").id, **values}
                                   for i in range(count)])


def test_leads_go_to_the_team_of_their_market_then_round_robin(env, users, teams):
    german = _unassigned(env, 3, "de")
    american = _unassigned(env, 2, "us")
    assert not german.mapped("team_id") and not american.mapped("team_id")
    assigned = env["crm.team"]._assign_leads(german | american)
    assert german.mapped("team_id") == teams.europe
    assert american.mapped("team_id") == teams.americas
    assert [lead.user_id for lead in german] == [users.sales1, users.sales2, users.sales1]
    assert american.mapped("user_id") == users.sales3
    assert sorted(assigned[users.sales1.id]) == sorted(german[0].ids + german[2].ids)
    assert teams.europe.assignment_last_user_id == users.sales1


def test_the_turn_goes_on_where_it_stopped(env, users, teams):
    env["crm.team"]._assign_leads(_unassigned(env, 1, "de"))       # sales1
    later = _unassigned(env, 2, "fr")
    env["crm.team"]._assign_leads(later)
    assert [lead.user_id for lead in later] == [users.sales2, users.sales1]


def test_an_assignment_domain_takes_what_the_markets_do_not(env, users, teams):
    fairs = env["crm.team"].create({
        "name": "Fairs", "sequence": 0, "member_ids": [(6, 0, [users.sales2.id])],
        "assignment_domain": "[('source_id.name', '=', 'Trade fair')]"})
    fair_lead = _unassigned(env, 1, "jp", source_id=env.ref("utm.utm_source_trade_fair").id)
    japanese = _unassigned(env, 1, "jp")
    env["crm.team"]._assign_leads(fair_lead | japanese)
    assert (fair_lead.team_id, fair_lead.user_id) == (fairs, users.sales2)
    # Japan is in no team's markets and matches no domain: the catch-all team takes it
    assert japanese.team_id == env.ref("sales_team.team_sales_department")
    assert not japanese.user_id                    # that team has no members


def test_a_bad_assignment_domain_is_refused(env, teams):
    with pytest.raises(ValidationError, match="not valid"):
        teams.europe.assignment_domain = "[('no_such_field', '=', 1)]"


def test_opted_out_teams_take_nothing(env, users, teams):
    teams.europe.assignment_optout = True
    lead = _unassigned(env, 1, "de")
    env["crm.team"]._assign_leads(lead)
    assert lead.team_id != teams.europe


def test_the_scheduled_job_and_the_team_button_assign_what_nobody_took(env, users, teams):
    leads = _unassigned(env, 2, "de")
    env["crm.team"]._cron_assign_leads()
    assert leads.mapped("user_id") == users.sales1 | users.sales2
    waiting = _unassigned(env, 1, "de", team_id=teams.europe.id)
    teams.europe.action_assign_leads()
    assert waiting.user_id


def test_won_and_lost_deals_are_not_assigned(env, teams):
    lost = _unassigned(env, 1, "de")
    lost.action_set_lost()
    env["crm.team"]._assign_leads(lost.with_context(active_test=False))
    assert not lost.user_id


def test_a_lead_from_an_incoming_mail_is_assigned(env, users, teams):
    lead = env["crm.lead"].message_new({"subject": "Quote for 1000 panels",
                                        "email_from": "buyer@helios.example",
                                        "body": "<p>Please quote</p>"},
                                       {"country_id": env.ref("base.de").id})
    assert (lead.type, lead.team_id) == ("lead", teams.europe)
    assert lead.user_id in users.sales1 | users.sales2
