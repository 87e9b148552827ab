"""``read_group``: aggregates by SQL GROUP BY, in Odoo's result format.

    env["sale.order"].read_group(
        [("state", "=", "sale")],
        ["amount_total:sum", "partner_id"],
        ["date_order:month", "partner_id"], lazy=False)
    # [{"date_order:month": "January 2026", "partner_id": (7, "Acme"),
    #   "amount_total": 1200.0, "__count": 3, "__domain": [...],
    #   "__range": {"date_order:month": {"from": "2026-01-01", "to": "2026-02-01"}}}, ...]

Field specs are ``name`` (the field's default aggregate), ``name:agg`` or
``alias:agg(name)`` with agg in sum, avg, min, max, count,
count_distinct, bool_and, bool_or. Group-by specs are a field name or
``date_field:granularity`` (day, week, month, quarter, year). With
``lazy=True`` only the first group-by is applied and each group carries
``<groupby>_count`` and the remaining group-bys in ``__context``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from babel.dates import format_date

from core.orm.sql import GRANULARITIES, DateTrunc, unwrap_order
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel

AGGREGATES = {
    # avg of integers or numerics is a numeric (a Decimal) on PostgreSQL
    "sum": sa.func.sum, "avg": lambda c: sa.func.avg(c, type_=sa.Float()),
    "min": sa.func.min, "max": sa.func.max,
    "count": sa.func.count, "count_distinct": lambda c: sa.func.count(sa.distinct(c)),
    "bool_and": None, "bool_or": None, "array_agg": None,
}
_SPEC = re.compile(r"^\s*(\w+)(?::(\w+)(?:\((\w+)\))?)?\s*$")
_LABEL_FORMATS = {"day": "dd MMM yyyy", "week": "'W'w YYYY", "month": "MMMM yyyy",
                  "quarter": "QQQ yyyy", "year": "yyyy"}


def _aggregate(name: str, column: Any) -> Any:
    if name == "bool_and":
        return sa.func.min(sa.cast(column, sa.Integer)) == 1
    if name == "bool_or":
        return sa.func.max(sa.cast(column, sa.Integer)) == 1
    func = AGGREGATES.get(name)
    if func is None:
        raise ValueError(f"Invalid aggregate function {name!r}; use one of "
                         "sum, avg, min, max, count, count_distinct, bool_and, bool_or")
    return func(column)


def _parse_field_spec(model: BaseModel, spec: str) -> tuple[str, str, str] | None:
    """(alias, field name, aggregate) of a field spec, None for non-aggregates."""
    match = _SPEC.match(spec)
    if not match:
        raise ValueError(f"Invalid field specification {spec!r} in read_group")
    alias, func, argument = match.groups()
    name = argument or alias
    if name == "__count":
        return None
    field = model._fields.get(name)
    if field is None:
        raise ValueError(f"Invalid field {name!r} on model {model._name!r} in read_group")
    if func is None:
        func = field.group_operator
        if func is None or not field.column_backed:
            return None
    if not field.column_backed:
        raise ValueError(f"Field {model._name}.{name} is not stored and cannot be aggregated")
    if func in ("sum", "avg") and field.type not in ("integer", "float", "monetary"):
        raise ValueError(f"Invalid aggregate {spec!r}: {func} needs a number, "
                         f"not the {field.type} field {model._name}.{name}")
    if func in ("bool_and", "bool_or") and field.type != "boolean":
        raise ValueError(f"Invalid aggregate {spec!r}: {func} needs a boolean field")
    return alias, name, func


def _parse_groupby(model: BaseModel, spec: str) -> tuple[str, str, str | None]:
    name, _, granularity = spec.partition(":")
    granularity = granularity or None
    field = model._fields.get(name)
    if field is None:
        raise ValueError(f"Invalid field {name!r} on model {model._name!r} in group by")
    if not field.column_backed:
        raise ValueError(f"Field {model._name}.{name} is not stored and cannot be grouped by")
    if field.type in ("date", "datetime"):
        granularity = granularity or "month"
        if granularity not in GRANULARITIES:
            raise ValueError(f"Invalid granularity {granularity!r} in group by {spec!r}")
    elif granularity:
        raise ValueError(f"Group by {spec!r}: only dates take a granularity")
    # the result key is the spec as given ('date_order' groups by month)
    return spec, name, granularity


def read_group(model: BaseModel, domain: Any, fields: Sequence[str],
               groupby: str | Sequence[str], offset: int = 0, limit: int | None = None,
               orderby: str | None = None, lazy: bool = True) -> list[dict]:
    groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
    applied = groupbys[:1] if lazy else groupbys
    access.check_rights(model, "read")
    model.env.transaction.flush()
    table = model._table_obj
    group_columns = []
    group_specs = []
    for spec in applied:
        key, name, granularity = _parse_groupby(model, spec)
        column = table.c[name]
        if granularity:
            column = DateTrunc(granularity, column)
        elif model._fields[name].type == "boolean":
            # an unset boolean is False: one group, as in Odoo
            column = sa.func.coalesce(column, sa.false())
        group_columns.append(column.label(f"__g{len(group_columns)}"))
        group_specs.append((key, name, granularity))
    aggregates = []
    for spec in fields:
        parsed = _parse_field_spec(model, spec)
        if parsed is None:
            continue
        alias, name, func = parsed
        if any(name == g[1] for g in group_specs) and func != "count":
            continue
        aggregates.append((alias, _aggregate(func, table.c[name]).label(f"__a_{alias}")))
    count = sa.func.count(table.c.id).label("__count")
    stmt = sa.select(*group_columns, *(agg for _alias, agg in aggregates), count) \
        .where(model._where(domain))
    if group_columns:
        stmt = stmt.group_by(*group_columns)
    stmt = _order(model, stmt, group_columns, group_specs, aggregates, orderby)
    if offset:
        stmt = stmt.offset(int(offset))
    if limit:
        stmt = stmt.limit(int(limit))
    rows = model.env.transaction.execute(stmt).all()
    return _format(model, domain, rows, group_specs, aggregates, groupbys, lazy)


def _order(model: BaseModel, stmt: sa.Select, group_columns: list, group_specs: list,
           aggregates: list, orderby: str | None) -> sa.Select:
    expressions = []
    ordered: set[int] = set()
    for key, desc in _orderby_items(orderby):
        index = next((i for i, (spec, name, gran) in enumerate(group_specs)
                      if key in (spec, name, f"{name}:{gran}")), None)
        if index is not None:
            stmt, terms = _group_order(model, stmt, group_columns[index], group_specs[index],
                                       desc)
            expressions.extend(terms)
            ordered.add(index)
            continue
        target = next((agg for alias, agg in aggregates if key == alias), None)
        if key == "__count":
            target = sa.literal_column("__count")
        if target is None:
            raise ValueError(f"Invalid order {orderby!r}: {key!r} is neither grouped "
                             "nor aggregated")
        expressions.append(target.desc().nulls_first() if desc else target.asc().nulls_last())
    for index, column in enumerate(group_columns):
        if index not in ordered:
            stmt, terms = _group_order(model, stmt, column, group_specs[index], False)
            expressions.extend(terms)
    return stmt.order_by(*expressions) if expressions else stmt


def _orderby_items(orderby: str | None) -> list[tuple[str, bool]]:
    """(key, descending) of each term of an orderby ('amount desc, __count')."""
    items: list[tuple[str, bool]] = []
    for part in orderby.split(",") if orderby else ():
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and
                                           words[1].lower() not in ("asc", "desc")):
            raise ValueError(f"Invalid order {orderby!r} in read_group")
        items.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return items


def _group_order(model: BaseModel, stmt: sa.Select, column: Any, spec: tuple,
                 desc: bool) -> tuple[sa.Select, list]:
    """ORDER BY terms of a group column; a many2one follows its target's order
    (e.g. stage sequence), as in search(); empty values sort as in search()."""
    name = spec[1]
    field = model._fields[name]
    terms = []
    if field.type == "many2one":
        comodel = model.env[field.comodel_name]
        table = model._table_obj
        alias = comodel._table_obj.alias(f"__rg_{name}")
        stmt = stmt.outerjoin_from(table, alias, table.c[name] == alias.c.id)
        joins: list = []
        for expr in comodel._order_expressions(alias, None, joins, depth=1):
            target, descending = unwrap_order(expr)
            if desc:
                expr = target.asc().nulls_last() if descending else target.desc().nulls_first()
            stmt = stmt.group_by(target)
            terms.append(expr)
        for join_alias, onclause in joins:
            stmt = stmt.outerjoin_from(alias, join_alias, onclause)
    terms.append(column.desc().nulls_first() if desc else column.asc().nulls_last())
    return stmt, terms


def _format(model: BaseModel, domain: Any, rows: list, group_specs: list,
            aggregates: list, groupbys: list, lazy: bool) -> list[dict]:
    names_by_field: dict[str, dict] = {}
    for index, (_spec, name, _gran) in enumerate(group_specs):
        field = model._fields[name]
        if field.type == "many2one":
            ids = {row[index] for row in rows} - {None}
            targets = model.env[field.comodel_name].sudo().browse(tuple(ids)).exists()
            names_by_field[name] = {t.id: t.display_name for t in targets}
    result = []
    count_key = f"{groupbys[0].split(':')[0]}_count" if lazy and groupbys else "__count"
    for row in rows:
        group: dict[str, Any] = {}
        group_domain: list = list(domain or [])
        ranges: dict[str, Any] = {}
        for index, (spec, name, granularity) in enumerate(group_specs):
            value = row[index]
            field = model._fields[name]
            if granularity:
                start = _as_date(value)
                if start is None:
                    group[spec] = False
                    group_domain = group_domain + [(name, "=", False)]
                    ranges[spec] = False
                    continue
                end = _next_period(start, granularity)
                lang = model.env.lang
                group[spec] = format_date(start, _LABEL_FORMATS[granularity], locale=lang)
                lower, upper = (start, end) if field.type == "date" else (
                    dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time()))
                fmt = (lambda d: d.isoformat()) if field.type == "date" else \
                    (lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
                ranges[spec] = {"from": fmt(lower), "to": fmt(upper)}
                group_domain = group_domain + [(name, ">=", fmt(lower)), (name, "<", fmt(upper))]
            elif field.type == "many2one":
                group[spec] = (value, names_by_field[name].get(value, "")) if value else False
                group_domain = group_domain + [(name, "=", value or False)]
            else:
                if value is None:
                    value = False
                group[spec] = value
                group_domain = group_domain + [(name, "=", value)]
        for alias, _agg in aggregates:
            value = row._mapping[f"__a_{alias}"]
            group[alias] = value if value is not None else (0 if alias else False)
        group[count_key] = row._mapping["__count"]
        group["__domain"] = group_domain
        if ranges:
            group["__range"] = ranges
        if lazy and len(groupbys) > 1:
            group["__context"] = {"group_by": groupbys[1:]}
        result.append(group)
    return result


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _next_period(start: dt.date, granularity: str) -> dt.date:
    if granularity == "day":
        return start + dt.timedelta(days=1)
    if granularity == "week":
        return start + dt.timedelta(days=7)
    if granularity == "year":
        return start.replace(year=start.year + 1)
    months = 3 if granularity == "quarter" else 1
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)
