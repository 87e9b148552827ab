"""Evaluating record-rule domains without Python's ``eval``.

    eval_rule_domain("[('user_id', '=', user.id)]", {"user": user})
    eval_rule_domain("['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]",
                     namespace)
    eval_rule_domain("[('date', '>=', time.strftime('%Y-01-01'))]", namespace)

Accepted: literals and containers, the names of the namespace (``user``,
``company_id``, ``company_ids``; ``time`` is always there), attributes of
records that are fields (``user.partner_id.id``, ``user.company_ids.ids``)
and ``time.strftime(format)``. Anything else is refused with a ValueError
naming it.
"""

from __future__ import annotations

import ast
import time as _time
from typing import Any


class _Time:
    """The only part of the time module a rule may use."""

    @staticmethod
    def strftime(fmt: str) -> str:
        if not isinstance(fmt, str):
            raise ValueError("time.strftime takes a format string")
        return _time.strftime(fmt)


_TIME = _Time()


def eval_rule_domain(source: str, namespace: dict[str, Any]) -> list:
    names = {"time": _TIME, "True": True, "False": False, "None": None, **namespace}
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"Invalid rule domain {source!r}: {exc.msg}") from None
    value = _eval(tree.body, names, source)
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"A rule domain must be a list, not {source!r}")
    return [tuple(item) if isinstance(item, list) else item for item in value]


def _eval(node: ast.AST, names: dict, source: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [_eval(item, names, source) for item in node.elts]
        return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_eval(k, names, source): _eval(v, names, source)
                for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        operand = _eval(node.operand, names, source)
        return (not operand) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.Attribute) and not node.attr.startswith("_"):
        owner = _eval(node.value, names, source)
        if owner is _TIME and node.attr == "strftime":
            return _TIME.strftime
        fields = getattr(owner, "_fields", None)
        if fields is not None and (node.attr in fields or node.attr in ("id", "ids")):
            return getattr(owner, node.attr)
    if isinstance(node, ast.Call) and not node.keywords:
        function = _eval(node.func, names, source)
        if function is _TIME.strftime:
            return function(*[_eval(arg, names, source) for arg in node.args])
    raise ValueError(f"{ast.unparse(node)!r} is not allowed in the rule domain {source!r}")
