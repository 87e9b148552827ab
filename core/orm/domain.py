"""Domains: Odoo's prefix-notation filters, parsed once into a tree, then
compiled to SQLAlchemy Core expressions with bound parameters.

    >>> tree = parse(["|", ("name", "ilike", "acme"), ("country_id.code", "=", "DE")])
    >>> tree
    Or(Leaf('name', 'ilike', 'acme'), Leaf('country_id.code', '=', 'DE'))
    >>> where = compile_domain(env["res.partner"], tree)   # an SQL expression

The pipeline (see STYLE.md): the list syntax is accepted at the edges
only; ``parse`` checks it and builds immutable nodes; ``compile_domain``
resolves each leaf's path on the model, turning dotted paths into
``any`` sub-queries, and lets the field build its own condition
(``Field.to_sql``). Nothing in a domain ever becomes SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from core.orm.models import BaseModel

OPERATORS = frozenset([
    "=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "not like",
    "not ilike", "=like", "=ilike", "child_of", "parent_of", "any", "not any",
])
NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike",
            "not any": "any"}


class Node:
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Leaf(Node):
    path: str
    operator: str
    value: Any

    def __repr__(self) -> str:
        return f"Leaf({self.path!r}, {self.operator!r}, {self.value!r})"


@dataclass(frozen=True, slots=True)
class Const(Node):
    value: bool

    def __repr__(self) -> str:
        return "TRUE" if self.value else "FALSE"


@dataclass(frozen=True, slots=True)
class And(Node):
    children: tuple[Node, ...]

    def __repr__(self) -> str:
        return f"And({', '.join(map(repr, self.children))})"


@dataclass(frozen=True, slots=True)
class Or(Node):
    children: tuple[Node, ...]

    def __repr__(self) -> str:
        return f"Or({', '.join(map(repr, self.children))})"


@dataclass(frozen=True, slots=True)
class Not(Node):
    child: Node

    def __repr__(self) -> str:
        return f"Not({self.child!r})"


TRUE = Const(True)
FALSE = Const(False)


def parse(domain: Sequence | Node | None) -> Node:
    """Parse a domain list into a tree; a malformed domain raises ValueError."""
    if isinstance(domain, Node):
        return domain
    if not domain:
        return TRUE
    if not isinstance(domain, (list, tuple)):
        raise ValueError(f"Invalid domain {domain!r}: a domain is a list")
    items = list(domain)
    stack: list[Node] = []
    for item in reversed(items):
        if item == "&" or item == "|":
            if len(stack) < 2:
                raise ValueError(f"Invalid domain {domain!r}: {item!r} needs two operands")
            left, right = stack.pop(), stack.pop()
            cls = And if item == "&" else Or
            stack.append(cls(_flatten(cls, (left, right))))
        elif item == "!":
            if not stack:
                raise ValueError(f"Invalid domain {domain!r}: '!' needs an operand")
            stack.append(Not(stack.pop()))
        else:
            stack.append(_leaf(item, domain))
    stack.reverse()
    if len(stack) == 1:
        return stack[0]
    return And(_flatten(And, stack))


def _flatten(cls: type, nodes: Iterable[Node]) -> tuple[Node, ...]:
    result: list[Node] = []
    for node in nodes:
        if isinstance(node, cls):
            result.extend(node.children)
        else:
            result.append(node)
    return tuple(result)


def _leaf(item: Any, domain: Any) -> Node:
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        raise ValueError(f"Invalid domain term {item!r} in {domain!r}")
    path, operator, value = item
    if path in (1, 0, True, False) and operator == "=" and value in (1, 0, True, False):
        return TRUE if path == value else FALSE
    if not isinstance(path, str) or not path:
        raise ValueError(f"Invalid field name {path!r} in domain term {item!r}")
    if not isinstance(operator, str) or operator.lower() not in OPERATORS:
        raise ValueError(f"Invalid operator {operator!r} in domain term {item!r}")
    operator = operator.lower()
    if operator == "<>":
        operator = "!="
    if operator in ("in", "not in") and not isinstance(value, (list, tuple, set, frozenset)):
        if not hasattr(value, "_ids"):
            value = [value]
    return Leaf(path, operator, value)


def AND(domains: Iterable[Sequence]) -> list:  # noqa: N802 - Odoo's name
    """Combine domains with '&' (as expression.AND in Odoo)."""
    result: list = []
    count = 0
    for domain in domains:
        if domain:
            result.extend(domain)
            count += 1
    return ["&"] * (count - 1) + result if count > 1 else result


def OR(domains: Iterable[Sequence]) -> list:  # noqa: N802 - Odoo's name
    """Combine domains with '|'."""
    parts = [_normalize(d) for d in domains if d]
    if not parts:
        return [(0, "=", 1)]
    return ["|"] * (len(parts) - 1) + [leaf for part in parts for leaf in part]


def _normalize(domain: Sequence) -> list:
    """The domain with its implicit '&' made explicit: one expression, so that
    it stays one operand when combined (``[a, b]`` -> ``['&', a, b]``)."""
    result: list = []
    expected = 1
    for token in domain:
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if token in ("&", "|"):
            expected += 1
        elif token != "!":
            expected -= 1
        result.append(token)
    return result


def mentions(tree: Node, name: str) -> bool:
    if isinstance(tree, Leaf):
        return tree.path == name or tree.path.startswith(name + ".")
    if isinstance(tree, (And, Or)):
        return any(mentions(child, name) for child in tree.children)
    if isinstance(tree, Not):
        return mentions(tree.child, name)
    return False


# ---------------------------------------------------------------------------
# compilation to SQL
# ---------------------------------------------------------------------------
def compile_domain(model: BaseModel, node: Node, table: Any = None) -> Any:
    """The SQL condition of ``node`` on ``model``'s table (or an alias of it)."""
    table = model._table_obj if table is None else table
    if isinstance(node, Const):
        return sa.true() if node.value else sa.false()
    if isinstance(node, And):
        return sa.and_(*(compile_domain(model, child, table) for child in node.children))
    if isinstance(node, Or):
        return sa.or_(*(compile_domain(model, child, table) for child in node.children))
    if isinstance(node, Not):
        # the complement of the records that match: a condition that is
        # NULL on a row (NOT (qty = 2) where qty IS NULL) did not match it
        condition = compile_domain(model, node.child, table)
        return sa.not_(sa.func.coalesce(condition, sa.false()))
    return _compile_leaf(model, node, table)


