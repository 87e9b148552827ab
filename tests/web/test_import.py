"""CSV import through the web client: upload, preview and mapping, dry run, import."""

from __future__ import annotations

import io
import re

import pytest

from tests.web.conftest import text, xmlid

HEADER = "Reference,Customer,Amount,Tags,Order Date,Urgent,State\n"


def orders_url(web) -> str:
    return f"/web/action/{xmlid(web, 'tweb_shop.tweb_order_action')}"


def upload(client, url: str, content: bytes, name: str = "orders.csv", **form) -> str:
    """Upload a file; the preview's URL."""
    response = client.post(f"{url}/import", {"file": (io.BytesIO(content), name), **form},
                           content_type="multipart/form-data")
    assert response.status_code == 302, text(response)[:2000]
    return response.headers["Location"]


def mapping(html: str) -> list[str]:
    """The field chosen for each column of the preview."""
    result = []
    for block in re.findall(r'<select name="col_\d+".*?</select>', html, re.S):
        found = re.search(r'<option value="([^"]*)" selected>', block)
        result.append(found.group(1) if found else "")
    return result


def run(client, preview: str, op: str, columns: list[str]):
    data = {"op": op, **{f"col_{i}": path for i, path in enumerate(columns)}}
    return client.post(preview, data)


def names_like(web, prefix: str) -> list[str]:
    with web.env() as env:
        return sorted(env["tweb.order"].with_context(active_test=False).search(
            [("name", "=like", f"{prefix}%")]).mapped("name"))


def test_preview_guesses_columns_from_english_headers(web):
    client = web.client("demo")
    url = orders_url(web)
    assert 'class="o-btn o-import-link"' in text(client.get(url))
    preview = upload(client, url, (HEADER + "IMP1,Acme,10,Red,2026-11-26,yes,Draft\n").encode())
    html = text(client.get(preview))
    assert mapping(html) == ["name", "partner_id", "amount", "tag_ids", "date_order",
                             "is_urgent", "state"]
    assert "UTF-8" in html and "IMP1" in html and "1 rows" in html


def test_technical_and_external_id_headers(web):
    client = web.client("demo")
    url = orders_url(web)
    content = "id,name,partner_id/id,Tags/External ID,line_ids/name,Lines/Quantity,bogus\n"
    html = text(client.get(upload(client, url, content.encode())))
    assert mapping(html) == ["id", "name", "partner_id/id", "tag_ids/id", "line_ids/name",
                             "line_ids/qty", ""]


def test_preview_guesses_traditional_chinese_headers(web):
    with web.env() as env:
        env["res.users"].create({
            "name": "Lin", "login": "lin", "password": "lin",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("base.group_partner_manager").id])]})
    client = web.client("lin")
    client.post("/web/preferences", {"lang": "zh_TW", "tz": "Asia/Taipei"})
    content = "名稱,電子郵件,國家\n台北貿易,info@tp.example,Taiwan\n".encode()
    html = text(client.get(upload(client, "/web/model/res.partner", content)))
    assert mapping(html)[:3] == ["name", "email", "country_id"]
    assert "匯入" in html           # the page speaks the user's language
    bad = upload(client, "/web/model/res.partner", "名稱,國家\n甲,Nowhere\n".encode())
    checked = text(run(client, bad, "test", ["name", "country_id"]))
    assert "Nowhere" in checked and "沒有名為" in checked     # the ORM's message, in zh_TW
    orders = text(client.get(upload(client, orders_url(web), "參考編號,標籤\nZH1,Red\n"
                                     .encode())))
    assert mapping(orders) == ["name", "tag_ids"]


