"""Rendering e-mail templates in jinja2's immutable sandbox.

    render("Hello {{ object.partner_id.name }}", {"object": lead}, html=False)
    render("<p>{{ object.name }}</p>", {"object": lead}, html=True)   # autoescaped

What a template may touch: the values given (``object``: the record, in
the environment of the user who sends it, so access rights and record
rules apply), the fields of records and what they lead to (dates,
numbers, other records), ``ids``, and jinja's own filters. Refused: any
attribute starting with ``_`` (``''.__class__``, ``object._fields``),
anything of a record that is not a field (``object.env``,
``object.sudo()``, ``object.write``, ``object.search``), and any attribute
of the environment, transaction or connection objects should one leak.
A refused attribute renders as nothing when printed and raises
``SecurityError`` when used further (``object.env.cr`` fails, which the
caller reports as a rendering error). Mutating lists or dicts is refused
by the immutable sandbox.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.exceptions import UserError
from core.orm.environment import Environment, Transaction
from core.orm.models import BaseModel
from core.orm.registry import Registry

#: record attributes a template may read besides fields
_RECORD_ATTRIBUTES = frozenset({"ids"})
_FORBIDDEN_TYPES = (Environment, Transaction, Registry, sa.Connection, sa.Engine)


def _finalize(value: Any) -> Any:
    """False and None print as nothing (an empty field), as Odoo's renderers do."""
    if value is None or value is False:
        return ""
    return value


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with Troika's rules for records."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, _FORBIDDEN_TYPES) or isinstance(value, _FORBIDDEN_TYPES):
            return False
        if isinstance(obj, BaseModel):
            return attr in obj._fields or attr in _RECORD_ATTRIBUTES
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, BaseModel) or getattr(obj, "__self__", None) is not None and \
                isinstance(obj.__self__, (BaseModel, *_FORBIDDEN_TYPES)):
            return False
        return super().is_safe_callable(obj)


_SANDBOXES: dict[bool, TemplateSandbox] = {}


def sandbox(html: bool) -> TemplateSandbox:
    """The shared sandbox for HTML (autoescaped) or for text."""
    if html not in _SANDBOXES:
        env = TemplateSandbox(autoescape=html, finalize=_finalize, keep_trailing_newline=True,
                              trim_blocks=False)
        env.filters["format_date"] = lambda value, fmt="%Y-%m-%d": \
            value.strftime(fmt) if value else ""
        _SANDBOXES[html] = env
    return _SANDBOXES[html]


def render(source: str | None, values: dict[str, Any], html: bool = False) -> str:
    """Render ``source`` with ``values``; a mistake or a refused access in the
    template raises UserError naming it."""
    if not source:
        return ""
    try:
        return _compiled(source, html).render(values)
    except UserError:
        raise
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise UserError(f"Failed to render the template: {exc}") from None


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Any:
    try:
        return sandbox(html).from_string(source)
    except TemplateError as exc:
        raise UserError(f"The template is not valid: {exc}") from None
