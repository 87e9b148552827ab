"""The login page in a real browser (headless Chromium driven by Playwright):
log in, land on the home page, log out; a wrong password stays on the form."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


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
