"""A marketer builds and starts a nurturing sequence in a real browser (headless
Chromium against a server on SQLite) and watches the contacts advance while the
test drives the scheduler with a fake clock: a welcome e-mail; a lead when its
link is clicked; a call for the salesperson when it is not opened in 3 days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from core.orm import fields
from tests.addons_marketing.conftest import Clock
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
            env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
            env["mailing.mailing"].create({
                "subject": "Welcome to Troika", "email_from": "marketing@troika.example",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "body_html": '<p>See <a href="https://shop.troika.example/led">our LEDs</a></p>'})
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
             wait: str, parent: str = "", mailing: str = "") -> None:
    steps = page.locator(".o-x2many[data-field='marketing_activity_ids']")
    steps.locator(".o-add-line").click()
    prefix = f"marketing_activity_ids.{index}."
    page.fill(f"[name='{prefix}name']", name)
    page.select_option(f"[name='{prefix}activity_type']", activity_type)
    page.select_option(f"[name='{prefix}trigger_type']", trigger)
    if parent:
        page.fill(f"[name='{prefix}parent_id__display']", parent)
    if mailing:
        page.fill(f"[name='{prefix}mass_mailing_id__display']", mailing)
    page.fill(f"[name='{prefix}interval_number']", wait)
    page.select_option(f"[name='{prefix}interval_type']", "days")
    save(page)


def participants_table(page: Any) -> str:
    page.click("label.o-tab:has-text('Participants')")
    return page.locator(".o-x2many[data-field='participant_ids']").inner_text()


def step_figures(page: Any, row: int) -> dict[str, str]:
    """{column: text} of a row of the Steps list (the statistics are read-only)."""
    steps = page.locator(".o-x2many[data-field='marketing_activity_ids']")
    page.click("label.o-tab:has-text('Steps')")
    heads = [th.strip() for th in steps.locator("thead th").all_inner_texts()]
    cells = [td.strip() for td in steps.locator("tr.o-line").nth(row)
             .locator("td").all_inner_texts()]
    return dict(zip(heads, cells, strict=False))


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
    add_step(tab, 0, "Welcome", "email", "begin", "0", mailing="Welcome to Troika")
    add_step(tab, 1, "Hand over", "create_lead", "mail_click", "0", parent="Welcome")
    add_step(tab, 2, "Call", "schedule_activity", "mail_not_open", "3", parent="Welcome")
    names = [tab.input_value(f"[name='marketing_activity_ids.{i}.name']") for i in range(3)]
    assert sorted(names) == ["Call", "Hand over", "Welcome"]

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
    run_scheduler(db)                                   # the welcome e-mails
    tab.reload()
    table = participants_table(tab)
    assert table.count("Welcome") == 3 and table.count("Running") == 3
    with db.env() as env:
        campaign = env["marketing.campaign"].search([("name", "=", "Fair follow-up")])
        assert campaign.user_id == env.ref("base.user_admin")
        welcome = campaign.marketing_activity_ids.filtered(lambda a: a.name == "Welcome")
        assert welcome.processed == 3
        anna_mail = env["mailing.trace"].search([
            ("mailing_id", "=", welcome.mass_mailing_id.id),
            ("email", "=", "anna@lichtwerk.example")])
        anna_mail.set_opened()                          # Anna clicks the link
        anna_mail.set_clicked()

    clock.advance(minutes=10)
    run_scheduler(db)                                   # her lead
    tab.reload()
    table = participants_table(tab)
    assert table.count("Completed") == 1 and table.count("Running") == 2
    leads_button = tab.locator("button[value='action_view_leads']")
    assert "1" in leads_button.inner_text()
    figures = step_figures(tab, 0)                      # Welcome
    assert (figures["Processed"], figures["Opened"], figures["Clicked"],
            figures["Replied"]) == ("3", "1", "1", "0")

    clock.advance(days=3)
    run_scheduler(db)                                   # the others did not open it
    tab.reload()
    table = participants_table(tab)                     # they may still click it
    assert table.count("Completed") == 1 and table.count("Welcome") == 2
    with db.env() as env:
        calls = env["mail.activity"].search([("res_model", "=", "res.partner"),
                                             ("summary", "=", "Call")])
        assert sorted(calls.mapped("res_name")) == ["Bob Stone", "Chen Li"]
    with tab.expect_navigation():
        tab.locator("button[value='action_view_leads']").click()
    assert "Anna Weber (Fair follow-up)" in tab.inner_text("main")
