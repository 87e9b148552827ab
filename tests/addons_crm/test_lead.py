"""Deals through the pipeline: defaults, stage moves, won and lost, rotting, currencies."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ValidationError
from tests.addons_crm.conftest import days_ago, set_rate


def test_a_new_deal_starts_in_the_first_stage_of_its_salespersons_team(env, users, teams,
                                                                        stages):
    lead = env["crm.lead"].with_user(users.sales2).create({"name": "500 panels"})
    assert lead.user_id == users.sales2
    assert lead.team_id == teams.europe
    assert lead.stage_id == stages.new
    assert (lead.probability, lead.automated_probability) == (10.0, 10.0)
    assert lead.type == "opportunity" and lead.won_status == "pending"
    assert lead.date_open and lead.date_conversion and lead.date_last_stage_update
    assert lead.stage_history_ids.mapped("kind") == ["entered"]


def test_a_team_with_its_own_stage_uses_it_first(env, users, teams):
    own = env["crm.stage"].create({"name": "Samples", "sequence": 0, "team_id": teams.europe.id,
                                   "probability": 5})
    europe = env["crm.lead"].create({"name": "A", "user_id": users.sales1.id})
    americas = env["crm.lead"].create({"name": "B", "user_id": users.sales3.id})
    assert europe.stage_id == own and europe.probability == 5
    assert americas.stage_id == env.ref("crm.stage_lead1")


def test_moving_a_deal_is_a_free_write_tracked_and_kept_in_its_history(env, users, stages):
    lead = env["crm.lead"].create({"name": "Tubes", "user_id": users.sales1.id})
    lead.with_user(users.sales1).write({"stage_id": stages.quotation.id})
    assert lead.probability == 50.0 and lead.automated_probability == 50.0
    message = env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "=", lead.id),
                                          ("tracking_value_ids", "!=", False)], limit=1)
    assert message.subtype_id == env.ref("crm.mt_lead_stage")
    tracking = message.tracking_value_ids.filtered(lambda t: t.field_id.name == "stage_id")
    assert (tracking.old_value_char, tracking.new_value_char) == ("New", "Quotation")
    moved = lead.stage_history_ids.filtered(lambda h: h.kind == "moved")
    assert (moved.from_stage_id, moved.stage_id, moved.user_id) == (stages.new, stages.quotation,
                                                                    users.sales1)


def test_a_probability_set_by_hand_survives_stage_moves(env, stages):
    lead = env["crm.lead"].create({"name": "Strips"})
    lead.probability = 33
    assert not lead.is_automated_probability
    lead.stage_id = stages.negotiation
    assert (lead.probability, lead.automated_probability) == (33.0, 75.0)
    lead.action_set_automated_probability()
    assert lead.probability == 75.0 and lead.is_automated_probability


def test_winning_and_losing_with_a_reason(env, users, stages):
    Lead = env["crm.lead"]  # noqa: N806
    won, lost = Lead.create([{"name": "Won one", "stage_id": stages.quotation.id},
                             {"name": "Lost one", "stage_id": stages.quotation.id}])
    won.action_set_won()
    assert (won.stage_id, won.probability, won.won_status) == (stages.won, 100.0, "won")
    assert won.date_closed and won.stage_history_ids[0].kind == "won"
    price = env.ref("crm.lost_reason_1")
    wizard = env["crm.lead.lost"].create({"lead_ids": [(6, 0, lost.ids)],
                                          "lost_reason_id": price.id,
                                          "lost_feedback": "A factory in Vietnam was cheaper"})
    result = wizard.action_lost_reason_apply()
    assert result["res_id"] == lost.id
    assert (lost.active, lost.probability, lost.won_status, lost.lost_reason_id) == \
        (False, 0.0, "lost", price)
    assert lost.date_closed and lost.stage_history_ids[0].kind == "lost"
    assert price.leads_count == 1
    bodies = env["mail.message"].search([("model", "=", "crm.lead"),
                                         ("res_id", "=", lost.id)]).mapped("body")
    assert any("Vietnam" in body for body in bodies)
    lost.action_unarchive()
    assert (lost.active, lost.probability, lost.lost_reason_id.id, lost.date_closed) == \
        (True, 50.0, False, False)
    assert lost.stage_history_ids[0].kind == "restored"


def test_the_lost_button_opens_the_reason_wizard(env, stages):
    lead = env["crm.lead"].create({"name": "Maybe"})
    action = lead.action_open_lost_wizard()
    wizard = env["crm.lead.lost"].browse(action["res_id"])
    assert action["res_model"] == "crm.lead.lost" and wizard.lead_ids == lead


def test_winning_needs_a_won_stage(env, stages):
    stages.won.is_won = False
    lead = env["crm.lead"].create({"name": "Nowhere to win"})
    with pytest.raises(Exception, match="No stage is marked as won"):
        lead.action_set_won()


def test_stage_probability_is_checked(env):
    with pytest.raises(ValidationError):
        env["crm.stage"].create({"name": "Bad", "probability": 120})


def test_rotting_deals_are_flagged_and_found(env, stages):
    Lead = env["crm.lead"]  # noqa: N806
    fresh, old, old_won = Lead.create([{"name": "Fresh", "stage_id": stages.qualified.id},
                                       {"name": "Old", "stage_id": stages.qualified.id},
                                       {"name": "Old won", "stage_id": stages.won.id}])
    (old | old_won).write({"date_last_stage_update": days_ago(20)})
    assert stages.qualified.rotting_threshold_days == 14
    assert not fresh.is_rotting and old.is_rotting and not old_won.is_rotting
    assert old.rotting_days == 20
    assert Lead.search([("is_rotting", "=", True)]) == old
    assert fresh in Lead.search([("is_rotting", "=", False)])
    stages.qualified.rotting_threshold_days = 0
    old.invalidate_recordset(["is_rotting"])
    assert not old.is_rotting and not Lead.search([("is_rotting", "=", True)])


def test_deals_without_a_planned_activity_are_found(env, users):
    Lead = env["crm.lead"]  # noqa: N806
    planned, idle = Lead.create([{"name": "Planned"}, {"name": "Idle"}])
    planned.activity_schedule("mail.mail_activity_data_call", summary="Call back",
                              date_deadline=dt.date.today() - dt.timedelta(days=2),
                              user_id=users.sales1.id)
    assert not idle.activity_state and planned.activity_state == "overdue"
    found = Lead.search([("activity_ids", "=", False), ("id", "in", (planned | idle).ids)])
    assert found == idle
    assert Lead.search([("activity_state", "=", "overdue")]) == planned


def test_amounts_in_another_currency_are_converted_to_the_company_currency(env, stages):
    eur = set_rate(env, "EUR", 0.8)                  # 1 USD = 0.8 EUR
    lead = env["crm.lead"].create({"name": "Euro deal", "currency_id": eur.id,
                                   "expected_revenue": 1000.0,
                                   "stage_id": stages.quotation.id})
    assert env.company.currency_id == env.ref("base.USD")
    assert lead.company_expected_revenue == 1250.0
    assert lead.prorated_revenue == 625.0
    lead.expected_revenue = 2000.0
    assert (lead.company_expected_revenue, lead.prorated_revenue) == (2500.0, 1250.0)


def test_closed_deals_keep_the_rate_of_their_closing_day(env, stages):
    eur = set_rate(env, "EUR", 0.8)
    lead = env["crm.lead"].create({"name": "Closed", "currency_id": eur.id,
                                   "expected_revenue": 1000.0})
    lead.action_set_won()
    lead.date_closed = dt.datetime(2021, 6, 1, 12, 0)
    env["res.currency.rate"].create({"currency_id": eur.id, "rate": 0.5, "name": "2022-01-01"})
    open_deal = env["crm.lead"].create({"name": "Open", "currency_id": eur.id,
                                        "expected_revenue": 1000.0})
    assert open_deal.company_expected_revenue == 2000.0       # today's rate
    env["crm.lead"]._cron_refresh_company_revenue()
    assert lead.company_expected_revenue == 1250.0            # the closing day's rate


def test_the_nightly_refresh_converts_open_deals_at_todays_rate(env):
    eur = set_rate(env, "EUR", 0.8, "2020-01-01")
    lead = env["crm.lead"].create({"name": "Open", "currency_id": eur.id,
                                   "expected_revenue": 1000.0})
    env["res.currency.rate"].create({"currency_id": eur.id, "rate": 0.5,
                                     "name": dt.date.today().isoformat()})
    assert lead.company_expected_revenue == 1250.0
    assert env["crm.lead"]._cron_refresh_company_revenue() >= 1
    assert lead.company_expected_revenue == 2000.0


def test_customer_details_come_from_the_customer(env):
    acme = env["res.partner"].create({"name": "Acme GmbH", "is_company": True,
                                      "country_id": env.ref("base.de").id, "city": "Berlin",
                                      "email": "info@acme.example", "phone": "+49 30 1"})
    jane = env["res.partner"].create({"name": "Jane", "parent_id": acme.id,
                                      "email": "jane@acme.example", "function": "Buyer"})
    lead = env["crm.lead"].create({"name": "Acme deal", "partner_id": jane.id})
    assert (lead.partner_name, lead.contact_name, lead.email_from, lead.function) == \
        ("Acme GmbH", "Jane", "jane@acme.example", "Buyer")
    assert (lead.city, lead.country_id, lead.market_id) == \
        ("Berlin", env.ref("base.de"), env.ref("crm.market_europe"))
    assert lead.commercial_partner_id == acme
    assert lead.email_domain_criterion == "acme.example"
    own = env["crm.lead"].create({"name": "Typed", "email_from": "bob@gmail.com",
                                  "country_id": env.ref("base.jp").id})
    assert own.email_domain_criterion is False
    assert own.market_id == env.ref("crm.market_east_asia")


def test_collaborators_follow_the_deal(env, users):
    lead = env["crm.lead"].create({"name": "Shared", "user_id": users.sales1.id})
    lead.collaborator_ids = [(6, 0, [users.sales2.id])]
    assert users.sales2.partner_id in lead.message_partner_ids
    assert users.sales1.partner_id in lead.message_partner_ids
