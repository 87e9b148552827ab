"""Domains: parsing, every operator, paths through relations, ordering, safety.

The reference for what users expect is Odoo 17: ``!=`` keeps the rows
whose value is empty, ``not in [.., False]`` drops them, negative
operators on an x2many path mean "no line matches", and so on.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from core import fields, models
from core.exceptions import UserError
from core.orm import domain as dom
from tests.orm.sample_models import ALL


class Item(models.Model):
    """Every scalar type, for the operator tests."""

    _name = "td.item"
    _description = "Domain test item"
    _order = "id"

    name = fields.Char()
    code = fields.Char()
    qty = fields.Integer()
    price = fields.Float()
    flag = fields.Boolean()
    day = fields.Date()
    moment = fields.Datetime()
    kind = fields.Selection([("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")])
    partner_id = fields.Many2one("test.partner")
    category_id = fields.Many2one("test.category")
    tag_ids = fields.Many2many("test.tag")


MODELS = [*ALL, Item]

CLEAR_ERRORS = (ValueError, UserError)


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------
@pytest.fixture
def world(env):
    """Countries, tags, partners (one archived, one child), orders with lines."""
    Country, Tag, Partner = env["test.country"], env["test.tag"], env["test.partner"]
    at = Country.create({"name": "Austria", "code": "AT"})
    ch = Country.create({"name": "Switzerland", "code": "CH"})
    de = Country.create({"name": "Germany", "code": "DE"})
    vip = Tag.create({"name": "VIP"})
    new = Tag.create({"name": "New"})
    old = Tag.create({"name": "Old", "active": False})
    acme = Partner.create({"name": "Acme", "country_id": de.id, "is_company": True,
                           "email": "info@acme.example", "credit_limit": 1000,
                           "tag_ids": [(6, 0, [vip.id, new.id])]})
    beta = Partner.create({"name": "Beta", "country_id": ch.id, "is_company": True,
                           "credit_limit": 500, "tag_ids": [(6, 0, [new.id])]})
    gamma = Partner.create({"name": "Gamma"})
    sales = Partner.create({"name": "Acme Sales", "parent_id": acme.id, "country_id": at.id,
                            "email": "sales@acme.example", "tag_ids": [(6, 0, [old.id])]})
    ghost = Partner.create({"name": "Ghost", "active": False, "country_id": de.id})
    Order = env["test.order"]
    o1 = Order.create({"name": "SO1", "partner_id": acme.id, "state": "sale",
                       "date_order": "2024-01-15",
                       "line_ids": [(0, 0, {"product": "LED", "quantity": 10, "price_unit": 2}),
                                    (0, 0, {"product": "Driver", "quantity": 1,
                                            "price_unit": 5})]})
    o2 = Order.create({"name": "SO2", "partner_id": acme.id, "state": "draft",
                       "date_order": "2024-02-01",
                       "line_ids": [(0, 0, {"product": "Cable", "quantity": 3,
                                            "price_unit": 1})]})
    o3 = Order.create({"name": "SO3", "partner_id": beta.id, "state": "draft",
                       "date_order": "2024-03-01",
                       "line_ids": [(0, 0, {"product": "LED", "quantity": 1,
                                            "price_unit": 2})]})
    o4 = Order.create({"name": "SO4", "partner_id": sales.id, "state": "cancel",
                       "date_order": "2023-12-31"})
    return dict(at=at, ch=ch, de=de, vip=vip, new=new, old=old, acme=acme, beta=beta,
                gamma=gamma, sales=sales, ghost=ghost, o1=o1, o2=o2, o3=o3, o4=o4)


@pytest.fixture
def items(env, world):
    """Items with values and with NULLs in every column."""
    Item = env["td.item"]
    one = Item.create({"name": "one", "code": "A1", "qty": 1, "price": 1.5, "flag": True,
                       "day": "2024-01-01", "moment": "2024-01-01 10:00:00", "kind": "a",
                       "partner_id": world["acme"].id, "tag_ids": [(6, 0, [world["vip"].id])]})
    two = Item.create({"name": "two", "code": "B2", "qty": 2, "price": 2.5, "flag": False,
                       "day": "2024-06-30", "moment": "2024-06-30 23:59:59", "kind": "b",
                       "partner_id": world["beta"].id})
    three = Item.create({"name": "three", "code": "a3", "qty": 3, "price": 0.0,
                         "day": "2025-01-01", "kind": "c", "partner_id": world["sales"].id})
    empty = Item.create({})
    return dict(one=one, two=two, three=three, empty=empty)


def names(records):
    return sorted(records.mapped("name"))


def ids(records):
    return set(records.ids)


# ---------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------
def test_parse_implicit_and():
    tree = dom.parse([("a", "=", 1), ("b", "=", 2), ("c", "=", 3)])
    assert tree == dom.And((dom.Leaf("a", "=", 1), dom.Leaf("b", "=", 2),
                            dom.Leaf("c", "=", 3)))


def test_parse_prefix_operators():
    tree = dom.parse(["|", ("a", "=", 1), "!", ("b", "=", 2)])
    assert tree == dom.Or((dom.Leaf("a", "=", 1), dom.Not(dom.Leaf("b", "=", 2))))
    tree = dom.parse(["&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)])
    assert tree == dom.And((dom.Or((dom.Leaf("a", "=", 1), dom.Leaf("b", "=", 2))),
                            dom.Leaf("c", "=", 3)))
    # an explicit '&' followed by an implicit one
    tree = dom.parse(["|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)])
    assert tree == dom.And((dom.Or((dom.Leaf("a", "=", 1), dom.Leaf("b", "=", 2))),
                            dom.Leaf("c", "=", 3)))


def test_parse_nested_or_is_flattened():
    tree = dom.parse(["|", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)])
    assert tree == dom.Or((dom.Leaf("a", "=", 1), dom.Leaf("b", "=", 2),
                           dom.Leaf("c", "=", 3)))


def test_parse_accepts_a_tree():
    tree = dom.parse([("a", "=", 1)])
    assert dom.parse(tree) is tree


def test_parse_empty_and_constants():
    assert dom.parse([]) == dom.TRUE
    assert dom.parse(None) == dom.TRUE
    assert dom.parse([(1, "=", 1)]) == dom.TRUE
    assert dom.parse([(0, "=", 1)]) == dom.FALSE


def test_parse_normalises_operators():
    assert dom.parse([("a", "<>", 1)]) == dom.Leaf("a", "!=", 1)
    assert dom.parse([("a", "ILIKE", "x")]) == dom.Leaf("a", "ilike", "x")
    # a single value after 'in' becomes a list
    assert dom.parse([("a", "in", 5)]) == dom.Leaf("a", "in", [5])
    # lists inside a term are accepted as well as tuples
    assert dom.parse([["a", "=", 1]]) == dom.Leaf("a", "=", 1)


@pytest.mark.parametrize("domain", [
    ["&", ("a", "=", 1)],
    ["|"],
    ["!"],
    [("a", "=", 1), "!"],
    [("a", "=")],
    [("a", "=", 1, 2)],
    [42],
    [None],
    ["a = 1"],
    "a = 1",
    [("", "=", 1)],
    [(None, "=", 1)],
    [("a", "eq", 1)],
    [("a", "=like=", 1)],
    [("a", None, 1)],
    [("a", "like; drop table x", 1)],
], ids=repr)
def test_parse_malformed_raises_value_error(domain):
    with pytest.raises(ValueError):
        dom.parse(domain)


@pytest.mark.parametrize("domain", [
    ["&", ("name", "=", "x")],
    [("name", "=")],
    [("name", "eq", "x")],
    [("nope", "=", 1)],
    [("country_id.nope", "=", 1)],
    [("name.foo", "=", 1)],
    [("parent_id.parent_id.nope", "=", 1)],
    [("order_ids.nope", "=", 1)],
    [("tag_ids.nope", "=", 1)],
    [("name", "any", [("x", "=", 1)])],
    [("country_id", "any", [("nope", "=", 1)])],
    [("order_count", "=", 1)],
    [("country_id", "ilike", 5)],
    [("country_id", "any", "Germany")],
    [("order_ids", "any", [("nope", "=", 1)])],
    [("tag_ids", "<", 3)],
    [("name", "child_of", 1)],
    [("credit_limit", "parent_of", 1)],
    ["|", ("name", "=", "x"), ("nope", "=", 1)],
    ["!", ("nope", "=", 1)],
], ids=repr)
def test_search_with_bad_domain_raises_value_error(env, domain):
    with pytest.raises(ValueError):
        env["test.partner"].search(domain)
    with pytest.raises(ValueError):
        env["test.partner"].search_count(domain)


@pytest.mark.parametrize("domain", [
    [("qty", "=", "many")],
    [("price", ">", "cheap")],
    [("day", ">", "not a date")],
    [("moment", "<", "yesterday")],
], ids=repr)
def test_badly_typed_values_raise_clear_errors(env, items, domain):
    with pytest.raises(CLEAR_ERRORS):
        env["td.item"].search(domain)


def test_error_names_the_field(env):
    with pytest.raises(ValueError, match="nope"):
        env["test.partner"].search([("nope", "=", 1)])
    with pytest.raises(ValueError, match="eq"):
        env["test.partner"].search([("name", "eq", 1)])


def test_hierarchy_operator_on_model_without_parent_raises(env, world):
    with pytest.raises(ValueError):
        env["test.country"].search([("id", "child_of", world["de"].id)])


# ---------------------------------------------------------------------------
# comparison operators on scalars, with NULLs
# ---------------------------------------------------------------------------
def test_equal_and_not_equal(env, items):
    Item = env["td.item"]
    assert names(Item.search([("code", "=", "A1")])) == ["one"]
    assert names(Item.search([("qty", "=", 2)])) == ["two"]
    assert names(Item.search([("price", "=", 2.5)])) == ["two"]
    assert names(Item.search([("kind", "=", "c")])) == ["three"]
    assert names(Item.search([("day", "=", "2024-06-30")])) == ["two"]
    assert names(Item.search([("day", "=", dt.date(2024, 6, 30))])) == ["two"]
    # '=' is case sensitive
    assert not Item.search([("code", "=", "a1")])
    # != keeps the rows without a value (Odoo)
    assert ids(Item.search([("code", "!=", "A1")])) == ids(
        items["two"] | items["three"] | items["empty"])
    assert ids(Item.search([("qty", "!=", 2)])) == ids(
        items["one"] | items["three"] | items["empty"])
    assert ids(Item.search([("kind", "<>", "a")])) == ids(
        items["two"] | items["three"] | items["empty"])
    assert ids(Item.search([("day", "!=", "2024-01-01")])) == ids(
        items["two"] | items["three"] | items["empty"])


def test_equal_false_means_empty(env, items):
    Item = env["td.item"]
    assert ids(Item.search([("name", "=", False)])) == ids(items["empty"])
    assert ids(Item.search([("qty", "=", False)])) == ids(items["empty"])
    assert ids(Item.search([("day", "=", False)])) == ids(items["empty"])
    assert ids(Item.search([("moment", "=", False)])) == ids(items["three"] | items["empty"])
    assert ids(Item.search([("kind", "=", False)])) == ids(items["empty"])
    assert ids(Item.search([("partner_id", "=", False)])) == ids(items["empty"])
    assert ids(Item.search([("name", "=", None)])) == ids(items["empty"])
    assert ids(Item.search([("name", "!=", False)])) == ids(
        items["one"] | items["two"] | items["three"])
    assert ids(Item.search([("partner_id", "!=", False)])) == ids(
        items["one"] | items["two"] | items["three"])


def test_negation_is_the_complement(env, items):
    """'!' selects the records the inner domain does not select, NULLs included."""
    Item = env["td.item"]
    everything = ids(Item.search([]))
    for domain in ([("qty", "=", 2)], [("code", "ilike", "a")], [("qty", "<", 2)],
                   [("day", ">=", "2024-06-30")], [("partner_id.name", "=", "Beta")],
                   [("flag", "=", True)], [("kind", "in", ["a", "b"])],
                   ["|", ("qty", "=", 1), ("code", "=", "B2")],
                   ["&", ("qty", ">", 1), ("price", ">", 1)]):
        positive = ids(Item.search(domain))
        assert ids(Item.search(["!", *domain])) == everything - positive, domain
    assert ids(Item.search(["!", ("qty", "=", 2)])) == ids(
        items["one"] | items["three"] | items["empty"])
    assert ids(Item.search(["!", "!", ("qty", "=", 2)])) == ids(items["two"])
    assert ids(Item.search(["!", ("name", "ilike", "o")])) == ids(
        items["three"] | items["empty"])


def test_qty_zero_is_not_null(env, items):
    Item = env["td.item"]
    zero = Item.create({"name": "zero", "qty": 0, "price": 0.0})
    assert zero in Item.search([("qty", "=", 0)])
    assert zero not in Item.search([("qty", "=", False)])
    assert items["empty"] not in Item.search([("qty", "=", 0)])
    assert ids(Item.search([("price", "=", 0)])) == ids(zero | items["three"])


def test_boolean_false_includes_null(env, items):
    Item = env["td.item"]
    assert ids(Item.search([("flag", "=", True)])) == ids(items["one"])
    expected = ids(items["two"] | items["three"] | items["empty"])
    assert ids(Item.search([("flag", "=", False)])) == expected
    assert ids(Item.search([("flag", "!=", True)])) == expected
    assert ids(Item.search([("flag", "!=", False)])) == ids(items["one"])
    assert ids(Item.search([("flag", "in", [False])])) == expected
    assert ids(Item.search([("flag", "not in", [False])])) == ids(items["one"])
    assert ids(Item.search([("flag", "in", [True, False])])) == ids(Item.search([]))


def test_empty_string_counts_as_empty_for_text(env, items):
    Item = env["td.item"]
    blank = Item.create({"name": "blank", "code": ""})
    assert blank in Item.search([("code", "=", False)])
    assert blank not in Item.search([("code", "!=", False)])


@pytest.mark.parametrize("operator, value, expected", [
    ("<", 2, ["one"]),
    ("<=", 2, ["one", "two"]),
    (">", 2, ["three"]),
    (">=", 2, ["three", "two"]),
    ("<", 100, ["one", "three", "two"]),
])
def test_ordering_comparisons_exclude_null(env, items, operator, value, expected):
    Item = env["td.item"]
    assert names(Item.search([("qty", operator, value)])) == expected


def test_ordering_comparisons_on_other_types(env, items):
    Item = env["td.item"]
    assert names(Item.search([("price", ">", 1.5)])) == ["two"]
    assert names(Item.search([("price", ">=", 0)])) == ["one", "three", "two"]
    assert names(Item.search([("day", "<", "2024-06-30")])) == ["one"]
    assert names(Item.search([("day", ">=", dt.date(2024, 6, 30))])) == ["three", "two"]
    assert names(Item.search([("moment", ">", "2024-06-30 12:00:00")])) == ["two"]
    assert names(Item.search([("moment", "<", dt.datetime(2024, 6, 30))])) == ["one"]
    assert names(Item.search([("code", ">", "B")])) == ["three", "two"]
    # comparing to False matches nothing
    assert not Item.search([("qty", "<", False)])
    assert not Item.search([("qty", ">", False)])


def test_in_and_not_in(env, items):
    Item = env["td.item"]
    assert names(Item.search([("qty", "in", [1, 3])])) == ["one", "three"]
    assert names(Item.search([("qty", "in", (1, 3))])) == ["one", "three"]
    assert names(Item.search([("code", "in", ["A1", "B2", "zz"])])) == ["one", "two"]
    assert names(Item.search([("kind", "in", ["a"])])) == ["one"]
    assert not Item.search([("qty", "in", [])])
    # not in keeps NULL rows (as != does) ...
    assert ids(Item.search([("qty", "not in", [1, 3])])) == ids(items["two"] | items["empty"])
    assert ids(Item.search([("qty", "not in", [])])) == ids(Item.search([]))
    # ... unless False is in the list
    assert ids(Item.search([("qty", "not in", [1, 3, False])])) == ids(items["two"])
    assert ids(Item.search([("qty", "in", [1, False])])) == ids(items["one"] | items["empty"])
    assert ids(Item.search([("code", "in", [False])])) == ids(items["empty"])
    assert ids(Item.search([("code", "not in", [False])])) == ids(
        items["one"] | items["two"] | items["three"])
    assert ids(Item.search([("partner_id", "in", [False])])) == ids(items["empty"])
    assert ids(Item.search([("day", "not in", ["2024-01-01", False])])) == ids(
        items["two"] | items["three"])


def test_datetime_compared_to_a_date(env, items):
    """As Odoo: a date alone means the start of that day, or its end for > and <=."""
    Item = env["td.item"]
    assert names(Item.search([("moment", "<=", "2024-06-30")])) == ["one", "two"]
    assert names(Item.search([("moment", ">", "2024-06-30")])) == []
    assert names(Item.search([("moment", ">=", "2024-06-30")])) == ["two"]
    assert names(Item.search([("moment", "<", "2024-06-30")])) == ["one"]
    assert names(Item.search([("moment", "<=", dt.date(2024, 1, 1))])) == ["one"]
    assert names(Item.search([("moment", ">", dt.date(2024, 1, 1))])) == ["two"]
    assert names(Item.search([("moment", ">=", dt.date(2024, 1, 1))])) == ["one", "two"]


def test_in_with_a_single_value(env, items):
    Item = env["td.item"]
    assert names(Item.search([("qty", "in", 2)])) == ["two"]
    assert ids(Item.search([("qty", "not in", 2)])) == ids(
        items["one"] | items["three"] | items["empty"])


# ---------------------------------------------------------------------------
# like operators
# ---------------------------------------------------------------------------
def test_like_is_case_sensitive_substring(env, items):
    Item = env["td.item"]
    assert names(Item.search([("name", "like", "o")])) == ["one", "two"]
    assert names(Item.search([("name", "like", "O")])) == []
    assert names(Item.search([("code", "like", "a")])) == ["three"]


def test_ilike_is_case_insensitive_substring(env, items):
    Item = env["td.item"]
    assert names(Item.search([("code", "ilike", "a")])) == ["one", "three"]
    assert names(Item.search([("name", "ilike", "HRE")])) == ["three"]


def test_not_like_and_not_ilike_include_null(env, items):
    Item = env["td.item"]
    assert ids(Item.search([("code", "not like", "a")])) == ids(
        items["one"] | items["two"] | items["empty"])
    assert ids(Item.search([("code", "not ilike", "a")])) == ids(items["two"] | items["empty"])


def test_like_with_empty_value_matches_everything(env, items):
    Item = env["td.item"]
    assert ids(Item.search([("code", "ilike", "")])) == ids(Item.search([]))


def test_equal_like_uses_patterns_as_given(env, items):
    Item = env["td.item"]
    assert names(Item.search([("code", "=like", "A%")])) == ["one"]
    assert names(Item.search([("code", "=ilike", "a%")])) == ["one", "three"]
    assert names(Item.search([("code", "=like", "_2")])) == ["two"]
    assert names(Item.search([("code", "=ilike", "b2")])) == ["two"]
    # no implicit wildcards
    assert names(Item.search([("code", "=like", "A")])) == []
    assert names(Item.search([("code", "=ilike", "a")])) == []


def test_like_wildcards_in_values_are_literal(env, items):
    Item = env["td.item"]
    pct = Item.create({"name": "100% cotton", "code": "X_1"})
    Item.create({"name": "1000 cotton", "code": "XY1"})
    back = Item.create({"name": "back\\slash", "code": "Z"})
    assert ids(Item.search([("name", "ilike", "100%")])) == ids(pct)
    assert ids(Item.search([("name", "like", "0% c")])) == ids(pct)
    assert ids(Item.search([("code", "ilike", "x_")])) == ids(pct)
    assert ids(Item.search([("code", "like", "_")])) == ids(pct)
    assert ids(Item.search([("name", "ilike", "%")])) == ids(pct)
    assert ids(Item.search([("name", "ilike", "k\\s")])) == ids(back)
    assert pct not in Item.search([("name", "not ilike", "100%")])
    # =like keeps its wildcards: it takes a pattern
    assert len(Item.search([("code", "=like", "X_1")])) == 2


def test_like_on_non_text_columns(env, items):
    Item = env["td.item"]
    assert names(Item.search([("qty", "like", "2")])) == ["two"]
    assert names(Item.search([("day", "like", "2024-06")])) == ["two"]


def test_ilike_folds_non_ascii_letters(env):
    Item = env["td.item"]
    umlaut = Item.create({"name": "ÄRGER GmbH"})
    lower = Item.create({"name": "ärger und Ölwechsel"})
    assert ids(Item.search([("name", "ilike", "ärger")])) == ids(umlaut | lower)
    assert ids(Item.search([("name", "ilike", "ÄRGER")])) == ids(umlaut | lower)
    assert ids(Item.search([("name", "ilike", "ölWECHSEL")])) == ids(lower)
    assert ids(Item.search([("name", "=ilike", "ärger gmbh")])) == ids(umlaut)
    assert ids(Item.search([("name", "not ilike", "ärger")])) == set()
    # like stays case sensitive
    assert ids(Item.search([("name", "like", "ärger")])) == ids(lower)


def test_chinese_substring_matching(env):
    Item = env["td.item"]
    taipei = Item.create({"name": "台北市信義區"})
    new_taipei = Item.create({"name": "新北市板橋區"})
    Item.create({"name": "高雄市"})
    assert ids(Item.search([("name", "ilike", "台北")])) == ids(taipei)
    assert ids(Item.search([("name", "like", "北市")])) == ids(taipei | new_taipei)
    assert ids(Item.search([("name", "=", "台北市信義區")])) == ids(taipei)
    assert ids(Item.search([("name", "=like", "%板橋_")])) == ids(new_taipei)


def test_ilike_on_translated_field(env, world):
    Country = env["test.country"]
    assert Country.search([("name", "ilike", "germ")]) == world["de"]
    assert Country.search([("name", "=", "Austria")]) == world["at"]


# ---------------------------------------------------------------------------
# the id field
# ---------------------------------------------------------------------------
def test_display_name_is_searchable(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("display_name", "ilike", "acm")]) == world["acme"] | world["sales"]
    assert Partner.search([("display_name", "=", "Beta")]) == world["beta"]


def test_id_operators(env, world):
    Partner = env["test.partner"]
    acme, beta = world["acme"], world["beta"]
    assert Partner.search([("id", "=", acme.id)]) == acme
    assert Partner.search([("id", "in", [acme.id, beta.id])]) == acme | beta
    assert Partner.search([("id", "in", acme | beta)]) == acme | beta
    assert Partner.search([("id", "in", Partner.browse())]) == Partner.browse()
    assert Partner.search([("id", "=", acme)]) == acme
    assert acme not in Partner.search([("id", "not in", acme)])
    assert Partner.search([("id", "not in", acme | beta)]) == \
        world["gamma"] | world["sales"]
    assert Partner.search([("id", "!=", acme.id), ("is_company", "=", True)]) == beta
    assert Partner.search([("id", ">", world["gamma"].id)]) == world["sales"]


# ---------------------------------------------------------------------------
# hierarchies
# ---------------------------------------------------------------------------
@pytest.fixture
def categories(env):
    Category = env["test.category"]
    root = Category.create({"name": "All"})
    goods = Category.create({"name": "Goods", "parent_id": root.id})
    electronics = Category.create({"name": "Electronics", "parent_id": goods.id})
    phones = Category.create({"name": "Phones", "parent_id": electronics.id})
    cables = Category.create({"name": "Cables", "parent_id": electronics.id})
    services = Category.create({"name": "Services", "parent_id": root.id})
    other = Category.create({"name": "Other"})
    return dict(root=root, goods=goods, electronics=electronics, phones=phones,
                cables=cables, services=services, other=other)


def test_child_of(env, categories):
    Category = env["test.category"]
    c = categories
    assert Category.search([("id", "child_of", c["goods"].id)]) == \
        c["goods"] | c["electronics"] | c["phones"] | c["cables"]
    assert Category.search([("id", "child_of", c["root"].id)]) == \
        Category.search([("id", "!=", c["other"].id)])
    assert Category.search([("id", "child_of", [c["phones"].id, c["services"].id])]) == \
        c["phones"] | c["services"]
    assert Category.search([("id", "child_of", c["electronics"])]) == \
        c["electronics"] | c["phones"] | c["cables"]
    assert Category.search([("id", "child_of", [])]) == Category.browse()
    # by name
    assert Category.search([("id", "child_of", "Electronics")]) == \
        c["electronics"] | c["phones"] | c["cables"]
    # combined with other leaves
    assert Category.search([("id", "child_of", c["goods"].id),
                            ("name", "ilike", "e")]) == c["electronics"] | c["phones"] \
        | c["cables"]
    assert Category.search([("id", "child_of", c["goods"].id),
                            ("name", "ilike", "ph")]) == c["phones"]


def test_parent_of(env, categories):
    Category = env["test.category"]
    c = categories
    assert Category.search([("id", "parent_of", c["phones"].id)]) == \
        c["phones"] | c["electronics"] | c["goods"] | c["root"]
    assert Category.search([("id", "parent_of", [c["phones"].id, c["services"].id])]) == \
        c["phones"] | c["electronics"] | c["goods"] | c["root"] | c["services"]
    assert Category.search([("id", "parent_of", c["root"].id)]) == c["root"]
    assert Category.search([("id", "parent_of", c["other"])]) == c["other"]
    assert Category.search([("id", "parent_of", "Cables")]) == \
        c["cables"] | c["electronics"] | c["goods"] | c["root"]


def test_hierarchy_on_the_parent_field_of_the_same_model(env, categories, world):
    """Odoo: on a many2one to its own model, child_of/parent_of follow that
    field from the given records, which are themselves included."""
    Category = env["test.category"]
    c = categories
    assert Category.search([("parent_id", "child_of", c["goods"].id)]) == \
        c["goods"] | c["electronics"] | c["phones"] | c["cables"]
    assert Category.search([("parent_id", "parent_of", c["phones"].id)]) == \
        c["phones"] | c["electronics"] | c["goods"] | c["root"]
    Partner = env["test.partner"]
    assert Partner.search([("parent_id", "child_of", world["acme"].id)]) == \
        world["acme"] | world["sales"]


def test_hierarchy_through_many2one(env, categories, world):
    Item = env["td.item"]
    c = categories
    phone = Item.create({"name": "phone", "category_id": c["phones"].id})
    cable = Item.create({"name": "cable", "category_id": c["cables"].id})
    consulting = Item.create({"name": "consulting", "category_id": c["services"].id})
    Item.create({"name": "loose"})
    assert Item.search([("category_id", "child_of", c["electronics"].id)]) == phone | cable
    assert Item.search([("category_id", "child_of", c["root"].id)]) == \
        phone | cable | consulting
    assert Item.search([("category_id", "parent_of", c["electronics"].id)]) == \
        Item.browse()
    assert Item.search([("category_id", "parent_of", c["phones"].id)]) == phone
    # and through a path
    assert Item.search([("category_id.parent_id", "child_of", c["goods"].id)]) == \
        phone | cable


def test_hierarchy_filtered_domain_agrees(env, categories):
    Category = env["test.category"]
    everything = Category.search([])
    for domain in ([("id", "child_of", categories["goods"].id)],
                   [("id", "parent_of", categories["cables"].id)],
                   [("parent_id", "child_of", categories["goods"].id)],
                   [("parent_id", "parent_of", categories["phones"].id)],
                   ["!", ("id", "child_of", categories["electronics"].id)]):
        assert everything.filtered_domain(domain) == Category.search(domain), domain


# ---------------------------------------------------------------------------
# relations: paths, any / not any, names
# ---------------------------------------------------------------------------
def test_many2one_path(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("country_id.code", "=", "DE")]) == world["acme"]
    assert Partner.search([("country_id.code", "in", ["DE", "CH"])]) == \
        world["acme"] | world["beta"]
    assert Partner.search([("country_id.name", "ilike", "land")]) == world["beta"]


def test_many2one_path_two_levels(env, world):
    Partner, Order = env["test.partner"], env["test.order"]
    assert Partner.search([("parent_id.country_id.code", "=", "DE")]) == world["sales"]
    assert Order.search([("partner_id.country_id.code", "=", "DE")]) == \
        world["o1"] | world["o2"]
    assert Order.search([("partner_id.parent_id.name", "=", "Acme")]) == world["o4"]
    lines = env["test.order.line"].search([("order_id.partner_id.name", "=", "Beta")])
    assert lines.mapped("product") == ["LED"]


def test_many2one_path_negative(env, world):
    Partner = env["test.partner"]
    # Odoo: a many2one path selects the targets first; records without a
    # target do not match
    assert Partner.search([("country_id.code", "!=", "DE")]) == world["beta"] | world["sales"]


def test_one2many_path(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("order_ids.state", "=", "sale")]) == world["acme"]
    assert Partner.search([("order_ids.state", "in", ["draft", "cancel"])]) == \
        world["acme"] | world["beta"] | world["sales"]
    assert Partner.search([("order_ids.line_ids.product", "=", "LED")]) == \
        world["acme"] | world["beta"]
    assert Partner.search([("child_ids.name", "=", "Acme Sales")]) == world["acme"]
    # the partner is listed once even when several lines match
    assert len(Partner.search([("order_ids.line_ids.quantity", ">", 0)])) == 2


def test_one2many_path_negative_means_no_line_matches(env, world):
    Partner = env["test.partner"]
    # Acme has a sale order: excluded; the others have none (or no orders at all)
    assert Partner.search([("order_ids.state", "!=", "sale")]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("order_ids.state", "not in", ["draft", "sale"])]) == \
        world["gamma"] | world["sales"]
    assert Partner.search([("order_ids.line_ids.product", "not ilike", "led")]) == \
        world["gamma"] | world["sales"]


def test_many2many_path(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("tag_ids.name", "=", "New")]) == world["acme"] | world["beta"]
    assert Partner.search([("tag_ids.name", "=", "VIP")]) == world["acme"]
    assert Partner.search([("tag_ids.name", "!=", "VIP")]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("tag_ids.name", "not ilike", "e")]) == \
        world["gamma"] | world["sales"]


def test_x2many_compared_to_ids_and_false(env, world):
    Partner = env["test.partner"]
    vip, new = world["vip"], world["new"]
    assert Partner.search([("tag_ids", "=", vip.id)]) == world["acme"]
    assert Partner.search([("tag_ids", "in", [vip.id, new.id])]) == \
        world["acme"] | world["beta"]
    assert Partner.search([("tag_ids", "in", vip | new)]) == world["acme"] | world["beta"]
    assert Partner.search([("tag_ids", "!=", vip.id)]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("tag_ids", "not in", [new.id])]) == world["gamma"] | world["sales"]
    assert Partner.search([("tag_ids", "=", False)]) == world["gamma"]
    assert Partner.search([("tag_ids", "!=", False)]) == \
        world["acme"] | world["beta"] | world["sales"]
    assert Partner.search([("order_ids", "=", False)]) == world["gamma"]
    assert Partner.search([("order_ids", "!=", False)]) == \
        world["acme"] | world["beta"] | world["sales"]
    assert Partner.search([("order_ids", "in", world["o3"].ids)]) == world["beta"]
    assert Partner.search([("child_ids", "=", world["sales"].id)]) == world["acme"]


def test_x2many_in_an_empty_list_matches_nothing(env, world):
    """An empty list of ids is no id at all, not "no target" (that is False)."""
    Partner = env["test.partner"]
    assert Partner.search([("tag_ids", "in", [])]) == Partner.browse()
    assert Partner.search([("order_ids", "in", [])]) == Partner.browse()
    assert Partner.search([("tag_ids", "not in", [])]) == Partner.search([])
    assert Partner.search([("order_ids", "not in", [])]) == Partner.search([])
    assert Partner.search([("tag_ids", "in", env["test.tag"].browse())]) == Partner.browse()
    assert Partner.search([("country_id", "in", [])]) == Partner.browse()
    assert Partner.search([("country_id", "not in", [])]) == Partner.search([])


def test_many2one_in_with_false(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("country_id", "in", [world["de"].id, False])]) == \
        world["acme"] | world["gamma"]
    assert Partner.search([("parent_id", "in", [False])]) == \
        world["acme"] | world["beta"] | world["gamma"]


def test_any_and_not_any(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("order_ids", "any", [("state", "=", "sale")])]) == world["acme"]
    assert Partner.search([("order_ids", "not any", [("state", "=", "sale")])]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("order_ids", "any", [])]) == \
        world["acme"] | world["beta"] | world["sales"]
    assert Partner.search([("order_ids", "not any", [])]) == world["gamma"]
    assert Partner.search([("order_ids", "any", [
        ("state", "=", "draft"), ("line_ids", "any", [("product", "=", "Cable")])])]) == \
        world["acme"]
    assert Partner.search([("tag_ids", "any", [("name", "in", ["VIP", "Old"])])]) == \
        world["acme"]
    assert Partner.search([("tag_ids", "not any", [("name", "=", "New")])]) == \
        world["gamma"] | world["sales"]
    assert Partner.search([("country_id", "any", [("code", "in", ["DE", "AT"])])]) == \
        world["acme"] | world["sales"]
    # not any on a many2one keeps the records without a target
    assert Partner.search([("country_id", "not any", [("code", "=", "DE")])]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("parent_id", "any", [("country_id.code", "=", "DE")])]) == \
        world["sales"]


def test_any_accepts_a_record_set(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("country_id", "any", world["de"] | world["ch"])]) == \
        world["acme"] | world["beta"]
    assert Partner.search([("order_ids", "any", world["o3"])]) == world["beta"]


def test_many2one_compared_to_a_name(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("country_id", "ilike", "germ")]) == world["acme"]
    assert Partner.search([("country_id", "=", "Germany")]) == world["acme"]
    assert Partner.search([("country_id", "in", ["Germany", "Austria"])]) == \
        world["acme"] | world["sales"]
    assert Partner.search([("country_id", "like", "land")]) == world["beta"]
    # negative name operators keep the records without a target (Odoo)
    assert Partner.search([("country_id", "not ilike", "germ")]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("country_id", "!=", "Germany")]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("parent_id", "=", "Acme")]) == world["sales"]


def test_x2many_compared_to_a_name(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("tag_ids", "ilike", "vi")]) == world["acme"]
    assert Partner.search([("tag_ids", "=", "New")]) == world["acme"] | world["beta"]
    assert Partner.search([("tag_ids", "not ilike", "new")]) == \
        world["gamma"] | world["sales"]


def test_many2one_compared_to_ids_and_records(env, world):
    Partner = env["test.partner"]
    de = world["de"]
    assert Partner.search([("country_id", "=", de.id)]) == world["acme"]
    assert Partner.search([("country_id", "=", de)]) == world["acme"]
    assert Partner.search([("country_id", "in", de | world["ch"])]) == \
        world["acme"] | world["beta"]
    assert Partner.search([("country_id", "!=", de.id)]) == \
        world["beta"] | world["gamma"] | world["sales"]
    assert Partner.search([("country_id", "not in", [de.id, False])]) == \
        world["beta"] | world["sales"]


# ---------------------------------------------------------------------------
# active_test
# ---------------------------------------------------------------------------
def test_archived_records_are_hidden_by_default(env, world):
    Partner = env["test.partner"]
    assert world["ghost"] not in Partner.search([])
    assert world["ghost"] not in Partner.search([("name", "=", "Ghost")])
    assert Partner.search_count([("country_id.code", "=", "DE")]) == 1


def test_active_test_false_shows_archived(env, world):
    Partner = env["test.partner"].with_context(active_test=False)
    assert world["ghost"] in Partner.search([])
    assert Partner.search([("name", "=", "Ghost")]) == world["ghost"]
    assert Partner.search_count([("country_id.code", "=", "DE")]) == 2


def test_domain_on_active_disables_the_default_filter(env, world):
    Partner = env["test.partner"]
    assert Partner.search([("active", "=", False)]) == world["ghost"]
    assert Partner.search([("active", "in", [True, False])]) == Partner.with_context(
        active_test=False).search([])
    assert Partner.search(["|", ("active", "=", False), ("name", "=", "Acme")]) == \
        world["ghost"] | world["acme"]


def test_active_test_applies_to_x2many_targets(env, world):
    Partner = env["test.partner"]
    # the only partner with the archived tag "Old" is Acme Sales
    assert Partner.search([("tag_ids.name", "=", "Old")]) == Partner.browse()
    assert Partner.with_context(active_test=False).search(
        [("tag_ids.name", "=", "Old")]) == world["sales"]


def test_archived_many2one_targets_still_match(env, world):
    Order = env["test.order"]
    ghost_order = Order.create({"name": "SO-G", "partner_id": world["ghost"].id})
    assert ghost_order in Order.search([("partner_id.name", "=", "Ghost")])
    assert ghost_order in Order.search([("partner_id", "ilike", "ghost")])


# ---------------------------------------------------------------------------
# order, offset, limit, count
# ---------------------------------------------------------------------------
def test_default_order_is_the_model_order(env, world):
    assert env["test.partner"].search([]).mapped("name") == \
        ["Acme", "Acme Sales", "Beta", "Gamma"]
    assert env["test.order"].search([]).mapped("name") == ["SO3", "SO2", "SO1", "SO4"]


def test_order_several_fields_and_directions(env, world):
    Partner = env["test.partner"]
    assert Partner.search([], order="name desc").mapped("name") == \
        ["Gamma", "Beta", "Acme Sales", "Acme"]
    assert Partner.search([], order="is_company desc, name").mapped("name") == \
        ["Acme", "Beta", "Acme Sales", "Gamma"]
    assert Partner.search([], order="credit_limit DESC NULLS LAST, name ASC").mapped(
        "name") == ["Acme", "Beta", "Acme Sales", "Gamma"]
    assert env["test.order"].search([], order="name").mapped("name") == \
        ["SO1", "SO2", "SO3", "SO4"]
    assert env["test.order"].search([], order="state, date_order desc").mapped("name") == \
        ["SO4", "SO3", "SO2", "SO1"]


def test_order_nulls_first_and_last(env, world):
    Partner = env["test.partner"]
    assert Partner.search([], order="email").mapped("name")[-2:] in (
        ["Beta", "Gamma"], ["Gamma", "Beta"])
    assert Partner.search([], order="email, name").mapped("name") == \
        ["Acme", "Acme Sales", "Beta", "Gamma"]
    assert Partner.search([], order="email nulls first, name").mapped("name") == \
        ["Beta", "Gamma", "Acme", "Acme Sales"]
    assert Partner.search([], order="email desc nulls last, name").mapped("name") == \
        ["Acme Sales", "Acme", "Beta", "Gamma"]
    assert Partner.search([], order="email desc, name").mapped("name") == \
        ["Beta", "Gamma", "Acme Sales", "Acme"]
    assert Partner.search([], order="email asc NULLS FIRST, name desc").mapped("name") == \
        ["Gamma", "Beta", "Acme", "Acme Sales"]


def test_order_by_boolean_treats_unset_as_false(env, world):
    Partner = env["test.partner"]
    # Gamma and Acme Sales never had is_company set
    assert Partner.search([], order="is_company, name").mapped("name") == \
        ["Acme Sales", "Gamma", "Acme", "Beta"]
    assert Partner.search([], order="is_company desc, name").mapped("name") == \
        ["Acme", "Beta", "Acme Sales", "Gamma"]
    world["gamma"].is_company = False
    assert Partner.search([], order="is_company, name").mapped("name") == \
        ["Acme Sales", "Gamma", "Acme", "Beta"]


def test_order_by_id(env, world):
    Partner = env["test.partner"]
    assert Partner.search([], order="id desc").mapped("name") == \
        ["Acme Sales", "Gamma", "Beta", "Acme"]
    assert Partner.search([], order="id").mapped("name") == \
        ["Acme", "Beta", "Gamma", "Acme Sales"]


def test_order_by_many2one_uses_the_target_order(env, world):
    Partner = env["test.partner"]
    # test.country is ordered by code: AT (Austria) < CH (Switzerland) < DE (Germany);
    # by name Germany would come before Switzerland
    assert Partner.search([], order="country_id, name").mapped("name") == \
        ["Acme Sales", "Beta", "Acme", "Gamma"]
    assert Partner.search([], order="country_id desc, name").mapped("name") == \
        ["Gamma", "Acme", "Beta", "Acme Sales"]
    # test.partner is ordered by name: orders by their partner's name
    Order = env["test.order"]
    assert Order.search([], order="partner_id, name").mapped("name") == \
        ["SO1", "SO2", "SO4", "SO3"]
    assert Order.search([], order="partner_id desc, name desc").mapped("name") == \
        ["SO3", "SO4", "SO2", "SO1"]


def test_order_by_many2one_does_not_duplicate_rows(env, world):
    Order = env["test.order"]
    assert len(Order.search([("partner_id.name", "ilike", "acme")], order="partner_id")) == 3


@pytest.mark.parametrize("order", [
    "name; DROP TABLE test_partner",
    "name desc, (select 1)",
    "nope",
    "name, nope desc",
    "name sideways",
    "name desc nulls middle",
    "order_count",
    "tag_ids",
    "country_id.code",
    "name desc desc",
    "1",
    "name -- comment",
    "",
], ids=repr)
def test_invalid_order_raises_value_error(env, world, order):
    if order == "":
        # an empty order means the default order
        assert env["test.partner"].search([], order=order).mapped("name")[0] == "Acme"
        return
    with pytest.raises(ValueError):
        env["test.partner"].search([], order=order)


def test_invalid_order_never_reaches_the_database(env, world):
    with pytest.raises(ValueError):
        env["test.partner"].search([], order="name; DROP TABLE test_partner")
    assert env["test.partner"].search_count([]) == 4


def test_offset_and_limit(env, world):
    Partner = env["test.partner"]
    assert Partner.search([], limit=2).mapped("name") == ["Acme", "Acme Sales"]
    assert Partner.search([], offset=1, limit=2).mapped("name") == ["Acme Sales", "Beta"]
    assert Partner.search([], offset=3).mapped("name") == ["Gamma"]
    assert Partner.search([], offset=10) == Partner.browse()
    assert Partner.search([], order="name desc", limit=1).mapped("name") == ["Gamma"]
    assert Partner.search([("is_company", "=", True)], offset=1, limit=5).mapped("name") == \
        ["Beta"]


def test_search_count(env, world):
    Partner = env["test.partner"]
    assert Partner.search_count([]) == 4
    assert Partner.search_count([("is_company", "=", True)]) == 2
    assert Partner.search_count([("name", "=", "nobody")]) == 0
    assert Partner.search_count([], limit=3) == 3
    assert Partner.with_context(active_test=False).search_count([]) == 5
    assert Partner.search_count([("order_ids.line_ids.product", "=", "LED")]) == 2
    assert Partner.search([("is_company", "=", True)], count=True) == 2


# ---------------------------------------------------------------------------
# bound parameters
# ---------------------------------------------------------------------------
INJECTION = "x' OR 1=1 --"


def test_values_are_bound_parameters(env, world):
    Partner = env["test.partner"]
    for leaf in [("name", "=", INJECTION), ("name", "ilike", INJECTION),
                 ("name", "in", [INJECTION, "y"]), ("email", "=like", INJECTION),
                 ("country_id.code", "=", INJECTION), ("country_id", "ilike", INJECTION),
                 ("tag_ids.name", "!=", INJECTION)]:
        stmt = Partner._search([leaf])
        compiled = stmt.compile(dialect=env.transaction.connection.dialect)
        assert "1=1" not in str(compiled), leaf
        values = [v for v in compiled.params.values()]
        flat = [x for v in values for x in (v if isinstance(v, (list, tuple)) else [v])]
        assert any(isinstance(v, str) and "1=1" in v for v in flat), leaf


def test_injection_attempts_are_matched_literally(env, world):
    Partner = env["test.partner"]
    assert not Partner.search([("name", "=", INJECTION)])
    assert not Partner.search([("name", "ilike", INJECTION)])
    assert not Partner.search(["|", ("name", "=", INJECTION), ("id", "=", -1)])
    trap = Partner.create({"name": INJECTION})
    assert Partner.search([("name", "=", INJECTION)]) == trap
    assert Partner.search([("name", "ilike", "' OR 1=1")]) == trap
    assert Partner.search([("name", "in", [INJECTION])]) == trap
    quote = Partner.create({"name": "O'Brien \"quoted\" ; --"})
    assert Partner.search([("name", "=", "O'Brien \"quoted\" ; --")]) == quote
    assert Partner.search([("name", "ilike", "o'brien")]) == quote


def test_where_clause_is_a_core_expression(env):
    where = env["test.partner"]._where([("name", "=", "Acme")])
    assert isinstance(where, sa.ColumnElement)


# ---------------------------------------------------------------------------
# AND / OR helpers
# ---------------------------------------------------------------------------
def test_and_helper():
    a, b, c = ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)
    assert dom.AND([[a], [b]]) == ["&", a, b]
    assert dom.parse(dom.AND([[a], [], [b, c]])) == dom.And((dom.Leaf(*a), dom.Leaf(*b),
                                                             dom.Leaf(*c)))
    assert dom.AND([[a]]) == [a]
    assert dom.AND([]) == []
    assert dom.parse(dom.AND([["|", a, b], [c]])) == dom.And((dom.Or((dom.Leaf(*a),
                                                                        dom.Leaf(*b))),
                                                               dom.Leaf(*c)))


def test_or_helper():
    a, b, c = ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)
    assert dom.OR([[a], [b]]) == ["|", a, b]
    assert dom.OR([[a], []]) == [a]
    assert dom.parse(dom.OR([])) == dom.FALSE
    # a multi-leaf domain (implicit AND) must stay one operand of the OR
    assert dom.parse(dom.OR([[a, b], [c]])) == dom.Or((dom.And((dom.Leaf(*a),
                                                                 dom.Leaf(*b))),
                                                        dom.Leaf(*c)))
    assert dom.parse(dom.OR([[c], [a, b]])) == dom.Or((dom.Leaf(*c),
                                                        dom.And((dom.Leaf(*a),
                                                                 dom.Leaf(*b)))))


def test_and_or_helpers_search(env, world):
    Partner = env["test.partner"]
    companies = [("is_company", "=", True)]
    german_or_swiss = dom.OR([[("country_id.code", "=", "DE")],
                              [("country_id.code", "=", "CH")]])
    assert Partner.search(dom.AND([companies, german_or_swiss])) == \
        world["acme"] | world["beta"]
    # (company AND German) OR (no country)
    domain = dom.OR([[("is_company", "=", True), ("country_id.code", "=", "DE")],
                     [("country_id", "=", False)]])
    assert Partner.search(domain) == world["acme"] | world["gamma"]
    assert Partner.search(dom.AND([domain, [("name", "!=", "Gamma")]])) == world["acme"]
    assert Partner.search(dom.OR([])) == Partner.browse()
    assert Partner.search(dom.AND([])) == Partner.search([])


# ---------------------------------------------------------------------------
# filtered_domain agrees with search
# ---------------------------------------------------------------------------
AGREEMENT_DOMAINS = [
    [],
    [("name", "=", "Acme")],
    [("name", "!=", "Acme")],
    [("name", "ilike", "ACME")],
    [("name", "not ilike", "acme")],
    [("name", "like", "Acme")],
    [("name", "=like", "A%")],
    [("name", "=ilike", "a%")],
    [("email", "=", False)],
    [("email", "!=", False)],
    [("email", "ilike", "acme.example")],
    [("email", "not ilike", "sales")],
    [("credit_limit", ">", 500)],
    [("credit_limit", "in", [500, 1000])],
    [("is_company", "=", True)],
    [("is_company", "=", False)],
    [("is_company", "!=", True)],
    [("country_id", "=", False)],
    [("country_id", "!=", False)],
    [("country_id.code", "=", "DE")],
    [("country_id.code", "in", ["DE", "CH"])],
    [("country_id", "ilike", "germ")],
    [("country_id", "not ilike", "germ")],
    [("parent_id.country_id.code", "=", "DE")],
    [("order_ids.state", "=", "sale")],
    [("order_ids.state", "!=", "sale")],
    [("order_ids.line_ids.product", "=", "LED")],
    [("order_ids", "=", False)],
    [("order_ids", "any", [("state", "=", "draft")])],
    [("order_ids", "not any", [("state", "=", "draft")])],
    [("tag_ids.name", "=", "VIP")],
    [("tag_ids.name", "!=", "VIP")],
    [("tag_ids", "=", False)],
    [("tag_ids", "ilike", "vi")],
    [("country_id", "any", [("code", "=", "DE")])],
    ["|", ("name", "=", "Beta"), ("country_id.code", "=", "AT")],
    ["!", ("name", "ilike", "acme")],
    ["&", "!", ("is_company", "=", True), "|", ("email", "!=", False),
     ("name", "=", "Gamma")],
    [("name", "in", ["Acme", "Gamma", "nobody"])],
    [("tag_ids", "in", [])],
    [("tag_ids", "not in", [])],
    [("order_ids", "in", [])],
    [("country_id", "in", [])],
    [("country_id", "not in", [])],
    [("name", "not in", ["Acme", "Gamma"])],
    [("active", "=", False)],
    [("parent_id", "child_of", "Acme")],
    [("id", "child_of", "Acme")],
    ["!", ("email", "ilike", "sales")],
    ["!", ("country_id.code", "=", "DE")],
]


@pytest.mark.parametrize("domain", AGREEMENT_DOMAINS, ids=repr)
def test_filtered_domain_agrees_with_search(env, world, domain):
    Partner = env["test.partner"].with_context(active_test=False)
    everything = Partner.search([])
    assert everything.filtered_domain(domain) == Partner.search(domain)


ITEM_DOMAINS = [
    [("qty", "=", False)],
    [("qty", "!=", 2)],
    [("qty", "not in", [1, 3])],
    [("qty", "not in", [1, 3, False])],
    [("qty", "in", [1, False])],
    [("qty", ">", 1)],
    [("flag", "=", False)],
    [("flag", "!=", True)],
    ["!", ("qty", "=", 2)],
    ["!", ("code", "ilike", "a")],
    ["!", "|", ("qty", "=", 1), ("code", "=", "B2")],
    [("code", "in", [False])],
    [("code", "not in", [False])],
    [("code", "=ilike", "a%")],
    [("code", "not like", "a")],
    [("day", "<", "2024-06-30")],
    [("day", "=", False)],
    [("moment", "<=", "2024-06-30")],
    [("moment", ">", "2024-01-01")],
    [("moment", ">", dt.date(2024, 1, 1))],
    [("moment", ">=", "2024-06-30 23:59:59")],
    [("moment", "=", "2024-01-01 10:00:00")],
    [("moment", "!=", "2024-01-01 10:00:00")],
    [("kind", "in", ["a", "b"])],
    [("partner_id", "=", False)],
    [("partner_id.name", "ilike", "acme")],
    [("tag_ids", "!=", False)],
]


@pytest.mark.parametrize("domain", ITEM_DOMAINS, ids=repr)
def test_filtered_domain_agrees_with_search_on_items(env, items, domain):
    Item = env["td.item"]
    everything = Item.search([])
    assert everything.filtered_domain(domain) == Item.search(domain)
