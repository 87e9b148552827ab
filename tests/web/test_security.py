"""Security of the web client: CSRF on every POST, access rights, sessions."""

from __future__ import annotations

from tests.web.conftest import text, xmlid


def orders(web) -> int:
    return xmlid(web, "tweb_shop.tweb_order_action")


def order_id(web, name: str) -> int:
    with web.env() as env:
        return env["tweb.order"].search([("name", "=", name)]).id


def test_form_post_without_or_with_a_wrong_token_writes_nothing(web):
    client = web.client("demo")
    record = order_id(web, "SO020")
    url = f"/web/action/{orders(web)}/{record}"
    for token in (None, "0" * 64):
        data = {"name": "Hijacked"}
        if token:
            data["csrf_token"] = token
        response = client.post(url, data, csrf=False)
        assert response.status_code == 403
    for operation in ("delete", "copy", "archive"):
        assert client.post(url, {"_op": operation, "confirmed": "1"},
                           csrf=False).status_code == 403
    response = client.post(f"/web/action/{orders(web)}/new", {"name": "Forged"}, csrf=False)
    assert response.status_code == 403
    selection = client.post(f"/web/action/{orders(web)}/selection",
                            {"op": "delete", "ids": str(record), "confirmed": "1"}, csrf=False)
    assert selection.status_code == 403
    assert client.post(f"/web/action/{orders(web)}/favorite", {"name": "x"},
                       csrf=False).status_code == 403
    with web.env() as env:
        order = env["tweb.order"].browse(record)
        assert order.name == "SO020" and order.active
        assert not env["tweb.order"].search([("name", "in", ["Forged", "Hijacked"])])
        assert env["tweb.order"].search_count([("name", "=", "SO020")]) == 1
        assert not env["ir.filters"].search([("name", "=", "x")])


def test_a_token_of_another_session_is_refused(web):
    demo, manager = web.client("demo"), web.client("manager")
    record = order_id(web, "SO021")
    response = demo.post(f"/web/action/{orders(web)}/{record}",
                         {"name": "Other", "csrf_token": manager.csrf}, csrf=False)
    assert response.status_code == 403


def test_json_endpoints_need_the_header(web):
    client = web.client("demo")
    record = order_id(web, "SO022")
    note = xmlid(web, "tweb_shop.tweb_note_action")
    payloads = {
        "/web/json/name_search": {"model": "tweb.order", "field": "partner_id", "name": "a"},
        "/web/json/onchange": {"model": "tweb.order", "id": record, "values": {},
                               "changed": "partner_id"},
        "/web/json/save_row": {"model": "tweb.note", "action_id": note, "id": None,
                               "values": {"name": "Forged note"}},
    }
    for url, payload in payloads.items():
        for token in ("", "f" * 64):
            response = client.json(url, payload, csrf=token)
            assert response.status_code == 403, url
            assert response.json["error"]["type"] == "csrf"
    # a cross-site form cannot send JSON: other content types are refused
    response = client.client.post("/web/json/save_row", data={"model": "tweb.note"},
                                  headers={"X-CSRF-Token": client.csrf})
    assert response.status_code == 415
    with web.env() as env:
        assert not env["tweb.note"].search([("name", "=", "Forged note")])


def test_a_user_without_rights_gets_403(web):
    client = web.client("outsider")
    record = order_id(web, "SO023")
    assert client.get(f"/web/action/{orders(web)}").status_code == 403
    assert client.get(f"/web/action/{orders(web)}/{record}").status_code == 403
    assert client.get(f"/web/model/tweb.order/{record}").status_code == 403
    assert client.get("/web/model/tweb.order").status_code == 403
    assert client.post(f"/web/action/{orders(web)}/{record}", {"name": "x"}).status_code == 403
    response = client.json("/web/json/name_search", {"model": "tweb.order", "field":
                                                     "partner_id", "name": ""})
    assert response.status_code == 403
    secret = xmlid(web, "tweb_shop.tweb_secret_action")
    demo = web.client("demo")
    assert demo.get(f"/web/action/{secret}").status_code == 403
    assert demo.get("/web/model/tweb.secret").status_code == 403
    assert demo.get(f"/web/binary/tweb.order/{record}/document").status_code == 404
    assert web.client("admin").get(f"/web/action/{secret}").status_code == 200
    assert record == order_id(web, "SO023")


def test_unknown_things_are_404(web):
    client = web.client("demo")
    assert client.get("/web/action/99999").status_code == 404
    assert client.get("/web/model/no.such.model").status_code == 404
    assert client.get(f"/web/action/{orders(web)}/999999").status_code == 404


def test_json_needs_a_session(web):
    client = web.client(None)
    response = client.json("/web/json/name_search", {"model": "tweb.order",
                                                      "field": "partner_id"}, csrf="x")
    assert response.status_code == 401


def test_data_is_escaped(web):
    client = web.client("demo")
    record = order_id(web, "SO024")
    with web.env() as env:
        env["tweb.order"].browse(record).write({"name": "<img src=x onerror=alert(1)>"})
    html = text(client.get(f"/web/action/{orders(web)}/{record}"))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    listing = text(client.get(f"/web/action/{orders(web)}?q=name:onerror"))
    assert "<img src=x" not in listing
