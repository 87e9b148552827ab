"""XML-RPC with the standard library's client, against a server started for
this module (tests/rpc/conftest.py), on SQLite and PostgreSQL.

This module makes 3 failed logins (the throttle allows 4 per address)."""

from __future__ import annotations

import base64
import re
import xmlrpc.client

import pytest

Fault = xmlrpc.client.Fault


@pytest.fixture(scope="module")
def common(server):
    return server.proxy("/xmlrpc/2/common")


@pytest.fixture(scope="module")
def models(server):
    return server.proxy("/xmlrpc/2/object")


def fault(call, *args, **kwargs) -> Fault:
    with pytest.raises(Fault) as info:
        call(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# common
# ---------------------------------------------------------------------------
def test_version(common):
    version = common.version()
    assert version["server_version"] == "17.0"
    assert version["server_serie"] == "17.0"
    assert version["server_version_info"][:2] == [17, 0]
    assert version["protocol_version"] == 1
    assert re.match(r"\d+\.\d+", version["troika_version"])


def test_login(server, common):
    assert common.login(server.db, "admin", "admin") == server.admin_uid
    assert common.login(server.db, "demo", "demo") == server.demo_uid
    assert common.authenticate(server.db, "admin", "admin", {}) == server.admin_uid


def test_login_wrong_password_is_false(server, common):
    assert common.login(server.db, "admin", "not the password") is False   # failed login 1


def test_login_unknown_database_is_false(common):
    assert common.login("no_such_database", "admin", "admin") is False


def test_api_key_as_password(server, common, models):
    assert common.login(server.db, "admin", server.api_key) == server.admin_uid
    count = models.execute_kw(server.db, server.admin_uid, server.api_key,
                              "res.partner", "search_count", [[]])
    assert count >= 30


def test_revoked_api_key_stops_working_at_once(server):
    demo = {"uid": server.demo_uid, "password": server.demo_key}
    assert server.execute_kw("res.partner", "search_count", [[]], **demo) > 0
    assert server.execute_kw("res.partner", "search_count", [[]], **demo) > 0   # cached
    assert server.execute_kw("res.users.apikeys", "unlink", [[server.demo_key_id]]) is True
    error = fault(server.execute_kw, "res.partner", "search_count", [[]], **demo)
    assert error.faultCode == 3


# ---------------------------------------------------------------------------
# object: execute and execute_kw
# ---------------------------------------------------------------------------
def test_execute_and_execute_kw(server, models):
    by_execute = models.execute(server.db, server.admin_uid, "admin", "res.partner", "search",
                                [("ref", "=like", "P%")])
    by_kw = models.execute_kw(server.db, server.admin_uid, "admin", "res.partner", "search",
                              [[("ref", "=like", "P%")]])
    assert sorted(by_execute) == sorted(by_kw)
    assert len(by_kw) == 30


def test_search_with_limit_offset_order(server):
    domain = [["ref", "=like", "P%"]]
    ids = server.execute_kw("res.partner", "search", [domain], {"order": "ref"})
    page = server.execute_kw("res.partner", "search", [domain],
                             {"order": "ref", "limit": 5, "offset": 10})
    assert page == ids[10:15]
    desc = server.execute_kw("res.partner", "search", [domain], {"order": "ref desc"})
    assert desc == list(reversed(ids))
    # positional offset, limit, order as odoo-client-lib sends them (False for none)
    positional = server.execute_kw("res.partner", "search", [domain, 0, False, False])
    assert sorted(positional) == sorted(ids)
    assert server.execute_kw("res.partner", "search", [domain, 2, 3, "ref"]) == ids[2:5]


def test_search_count(server):
    assert server.execute_kw("res.partner", "search_count",
                             [[["ref", "=like", "P%"], ["ref", "<", "P010"]]]) == 10


def test_search_read(server):
    rows = server.execute_kw("res.partner", "search_read", [[["ref", "=like", "P00%"]]],
                             {"fields": ["name", "ref", "category_id", "company_id"],
                              "order": "ref", "limit": 3, "offset": 1,
                              "context": {"lang": "en_US"}})
    assert [row["ref"] for row in rows] == ["P001", "P002", "P003"]
    assert set(rows[0]) == {"id", "name", "ref", "category_id", "company_id"}
    assert all(isinstance(tag, int) for tag in rows[0]["category_id"])
    assert len(rows[0]["category_id"]) == 2 and len(rows[1]["category_id"]) == 1


def test_read_many2one_pairs_and_classic_write(server):
    admin_partner = server.execute_kw("res.users", "read", [[server.admin_uid]],
                                      {"fields": ["partner_id", "company_id"]})[0]
    company_id, company_name = admin_partner["company_id"]
    assert isinstance(company_id, int) and isinstance(company_name, str) and company_name
    assert admin_partner["partner_id"][0] > 0
    raw = server.execute_kw("res.users", "read", [[server.admin_uid]],
                            {"fields": ["partner_id", "company_id"],
                             "load": "_classic_write"})[0]
    assert raw["company_id"] == company_id
    assert raw["partner_id"] == admin_partner["partner_id"][0]


def test_read_all_fields_and_empty_values(server):
    pid = server.execute_kw("res.partner", "create", [{"name": "Empty Values"}])
    record = server.execute_kw("res.partner", "read", [[pid]])[0]
    assert record["id"] == pid and record["name"] == "Empty Values"
    assert record["email"] is False
    assert record["parent_id"] is False
    assert record["child_ids"] == []
    assert record["active"] is True
    assert "password" not in record
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", record["create_date"])


def test_dates_as_strings(server):
    currency = server.execute_kw("res.currency", "search", [[]], {"limit": 1})[0]
    rid = server.execute_kw("res.currency.rate", "create",
                            [{"currency_id": currency, "name": "2026-03-31", "rate": 1.25}])
    rate = server.execute_kw("res.currency.rate", "read", [[rid], ["name", "rate",
                                                                   "create_date"]])[0]
    assert rate["name"] == "2026-03-31"
    assert rate["rate"] == 1.25
    assert isinstance(rate["create_date"], str) and len(rate["create_date"]) == 19


def test_create_dict_and_list(server):
    pid = server.execute_kw("res.partner", "create", [{"name": "One"}])
    assert isinstance(pid, int)
    ids = server.execute_kw("res.partner", "create", [[{"name": "Two"}, {"name": "Three"}]])
    assert isinstance(ids, list) and len(ids) == 2
    names = server.execute_kw("res.partner", "read", [ids + [pid], ["name"]])
    assert sorted(row["name"] for row in names) == ["One", "Three", "Two"]


def test_create_and_write_with_x2many_commands(server):
    tag = server.execute_kw("res.partner.category", "create", [{"name": "Fair 2026"}])
    pid = server.execute_kw("res.partner", "create", [{
        "name": "Tagged", "category_id": [(6, 0, [tag])],
        "child_ids": [(0, 0, {"name": "Child contact"})]}])
    record = server.execute_kw("res.partner", "read", [[pid], ["category_id", "child_ids"]])[0]
    assert record["category_id"] == [tag]
    assert len(record["child_ids"]) == 1
    assert server.execute_kw("res.partner", "write", [[pid], {
        "category_id": [(0, 0, {"name": "Created inline"}), (4, tag)],
        "child_ids": [(5, 0, 0)]}]) is True
    record = server.execute_kw("res.partner", "read", [[pid], ["category_id", "child_ids"]])[0]
    assert len(record["category_id"]) == 2 and tag in record["category_id"]
    assert server.execute_kw("res.partner", "write", [[pid], {"category_id": [(3, tag)]}])
    assert tag not in server.execute_kw("res.partner", "read",
                                        [[pid], ["category_id"]])[0]["category_id"]


def test_unlink(server):
    ids = server.execute_kw("res.partner", "create", [[{"name": "Gone 1"}, {"name": "Gone 2"}]])
    assert server.execute_kw("res.partner", "unlink", [ids]) is True
    assert server.execute_kw("res.partner", "search", [[["id", "in", ids]]]) == []


def test_copy_returns_an_id(server):
    pid = server.execute_kw("res.partner", "create", [{"name": "Original"}])
    copy = server.execute_kw("res.partner", "copy", [pid])
    assert isinstance(copy, int) and copy != pid
    renamed = server.execute_kw("res.partner", "copy", [[pid], {"name": "Renamed copy"}])
    assert server.execute_kw("res.partner", "read", [[renamed], ["name"]])[0]["name"] \
        == "Renamed copy"


def test_name_search_name_get_display_name(server):
    found = server.execute_kw("res.partner", "name_search", ["Partner 01"])
    assert found and all(isinstance(pair, list) and len(pair) == 2 for pair in found)
    assert {name for _id, name in found} == {f"Partner 01{i}" for i in range(10)}
    limited = server.execute_kw("res.partner", "name_search", [],
                                {"name": "Partner 0", "limit": 3})
    assert len(limited) == 3
    ids = [pair[0] for pair in found[:2]]
    assert server.execute_kw("res.partner", "name_get", [ids]) == found[:2]
    rows = server.execute_kw("res.partner", "read", [ids, ["display_name"]])
    assert [[row["id"], row["display_name"]] for row in rows] == found[:2]


def test_fields_get(server):
    attributes = ["type", "string", "relation", "selection", "required", "readonly", "help"]
    described = server.execute_kw("res.partner", "fields_get", [], {"attributes": attributes})
    assert described["name"]["type"] == "char" and described["name"]["string"] == "Name"
    assert described["company_id"]["type"] == "many2one"
    assert described["company_id"]["relation"] == "res.company"
    assert described["category_id"]["type"] == "many2many"
    assert described["category_id"]["relation"] == "res.partner.category"
    assert ["contact", "Contact"] in described["type"]["selection"]
    assert described["id"]["readonly"] is True
    assert described["name"]["required"] is False
    assert isinstance(described["is_company"]["help"], str)
    assert set(described["name"]) <= set(attributes)
    users = server.execute_kw("res.users", "fields_get", [["login"]])
    assert list(users) == ["login"] and users["login"]["required"] is True


def test_default_get(server):
    defaults = server.execute_kw("res.partner", "default_get",
                                 [["active", "is_company", "type", "name"]])
    assert defaults["active"] is True
    assert defaults["is_company"] is False
    assert defaults["type"] == "contact"
    assert "name" not in defaults


def test_read_group(server):
    groups = server.execute_kw("res.partner", "read_group",
                               [[["ref", "=like", "P%"]], ["is_company"], ["is_company"]])
    assert len(groups) == 1
    assert groups[0]["is_company"] is True and groups[0]["is_company_count"] == 30
    assert groups[0]["__domain"]
    lazy = server.execute_kw("res.partner", "read_group", [[["ref", "=like", "P%"]]],
                             {"fields": ["color:sum"], "groupby": ["is_company"],
                              "lazy": False})
    assert lazy[0]["__count"] == 30


def test_check_access_rights(server):
    assert server.execute_kw("res.partner", "check_access_rights", ["write"]) is True
    assert server.execute_kw("ir.config_parameter", "check_access_rights", ["read"],
                             {"raise_exception": False}, uid=server.demo_uid,
                             password="demo") is False
    assert server.execute_kw("res.partner", "check_access_rights", ["read"],
                             uid=server.demo_uid, password="demo") is True


def test_context_get(server):
    context = server.execute_kw("res.users", "context_get")
    assert context["lang"] == "en_US"
    assert "tz" in context


def test_ir_model_lookups(server):
    models = server.execute_kw("ir.model", "search_read", [[["model", "=", "res.partner"]]],
                               {"fields": ["model", "name"]})
    assert len(models) == 1 and models[0]["model"] == "res.partner"
    model, res_id = server.execute_kw("ir.model.data", "check_object_reference",
                                      ["base", "main_company"])
    assert model == "res.company" and isinstance(res_id, int)
    assert server.execute_kw("ir.model.data", "xmlid_to_res_id", ["base.main_company"]) \
        == res_id
    assert server.execute_kw("ir.model.data", "xmlid_to_res_id", ["base.nothing_here"]) \
        is False


def test_public_action_method(server):
    pid = server.execute_kw("res.partner", "create", [{"name": "Archived"}])
    assert server.execute_kw("res.partner", "action_archive", [[pid]]) is True
    assert server.execute_kw("res.partner", "search", [[["id", "=", pid]]]) == []
    rows = server.execute_kw("res.partner", "search_read", [[["id", "=", pid]]],
                             {"fields": ["active"], "context": {"active_test": False}})
    assert rows == [{"id": pid, "active": False}]
    assert server.execute_kw("res.partner", "action_unarchive", [[pid]]) is True


def test_binary_as_base64(server):
    content = bytes(range(256)) + "é中".encode()
    encoded = base64.b64encode(content).decode()
    aid = server.execute_kw("ir.attachment", "create", [{"name": "blob.bin", "datas": encoded}])
    record = server.execute_kw("ir.attachment", "read", [[aid], ["datas", "file_size"]])[0]
    assert base64.b64decode(record["datas"]) == content
    assert record["file_size"] == len(content)


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def test_private_method_refused(server):
    error = fault(server.execute_kw, "res.partner", "_compute_display_name", [[1]])
    assert error.faultCode == 4
    assert "Private methods" in error.faultString


def test_unknown_model_and_method(server):
    error = fault(server.execute_kw, "no.such.model", "search", [[]])
    assert error.faultCode == 2 and "no.such.model" in error.faultString
    error = fault(server.execute_kw, "res.partner", "no_such_method", [[]])
    assert error.faultCode == 2 and "no_such_method" in error.faultString


def test_access_error_for_a_model_the_user_lacks(server):
    demo = {"uid": server.demo_uid, "password": "demo"}
    error = fault(server.execute_kw, "ir.config_parameter", "search_read", [[]], **demo)
    assert error.faultCode == 4
    error = fault(server.execute_kw, "ir.model.access", "create",
                  [{"name": "sneaky", "model_id": 1, "perm_read": True}], **demo)
    assert error.faultCode == 4
    access_ids = server.execute_kw("ir.model.access", "search", [[]], {"limit": 1}, **demo)
    error = fault(server.execute_kw, "ir.model.access", "write",
                  [access_ids, {"perm_unlink": True}], **demo)
    assert error.faultCode == 4
    error = fault(server.execute_kw, "res.partner", "create", [{"name": "Not mine"}], **demo)
    assert error.faultCode == 4
    assert "Traceback" not in error.faultString


def test_validation_and_user_errors(server):
    error = fault(server.execute_kw, "res.partner", "create", [{"email": "nameless@x.com"}])
    assert error.faultCode == 2
    assert "require a name" in error.faultString
    pid = server.execute_kw("res.partner", "create", [{"name": "Loop"}])
    error = fault(server.execute_kw, "res.partner", "write", [[pid], {"parent_id": pid}])
    assert error.faultCode == 2
    assert "recursive" in error.faultString
    assert "Traceback" not in error.faultString


def test_failed_call_is_rolled_back(server):
    fault(server.execute_kw, "res.partner", "create",
          [[{"name": "Rolled back"}, {"email": "nameless@x.com"}]])
    assert server.execute_kw("res.partner", "search", [[["name", "=", "Rolled back"]]]) == []


def test_wrong_password_fault_3(server, models):
    error = fault(models.execute_kw, server.db, server.admin_uid, "wrong password",  # 2
                  "res.partner", "search", [[]])
    assert error.faultCode == 3


def test_unknown_database_and_bad_uid(server, models):
    error = fault(models.execute_kw, "no_such_database", server.admin_uid, "admin",
                  "res.partner", "search", [[]])
    assert error.faultCode == 3
    error = fault(models.execute_kw, server.db, "admin", "admin", "res.partner", "search",
                  [[]])
    assert error.faultCode == 3
    error = fault(models.execute_kw, server.db, 999999, "admin", "res.partner", "search", [[]])
    assert error.faultCode == 3


def test_malformed_arguments(server, models):
    error = fault(models.execute_kw, server.db, server.admin_uid, "admin", "res.partner",
                  "search", "not a list")
    assert error.faultCode == 2
    error = fault(server.proxy("/xmlrpc/2/nothing").version)
    assert error.faultCode == 2


# ---------------------------------------------------------------------------
# legacy /xmlrpc paths: string fault codes
# ---------------------------------------------------------------------------
def test_legacy_paths(server):
    common = server.proxy("/xmlrpc/common")
    assert common.version()["server_version"] == "17.0"
    uid = common.login(server.db, "admin", "admin")
    assert uid == server.admin_uid
    legacy = server.proxy("/xmlrpc/object")
    assert legacy.execute(server.db, uid, "admin", "res.partner", "search_count",
                          [("ref", "=like", "P%")]) == 30
    error = fault(legacy.execute, server.db, uid, "wrong again", "res.partner",  # 3
                  "search", [])
    assert error.faultCode == "AccessDenied"
    error = fault(legacy.execute, server.db, uid, "admin", "res.partner", "create",
                  {"email": "nameless@x.com"})
    assert isinstance(error.faultCode, str)
    assert error.faultCode.startswith("warning -- UserError\n\n")
    assert "require a name" in error.faultCode
    error = fault(legacy.execute_kw, server.db, server.demo_uid, "demo",
                  "ir.config_parameter", "search", [[]])
    assert error.faultCode.startswith("warning -- AccessError")


# ---------------------------------------------------------------------------
# hardening
# ---------------------------------------------------------------------------
BOMB = ('<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<methodCall><methodName>version</methodName><params><param><value>"
        "<string>&b;</string></value></param></params></methodCall>")


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_dtd_and_entities_refused(server, encoding):
    body = BOMB.format(encoding=encoding).encode(encoding.lower())
    status, _headers, data = server.post("/xmlrpc/2/common", body, "text/xml")
    assert status == 200
    with pytest.raises(Fault) as info:
        xmlrpc.client.loads(data)
    assert info.value.faultCode == 2
    assert "DTD" in info.value.faultString
    assert b"aaaaaaaaaa" not in data


def test_malformed_xml_refused(server):
    status, _headers, data = server.post("/xmlrpc/2/common", b"<methodCall><oops", "text/xml")
    assert status == 200
    with pytest.raises(Fault) as info:
        xmlrpc.client.loads(data)
    assert info.value.faultCode == 2 and "Malformed" in info.value.faultString


def test_body_over_the_size_limit_refused(server):
    """Refused from the Content-Length, before the body is read."""
    start = b"<?xml version='1.0'?><methodCall>" + b" " * 65536
    assert server.post_announcing("/xmlrpc/2/object", "text/xml", start) == 413


def test_db_service(server):
    db = server.proxy("/xmlrpc/2/db")
    assert db.list() == [server.db]
    assert db.server_version() == "17.0"
    assert db.db_exist(server.db) is True
    assert db.db_exist("no_such_database") is False
    langs = db.list_lang()
    assert ["en_US", "English (US)"] in langs
    error = fault(db.create_database, "master", "newdb", False, "en_US", "admin")
    assert error.faultCode == 3
    error = fault(db.drop, "master", server.db)
    assert error.faultCode == 3
