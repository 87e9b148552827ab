"""The login page in a real browser (headless Chromium driven by Playwright):
log in, land on the home page, log out; a wrong password stays on the form."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

def test_log_in_and_out(server, browser):
    page = browser.new_page()
    try:
        page.goto(f"{server.url}/web")
        assert "/web/login" in page.url
        page.fill("#login", "admin")
        page.fill("#password", server.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/web")
        assert "Installed modules" in page.content()
        assert page.locator("td", has_text="Base").count() >= 1
        page.click("text=Log out")
        page.wait_for_url("**/web/login")
        page.goto(f"{server.url}/web")
        assert "/web/login" in page.url
    finally:
        page.close()


def test_wrong_password_stays_on_the_form(server, browser):
    page = browser.new_page()
    try:
        page.goto(f"{server.url}/web/login")
        page.fill("#login", "admin")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        assert page.locator("[role=alert]").inner_text() == "Wrong login/password"
        assert "/web/login" in page.url
    finally:
        page.close()
