"""The chatter in a real browser (headless Chromium, Playwright) against a real
server: open a lead's form, post a message, log a note, follow, schedule an
activity and mark it done."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.addons_mail.conftest import ADDONS, MODULES
from tests.fixtures import clone_database

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(installed_db, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A server on a copy of a SQLite database with tm_lead and a lead: (URL, lead id)."""
    from tests.rpc.conftest import running_server

    database = installed_db(MODULES, addons_path=ADDONS)
    if database.dialect != "sqlite":
        pytest.skip("the browser test runs once, on SQLite")
    with database.env() as env:
        env.ref("base.user_admin").write({"password": "admin"})
        lead_id = env["tm.lead"].create({"name": "Browser lead"}).id
    directory = tmp_path_factory.mktemp("mail_live")
    with clone_database(str(database.url.render_as_string(hide_password=False)),
                        str(directory), prefix="maillive") as url, \
            running_server(url, directory / "server.log",
                           extra_env={"TROIKA_ADDONS_PATH": ADDONS}) as (base, _process):
        yield base, lead_id


def test_post_a_message_from_a_form(live, browser):
    base, lead_id = live
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}/web/login")
        page.fill("#login", "admin")
        page.fill("#password", "admin")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/web")
        page.goto(f"{base}/web/model/tm.lead/{lead_id}")
        chatter = page.locator("section.o-chatter")
        assert chatter.count() == 1
        page.fill("#o-chatter-body", "Samples shipped <today>")
        with page.expect_navigation():
            page.click("button.o-chatter-send")
        first = page.locator(".o-message").first
        assert first.locator(".o-message-body").inner_text() == "Samples shipped <today>"
        page.fill("#o-chatter-body", "Internal: margin is thin")
        with page.expect_navigation():
            page.click("button.o-chatter-log")
        assert page.locator(".o-message-note").first.inner_text().count("margin is thin") == 1
        # schedule an activity, then mark it done with feedback
        page.click("details.o-chatter-schedule > summary")
        page.fill("#o-act-summary", "Call the buyer")
        with page.expect_navigation():
            page.click("details.o-chatter-schedule button[type=submit]")
        assert f"/web/model/tm.lead/{lead_id}" in page.url
        activity = page.locator(".o-chatter-activities .o-activity")
        assert "Call the buyer" in activity.inner_text()
        activity.locator("input[name=feedback]").fill("Reached")
        with page.expect_navigation():
            activity.locator("button.o-activity-done").click()
        assert page.locator(".o-chatter-activities .o-activity").count() == 0
        assert "Feedback: Reached" in page.locator(".o-message").first.inner_text()
    finally:
        context.close()
    assert not errors, errors
