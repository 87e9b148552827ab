"""Environments and transactions: the cache, prefetching, flushing and
recomputation that make a record set fast.

    with db.env() as env:                  # one Transaction, one connection
        leads = env["crm.lead"].search([])  # ids only
        for lead in leads:
            lead.partner_id.name           # 2 queries in all, not 2 per lead

A ``Transaction`` owns the connection and everything that lives as long
as it: the value cache (``{field: {id: value}}``), the computed values
waiting to be written (``towrite``), the stored computed fields waiting
to be recomputed (``tasks``). An ``Environment`` is a cheap view on a
transaction with a user, a context and a superuser flag; ``with_context``
and ``with_user`` make new environments on the same transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import UserError, ValidationError
from core.orm import sql

if TYPE_CHECKING:
    from core.orm.fields import Field
    from core.orm.models import BaseModel
    from core.orm.registry import Registry

SUPERUSER_ID = 1
_logger = logging.getLogger("troika.orm")
#: how many sibling records one fetch loads (Odoo's PREFETCH_MAX)
PREFETCH_MAX = 1000
#: ids per statement for explicit reads, writes and deletes
CHUNK = 10_000


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """Slices of ``items`` of at most ``size`` (ids per statement)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _silent(message: str) -> None:
    """Progress of work outside a module operation: nobody is told."""


