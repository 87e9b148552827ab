"""Schema synchronisation: make the database match the composed models.

    actions = sync_schema(connection, registry, fill_default)

Missing tables are created (with foreign keys and indexes), missing
columns added to tables that already hold rows. A new required column
is added empty, filled with the field's default, then made NOT NULL
(PostgreSQL); without a default on a non-empty table it stops with a
clear message. A new optional column with a default is filled with it
too, so that existing rows look as if they had been created with it.
A new stored computed column is computed for the existing rows. A column
no required field stands for any more loses NOT NULL (PostgreSQL).
Nothing is ever dropped here: removing tables and columns is the
business of uninstalling a module, never of a sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import AddConstraint, CreateColumn

from core.exceptions import UserError
from core.orm.registry import Registry


def sync_schema(connection: sa.Connection, registry: Registry,
                fill_default: Callable[[str, str], Any] | None = None) -> list[str]:
    """Create or extend tables; returns what it did, one line per action."""
    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    metadata = registry.metadata
    missing = [table for table in metadata.tables.values() if table.name not in existing]
    actions = [f"create table {table.name}" for table in missing]
    if missing:
        metadata.create_all(connection, tables=missing)
    for table in metadata.tables.values():
        if table.name in existing:
            actions.extend(_extend_table(connection, inspector, table, fill_default))
            actions.extend(_relax_not_null(connection, inspector, table))
    _compute_new_columns(connection, registry, actions)
    return actions


def _relax_not_null(connection: sa.Connection, inspector: Any, table: sa.Table) -> list[str]:
    """Drop NOT NULL from the columns no required field stands for any more
    (a field made optional, or left behind by code that no longer declares
    it), as Odoo does: rows created without them must still insert. SQLite
    cannot alter a column; its added columns never get NOT NULL anyway."""
    if connection.dialect.name == "sqlite":
        return []
    actions = []
    prep = connection.dialect.identifier_preparer
    for column in inspector.get_columns(table.name):
        name = column["name"]
        if column.get("nullable", True) or name == "id":
            continue
        declared = table.c.get(name)
        if declared is not None and (not declared.nullable or declared.primary_key):
            continue
        if declared is None and column.get("default") is not None:
            continue  # inserts that leave it out still work
        connection.exec_driver_sql(
            f"ALTER TABLE {prep.format_table(table)} ALTER COLUMN {prep.quote(name)} "
            "DROP NOT NULL")
        actions.append(f"drop not null {table.name}.{name}")
    return actions


def _compute_new_columns(connection: sa.Connection, registry: Registry,
                         actions: list[str]) -> None:
    """Compute the stored computed fields just added for the rows already there,
    as Odoo does: a new column must not read empty on old records."""
    from core.orm.environment import Transaction

    todo = []
    for action in actions:
        if not action.startswith("add column "):
            continue
        table, _, column = action[len("add column "):].partition(".")
        model_cls = registry.model_of_table(table)
        field = model_cls._fields.get(column) if model_cls is not None else None
        if field is not None and field.compute and field.store:
            todo.append((model_cls, field))
    if not todo:
        return
    transaction = Transaction(registry, connection)
    for model_cls, field in todo:
        table = model_cls._table_obj
        ids = list(connection.execute(sa.select(table.c.id)).scalars())
        if ids:
            transaction.add_tasks(field, ids)
    transaction.flush()


def default_filler(env: Any) -> Callable[[str, str], Any]:
    """``fill_default`` for sync_schema: a field's default, in column form."""

    def fill(table: str, column: str) -> Any:
        model_cls = env.registry.model_of_table(table)
        field = model_cls._fields.get(column) if model_cls else None
        if field is None or field.default is None:
            return None
        model = env[model_cls._name]
        return field.convert_to_column(field.convert_to_cache(field.default_value(model),
                                                              model))

    return fill


def _extend_table(connection: sa.Connection, inspector: Any, table: sa.Table,
                  fill_default: Callable | None) -> list[str]:
    actions = []
    present = {column["name"] for column in inspector.get_columns(table.name)}
    dialect = connection.dialect
    prep = dialect.identifier_preparer
    for column in table.columns:
        if column.name in present:
            continue
        nullable_copy = column._copy()
        nullable_copy.nullable = True
        ddl = str(CreateColumn(nullable_copy).compile(dialect=dialect))
        fk = next(iter(column.foreign_keys), None)
        if fk is not None and dialect.name == "sqlite":
            target = fk.column.table.name
            ddl += f" REFERENCES {prep.quote(target)}(id) ON DELETE {fk.ondelete or 'SET NULL'}"
        connection.exec_driver_sql(f"ALTER TABLE {prep.format_table(table)} ADD COLUMN {ddl}")
        actions.append(f"add column {table.name}.{column.name}")
        if fk is not None and dialect.name != "sqlite":
            constraint = fk.constraint
            connection.execute(AddConstraint(constraint))
        if not column.nullable:
            _fill_required(connection, table, column, fill_default)
        elif fill_default is not None:
            # existing rows get the field's default, as new rows would
            value = fill_default(table.name, column.name)
            if value is not None:
                connection.execute(sa.update(table).values({column.name: value}))
    existing = inspector.get_indexes(table.name)
    indexes = {index["name"] for index in existing}
    # by columns too: PostgreSQL shortens names past 63 characters (with a
    # hash), so a long name is not found as it was declared
    covered = {tuple(index["column_names"]) for index in existing}
    for index in table.indexes:
        columns = tuple(column.name for column in index.columns)
        if index.name not in indexes and columns not in covered:
            index.create(connection, checkfirst=True)
            covered.add(columns)
    if dialect.name != "sqlite":
        known = {c["name"] for c in inspector.get_unique_constraints(table.name)}
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint) and constraint.name \
                    and constraint.name not in known:
                connection.execute(AddConstraint(constraint))
                actions.append(f"add constraint {constraint.name}")
    else:
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint) and constraint.name \
                    and constraint.name not in indexes:
                sa.Index(constraint.name, *constraint.columns, unique=True).create(
                    connection, checkfirst=True)
    return actions


def _fill_required(connection: sa.Connection, table: sa.Table, column: sa.Column,
                   fill_default: Callable | None) -> None:
    empty = connection.execute(sa.select(sa.func.count()).select_from(table)
                               .where(column.is_(None))).scalar()
    if empty:
        value = fill_default(table.name, column.name) if fill_default else None
        if value is None:
            raise UserError(
                f"Cannot add the required column {table.name}.{column.name}: {empty} existing "
                "rows have no value for it and the field has no default.")
        connection.execute(sa.update(table).where(column.is_(None)).values({column.name: value}))
    if connection.dialect.name != "sqlite":
        prep = connection.dialect.identifier_preparer
        connection.exec_driver_sql(
            f"ALTER TABLE {prep.format_table(table)} ALTER COLUMN {prep.quote(column.name)} "
            "SET NOT NULL")
