"""The pipeline end to end in a real browser (headless Chromium, SQLite server with
the demo of crm, sale and sale_crm): a salesperson creates a lead, converts it to an
opportunity, makes a quotation from it, adds a product line and confirms it, which
wins the deal; the owner's dashboard shows it in its chart. Another deal is dragged
to the Won column of the kanban."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.addons_crm.web_support import template_url
from tests.fixtures import browser_page, clone_database, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crm_server(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A real server on this module's copy of the CRM demo database: (URL, db URL)."""
    from tests.rpc.conftest import running_server

    template = template_url("sqlite", request.config, tmp_path_factory)
    directory = tmp_path_factory.mktemp("crm_live")
    with clone_database(template, str(directory), prefix="live") as url, \
            running_server(url, directory / "server.log") as (base, _process):
        yield base, url


def _open_menu(page: Any, base: str, name: str) -> None:
    """Follow a menu of the CRM app (sub-menus sit in dropdowns)."""
    page.goto(base + page.locator(f".o-submenu a:text-is('{name}')").first.get_attribute("href"))


def _ref(db_url: str, xmlid: str) -> int:
    from core.modules.manager import open_database

    db = open_database(db_url)
    try:
        with db.env() as env:
            return env.ref(xmlid).id
    finally:
        db.close()


def _read(db_url: str, function: Any) -> Any:
    """``function(env)`` on the server's database, as superuser."""
    from core.modules.manager import open_database

    db = open_database(db_url)
    try:
        with db.env() as env:
            return function(env)
    finally:
        db.close()


def test_lead_to_quotation_to_won_deal_to_dashboard(browser, crm_server):
    base, db_url = crm_server
    with browser_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        log_in(page, base, "mei.chen")
        page.click("a.o-app-link:text-is('CRM')")
        _open_menu(page, base, "Leads")
        page.click("a.o-btn-primary:text-is('New')")
        page.fill("#f-name", "Inquiry from Aurora Lighting Oy")
        page.fill("#f-partner_name", "Aurora Lighting Oy")
        page.fill("#f-contact_name", "Mikko Virtanen")
        page.fill("#f-email_from", "mikko@aurora-lighting.example")
        page.fill("#f-expected_revenue", "12345")
        page.click("button.o-save")
        page.wait_for_selector("button[value='action_convert_opportunity']")
        page.click("button[value='action_convert_opportunity']")
        page.wait_for_url("**/web/model/crm.lead2opportunity.partner/**")
        page.click("button[value='action_apply']")
        page.wait_for_url("**/web/model/crm.lead/**")
        deal_url = page.url

        # a quotation from the deal (sale_crm): the customer made at conversion
        page.click("button[value='action_new_quotation']")
        page.wait_for_url("**/web/model/sale.order/**")
        assert page.input_value("#f-partner_id") == "Aurora Lighting Oy"
        page.click(".o-x2many[data-field='order_line'] .o-add-line")
        row = page.locator(".o-x2many[data-field='order_line'] tr.o-line").last
        row.locator(".o-m2o[data-field='product_id'] .o-m2o-input").fill("UFO High Bay")
        row.locator(".o-m2o[data-field='product_id'] .o-m2o-menu li",
                    has_text="UFO High Bay 150 W").click()
        row.locator("input[name$='.product_uom_qty']").fill("250")
        row.locator("input[name$='.price_unit']").fill("61.50")
        page.click("button.o-save")
        page.wait_for_selector("button[value='action_confirm']")
        assert "15,375.00" in page.locator(".o-sheet").inner_text()
        page.click("button[value='action_confirm']")
        page.wait_for_selector("button[value='action_confirm']", state="detached")

        # confirming the order won the deal, at the order's amount
        page.goto(deal_url)
        page.wait_for_selector("button[value='action_view_sale_order']")
        assert page.locator("button[value='action_set_won_rainbowman']").count() == 0
        deal = _read(db_url, lambda env: env["crm.lead"].search_read(
            [("name", "=", "Inquiry from Aurora Lighting Oy")],
            ["won_status", "expected_revenue", "sale_order_count", "stage_id"])[0])
        assert (deal["won_status"], deal["expected_revenue"], deal["sale_order_count"]) == \
            ("won", 15375.0, 1)

        page.goto(f"{base}/crm/dashboard")
        page.wait_for_selector(".o-crm-dashboard")
        assert page.locator("svg.o-chart-bar").count() == 2
        assert page.locator("svg.o-chart-pie").count() == 1
        assert "Won this month" in page.locator("[data-kpi='won']").inner_text()
        # this month's chart: forecast, expected, won; the deal just won is in the last bar
        bars = page.locator("svg.o-chart-bar").first.locator("rect.o-bar")
        values = [float(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())]
        assert len(values) == 3 and values[2] >= 15375.0
        assert bars.nth(2).locator("title").text_content().startswith("Won")


def test_dragging_a_deal_to_the_won_column(browser, crm_server):
    base, db_url = crm_server
    deal = _read(db_url, lambda env: env["crm.lead"].search(
        [("user_id.login", "=", "mei.chen"), ("type", "=", "opportunity"),
         ("stage_id", "=", env.ref("crm.stage_lead1").id)], limit=1).read(["name"])[0])
    with browser_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        log_in(page, base, "mei.chen")
        pipeline = _ref(db_url, "crm.crm_lead_action_pipeline")
        won_stage = _ref(db_url, "crm.stage_lead4")
        # the board narrowed to the deal: the demo's columns hold hundreds of cards
        query = urlencode({"view_type": "kanban", "kanban_unfold": won_stage, "s": 1,
                           "q": f"name:{deal['name']}"})
        page.goto(f"{base}/web/action/{pipeline}?{query}")
        page.wait_for_selector(".o-kanban")
        card = page.locator("section.o-kanban-column[aria-label='New'] article.o-kanban-card",
                            has_text=deal["name"])
        target = page.locator("section.o-kanban-column[aria-label='Won'] .o-kanban-cards")
        with page.expect_response("**/web/json/kanban_move") as moved:
            card.drag_to(target)
        assert moved.value.status == 200 and moved.value.json()["moved"] is True
        page.reload()
        page.wait_for_selector(".o-kanban")
        won = page.locator("section.o-kanban-column[aria-label='Won']")
        assert won.locator("article", has_text=deal["name"]).count() == 1