def _compile_leaf(model: BaseModel, leaf: Leaf, table: Any) -> Any:
    name, _, rest = leaf.path.partition(".")
    field = model._fields.get(name)
    if field is None:
        raise ValueError(f"Invalid field {name!r} on model {model._name!r} "
                         f"in domain term {(leaf.path, leaf.operator, leaf.value)!r}")
    if field.groups:
        from core.security import access

        access.check_fields(model, (name,), "read")
    if field.related and not field.store:
        # a non-stored related field is searched through its path, as in Odoo
        path = f"{field.related}.{rest}" if rest else field.related
        return _compile_leaf(model, Leaf(path, leaf.operator, leaf.value), table)
    if rest:
        if field.type not in ("many2one", "one2many", "many2many"):
            raise ValueError(f"Invalid path {leaf.path!r} on model {model._name!r}: "
                             f"{name!r} is not a relational field")
        operator, value = leaf.operator, leaf.value
        if operator in NEGATIVE and field.type != "many2one":
            # 'line_ids.product_id' != 5: no line has that product
            sub = [(rest, NEGATIVE[operator], value)]
            return field.to_sql(model, table, "not any", sub)
        return field.to_sql(model, table, "any", [(rest, operator, value)])
    if not field.store or not (field.column_backed or field.type in ("one2many",
                                                                       "many2many")):
        if field.search_method:
            method = field.search_method
            method = getattr(model, method) if isinstance(method, str) else method.__get__(model)
            return compile_domain(model, parse(method(leaf.operator, leaf.value)), table)
        if field.name == "id":
            return _compile_id(model, table, leaf)
        if field.name == "display_name":
            return compile_domain(model, parse(model._display_name_domain(leaf.operator,
                                                                         leaf.value)), table)
        raise ValueError(f"Field {model._name}.{name} is not stored and cannot be searched")
    if leaf.operator in ("child_of", "parent_of"):
        return _hierarchy(model, table, field, leaf)
    if field.type in ("many2one", "one2many", "many2many"):
        return field.to_sql(model, table, leaf.operator, leaf.value)
    if leaf.operator in ("any", "not any"):
        raise ValueError(f"Operator {leaf.operator!r} needs a relational field, "
                         f"not {model._name}.{name}")
    return field.to_sql(model, table.c[field.name], leaf.operator, leaf.value)


