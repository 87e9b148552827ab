"""Registry and cache signals: how several workers notice each other's changes.

Every process that serves a database keeps things in memory: the registry
composed from the installed modules, and caches (access rights, record
rules, views). When one worker installs a module or changes rights, the
others must drop what they hold, without a restart and on any host. Two
counters in the database say when:

    db.signal_registry_change()   # after a module install/upgrade/uninstall committed
    db.signal_cache_change()      # after rights/rules/groups/views changes committed
    db.on_cache_change(callback)  # callback() when another process changed them
    db.check_signals()            # at the start of each request and job-runner tick

``check_signals`` runs ONE query reading both counters (the table
``troika_signal``, two rows, on both backends) on a connection kept for
it in autocommit mode, so it costs one round trip (about 40 µs on a local
PostgreSQL) and never waits for a writer. When the ``registry`` counter
moved since this process last looked, the registry is composed again from
the installed modules; when the ``cache`` counter moved, every callback
registered with ``on_cache_change`` is called.

A process's own changes move its own last-seen values: the worker that
installed a module already has the new registry, and
``signal_cache_change`` calls the callbacks of its own process at once.

When the counters move:

- module operations bump ``registry`` inside their own transaction
  (``bump``), so the signal commits with the new modules or not at all;
  they run one at a time under the module lock, so holding the counter's
  row lock until the commit costs nothing;
- rights, rules and groups bump ``cache`` right after the transaction
  that changed them committed (``cache_changed``, registered on the
  transaction's ``on_commit``): bumping inside every such transaction
  would hold the counter's row lock until its commit, serialising
  unrelated transactions and inviting deadlocks; after the commit, a
  rolled-back change never signals and the others see the new rows by the
  time they see the signal.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

_logger = logging.getLogger("troika.signals")

KINDS = ("registry", "cache")
_metadata = sa.MetaData()
SIGNALS = sa.Table(
    "troika_signal", _metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False, default=0),
)
_READ = "SELECT name, value FROM troika_signal"

#: id(engine) -> the database object signalling through it (see ``cache_changed``)
_DATABASES: dict[int, weakref.ref] = {}


def ensure_table(engine: sa.Engine) -> None:
    """Create the counters if the database has none yet (idempotent; two
    processes doing it at once: the one that loses tries again)."""
    for attempt in (1, 2):
        try:
            with engine.begin() as connection:
                _metadata.create_all(connection, checkfirst=True)
                present = set(connection.execute(sa.select(SIGNALS.c.name)).scalars())
                missing = [{"name": kind, "value": 0} for kind in KINDS
                           if kind not in present]
                if missing:
                    connection.execute(sa.insert(SIGNALS), missing)
            return
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
            if attempt == 2:
                raise


def bump(connection: sa.Connection, kind: str) -> int:
    """Move counter ``kind`` in the connection's transaction; its new value."""
    if kind not in KINDS:
        raise ValueError(f"Unknown signal {kind!r}; expected one of {', '.join(KINDS)}")
    stmt = (sa.update(SIGNALS).where(SIGNALS.c.name == kind)
            .values(value=SIGNALS.c.value + 1).returning(SIGNALS.c.value))
    value = connection.execute(stmt).scalar()
    if value is None:            # a database made before the counters existed
        connection.execute(sa.insert(SIGNALS).values(name=kind, value=1))
        value = 1
    return value


def cache_changed(engine: sa.Engine) -> None:
    """After a commit that changed rights, rules, groups or views: signal it
    through the database object of ``engine`` (else through the engine)."""
    ref = _DATABASES.get(id(engine))
    database = ref() if ref is not None else None
    if database is not None and database.engine is engine:
        database.signal_cache_change()
        return
    with engine.begin() as connection:
        bump(connection, "cache")


