"""The views of a database as the view layer reads them, and their cache.

    index = view_index(env)                   # every active ir.ui.view, by id
    index.default_view("res.partner", "form") # lowest priority primary view, or None
    cache = cache_of(env.registry)            # combined archs, per registry
    invalidate(env)                           # a view was created/written/deleted

The index holds the rows of ``ir_ui_view`` (read with two SQL queries,
without access checks: views are metadata every user's client needs) and
the inheritance tree. It and the combined archs built from it are cached
on the registry, which module operations replace, so installing,
upgrading or uninstalling starts afresh.

Keeping the cache right:

- in this process, creating, writing or deleting a view clears it at once
  and again when the transaction ends (commit or rollback: SQLAlchemy's
  connection events), and the transaction that changed views never reads
  nor fills it (it sees its own uncommitted views, others must not);
- other processes (workers) learn of it through the database's cache
  signal (``core.modules.signals``): the transaction bumps it once
  committed, and every process's ``check_signals()`` (at the start of each
  request and job tick) calls ``clear_caches`` for its registry.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.modules import signals
from core.views.arch import ViewError, normalise_type

if TYPE_CHECKING:
    from core.orm.environment import Environment
    from core.orm.registry import Registry


#: entries per kind of cached arch (combined, filtered, generated) before a reset
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class ViewRecord:
    """One row of ``ir_ui_view`` (type normalised: ``tree`` is ``list``)."""

    id: int
    name: str
    model: str
    type: str
    mode: str
    inherit_id: int | None
    priority: int
    arch: str
    group_ids: frozenset[int] = frozenset()

    @property
    def sort_key(self) -> tuple:
        return (self.priority, self.id)


class ViewIndex:
    """The active views of a database and their inheritance tree."""

    def __init__(self, records: Iterable[ViewRecord]):
        self.by_id: dict[int, ViewRecord] = {record.id: record for record in records}
        self.children: dict[int, list[ViewRecord]] = {}
        primaries: dict[tuple[str, str], list[ViewRecord]] = {}
        for record in self.by_id.values():
            if record.inherit_id is not None:
                self.children.setdefault(record.inherit_id, []).append(record)
            if record.mode == "primary":
                primaries.setdefault((record.model, record.type), []).append(record)
        for children in self.children.values():
            children.sort(key=lambda record: record.sort_key)
        # Odoo's default view: the first by the model's order (priority, name, id)
        self.primaries = {key: sorted(views, key=lambda r: (r.priority, r.name, r.id))
                          for key, views in primaries.items()}

    def default_view(self, model: str, view_type: str) -> ViewRecord | None:
        found = self.primaries.get((model, view_type))
        return found[0] if found else None

    def extensions(self, view_id: int) -> list[ViewRecord]:
        """The extension views that inherit directly from a view, in the
        order they apply (priority, then id)."""
        return [child for child in self.children.get(view_id, ()) if child.mode == "extension"]

    def primary_children(self, view_id: int) -> list[ViewRecord]:
        return [child for child in self.children.get(view_id, ()) if child.mode == "primary"]

    def root_of(self, view_id: int) -> ViewRecord:
        """The closest primary view of a view (itself if primary)."""
        record = self.by_id[view_id]
        seen = {record.id}
        while record.mode == "extension" and record.inherit_id is not None:
            if record.inherit_id not in self.by_id:
                raise ViewError(f"View {record.name!r} (id {record.id}) extends an inactive "
                                f"or missing view (id {record.inherit_id})")
            record = self.by_id[record.inherit_id]
            if record.id in seen:
                raise ViewError(f"Views inherit from each other in a cycle (id {record.id})")
            seen.add(record.id)
        return record


@dataclass(eq=False)
class ViewCache:
    """What the view layer keeps for one registry (see the module docstring)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    index: ViewIndex | None = None
    #: (view id, applied extension ids) -> combined arch (never handed out)
    combined: dict[tuple, Any] = field(default_factory=dict)
    #: (view id, applied extension ids, user's group ids) -> filtered arch data
    filtered: dict[tuple, Any] = field(default_factory=dict)
    #: (model, view type, user's group ids) -> generated default arch
    defaults: dict[tuple, Any] = field(default_factory=dict)

    #: incremented by every clear: a value computed before it is not stored
    generation: int = 0

    def clear(self) -> None:
        with self.lock:
            self.generation += 1
            self.index = None
            self.combined.clear()
            self.filtered.clear()
            self.defaults.clear()


    def put(self, store: dict, key: Any, value: Any, generation: int) -> None:
        """Keep ``value`` unless the cache was cleared since ``generation``."""
        with self.lock:
            if generation == self.generation:
                if len(store) >= MAX_ENTRIES:    # many distinct group sets: start again
                    store.clear()
                store[key] = value


