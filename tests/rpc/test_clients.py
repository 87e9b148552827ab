"""The client libraries integrators use, unchanged, against a server started
for this module: odoorpc (JSON-RPC) and odoo-client-lib (``odoolib``, over
JSON-RPC and the legacy XML-RPC paths), on SQLite and PostgreSQL.

This module makes 2 failed logins (the throttle allows 4 per address)."""

from __future__ import annotations

import urllib.parse

import odoolib
import odoorpc
import pytest
from odoolib.tools import AuthenticationError


def host_port(server) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(server.url)
    return parts.hostname, parts.port


# ---------------------------------------------------------------------------
# odoorpc
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def odoo(server):
    host, port = host_port(server)
    client = odoorpc.ODOO(host, port=port, timeout=30)
    client.login(server.db, "admin", "admin")
    yield client
    client.logout()


def test_odoorpc_connects(server, odoo):
    assert odoo.version == "17.0"
    assert odoo.db.list() == [server.db]
    assert odoo.env.uid == server.admin_uid
    assert odoo.env.user.login == "admin"
    assert odoo.env.lang == "en_US"
    assert "res.partner" in odoo.env
    assert "no.such.model" not in odoo.env


def test_odoorpc_lists_models(odoo):
    Model = odoo.env["ir.model"]  # noqa: N806
    names = {row["model"] for row in Model.search_read([], ["model"])}
    assert {"res.partner", "res.users", "ir.model"} <= names


def test_odoorpc_search_browse_read(odoo):
    Partner = odoo.env["res.partner"]  # noqa: N806
    ids = Partner.search([("ref", "=like", "P00%")], order="ref", limit=4)
    assert len(ids) == 4
    records = Partner.browse(ids)
    assert [record.ref for record in records] == ["P000", "P001", "P002", "P003"]
    assert sorted(records[1].category_id.mapped("name")) == ["Export", "Wholesale"]
    rows = Partner.read(ids[:2], ["name", "company_id"])
    assert [row["name"] for row in rows] == ["Partner 000", "Partner 001"]
    assert odoo.env.ref("base.main_company").name
    assert Partner.search_count([("ref", "=like", "P%")]) == 30


def test_odoorpc_create_with_tags_and_read_back(odoo):
    Partner = odoo.env["res.partner"]  # noqa: N806
    Tag = odoo.env["res.partner.category"]  # noqa: N806
    tag_ids = Tag.search([("name", "in", ["Export", "Wholesale"])])
    pid = Partner.create({"name": "Odoorpc Co", "is_company": True,
                          "category_id": [(6, 0, tag_ids)],
                          "child_ids": [(0, 0, {"name": "Buyer"})]})
    assert isinstance(pid, int)
    partner = Partner.browse(pid)
    assert sorted(partner.category_id.ids) == sorted(tag_ids)
    assert partner.child_ids.mapped("name") == ["Buyer"]
    assert partner.child_ids[0].parent_id.id == pid
    partner.write({"category_id": [(0, 0, {"name": "From odoorpc"})]})
    partner = Partner.browse(pid)                # a fresh read (odoorpc caches values)
    assert "From odoorpc" in partner.category_id.mapped("name")
    partner.name = "Odoorpc Company"             # auto_commit: one write per assignment
    assert Partner.read([pid], ["name"])[0]["name"] == "Odoorpc Company"
    partner.unlink()
    assert Partner.search([("id", "=", pid)]) == []


def test_odoorpc_access_error_for_a_model_the_user_lacks(server):
    host, port = host_port(server)
    client = odoorpc.ODOO(host, port=port, timeout=30)
    client.login(server.db, "demo", "demo")
    with pytest.raises(odoorpc.error.RPCError) as info:
        client.execute_kw("ir.config_parameter", "search_read", [[]], {})
    assert info.value.info["data"]["name"] == "odoo.exceptions.AccessError"
    with pytest.raises(odoorpc.error.RPCError) as info:
        client.env["res.partner"].create({"name": "Not allowed"})
    assert info.value.info["data"]["name"] == "odoo.exceptions.AccessError"
    client.logout()


def test_odoorpc_validation_error_message(odoo):
    with pytest.raises(odoorpc.error.RPCError) as info:
        odoo.env["res.partner"].create({"email": "nameless@example.com"})
    assert "require a name" in str(info.value)
    assert info.value.info["data"]["name"] == "odoo.exceptions.ValidationError"


def test_odoorpc_wrong_password(server):
    host, port = host_port(server)
    client = odoorpc.ODOO(host, port=port, timeout=30)
    with pytest.raises(odoorpc.error.RPCError):
        client.login(server.db, "admin", "wrong")        # failed login 1


def test_odoorpc_with_an_api_key(server):
    host, port = host_port(server)
    client = odoorpc.ODOO(host, port=port, timeout=30)
    client.login(server.db, "admin", server.api_key)
    assert client.env.uid == server.admin_uid
    assert client.env["res.partner"].search_count([]) > 0


# ---------------------------------------------------------------------------
# odoo-client-lib
# ---------------------------------------------------------------------------
PROTOCOLS = pytest.mark.parametrize("protocol", ["jsonrpc", "xmlrpc"])


def connect(server, protocol: str, login: str = "admin", password: str = "admin"):
    host, port = host_port(server)
    return odoolib.get_connection(hostname=host, port=port, protocol=protocol,
                                  database=server.db, login=login, password=password)


@PROTOCOLS
def test_odoolib_check_login(server, protocol):
    connection = connect(server, protocol)
    connection.check_login()
    assert connection.user_id == server.admin_uid
    assert connection.get_user_context()["lang"] == "en_US"


def test_odoolib_bad_login(server):
    connection = connect(server, "jsonrpc", password="wrong")
    with pytest.raises(AuthenticationError):
        connection.check_login()                         # failed login 2


@PROTOCOLS
def test_odoolib_search_read(server, protocol):
    partners = connect(server, protocol).get_model("res.partner")
    rows = partners.search_read([("ref", "=like", "P00%")], ["name", "ref"], order="ref",
                                limit=3)
    assert [row["ref"] for row in rows] == ["P000", "P001", "P002"]
    assert set(rows[0]) == {"id", "name", "ref"}
    everything = partners.search_read([("ref", "=", "P005")])
    assert everything[0]["name"] == "Partner 005" and "category_id" in everything[0]
    models = connect(server, protocol).get_model("ir.model")
    assert models.search_read([("model", "=", "res.partner")], ["model"])[0]["model"] \
        == "res.partner"


@PROTOCOLS
def test_odoolib_create_with_tags(server, protocol):
    connection = connect(server, protocol)
    partners = connection.get_model("res.partner")
    tags = connection.get_model("res.partner.category")
    tag = tags.create({"name": f"Lib tag {protocol}"})
    pid = partners.create({"name": f"Lib Co {protocol}", "category_id": [(6, 0, [tag])]})
    record = partners.read(pid, ["name", "category_id"])
    assert record["name"] == f"Lib Co {protocol}"
    assert record["category_id"] == [tag]
    assert partners.write([pid], {"category_id": [(3, tag)]}) is True
    assert partners.read([pid], ["category_id"])[0]["category_id"] == []


@PROTOCOLS
def test_odoolib_errors(server, protocol):
    demo = connect(server, protocol, "demo", "demo")
    with pytest.raises(Exception) as info:
        demo.get_model("ir.config_parameter").search_read([], ["key"])
    assert "AccessError" in str(info.value) or "access" in str(info.value).lower()
    with pytest.raises(Exception) as info:
        connect(server, protocol).get_model("res.partner").create({"email": "x@y.z"})
    assert "require a name" in str(info.value)
