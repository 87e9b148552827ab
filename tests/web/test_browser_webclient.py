"""The web client in a real browser (headless Chromium, SQLite server): creating,
searching and editing records, search-as-you-type, onchange, conditions, inline edits."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def open_menu(page, app: str, *path: str) -> None:
    """Open an app of the top bar, then sub-menus (dropdowns first) as a user would."""
    page.click(f"a.o-app-link:text-is('{app}')")
    page.wait_for_selector("table.o-list")
    for name in path[:-1]:
        page.click(f".o-submenu summary:text-is('{name}')")
    if path:
        page.click(f".o-submenu a:text-is('{path[-1]}')")
        page.wait_for_selector("table.o-list")


def test_create_a_partner_find_it_and_edit_it(page, live_server):
    open_menu(page, "Customers")
    page.click("a.o-btn-primary:text-is('New')")
    page.wait_for_selector("#o-form")
    page.fill("#f-name", "Browser Partner Ltd")
    page.fill("#f-email", "hello@browser.example")
    page.click("button.o-save")
    page.wait_for_url(re.compile(r".*/web/action/\d+/\d+\?.*"))
    assert page.input_value("#f-name") == "Browser Partner Ltd"
    # back to the list, search it
    page.click(".o-breadcrumbs a")
    page.wait_for_selector("table.o-list")
    page.fill(".o-search-input", "Browser Part")
    suggestion = page.locator(".o-search-suggest li").first
    suggestion.wait_for()
    assert "Browser Part" in suggestion.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector(".o-facet-values:text('Browser Part')")
    rows = page.locator("tr.o-row")
    assert rows.count() == 1
    rows.first.locator("td.o-cell").nth(1).click()
    page.wait_for_selector("#o-form")
    page.fill("#f-phone", "+886 2 1234 5678")
    page.click("button.o-save")
    page.wait_for_url(re.compile(r".*/web/action/\d+/\d+\?.*"))
    assert page.input_value("#f-phone") == "+886 2 1234 5678"


def test_many2one_search_as_you_type_and_onchange(page, live_server):
    open_menu(page, "Shop", "Orders", "Orders")
    page.click("a.o-btn-primary:text-is('New')")
    page.wait_for_selector("#o-form")
    page.fill("#f-name", "BROWSER-1")
    page.click("#f-partner_id")
    page.keyboard.type("glob")
    option = page.locator(".o-m2o[data-field='partner_id'] .o-m2o-menu li", has_text="Globex")
    option.wait_for()
    option.click()
    # the onchange filled the customer code, without a reload
    page.wait_for_selector("[data-text-for='partner_ref']:text('GX2')")
    assert page.locator(".o-onchange-warning").is_hidden()
    page.fill("#f-partner_id", "")
    page.keyboard.type("acm")
    page.locator(".o-m2o[data-field='partner_id'] .o-m2o-menu li", has_text="Acme").click()
    page.wait_for_selector("[data-text-for='partner_ref']:text('AC1')")
    warning = page.locator(".o-onchange-warning")
    warning.wait_for()
    assert "no e-mail" in warning.inner_text()
    page.click("button.o-save")
    page.wait_for_url(re.compile(r".*/web/action/\d+/\d+\?.*"))
    assert page.input_value("#f-partner_id") == "Acme"


def test_invisible_and_required_follow_the_values(page, live_server):
    open_menu(page, "Shop", "Orders", "Orders")
    page.click("a.o-btn-primary:text-is('New')")
    reason = page.locator("[data-row-for='urgency_reason']")
    label = page.locator("[data-label-for='urgency_reason']")
    assert reason.is_hidden()
    page.click("#f-is_urgent")
    reason.wait_for(state="visible")
    assert "o-required" in label.get_attribute("class")
    page.click("#f-is_urgent")
    reason.wait_for(state="hidden")
    assert "o-required" not in label.get_attribute("class")


def test_one2many_lines_and_tags(page, live_server):
    open_menu(page, "Shop", "Orders", "Orders")
    page.click("tr.o-row >> nth=2")
    page.wait_for_selector("#o-form")
    page.click("label.o-tab:text-is('Lines')")
    page.click(".o-add-line")
    row = page.locator(".o-lines tbody tr.o-line").nth(1)
    row.locator("input[name$='.name']").fill("Gear")
    row.locator("input[name$='.qty']").fill("5")
    row.locator("input[name$='.price']").fill("2")
    page.fill(".o-tag-input", "blu")
    page.locator(".o-tags .o-m2o-menu li", has_text="Blue").click()
    page.click("button.o-save")
    page.wait_for_url(re.compile(r".*/web/action/\d+/\d+\?.*"))
    page.click("label.o-tab:text-is('Lines')")
    assert page.locator(".o-lines tbody tr.o-line").count() == 2
    assert page.locator("[data-text-for='total']").inner_text() == "13.00"
    assert page.locator(".o-tags .o-tag", has_text="Blue").count() == 1


def test_inline_edit_of_an_editable_list(page, live_server):
    open_menu(page, "Shop", "Notes")
    cell = page.locator("tr.o-row", has_text="Note 0").locator("td[data-name='body']")
    cell.click()
    editor = page.locator("tr.o-editing td[data-name='body'] input")
    editor.fill("Edited in the list")
    editor.press("Enter")
    page.wait_for_selector("tr.o-row:not(.o-editing) td[data-name='body']"
                           ":text('Edited in the list')")
    page.reload()
    assert page.locator("td[data-name='body']", has_text="Edited in the list").count() == 1
    # a new line, typed in the list
    page.click("button.o-add-row")
    editor = page.locator("tr.o-editing td[data-name='name'] input")
    editor.fill("Typed in the list")
    editor.press("Enter")
    page.wait_for_selector("tr.o-row:not(.o-editing) td[data-name='name']"
                           ":text('Typed in the list')")
    page.reload()
    assert page.locator("td[data-name='name']", has_text="Typed in the list").count() == 1


def test_delete_selected_rows_after_confirming(page, live_server):
    open_menu(page, "Shop", "Notes")
    rows = page.locator("tr.o-row")
    before = rows.count()
    bar = page.locator("#o-selection")
    assert bar.is_hidden()
    rows.first.locator("input[name='ids']").check()
    bar.wait_for(state="visible")
    assert page.locator(".o-selected-count").inner_text() == "1"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#o-selection button[value='delete']")
    page.wait_for_function(f"document.querySelectorAll('tr.o-row').length === {before - 1}")


def test_group_rows_expand(page, live_server):
    open_menu(page, "Shop", "Orders", "Orders")
    page.click("details.o-dropdown summary:text-is('Group By')")
    page.click(".o-dropdown-menu a:text-is('Customer')")
    page.wait_for_selector("tr.o-group-row")
    group = page.locator("tr.o-group-row").first
    count = int(group.locator(".o-count").inner_text().strip("()"))
    group.click()
    page.wait_for_selector("tr.o-row")
    assert page.locator("tr.o-row").count() == count >= 50
    page.locator("tr.o-group-row").first.click()
    page.wait_for_selector("tr.o-row", state="detached")


def test_a_phone_sized_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/web/login")
        page.fill("#login", "demo")
        page.fill("#password", "demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/web")
        page.click(".o-menu-toggle")
        page.click("a.o-app-link:text-is('Shop')")
        page.wait_for_selector("table.o-list")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width
        page.locator("tr.o-row").first.locator("td.o-cell").nth(1).click()
        page.wait_for_selector("#o-form")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()



CONDITIONS = [
    "state == 'draft'", "state != 'draft'", "not partner_id", "partner_id",
    "amount > 10", "amount <= 10", "state in ('draft', 'sent')", "state not in ['done']",
    "tag_ids", "not tag_ids", "[('tag_ids', 'in', [3])]", "[('name', 'ilike', 'acm')]",
    "[('name', '=like', 'A%')]", "['|', ('amount', '<', 0), ('state', '=', 'done')]",
    "is_urgent and not urgency_reason", "date_order < '2026-01-01'", "missing_field",
    "[('partner_id', '=', False)]", "[('amount', '!=', False)]", "1", "0", "partner_id == 8",
]
VALUES = [
    {"state": "draft", "partner_id": 7, "amount": 12.5, "tag_ids": [3, 4], "name": "Acme",
     "is_urgent": True, "urgency_reason": False, "date_order": "2025-12-31"},
    {"state": "done", "partner_id": False, "amount": 0, "tag_ids": [], "name": "beta",
     "is_urgent": False, "urgency_reason": "x", "date_order": False},
    {"state": False, "partner_id": [8, "Bob"], "amount": -3, "tag_ids": [5], "name": False,
     "is_urgent": True, "urgency_reason": "", "date_order": "2026-02-01"},
]


def test_the_script_evaluates_conditions_as_the_server(page, live_server):
    from core.views.conditions import parse_condition

    page.goto(f"{live_server}/web")
    for text in CONDITIONS:
        condition = parse_condition(text)
        for values in VALUES:
            expected = condition.evaluate(values)
            found = page.evaluate("([c, v]) => window.troika.evaluate(c, v)",
                                  [condition.to_json(), values])
            assert found == expected, (text, values)
