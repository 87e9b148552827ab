"""A user's journey through the web client in a real browser (headless Chromium,
SQLite server): log in, create a contact through the form, find it with the search,
open it from the list and edit it, switch to Traditional Chinese in the preferences
and read the translated client and money formatted for zh_TW, install an addon from
the Apps page.

The server's database has base, the ``twv_tasks`` test addon (tests/addons_web_views:
a task with a monetary amount in US dollars on its kanban cards) and the Apps page's
test addons on its path (tests/http/addons: ``th_notes`` is installed by the test).
Kanban and calendar drags have their own tests (test_browser_views.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import browser_page, fresh_database_url, log_in
from tests.http.conftest import ADDONS as APPS_ADDONS
from tests.web.twv_support import ADDONS as TASKS_ADDONS

pytestmark = pytest.mark.browser

PARTNER = "Journey Trading Ltd"
TASK = "Ship the journey samples"
SAVED_FORM = re.compile(r".*/web/action/\d+/\d+\?.*")


def prepare(url: str) -> None:
    from core.modules.manager import open_database

    db = open_database(url, [TASKS_ADDONS, APPS_ADDONS])
    try:
        db.install(["twv_tasks"])
        with db.env() as env:
            env.ref("base.user_admin").write({"password": "admin", "lang": "en_US"})
            env["twv.task"].create({"name": TASK, "amount": 1234.5, "deadline": "2026-12-03",
                                    "currency_id": env.ref("base.USD").id,
                                    "stage_id": env.ref("twv_tasks.stage_backlog").id})
    finally:
        db.close()


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory) -> Iterator[str]:
    """A real server on a database of its own (the journey changes it): its URL."""
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("journey")
    with fresh_database_url("sqlite", str(directory)) as url:
        prepare(url)
        addons = os.pathsep.join([TASKS_ADDONS, APPS_ADDONS])
        with running_server(url, directory / "server.log",
                            extra_env={"TROIKA_ADDONS_PATH": addons}) as (base, _process):
            yield base


@pytest.fixture
def tab(browser, journey_server) -> Iterator[Any]:
    """A page of a fresh browser context, failing the test on any script error."""
    with browser_page(browser, timeout_ms=20_000) as page:
        yield page


def open_app(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.click(f"a.o-app-link:text-is('{name}')")
    page.wait_for_selector(".o-control-panel")


def show_list(page: Any) -> None:
    """The list of the current action (from the view switcher when another view shows)."""
    if not page.locator("table.o-list").count():
        with page.expect_navigation():
            page.click(".o-switcher a[title='list']")
    page.wait_for_selector("table.o-list")


def save(page: Any) -> None:
    page.click("button.o-save")
    page.wait_for_url(SAVED_FORM)
    page.wait_for_selector("#o-form")


def create_partner(page: Any) -> None:
    open_app(page, "Contacts")
    page.click(".o-control-panel a.o-btn-primary")
    page.wait_for_selector("#o-form")
    page.fill("#f-name", PARTNER)
    page.fill("#f-email", "hello@journey.example")
    save(page)
    assert page.input_value("#f-name") == PARTNER


def find_and_edit_partner(page: Any) -> None:
    with page.expect_navigation():
        page.click(".o-breadcrumbs a")
    show_list(page)
    page.fill(".o-search-input", "Journey Trad")
    page.locator(".o-search-suggest li").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector(".o-facet-values:text('Journey Trad')")
    rows = page.locator("table.o-list tr.o-row")
    assert rows.count() == 1
    assert PARTNER in rows.first.inner_text()
    rows.first.locator("a.o-open").click()
    page.wait_for_selector("#o-form")
    assert page.input_value("#f-name") == PARTNER
    page.fill("#f-phone", "+886 2 2345 6789")
    save(page)
    with page.expect_navigation():
        page.click(".o-breadcrumbs a")
    show_list(page)
    row = page.locator("table.o-list tr.o-row", has_text=PARTNER)
    assert row.locator("td[data-name='phone']").inner_text() == "+886 2 2345 6789"


def task_card(page: Any) -> tuple[str, str]:
    """The amount and the deadline on the task's kanban card."""
    open_app(page, "Tasks")
    card = page.locator("article.o-kanban-card", has_text=TASK)
    return (card.locator(".twv-amount").inner_text().strip(),
            card.locator(".twv-deadline").inner_text().strip())


def switch_to_chinese(page: Any, base: str) -> None:
    page.click("a.o-user-name")
    page.wait_for_url(f"{base}/web/preferences")
    page.select_option("#pref-lang", "zh_TW")
    page.click("form[action='/web/preferences'] button[type=submit]")
    page.wait_for_selector("html[lang^='zh']")


def read_in_chinese(page: Any) -> None:
    assert page.locator("a.o-app-link:text-is('聯絡人')").count() == 1
    open_app(page, "聯絡人")
    assert page.locator("a.o-app-link.active").inner_text() == "聯絡人"
    show_list(page)
    page.locator("table.o-list tr.o-row", has_text=PARTNER).locator("a.o-open").click()
    page.wait_for_selector("#o-form")
    assert page.locator("button.o-save").inner_text().strip() == "儲存"
    assert page.locator("[data-label-for='email']").inner_text().strip() == "電子郵件"
    assert page.locator("[data-label-for='phone']").inner_text().strip() == "電話"
    assert page.locator(".o-breadcrumbs a").first.inner_text().strip() == "聯絡人"


def install_from_apps(page: Any, base: str) -> None:
    page.click("a.o-apps-link")
    page.wait_for_url(f"{base}/web/apps")
    row = page.locator('tr[data-module="th_notes"]')
    assert row.get_attribute("data-state") == "uninstalled"
    row.locator("form[action='/web/apps/install'] button").click()
    page.locator(".o-apps-result.o-ok").wait_for(timeout=90_000)
    # the page reloads itself once the operation is done
    page.locator('tr[data-module="th_notes"][data-state="installed"]').wait_for(
        timeout=30_000)


def test_journey(tab, journey_server):
    log_in(tab, journey_server, "admin")
    create_partner(tab)
    find_and_edit_partner(tab)
    assert task_card(tab) == ("$1,234.50", "12/03/2026")
    switch_to_chinese(tab, journey_server)
    read_in_chinese(tab)
    # babel for zh_TW: its separators and date pattern; the symbol and its side are
    # the currency record's (as in Odoo), so a dollar amount reads the same
    assert task_card(tab) == ("$1,234.50", "2026/12/03")
    install_from_apps(tab, journey_server)
