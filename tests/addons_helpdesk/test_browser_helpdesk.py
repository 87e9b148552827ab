"""A support agent runs a ticket from e-mail to a rated close in a real browser
(headless Chromium, SQLite server with the helpdesk's demo data).

A customer's mail to support@ is delivered through the mail gateway; the agent
(mei) logs in, finds the new ticket on the board, replies with a knowledge-base
article picked in the composer (search-as-you-type, the onchange fills the
message), solves the ticket; the customer opens the survey link of the e-mail
that was queued, rates and comments; the agent sees the rating on the ticket.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from addons.mail.tools.mail_in import deliver
from tests.fixtures import browser_page, fresh_database_url, log_in

pytestmark = pytest.mark.browser

DOMAIN = "troika.example"
SUBJECT = "Browser: 12 T8 tubes dead on arrival"


def raw_mail() -> bytes:
    return (f"From: Anna Weber <anna@lichtwerk.example>\r\nTo: support@{DOMAIN}\r\n"
            f"Subject: {SUBJECT}\r\nMessage-ID: <browser-1@lichtwerk.example>\r\n"
            "Date: Thu, 26 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Twelve tubes of the last carton do not light.\r\n").encode()


@pytest.fixture(scope="module")
def helpdesk_server(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    """A real server on a database with crm_helpdesk and its demo: (URL, database)."""
    from core.modules.manager import open_database
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("helpdesk_browser")
    with fresh_database_url("sqlite", str(directory)) as url:
        db = open_database(url, demo=True)
        db.install(["crm_helpdesk"], demo=True)
        with db.env() as env:
            env.ref("crm_helpdesk.user_mei").password = "mei"
            env.ref("crm_helpdesk.user_tom").active = False      # mei gets the ticket
            env["ir.config_parameter"].set_param("mail.catchall.domain", DOMAIN)
        try:
            with running_server(url, directory / "server.log") as (base, _process):
                with db.env() as env:
                    env["ir.config_parameter"].set_param("web.base.url", base)
                yield base, db
        finally:
            db.close()


@pytest.fixture
def tab(browser, helpdesk_server) -> Iterator[Any]:
    with browser_page(browser, timeout_ms=20_000) as page:
        yield page


def open_ticket_from_the_board(page: Any, base: str, action_id: int) -> None:
    page.goto(f"{base}/web/action/{action_id}?view_type=kanban")
    card = page.locator("article.o-kanban-card", has_text=SUBJECT)
    assert "SLA on track" in card.inner_text()
    with page.expect_navigation():
        card.locator("a.o-kanban-link").click()
    page.wait_for_selector("#o-form")


def reply_with_an_article(page: Any) -> None:
    with page.expect_navigation():
        page.click("button[value='action_reply']")
    page.wait_for_selector("#f-article_id")
    page.click("#f-article_id")
    page.keyboard.type("replacement")
    option = page.locator(".o-m2o[data-field='article_id'] .o-m2o-menu li",
                          has_text="Return and replacement policy")
    option.wait_for()
    option.click()
    page.wait_for_function(
        "() => document.querySelector('#f-body').value.includes('within')")
    with page.expect_navigation():
        page.click("button[value='action_send']")
    page.wait_for_selector("#o-form")


def test_from_mail_to_a_rated_close(tab, helpdesk_server):
    base, db = helpdesk_server
    ticket_id = deliver(db, raw_mail())
    with db.env() as env:
        action_id = env.ref("crm_helpdesk.helpdesk_ticket_action_main_tree").id
        assert env["helpdesk.ticket"].browse(ticket_id).user_id.login == "mei"
    log_in(tab, base, "mei")
    open_ticket_from_the_board(tab, base, action_id)
    reply_with_an_article(tab)
    messages = tab.locator(".o-chatter-messages").inner_text()
    assert "30 days" in messages and "Twelve tubes" in messages
    with tab.expect_navigation():
        tab.click("button[value='action_solve']")
    tab.wait_for_selector("#o-form")
    assert tab.locator(".o-statusbar li.active").inner_text().strip() == "Solved"
    with db.env() as env:
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        assert ticket.first_response_date and ticket.close_date
        survey = env["mail.mail"].search([("model", "=", "helpdesk.ticket"),
                                          ("res_id", "=", ticket_id),
                                          ("subject", "ilike", "How was our answer")])
        link = re.search(r'href="([^"]+/rate/[^"]+)"', survey.body_html).group(1)
    # the customer, without logging in
    customer = tab.context.browser.new_context().new_page()
    customer.goto(link)
    customer.check("input[name='rating'][value='5']")
    customer.fill("#feedback", "New tubes arrived in two days.")
    with customer.expect_navigation():
        customer.click("button[type=submit]")
    assert "Thank you" in customer.inner_text("main")
    customer.context.close()
    # the agent sees it on the ticket
    tab.reload()
    tab.wait_for_selector("#o-form")
    assert "New tubes arrived in two days." in tab.inner_text("#o-form")
