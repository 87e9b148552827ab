"""Field-level groups (``groups=`` on a field), sudo() and with_user()."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError


@pytest.fixture
def order(env, users):
    return env["ts.order"].create({"name": "With margin", "user_id": users.own.id,
                                   "amount": 100, "margin": 25})


def test_restricted_field_is_not_read_without_the_group(env, users, order):
    as_own = order.with_user(users.own)
    row = as_own.read()[0]
    assert "margin" not in row and row["amount"] == 100
    assert "margin" not in as_own.search_read([], None)[0]
    assert "margin" not in as_own.search_read([])[0]
    with pytest.raises(AccessError, match=r"margin"):
        as_own.read(["margin"])
    with pytest.raises(AccessError, match=r"margin"):
        as_own.read(["name", "margin"])
    with pytest.raises(AccessError):
        as_own.search_read([], ["margin"])


def test_restricted_field_is_not_searchable_nor_groupable(env, users, order):
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    with pytest.raises(AccessError, match=r"margin"):
        Orders.search([("margin", ">", 10)])
    with pytest.raises(AccessError):
        Orders.search_count([("margin", ">", 10)])
    with pytest.raises(AccessError):
        Orders.search(["|", ("name", "=", "x"), ("margin", "=", 25)])
    with pytest.raises(AccessError):
        Orders.read_group([("margin", ">", 10)], ["amount:sum"], [])
    with pytest.raises(AccessError, match=r"margin"):
        Orders.read_group([], ["margin:sum"], ["user_id"])
    with pytest.raises(AccessError, match=r"margin"):
        Orders.read_group([], ["total:sum(margin)"], [])
    with pytest.raises(AccessError, match=r"margin"):
        Orders.read_group([], ["amount:sum"], ["margin"])
    with pytest.raises(AccessError, match=r"margin"):
        Orders.search([], order="margin desc")
    assert Orders.search([], order="amount desc") == order
    # through a relational path from another model too
    with pytest.raises(AccessError):
        env["res.partner"].with_user(users.own).search([("order_ids.margin", ">", 10)])


def test_restricted_field_is_not_writable(env, users, order):
    as_own = order.with_user(users.own)
    with pytest.raises(AccessError, match=r"margin"):
        as_own.write({"margin": 1})
    with pytest.raises(AccessError):
        as_own.write({"amount": 1, "margin": 1})
    env.invalidate_all()
    assert (order.amount, order.margin) == (100, 25)
    with pytest.raises(AccessError, match=r"margin"):
        env["ts.order"].with_user(users.own).create({"name": "Mine", "margin": 3})
    assert not env["ts.order"].search([("name", "=", "Mine")])
    # the field's default applies when the user does not give a value
    created = env["ts.order"].with_user(users.own).create({"name": "Mine"})
    assert created.sudo().margin == 0


def test_restricted_field_is_not_described(env, users):
    described = env["ts.order"].with_user(users.own).fields_get()
    assert "margin" not in described and "amount" in described
    assert "margin" not in env["ts.order"].with_user(users.own).fields_get(["margin", "name"])
    assert "margin" in env["ts.order"].with_user(users.admin).fields_get()
    assert "margin" in env["ts.order"].fields_get()


def test_members_of_the_group_use_the_field(env, users, order):
    # admin is in base.group_system; give them the sales rights too
    users.admin.groups_id = [(4, env.ref("ts_sales.group_all").id)]
    as_admin = order.with_user(users.admin)
    assert as_admin.read()[0]["margin"] == 25
    assert as_admin.read(["margin"])[0]["margin"] == 25
    assert as_admin.search([("margin", "=", 25)]) == order
    assert as_admin.read_group([], ["margin:sum"], [])[0]["margin"] == 25
    as_admin.write({"margin": 30})
    assert order.margin == 30
    # a group implying base.group_system is enough
    boss = env["res.groups"].create({"name": "Boss",
                                     "implied_ids": [(4, env.ref("base.group_system").id)]})
    users.all.groups_id = [(4, boss.id)]
    assert order.with_user(users.all).read(["margin"])[0]["margin"] == 30


def test_sudo_bypasses_rights_rules_and_field_groups(env, users, order):
    theirs = env["ts.order"].create({"name": "Theirs", "user_id": users.own2.id})
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    assert theirs not in Orders.search([])
    privileged = Orders.sudo()
    assert privileged.env.uid == users.own.id and privileged.env.su
    assert theirs in privileged.search([])
    assert privileged.browse(order.id).read(["margin"])[0]["margin"] == 25
    privileged.browse(theirs.id).write({"amount": 5, "margin": 1})
    assert theirs.amount == 5
    # what sudo() creates is still made by the user
    made = privileged.create({"name": "Sudo made", "user_id": users.own2.id})
    assert made.create_uid == users.own
    # and sudo(False) comes back to the user's rights
    with pytest.raises(AccessError):
        privileged.sudo(False).browse(theirs.id).write({"amount": 6})
    with pytest.raises(AccessError):
        env["ts.order"].with_user(users.plain).search([])
    assert env["ts.order"].with_user(users.plain).sudo().search_count([]) >= 3


def test_with_user_switches_user(env, users, order):
    theirs = env["ts.order"].create({"name": "Theirs", "user_id": users.own2.id})
    as_own = env["ts.order"].with_user(users.own)
    assert as_own.env.uid == users.own.id and not as_own.env.su
    assert as_own.env.user == users.own
    assert as_own.search([]) == order
    as_own2 = as_own.with_user(users.own2)
    assert as_own2.search([]) == theirs
    assert as_own.with_user(users.own2.id).search([]) == theirs   # an id works too
    # with_user() of a sudo environment drops the superuser flag
    assert env["ts.order"].sudo().with_user(users.own).search([]) == order
    created = as_own2.create({"name": "By own2"})
    assert created.create_uid == users.own2 and created.user_id == users.own2


def test_x2many_ids_need_the_targets_rules_not_its_rights(env, users):
    """A portal user reads their own user, groups included, without the right
    to read res.groups; the ids they get still pass the groups' rules."""
    me = users.portal.with_user(users.portal)
    row = me.read()[0]
    assert row["groups_id"] == [env.ref("base.group_portal").id]
    assert row["company_ids"] == [env.ref("base.main_company").id]
    assert "password" in row and row["password"] == ""
    with pytest.raises(AccessError):
        env["res.groups"].with_user(users.portal).search([])


def test_copy_leaves_out_fields_the_user_may_not_read(env, users, order):
    copy = order.with_user(users.own).copy()
    assert copy.create_uid == users.own and copy.amount == 100
    assert copy.sudo().margin == 0
    assert order.copy().margin == 25            # the superuser copies everything
