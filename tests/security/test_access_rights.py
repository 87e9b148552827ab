"""Access rights (ir.model.access): for several models and each operation, a
user whose groups grant it and one whose groups do not.

A refusal is an AccessError naming the model and the operation, and leaves
the data as it was.
"""

from __future__ import annotations

import pytest

from core.exceptions import AccessError

VERBS = {"read": "read", "write": "modify", "create": "create", "unlink": "delete"}


def _throwaway_group(env):
    return env["res.groups"].create({"name": "Throwaway"})


def _values(env, model: str, users, tag: str) -> dict:
    """Values to create a record of ``model`` (``tag`` makes them unique)."""
    if model == "res.partner":
        return {"name": f"Partner {tag}"}
    if model == "res.users":
        return {"name": f"User {tag}", "login": f"user_{tag}"}
    if model == "res.groups":
        return {"name": f"Group {tag}"}
    if model == "ir.rule":
        return {"name": f"Rule {tag}", "model_id": env.ref("ts_sales.model_ts_tag").id,
                "groups": [(6, 0, _throwaway_group(env).ids)],
                "domain_force": "[(1, '=', 1)]"}
    if model == "ir.model.access":
        return {"name": f"Access {tag}", "model_id": env.ref("ts_sales.model_ts_tag").id,
                "group_id": _throwaway_group(env).id, "perm_read": True}
    if model == "ts.order":
        return {"name": f"Order {tag}", "user_id": users.own.id}
    if model == "ts.tag":
        return {"name": f"Tag {tag}"}
    raise AssertionError(model)


#: a change to write, as (field, value)
CHANGES = {
    "res.partner": ("name", "Changed"),
    "res.users": ("login", "changed_login"),
    "res.groups": ("comment", "Changed"),
    "ir.rule": ("name", "Changed"),
    "ir.model.access": ("perm_unlink", True),
    "ts.order": ("amount", 99.0),
    "ts.tag": ("name", "Changed"),
}

#: (model, operation, a user allowed, a user refused)
MATRIX = [
    ("res.partner", "read", "plain", "portal"),
    ("res.partner", "create", "contacts", "plain"),
    ("res.partner", "write", "contacts", "plain"),
    ("res.partner", "unlink", "contacts", "plain"),
    ("res.users", "read", "portal", None),          # everybody may read users
    ("res.users", "create", "manager", "plain"),
    ("res.users", "write", "manager", "plain"),
    ("res.users", "unlink", "manager", "plain"),
    ("res.groups", "read", "plain", "portal"),
    ("res.groups", "create", "manager", "plain"),
    ("res.groups", "write", "manager", "plain"),
    ("res.groups", "unlink", "manager", "plain"),
    ("ir.rule", "read", "manager", "plain"),
    ("ir.rule", "create", "manager", "plain"),
    ("ir.rule", "write", "manager", "plain"),
    ("ir.rule", "unlink", "manager", "plain"),
    ("ir.model.access", "read", "plain", "portal"),
    ("ir.model.access", "create", "manager", "plain"),
    ("ir.model.access", "write", "manager", "plain"),
    ("ir.model.access", "unlink", "manager", "plain"),
    ("ts.order", "read", "own", "plain"),
    ("ts.order", "create", "own", "plain"),
    ("ts.order", "write", "own", "plain"),
    ("ts.order", "unlink", "all", "own"),           # own users may not delete
    ("ts.tag", "read", "plain", "portal"),
    ("ts.tag", "create", "all", "own"),
    ("ts.tag", "write", "all", "own"),
    ("ts.tag", "unlink", "all", "own"),
]


def _attempt(env, users, model: str, operation: str, user, tag: str):
    """Do ``operation`` on ``model`` as ``user``; returns a check of the outcome
    to run afterwards (as superuser) if the operation was refused."""
    Model = env[model]  # noqa: N806
    as_user = Model.with_user(user)
    if operation == "read":
        record = Model.create(_values(env, model, users, tag))
        found = as_user.search([("id", "=", record.id)])
        assert found.read(["display_name"])[0]["id"] == record.id
        assert as_user.search_count([("id", "=", record.id)]) == 1
        return None
    if operation == "create":
        values = _values(env, model, users, tag)
        before = Model.with_context(active_test=False).search_count([])
        created = as_user.create(values)
        return created, before
    record = Model.create(_values(env, model, users, tag))
    if operation == "write":
        name, value = CHANGES[model]
        as_user.browse(record.id).write({name: value})
        return record
    as_user.browse(record.id).unlink()
    return record


