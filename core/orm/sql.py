"""Everything that differs between SQLite and PostgreSQL, in one place.

The rest of the kernel builds SQLAlchemy Core expressions and lets the
dialect compile them; what Core does not cover is here:

- engines: SQLite in WAL mode with a busy timeout, foreign keys on and
  ``BEGIN IMMEDIATE`` so that concurrent writers wait their turn; Unicode
  ``lower()``/``upper()`` on SQLite so that ``ilike`` folds non-ASCII
  letters; PostgreSQL with batched ``executemany`` for updates;
- creating and dropping whole databases;
- ``DateTrunc`` (``date_trunc`` on PostgreSQL, ``strftime`` on SQLite);
- turning an ``IntegrityError`` into a ``ValidationError`` a person can read.

    engine = make_engine("sqlite:///var/troika.db")
    stmt = sa.select(DateTrunc("month", table.c.date_order))
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

SQLITE_BUSY_TIMEOUT_MS = 30_000


def json_type() -> sa.types.TypeEngine:
    # None is SQL NULL, not the JSON 'null': "no value" must match IS NULL
    return sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def escape_like(value: str) -> str:
    """Escape LIKE wildcards so that ``ilike`` matches the text literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def unicode_ilike(column: Any, pattern: str) -> ColumnElement:
    # PostgreSQL: ILIKE; SQLite: lower(x) LIKE lower(y), where lower() is
    # replaced by a Unicode-aware function on every connection (see below).
    return column.ilike(pattern, escape="\\")


# ---------------------------------------------------------------------------
# engines
# ---------------------------------------------------------------------------
def make_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """An engine configured for Troika on either backend."""
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    if url.get_backend_name() == "postgresql":
        if url.get_driver_name() in ("psycopg2", ""):
            kwargs.setdefault("executemany_mode", "values_plus_batch")
        engine = sa.create_engine(url, **kwargs)
        _ping_idle_connections(engine)
        return engine
    raise ValueError(f"Unsupported database URL {url.render_as_string()!r}: "
                     "use sqlite:///path or postgresql+psycopg2://...")


#: a pooled connection idle for longer is checked before use
IDLE_PING_SECONDS = 30.0