def test_dry_run_reports_every_bad_row_and_writes_nothing(web):
    client = web.client("demo")
    url = orders_url(web)
    rows = ["DRY1,Acme,10,Red,2026-11-26,yes,Draft",
            "DRY2,Nobody,10,Red,2026-11-26,yes,Draft",
            "DRY3,Acme,ten,Red,2026-11-26,yes,Draft",
            ",Acme,10,Red,2026-11-26,yes,Draft",
            "DRY5,Acme,10,Green,31/02/2026,maybe,Weird"]
    preview = upload(client, url, (HEADER + "\n".join(rows) + "\n").encode())
    columns = mapping(text(client.get(preview)))
    response = run(client, preview, "test", columns)
    html = text(response)
    assert response.status_code == 422
    problems = re.findall(r'<tr class="o-import-error"><td>(\d+)</td><td>([^<]*)</td>'
                          r'<td>([^<]*)</td>', html)
    by_row = {}
    for row, column, message in problems:
        by_row.setdefault(int(row), []).append((column, message))
    assert sorted(by_row) == [3, 4, 5, 6]
    assert by_row[3] == [("Customer", "No record of &#39;Customer&#39; is named "
                                      "&#39;Nobody&#39;.")]
    assert by_row[4][0][0] == "Amount" and "not a number" in by_row[4][0][1]
    assert by_row[5][0][0] == "Reference" and "required" in by_row[5][0][1]
    assert {c for c, _m in by_row[6]} == {"Tags", "Order Date", "Urgent", "State"}
    assert "nothing was imported" in html
    assert names_like(web, "DRY") == []


def test_dry_run_of_a_good_file_then_import(web):
    client = web.client("demo")
    url = orders_url(web)
    rows = ["Reference,Customer,Amount,Tags,Order Date,Urgent,State,Priority",
            'GOOD1,Acme,"1,234.50","Red,Blue",11/26/2026,yes,Draft,Very good',
            "GOOD2,globex,7,,2026-11-27,no,draft,0"]
    preview = upload(client, url, ("\n".join(rows) + "\n").encode())
    columns = mapping(text(client.get(preview)))
    checked = run(client, preview, "test", columns)
    assert checked.status_code == 200 and "All 2 rows can be imported" in text(checked)
    assert names_like(web, "GOOD") == []
    done = run(client, preview, "import", columns)
    assert done.status_code == 200, text(done)[:3000]
    assert "2 records were imported" in text(done)
    with web.env() as env:
        first, second = env["tweb.order"].search([("name", "in", ["GOOD1", "GOOD2"])],
                                                 order="name")
        assert first.partner_id.name == "Acme" and first.amount == 1234.5
        assert sorted(first.tag_ids.mapped("name")) == ["Blue", "Red"]
        assert str(first.date_order) == "2026-11-26" and first.is_urgent
        assert first.priority == "2" and first.create_uid.login == "demo"
        assert second.partner_id.name == "Globex" and not second.is_urgent
        file_id = int(preview.split("?")[0].rsplit("/", 1)[1])
        assert not env["ir.attachment"].browse(file_id).exists()
    assert client.get(preview).status_code == 404       # the file went with the import


def test_an_import_failing_on_one_row_writes_nothing(web):
    client = web.client("demo")
    url = orders_url(web)
    rows = [f"ALL{i},Acme,{i},Red,2026-11-26,no,Draft" for i in range(30)]
    rows[17] = "ALL17,Acme,17,Red,2026-11-26,no,Draft,"      # still valid (extra cell)
    rows[23] = "ALL23,Acme,-5x,Red,2026-11-26,no,Draft"
    preview = upload(client, url, (HEADER + "\n".join(rows) + "\n").encode())
    response = run(client, preview, "import", mapping(text(client.get(preview))))
    assert response.status_code == 422
    assert re.search(r"<td>25</td><td>Amount</td>", text(response))
    assert names_like(web, "ALL") == []


def test_constraint_errors_name_their_rows(web):
    client = web.client("demo")
    url = orders_url(web)
    content = "name,discount\nCON1,10\nCON2,150\nCON3,20\nCON4,-1\n"
    preview = upload(client, url, content.encode())
    response = run(client, preview, "test", mapping(text(client.get(preview))))
    rows = re.findall(r'<tr class="o-import-error"><td>(\d+)</td><td>[^<]*</td><td>([^<]*)',
                      text(response))
    assert [(int(r), "discount must lie" in m) for r, m in rows] == [(3, True), (5, True)]
    assert names_like(web, "CON") == []


