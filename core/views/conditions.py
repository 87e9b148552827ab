"""Conditions of view elements (``invisible``, ``readonly``, ``required``,
``column_invisible``), parsed without ever evaluating Python.

    cond = parse_condition("state != 'draft' and not partner_id")
    cond.fields()                                   # {"state", "partner_id"}
    cond.evaluate({"state": "sent", "partner_id": False})   # True
    cond.to_json()
    # {"and": [{"field": "state", "op": "!=", "value": "draft"},
    #          {"field": "partner_id", "op": "not set", "value": null}]}
    parse_condition("[('state', 'in', ['draft', 'sent'])]")  # a domain works too
    parse_condition("1")                                     # always

Three spellings are accepted: a constant (``1``, ``0``, ``True``,
``False``); a domain in Odoo's prefix notation whose values are literals
(``['|', ('a', '=', 1), ('b', '!=', False)]``); and the subset of Odoo
17's Python expressions made of ``field``, ``not field``, ``field <op>
literal`` (``== != < <= > >= in not in``, either side), ``and``, ``or``,
``not`` and parentheses. The text is read with ``ast.parse`` and its tree
checked node by node: function calls, attribute access (``parent.x``,
``context.get``), subscripts, arithmetic, comprehensions, dotted paths and
names starting with ``_`` are refused with a ConditionError.

Evaluation (``evaluate(values)``, values as ``read()`` gives them):
many2one values may be an id or ``(id, name)``; x2many values are lists
of ids (``=``/``in`` test membership/overlap); ``set``/``not set`` and
``=``/``!=`` against ``False``/``None`` test whether the value is set
(Python truthiness: ``False``, ``None``, ``""``, ``0`` and ``[]`` are not);
comparisons with an unset value are false; ``like``/``ilike`` match a
substring, ``=like``/``=ilike`` a SQL pattern (``%``, ``_``). A field
missing from ``values`` counts as not set.

The JSON form (``to_json``; ``from_json`` reads it back) is a tree of
``true``/``false``, ``{"and": [...]}``, ``{"or": [...]}``, ``{"not": c}``
and ``{"field": name, "op": operator, "value": literal}``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

CONDITION_ATTRIBUTES = ("invisible", "readonly", "required", "column_invisible")
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "not like",
             "not ilike", "=like", "=ilike", "set", "not set")
_TRUE = ("1", "True", "true")
_FALSE = ("0", "False", "false", "")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_COMPARE = {ast.Eq: "=", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in"}
_FLIPPED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_REFUSED = {ast.Call: "a function call", ast.Attribute: "attribute access",
            ast.Subscript: "a subscript", ast.BinOp: "arithmetic", ast.Lambda: "a lambda",
            ast.IfExp: "a conditional expression", ast.ListComp: "a comprehension",
            ast.GeneratorExp: "a comprehension", ast.DictComp: "a comprehension",
            ast.SetComp: "a comprehension", ast.NamedExpr: "an assignment",
            ast.Starred: "a starred expression", ast.JoinedStr: "an f-string",
            ast.Dict: "a dictionary", ast.Await: "await"}


class ConditionError(ValueError):
    """A condition Troika cannot read without evaluating code."""


class Condition:
    """A parsed condition: Constant, Leaf, Not, And or Or."""

    def evaluate(self, values: dict) -> bool:
        raise NotImplementedError

    def fields(self) -> set[str]:
        raise NotImplementedError

    def to_json(self) -> Any:
        raise NotImplementedError

    def to_domain(self) -> list:
        """Odoo's prefix notation (a constant is ``[]`` / ``[(0, '=', 1)]``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Constant(Condition):
    value: bool

    def evaluate(self, values: dict) -> bool:
        return self.value

    def fields(self) -> set[str]:
        return set()

    def to_json(self) -> Any:
        return self.value

    def to_domain(self) -> list:
        return [] if self.value else [(0, "=", 1)]


@dataclass(frozen=True)
class Leaf(Condition):
    field: str
    operator: str
    value: Any = None

    def evaluate(self, values: dict) -> bool:
        return _test(_normalise(values.get(self.field)), self.operator, self.value)

    def fields(self) -> set[str]:
        return {self.field}

    def to_json(self) -> Any:
        value = list(self.value) if isinstance(self.value, (tuple, list)) else self.value
        return {"field": self.field, "op": self.operator, "value": value}

    def to_domain(self) -> list:
        if self.operator in ("set", "not set"):
            return [(self.field, "!=" if self.operator == "set" else "=", False)]
        return [(self.field, self.operator, self.value)]


@dataclass(frozen=True)
class Not(Condition):
    operand: Condition

    def evaluate(self, values: dict) -> bool:
        return not self.operand.evaluate(values)

    def fields(self) -> set[str]:
        return self.operand.fields()

    def to_json(self) -> Any:
        return {"not": self.operand.to_json()}

    def to_domain(self) -> list:
        return ["!", *self.operand.to_domain()]