class Transaction:
    """One database transaction and the ORM state bound to it."""

    def __init__(self, registry: Registry, connection: sa.Connection):
        self.registry = registry
        self.connection = connection
        self.cache: defaultdict[Field, dict] = defaultdict(dict)
        self.towrite: defaultdict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self.tasks: dict[Field, set] = {}
        self.protected: dict[Field, set] = {}
        self.atomic_depth = 0
        self.query_count = 0
        #: per-transaction memo of lookups (external ids ...), cleared on rollback
        self.memo: dict[str, Any] = {}
        #: whether records were deleted in this transaction
        self.deleted = False
        #: field -> {id: context key} of the context-dependent values in the cache
        self.computed_in: dict[Field, dict] = {}
        #: markers that outlive a rollback to a savepoint (e.g. "security" changed)
        self.flags: set[str] = set()
        #: called once the transaction is committed (e.g. dropping shared caches)
        self.on_commit: list[Callable[[], None]] = []
        #: reports the progress of long work: a module operation sets the
        #: database's reporter (core.modules.progress draws bars with it)
        self.progress: Callable[[str], None] = _silent

    def committed(self) -> None:
        """Run the ``on_commit`` callbacks; the owner of the connection calls
        this right after committing."""
        callbacks, self.on_commit = self.on_commit, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - the commit happened; report and go on
                _logger.exception("A callback after commit failed")
        self.flags.clear()

    # -- SQL -------------------------------------------------------------
    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult:
        self.query_count += 1
        if params is None:
            return self.connection.execute(statement)
        return self.connection.execute(statement, params)

    @contextmanager
    def atomic(self, savepoint: bool = False) -> Iterator[None]:
        """Run a block all or nothing: a savepoint around the outermost call.

        A database error or an exception inside rolls back to the savepoint,
        drops the cache and raises a readable error; the transaction stays
        usable. Inside another block no savepoint is made unless asked for
        (``savepoint=True``, as Odoo's ``cr.savepoint()``): code that catches
        the error of a nested operation and goes on needs one.
        """
        depth = self.atomic_depth
        if depth and not savepoint:
            self.atomic_depth += 1
            try:
                yield
            except sa.exc.DBAPIError as exc:
                # readable for the caller; the outer block rolls back
                raise self._readable_error(exc) from None
            finally:
                self.atomic_depth -= 1
            return
        self.flush()
        point = self.connection.begin_nested()
        self.atomic_depth = depth + 1
        try:
            yield
            self.flush()
        except BaseException as exc:
            self.atomic_depth = depth
            point.rollback()
            protected = dict(self.protected)
            self.clear()
            if depth:  # the computations of the outer block go on
                self.protected.update(protected)
            if isinstance(exc, sa.exc.DBAPIError):
                raise self._readable_error(exc) from None
            raise
        else:
            self.atomic_depth = depth
            point.commit()

    def _readable_error(self, exc: sa.exc.DBAPIError) -> UserError:
        if isinstance(exc, sa.exc.IntegrityError):
            return self.registry.integrity_error(exc)
        _logger.warning("Database error: %s", exc.orig)
        return UserError("The database refused the operation; the details are in the "
                         "server log.")

    # -- cache -----------------------------------------------------------
    def clear(self) -> None:
        """Forget everything cached and pending (after a rollback)."""
        self.cache.clear()
        self.towrite.clear()
        self.tasks.clear()
        self.protected.clear()
        self.memo.clear()
        self.computed_in.clear()

    def invalidate_model(self, model_name: str, ids: Any = None) -> None:
        for field in self.registry[model_name]._fields.values():
            if ids is None:
                self.cache.pop(field, None)
            else:
                values = self.cache.get(field)
                if values:
                    for id_ in ids:
                        values.pop(id_, None)

    def fetch_missing(self, record: BaseModel, field: Field) -> None:
        """Load ``field`` for ``record`` and its prefetch siblings."""
        model = record.browse(())
        cache = self.cache[field]
        from core.orm.fields import NewId

        if isinstance(record._ids[0], NewId):
            if field.compute:
                self.compute_new(record, field)
            else:
                cache[record._ids[0]] = None if field.type not in (
                    "one2many", "many2many") else ()
            return
        ids = [record._ids[0]]
        for id_ in record._prefetch_ids:
            if len(ids) >= PREFETCH_MAX:
                break
            if id_ not in cache and id_ != ids[0] and not isinstance(id_, NewId):
                ids.append(id_)
        records = model.browse(ids)
        if field.compute and not field.store:
            records._compute_field(field)
        elif field.column_backed:
            if self.towrite:
                self.flush_writes()
            if field.prefetch is True:
                fields = [f for f in model._fields.values() if f.column_backed and
                          f.prefetch is True]
            else:
                fields = [field]
            records._fetch_columns(ids, fields)
        elif field.type in ("one2many", "many2many"):
            self.flush()
            cache.update(field.fetch(model.env, ids))
        elif field.compute:
            records._compute_field(field)
        else:
            raise ValueError(f"Field {field} cannot be read")

    def drop_stale(self, field: Field, env: Environment, ids: Any) -> bool:
        """Forget the cached values of a context-dependent field that were
        computed in another context (another language...); True if any."""
        cache = self.cache.get(field)
        if not cache:
            return False
        marks = self.computed_in.get(field, {})
        key = field.context_key(env)
        dropped = False
        for id_ in ids:
            if id_ in cache and marks.get(id_) != key:
                del cache[id_]
                dropped = True
        return dropped

    def compute_new(self, record: BaseModel, field: Field) -> None:
        protected = self.protected.setdefault(field, set())
        protected.update(record._ids)
        try:
            record._call_compute(field)
        finally:
            protected.difference_update(record._ids)
        cache = self.cache[field]
        for id_ in record._ids:
            cache.setdefault(id_, None)

    # -- computed fields -------------------------------------------------
    def add_tasks(self, field: Field, ids: Any) -> None:
        self.tasks.setdefault(field, set()).update(ids)

    def set_computed(self, record: BaseModel, field: Field, value: Any) -> None:
        """Assign a value from inside a compute method."""
        cache = self.cache[field]
        for id_ in record._ids:
            cache[id_] = value
        if field.depends_context:
            marks = self.computed_in.setdefault(field, {})
            key = field.context_key(record.env)
            for id_ in record._ids:
                marks[id_] = key
        if field.store:
            towrite = self.towrite[field.model_name]
            column_value = field.convert_to_column(value)
            name = field.name
            for id_ in record._ids:
                if isinstance(id_, int):
                    values = towrite.get(id_)
                    if values is None:
                        towrite[id_] = {name: column_value}
                    else:
                        values[name] = column_value
        # what depends on a stored computed field is marked once per batch,
        # when the compute method returns (BaseModel._compute_field): doing
        # it here would cost queries for each record assigned

    def recompute(self, field: Field | None = None) -> None:
        """Compute the stored computed fields that wait (one field, or all)."""
        while True:
            if field is not None:
                ids = self.tasks.pop(field, None)
                current = field
            elif self.tasks:
                current = next(iter(self.tasks))
                ids = self.tasks.pop(current)
            else:
                return
            if ids:
                self._recompute(current, ids)
            if field is not None:
                return

    def _recompute(self, field: Field, ids: set) -> None:
        env = Environment(self, SUPERUSER_ID, {"active_test": False}, True)
        model = env[field.model_name]
        existing = [i for i in ids if isinstance(i, int)]
        if not existing:
            return
        records = model.browse(existing)
        if self.deleted:
            # rows may have gone by ORM unlink or by a database cascade
            records = records.exists()
        if records:
            records._compute_field(field)

    def flush_writes(self) -> None:
        """Write the pending computed values, batched per model and fields."""
        while self.towrite:
            model_name, rows = self.towrite.popitem()
            model = self.registry[model_name]
            table = model._table_obj
            groups: dict[tuple, list] = defaultdict(list)
            for id_, values in rows.items():
                groups[tuple(values)].append((id_, values))
            for names, items in groups.items():
                self.query_count += 1
                sql.update_rows(self.connection, table, names, items)

    def flush(self) -> None:
        """Recompute what waits, then write it."""
        while self.tasks or self.towrite:
            self.recompute()
            self.flush_writes()


