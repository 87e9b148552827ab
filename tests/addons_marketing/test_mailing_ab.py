"""A/B tests: two subjects tried on samples, the winner chosen by the scheduler
at its date by the ratio asked for (or by hand), then sent to the rest
(both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import UserError


@pytest.fixture
def ab(env, mk, clock):
    audience = env["mailing.list"].create({"name": "Distributors"})
    env["mailing.contact"].create([{"name": f"Buyer {i}", "email": f"b{i}@distri.example",
                                    "list_ids": [(6, 0, audience.ids)]} for i in range(100)])
    a = mk.mailing(audience, subject="New LED panels", ab_testing_enabled=True,
                   ab_testing_pc=10, ab_testing_winner_selection="opened_ratio",
                   ab_testing_schedule_datetime=clock.now + dt.timedelta(days=1))
    b = a.action_duplicate_ab()
    b.subject = "LED panels: 20% off this month"
    return a, b


def variant_traces(mailing):
    return mailing.mailing_trace_ids.filtered(lambda t: t.trace_status != "cancel")


def test_winner_by_open_rate_goes_to_the_rest(env, ab, clock):
    a, b = ab
    assert a.campaign_id and a.campaign_id == b.campaign_id
    assert a.campaign_id.name == "A/B Test: New LED panels"
    assert a.ab_testing_mailings_count == 2
    (a | b).action_put_in_queue()
    env["mailing.mailing"]._process_mass_mailing_queue()
    sample_a, sample_b = variant_traces(a), variant_traces(b)
    assert len(sample_a) == len(sample_b) == 10
    assert not set(sample_a.mapped("res_id")) & set(sample_b.mapped("res_id"))
    sample_a.set_sent()
    sample_b.set_sent()
    sample_a[:1].set_opened()
    sample_b[:3].set_opened()
    # not before the date of the final
    clock.advance(hours=23)
    env["mailing.mailing"]._process_mass_mailing_queue()
    assert not a.ab_testing_completed
    clock.advance(hours=1)
    env["mailing.mailing"]._process_mass_mailing_queue()
    final = env["mailing.mailing"].search([("campaign_id", "=", a.campaign_id.id),
                                           ("id", "not in", (a | b).ids)])
    assert final.subject == "LED panels: 20% off this month"
    assert b.ab_testing_is_winner_mailing and not a.ab_testing_is_winner_mailing
    assert a.ab_testing_completed and b.ab_testing_completed and final.ab_testing_completed
    rest = variant_traces(final)
    assert len(rest) == 80
    reached = set(sample_a.mapped("res_id")) | set(sample_b.mapped("res_id"))
    assert not reached & set(rest.mapped("res_id"))
    # once only
    env["mailing.mailing"]._process_mass_mailing_queue()
    assert env["mailing.mailing"].search_count([("campaign_id", "=", a.campaign_id.id)]) == 3
    with pytest.raises(UserError, match="over already"):
        a.action_select_as_winner()


def test_winner_by_clicks_and_by_hand(env, ab, clock):
    a, b = ab
    (a | b).write({"ab_testing_winner_selection": "clicks_ratio"})
    (a | b).action_put_in_queue()
    env["mailing.mailing"]._process_mass_mailing_queue()
    variant_traces(a)[:2].set_clicked()
    variant_traces(b)[:1].set_clicked()
    assert a.action_send_winner_mailing().subject == "New LED panels"
    assert a.ab_testing_is_winner_mailing


def test_manual_selection_waits_for_the_user(env, ab, clock):
    a, b = ab
    (a | b).write({"ab_testing_winner_selection": "manual"})
    (a | b).action_put_in_queue()
    env["mailing.mailing"]._process_mass_mailing_queue()
    clock.advance(days=2)
    env["mailing.mailing"]._process_mass_mailing_queue()
    assert not a.ab_testing_completed
    with pytest.raises(UserError, match="yourself"):
        a.action_send_winner_mailing()
    final = b.action_select_as_winner()
    assert final.state == "in_queue"
    env["mailing.mailing"]._process_mass_mailing_queue()
    assert len(variant_traces(final)) == 80 and final.state == "sending"


def test_ab_percentage_is_checked(env, mk):
    from core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="between 1 and 100"):
        mk.mailing(mk.news, ab_testing_enabled=True, ab_testing_pc=0)
