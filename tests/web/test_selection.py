"""Actions on the records selected in a list: delete, archive, unarchive, plug-ins."""

from __future__ import annotations

from core.http.web import SELECTION_ACTIONS, register_selection_action
from tests.web.conftest import text, xmlid


def ids_of(web, names: list[str]) -> list[int]:
    with web.env() as env:
        return env["tweb.order"].with_context(active_test=False).search(
            [("name", "in", names)]).ids


def test_delete_selected_asks_first(web):
    client = web.client("demo")
    action = xmlid(web, "tweb_shop.tweb_order_action")
    ids = ids_of(web, ["SO040", "SO041"])
    url = f"/web/action/{action}/selection"
    data = [("op", "delete"), *[("ids", str(i)) for i in ids]]
    page = client.post(url, data)
    assert page.status_code == 200 and "Delete 2 records?" in text(page)
    assert len(ids_of(web, ["SO040", "SO041"])) == 2
    response = client.post(url, [*data, ("confirmed", "1")])
    assert response.status_code == 302
    assert ids_of(web, ["SO040", "SO041"]) == []


def test_archive_and_unarchive_selected(web):
    client = web.client("demo")
    action = xmlid(web, "tweb_shop.tweb_order_action")
    ids = ids_of(web, ["SO042", "SO043"])
    url = f"/web/action/{action}/selection"
    client.post(url, [("op", "archive"), *[("ids", str(i)) for i in ids]])
    with web.env() as env:
        assert not env["tweb.order"].browse(ids).filtered("active")
    assert "SO042" not in text(client.get(f"/web/action/{action}?q=name:SO04"))
    client.post(url, [("op", "unarchive"), *[("ids", str(i)) for i in ids]])
    with web.env() as env:
        assert len(env["tweb.order"].browse(ids).filtered("active")) == 2


def test_a_registered_selection_action(web):
    seen = []

    def mark(action_page, records):
        seen.append(sorted(records.mapped("name")))
        return action_page.list_url(page=1)

    register_selection_action("mark", "Mark", mark)
    try:
        client = web.client("demo")
        action = xmlid(web, "tweb_shop.tweb_order_action")
        assert 'value="mark"' in text(client.get(f"/web/action/{action}"))
        ids = ids_of(web, ["SO044", "SO045"])
        response = client.post(f"/web/action/{action}/selection",
                               [("op", "mark"), *[("ids", str(i)) for i in ids]])
        assert response.status_code == 302 and seen == [["SO044", "SO045"]]
        assert client.post(f"/web/action/{action}/selection",
                           [("op", "nope"), ("ids", str(ids[0]))]).status_code == 400
    finally:
        SELECTION_ACTIONS.pop("mark", None)
