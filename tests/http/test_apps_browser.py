"""The Apps page in a real browser (headless Chromium driven by Playwright),
served by two gunicorn workers: install an addon with the page's button and
watch its progress, then uninstall it through the confirmation page."""

from __future__ import annotations

import pytest

from core.orm import sql
from tests.fixtures import clone_database
from tests.http.conftest import ADDONS
from tests.rpc.conftest import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(backend, rpc_template, tmp_path_factory):
    template, _facts = rpc_template(backend)
    directory = tmp_path_factory.mktemp("apps_browser")
    with clone_database(template, str(directory), prefix="rpc") as url, \
            running_server(url, directory / "server.log", workers=2,
                           extra_env={"TROIKA_ADDONS_PATH": ADDONS}) as (base, _process):
        yield base, sql.database_name(url), directory


def test_install_and_uninstall_from_the_page(site, browser):  # noqa: F811
    base, _db, directory = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    try:
        page.goto(f"{base}/web/login?redirect=/web/apps")
        page.fill("#login", "admin")
        page.fill("#password", "admin")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/web/apps")
        row = page.locator('tr[data-module="th_notes"]')
        assert row.get_attribute("data-state") == "uninstalled"
        row.locator("button", has_text="Install").click()
        progress = page.locator("#o-apps-progress")
        progress.wait_for(state="visible")
        assert "Installing Test Notes" in progress.inner_text()
        page.locator(".o-apps-result.o-ok").wait_for(timeout=60_000)
        assert "th_notes" in page.locator(".o-apps-result").inner_text()
        assert "th_notes: loading" in page.locator(".o-apps-log").text_content()
        page.screenshot(path=str(directory / "apps_installed.png"), full_page=True)
        # the page reloads itself once the operation is done
        page.locator('tr[data-module="th_notes"][data-state="installed"]').wait_for(
            timeout=30_000)

        page.locator('tr[data-module="th_notes"] a', has_text="Uninstall").click()
        page.wait_for_url(f"{base}/web/apps/uninstall/th_notes")
        assert "No other installed module depends on it." in page.content()
        page.locator("form.o-apps-op button", has_text="Uninstall").click()
        page.locator(".o-apps-result.o-ok").wait_for(timeout=60_000)
        page.wait_for_url(f"{base}/web/apps")
        assert page.locator('tr[data-module="th_notes"]').get_attribute("data-state") \
            == "uninstalled"
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.close()
