"""Importing a CSV file through the pages in a real browser (headless Chromium, SQLite)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CSV = (b"Reference,Customer,Amount,Tags\n"
       b"BROWSER-1,Acme,\"1,250.00\",Red\n"
       b"BROWSER-2,Globex,80,\"Red,Blue\"\n")


def test_import_a_small_csv_through_the_pages(page, live_server):
    page.goto(f"{live_server}/web/model/tweb.order")
    page.click("a.o-import-link")
    page.wait_for_selector("form.o-import-upload")
    page.set_input_files("input[type=file]", files=[{
        "name": "orders.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.click("form.o-import-upload button[type=submit]")
    page.wait_for_selector("table.o-import-preview")
    assert page.input_value("select[name=col_1]") == "partner_id"
    assert "2 rows" in page.inner_text(".o-import-file")
    page.click("button.o-import-test")
    page.wait_for_selector(".o-import-ok")
    assert "All 2 rows can be imported" in page.inner_text(".o-import-ok")
    page.click("button.o-import-run")
    page.wait_for_selector(".o-import-done")
    assert "2 records were imported" in page.inner_text(".o-import-done")
    page.click("a.o-btn-primary")
    page.wait_for_selector("table.o-list")
    page.goto(f"{live_server}/web/model/tweb.order?q=name:BROWSER")
    rows = page.locator("table.o-list tbody tr.o-row")
    assert rows.count() == 2
    assert re.search(r"1,250\.00", page.inner_text("table.o-list"))


def test_a_bad_row_is_shown_and_nothing_is_imported(page, live_server):
    page.goto(f"{live_server}/web/model/tweb.order/import")
    page.set_input_files("input[type=file]", files=[{
        "name": "bad.csv", "mimeType": "text/csv",
        "buffer": b"Reference,Customer\nBAD-1,Acme\nBAD-2,Nobody Inc\n"}])
    page.click("form.o-import-upload button[type=submit]")
    page.wait_for_selector("table.o-import-preview")
    page.click("button.o-import-run")
    page.wait_for_selector(".o-import-error")
    problem = page.inner_text("table.o-import-problems tbody tr")
    assert "3" in problem and "Customer" in problem and "Nobody Inc" in problem
    page.goto(f"{live_server}/web/model/tweb.order?q=name:BAD-")
    assert page.locator("table.o-list tbody tr.o-row").count() == 0
