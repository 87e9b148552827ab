"""The JSON endpoints of the page scripts: name_search, onchange, inline list rows."""

from __future__ import annotations

from tests.web.conftest import xmlid


def order_id(web, name: str) -> int:
    with web.env() as env:
        return env["tweb.order"].search([("name", "=", name)]).id


def partner_id(web, name: str) -> int:
    with web.env() as env:
        return env["res.partner"].search([("name", "=", name)]).id


def test_name_search(web):
    client = web.client("demo")
    response = client.json("/web/json/name_search", {"model": "tweb.order",
                                                     "field": "partner_id", "name": "glo"})
    assert response.status_code == 200
    assert response.json == {"results": [{"id": partner_id(web, "Globex"), "name": "Globex"}]}
    tags = client.json("/web/json/name_search", {"model": "tweb.order", "field": "tag_ids",
                                                 "name": "", "exclude": []}).json["results"]
    assert [t["name"] for t in tags] == ["Blue", "Red"]
    red = [t["id"] for t in tags if t["name"] == "Red"]
    others = client.json("/web/json/name_search", {"model": "tweb.order", "field": "tag_ids",
                                                   "name": "", "exclude": red}).json
    assert [t["name"] for t in others["results"]] == ["Blue"]
    refused = client.json("/web/json/name_search", {"model": "tweb.order", "field": "name",
                                                    "name": ""})
    assert refused.status_code == 404


def test_onchange_round_trip(web):
    client = web.client("demo")
    record = order_id(web, "SO030")
    action = xmlid(web, "tweb_shop.tweb_order_action")
    response = client.json("/web/json/onchange", {
        "model": "tweb.order", "id": record, "action_id": action, "changed": "partner_id",
        "values": {"partner_id": str(partner_id(web, "Acme")), "name": "SO030"}})
    assert response.status_code == 200, response.json
    result = response.json
    assert result["value"]["partner_ref"]["text"] == "AC1"
    assert result["warning"] == {"title": "No e-mail",
                                 "message": "This customer has no e-mail address."}
    quiet = client.json("/web/json/onchange", {
        "model": "tweb.order", "id": None, "changed": "partner_id",
        "values": {"partner_id": str(partner_id(web, "Globex"))}}).json
    assert quiet["value"]["partner_ref"]["text"] == "GX2" and quiet["warning"] is None
    # nothing was written: onchange only computes
    with web.env() as env:
        assert env["tweb.order"].browse(record).partner_ref is False
    # a field without onchange answers nothing
    assert client.json("/web/json/onchange", {"model": "tweb.order", "id": record,
                                              "changed": "name", "values": {}}).json == {
        "value": {}, "warning": None}


def test_onchange_of_a_computed_dependency(web):
    client = web.client("demo")
    response = client.json("/web/json/onchange", {
        "model": "tweb.order", "id": order_id(web, "SO031"), "changed": "line_ids",
        "values": {}})
    assert response.status_code == 200


def test_inline_list_row_edit_and_create(web):
    client = web.client("demo")
    action = xmlid(web, "tweb_shop.tweb_note_action")
    with web.env() as env:
        note = env["tweb.note"].search([("name", "=", "Note 1")]).id
    response = client.json("/web/json/save_row", {
        "model": "tweb.note", "action_id": action, "id": note,
        "values": {"name": "Note one", "hours": "2.5", "level": "high",
                   "partner_id": "", "partner_id__display": "Acme"}})
    assert response.status_code == 200, response.json
    result = response.json
    assert result["cells"]["name"]["text"] == "Note one"
    assert result["cells"]["partner_id"]["text"] == "Acme"
    assert "text-danger" in result["classes"]
    created = client.json("/web/json/save_row", {
        "model": "tweb.note", "action_id": action, "id": None,
        "values": {"name": "Inline note", "hours": "1"}}).json
    with web.env() as env:
        notes = env["tweb.note"]
        assert notes.browse(note).read(["name", "hours", "level"])[0] == {
            "id": note, "name": "Note one", "hours": 2.5, "level": "high"}
        assert notes.browse(created["id"]).name == "Inline note"


def test_inline_row_errors(web):
    client = web.client("demo")
    action = xmlid(web, "tweb_shop.tweb_note_action")
    response = client.json("/web/json/save_row", {
        "model": "tweb.note", "action_id": action, "id": None,
        "values": {"name": "Bad", "hours": "many"}})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"hours": "Enter a number."}
    missing = client.json("/web/json/save_row", {
        "model": "tweb.note", "action_id": action, "id": None, "values": {"body": "x"}})
    assert missing.status_code == 422
    orders = xmlid(web, "tweb_shop.tweb_order_action")
    not_editable = client.json("/web/json/save_row", {
        "model": "tweb.order", "action_id": orders, "id": order_id(web, "SO032"),
        "values": {"name": "x"}})
    assert not_editable.status_code == 403
    with web.env() as env:
        assert not env["tweb.note"].search([("name", "=", "Bad")])