@dataclass(frozen=True)
class And(Condition):
    operands: tuple[Condition, ...]

    def evaluate(self, values: dict) -> bool:
        return all(operand.evaluate(values) for operand in self.operands)

    def fields(self) -> set[str]:
        return set().union(*(operand.fields() for operand in self.operands))

    def to_json(self) -> Any:
        return {"and": [operand.to_json() for operand in self.operands]}

    def to_domain(self) -> list:
        return _prefix("&", self.operands)


@dataclass(frozen=True)
class Or(Condition):
    operands: tuple[Condition, ...]

    def evaluate(self, values: dict) -> bool:
        return any(operand.evaluate(values) for operand in self.operands)

    def fields(self) -> set[str]:
        return set().union(*(operand.fields() for operand in self.operands))

    def to_json(self) -> Any:
        return {"or": [operand.to_json() for operand in self.operands]}

    def to_domain(self) -> list:
        return _prefix("|", self.operands)


def _prefix(operator: str, operands: tuple[Condition, ...]) -> list:
    result: list = [operator] * (len(operands) - 1)
    for operand in operands:
        result.extend(operand.to_domain())
    return result


# -- parsing ------------------------------------------------------------------
def parse_condition(text: str | bool | int) -> Condition:
    """The Condition of an attribute's text (see the module docstring)."""
    if isinstance(text, bool) or isinstance(text, int):
        return Constant(bool(text))
    source = text.strip()
    if source in _TRUE:
        return Constant(True)
    if source in _FALSE:
        return Constant(False)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"invalid condition {source!r}: {exc.msg}") from None
    body = tree.body
    if isinstance(body, ast.List):
        return _domain(body.elts, source)
    return _expression(body, source)


def _domain(items: list[ast.AST], source: str) -> Condition:
    stack: list[Condition] = []
    for item in reversed(items):
        if isinstance(item, ast.Constant) and item.value in ("&", "|", "!"):
            needed = 1 if item.value == "!" else 2
            if len(stack) < needed:
                raise ConditionError(f"malformed domain {source!r}: {item.value!r} lacks "
                                     "operands")
            if item.value == "!":
                stack.append(Not(stack.pop()))
            else:
                first, second = stack.pop(), stack.pop()
                kind = And if item.value == "&" else Or
                stack.append(kind((first, second)))
        elif isinstance(item, (ast.Tuple, ast.List)) and len(item.elts) == 3:
            stack.append(_domain_leaf(item.elts, source))
        else:
            raise ConditionError(f"malformed domain {source!r}: {_show(item)} is neither an "
                                 "operator ('&', '|', '!') nor a (field, operator, value) "
                                 "triple")
    if not stack:
        return Constant(True)
    if len(stack) == 1:
        return stack[0]
    return And(tuple(reversed(stack)))


def _domain_leaf(elts: list[ast.AST], source: str) -> Condition:
    field_node, op_node, value_node = elts
    if not (isinstance(field_node, ast.Constant) and isinstance(field_node.value, str)):
        raise ConditionError(f"malformed domain {source!r}: a field name must be a string, "
                             f"not {_show(field_node)}")
    if not (isinstance(op_node, ast.Constant) and op_node.value in OPERATORS[:-2]):
        raise ConditionError(f"malformed domain {source!r}: unknown operator {_show(op_node)}")
    field = _field_name(field_node.value, source)
    return _leaf(field, op_node.value, _literal(value_node, source))


def _expression(node: ast.AST, source: str) -> Condition:
    if isinstance(node, ast.BoolOp):
        kind = And if isinstance(node.op, ast.And) else Or
        return kind(tuple(_expression(value, source) for value in node.values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        if isinstance(node.operand, ast.Name):
            return Leaf(_field_name(node.operand.id, source), "not set")
        return Not(_expression(node.operand, source))
    if isinstance(node, ast.Name):
        return Leaf(_field_name(node.id, source), "set")
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int)):
        return Constant(bool(node.value))
    if isinstance(node, ast.Compare):
        return _comparison(node, source)
    raise ConditionError(_refusal(node, source))


def _comparison(node: ast.Compare, source: str) -> Condition:
    if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
        raise ConditionError(f"condition {source!r}: only one comparison (== != < <= > >= in "
                             "not in) between a field and a literal is allowed")
    operator = _COMPARE[type(node.ops[0])]
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Name):
        return _leaf(_field_name(left.id, source), operator, _literal(right, source))
    if isinstance(right, ast.Name) and operator in _FLIPPED:
        return _leaf(_field_name(right.id, source), _FLIPPED[operator], _literal(left, source))
    for side in (left, right):
        if not isinstance(side, ast.Name):
            _literal(side, source)          # names what is refused, if anything
    raise ConditionError(f"condition {source!r}: a comparison needs a field on one side and "
                         "a literal on the other")


