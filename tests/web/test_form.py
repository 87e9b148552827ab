"""The form view: rendering, creating, saving, errors that keep the input, x2many,
buttons, workflow, records' operations."""

from __future__ import annotations

import base64
import re

from tests.web.conftest import text, xmlid


def orders(web) -> int:
    return xmlid(web, "tweb_shop.tweb_order_action")


def order_id(web, name: str) -> int:
    with web.env() as env:
        return env["tweb.order"].search([("name", "=", name)]).id


def read(web, name: str, fields: list[str]) -> dict:
    with web.env() as env:
        return env["tweb.order"].with_context(active_test=False).search(
            [("name", "=", name)]).read(fields)[0]


def field_box(html: str, name: str) -> str:
    start = html.index(f'data-name="{name}"')
    return html[start:html.index("</div>", start)]


def form_values(web, name: str) -> dict:
    """The values a browser would post for order ``name`` unchanged."""
    data = read(web, name, ["name", "partner_id", "amount", "discount", "is_urgent",
                            "urgency_reason", "priority"])
    return {"name": data["name"], "partner_id": str(data["partner_id"][0]),
            "partner_id__display": data["partner_id"][1], "amount": str(data["amount"]),
            "discount": str(data["discount"]), "is_urgent": "0",
            "urgency_reason": data["urgency_reason"] or "", "priority": data["priority"]}


def test_partner_form_renders(web):
    action = xmlid(web, "tweb_shop.tweb_partner_action")
    with web.env() as env:
        acme = env["res.partner"].search([("name", "=", "Acme")]).id
    html = text(web.client("admin").get(f"/web/action/{action}/{acme}"))
    assert 'value="Acme"' in html and 'name="email"' in html
    assert '<span class="o-current">Acme</span>' in html


def test_order_form_renders_widgets_and_conditions(web):
    record = order_id(web, "SO001")
    html = text(web.client("demo").get(f"/web/action/{orders(web)}/{record}"))
    assert '<label class="o-label oe_title' not in html
    assert 'name="partner_id__display" value="Acme"' in html
    assert 'class="o-tag-check"' in html and "<span>Red</span>" in html
    assert 'name="line_ids.0.name" value="Widget"' in html
    assert '<ol class="o-statusbar"' in html and '<li class="active" aria-current="step">Draft' \
        in html
    # not urgent: the reason is hidden, with its condition for the script
    assert '<div class="o-field-row o-invisible" data-row-for="urgency_reason" ' \
           'data-invisible="{&#34;field&#34;: &#34;is_urgent&#34;, &#34;op&#34;: ' \
           '&#34;not set&#34;, &#34;value&#34;: null}">' in html
    # buttons: the workflow's allowed trigger, the method; not the manager's trigger
    buttons = re.findall(r'name="_button" value="(\w+)"', html)
    assert buttons == ["action_confirm", "action_mark_urgent", "action_fail"]
    assert '<span class="o-pager-value">2</span> / <span class="o-pager-count">100</span>' \
        in html
    assert 'class="o-field-text" data-text-for="partner_ref"></span>' in html   # readonly="1"


def test_new_record_uses_the_action_defaults(web):
    action = xmlid(web, "tweb_shop.tweb_order_urgent_action")
    html = text(web.client("demo").get(f"/web/action/{action}/new"))
    assert 'value="From the urgent menu"' in html
    assert re.search(r'name="is_urgent" value="1" class="o-check o-toggle" checked', html)
    plain = text(web.client("demo").get(f"/web/action/{orders(web)}/new"))
    assert 'name="priority" value="1" checked' in plain


