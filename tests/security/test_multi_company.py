"""Multi-company: two companies, users in one or both, the allowed_company_ids
context, global rules that isolate companies, check_company on links."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError, UserError
from tests.security.conftest import make_user


@pytest.fixture
def world(env, company_b):
    company_a = env.ref("base.main_company")
    group = ("ts_sales.group_all",)
    both = company_a | company_b
    w = {
        "a": company_a, "b": company_b,
        "user_a": make_user(env, "user_a", group, company_a),
        "user_b": make_user(env, "user_b", group, company_b),
        "user_ab": make_user(env, "user_ab", group, company_a, both),
        # works in B by default, may also work in A (whose id is smaller)
        "user_ba": make_user(env, "user_ba", group, company_b, both),
    }
    Orders = env["ts.order"]  # noqa: N806
    w["order_a"] = Orders.create({"name": "Order A", "company_id": company_a.id})
    w["order_b"] = Orders.create({"name": "Order B", "company_id": company_b.id})
    w["order_shared"] = Orders.create({"name": "Order shared", "company_id": False})
    w["partner_a"] = env["res.partner"].create({"name": "Partner A",
                                                "company_id": company_a.id})
    w["partner_b"] = env["res.partner"].create({"name": "Partner B",
                                                "company_id": company_b.id})
    w["partner_shared"] = env["res.partner"].create({"name": "Partner shared"})
    return w


def _names(records):
    return sorted(records.mapped("name"))


def test_users_see_the_records_of_their_companies(env, world):
    Orders = env["ts.order"]  # noqa: N806
    assert _names(Orders.with_user(world["user_a"]).search([])) == ["Order A", "Order shared"]
    assert _names(Orders.with_user(world["user_b"]).search([])) == ["Order B", "Order shared"]
    assert _names(Orders.with_user(world["user_ab"]).search([])) == \
        ["Order A", "Order B", "Order shared"]
    Partners = env["res.partner"]  # noqa: N806
    names = _names(Partners.with_user(world["user_a"]).search([("name", "like", "Partner ")]))
    assert names == ["Partner A", "Partner shared"]
    with pytest.raises(AccessError):
        world["order_b"].with_user(world["user_a"]).read(["name"])
    with pytest.raises(AccessError):
        world["order_b"].with_user(world["user_a"]).write({"amount": 1})
    with pytest.raises(AccessError):
        world["order_b"].with_user(world["user_a"]).unlink()
    with pytest.raises(AccessError):
        Orders.with_user(world["user_a"]).create({"name": "Into B",
                                                  "company_id": world["b"].id})
    assert not Orders.search([("name", "=", "Into B")])
    groups = Orders.with_user(world["user_a"]).read_group([], ["amount:sum"], ["company_id"])
    assert {g["company_id"] and g["company_id"][0] for g in groups} == {world["a"].id, False}


def test_allowed_company_ids_narrows_what_a_user_sees(env, world):
    Orders = env["ts.order"].with_user(world["user_ab"])  # noqa: N806
    only_b = Orders.with_context(allowed_company_ids=[world["b"].id])
    assert _names(only_b.search([])) == ["Order B", "Order shared"]
    only_a = Orders.with_context(allowed_company_ids=[world["a"].id])
    assert _names(only_a.search([])) == ["Order A", "Order shared"]
    both = Orders.with_context(allowed_company_ids=[world["b"].id, world["a"].id])
    assert _names(both.search([])) == ["Order A", "Order B", "Order shared"]
    # with_company puts the company first and keeps the others
    assert _names(Orders.with_company(world["b"]).search([])) == ["Order B", "Order shared"]
    # creating in a company that is not allowed in the context is refused
    with pytest.raises(AccessError):
        only_a.create({"name": "Into B", "company_id": world["b"].id})


def test_a_context_cannot_open_other_companies(env, world):
    """allowed_company_ids comes from the client: companies the user is not in are refused."""
    Orders = env["ts.order"].with_user(world["user_a"])  # noqa: N806
    with pytest.raises(AccessError):
        Orders.with_context(allowed_company_ids=[world["b"].id]).search([])
    with pytest.raises(AccessError):
        Orders.with_context(allowed_company_ids=[world["a"].id, world["b"].id]).search([])
    with pytest.raises(AccessError):
        world["order_b"].with_user(world["user_a"]).with_context(
            allowed_company_ids=[world["b"].id]).read(["name"])
    # sudo() is not restricted by companies
    assert _names(Orders.sudo().with_context(allowed_company_ids=[world["b"].id])
                  .search([])) == ["Order A", "Order B", "Order shared"]


def test_company_id_in_rules_is_the_current_company(env, world):
    """company_id in a rule is the first allowed company, else the user's company
    (not the smallest id of their companies); company_ids is all of them."""
    env["ir.rule"].create({"name": "current company only",
                           "model_id": env.ref("ts_sales.model_ts_order").id,
                           "domain_force": "['|', ('company_id', '=', False), "
                                           "('company_id', '=', company_id)]"})
    Orders = env["ts.order"]  # noqa: N806
    assert _names(Orders.with_user(world["user_ba"]).search([])) == ["Order B", "Order shared"]
    assert _names(Orders.with_user(world["user_ab"]).search([])) == ["Order A", "Order shared"]
    in_a = Orders.with_user(world["user_ba"]).with_context(
        allowed_company_ids=[world["a"].id, world["b"].id])
    assert _names(in_a.search([])) == ["Order A", "Order shared"]


def test_changing_a_users_companies_applies_at_once(env, world):
    Orders = env["ts.order"].with_user(world["user_a"])  # noqa: N806
    assert "Order B" not in _names(Orders.search([]))
    world["user_a"].company_ids = [(4, world["b"].id)]
    assert "Order B" in _names(Orders.search([]))
    # from the company's side of the relation too
    world["b"].user_ids = [(3, world["user_a"].id)]
    assert "Order B" not in _names(Orders.search([]))


def test_check_company_refuses_cross_company_links(env, world):
    Orders = env["ts.order"]  # noqa: N806
    with pytest.raises(UserError, match="Incompatible companies"):
        Orders.create({"name": "X", "company_id": world["a"].id,
                       "partner_id": world["partner_b"].id})
    assert not Orders.search([("name", "=", "X")])
    order = world["order_a"]
    with pytest.raises(UserError, match="Incompatible companies"):
        order.write({"partner_id": world["partner_b"].id})
    assert not order.partner_id
    order.write({"partner_id": world["partner_a"].id})
    order.write({"partner_id": world["partner_shared"].id})
    # changing the company of the record is checked against its links too
    order.write({"partner_id": world["partner_a"].id})
    with pytest.raises(UserError, match="Incompatible companies"):
        order.write({"company_id": world["b"].id})
    assert order.company_id == world["a"]
    # many2many with check_company
    Tags = env["ts.tag"]  # noqa: N806
    tag_a = Tags.create({"name": "tag A", "company_id": world["a"].id})
    tag_b = Tags.create({"name": "tag B", "company_id": world["b"].id})
    tag_shared = Tags.create({"name": "tag shared"})
    order.write({"tag_ids": [(6, 0, (tag_a | tag_shared).ids)]})
    with pytest.raises(UserError, match="Incompatible companies"):
        order.write({"tag_ids": [(4, tag_b.id)]})
    assert order.tag_ids == tag_a | tag_shared
    # a user in both companies is refused the same way
    with pytest.raises(UserError, match="Incompatible companies"):
        Orders.with_user(world["user_ab"]).create({
            "name": "Y", "company_id": world["b"].id, "partner_id": world["partner_a"].id})
    # a record without company may link anything
    world["order_shared"].write({"partner_id": world["partner_b"].id})


def test_branches_may_use_their_parent_companys_records(env, world):
    branch = env["res.company"].create({"name": "A branch", "parent_id": world["a"].id})
    order = env["ts.order"].create({"name": "Branch order", "company_id": branch.id,
                                    "partner_id": world["partner_a"].id})
    assert order.partner_id == world["partner_a"]
    with pytest.raises(UserError, match="Incompatible companies"):
        env["ts.order"].create({"name": "Parent order", "company_id": world["a"].id,
                                "partner_id": env["res.partner"].create(
                                    {"name": "Of the branch", "company_id": branch.id}).id})