def _compile_id(model: BaseModel, table: Any, leaf: Leaf) -> Any:
    from core.orm.fields import generic_condition

    value, operator = leaf.value, leaf.operator
    if hasattr(value, "_ids"):
        value = list(value._ids)
        # ('id', '=', record) as ('partner_id', '=', record) does
        operator = {"=": "in", "!=": "not in"}.get(operator, operator)
    if leaf.operator in ("child_of", "parent_of"):
        return _hierarchy(model, table, model._fields["id"], leaf)
    if leaf.operator in ("any", "not any"):
        sub = model.with_context(active_test=False)._select_ids(value)
        cond = table.c.id.in_(sub)
        return cond if leaf.operator == "any" else sa.not_(cond)
    return generic_condition(model._fields["id"], table.c.id, operator, value)


def ids_of(value: Any) -> list:
    """Record ids from a domain value: an id, a list of ids, or a record set."""
    if hasattr(value, "_ids"):
        return [i for i in value._ids if isinstance(i, int)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return []


def _hierarchy(model: BaseModel, table: Any, field: Any, leaf: Leaf) -> Any:
    """child_of / parent_of with a recursive common table expression."""
    target = model
    if field.name != "id":
        if field.type not in ("many2one", "one2many", "many2many"):
            raise ValueError(f"Operator {leaf.operator!r} needs a relational field or 'id', "
                             f"not {model._name}.{field.name}")
        target = model.env[field.comodel_name]
    parent_name = target._parent_name
    if field.type == "many2one" and field.comodel_name == model._name:
        # as Odoo: ('parent_id', 'child_of', x) on its own model follows that
        # field from x: x and its descendants
        parent_name, field = field.name, model._fields["id"]
    if parent_name not in target._fields:
        raise ValueError(f"Operator {leaf.operator!r} needs a hierarchy on {target._name!r} "
                         f"(a {parent_name!r} field)")
    value = leaf.value
    if isinstance(value, str):
        value = target.name_search(value, limit=None, operator="=")
        value = [pair[0] for pair in value]
    ids = ids_of(value)
    ttable = target._table_obj
    parent_col = ttable.c[parent_name]
    if leaf.operator == "child_of":
        base = sa.select(ttable.c.id.label("id")).where(ttable.c.id.in_(ids))
        cte = base.cte(name="hierarchy", recursive=True)
        step = sa.select(ttable.c.id).where(parent_col == cte.c.id)
    else:
        base = sa.select(parent_col.label("id")).where(ttable.c.id.in_(ids),
                                                       parent_col.isnot(None))
        cte = base.cte(name="hierarchy", recursive=True)
        step = sa.select(parent_col).where(ttable.c.id == cte.c.id, parent_col.isnot(None))
        cte = cte.union(step)
        matched = sa.select(cte.c.id).scalar_subquery()
        selected = sa.or_(ttable.c.id.in_(ids), ttable.c.id.in_(matched))
        sub = sa.select(ttable.c.id).where(selected)
        return _apply_hierarchy(model, table, field, sub)
    cte = cte.union(step)
    sub = sa.select(cte.c.id)
    return _apply_hierarchy(model, table, field, sub)


def _apply_hierarchy(model: BaseModel, table: Any, field: Any, sub: Any) -> Any:
    if field.name == "id":
        return table.c.id.in_(sub)
    if field.type == "many2one":
        return table.c[field.name].in_(sub)
    return field.to_sql(model, table, "in", sub)


# ---------------------------------------------------------------------------
# evaluation in Python (filtered_domain)
# ---------------------------------------------------------------------------
def evaluate(record: BaseModel, node: Node) -> bool:
    """Whether one record satisfies the domain, evaluated on its field values."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, And):
        return all(evaluate(record, child) for child in node.children)
    if isinstance(node, Or):
        return any(evaluate(record, child) for child in node.children)
    if isinstance(node, Not):
        return not evaluate(record, node.child)
    return _evaluate_leaf(record, node)


def _evaluate_leaf(record: BaseModel, leaf: Leaf) -> bool:
    name, _, rest = leaf.path.partition(".")
    field = record._fields.get(name)
    if field is None:
        raise ValueError(f"Invalid field {name!r} on model {record._name!r} in domain")
    operator, value = leaf.operator, leaf.value
    current = record[name]
    if rest or operator in ("any", "not any"):
        sub = parse([(rest, operator, value)]) if rest else parse(value)
        positive = operator not in NEGATIVE or field.type == "many2one"
        if operator == "not any" and not rest:
            positive = False
        if not positive and rest:
            sub = parse([(rest, NEGATIVE[operator], value)])
        found = any(evaluate(sub_record, sub) for sub_record in current)
        return found if positive else not found
    if field.type in ("many2one", "one2many", "many2many"):
        if operator in ("child_of", "parent_of"):
            if field.comodel_name == record._name:  # the record itself counts
                return bool(record.with_context(active_test=False).search_count(
                    [("id", "=", record.id), (name, operator, value)]))
            return bool(current.filtered_domain([("id", operator, value)]))
        current_ids = set(current._ids)
        if isinstance(value, str):
            names = {rec.display_name for rec in current}
            return _compare_scalar(next(iter(names), False) if len(names) <= 1 else names,
                                   operator, value)
        wanted = set(ids_of(value))
        if value is False or value is None:
            empty = not current_ids
            return empty if operator in ("=", "in") else not empty
        if operator in ("=", "in"):
            return bool(current_ids & wanted)
        if operator in ("!=", "not in"):
            return not current_ids & wanted
        raise ValueError(f"Operator {operator!r} cannot be evaluated on {field}")
    if name == "id" and operator in ("child_of", "parent_of"):
        return bool(record.search_count([("id", "=", record.id), ("id", operator, value)]))
    if field.type == "datetime" and operator in ("=", "!=", "<", "<=", ">", ">=") \
            and isinstance(value, (str, dt.date)):
        # compare points in time, as the SQL condition does
        value = field.convert_to_cache(field.domain_bound(operator, value), None, False)
    return _compare_scalar(current, operator, value)


def _compare_scalar(current: Any, operator: str, value: Any) -> bool:
    if hasattr(value, "_ids"):
        value = list(value._ids)
    if operator in ("=", "!="):
        if value is False or value is None:
            result = current in (False, None, "")
        else:
            result = current == value
        return result if operator == "=" else not result
    if operator in ("in", "not in"):
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        result = current in values or (current in (False, None, "") and
                                       any(v is False or v is None for v in values))
        return result if operator == "in" else not result
    if operator in ("<", "<=", ">", ">="):
        if current is False or current is None or value is False or value is None:
            return False
        if isinstance(value, str) and not isinstance(current, str):
            current = str(current)
        return {"<": current < value, "<=": current <= value,
                ">": current > value, ">=": current >= value}[operator]
    if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
        import fnmatch

        text = "" if current in (False, None) else str(current)
        pattern = str(value)
        base = operator[4:] if operator.startswith("not ") else operator
        if base.endswith("ilike"):
            text, pattern = text.lower(), pattern.lower()
        if base.startswith("="):
            translated = pattern.replace("%", "*").replace("_", "?")
            result = fnmatch.fnmatchcase(text, translated)
        else:
            result = pattern in text
        if operator.startswith("not "):
            return not result
        return result
    raise ValueError(f"Operator {operator!r} cannot be evaluated in Python")
