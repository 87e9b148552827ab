"""A marketer builds and starts a nurturing sequence in a real browser (headless
Chromium against a server on SQLite) and watches the contacts advance while the
test drives the scheduler with a fake clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from core.orm import fields
from tests.addons_helpdesk.conftest import Clock
from tests.fixtures import browser_page, fresh_database_url, log_in

pytestmark = pytest.mark.browser

DOMAIN = "[('category_id.name', '=', 'Fair 2026')]"


@pytest.fixture(scope="module")
def marketing_server(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    """A real server on a database with crm_marketing and three contacts met at a
    fair: (URL, database)."""
    from core.modules.manager import open_database
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("nurturing_browser")
    with fresh_database_url("sqlite", str(directory)) as url:
        db = open_database(url)
        db.install(["crm_marketing"])
        with db.env() as env:
            env.ref("base.user_admin").password = "admin"
            env["crm.team"].search([]).write({"assignment_optout": True})
            fair = env["res.partner.category"].create({"name": "Fair 2026"})
            env["res.partner"].create([
                {"name": name, "email": email, "category_id": [(6, 0, [fair.id])]}
                for name, email in (("Anna Weber", "anna@lichtwerk.example"),
                                    ("Bob Stone", "bob@stone.example"),
                                    ("Chen Li", "chen@li.example"))])
        try:
            with running_server(url, directory / "server.log") as (base, _process):
                yield base, db
        finally:
            db.close()


@pytest.fixture
def tab(browser, marketing_server) -> Iterator[Any]:
    with browser_page(browser, timeout_ms=20_000) as page:
        yield page


def save(page: Any) -> None:
    with page.expect_navigation():
        page.click("button.o-save")
    page.wait_for_selector("#o-form")
    assert not page.locator(".o-field-error, .o-alert-danger").count(), \
        page.inner_text("main")


def add_step(page: Any, index: int, name: str, activity_type: str, trigger: str,
             wait: str, parent: str = "") -> None:
    steps = page.locator(".o-x2many[data-field='marketing_activity_ids']")
    steps.locator(".o-add-line").click()
    prefix = f"marketing_activity_ids.{index}."
    page.fill(f"[name='{prefix}name']", name)
    page.select_option(f"[name='{prefix}activity_type']", activity_type)
    page.select_option(f"[name='{prefix}trigger_type']", trigger)
    if parent:
        page.fill(f"[name='{prefix}parent_id__display']", parent)
    page.fill(f"[name='{prefix}interval_number']", wait)
    page.select_option(f"[name='{prefix}interval_type']", "days")
    save(page)


def participants_table(page: Any) -> str:
    page.click("label.o-tab:has-text('Participants')")
    return page.locator(".o-x2many[data-field='participant_ids']").inner_text()


def run_scheduler(db: Any) -> None:
    """What the scheduled job does, from the test's process (and its clock)."""
    with db.env() as env:
        env.ref("crm_marketing.ir_cron_campaign_execute_activities").method_direct_trigger()


def test_a_marketer_builds_a_sequence_and_sees_contacts_advance(tab, marketing_server,
                                                                 monkeypatch):
    base, db = marketing_server
    with db.env() as env:
        action_id = env.ref("crm_marketing.marketing_campaign_action").id
    log_in(tab, base, "admin", "admin")
    tab.goto(f"{base}/web/action/{action_id}/new")
    tab.fill("#f-name", "Fair follow-up")
    tab.fill("#f-domain", DOMAIN)
    assert tab.input_value("#f-model_id") == "Contact"
    save(tab)
    add_step(tab, 0, "Call", "schedule_activity", "begin", "0")
    add_step(tab, 1, "Hand over", "create_lead", "activity", "1", parent="Call")
    assert [tab.input_value(f"[name='marketing_activity_ids.{i}.name']") for i in (0, 1)] \
        == ["Call", "Hand over"]
    assert tab.input_value("[name='marketing_activity_ids.1.parent_id__display']") == "Call"

    with tab.expect_navigation():
        tab.click("button[value='action_start_campaign']")
    tab.wait_for_selector("#o-form")
    assert tab.locator(".o-statusbar li.active").inner_text().strip() == "Running"
    assert tab.locator("button[value='action_stop_campaign']").count() == 1
    table = participants_table(tab)
    for name in ("Anna Weber", "Bob Stone", "Chen Li"):
        assert name in table
    assert table.count("Running") == 3

    clock = Clock(monkeypatch, fields.Datetime.now() + dt.timedelta(minutes=10))
    run_scheduler(db)                                   # the Call to-dos
    tab.reload()
    table = participants_table(tab)
    assert table.count("Call") == 3 and table.count("Running") == 3
    with db.env() as env:
        campaign = env["marketing.campaign"].search([("name", "=", "Fair follow-up")])
        assert campaign.user_id == env.ref("base.user_admin")
        assert env["mail.activity"].search_count(
            [("res_model", "=", "res.partner"), ("summary", "=", "Call")]) == 3

    clock.advance(days=1)
    run_scheduler(db)                                   # a day later: the leads
    tab.reload()
    assert participants_table(tab).count("Completed") == 3
    leads_button = tab.locator("button[value='action_view_leads']")
    assert "3" in leads_button.inner_text()
    with tab.expect_navigation():
        leads_button.click()
    listing = tab.inner_text("main")
    for name in ("Anna Weber", "Bob Stone", "Chen Li"):
        assert f"{name} (Fair follow-up)" in listing
