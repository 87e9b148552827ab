"""``load()`` and ``export_data()`` through the ORM and over RPC, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from werkzeug.test import Client

ADDONS = str(Path(__file__).resolve().parents[1] / "addons_web")
ORDER_FIELDS = ["id", "name", "partner_id", "tag_ids", "amount", "date_order", "priority",
                "is_urgent", "line_ids/name", "line_ids/qty"]


@pytest.fixture
def env(addon_env):
    env = addon_env("tweb_shop", addons_path=ADDONS)
    env["res.partner"].create([{"name": "Acme", "ref": "AC1"}, {"name": "Globex"}])
    env["tweb.tag"].create([{"name": "Red"}, {"name": "Blue"}])
    return env


def user_env(env, login: str = "loader", groups: tuple = ("base.group_user",)):
    user = env["res.users"].create({
        "name": login.title(), "login": login,
        "groups_id": [(6, 0, [env.ref(g).id for g in groups])]})
    return env(user=user.id, su=False)


def test_load_creates_records_with_relations_and_lines(env):
    result = env["tweb.order"].load(ORDER_FIELDS, [
        ["o1", "L-1", "Acme", "Red,Blue", "1,234.5", "2026-11-26", "Very good", "yes",
         "Bolt", "2"],
        ["", "", "", "", "", "", "", "", "Nut", "3"],
        ["", "L-2", "globex", "", "7", "11/27/2026", "1", "0", "", ""]])
    assert result["messages"] == [] and len(result["ids"]) == 2
    first, second = env["tweb.order"].browse(result["ids"])
    assert (first.name, first.partner_id.name, first.amount) == ("L-1", "Acme", 1234.5)
    assert sorted(first.tag_ids.mapped("name")) == ["Blue", "Red"]
    assert first.date_order == dt.date(2026, 11, 26) and first.priority == "2"
    assert first.is_urgent and sorted(first.line_ids.mapped("qty")) == [2, 3]
    assert second.partner_id.name == "Globex" and second.date_order == dt.date(2026, 11, 27)
    assert env.ref("__import__.o1") == first


def test_every_bad_row_is_reported_and_nothing_written(env):
    result = env["tweb.order"].load(["name", "partner_id", "amount", "discount"], [
        ["E-1", "Acme", "1", "0"], ["E-2", "Nobody", "x", "0"], ["", "Acme", "1", "0"],
        ["E-4", "Acme", "1", "150"]])
    assert result["ids"] is False
    found = sorted((m["record"], m["rows"]["from"], m.get("field")) for m in result["messages"])
    assert found == [(1, 1, "amount"), (1, 1, "partner_id"), (2, 2, "name"), (3, 3, None)]
    assert all(m["type"] == "error" for m in result["messages"])
    assert not env["tweb.order"].search([("name", "=like", "E-%")])


def test_batches_and_a_failing_row_among_them(env, monkeypatch):
    from core.orm import load

    monkeypatch.setattr(load, "BATCH", 50)
    rows = [[f"B-{i:04d}", str(i), "0"] for i in range(230)]
    rows[170][2] = "101"                        # the discount constraint
    result = env["tweb.order"].load(["name", "amount", "discount"], rows)
    assert result["ids"] is False and [m["record"] for m in result["messages"]] == [170]
    assert not env["tweb.order"].search_count([("name", "=like", "B-%")])
    rows[170][2] = "1"
    result = env["tweb.order"].load(["name", "amount", "discount"], rows)
    assert len(result["ids"]) == 230 and result["messages"] == []


def test_external_ids_update_and_refer_within_the_file(env):
    partners = env["res.partner"]
    result = partners.load(["id", "name", "parent_id/id"], [
        ["p_parent", "Parent Co", ""], ["p_child", "Child", "p_parent"],
        ["base.p_other", "Other", "__import__.p_parent"]])
    assert result["messages"] == []
    parent = env.ref("__import__.p_parent")
    assert env.ref("__import__.p_child").parent_id == parent
    assert env.ref("base.p_other").parent_id == parent
    again = partners.load(["id", "name"], [["p_child", "Child renamed"]])
    assert again["ids"] == [env.ref("__import__.p_child").id]
    assert env.ref("__import__.p_child").name == "Child renamed"
    by_db_id = partners.load([".id", "ref"], [[str(parent.id), "PC"]])
    assert by_db_id["ids"] == [parent.id] and parent.ref == "PC"
    wrong = env["tweb.tag"].load(["id", "name"], [["p_child", "Tag"]])
    assert wrong["ids"] is False and "belongs to a record of res.partner" in \
        wrong["messages"][0]["message"]


def test_values_in_the_users_language(env):
    zh = env(context={"lang": "zh_TW", "tz": "Asia/Taipei"})
    result = zh["tweb.order"].load(["name", "date_order", "deadline", "amount", "is_urgent"], [
        ["ZH-1", "2026/11/26", "2026/11/26 09:30", "1,234.5", "是"]])
    assert result["messages"] == [], result["messages"]
    order = env["tweb.order"].browse(result["ids"])
    assert order.date_order == dt.date(2026, 11, 26) and order.amount == 1234.5
    assert order.deadline == dt.datetime(2026, 11, 26, 1, 30)       # stored in UTC
    assert order.is_urgent


def test_load_runs_as_the_user(env):
    demo = user_env(env)
    created = demo["tweb.order"].load(["name"], [["U-1"]])
    assert env["tweb.order"].browse(created["ids"]).create_uid.login == "loader"
    refused = demo["tweb.secret"].load(["name"], [["S-1"], ["S-2"]])
    assert refused["ids"] is False and len(refused["messages"]) == 1
    assert "not allowed to create" in refused["messages"][0]["message"]


def test_unknown_fields_are_messages(env):
    result = env["tweb.order"].load(["name", "nope"], [["X", "y"]])
    assert result["ids"] is False and "Unknown field 'nope'" in result["messages"][0]["message"]
    deep = env["tweb.order"].load(["partner_id/name"], [["Acme"]])
    assert deep["ids"] is False and "cannot be imported" in deep["messages"][0]["message"]


def test_export_data_as_the_user_reads_it(env):
    result = env["tweb.order"].load(ORDER_FIELDS, [
        ["x1", "X-1", "Acme", "Red,Blue", "5", "2026-11-26", "2", "1", "Bolt", "2"],
        ["", "", "", "", "", "", "", "", "Nut", "3"]])
    order = env["tweb.order"].browse(result["ids"])
    order.deadline = dt.datetime(2026, 11, 26, 1, 30)
    datas = order.with_context(tz="Asia/Taipei").export_data([
        "id", ".id", "name", "partner_id", "partner_id/ref", "tag_ids", "tag_ids/id",
        "amount", "priority", "is_urgent", "date_order", "deadline", "line_ids/name",
        "line_ids/qty", "note"])["datas"]
    tags = ",".join(sorted(["Red", "Blue"]))
    assert datas[0][:9] == ["__import__.x1", order.id, "X-1", "Acme", "AC1", tags,
                            datas[0][6], 5.0, "Very good"]
    assert datas[0][6].count("__export__.tweb_tag_") == 2
    assert datas[0][9:] == [True, dt.date(2026, 11, 26), dt.datetime(2026, 11, 26, 9, 30),
                            "Bolt", 2, ""]
    assert datas[1] == [""] * 12 + ["Nut", 3, ""]
    ids_again = order.export_data(["tag_ids/id"])["datas"][0][0]
    assert ids_again == datas[0][6]                 # the made external ids are kept


def test_export_then_load_round_trip(env):
    orders = env["tweb.order"].create([{"name": "R-1", "amount": 2.5, "priority": "3"}])
    fields = ["id", "name", "amount", "priority"]
    rows = orders.export_data(fields)["datas"]
    rows[0][2] = 9.5
    result = env["tweb.order"].load(fields, rows)
    assert result["ids"] == orders.ids and orders.amount == 9.5 and orders.priority == "3"


# ---------------------------------------------------------------------------
# over RPC
# ---------------------------------------------------------------------------
@pytest.fixture
def rpc(installed_db):
    from core.http.app import Application

    db = installed_db(("tweb_shop",), ADDONS)
    with db.env() as env:
        env.ref("base.user_admin").write({"password": "admin"})
        if not env["res.partner"].search([("name", "=", "RPC Partner")]):
            env["res.partner"].create({"name": "RPC Partner"})
        uid = env.ref("base.user_admin").id
    client = Client(Application(db))

    def call(model: str, method: str, *args):
        response = client.post("/jsonrpc", json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "object", "method": "execute_kw",
                "args": [db.name, uid, "admin", model, method, list(args)]}})
        body = response.get_json()
        assert "error" not in body, body
        return body["result"]

    return db, call, client


def test_load_and_export_data_over_json_rpc(rpc):
    db, call, _client = rpc
    result = call("tweb.order", "load", ["name", "partner_id", "date_order"],
                  [["RPC-1", "RPC Partner", "2026-11-26"]])
    assert result["messages"] == [] and len(result["ids"]) == 1
    datas = call("tweb.order", "export_data", result["ids"], ["name", "partner_id",
                                                               "date_order"])
    assert datas == {"datas": [["RPC-1", "RPC Partner", "2026-11-26"]]}
    failed = call("tweb.order", "load", ["name", "amount"], [["RPC-2", "lots"]])
    assert failed["ids"] is False and failed["messages"][0]["field"] == "amount"
    with db.env() as env:
        assert not env["tweb.order"].search([("name", "=", "RPC-2")])


def test_load_over_the_web_session_call_kw(rpc):
    db, _call, client = rpc
    login = client.post("/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "db": db.name, "login": "admin", "password": "admin"}})
    assert "error" not in login.get_json()
    response = client.post("/web/dataset/call_kw/tweb.order/load", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "tweb.order", "method": "load",
            "args": [["name", "amount"], [["KW-1", "3"]]], "kwargs": {}}})
    result = response.get_json()["result"]
    assert result["messages"] == [] and len(result["ids"]) == 1
