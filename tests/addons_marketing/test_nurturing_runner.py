"""The job runner (``python server.py cron``, the thread of ``serve``) runs the
nurturing sequences every ten minutes, in transactions of its own, with a fake
clock (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.workflow.jobs import run_pending
from tests.addons_marketing.conftest import Clock

D = dt.datetime
START = D(2026, 12, 7, 9, 0)
CRON = "crm_marketing.ir_cron_campaign_execute_activities"


@pytest.fixture
def db(installed_db):
    return installed_db(("crm_marketing",))


def test_the_job_runner_runs_the_sequences(db, monkeypatch):
    clock = Clock(monkeypatch, START)
    with db.env() as env:
        env.ref(CRON).nextcall = START
        env["crm.team"].search([]).write({"assignment_optout": True})
        tag = env["res.partner.category"].create({"name": "Runner fair"})
        partners = env["res.partner"].create([
            {"name": f"Runner contact {i}", "email": f"runner{i}@x.example",
             "category_id": [(6, 0, [tag.id])]} for i in range(3)])
        campaign = env["marketing.campaign"].create({
            "name": "Runner follow-up", "model_id": env["ir.model"]._get_id("res.partner"),
            "domain": "[('category_id.name', '=', 'Runner fair')]"})
        call = env["marketing.activity"].create({
            "campaign_id": campaign.id, "name": "Call", "activity_type": "schedule_activity"})
        lead = env["marketing.activity"].create({
            "campaign_id": campaign.id, "name": "Hand over", "activity_type": "create_lead",
            "trigger_type": "activity", "parent_id": call.id, "interval_number": 1})
        campaign.action_start_campaign()
        ids = (campaign.id, call.id, lead.id, partners.ids)

    def state() -> tuple:
        with db.env() as env:
            campaign_id, call_id, lead_id, partner_ids = ids
            cron = env.ref(CRON)
            activities = env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids)])
            traces = env["marketing.trace"].search([("campaign_id", "=", campaign_id)])
            return (cron.lastcall, cron.nextcall, activities,
                    sorted((t.activity_id.id, t.state) for t in traces))

    run_pending(db)
    lastcall, nextcall, activities, traces = state()
    campaign_id, call_id, lead_id, partner_ids = ids
    assert (lastcall, nextcall, activities) == (START, D(2026, 12, 7, 9, 10), 3)
    assert traces == sorted([(call_id, "processed")] * 3 + [(lead_id, "scheduled")] * 3)

    run_pending(db)                                  # not due again before 09:10
    assert state() == (lastcall, nextcall, activities, traces)

    clock.set(D(2026, 12, 8, 9, 5))                  # the lead step is due since 09:00
    run_pending(db)
    lastcall, nextcall, activities, traces = state()
    assert (lastcall, nextcall) == (D(2026, 12, 8, 9, 5), D(2026, 12, 8, 9, 10))
    assert traces == sorted([(call_id, "processed")] * 3 + [(lead_id, "processed")] * 3)
    with db.env() as env:
        campaign = env["marketing.campaign"].browse(campaign_id)
        leads = env["crm.lead"].search([("campaign_id", "=", campaign.utm_campaign_id.id)])
        assert sorted(leads.mapped("partner_id").ids) == sorted(partner_ids)
        assert campaign.completed_participant_count == 3
