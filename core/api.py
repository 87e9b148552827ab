"""Decorators that tell the ORM how a model method is to be called.

    class Lead(models.Model):
        @api.depends("expected_revenue", "probability")
        def _compute_weighted(self):
            for lead in self:
                lead.weighted = lead.expected_revenue * lead.probability / 100

        @api.constrains("probability")
        def _check_probability(self):
            ...

The decorators only annotate the function (``model_create_multi`` also
wraps a single dict in a list); the registry reads the annotations when
it composes the model classes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TypeVar

from core.orm.environment import Environment

F = TypeVar("F", bound=Callable)

__all__ = ["Environment", "constrains", "depends", "depends_context", "model",
           "model_create_multi", "onchange"]


def depends(*paths: str) -> Callable[[F], F]:
    """Declare the field paths a compute method reads (``"line_ids.amount"``)."""

    def decorate(func: F) -> F:
        func._depends = tuple(paths)
        return func

    return decorate


def depends_context(*keys: str) -> Callable[[F], F]:
    """Declare the context keys (``"lang"``) the value of a non-stored computed
    field depends on: a value computed in another context is computed again."""

    def decorate(func: F) -> F:
        func._depends_context = tuple(keys)
        return func

    return decorate


def constrains(*names: str) -> Callable[[F], F]:
    """Run the method after create/write when one of these fields changed."""

    def decorate(func: F) -> F:
        func._constrains = tuple(names)
        return func

    return decorate


def onchange(*names: str) -> Callable[[F], F]:
    """Run the method in a form when one of these fields changes."""

    def decorate(func: F) -> F:
        func._onchange = tuple(names)
        return func

    return decorate


def model(func: F) -> F:
    """The method works on the model, not on particular records."""
    func._api_model = True
    return func


def model_create_multi(func: F) -> F:
    """``create`` takes a list of dicts: a single dict is wrapped in a list
    before the method runs, so that overrides can always loop on it."""

    @functools.wraps(func)
    def create(self, vals_list):
        if isinstance(vals_list, Mapping):
            vals_list = [vals_list]
        return func(self, vals_list)

    create._create_multi = True
    return create  # type: ignore[return-value]
