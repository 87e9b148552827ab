"""The kanban and calendar views in a real browser (headless Chromium, SQLite server):
dragging a card to another column and an event to another day, persisted after a
reload; a refused workflow move puts the card back and says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import browser_page, clone_database, log_in
from tests.web.twv_support import ADDONS, template_url

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def views_server(request, tmp_path_factory) -> Iterator[str]:
    """A real server on this module's copy of the prepared tasks database: its URL."""
    from tests.rpc.conftest import running_server

    template = template_url("sqlite", request.config, tmp_path_factory)
    directory = tmp_path_factory.mktemp("twv_live")
    with clone_database(template, str(directory), prefix="live") as url, \
            running_server(url, directory / "server.log",
                           extra_env={"TROIKA_ADDONS_PATH": ADDONS}) as (base, _process):
        yield base


@pytest.fixture
def demo_page(browser, views_server) -> Iterator[Any]:
    """A page logged in as demo (timezone Asia/Taipei), failing on any script error."""
    with browser_page(browser, viewport={"width": 1400, "height": 900},
                      timezone_id="Asia/Taipei") as page:
        log_in(page, views_server, "demo")
        yield page


def open_tasks(page, base: str, menu: str = "Tasks") -> None:
    page.goto(f"{base}/web")
    page.click("a.o-app-link:text-is('Tasks')")
    if menu != "Tasks":
        page.click(f".o-submenu a:text-is('{menu}')")
    page.wait_for_selector(".o-kanban")


def column(page, title: str) -> Any:
    return page.locator(f"section.o-kanban-column[aria-label='{title}']")


def test_drag_a_card_to_another_column(demo_page, views_server):
    page = demo_page
    open_tasks(page, views_server)
    card = column(page, "Backlog").locator("article.o-kanban-card", has_text="Order parts")
    target = column(page, "Review").locator(".o-kanban-cards")
    with page.expect_response("**/web/json/kanban_move") as moved:
        card.drag_to(target)
    assert moved.value.status == 200
    assert column(page, "Review").locator(".o-kanban-count").inner_text() == "1"
    assert column(page, "Backlog").locator(".o-kanban-count").inner_text() == "1"
    page.reload()
    page.wait_for_selector(".o-kanban")
    assert column(page, "Review").locator("article", has_text="Order parts").count() == 1
    assert column(page, "Backlog").locator("article", has_text="Order parts").count() == 0


def test_a_refused_workflow_move_puts_the_card_back(demo_page, views_server):
    page = demo_page
    open_tasks(page, views_server, "Tasks by status")
    card = column(page, "New").locator("article.o-kanban-card", has_text="Write spec")
    with page.expect_response("**/web/json/kanban_move") as moved:
        card.drag_to(column(page, "Done").locator(".o-kanban-cards"))
    assert moved.value.status == 422
    error = page.locator(".o-kanban-error")
    error.wait_for()
    assert "no action of its workflow leads there" in error.inner_text()
    assert column(page, "New").locator("article", has_text="Write spec").count() == 1
    assert column(page, "Done").locator(".o-kanban-count").inner_text() == "0"
    # an allowed move: New -> In progress (Start)
    with page.expect_response("**/web/json/kanban_move") as moved:
        column(page, "New").locator("article", has_text="Write spec").drag_to(
            column(page, "In progress").locator(".o-kanban-cards"))
    assert moved.value.status == 200
    page.reload()
    page.wait_for_selector(".o-kanban")
    assert column(page, "In progress").locator("article", has_text="Write spec").count() == 1


def test_drag_an_event_to_another_day(demo_page, views_server):
    page = demo_page
    open_tasks(page, views_server)
    page.click(".o-switcher a[title='calendar']")
    page.wait_for_selector(".o-calendar")
    page.goto(page.url + "&date=2026-11-01&mode=month")
    page.wait_for_selector(".o-cal-month")
    event = page.locator("td[data-date='2026-11-12'] .o-cal-event", has_text="Order parts")
    assert event.locator(".o-cal-time").inner_text() == "16:00"
    with page.expect_response("**/web/json/calendar_move") as moved:
        event.drag_to(page.locator("td[data-date='2026-11-18']"))
    assert moved.value.status == 200
    page.wait_for_load_state("load")
    page.wait_for_selector("td[data-date='2026-11-18'] .o-cal-event")
    moved_event = page.locator("td[data-date='2026-11-18'] .o-cal-event",
                               has_text="Order parts")
    assert moved_event.count() == 1
    assert moved_event.locator(".o-cal-time").inner_text() == "16:00"
    assert page.locator("td[data-date='2026-11-12'] .o-cal-event").count() == 0
