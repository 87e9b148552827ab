"""Small helpers shared by the models of ``base``.

    float_round(2.675, 0.01)             # 2.68 (half away from zero)
    float_is_zero(0.004, 0.01)           # True
    float_compare(1.005, 1.0, 0.01)      # 1
    has_parent_cycle(menus, "parent_id") # True if a menu is its own ancestor

Rounding follows Odoo's ``float_utils`` with a *rounding factor*
(``0.01`` for cents, ``0.05`` for nickels, ``1.0`` for yen) rather than
a number of digits, because that is what a currency stores.
"""

from __future__ import annotations

import math
from typing import Any


def float_round(value: float, precision_rounding: float) -> float:
    """``value`` rounded to a multiple of ``precision_rounding``, half away from zero.

    As Odoo, the value is nudged by an epsilon of its magnitude first, so
    that a decimal typed as 2.675 (stored as 2.67499999...) rounds to 2.68.
    """
    if precision_rounding <= 0:
        raise ValueError(f"A rounding factor must be positive, not {precision_rounding!r}")
    if not value:
        return 0.0
    normalized = value / precision_rounding
    epsilon = 2 ** (math.log(abs(normalized), 2) - 52)
    normalized += math.copysign(epsilon, normalized)
    rounded = math.copysign(math.floor(abs(normalized) + 0.5), normalized)
    # drop the binary noise of the multiplication (0.1 * 3 = 0.30000000000000004)
    return round(rounded * precision_rounding, digits_of(precision_rounding) + 1) + 0.0


def digits_of(precision_rounding: float) -> int:
    """The decimal places a rounding factor keeps (0.01 -> 2, 1.0 -> 0, 0.05 -> 2)."""
    if not 0 < precision_rounding < 1:
        return 0
    return max(0, math.ceil(math.log10(1 / precision_rounding) - 1e-9))


def float_is_zero(value: float, precision_rounding: float) -> bool:
    return abs(float_round(value, precision_rounding)) < precision_rounding


def float_compare(value1: float, value2: float, precision_rounding: float) -> int:
    """-1, 0 or 1 as ``value1`` is below, equal to or above ``value2`` once rounded."""
    delta = float_round(value1, precision_rounding) - float_round(value2, precision_rounding)
    if float_is_zero(delta, precision_rounding):
        return 0
    return -1 if delta < 0 else 1


def has_parent_cycle(records: Any, parent_field: str = "parent_id") -> bool:
    """Whether one of ``records`` is its own ancestor through ``parent_field``."""
    checked: set[int] = set()
    for record in records.with_context(active_test=False):
        seen: set[int] = set()
        current = record
        while current and current.id not in checked:
            if current.id in seen:
                return True
            seen.add(current.id)
            current = current[parent_field]
        checked.update(seen)
    return False


def has_m2m_cycle(records: Any, field: str) -> bool:
    """Whether one of ``records`` reaches itself through the many2many ``field``."""
    for record in records.with_context(active_test=False):
        todo = list(record[field])
        seen: set[int] = set()
        while todo:
            current = todo.pop()
            if current.id == record.id:
                return True
            if current.id in seen:
                continue
            seen.add(current.id)
            todo.extend(current[field])
    return False