def test_create_and_edit(web):
    client = web.client("demo")
    with web.env() as env:
        globex = env["res.partner"].search([("name", "=", "Globex")])
        red = env["tweb.tag"].search([("name", "=", "Red")])
        globex_id, red_id = globex.id, red.id
    response = client.post(f"/web/action/{orders(web)}/new", [
        ("name", "NEW-1"), ("partner_id", ""), ("partner_id__display", "Globex"),
        ("amount", "1,234.5"), ("date_order", "2026-03-01"),
        ("deadline", "2026-03-01T09:30"), ("priority", "2"),
        ("tag_ids__present", "1"), ("tag_ids", str(red_id)),
        ("is_urgent__present", "1"), ("is_urgent", "0"),
        ("line_ids__present", "1"), ("line_ids.0.id", ""), ("line_ids.0.name", "Bolt"),
        ("line_ids.0.qty", "3"), ("line_ids.0.price", "2"),
        ("line_ids.1.id", ""), ("line_ids.1.name", ""), ("line_ids.1.qty", ""),
        ("note", "<p>Hello<script>alert(1)</script></p>")])
    assert response.status_code == 302, text(response)[:2000]
    data = read(web, "NEW-1", ["partner_id", "amount", "date_order", "priority", "tag_ids",
                               "line_ids", "total", "note", "deadline"])
    assert data["partner_id"][0] == globex_id and data["amount"] == 1234.5
    assert str(data["date_order"]) == "2026-03-01" and data["priority"] == "2"
    assert data["tag_ids"] == [red_id] and len(data["line_ids"]) == 1 and data["total"] == 6
    assert "script" not in data["note"]
    assert str(data["deadline"]) == "2026-03-01 09:30:00"       # the user has no timezone
    record = order_id(web, "NEW-1")
    assert response.headers["Location"].startswith(f"/web/action/{orders(web)}/{record}?")
    # edit: change a line, add one, remove none; rename
    line = data["line_ids"][0]
    response = client.post(f"/web/action/{orders(web)}/{record}", [
        ("name", "NEW-2"), ("line_ids__present", "1"), ("line_ids.0.id", str(line)),
        ("line_ids.0.name", "Bolt"), ("line_ids.0.qty", "4"), ("line_ids.0.price", "2"),
        ("line_ids.1.id", ""), ("line_ids.1.name", "Nut"), ("line_ids.1.qty", "1"),
        ("line_ids.1.price", "1")])
    assert response.status_code == 302
    data = read(web, "NEW-2", ["line_ids", "total", "amount"])
    assert len(data["line_ids"]) == 2 and data["total"] == 9 and data["amount"] == 1234.5
    # remove the first line
    response = client.post(f"/web/action/{orders(web)}/{record}", [
        ("line_ids__present", "1"), ("line_ids.0.id", str(line)),
        ("line_ids.0.__delete", "1")])
    assert read(web, "NEW-2", ["total"])["total"] == 1
    html = text(client.get(f"/web/action/{orders(web)}/{record}"))
    assert "Hello" in html and "<script>" not in html


def test_validation_error_keeps_the_input(web):
    client = web.client("demo")
    record = order_id(web, "SO003")
    values = form_values(web, "SO003")
    values.update(discount="150", name="Renamed SO003")
    response = client.post(f"/web/action/{orders(web)}/{record}", values)
    assert response.status_code == 422
    html = text(response)
    assert "The discount must lie between 0 and 100." in html
    assert 'value="Renamed SO003"' in html and 'name="discount" value="150.00"' in html
    assert read(web, "SO003", ["name", "discount"]) == {"id": record, "name": "SO003",
                                                         "discount": 0.0}


def test_required_and_unreadable_values_show_next_to_their_fields(web):
    client = web.client("demo")
    record = order_id(web, "SO004")
    values = form_values(web, "SO004")
    values.update(name="", amount="12abc", is_urgent="1", urgency_reason="")
    response = client.post(f"/web/action/{orders(web)}/{record}", values)
    assert response.status_code == 422
    html = text(response)
    assert "This field is required." in field_box(html, "name")
    assert "is not a number" not in html and "Enter a number." in field_box(html, "amount")
    assert 'value="12abc"' in html
    # required="is_urgent": the reason is required now that the order is urgent
    assert "This field is required." in field_box(html, "urgency_reason")
    assert read(web, "SO004", ["name"])["name"] == "SO004"


def test_many2one_typed_without_choosing(web):
    client = web.client("demo")
    record = order_id(web, "SO005")
    values = form_values(web, "SO005")
    values.update(partner_id__display="Nobody at all")
    response = client.post(f"/web/action/{orders(web)}/{record}", values)
    assert response.status_code == 422
    assert "No record matches Nobody at all." in text(response)
    values.update(partner_id__display="globex")
    assert client.post(f"/web/action/{orders(web)}/{record}", values).status_code == 302
    assert read(web, "SO005", ["partner_id"])["partner_id"][1] == "Globex"