class Environment(Mapping):
    """A user, a context and a superuser flag on a transaction."""

    def __init__(self, transaction: Transaction, uid: int | None = SUPERUSER_ID,
                 context: Mapping | None = None, su: bool = False):
        self.transaction = transaction
        self.cache = transaction.cache
        self.registry = transaction.registry
        self.uid = uid
        self.context = dict(context or {})
        self.su = su

    def __getitem__(self, model_name: str) -> BaseModel:
        try:
            cls = self.registry.models[model_name]
        except KeyError:
            raise KeyError(f"Unknown model {model_name!r}") from None
        return cls._browse(self, (), ())

    def __iter__(self) -> Iterator[str]:
        return iter(self.registry.models)

    def __len__(self) -> int:
        return len(self.registry.models)

    def __contains__(self, model_name: object) -> bool:
        return model_name in self.registry.models

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Environment) and other.transaction is self.transaction
                and other.uid == self.uid and other.su == self.su
                and other.context == self.context)

    def __hash__(self) -> int:
        return hash((id(self.transaction), self.uid, self.su))

    def __call__(self, user: int | None = None, context: Mapping | None = None,
                 su: bool | None = None) -> Environment:
        uid = self.uid if user is None else user
        return Environment(self.transaction, uid,
                           self.context if context is None else context,
                           self.su if su is None else su)

    # -- conveniences -----------------------------------------------------
    @property
    def lang(self) -> str:
        return self.context.get("lang") or "en_US"

    @property
    def connection(self) -> sa.Connection:
        return self.transaction.connection

    @property
    def user(self) -> BaseModel:
        return self["res.users"].browse(self.uid)

    @property
    def company(self) -> BaseModel:
        company_ids = self.context.get("allowed_company_ids")
        if company_ids:
            return self["res.company"].browse(company_ids[0])
        return self.user.sudo().company_id

    @property
    def companies(self) -> BaseModel:
        company_ids = self.context.get("allowed_company_ids")
        if company_ids:
            return self["res.company"].browse(company_ids)
        return self.user.sudo().company_ids

    def is_superuser(self) -> bool:
        return self.su or self.uid == SUPERUSER_ID

    def ref(self, xmlid: str, raise_if_not_found: bool = True) -> BaseModel | None:
        """The record of an external id (``module.name``)."""
        module, _, name = xmlid.partition(".")
        if not name:
            raise ValueError(f"External id {xmlid!r} must be of the form module.name")
        found = None
        if "ir.model.data" in self.registry.models:
            found = self["ir.model.data"]._xmlid_lookup(module, name)
        if found:
            return self[found[0]].browse(found[1])
        if raise_if_not_found:
            raise ValueError(f"External id not found: {xmlid}")
        return None

    def flush_all(self) -> None:
        self.transaction.flush()

    def invalidate_all(self) -> None:
        self.transaction.flush()
        self.transaction.cache.clear()

    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult:
        """Run a SQLAlchemy Core statement in this transaction (after a flush)."""
        self.transaction.flush()
        return self.transaction.execute(statement, params)


def readable_integrity_error(registry: Registry, exc: sa.exc.IntegrityError) -> ValidationError:
    """A ValidationError that names the constraint and the field."""
    kind, constraint, columns = sql.integrity_kind(exc)
    if constraint and constraint in registry.constraint_messages:
        return ValidationError(registry.constraint_messages[constraint])
    table = registry.table_of_error(exc)
    labels = ", ".join(columns) if columns else (constraint or "")
    if table and columns:
        model = registry.model_of_table(table)
        if model is not None:
            key = tuple(sorted(columns))
            message = registry.unique_messages.get((table, key))
            if kind == "unique" and message:
                return ValidationError(message)
            labels = ", ".join(
                f"'{model._fields[c].string}' ({model._name}.{c})" if c in model._fields else c
                for c in columns)
    if kind == "unique":
        return ValidationError(f"The value of {labels} must be unique; another record "
                               "already has it.")
    if kind == "not_null":
        return ValidationError(f"A value is required for {labels}.")
    if kind == "foreign_key":
        return ValidationError(
            "The operation refers to a record that does not exist, or deletes a record "
            f"that other records still refer to{f' ({labels})' if labels else ''}.")
    if kind == "check":
        return ValidationError(f"The values break the constraint {labels}.")
    return ValidationError(f"The database refused the values: {exc.orig}")
