"""Privilege escalation: each attempt is refused with an AccessError and
leaves the data as it was. Users may still change their own preferences
and password."""

from __future__ import annotations

import pytest

from core.exceptions import AccessDenied, AccessError, UserError
from core.security import verify_password
from tests.security.conftest import PASSWORD, make_user


def _groups(user):
    user.invalidate_recordset()
    return set(user.sudo().with_context(active_test=False).groups_id.ids)


@pytest.mark.parametrize("who", ["plain", "own", "contacts", "portal"])
def test_users_cannot_give_themselves_groups(env, users, who):
    user = getattr(users, who)
    system = env.ref("base.group_system")
    before = _groups(user)
    me = user.with_user(user)
    for vals in ({"groups_id": [(4, system.id)]},
                 {"groups_id": [(6, 0, [system.id])]},
                 {"name": "New name", "groups_id": [(4, system.id)]}):
        with pytest.raises(AccessError):
            me.write(vals)
    with pytest.raises(AccessError):
        system.with_user(user).write({"users": [(4, user.id)]})
    with pytest.raises(AccessError):
        env.ref("base.group_user").with_user(user).write(
            {"implied_ids": [(4, system.id)]})
    with pytest.raises(AccessError):
        env["res.groups"].with_user(user).create({"name": "Mine", "users": [(4, user.id)],
                                                  "implied_ids": [(4, system.id)]})
    assert _groups(user) == before
    assert not user.has_group("base.group_system")


def test_users_cannot_give_groups_to_others(env, users):
    before = _groups(users.own2)
    with pytest.raises(AccessError):
        users.own2.with_user(users.own).write(
            {"groups_id": [(4, env.ref("ts_sales.group_all").id)]})
    assert _groups(users.own2) == before


def test_escalation_through_relational_commands(env, users):
    """A contact manager may edit partners, not the users behind them."""
    partner = users.contacts.partner_id
    system = env.ref("base.group_system")
    with pytest.raises(AccessError):
        partner.with_user(users.contacts).write(
            {"user_ids": [(1, users.contacts.id, {"groups_id": [(4, system.id)]})]})
    with pytest.raises(AccessError):
        partner.with_user(users.contacts).write(
            {"user_ids": [(0, 0, {"name": "Sneaky", "login": "sneaky",
                                  "groups_id": [(4, system.id)]})]})
    assert not users.contacts.has_group("base.group_system")
    assert not env["res.users"].with_context(active_test=False).search(
        [("login", "=", "sneaky")])


def test_users_cannot_create_users(env, users):
    for who in ("plain", "contacts", "own"):
        with pytest.raises(AccessError, match=r"\(res\.users\)"):
            env["res.users"].with_user(getattr(users, who)).create(
                {"name": "Evil", "login": "evil"})
    assert not env["res.users"].with_context(active_test=False).search([("login", "=", "evil")])
    assert env["res.users"].with_user(users.manager).create({"name": "Good", "login": "good"})


def test_users_cannot_change_rules(env, users):
    rule = env.ref("ts_sales.ts_order_rule_own")
    before = rule.read(["domain_force", "active", "groups"])[0]
    Rules = env["ir.rule"].with_user(users.own)  # noqa: N806
    with pytest.raises(AccessError):
        rule.with_user(users.own).write({"domain_force": "[(1, '=', 1)]"})
    with pytest.raises(AccessError):
        rule.with_user(users.own).write({"active": False})
    with pytest.raises(AccessError):
        rule.with_user(users.own).unlink()
    with pytest.raises(AccessError):
        Rules.create({"name": "mine", "model_id": env.ref("ts_sales.model_ts_order").id,
                      "domain_force": "[(1, '=', 1)]",
                      "groups": [(4, env.ref("ts_sales.group_own").id)]})
    env.invalidate_all()
    assert rule.exists() and rule.read(["domain_force", "active", "groups"])[0] == before
    assert env["ir.rule"].search_count([("name", "=", "mine")]) == 0


def test_users_cannot_change_rights(env, users):
    line = env.ref("ts_sales.access_ts_order_own")
    before = line.read(["perm_unlink", "active", "group_id"])[0]
    with pytest.raises(AccessError):
        line.with_user(users.own).write({"perm_unlink": True})
    with pytest.raises(AccessError):
        line.with_user(users.own).write({"group_id": False})
    with pytest.raises(AccessError):
        env.ref("ts_sales.access_ts_order_all").with_user(users.own).unlink()
    with pytest.raises(AccessError):
        env["ir.model.access"].with_user(users.own).create({
            "name": "mine", "model_id": env.ref("ts_sales.model_ts_order").id,
            "perm_read": True, "perm_write": True, "perm_create": True, "perm_unlink": True})
    env.invalidate_all()
    assert line.read(["perm_unlink", "active", "group_id"])[0] == before
    assert env.ref("ts_sales.access_ts_order_all").exists()
    assert not env["ir.model.access"].search([("name", "=", "mine")])
    # nor groups
    group = env.ref("ts_sales.group_all")
    with pytest.raises(AccessError):
        group.with_user(users.own).write({"name": "Renamed"})
    with pytest.raises(AccessError):
        group.with_user(users.own).unlink()
    assert group.exists() and group.name == "User: All Documents"


