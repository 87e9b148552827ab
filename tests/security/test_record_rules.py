"""Record rules (ir.rule) on ts.order: "own documents only" for
ts_sales.group_own, "all documents" for ts_sales.group_all, a global
multi-company rule and a global rule that forbids changing locked orders.

Rules are SQL in every search (search, search_count, read_group,
name_search, domains through relational fields) and checked on read,
write, unlink and create.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.exceptions import AccessError, MissingError, ValidationError


@pytest.fixture
def orders(env, users):
    Orders = env["ts.order"]  # noqa: N806
    partner = env["res.partner"].create({"name": "Shared Customer"})
    return {
        "mine": Orders.create({"name": "Mine", "user_id": users.own.id, "amount": 10,
                               "partner_id": partner.id}),
        "mine_locked": Orders.create({"name": "Mine locked", "user_id": users.own.id,
                                      "amount": 20, "locked": True}),
        "theirs": Orders.create({"name": "Theirs", "user_id": users.own2.id, "amount": 30,
                                 "partner_id": partner.id}),
        "nobodys": Orders.create({"name": "Nobody's", "user_id": False, "amount": 40}),
    }


def _ids(*records):
    return sorted(record.id for record in records)


def test_search_own_documents_vs_all(env, users, orders):
    own = env["ts.order"].with_user(users.own)
    assert sorted(own.search([]).ids) == _ids(orders["mine"], orders["mine_locked"])
    assert own.search([("amount", ">", 15)]).ids == [orders["mine_locked"].id]
    assert own.search_count([]) == 2
    assert own.search_count([("name", "=", "Theirs")]) == 0
    every = env["ts.order"].with_user(users.all)
    assert sorted(every.search([]).ids) == _ids(*orders.values())
    assert every.search_count([]) == 4


def test_rules_are_sql_not_python_filters(env, users, orders, count_queries_env):
    """A limited search returns `limit` visible records: the rule is in the WHERE clause."""
    own = env["ts.order"].with_user(users.own)
    for i in range(5):
        env["ts.order"].create({"name": f"Other {i}", "user_id": users.own2.id})
    assert own.search([], limit=1, order="id desc").ids == [orders["mine_locked"].id]
    statements = count_queries_env(lambda: own.search([]))
    select = [s for s in statements if "ts_order" in s and s.lstrip().upper().startswith(
        "SELECT")]
    assert select and "user_id" in select[-1]


@pytest.fixture
def count_queries_env(env):
    def run(function):
        seen: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        engine = env.connection.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            function()
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        return seen
    return run


def test_read_group_and_name_search(env, users, orders):
    own = env["ts.order"].with_user(users.own)
    groups = own.read_group([], ["amount:sum"], ["user_id"])
    assert [(g["user_id"][0], g["amount"], g["user_id_count"]) for g in groups] == \
        [(users.own.id, 30.0, 2)]
    assert own.read_group([], ["amount:sum"], [])[0]["amount"] == 30.0
    assert [name for _id, name in own.name_search("")] == ["Mine", "Mine locked"]
    assert own.name_search("Theirs") == []
    every = env["ts.order"].with_user(users.all)
    assert every.read_group([], ["amount:sum"], [])[0]["amount"] == 100.0
    assert every.name_search("Theirs") == [(orders["theirs"].id, "Theirs")]


def test_read_of_a_hidden_record(env, users, orders):
    theirs = orders["theirs"].with_user(users.own)
    env.invalidate_all()
    with pytest.raises(AccessError, match=r"\(ts\.order\)"):
        theirs.read(["name"])
    with pytest.raises(AccessError):
        theirs.name  # noqa: B018
    # the same when the values are in the cache already (read by the superuser)
    assert orders["theirs"].name == "Theirs"
    with pytest.raises(AccessError, match=r"\(ts\.order\)"):
        theirs.read(["name"])
    with pytest.raises(AccessError):
        theirs.read(["display_name"])
    with pytest.raises(AccessError):
        env["ts.order"].with_user(users.own).browse(
            [orders["mine"].id, orders["theirs"].id]).read(["name", "amount"])
    # visible ones read fine; deleted ones are a MissingError, not an AccessError
    assert orders["mine"].with_user(users.own).read(["name"])[0]["name"] == "Mine"
    gone = env["ts.order"].create({"name": "Gone", "user_id": users.own.id})
    gone.unlink()
    env.invalidate_all()
    assert gone.with_user(users.own).read(["name"]) == []
    with pytest.raises(MissingError):
        gone.with_user(users.own).name  # noqa: B018


def test_write_of_a_hidden_record(env, users, orders):
    theirs = orders["theirs"]
    with pytest.raises(AccessError, match=r"modify .*\(ts\.order\)"):
        theirs.with_user(users.own).write({"amount": 0})
    with pytest.raises(AccessError):
        (orders["mine"] | theirs).with_user(users.own).write({"amount": 0})
    env.invalidate_all()
    assert theirs.amount == 30 and orders["mine"].amount == 10
    # visible for reading, but a global rule forbids changing locked orders
    locked = orders["mine_locked"]
    assert locked.with_user(users.own).read(["name"])
    with pytest.raises(AccessError):
        locked.with_user(users.own).write({"amount": 0})
    with pytest.raises(AccessError):
        locked.with_user(users.all).write({"amount": 0})
    env.invalidate_all()
    assert locked.amount == 20
    orders["mine"].with_user(users.own).write({"amount": 11})
    assert orders["mine"].amount == 11
    theirs.with_user(users.all).write({"amount": 31})
    assert theirs.amount == 31


def test_unlink_of_a_hidden_record(env, users, orders):
    env.ref("ts_sales.access_ts_order_own").perm_unlink = True   # own users may delete
    with pytest.raises(AccessError, match=r"delete .*\(ts\.order\)"):
        orders["theirs"].with_user(users.own).unlink()
    with pytest.raises(AccessError):
        orders["mine_locked"].with_user(users.all).unlink()
    assert orders["theirs"].exists() and orders["mine_locked"].exists()
    orders["mine"].with_user(users.own).unlink()
    orders["nobodys"].with_user(users.all).unlink()
    assert not orders["mine"].exists() and not orders["nobodys"].exists()


def test_create_is_checked_after_insert_and_rolled_back(env, users):
    Orders = env["ts.order"]  # noqa: N806
    before = Orders.search_count([])
    with pytest.raises(AccessError, match=r"create .*\(ts\.order\)"):
        Orders.with_user(users.own).create({"name": "For someone else",
                                            "user_id": users.own2.id})
    with pytest.raises(AccessError):
        Orders.with_user(users.own).create([{"name": "Batch ok", "user_id": users.own.id},
                                            {"name": "Batch bad", "user_id": users.own2.id}])
    assert Orders.search_count([]) == before
    assert not Orders.search([("name", "in", ["For someone else", "Batch ok", "Batch bad"])])
    mine = Orders.with_user(users.own).create({"name": "For me"})
    assert mine.user_id == users.own and mine.create_uid == users.own
    assert Orders.with_user(users.all).create({"name": "For them", "user_id": users.own2.id})


def test_related_paths_do_not_reveal_hidden_records(env, users, orders, company_b):
    """A user cannot find a record through a relational path to a record the
    rules hide (partner_id.name, order_ids.name)."""
    hidden_partner = env["res.partner"].create({"name": "Customer of B",
                                                "company_id": company_b.id})
    env["ts.order"].create({"name": "Shared order", "user_id": users.own.id,
                            "company_id": False, "partner_id": hidden_partner.id})
    Orders = env["ts.order"].with_user(users.own)  # noqa: N806
    assert not env["res.partner"].with_user(users.own).search([("name", "=", "Customer of B")])
    assert Orders.search([("partner_id", "=", hidden_partner.id)])   # the link itself
    assert not Orders.search([("partner_id.name", "=", "Customer of B")])
    assert not Orders.search([("partner_id.name", "ilike", "of B")])
    assert Orders.search([("partner_id.name", "=", "Shared Customer")]).ids == \
        [orders["mine"].id]
    assert Orders.search_count([("partner_id.name", "=", "Customer of B")]) == 0
    assert Orders.read_group([("partner_id.name", "=", "Customer of B")],
                             ["amount:sum"], [])[0]["__count"] == 0
    Partners = env["res.partner"].with_user(users.own)  # noqa: N806
    only_theirs = env["res.partner"].create({"name": "Their customer"})
    env["ts.order"].create({"name": "Their deal", "user_id": users.own2.id,
                            "partner_id": only_theirs.id})
    assert not Partners.search([("order_ids.name", "=", "Their deal")])
    assert not Partners.search([("order_ids.name", "=", "Theirs")])
    assert Partners.search([("order_ids.name", "=", "Mine")]).name == "Shared Customer"
    # the superuser finds everything
    assert env["res.partner"].search([("order_ids.name", "=", "Their deal")]) == only_theirs


def test_x2many_leaves_do_not_reveal_hidden_targets(env, users, orders):
    """('order_ids', '!=', False) and ('order_ids', 'in', ids) see only the
    orders the user may read."""
    only_theirs = env["res.partner"].create({"name": "Their customer"})
    theirs = env["ts.order"].create({"name": "Their deal", "user_id": users.own2.id,
                                     "partner_id": only_theirs.id})
    Partners = env["res.partner"].with_user(users.own)  # noqa: N806
    with_orders = Partners.search([("order_ids", "!=", False)])
    assert only_theirs not in with_orders
    assert only_theirs in Partners.search([("order_ids", "=", False)])
    assert not Partners.search([("order_ids", "in", [theirs.id])])
    assert env["res.partner"].search([("order_ids", "in", [theirs.id])]) == only_theirs


def test_x2many_read_hides_rule_hidden_targets(env, users, orders):
    partner = orders["mine"].partner_id
    assert set(partner.order_ids.ids) == {orders["mine"].id, orders["theirs"].id}
    assert partner.with_user(users.own).read(["order_ids"])[0]["order_ids"] == \
        [orders["mine"].id]
    assert set(partner.with_user(users.all).read(["order_ids"])[0]["order_ids"]) == \
        {orders["mine"].id, orders["theirs"].id}


def test_rules_per_operation(env, users, orders):
    """The locked rule applies to write and unlink only: reading is not restricted."""
    locked = orders["mine_locked"]
    assert locked in env["ts.order"].with_user(users.own).search([])
    rule = env.ref("ts_sales.ts_order_rule_locked")
    rule.perm_read = True
    assert locked not in env["ts.order"].with_user(users.own).search([])


def test_global_rules_and_group_rules_combine(env, users, orders):
    """Group rules are OR-ed, then AND-ed with the global ones."""
    Rule = env["ir.rule"]  # noqa: N806
    model = env.ref("ts_sales.model_ts_order")
    extra = env["res.groups"].create({"name": "Big deals"})
    users.own.groups_id = [(4, extra.id)]
    Rule.create({"name": "big deals", "model_id": model.id, "groups": [(6, 0, extra.ids)],
                 "domain_force": "[('amount', '>=', 30)]"})
    own = env["ts.order"].with_user(users.own)
    # own orders OR big deals
    assert sorted(own.search([]).ids) == _ids(orders["mine"], orders["mine_locked"],
                                             orders["theirs"], orders["nobodys"])
    Rule.create({"name": "global: not Nobody's", "model_id": model.id,
                 "domain_force": "[('name', '!=', \"Nobody's\")]"})
    assert sorted(own.search([]).ids) == _ids(orders["mine"], orders["mine_locked"],
                                             orders["theirs"])
    # a rule of a group the user is not in changes nothing for them
    Rule.create({"name": "others", "model_id": model.id,
                 "groups": [(6, 0, env.ref("base.group_system").ids)],
                 "domain_force": "[(0, '=', 1)]"})
    assert len(own.search([])) == 3


def test_rule_domains_use_a_restricted_evaluator(env, users, orders):
    from core.security.rule_eval import eval_rule_domain

    user = users.own
    assert eval_rule_domain("[('user_id', '=', user.id)]", {"user": user}) == \
        [("user_id", "=", user.id)]
    assert eval_rule_domain("[('partner_id', '=', user.partner_id.id)]", {"user": user}) == \
        [("partner_id", "=", user.partner_id.id)]
    year = eval_rule_domain("[('create_date', '>=', time.strftime('%Y-01-01'))]", {})
    assert year[0][2].endswith("-01-01")
    for source in ["__import__('os').system('true')", "[user.__class__]",
                   "[().__class__.__bases__]", "[user.sudo()]", "[user.write({})]",
                   "[open('/etc/passwd')]", "[(lambda: 1)()]", "[x for x in [1]]",
                   "[user.env]", "[time.sleep(1)]", "[2 ** 100000]", "user"]:
        with pytest.raises(ValueError):
            eval_rule_domain(source, {"user": user})
    # a rule with a forbidden expression refuses access rather than grant it
    rule = env.ref("ts_sales.ts_order_rule_own")
    env.execute(rule._table_obj.update().where(rule._table_obj.c.id == rule.id)
                .values(domain_force="[('user_id', '=', user.__class__)]"))
    env.invalidate_all()
    from core.security import access

    access.invalidate(env)
    with pytest.raises(ValueError):
        env["ts.order"].with_user(users.own).search([])


@pytest.mark.parametrize("source", [
    "[('user_id', '=', user.__class__)]",          # refused by the evaluator
    "[('no_such_field', '=', 1)]",                 # not a field of the model
    "[('user_id', 'bad operator', 1)]",
    "('user_id', '=', 1",                          # not Python
    "{'user_id': 1}",                              # not a list
])
def test_invalid_rule_domains_are_refused_when_saved(env, source):
    with pytest.raises(ValidationError, match="Invalid domain"):
        env["ir.rule"].create({"name": "bad", "model_id": env.ref("ts_sales.model_ts_order").id,
                               "domain_force": source})
    rule = env.ref("ts_sales.ts_order_rule_own")
    with pytest.raises(ValidationError, match="Invalid domain"):
        rule.domain_force = source
