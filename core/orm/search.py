"""Searching: domains and orders turned into SELECTs (a mixin of ``BaseModel``).

    env["res.partner"].search([("country_id.code", "=", "DE")], limit=10, order="name")
    env["res.partner"].search_count([("is_company", "=", True)])
    env["res.partner"].name_search("acme")

Record rules and ``active_test`` are added to every WHERE clause here
(``_where``); order strings are checked against the model's fields and
never reach SQL as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core import api
from core.exceptions import UserError
from core.orm import domain as dom
from core.orm.sql import unwrap_order
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel

_ORDER_ITEM = re.compile(
    r"^\s*([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.IGNORECASE)


class SearchMixin:
    __slots__ = ()

    def _active_domain_applies(self, tree: dom.Node) -> bool:
        active = self._active_name
        if not active or not self.env.context.get("active_test", True):
            return False
        return not dom.mentions(tree, active)

    def _where(self, domain: Any, table: Any = None) -> Any:
        tree = dom.parse(domain)
        table = self._table_obj if table is None else table
        condition = dom.compile_domain(self, tree, table)
        if self._active_domain_applies(tree):
            condition = sa.and_(table.c[self._active_name] == sa.true(), condition)
        if access.enabled(self.env):
            rules = access.rule_condition(self, "read", table)
            if rules is not None:
                condition = sa.and_(rules, condition)
        return condition

    def _select_ids(self, domain: Any) -> sa.Select:
        """A sub-query of the ids matching the domain (no flush, no order)."""
        table = self._table_obj
        return sa.select(table.c.id).where(self._where(domain))

    def _search(self, domain: Any = (), offset: int = 0, limit: int | None = None,
                order: str | None = None) -> sa.Select:
        access.check_rights(self, "read")
        if order and access.enabled(self.env):
            # sorting by a field tells its values
            access.check_fields(self, [item[0] for item in self._order_items(order)], "read")
        table = self._table_obj
        stmt = sa.select(table.c.id).where(self._where(domain))
        stmt = self._apply_order(stmt, order)
        if offset:
            stmt = stmt.offset(int(offset))
        if limit:
            stmt = stmt.limit(int(limit))
        return stmt

    def search(self, domain: Any = (), offset: int = 0, limit: int | None = None,
               order: str | None = None, count: bool = False) -> BaseModel | int:
        if count:
            return self.search_count(domain, limit=limit)
        self.env.transaction.flush()
        ids = tuple(self.env.transaction.execute(self._search(domain, offset, limit, order))
                    .scalars().all())
        return self._browse(self.env, ids, ids)

    def search_count(self, domain: Any = (), limit: int | None = None) -> int:
        self.env.transaction.flush()
        sub = self._search(domain, limit=limit).order_by(None).subquery()
        stmt = sa.select(sa.func.count()).select_from(sub)
        return int(self.env.transaction.execute(stmt).scalar())

    def search_fetch(self, domain: Any, field_names: Sequence[str], offset: int = 0,
                     limit: int | None = None, order: str | None = None) -> BaseModel:
        """``search`` that loads the columns of ``field_names`` in the same
        query (as Odoo 17); the other fields are read as ``read`` would."""
        self.env.transaction.flush()
        access.check_fields(self, field_names, "read")
        columns = [self._fields[name] for name in field_names
                   if name in self._fields and self._fields[name].column_backed]
        stmt = self._search(domain, offset, limit, order)
        table = self._table_obj
        rows = self.env.transaction.execute(
            stmt.add_columns(*(table.c[f.name] for f in columns))).all()
        ids = tuple(row[0] for row in rows)
        records = self._browse(self.env, ids, ids)
        records._store_rows(rows, columns)
        records._read_into_cache(list(field_names))
        return records

    def search_read(self, domain: Any = None, fields: Sequence[str] | None = None,
                    offset: int = 0, limit: int | None = None,
                    order: str | None = None, **read_kwargs: Any) -> list[dict]:
        names = self._check_field_names(fields)
        records = self.search_fetch(domain or [], names, offset=offset, limit=limit,
                                    order=order)
        if not records:
            return []
        # the values were loaded through the user's rules by the search itself
        return records._read_format(names, **read_kwargs)

    def name_search(self, name: str = "", args: Any = None, operator: str = "ilike",
                    limit: int | None = 100) -> list[tuple[int, str]]:
        domain = list(args or [])
        if name or operator not in ("ilike", "like", "=like", "=ilike"):
            domain = dom.AND([domain, self._display_name_domain(operator, name)])
        records = self.search(domain, limit=limit)
        return [(record.id, record.display_name) for record in records]

    def name_get(self) -> list[tuple[int, str]]:
        """[(id, display name)]: what clients of Odoo 16 and older still call."""
        return [(record.id, record.display_name) for record in self]

    @api.model
    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool:
        """Whether the user may do ``operation`` (read/write/create/unlink) on the model."""
        if operation not in access.OPERATIONS:
            raise ValueError(f"Invalid access operation {operation!r}")
        return access.check_rights(self, operation, raise_exception)

    def name_create(self, name: str) -> tuple[int, str]:
        if not self._rec_name:
            raise UserError(f"Cannot create a {self._description or self._name} from a name.")
        record = self.create({self._rec_name: name})
        return record.id, record.display_name

    # -- order -----------------------------------------------------------
    def _order_items(self, order: str | None) -> list[tuple[str, bool, str | None]]:
        order = order or self._order or "id"
        if not isinstance(order, str):
            raise ValueError(f"Invalid order {order!r}: a comma-separated list of fields")
        items = []
        for part in order.split(","):
            match = _ORDER_ITEM.match(part)
            if not match:
                raise ValueError(f"Invalid order {order!r} on {self._name}: {part.strip()!r} "
                                 "is not 'field [asc|desc] [nulls first|last]'")
            name, direction, nulls = match.groups()
            field = self._fields.get(name)
            if field is None or not (field.column_backed or name == "id"):
                raise ValueError(f"Invalid order {order!r}: {name!r} is not a stored "
                                 f"field of {self._name}")
            items.append((name, (direction or "asc").lower() == "desc",
                          nulls.lower() if nulls else None))
        return items

    def _order_expressions(self, table: Any, order: str | None, joins: list,
                           depth: int = 0) -> list:
        expressions = []
        for name, desc, nulls in self._order_items(order):
            field = self._fields[name]
            if field.type == "many2one" and depth < 2:
                comodel = self.env[field.comodel_name]
                alias = comodel._table_obj.alias(f"{table.name}__{name}")
                joins.append((alias, table.c[name] == alias.c.id))
                sub = comodel._order_expressions(alias, None, joins, depth + 1)
                if desc:
                    sub = [_reverse(expr) for expr in sub]
                expressions.extend(sub)
                continue
            column = table.c[name]
            if getattr(field, "translate", False):
                column = field.translated_column(self, column)
            elif field.type == "boolean":
                # an unset boolean is False (as in Odoo), not an empty value
                column = sa.func.coalesce(column, sa.false())
            expr = column.desc() if desc else column.asc()
            # PostgreSQL's default everywhere: empty values last ascending
            if nulls == "first" or (nulls is None and desc):
                expr = expr.nulls_first()
            else:
                expr = expr.nulls_last()
            expressions.append(expr)
        return expressions

    def _apply_order(self, stmt: sa.Select, order: str | None) -> sa.Select:
        joins: list = []
        table = self._table_obj
        expressions = self._order_expressions(table, order, joins)
        for alias, onclause in joins:
            stmt = stmt.outerjoin_from(table, alias, onclause)
        if not any(unwrap_order(e)[0] is table.c.id for e in expressions):
            expressions.append(table.c.id.asc() if not expressions else table.c.id.desc()
                               if _is_desc(expressions[-1]) else table.c.id.asc())
        return stmt.order_by(*expressions)


def _is_desc(expression: Any) -> bool:
    return unwrap_order(expression)[1]


def _reverse(expression: Any) -> Any:
    column, descending = unwrap_order(expression)
    return column.asc().nulls_last() if descending else column.desc().nulls_first()