def test_object_button_and_workflow(web):
    client = web.client("demo")
    record = order_id(web, "SO007")
    url = f"/web/action/{orders(web)}/{record}"
    values = form_values(web, "SO007")
    response = client.post(url, {**values, "_button": "action_mark_urgent"})
    assert response.status_code == 302
    assert read(web, "SO007", ["is_urgent", "urgency_reason"])["urgency_reason"] == \
        "Marked by button"
    values = form_values(web, "SO007")
    values.update(is_urgent="1")
    response = client.post(url, {**values, "_button": "action_confirm"})
    assert response.status_code == 302
    assert read(web, "SO007", ["state"])["state"] == "confirmed"
    html = text(client.get(url))
    assert '<li class="active" aria-current="step">Confirmed' in html
    # the manager's transition is not offered to demo, and refused if posted
    assert 'value="action_done"' not in html
    assert client.post(url, {**values, "_button": "action_done"}).status_code == 403
    assert read(web, "SO007", ["state"])["state"] == "confirmed"
    manager = web.client("manager")
    assert 'value="action_done"' in text(manager.get(url))
    assert manager.post(url, {**values, "_button": "action_done"}).status_code == 302
    assert read(web, "SO007", ["state"])["state"] == "done"


def test_private_and_unknown_methods_are_refused(web):
    client = web.client("demo")
    record = order_id(web, "SO008")
    url = f"/web/action/{orders(web)}/{record}"
    for name in ("_secret", "unlink", "write"):
        assert client.post(url, {"_button": name}).status_code == 403
    assert read(web, "SO008", ["name"])["name"] == "SO008"


def test_a_button_error_is_shown(web):
    client = web.client("demo")
    record = order_id(web, "SO009")
    response = client.post(f"/web/action/{orders(web)}/{record}", {"_button": "action_fail"})
    assert response.status_code == 422 and "This button always refuses." in text(response)


def test_delete_with_confirmation(web):
    client = web.client("demo")
    record = order_id(web, "SO011")
    url = f"/web/action/{orders(web)}/{record}"
    page = client.post(url, {"_op": "delete"})
    assert page.status_code == 200 and "Delete this record?" in text(page)
    assert order_id(web, "SO011") == record
    response = client.post(url, {"_op": "delete", "confirmed": "1"})
    assert response.status_code == 302 and response.headers["Location"].startswith(
        f"/web/action/{orders(web)}")
    assert not order_id(web, "SO011")
    assert client.get(url).status_code == 404


def test_duplicate_and_archive(web):
    client = web.client("demo")
    record = order_id(web, "SO012")
    url = f"/web/action/{orders(web)}/{record}"
    response = client.post(url, {"_op": "copy"})
    assert response.status_code == 302
    with web.env() as env:
        copies = env["tweb.order"].search([("name", "=", "SO012")])
        assert len(copies) == 2
    assert client.post(url, {"_op": "archive"}).status_code == 302
    assert read(web, "SO012", ["active"])["active"] is False
    html = text(client.get(url))
    assert "This record is archived." in html and 'value="unarchive"' in html
    assert client.post(url, {"_op": "unarchive"}).status_code == 302
    with web.env() as env:
        assert env["tweb.order"].browse(record).active


def test_binary_upload_and_download(web):
    client = web.client("demo")
    record = order_id(web, "SO013")
    url = f"/web/action/{orders(web)}/{record}"
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    from io import BytesIO

    response = client.post(url, data={"document": (BytesIO(png), "pic.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    download = client.get(f"/web/binary/tweb.order/{record}/document")
    assert download.status_code == 200 and download.mimetype == "image/png"
    assert download.get_data() == png
    with web.env() as env:
        assert base64.b64decode(env["tweb.order"].browse(record).document) == png
    text_file = b"<svg onload=alert(1)>"
    client.post(url, data={"document": (BytesIO(text_file), "x.svg")},
                content_type="multipart/form-data")
    download = client.get(f"/web/binary/tweb.order/{record}/document")
    assert download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/web/binary/tweb.order/{record}/name").status_code == 404


def test_a_record_the_user_may_only_read_is_shown_read_only(web):
    action = xmlid(web, "tweb_shop.tweb_partner_action")
    with web.env() as env:
        acme = env["res.partner"].search([("name", "=", "Acme")]).id
    client = web.client("demo")         # internal user: partners are read-only
    html = text(client.get(f"/web/action/{action}/{acme}"))
    assert 'class="o-btn o-btn-primary o-save"' not in html
    assert ' name="name"' not in html and 'data-text-for="name">Acme</span>' in html
    assert client.post(f"/web/action/{action}/{acme}", {"name": "Renamed"}).status_code == 403
    assert 'o-save' in text(web.client("admin").get(f"/web/action/{action}/{acme}"))