def _ping_idle_connections(engine: sa.Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while
    (a server restart or a firewall closes those); a busy worker's connections
    are not pinged on every request, as ``pool_pre_ping`` would."""

    @sa.event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):
        record.info["troika_idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, _proxy):
        since = record.info.get("troika_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as exc:  # noqa: BLE001 - any failure: the pool reconnects
            raise sa.exc.DisconnectionError() from exc


def _sqlite_engine(url: sa.URL, **kwargs: Any) -> sa.Engine:
    database = url.database or ""
    memory = database in ("", ":memory:")
    if not memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs.setdefault("poolclass", sa.pool.StaticPool)
    kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                       "check_same_thread": False})
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # let SQLAlchemy, not the driver, decide when transactions begin,
        # so that SAVEPOINT works (see SQLAlchemy's pysqlite notes)
        dbapi_conn.isolation_level = None
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)
        dbapi_conn.create_function("upper", 1, _upper, deterministic=True)
        cursor = dbapi_conn.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 'like' is case sensitive as on PostgreSQL; 'ilike' compiles to
        # lower(x) LIKE lower(y) and stays insensitive
        cursor.execute("PRAGMA case_sensitive_like=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        # take the write lock up front: a transaction that reads and then
        # writes would otherwise fail with "database is locked" instead of
        # waiting for the busy timeout
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def insert_rows(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """INSERT rows (all with the same keys) in batches; their new ids, in order.

    PostgreSQL: multi-row INSERT ... RETURNING, ordered by SQLAlchemy's
    "insertmanyvalues". SQLite cannot order the RETURNING rows of a batch
    (SQLAlchemy would fall back to one INSERT per row), so the ids are
    assigned here after the current maximum, which is safe because every
    SQLite transaction holds the write lock from its start (BEGIN
    IMMEDIATE), and the rows go to the driver's executemany in one call.
    """
    if len(rows) == 1:
        return [connection.execute(table.insert().returning(table.c.id), rows[0]).scalar_one()]
    if connection.dialect.name != "sqlite":
        stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(stmt, rows).scalars())
    start = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    if table.dialect_options["sqlite"].get("autoincrement"):
        # never reuse the id of a deleted record: start after the highest id
        # ever given (AUTOINCREMENT's counter), as single INSERTs do
        try:
            seq = connection.exec_driver_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (table.name,)).scalar()
        except sa.exc.OperationalError:  # a database made before AUTOINCREMENT
            seq = None
        start = max(start, seq or 0)
    ids = list(range(start + 1, start + 1 + len(rows)))
    names = ("id", *(name for name in rows[0] if name != "id"))
    statement, converters = _sqlite_insert(table, names, connection.dialect)
    params = [(id_, *(convert(row[name]) if convert else row[name]
                      for name, convert in converters))
              for id_, row in zip(ids, rows, strict=True)]
    connection.exec_driver_sql(statement, params)
    return ids


def update_rows(connection: sa.Connection, table: sa.Table, names: tuple,
                items: list[tuple[int, dict]]) -> None:
    """UPDATE each row with values of its own: ``items`` are (id, {name: value}).

    One executemany: batched by psycopg2 on PostgreSQL, and handed to the
    driver directly on SQLite (SQLAlchemy's per-row parameter handling
    would cost more than the UPDATEs themselves).
    """
    if connection.dialect.name != "sqlite":
        stmt = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                .values({name: sa.bindparam(name) for name in names}))
        connection.execute(stmt, [{"_id": id_, **values} for id_, values in items])
        return
    key = ("update", table, names)
    found = _SQLITE_STATEMENTS.get(key)
    if found is None:
        stmt = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                .values({name: sa.bindparam(name) for name in names}))
        compiled = stmt.compile(dialect=connection.dialect)
        # the SET columns in the table's order, then the id of the WHERE clause
        ordered = list(compiled.positiontup)
        if ordered[-1] != "_id" or sorted(ordered[:-1]) != sorted(names):
            raise AssertionError(f"unexpected parameters {ordered}")
        converters = [(name, table.c[name].type._cached_bind_processor(connection.dialect))
                      for name in ordered[:-1]]
        found = _SQLITE_STATEMENTS[key] = (str(compiled), converters)
    statement, converters = found
    if all(convert is None for _name, convert in converters):
        params = [(*(values[name] for name, _c in converters), id_) for id_, values in items]
    else:
        memo = [(name, _memoized(convert) if convert else None)
                for name, convert in converters]
        params = [(*(convert(values[name]) if convert else values[name]
                     for name, convert in memo), id_) for id_, values in items]
    connection.exec_driver_sql(statement, params)


_SQLITE_STATEMENTS: dict[tuple, tuple] = {}
_SQLITE_INSERTS: dict[tuple, tuple[str, list]] = {}


def _sqlite_insert(table: sa.Table, names: tuple, dialect: Any) -> tuple[str, list]:
    """The INSERT text SQLAlchemy compiles for these columns, and how each
    value is bound (as SQLAlchemy's SQLite types would bind it)."""
    key = (table, names)
    found = _SQLITE_INSERTS.get(key)
    if found is None:
        statement = str(table.insert().compile(dialect=dialect, column_keys=list(names)))
        converters = [(name, table.c[name].type._cached_bind_processor(dialect))
                      for name in names[1:]]
        found = _SQLITE_INSERTS[key] = (statement, converters)
    statement, converters = found
    return statement, [(name, _memoized(convert) if convert else None)
                       for name, convert in converters]


def _memoized(convert: Any) -> Any:
    """A bind processor that converts each distinct value once per batch
    (creation dates, states and dates repeat across the rows of a batch)."""
    seen: dict = {}

    def run(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = convert(value)
            return result
        except TypeError:  # unhashable, e.g. a JSON dict
            return convert(value)

    return run


# ---------------------------------------------------------------------------
# whole databases
# ---------------------------------------------------------------------------
_SAFE_DBNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def database_name(url: str | sa.URL) -> str:
    """The name logins use: the PostgreSQL database, or the SQLite file's stem."""
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "memory").stem
    return url.database or ""


def database_exists(url: str | sa.URL) -> bool:
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        return url.database in (None, "", ":memory:") or os.path.exists(url.database)
    engine = sa.create_engine(url.set(database="postgres"))
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": url.database}).scalar()
        return bool(found)
    finally:
        engine.dispose()


def create_database(url: str | sa.URL) -> None:
    """Create an empty database (PostgreSQL: UTF-8 from template0)."""
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        if url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return
    _maintenance(url, "CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0 "
                      "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")


def drop_database(url: str | sa.URL) -> None:
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        if url.database not in (None, "", ":memory:"):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(url.database + suffix).unlink(missing_ok=True)
        return
    _maintenance(url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _maintenance(url: sa.URL, statement: str) -> None:
    """Run CREATE/DROP DATABASE for the URL's database from the postgres database."""
    name = url.database or ""
    if not _SAFE_DBNAME.match(name):
        raise ValueError(f"Invalid database name {name!r}")
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            quoted = conn.dialect.identifier_preparer.quote(name)
            conn.exec_driver_sql(statement.format(name=quoted))
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------
# date_trunc
# ---------------------------------------------------------------------------
GRANULARITIES = ("day", "week", "month", "quarter", "year")


class DateTrunc(FunctionElement):
    """The first day of the day/week/month/quarter/year of a date column."""

    inherit_cache = True
    name = "date_trunc"
    # the granularity is part of the SQL: without it in the cache key, the
    # statement cache would reuse the SQL of another granularity
    _traverse_internals = [*FunctionElement._traverse_internals,
                           ("granularity", InternalTraversal.dp_string)]

    def __init__(self, granularity: str, column: Any):
        if granularity not in GRANULARITIES:
            raise ValueError(f"Invalid date granularity {granularity!r}; "
                             f"use one of {', '.join(GRANULARITIES)}")
        self.granularity = granularity
        super().__init__(column)


@compiles(DateTrunc, "postgresql")
def _date_trunc_pg(element, compiler, **kw):
    (column,) = element.clauses
    # the granularity is one of GRANULARITIES, checked in __init__
    return f"CAST(date_trunc('{element.granularity}', {compiler.process(column, **kw)}) AS DATE)"


@compiles(DateTrunc, "sqlite")
def _date_trunc_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    col = compiler.process(column, **kw)
    gran = element.granularity
    if gran == "day":
        return f"date({col})"
    if gran == "week":
        return f"date({col}, 'weekday 0', '-6 days')"
    if gran == "month":
        return f"strftime('%Y-%m-01', {col})"
    if gran == "year":
        return f"strftime('%Y-01-01', {col})"
    return (f"printf('%s-%02d-01', strftime('%Y', {col}), "
            f"((CAST(strftime('%m', {col}) AS INTEGER) - 1) / 3) * 3 + 1)")


def unwrap_order(expression: Any) -> tuple[Any, bool]:
    """(column, descending) of an ORDER BY expression (``col.desc().nulls_first()``)."""
    descending = False
    while hasattr(expression, "modifier") and hasattr(expression, "element"):
        if getattr(expression.modifier, "__name__", "") == "desc_op":
            descending = True
        expression = expression.element
    return expression, descending


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def integrity_kind(exc: sa.exc.IntegrityError) -> tuple[str, str | None, list[str]]:
    """(kind, constraint name, column names) of an integrity error.

    kind is one of "unique", "not_null", "foreign_key", "check", "other".
    """
    orig = exc.orig
    pgcode = getattr(orig, "pgcode", None)
    if pgcode:
        diag = getattr(orig, "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        column = getattr(diag, "column_name", None)
        kind = {"23505": "unique", "23502": "not_null", "23503": "foreign_key",
                "23514": "check"}.get(pgcode, "other")
        return kind, constraint, [column] if column else []
    message = str(orig)
    for prefix, kind in (("UNIQUE constraint failed: ", "unique"),
                         ("NOT NULL constraint failed: ", "not_null"),
                         ("CHECK constraint failed: ", "check")):
        if message.startswith(prefix):
            rest = message[len(prefix):]
            if kind == "check":
                return kind, rest.strip(), []
            columns = [part.strip().split(".")[-1] for part in rest.split(",")]
            return kind, None, columns
    if "FOREIGN KEY constraint failed" in message:
        return "foreign_key", None, []
    return "other", None, []
