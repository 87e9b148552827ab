"""Combining a view with the views that inherit from it.

    steps = plan(index, record, allowed)        # the views to apply, in order
    arch = build(env, steps)                    # the combined arch (a new tree)

Odoo's semantics: a view is the topmost view of its inheritance chain
with, in order, every ``primary`` view down to it (each applied as specs
to its parent's *combined* arch) and, after each of these, its
``extension`` descendants, depth first, siblings by priority then id.
``allowed(record)`` decides whether an extension applies (the user's
groups against the view's ``groups_id``); an extension that does not apply
takes its own extensions with it.

Errors raise a ViewError naming the view by external id, with the data
file and line when known (``sources``: see ``core.views.validation``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from lxml import etree

from core.views.arch import ORIGIN, ViewError, parse, rename_trees
from core.views.inheritance import apply_specs
from core.views.store import ViewIndex, ViewRecord

if TYPE_CHECKING:
    from core.orm.environment import Environment

#: view id -> (data file, line of its <record>, line of the arch's first line)
Sources = Mapping[int, tuple[Path, int, int]]


def plan(index: ViewIndex, record: ViewRecord,
         allowed: Callable[[ViewRecord], bool]) -> list[ViewRecord]:
    """The views whose archs make up ``record``'s combined arch, in order;
    the first has no parent, the others are applied to it as specs."""
    steps: list[ViewRecord] = []
    chain = [record]
    while chain[-1].inherit_id is not None:
        parent = index.by_id.get(chain[-1].inherit_id)
        if parent is None:
            raise ViewError(f"View {chain[-1].name!r} (id {chain[-1].id}) inherits from an "
                            f"inactive or missing view (id {chain[-1].inherit_id})")
        parent = index.root_of(parent.id)
        if parent in chain:
            raise ViewError(f"Views inherit from each other in a cycle (id {parent.id})")
        chain.append(parent)
    for view in reversed(chain):
        steps.append(view)
        _extensions(index, view.id, allowed, steps, {view.id})
    return steps


def _extensions(index: ViewIndex, view_id: int, allowed: Callable[[ViewRecord], bool],
                steps: list[ViewRecord], seen: set[int]) -> None:
    for child in index.extensions(view_id):
        if child.id in seen:
            raise ViewError(f"Views inherit from each other in a cycle (id {child.id})")
        if allowed(child):
            seen.add(child.id)
            steps.append(child)
            _extensions(index, child.id, allowed, steps, seen)


def build(env: Environment, steps: list[ViewRecord], sources: Sources | None = None,
          annotate: bool = False) -> etree._Element:
    """The combined arch of ``plan``'s steps; ``annotate`` marks every element
    with the id of the view it comes from (``arch.ORIGIN``), for validation."""
    arch = _parse(env, steps[0], sources, annotate)
    for step in steps[1:]:
        specs = _parse(env, step, sources, annotate)
        try:
            arch = apply_specs(arch, specs)
        except ViewError as exc:
            raise view_error(env, step, exc.args[0], getattr(exc, "arch_line", None),
                             sources) from None
    return rename_trees(arch)


def _parse(env: Environment, record: ViewRecord, sources: Sources | None,
           annotate: bool) -> etree._Element:
    if not record.arch.strip():
        raise view_error(env, record, "the view has no architecture", None, sources)
    try:
        root = parse(record.arch)
    except ViewError as exc:
        raise view_error(env, record, f"invalid XML: {exc}", None, sources) from None
    if annotate:
        for element in root.iter(etree.Element):
            element.set(ORIGIN, str(record.id))
    return root


def xmlid_of(env: Environment, view_id: int) -> str | None:
    """``module.name`` of a view, or None (read without access checks)."""
    if "ir.model.data" not in env.registry:
        return None
    table = env.registry["ir.model.data"]._table_obj
    row = env.transaction.execute(
        sa.select(table.c.module, table.c.name)
        .where(table.c.model == "ir.ui.view", table.c.res_id == view_id)
        .order_by(table.c.id).limit(1)).first()
    return f"{row[0]}.{row[1]}" if row else None


def label(env: Environment, record: ViewRecord, sources: Sources | None = None,
          arch_line: int | None = None) -> str:
    """``base.view_partner_form (addons/base/views/res_partner_views.xml:14)``:
    the view's external id (else its name and id), and where it is defined."""
    xmlid = xmlid_of(env, record.id)
    text = xmlid or f"{record.name!r} (id {record.id})"
    source = (sources or {}).get(record.id)
    if source:
        path, record_line, arch_first = source
        line = arch_first + arch_line - 1 if arch_line and arch_first else record_line
        text += f" ({path}:{line})"
    return text


def view_error(env: Environment, record: ViewRecord, message: str, arch_line: int | None,
               sources: Sources | None = None) -> ViewError:
    error = ViewError(f"View {label(env, record, sources, arch_line)}: {message}")
    error.view_id = record.id
    error.arch_line = arch_line
    return error
