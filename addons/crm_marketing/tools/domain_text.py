"""Reading the text of a saved segment's domain, without ``eval``.

    parse_domain("[('country_id.code', '=', 'DE')]")
    # [('country_id.code', '=', 'DE')]
    parse_domain("[('date_closed', '>=', context_today() - relativedelta(years=1))]",
                 today=dt.date(2026, 11, 26))
    # [('date_closed', '>=', datetime.date(2025, 11, 26))]

A mailing keeps its segment as text (``mailing.mailing.mailing_domain``), as
Odoo does, so that "the last 90 days" means the 90 days before the day the
mailing is sent. The text is parsed with ``ast`` and walked node by node;
what is accepted:

- literals and containers: strings, numbers, ``True``/``False``/``None``,
  lists, tuples, unary minus;
- ``context_today()`` (today's date in the user's timezone) and ``now()``
  (the current UTC datetime);
- ``relativedelta(years=, months=, weeks=, days=, hours=, minutes=)`` and
  ``timedelta(weeks=, days=, hours=, minutes=)`` (integers only; also as
  ``datetime.timedelta``), and ``+``/``-`` between dates and them;
- on a date: ``.strftime(format)``, ``.isoformat()`` and
  ``.replace(year=, month=, day=)``.

Anything else (other names, attributes, calls, comprehensions, operators)
raises ``ValueError`` naming the part refused: nothing of the text is
executed as Python.
"""

from __future__ import annotations

import ast
import datetime as dt
from typing import Any

_DELTA_UNITS = {"years", "months", "weeks", "days", "hours", "minutes"}
_TIMEDELTA_UNITS = {"weeks", "days", "hours", "minutes"}
_REPLACE_KEYS = {"year", "month", "day"}


class RelativeDelta:
    """A calendar offset: years and months move by calendar (the day clamped to
    the month's end), the rest as a ``timedelta``."""

    def __init__(self, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0,
                 hours: int = 0, minutes: int = 0):
        self.months = years * 12 + months
        self.delta = dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)

    def __neg__(self) -> RelativeDelta:
        result = RelativeDelta()
        result.months, result.delta = -self.months, -self.delta
        return result

    def apply(self, value: dt.date) -> dt.date:
        if self.months:
            month_index = value.year * 12 + value.month - 1 + self.months
            year, month = divmod(month_index, 12)
            month += 1
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            last_day = (next_month - dt.timedelta(days=1)).day
            value = value.replace(year=year, month=month, day=min(value.day, last_day))
        return value + self.delta if self.delta else value


def parse_domain(text: str | None, today: dt.date | None = None,
                 now: dt.datetime | None = None) -> list:
    """The domain written in ``text`` (empty text: ``[]``); ``today`` and
    ``now`` give ``context_today()`` and ``now()``."""
    if not text or not text.strip():
        return []
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"The domain {text!r} is not valid: {exc.msg}") from None
    reader = _Reader(text, today or dt.date.today(),
                     now or dt.datetime.now(dt.UTC).replace(tzinfo=None))
    value = reader.read(tree.body)
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"The domain {text!r} is not a list")
    domain = []
    for item in value:
        if isinstance(item, str) and item in ("&", "|", "!"):
            domain.append(item)
        elif isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
            domain.append(tuple(item))
        else:
            raise ValueError(f"The domain {text!r} has an element that is neither an "
                             f"operator nor a (field, operator, value) triple: {item!r}")
    return domain


class _Reader:
    def __init__(self, source: str, today: dt.date, now: dt.datetime):
        self.source = source
        self.today = today
        self.now = now

    def refuse(self, node: ast.AST) -> ValueError:
        return ValueError(f"{ast.unparse(node)!r} is not allowed in the domain "
                          f"{self.source!r}: only literals, context_today(), now(), "
                          "relativedelta(...), timedelta(...) and date arithmetic are")

    def read(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.read(item) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            value = self.read(node.operand)
            if isinstance(value, (int, float, RelativeDelta, dt.timedelta)) and \
                    not isinstance(value, bool):
                return -value
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            return self.arithmetic(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.refuse(node)

    def arithmetic(self, node: ast.BinOp) -> Any:
        left, right = self.read(node.left), self.read(node.right)
        if isinstance(right, (RelativeDelta, dt.timedelta)) and isinstance(left, dt.date):
            if isinstance(node.op, ast.Sub):
                right = -right
            return right.apply(left) if isinstance(right, RelativeDelta) else left + right
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            return left + right if isinstance(node.op, ast.Add) else left - right
        raise self.refuse(node)

    def call(self, node: ast.Call) -> Any:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id == "datetime" and func.attr == "timedelta":
            name = "timedelta"
        if name in ("context_today", "now") and not node.args and not node.keywords:
            return self.today if name == "context_today" else self.now
        if name in ("relativedelta", "timedelta") and not node.args:
            units = _DELTA_UNITS if name == "relativedelta" else _TIMEDELTA_UNITS
            values = self.keywords(node, units)
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values.values()):
                return RelativeDelta(**values) if name == "relativedelta" else \
                    dt.timedelta(**values)
        if isinstance(func, ast.Attribute):
            owner = self.read(func.value)
            if isinstance(owner, dt.date):
                return self.date_method(node, owner, func.attr)
        raise self.refuse(node)

    def keywords(self, node: ast.Call, allowed: set[str]) -> dict[str, Any]:
        if any(keyword.arg not in allowed for keyword in node.keywords):
            raise self.refuse(node)
        return {keyword.arg: self.read(keyword.value) for keyword in node.keywords}

    def date_method(self, node: ast.Call, value: dt.date, method: str) -> Any:
        args = [self.read(arg) for arg in node.args]
        if method == "strftime" and len(args) == 1 and isinstance(args[0], str) \
                and not node.keywords:
            return value.strftime(args[0])
        if method == "isoformat" and not args and not node.keywords:
            return value.isoformat()
        if method == "replace" and not args:
            values = self.keywords(node, _REPLACE_KEYS)
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values.values()):
                try:
                    return value.replace(**values)
                except ValueError as exc:
                    raise ValueError(f"{ast.unparse(node)!r} in the domain {self.source!r}: "
                                     f"{exc}") from None
        raise self.refuse(node)