def cache_of(registry: Registry) -> ViewCache:
    cache = registry.__dict__.get("_view_cache")
    if cache is None:
        cache = registry.__dict__.setdefault("_view_cache", ViewCache())
    return cache


def clear_caches(registry: Registry) -> None:
    """Forget what is cached for ``registry`` (another process changed views)."""
    cache_of(registry).clear()


#: connections whose transaction changed views -> the caches to clear when it ends
_PENDING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PENDING_LOCK = threading.Lock()


def _end_of_transaction(connection: sa.Connection) -> None:
    with _PENDING_LOCK:
        caches = _PENDING.pop(connection, ())
    for cache in caches:
        cache.clear()


def invalidate(env: Environment) -> None:
    """Views changed in this transaction: clear the registry's cache now and
    when the transaction ends; until then this transaction bypasses it."""
    cache = cache_of(env.registry)
    connection = env.transaction.connection
    with _PENDING_LOCK:
        _PENDING.setdefault(connection, set()).add(cache)
    if not sa.event.contains(connection, "commit", _end_of_transaction):
        sa.event.listen(connection, "commit", _end_of_transaction)
        sa.event.listen(connection, "rollback", _end_of_transaction)
    transaction = env.transaction
    if "views" not in transaction.flags:
        transaction.flags.add("views")
        # once committed, the other processes drop theirs (check_signals)
        transaction.on_commit.append(functools.partial(signals.cache_changed,
                                                       connection.engine))
    transaction.memo.pop("views", None)
    cache.clear()


def changed_here(env: Environment) -> bool:
    """Whether this transaction created, wrote or deleted views."""
    pending = _PENDING.get(env.transaction.connection)
    return bool(pending) and cache_of(env.registry) in pending


def shared_cache(env: Environment) -> ViewCache | None:
    """The registry's cache; None when this transaction must not use it (it
    changed views)."""
    if changed_here(env):
        return None
    return cache_of(env.registry)


def view_index(env: Environment) -> ViewIndex:
    """The index of the active views, from the cache when it may be used."""
    cache = shared_cache(env)
    if cache is None:
        memo = env.transaction.memo.setdefault("views", {})
        if memo.get("own_index") is None:
            memo["own_index"] = _load_index(env)
        return memo["own_index"]
    index = cache.index
    if index is None:
        generation = cache.generation
        index = _load_index(env)
        with cache.lock:
            if cache.generation == generation and cache.index is None:
                cache.index = index
    return index


def _tables(env: Environment) -> tuple[sa.Table, sa.Table, Any]:
    model = env.registry["ir.ui.view"]
    groups = model._fields["groups_id"]
    return model._table_obj, groups.rel_table, groups


def _load_index(env: Environment) -> ViewIndex:
    if "ir.ui.view" not in env.registry:
        return ViewIndex(())
    env.transaction.flush()
    table, rel, groups = _tables(env)
    links: dict[int, set[int]] = {}
    for view_id, group_id in env.transaction.execute(
            sa.select(rel.c[groups.column1], rel.c[groups.column2])):
        links.setdefault(view_id, set()).add(group_id)
    rows = env.transaction.execute(sa.select(
        table.c.id, table.c.name, table.c.model, table.c.type, table.c.mode,
        table.c.inherit_id, table.c.priority, table.c.arch_db).where(
        table.c.active == sa.true()))
    records = []
    for row in rows:
        try:
            view_type = normalise_type(row.type or "")
        except ViewError:
            continue            # qweb templates and the like are not ours
        records.append(ViewRecord(
            id=row.id, name=row.name or "", model=row.model or "", type=view_type,
            mode=row.mode or "primary", inherit_id=row.inherit_id,
            priority=row.priority if row.priority is not None else 16,
            arch=row.arch_db or "", group_ids=frozenset(links.get(row.id, ()))))
    return ViewIndex(records)
