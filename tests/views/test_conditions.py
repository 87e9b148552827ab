"""Conditions of view elements: parsed into a tree, never evaluated as Python."""

from __future__ import annotations

import json

import pytest

from core.views.conditions import (
    And,
    Condition,
    ConditionError,
    Constant,
    Leaf,
    Not,
    Or,
    from_json,
    parse_condition,
)


@pytest.mark.parametrize("text, expected", [
    ("1", True), ("True", True), ("true", True), ("0", False), ("False", False), ("", False),
    (" 1 ", True),
])
def test_constants(text, expected):
    assert parse_condition(text) == Constant(expected)
    assert parse_condition(text).evaluate({}) is expected
    assert parse_condition(text).fields() == set()


def test_odoo17_expression():
    cond = parse_condition("state != 'draft' and not partner_id")
    assert cond == And((Leaf("state", "!=", "draft"), Leaf("partner_id", "not set")))
    assert cond.fields() == {"state", "partner_id"}
    assert cond.evaluate({"state": "sent", "partner_id": False})
    assert not cond.evaluate({"state": "sent", "partner_id": (7, "Acme")})
    assert not cond.evaluate({"state": "draft", "partner_id": False})


def test_or_not_parentheses_and_membership():
    cond = parse_condition("not (state in ('draft', 'sent') or amount > 1000)")
    assert cond == Not(Or((Leaf("state", "in", ["draft", "sent"]), Leaf("amount", ">", 1000))))
    assert cond.evaluate({"state": "done", "amount": 10})
    assert not cond.evaluate({"state": "sent", "amount": 10})
    assert not cond.evaluate({"state": "done", "amount": 5000})


def test_literal_on_the_left_is_flipped():
    assert parse_condition("1000 < amount") == Leaf("amount", ">", 1000)
    assert parse_condition("'draft' == state") == Leaf("state", "=", "draft")


def test_comparison_with_false_tests_whether_set():
    assert parse_condition("partner_id == False") == Leaf("partner_id", "not set")
    assert parse_condition("partner_id != False") == Leaf("partner_id", "set")
    assert parse_condition("[('partner_id', '=', False)]") == Leaf("partner_id", "not set")


def test_domain():
    cond = parse_condition("['|', ('state', '=', 'draft'), '!', ('amount', '<=', -5.5)]")
    assert cond == Or((Leaf("state", "=", "draft"), Not(Leaf("amount", "<=", -5.5))))
    assert cond.evaluate({"state": "draft", "amount": -10})
    assert cond.evaluate({"state": "done", "amount": 0})
    assert not cond.evaluate({"state": "done", "amount": -10})


def test_domain_implicit_and_and_empty():
    cond = parse_condition("[('a', '=', 1), ('b', 'in', [1, 2])]")
    assert cond == And((Leaf("a", "=", 1), Leaf("b", "in", [1, 2])))
    assert parse_condition("[]") == Constant(True)


@pytest.mark.parametrize("text, values, expected", [
    ("name", {"name": ""}, False),
    ("name", {"name": "x"}, True),
    ("qty", {"qty": 0}, False),
    ("not tag_ids", {"tag_ids": []}, True),
    ("tag_ids == 3", {"tag_ids": [1, 3]}, True),
    ("[('tag_ids', 'in', [4, 5])]", {"tag_ids": [1, 3]}, False),
    ("[('tag_ids', 'not in', [4, 5])]", {"tag_ids": [1, 3]}, True),
    ("partner_id == 7", {"partner_id": [7, "Acme"]}, True),
    ("partner_id == 7", {"partner_id": 7}, True),
    ("amount > 5", {"amount": False}, False),
    ("amount > 5", {}, False),
    ("missing", {}, False),
    ("not missing", {}, True),
    ("amount > 5", {"amount": "text"}, False),
    ("[('name', 'ilike', 'ACM')]", {"name": "acme"}, True),
    ("[('name', 'like', 'ACM')]", {"name": "acme"}, False),
    ("[('name', 'not ilike', 'zz')]", {"name": "acme"}, True),
    ("[('name', '=like', 'ac%')]", {"name": "acme"}, True),
    ("[('name', '=ilike', 'A_ME')]", {"name": "acme"}, True),
    ("[('name', '=like', 'a.me')]", {"name": "acme"}, False),
    ("state in ['draft', False]", {"state": False}, True),
])
def test_evaluate(text, values, expected):
    assert parse_condition(text).evaluate(values) is expected


@pytest.mark.parametrize("text, refused", [
    ("context.get('x')", "function call"),
    ("__import__('os').system('true')", "function call"),
    ("parent.state == 'draft'", "attribute access"),
    ("record.name", "attribute access"),
    ("__class__", "names starting with '_'"),
    ("_secret", "names starting with '_'"),
    ("amount * 2 > 10", "arithmetic"),
    ("values[0]", "subscript"),
    ("(lambda: 1)()", "function call"),
    ("[x for x in y]", "comprehension"),
    ("state == other_field", "is a name, not a literal"),
    ("1 < amount < 5", "only one comparison"),
    ("amount if state else 1", "conditional expression"),
    ("{'a': 1}", "dictionary"),
    ("[('partner_id.name', '=', 'x')]", "dotted paths"),
    ("[('a', '=', uid)]", "is a name, not a literal"),
    ("[('a', 'between', 1)]", "unknown operator"),
    ("['|', ('a', '=', 1)]", "lacks operands"),
    ("[('a', 'in', 1)]", "must be a list"),
    ("state ==", "invalid condition"),
    ("f'{x}'", "f-string"),
])
def test_refused(text, refused):
    with pytest.raises(ConditionError, match=refused.replace("(", r"\(")):
        parse_condition(text)


def test_json_round_trip():
    cond = parse_condition("state != 'draft' and (not partner_id or amount >= 10) "
                           "and tag_ids in [1, 2]")
    data = cond.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data == {"and": [
        {"field": "state", "op": "!=", "value": "draft"},
        {"or": [{"field": "partner_id", "op": "not set", "value": None},
                {"field": "amount", "op": ">=", "value": 10}]},
        {"field": "tag_ids", "op": "in", "value": [1, 2]}]}
    assert from_json(data) == cond
    assert from_json(True) == Constant(True)
    assert from_json({"not": False}) == Not(Constant(False))
    assert Constant(False).to_json() is False


def test_from_json_refuses_malformed():
    for data in ({"field": "_x", "op": "=", "value": 1}, {"field": "a", "op": "~", "value": 1},
                 {"xor": []}, [1, 2], None):
        with pytest.raises(ConditionError):
            from_json(data)


def test_to_domain():
    cond = parse_condition("not partner_id or state == 'draft'")
    assert cond.to_domain() == ["|", ("partner_id", "=", False), ("state", "=", "draft")]
    assert parse_condition("[('a', '=', 1), ('b', '=', 2), ('c', '=', 3)]").to_domain() == \
        ["&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]
    assert isinstance(parse_condition(1), Condition)
