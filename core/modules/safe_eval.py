"""A restricted evaluator for ``eval`` attributes of data files.

    literal_eval_with_refs("[(6, 0, [ref('base.group_user')])]", ref)
    # [(6, 0, [4])]

Only literals are accepted: numbers, strings, ``True``/``False``/``None``,
lists, tuples, dicts and sets of literals, unary minus, and calls of
``ref('module.name')`` (and ``Command.create/update/delete/unlink/link/
clear/set(...)``). Anything else (names, attributes, other calls,
comprehensions, lambdas, operators) raises ``ValueError`` naming what was
refused: nothing from a data file is ever executed as Python.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from core.orm.commands import Command

_COMMANDS = {"create", "update", "delete", "unlink", "link", "clear", "set"}


def literal_eval_with_refs(source: str, ref: Callable[[str], int]) -> Any:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"invalid expression {source!r}: {exc.msg}") from None
    return _eval(tree.body, ref, source)


def _eval(node: ast.AST, ref: Callable[[str], int], source: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_eval(item, ref, source) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_eval(item, ref, source) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_eval(item, ref, source) for item in node.elts}
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise ValueError(f"'**' is not allowed in {source!r}")
        return {_eval(k, ref, source): _eval(v, ref, source)
                for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _eval(node.operand, ref, source)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        args = [_eval(arg, ref, source) for arg in node.args]
        if isinstance(func, ast.Name) and func.id == "ref" and len(args) == 1 \
                and isinstance(args[0], str):
            return ref(args[0])
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == "Command" and func.attr in _COMMANDS):
            return getattr(Command, func.attr)(*args)
    refused = ast.unparse(node) if hasattr(ast, "unparse") else type(node).__name__
    raise ValueError(f"{refused!r} is not allowed in a data file expression {source!r}: "
                     "only literals, ref('module.name') and Command.*(...) are")
