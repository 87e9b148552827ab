"""The pipeline end to end in a real browser (headless Chromium, SQLite server with
the CRM demo): a salesperson creates a lead, converts it, drags the deal to the Won
column, and the owner's dashboard shows it in its chart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.addons_crm.web_support import template_url
from tests.fixtures import clone_database

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


def _login(browser: Any, base: str, login: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/web/login")
    page.fill("#login", login)
    page.fill("#password", login)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/web")
    return context, page, errors


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


def test_lead_to_won_deal_to_dashboard(browser, crm_server):
    base, db_url = crm_server
    context, page, errors = _login(browser, base, "mei.chen")
    try:
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
        assert page.locator("button[value='action_set_won_rainbowman']").count() == 1

        pipeline = _ref(db_url, "crm.crm_lead_action_pipeline")
        won_stage = _ref(db_url, "crm.stage_lead4")
        page.goto(f"{base}/web/action/{pipeline}?view_type=kanban&kanban_unfold={won_stage}")
        page.wait_for_selector(".o-kanban")
        card = page.locator("section.o-kanban-column[aria-label='New'] article.o-kanban-card",
                            has_text="Aurora Lighting Oy")
        target = page.locator("section.o-kanban-column[aria-label='Won'] .o-kanban-cards")
        with page.expect_response("**/web/json/kanban_move") as moved:
            card.drag_to(target)
        assert moved.value.status == 200 and moved.value.json()["moved"] is True
        page.reload()
        page.wait_for_selector(".o-kanban")
        won = page.locator("section.o-kanban-column[aria-label='Won']")
        assert won.locator("article", has_text="Aurora Lighting Oy").count() == 1

        page.goto(f"{base}/crm/dashboard")
        page.wait_for_selector(".o-crm-dashboard")
        assert page.locator("svg.o-chart-bar").count() == 2
        assert page.locator("svg.o-chart-pie").count() == 1
        assert "Won this month" in page.locator("[data-kpi='won']").inner_text()
        # this month's chart: forecast, expected, won; the deal just won is in the last bar
        bars = page.locator("svg.o-chart-bar").first.locator("rect.o-bar")
        values = [float(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())]
        assert len(values) == 3 and values[2] >= 12345.0
        assert bars.nth(2).locator("title").text_content().startswith("Won")
    finally:
        context.close()
    assert not errors, errors
