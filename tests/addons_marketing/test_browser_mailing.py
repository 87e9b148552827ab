"""A marketing user builds a mailing to a segment and sends it, in a real
browser (headless Chromium, SQLite server); recipients open it and one clicks
through to the lead form; the user sees who opened and who became a lead.

The recipients' side is what their mail clients do: the open pixel and the
tracked link of the mail the queue sent (aiosmtpd on a loopback port).
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from core.workflow.jobs import run_pending
from tests.addons_marketing.conftest import Recorder, free_port
from tests.fixtures import browser_page, fresh_database_url, log_in

pytestmark = pytest.mark.browser

SUBJECT = "LED panels for {{ object.name }}"
SEGMENT = "[('country_id.code', '=', 'DE'), ('is_company', '=', True)]"


@pytest.fixture(scope="module")
def smtp() -> Iterator[Any]:
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture(scope="module")
def marketing_server(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    """A real server on a database with crm_marketing: (URL, database)."""
    from core.modules.manager import open_database
    from tests.rpc.conftest import running_server

    directory = tmp_path_factory.mktemp("marketing_browser")
    with fresh_database_url("sqlite", str(directory)) as url:
        db = open_database(url)
        db.install(["crm_marketing"])
        with db.env() as env:
            env["res.users"].create({
                "name": "Lin Marketing", "login": "lin", "password": "lin",
                "email": "lin@troika.example",
                "groups_id": [(6, 0, [env.ref("crm_marketing.group_mass_mailing_user").id,
                                      env.ref("sales_team.group_sale_manager").id])]})
            de, fr = env.ref("base.de"), env.ref("base.fr")
            env["res.partner"].create([
                {"name": "Lichtwerk Handels GmbH", "is_company": True, "country_id": de.id,
                 "email": "einkauf@lichtwerk.example"},
                {"name": "Leuchten Nord GmbH", "is_company": True, "country_id": de.id,
                 "email": "info@leuchten-nord.example"},
                {"name": "Röhren Süd GmbH", "is_company": True, "country_id": de.id,
                 "email": "info@roehren-sued.example"},
                {"name": "Lumière SARL", "is_company": True, "country_id": fr.id,
                 "email": "achat@lumiere.example"}])
            env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
        try:
            with running_server(url, directory / "server.log") as (base, _process):
                with db.env() as env:
                    env["ir.config_parameter"].set_param("web.base.url", base)
                yield base, db
        finally:
            db.close()


def build_and_send(page: Any, base: str) -> None:
    page.click("a.o-app-link:text-is('Email Marketing')")
    page.wait_for_selector("a.o-btn-primary:text-is('New')")
    page.click("a.o-btn-primary:text-is('New')")
    page.wait_for_selector("#o-form")
    page.fill("#f-subject", SUBJECT)
    page.click("#f-mailing_model_id")
    page.keyboard.press("Control+A")
    page.keyboard.type("Contact")
    option = page.locator(".o-m2o[data-field='mailing_model_id'] .o-m2o-menu li",
                          has_text="Contact").first
    option.wait_for()
    option.click()
    page.fill("#f-mailing_domain", SEGMENT)
    page.fill("#f-body_html", f'<p>Dear {{{{ object.name }}}},</p><p>Our new panels: '
                              f'<a href="{base}/contactus">ask for a quote</a></p>')
    with page.expect_navigation():
        page.click("button.o-save")
    page.wait_for_selector("#o-form")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button[value='action_launch']")
    page.wait_for_selector("#o-form")
    assert page.locator(".o-statusbar li.active").inner_text().strip() == "In Queue"


def deliver(db: Any, smtp: Any, monkeypatch: Any) -> list:
    """The job that sends the mailing, then the mail queue to the SMTP server."""
    monkeypatch.setenv("TROIKA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TROIKA_SMTP_PORT", str(smtp.port))
    run_pending(db)
    with db.env() as env:
        env["mail.mail"].process_email_queue()
    run_pending(db)
    return smtp.messages


def links_of(message: Any) -> tuple[str, str]:
    html = message.get_body(preferencelist=("html",)).get_content()
    pixel = re.search(r'src="([^"]+/blank\.gif)"', html).group(1)
    click = re.search(r'href="([^"]+/r/[^"]+)"', html).group(1)
    return pixel, click


def test_build_send_and_see_who_opened_and_became_a_lead(browser, marketing_server, smtp,
                                                         monkeypatch):
    base, db = marketing_server
    with browser_page(browser, timeout_ms=20_000) as page:
        log_in(page, base, "lin")
        build_and_send(page, base)
        form_url = page.url
        messages = deliver(db, smtp, monkeypatch)
        received = {m["To"]: m for m in messages}
        assert sorted(received) == ["Leuchten Nord GmbH <info@leuchten-nord.example>",
                                    "Lichtwerk Handels GmbH <einkauf@lichtwerk.example>",
                                    "Röhren Süd GmbH <info@roehren-sued.example>"]
        lichtwerk = received["Lichtwerk Handels GmbH <einkauf@lichtwerk.example>"]
        assert lichtwerk["Subject"] == "LED panels for Lichtwerk Handels GmbH"
        # two mail clients load the pixel
        for name in ("Lichtwerk Handels GmbH <einkauf@lichtwerk.example>",
                     "Leuchten Nord GmbH <info@leuchten-nord.example>"):
            pixel, _click = links_of(received[name])
            with urllib.request.urlopen(pixel, timeout=10) as response:
                assert response.headers["Content-Type"] == "image/gif"
        # Lichtwerk's buyer follows the link to the lead form and asks for a quote
        _pixel, click = links_of(lichtwerk)
        visitor = page.context.browser.new_context().new_page()
        visitor.goto(click)
        assert "utm_source=" in visitor.url and "/contactus" in visitor.url
        visitor.fill("#lf-name", "Karl Becker")
        visitor.fill("#lf-email", "einkauf@lichtwerk.example")
        visitor.fill("#lf-company", "Lichtwerk Handels GmbH")
        visitor.fill("#lf-message", "Quote for 500 panels, please.")
        with visitor.expect_navigation():
            visitor.click("button[type=submit]")
        visitor.context.close()
        # the marketing user sees it in the mailing's statistics
        page.goto(form_url)
        page.wait_for_selector("#o-form")
        assert page.locator(".o-statusbar li.active").inner_text().strip() == "Sending"
        opened = page.locator("button[value='action_view_opened'] .o-stat-value")
        assert opened.inner_text().strip() == "2"
        leads = page.locator("button[value='action_redirect_to_leads'] .o-stat-value")
        assert leads.inner_text().strip() == "1"
        with page.expect_navigation():
            page.click("button[value='action_view_opened']")
        rows = page.locator("table tbody").inner_text()
        assert "Lichtwerk Handels GmbH" in rows and "Leuchten Nord GmbH" in rows
        assert "Röhren Süd GmbH" not in rows
        page.go_back()
        page.wait_for_selector("#o-form")
        with page.expect_navigation():
            page.click("button[value='action_redirect_to_leads']")
        assert "Karl Becker" in page.locator("table tbody").inner_text() or \
            "Lichtwerk" in page.locator("table tbody").inner_text()
