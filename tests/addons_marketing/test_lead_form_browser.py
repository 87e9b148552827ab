"""From a campaign's link to its ROI in a real browser (headless Chromium, SQLite server):
a visitor opens the public form with the link's UTM parameters and sends it; a marketing
user who also sees the leads finds the lead with its campaign and the Campaign ROI report
counting it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import browser_page, fresh_database_url, log_in

pytestmark = pytest.mark.browser

LINK = "/contactus?utm_campaign=Spring+Fair+2026&utm_medium=Email&utm_source=Newsletter+April"


def prepare(url: str) -> dict[str, int]:
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        db.install(["crm_marketing"])
        with db.env() as env:
            env["res.users"].create({
                "name": "Lin Marketing", "login": "lin", "password": "lin",
                "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in (
                    "base.group_user", "crm_marketing.group_mass_mailing_user",
                    "sales_team.group_sale_salesman_all_leads")])]})
            fair = env["utm.campaign"].create({"name": "Spring Fair 2026", "cost": 1500.0})
            env["utm.source"].create({"name": "Newsletter April"})
            return {"campaign": fair.id,
                    "leads": env.ref("crm.crm_lead_all_leads").id,
                    "menu": env.ref("crm_marketing.mass_mailing_menu_root").id}
    finally:
        db.close()


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory) -> Iterator[tuple[str, dict[str, int]]]:
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("lead_form_live")
    with fresh_database_url("sqlite", str(directory)) as url:
        ids = prepare(url)
        with running_server(url, directory / "server.log") as (base, _process):
            yield base, ids


def _send_the_form(page: Any, base: str) -> None:
    page.goto(base + LINK)
    assert page.locator("input[name='utm_campaign']").input_value() == "Spring Fair 2026"
    trap = page.locator("input[name='website']").bounding_box()     # the honeypot:
    assert trap["x"] + trap["width"] < 0                             # off the page
    page.fill("#lf-name", "Mikko Virtanen")
    page.fill("#lf-email", "mikko@aurora-lighting.example")
    page.fill("#lf-company", "Aurora Lighting Oy")
    page.select_option("#lf-country_id", label="Finland")
    page.fill("#lf-phone", "+358 9 1234 5678")
    page.fill("#lf-message", "We need 300 high bays for a warehouse in Vantaa.")
    page.click("button[type=submit]")
    page.wait_for_url("**/contactus/thank-you**")
    assert "We have received your message" in page.locator("main").inner_text()


def test_a_visitor_of_the_campaign_becomes_a_lead_in_its_roi(browser, server):
    base, ids = server
    with browser_page(browser) as visitor:
        _send_the_form(visitor, base)

    with browser_page(browser) as page:
        log_in(page, base, "lin")
        page.goto(f"{base}/web/action/{ids['leads']}?s=1")        # no default filter
        page.click("text=Web inquiry from Aurora Lighting Oy")
        page.wait_for_url("**/web/action/**/*")
        assert page.input_value("#f-campaign_id") == "Spring Fair 2026"
        assert page.input_value("#f-medium_id") == "Email"
        assert page.input_value("#f-source_id") == "Newsletter April"
        assert page.input_value("#f-email_from") == "mikko@aurora-lighting.example"
        assert page.input_value("#f-country_id") == "Finland"
        note = page.locator(".o-message", has_text="Received from the web form.")
        assert note.locator(".o-message-author").inner_text() == "Web Form"

        page.goto(f"{base}/web?menu={ids['menu']}")
        page.click(".o-submenu summary:text-is('Reporting')")
        page.click(".o-submenu a:text-is('Campaign ROI')")
        page.wait_for_selector(".o-campaign-roi")
        row = page.locator(f"tr[data-campaign='{ids['campaign']}']")
        assert row.locator("[data-col='leads']").inner_text() == "1"
        assert row.locator("[data-col='cost_per_lead']").inner_text() == "$1,500.00"
        assert row.locator("[data-col='roi']").inner_text() == "-100.0 %"
        assert page.locator("svg.o-chart-bar").count() >= 3
        bars = page.locator("svg[aria-label='Cost per lead by campaign'] rect.o-bar")
        assert bars.count() == 1 and bars.first.get_attribute("data-value") == "1500.0"
        # the marketer enters what the fair really cost: the report follows
        row.locator("a").first.click()
        page.fill("#f-cost", "3000")
        page.click("button.o-save")
        page.wait_for_load_state()
        page.click(".o-breadcrumbs a:text-is('Campaign ROI')")
        page.wait_for_selector(".o-campaign-roi")
        row = page.locator(f"tr[data-campaign='{ids['campaign']}']")
        assert row.locator("[data-col='cost']").inner_text() == "$3,000.00"
        assert row.locator("[data-col='cost_per_lead']").inner_text() == "$3,000.00"