class SignalReader:
    """Reads both counters on a connection of its own, in autocommit mode.

    The connection is opened lazily and again in a forked child (a
    connection never crosses a fork: the parent's is kept referenced, not
    closed, so its socket is not shut from the child).
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._connection: Any = None
        self._pid = 0
        self._abandoned: list[Any] = []

    def read(self) -> dict[str, int]:
        with self._lock:
            for attempt in (1, 2):
                try:
                    cursor = self._cursor()
                    try:
                        cursor.execute(_READ)
                        return dict(cursor.fetchall())
                    finally:
                        cursor.close()
                except self.engine.dialect.loaded_dbapi.Error:
                    self._drop()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def _cursor(self) -> Any:
        if self._connection is not None and self._pid != os.getpid():
            self._abandoned.append(self._connection)   # the parent's: leave it alone
            self._connection = None
        if self._connection is None:
            if isinstance(self.engine.pool, sa.pool.StaticPool):
                raise _UsePool()
            raw = self.engine.raw_connection()     # made with the engine's settings
            dbapi = raw.driver_connection
            raw.detach()                  # ours, outside the pool
            dbapi.rollback()
            if self.engine.dialect.name == "postgresql":
                dbapi.autocommit = True
            self._connection, self._pid = dbapi, os.getpid()
        return self._connection.cursor()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - it is broken already
                pass

    def close(self) -> None:
        with self._lock:
            self._drop()


class _UsePool(Exception):
    """An in-memory SQLite database has one connection: share the pool's."""


class SignalsMixin:
    """The signalling half of a database object (needs ``self.engine``).

    ``reload_registry()`` composes the registry again; a subclass that
    composes registries from modules overrides it.
    """

    engine: sa.Engine

    def _init_signals(self) -> None:
        """Create the counters if needed and take their current values as seen;
        called before the registry is composed, so that a change committed
        meanwhile is noticed at the next check."""
        self._signal_lock = threading.RLock()
        self._cache_callbacks: list[Callable[[], Any]] = []
        self._signal_reader = SignalReader(self.engine)
        ensure_table(self.engine)
        self._seen = self._read_signals()
        _DATABASES[id(self.engine)] = weakref.ref(self)

    # -- reading ---------------------------------------------------------------
    def _read_signals(self) -> dict[str, int]:
        try:
            values = self._signal_reader.read()
        except _UsePool:
            with self.engine.connect() as connection:
                values = dict(connection.execute(sa.text(_READ)).all())
        return {kind: values.get(kind, 0) for kind in KINDS}

    @property
    def signal_values(self) -> dict[str, int]:
        """The counters as this process last saw them."""
        return dict(self._seen)

    def check_signals(self) -> None:
        """Reload the registry and drop caches when another process changed them."""
        values = self._read_signals()
        if values == self._seen:
            return
        with self._signal_lock:
            seen = self._seen
            if values["registry"] != seen["registry"]:
                try:
                    self.reload_registry()
                except Exception:  # noqa: BLE001 - keep serving with what we have
                    _logger.exception("Composing the registry again failed; the installed "
                                      "modules changed and this process keeps its registry")
                else:
                    # the new registry is long-lived: out of the collector's sight
                    gc.collect()
                    gc.freeze()
            if values["cache"] != seen["cache"]:
                self._run_cache_callbacks()
            self._seen = {kind: max(values[kind], self._seen[kind]) for kind in KINDS}

    def reload_registry(self) -> None:
        """Compose the registry again from what the database holds."""

    # -- signalling ------------------------------------------------------------
    def signal_registry_change(self) -> None:
        """Tell every process that the model composition changed (after the commit)."""
        with self.engine.begin() as connection:
            value = bump(connection, "registry")
        self._saw_own("registry", value)

    def signal_cache_change(self) -> None:
        """Tell every process to drop its caches (after the commit); this
        process's ``on_cache_change`` callbacks run now."""
        with self.engine.begin() as connection:
            value = bump(connection, "cache")
        self._run_cache_callbacks()
        self._saw_own("cache", value)

    def _saw_own(self, kind: str, value: int) -> None:
        """Our own change moved the counter to ``value``: no reload for it, unless
        another process moved it too since we last looked."""
        with self._signal_lock:
            if self._seen[kind] == value - 1:
                self._seen = {**self._seen, kind: value}

    def on_cache_change(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` whenever rights, rules, groups or views change."""
        with self._signal_lock:
            if callback not in self._cache_callbacks:
                self._cache_callbacks.append(callback)

    def _run_cache_callbacks(self) -> None:
        for callback in list(self._cache_callbacks):
            try:
                callback()
            except Exception:  # noqa: BLE001 - one failing cache must not stop the others
                _logger.exception("A cache-change callback failed")

    def close_signals(self) -> None:
        self._signal_reader.close()
        ref = _DATABASES.get(id(self.engine))
        if ref is not None and ref() is self:
            del _DATABASES[id(self.engine)]
