"""Rights, rules, groups and companies are cached per transaction; a change
applies at once, in the same transaction."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError


def test_adding_a_user_to_a_group(env, users):
    Orders = env["ts.order"].with_user(users.plain)  # noqa: N806
    with pytest.raises(AccessError):
        Orders.search([])
    users.plain.groups_id = [(4, env.ref("ts_sales.group_own").id)]
    assert Orders.search([]) is not None
    users.plain.groups_id = [(3, env.ref("ts_sales.group_own").id)]
    with pytest.raises(AccessError):
        Orders.search([])


def test_adding_a_user_from_the_groups_side(env, users):
    Orders = env["ts.order"].with_user(users.plain)  # noqa: N806
    with pytest.raises(AccessError):
        Orders.search([])
    env.ref("ts_sales.group_own").users = [(4, users.plain.id)]
    Orders.search([])
    # a group the user is in starts implying another group: they get its rights
    other = env["res.groups"].create({"name": "Tag managers"})
    env["ir.model.access"].create({"name": "tags", "group_id": other.id,
                                   "model_id": env.ref("ts_sales.model_ts_tag").id,
                                   "perm_read": True, "perm_create": True})
    with pytest.raises(AccessError):
        env["ts.tag"].with_user(users.plain).create({"name": "T"})
    env.ref("ts_sales.group_own").implied_ids = [(4, other.id)]
    assert env["ts.tag"].with_user(users.plain).create({"name": "T"})


def test_changing_a_rule(env, users):
    mine = env["ts.order"].create({"name": "Mine", "user_id": users.own.id})
    theirs = env["ts.order"].create({"name": "Theirs", "user_id": users.own2.id})
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    assert Orders.search([]) == mine
    rule = env.ref("ts_sales.ts_order_rule_own")
    rule.domain_force = "[('name', '=', 'Theirs')]"
    assert Orders.search([]) == theirs
    rule.active = False      # no group rule left for them: only the global ones
    assert Orders.search([]) == mine | theirs
    rule.active = True
    rule.groups = [(5, 0, 0)]  # now global
    assert Orders.search([]) == theirs
    env["ir.rule"].create({"name": "nothing", "model_id": env.ref("ts_sales.model_ts_order").id,
                           "domain_force": "[(0, '=', 1)]"})
    assert not Orders.search([])
    rule.unlink()
    assert not Orders.search([])


def test_changing_rights(env, users):
    line = env.ref("ts_sales.access_ts_order_own")
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    mine = Orders.create({"name": "Mine"})
    with pytest.raises(AccessError):
        mine.unlink()
    line.perm_unlink = True
    mine.unlink()
    line.perm_read = False
    with pytest.raises(AccessError):
        Orders.search([])
    line.unlink()
    with pytest.raises(AccessError):
        Orders.create({"name": "Again"})


def test_a_rolled_back_change_is_forgotten(env, users):
    """A savepoint that fails drops what was cached inside it."""
    Orders = env["ts.order"].with_user(users.plain)  # noqa: N806
    with pytest.raises(RuntimeError):
        with env.transaction.atomic(savepoint=True):
            users.plain.groups_id = [(4, env.ref("ts_sales.group_all").id)]
            assert Orders.search_count([]) == 0
            raise RuntimeError("rolled back")
    with pytest.raises(AccessError):
        Orders.search([])