def test_big5_file_semicolons_and_quotes(web):
    client = web.client("demo")
    url = orders_url(web)
    content = ('Reference;Customer;Why urgent\n'
               'B5-1;Acme;"客戶急著要；今天出貨"\n'
               'B5-2;Globex;"兩行\n說明"\n').encode("cp950")
    preview = upload(client, url, content, name="訂單.csv")
    html = text(client.get(preview))
    assert "Big5 (CP950)" in html and "Semicolon" in html and "客戶急著要" in html
    done = run(client, preview, "import", mapping(html))
    assert done.status_code == 200, text(done)[:2000]
    with web.env() as env:
        orders = env["tweb.order"].search([("name", "in", ["B5-1", "B5-2"])], order="name")
        assert orders.mapped("urgency_reason") == ["客戶急著要；今天出貨", "兩行\n說明"]


def test_utf8_bom_and_tabs(web):
    client = web.client("demo")
    content = "\ufeffReference\tAmount\nTAB1\t3.5\n".encode()
    preview = upload(client, orders_url(web), content)
    html = text(client.get(preview))
    assert mapping(html) == ["name", "amount"] and "Tab" in html
    assert run(client, preview, "import", ["name", "amount"]).status_code == 200
    with web.env() as env:
        assert env["tweb.order"].search([("name", "=", "TAB1")]).amount == 3.5


def test_external_ids_create_then_update(web):
    client = web.client("demo")
    url = orders_url(web)
    preview = upload(client, url, b"id,Reference,Amount\next_1,EXT1,5\n")
    assert run(client, preview, "import", ["id", "name", "amount"]).status_code == 200
    with web.env() as env:
        record = env.ref("__import__.ext_1")
        assert (record.name, record.amount) == ("EXT1", 5.0)
        first_id = record.id
    preview = upload(client, url, b"id,Amount\n__import__.ext_1,8\next_2,\n")
    response = run(client, preview, "import", ["id", "amount"])
    assert response.status_code == 422          # ext_2 is new and has no reference
    preview = upload(client, url, b"id,Amount\n__import__.ext_1,8\n")
    assert run(client, preview, "import", ["id", "amount"]).status_code == 200
    with web.env() as env:
        record = env.ref("__import__.ext_1")
        assert record.id == first_id and record.amount == 8.0


def test_one2many_lines_from_following_rows(web):
    client = web.client("demo")
    content = (b"Reference,Lines/Description,Lines/Quantity\n"
               b"LIN1,Bolt,3\n,Nut,4\nLIN2,Washer,1\n")
    preview = upload(client, orders_url(web), content)
    assert run(client, preview, "import", mapping(text(client.get(preview)))).status_code == 200
    with web.env() as env:
        first = env["tweb.order"].search([("name", "=", "LIN1")])
        assert sorted((line.name, line.qty) for line in first.line_ids) == [("Bolt", 3),
                                                                            ("Nut", 4)]


@pytest.mark.parametrize("login", ["outsider", "demo"])
def test_users_without_the_create_right_are_refused(web, login):
    client = web.client(login)
    url = orders_url(web) if login == "outsider" else "/web/model/res.partner"
    assert client.get(f"{url}/import").status_code == 403
    response = client.post(f"{url}/import", {"file": (io.BytesIO(b"name\nX\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    if login == "demo":         # demo reads partners, and sees no Import there
        assert 'o-import-link' not in text(client.get("/web/model/res.partner"))


def test_upload_needs_the_csrf_token(web):
    client = web.client("demo")
    response = client.post(f"{orders_url(web)}/import",
                           {"file": (io.BytesIO(b"name\nX\n"), "x.csv")}, csrf=False,
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_another_users_import_file_is_not_found(web):
    owner, other = web.client("demo"), web.client("manager")
    preview = upload(owner, orders_url(web), b"name\nPRIV1\n")
    assert other.get(preview).status_code == 404
    assert run(other, preview, "import", ["name"]).status_code == 404
    assert names_like(web, "PRIV") == []
