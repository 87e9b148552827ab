"""Export through the web client: the options page, CSV (BOM, Chinese), XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import unquote

from tests.web.conftest import text, xmlid


def orders_url(web) -> str:
    return f"/web/action/{xmlid(web, 'tweb_shop.tweb_order_action')}"


def order_ids(web, names: list[str]) -> list[int]:
    with web.env() as env:
        return env["tweb.order"].search([("name", "in", names)], order="name").ids


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")             # Excel reads UTF-8 with a BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_of_a_selection_proposes_the_list_columns(web):
    client = web.client("demo")
    url = orders_url(web)
    assert 'value="export"' in text(client.get(url))
    ids = order_ids(web, ["SO001", "SO002"])
    page = client.post(f"{url}/selection", [("op", "export"), *[("ids", str(i)) for i in ids]])
    html = text(page)
    assert page.status_code == 200 and "2 selected records" in html
    checked = re.findall(r'name="fields" value="([^"]+)" checked', html)
    assert checked[:2] == ["name", "partner_id"]
    assert 'value="partner_id/name"' in html and 'value="id"' in html
    assert all(f'name="ids" value="{i}"' in html for i in ids)


def test_csv_of_selected_records_as_the_user_reads_them(web):
    client = web.client("demo")
    ids = order_ids(web, ["SO001", "SO002"])
    response = client.post(f"{orders_url(web)}/export", [
        ("selected", "1"), *[("ids", str(i)) for i in ids], ("format", "csv"),
        ("fields", "name"), ("fields", "partner_id"), ("fields", "state"),
        ("fields", "amount"), ("fields", "is_urgent"), ("fields", "tag_ids"),
        ("extra", "partner_id/ref\n")])
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tweb.order (')
    assert re.search(r"filename\*=UTF-8''tweb.order%20%28\d{4}-\d{2}-\d{2}%29\.csv", disposition)
    rows = read_csv(response)
    assert rows[0] == ["Reference", "Customer", "State", "Amount", "Urgent", "Tags",
                       "Customer/Reference"]
    assert rows[1] == ["SO001", "Acme", "Draft", "1.0", "No", "Red", "AC1"]
    assert rows[2] == ["SO002", "Globex", "Draft", "2.0", "No", "Blue,Red", "GX2"]


def test_export_all_follows_the_search_and_writes_chinese(web):
    with web.env() as env:
        partner = env["res.partner"].create({"name": "台北貿易股份有限公司"})
        env["tweb.order"].create({"name": "ZH-EXPORT-1", "partner_id": partner.id,
                                  "urgency_reason": "=HYPERLINK(\"http://x\")"})
    client = web.client("demo")
    url = f"{orders_url(web)}/export?q=name:ZH-EXPORT"
    assert "All 1 records of the current search" in text(client.get(url))
    response = client.post(url, [("format", "csv"), ("fields", "name"),
                                 ("fields", "partner_id"), ("fields", "urgency_reason"),
                                 ("import_compat", "1")])
    rows = read_csv(response)
    assert rows == [["name", "partner_id", "urgency_reason"],
                    ["ZH-EXPORT-1", "台北貿易股份有限公司", "'=HYPERLINK(\"http://x\")"]]


def test_xlsx_has_a_bold_header_numbers_and_dates(web):
    from openpyxl import load_workbook

    with web.env() as env:
        env["tweb.order"].create({"name": "XLSX-1", "amount": 1234.5,
                                  "date_order": dt.date(2026, 11, 26),
                                  "deadline": dt.datetime(2026, 11, 26, 1, 30),
                                  "urgency_reason": "=1+1"})
    client = web.client("demo")
    ids = order_ids(web, ["XLSX-1"])
    response = client.post(f"{orders_url(web)}/export", [
        ("selected", "1"), ("ids", str(ids[0])), ("format", "xlsx"), ("fields", "name"),
        ("fields", "amount"), ("fields", "date_order"), ("fields", "deadline"),
        ("fields", "urgency_reason"), ("fields", "is_urgent")])
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert unquote(response.headers["Content-Disposition"]).endswith(").xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell for cell in sheet[1]]
    assert [c.value for c in header] == ["Reference", "Amount", "Order Date", "Deadline",
                                         "Why urgent", "Urgent"]
    assert all(c.font.bold for c in header)
    values = [c.value for c in sheet[2]]
    assert values[0] == "XLSX-1" and values[1] == 1234.5
    assert values[2] == dt.datetime(2026, 11, 26)          # a date cell
    assert values[3] == dt.datetime(2026, 11, 26, 1, 30)   # the user's time zone (UTC)
    assert sheet.cell(2, 5).data_type == "s" and values[4] == "=1+1"
    assert values[5] == "No"


def test_datetimes_follow_the_users_time_zone(web):
    with web.env() as env:
        env["tweb.order"].create({"name": "TZ-1", "deadline": dt.datetime(2026, 11, 26, 1, 30)})
    client = web.client("manager")
    client.post("/web/preferences", {"lang": "en_US", "tz": "Asia/Taipei"})
    ids = order_ids(web, ["TZ-1"])
    rows = read_csv(client.post(f"{orders_url(web)}/export", [
        ("selected", "1"), ("ids", str(ids[0])), ("fields", "deadline")]))
    assert rows[1] == ["11/26/2026 09:30:00"]


def test_bad_field_paths_and_empty_choices_are_refused(web):
    client = web.client("demo")
    url = f"{orders_url(web)}/export"
    refused = client.post(url, [("fields", "name"), ("extra", "partner_id/password")])
    assert refused.status_code == 422 and "is not a field you may export" in text(refused)
    assert client.post(url, [("format", "csv")]).status_code == 422
    assert client.post(url, [("fields", "name"), ("format", "pdf")]).status_code == 400


def test_export_needs_read_rights_and_the_token(web):
    assert web.client("outsider").get(f"{orders_url(web)}/export").status_code == 403
    response = web.client("demo").post(f"{orders_url(web)}/export", [("fields", "name")],
                                       csrf=False)
    assert response.status_code == 403


def test_large_files_are_streamed_and_closed_with_the_response():
    import tempfile

    from core.http.web.exporter import download

    spool = tempfile.SpooledTemporaryFile(max_size=1024)
    spool.write(b"x" * (2 * 1024 * 1024))
    response = download(spool, "big.csv", "text/csv", {})
    assert response.is_streamed and not spool.closed
    assert sum(len(chunk) for chunk in response.response) == 2 * 1024 * 1024
    response.close()
    assert spool.closed