def test_passwords_of_others(env, users):
    victim = make_user(env, "victim", password=PASSWORD)
    stored = victim.sudo().password
    for who in ("plain", "own", "contacts", "portal"):
        with pytest.raises(AccessError):
            victim.with_user(getattr(users, who)).write({"password": "pwned"})
    victim.invalidate_recordset()
    assert victim.sudo().password == stored
    # the hash is not for others to read or search or group by
    assert victim.with_user(users.plain).read(["password"])[0]["password"] == ""
    with pytest.raises(AccessError):
        env["res.users"].with_user(users.plain).search([("password", "=", stored)])
    with pytest.raises(AccessError):
        env["res.users"].with_user(users.plain).read_group([], ["login"], ["password"])
    with pytest.raises(AccessError):
        env["res.users"].with_user(users.plain).read_group([], ["password:count"], [])
    # an administrator of users may set it
    victim.with_user(users.manager).write({"password": "reset by manager"})
    assert verify_password("reset by manager", victim.sudo().password)
    # a user cannot set their own password by a plain write: change_password it is
    with pytest.raises(AccessError):
        victim.with_user(victim).write({"password": "no old password"})


def test_magic_fields_cannot_be_forged(env, users):
    admin = users.admin
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    taken = env["ts.order"].create({"name": "Taken"})
    order = Orders.create({"name": "Forged", "create_uid": admin.id, "write_uid": admin.id,
                           "id": taken.id, "create_date": "2000-01-01 00:00:00"})
    assert order.id != taken.id and taken.name == "Taken"
    env.invalidate_all()
    assert order.create_uid == users.own and order.write_uid == users.own
    assert order.create_date.year > 2000
    order.with_user(users.own).write({"amount": 3, "write_uid": admin.id, "create_uid": admin.id,
                                      "id": taken.id})
    env.invalidate_all()
    assert order.write_uid == users.own and order.create_uid == users.own
    assert order.amount == 3 and taken.amount == 0


def test_own_preferences(env, users):
    me = users.plain.with_user(users.plain)
    me.write({"name": "Plain Person", "lang": "en_US", "tz": "Asia/Taipei",
              "signature": "<p>Plain</p>", "email": "plain@example.com"})
    users.plain.invalidate_recordset()
    assert users.plain.name == "Plain Person" and users.plain.tz == "Asia/Taipei"
    assert users.plain.partner_id.email == "plain@example.com"
    assert "Plain" in users.plain.signature
    # not others' preferences, and not other fields of their own
    with pytest.raises(AccessError):
        users.own.with_user(users.plain).write({"name": "Renamed"})
    with pytest.raises(AccessError):
        (users.plain | users.own).with_user(users.plain).write({"name": "Both"})
    with pytest.raises(UserError):
        me.write({"active": False})
    for vals in ({"login": "new_login"},
                 {"company_ids": [(4, env.ref("base.main_company").id)]},
                 {"share": True}, {"partner_id": users.own.partner_id.id}):
        with pytest.raises(AccessError):
            me.write(vals)
    users.plain.invalidate_recordset()
    assert users.plain.login == "plain" and users.plain.active
    assert users.own.name == "Own"
    # portal users too
    users.portal.with_user(users.portal).write({"tz": "Europe/Brussels"})
    assert users.portal.tz == "Europe/Brussels"


def test_change_password(env, users):
    user = make_user(env, "changer", password=PASSWORD)
    Users = env["res.users"].with_user(user)  # noqa: N806
    with pytest.raises(AccessDenied):
        Users.change_password("wrong old password", "new secret")
    assert verify_password(PASSWORD, user.sudo().password)
    assert Users.change_password(PASSWORD, "new secret")
    user.invalidate_recordset()
    assert verify_password("new secret", user.sudo().password)
    assert env["res.users"].authenticate("changer", "new secret") == user.id
    # it changes the caller's password, whatever record it is called on
    other = make_user(env, "other_one", password=PASSWORD)
    other.with_user(user).change_password("new secret", "newer secret")
    assert verify_password(PASSWORD, other.sudo().password)
    assert verify_password("newer secret", user.sudo().password)
