"""View conditions (``invisible``, ``readonly``, ``required``, ``decoration-*``)
as the web client evaluates them, on the server and in the browser.

    cond = compile_condition("state != 'draft'")     # None for an absent attribute
    cond.evaluate({"state": "done"})                  # True
    cond.fields()                                     # {'state'}
    cond.to_json()                                    # what static/web.js evaluates

Parsing is ``core.views.conditions`` (no eval). A condition the view
layer refuses counts as absent, so that a broken view shows a field
rather than hiding it; the view's validation reports it at install.
"""

from __future__ import annotations

from typing import Any

from core.views.conditions import ConditionError, parse_condition


class Condition:
    def __init__(self, text: str):
        self.text = text
        self._parsed = parse_condition(text)

    def evaluate(self, values: dict) -> bool:
        try:
            return bool(self._parsed.evaluate(values))
        except (KeyError, ValueError, TypeError):
            return False

    def fields(self) -> set[str]:
        return set(self._parsed.fields())

    def to_json(self) -> Any:
        return self._parsed.to_json()


def compile_condition(text: str | None) -> Condition | None:
    """The condition of an attribute value, or None when there is none."""
    if text is None:
        return None
    try:
        return Condition(text)
    except ConditionError:
        return None


def condition_fields(*conditions: Condition | None) -> set[str]:
    """The field names that ``conditions`` read."""
    names: set[str] = set()
    for condition in conditions:
        if condition is not None:
            names |= condition.fields()
    return names