def _leaf(field: str, operator: str, value: Any) -> Condition:
    if operator in ("in", "not in") and not isinstance(value, (list, tuple)):
        raise ConditionError(f"the value of {field!r} {operator} must be a list, not {value!r}")
    if operator in ("=", "!=") and (value is False or value is None):
        return Leaf(field, "not set" if operator == "=" else "set")
    if isinstance(value, tuple):
        value = list(value)
    return Leaf(field, operator, value)


def _literal(node: ast.AST, source: str) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool,
                                                                  type(None))):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [_literal(item, source) for item in node.elts]
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, (int, float))
            and not isinstance(node.operand.value, bool)):
        return -node.operand.value
    if isinstance(node, ast.Name):
        raise ConditionError(f"condition {source!r}: {node.id!r} is a name, not a literal; "
                             "conditions compare a field with literal values")
    raise ConditionError(_refusal(node, source))


def _field_name(name: str, source: str) -> str:
    if name.startswith("_"):
        raise ConditionError(f"condition {source!r}: names starting with '_' ({name!r}) are "
                             "not allowed")
    if not _NAME.match(name):
        raise ConditionError(f"condition {source!r}: {name!r} is not a field name (dotted "
                             "paths are not allowed: a condition tests the record's own "
                             "fields)")
    return name


def _refusal(node: ast.AST, source: str) -> str:
    what = next((label for kind, label in _REFUSED.items() if isinstance(node, kind)),
                f"a {type(node).__name__} expression")
    return (f"condition {source!r}: {what} is not allowed ({_show(node)}); use field "
            "comparisons with literals, 'not', 'and', 'or', or a domain")


def _show(node: ast.AST) -> str:
    try:
        return repr(ast.unparse(node))
    except Exception:  # noqa: BLE001 - only used in messages
        return type(node).__name__


# -- JSON ---------------------------------------------------------------------
def from_json(data: Any) -> Condition:
    """The Condition of a ``to_json()`` tree."""
    if isinstance(data, bool):
        return Constant(data)
    if isinstance(data, dict) and len(data) == 1 and "not" in data:
        return Not(from_json(data["not"]))
    if isinstance(data, dict) and len(data) == 1 and set(data) & {"and", "or"}:
        kind, items = (And, data["and"]) if "and" in data else (Or, data["or"])
        return kind(tuple(from_json(item) for item in items))
    if isinstance(data, dict) and set(data) == {"field", "op", "value"} \
            and data["op"] in OPERATORS:
        return Leaf(_field_name(data["field"], repr(data)), data["op"], data["value"])
    raise ConditionError(f"not a condition: {data!r}")


# -- evaluation ---------------------------------------------------------------
def _normalise(value: Any) -> Any:
    """A many2one ``(id, name)`` is its id; ``None`` is ``False``."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], int) \
            and isinstance(value[1], str):
        return value[0]
    return False if value is None else value


def _test(value: Any, operator: str, operand: Any) -> bool:
    if operator == "set":
        return bool(value)
    if operator == "not set":
        return not value
    if operator in ("=", "!=", "in", "not in"):
        positive = _matches(value, operand if operator in ("in", "not in") else [operand])
        return positive if operator in ("=", "in") else not positive
    if operator in ("<", "<=", ">", ">="):
        return _order(value, operator, operand)
    return _like(value, operator, operand)


def _matches(value: Any, candidates: list) -> bool:
    if isinstance(value, list):             # x2many: any common id
        return any(item in candidates for item in value)
    if not value and value != 0:
        return any(candidate is False or candidate is None for candidate in candidates) \
            or value in candidates
    return value in candidates


def _order(value: Any, operator: str, operand: Any) -> bool:
    if value is False or value is None or operand is None:
        return False
    try:
        if operator == "<":
            return value < operand
        if operator == "<=":
            return value <= operand
        if operator == ">":
            return value > operand
        return value >= operand
    except TypeError:
        return False


def _like(value: Any, operator: str, operand: Any) -> bool:
    negated = operator.startswith("not ")
    kind = operator.removeprefix("not ")
    if not isinstance(value, str) or not isinstance(operand, str):
        return negated
    insensitive = kind in ("ilike", "=ilike")
    if kind.startswith("="):
        pattern = "".join(".*" if char == "%" else "." if char == "_" else re.escape(char)
                          for char in operand)
        found = re.fullmatch(pattern, value, re.IGNORECASE if insensitive else 0) is not None
    elif insensitive:
        found = operand.lower() in value.lower()
    else:
        found = operand in value
    return found != negated