@pytest.mark.parametrize(("model", "operation", "allowed", "refused"), MATRIX,
                         ids=[f"{m}-{o}" for m, o, _a, _r in MATRIX])
def test_rights_matrix(env, users, model, operation, allowed, refused):
    Model = env[model]  # noqa: N806
    # allowed
    user = getattr(users, allowed)
    outcome = _attempt(env, users, model, operation, user, "ok")
    if operation == "create":
        created, before = outcome
        assert created and Model.with_context(active_test=False).search_count([]) == before + 1
        assert created.create_uid == user
    elif operation == "write":
        name, value = CHANGES[model]
        outcome.invalidate_recordset()
        assert outcome[name] == value
        assert outcome.write_uid == user
    elif operation == "unlink":
        assert not outcome.exists()
    if refused is None:
        return
    # refused: an AccessError naming the model and the operation; nothing changed
    user = getattr(users, refused)
    count = Model.with_context(active_test=False).search_count([])
    record = None
    if operation in ("write", "unlink"):
        record = Model.create(_values(env, model, users, "target"))
        count += 1
        snapshot = record.read([CHANGES[model][0]])[0]
    with pytest.raises(AccessError) as info:
        if operation == "read":
            Model.with_user(user).search([])
        elif operation == "create":
            Model.with_user(user).create(_values(env, model, users, "refused"))
        elif operation == "write":
            name, value = CHANGES[model]
            Model.with_user(user).browse(record.id).write({name: value})
        else:
            Model.with_user(user).browse(record.id).unlink()
    message = str(info.value)
    assert f"({model})" in message and VERBS[operation] in message
    assert Model.with_context(active_test=False).search_count([]) == count
    if record is not None:
        record.invalidate_recordset()
        assert record.exists() and record.read([CHANGES[model][0]])[0] == snapshot


@pytest.mark.parametrize("method", ["read", "search_count", "read_group", "name_search",
                                    "search_read", "fields_get_ok"])
def test_reading_needs_the_read_right(env, users, method):
    """Every way of reading asks for the read right, not only search()."""
    Orders = env["ts.order"].with_user(users.plain)  # noqa: N806
    order = env["ts.order"].create({"name": "Secret order", "user_id": users.own.id})
    if method == "fields_get_ok":
        # describing the model is not reading its records
        assert "name" in Orders.fields_get()
        return
    env.invalidate_all()
    with pytest.raises(AccessError, match=r"\(ts\.order\)"):
        if method == "read":
            Orders.browse(order.id).read(["name"])
        elif method == "search_count":
            Orders.search_count([])
        elif method == "read_group":
            Orders.read_group([], ["amount:sum"], ["user_id"])
        elif method == "name_search":
            Orders.name_search("Secret")
        else:
            Orders.search_read([], ["name"])
    with pytest.raises(AccessError):
        Orders.browse(order.id).name  # noqa: B018 - reading a field


def test_rights_add_up_across_groups(env, users):
    """A right granted by any of the user's groups is enough (no group subtracts)."""
    order = env["ts.order"].create({"name": "O", "user_id": users.own.id})
    with pytest.raises(AccessError):
        order.with_user(users.own).unlink()
    users.own.groups_id = [(4, env.ref("ts_sales.group_all").id)]
    order.with_user(users.own).unlink()
    assert not order.exists()


def test_a_line_without_group_grants_everybody(env, users):
    Access = env["ir.model.access"]  # noqa: N806
    with pytest.raises(AccessError):
        env["ts.order"].with_user(users.portal).search([])
    line = Access.create({"name": "orders for all", "perm_read": True,
                          "model_id": env.ref("ts_sales.model_ts_order").id})
    assert env["ts.order"].with_user(users.portal).search([]) is not None
    line.active = False        # an archived line grants nothing
    with pytest.raises(AccessError):
        env["ts.order"].with_user(users.portal).search([])
