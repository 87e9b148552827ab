"""The QWeb expressions a kanban card may hold, read without evaluating anything.

    parse_qweb_condition("record.priority.raw_value == '3' and not record.user_id.value")
    # the condition of core.views.conditions: priority == '3' and not user_id
    value_reference("record.hours.value")      # ("hours", "value")
    value_reference("record.stage_id.raw_value")   # ("stage_id", "raw_value")
    value_reference("name")                    # ("name", "value")

Cards use a small part of QWeb: ``t-if``/``t-elif`` hold a condition
written with ``record.<field>.raw_value``, ``record.<field>.value`` or the
plain field name (``record.<field>.raw_value`` becomes ``<field>``, then
the text is a condition of ``core.views.conditions``: comparisons with
literals, ``and``/``or``/``not``, no calls); ``t-esc``/``t-out`` name one
field's value. Anything else (function calls, ``widget.*``, ``luxon``,
arithmetic) is refused with a ``ConditionError``.
"""

from __future__ import annotations

import re

from core.views.conditions import Condition, ConditionError, parse_condition

#: the QWeb attributes a kanban card may use
QWEB_ATTRIBUTES = frozenset({"t-if", "t-elif", "t-else", "t-esc", "t-out"})
QWEB_CONDITIONS = ("t-if", "t-elif")
QWEB_VALUES = ("t-esc", "t-out")
_RECORD = re.compile(r"\brecord\.([A-Za-z][A-Za-z0-9_]*)\.(raw_value|value)\b")
_REFERENCE = re.compile(r"^\s*(?:record\.([A-Za-z][A-Za-z0-9_]*)\.(raw_value|value)"
                        r"|([A-Za-z][A-Za-z0-9_]*))\s*$")


def condition_text(expression: str) -> str:
    """``expression`` with ``record.<field>.raw_value``/``.value`` written ``<field>``."""
    return _RECORD.sub(lambda match: match.group(1), expression)


def parse_qweb_condition(expression: str) -> Condition:
    """The condition of a ``t-if``/``t-elif`` (ConditionError when refused)."""
    if not expression or not expression.strip():
        raise ConditionError("an empty t-if")
    return parse_condition(condition_text(expression))


def value_reference(expression: str) -> tuple[str, str]:
    """(field, "value" | "raw_value") of a ``t-esc``/``t-out`` expression."""
    match = _REFERENCE.match(expression or "")
    if not match:
        raise ConditionError(f"{expression!r}: t-esc/t-out show record.<field>.value, "
                             "record.<field>.raw_value or a field name")
    if match.group(3):
        return match.group(3), "value"
    return match.group(1), match.group(2)
