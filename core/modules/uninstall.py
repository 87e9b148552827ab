"""Removing modules from a database, keeping everything else.

    remove_modules(env, ["crm_sale", "crm"], old_registry, new_registry)

Records the modules created from their data files go first (newest
first, through the ORM so that cascades and recomputations happen; a
record that other data still needs, e.g. behind an ``ondelete="restrict"``
reference, is kept and only loses its external id), then the columns the
modules added to other modules' tables, then their own tables, then their
rows in the meta models. The registry without the modules (``new``) says
what must remain; anything in ``old`` that ``new`` lacks is dropped.

SQLite cannot drop a column named in a table-level ``FOREIGN KEY`` clause
(the form ``CREATE TABLE`` uses); the clause is first removed from the
table's schema with the procedure SQLite documents for removing foreign
key constraints (``writable_schema`` in the same transaction), which
changes nothing on disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa

from core.exceptions import UserError, ValidationError
from core.modules.reflection import field_xmlid, model_xmlid
from core.orm.environment import SUPERUSER_ID, Environment, Transaction
from core.orm.registry import Registry

_META = ["ir.model", "ir.model.fields"]


def remove_modules(env: Environment, modules: Sequence[str], old: Registry,
                   new: Registry) -> Environment:
    """Remove ``modules`` (dependents first); returns an environment on ``new``
    in the same transaction."""
    gone_models = [name for name in old.models if name not in new.models]
    gone_fields = [(name, field_name) for name, cls in old.models.items()
                   if name in new.models
                   for field_name in cls._fields if field_name not in new[name]._fields]
    for module in modules:
        _remove_records(env, module, gone_models)
    env.transaction.flush()
    _drop_schema(env, old, new)
    _remove_meta(env, modules, gone_models, gone_fields)
    new_env = Environment(Transaction(new, env.connection), SUPERUSER_ID, {}, True)
    records = new_env["ir.module.module"].search([("name", "in", list(modules))])
    records.write({"state": "uninstalled", "latest_version": False, "demo": False})
    return new_env


def remove_module(env: Environment, module: str, old: Registry, new: Registry) -> None:
    """Remove one module (``new`` is ``old`` without it)."""
    remove_modules(env, [module], old, new)


def _remove_records(env: Environment, module: str, gone_models: list[str]) -> None:
    Data = env["ir.model.data"]  # noqa: N806
    entries = Data.search([("module", "=", module), ("model", "not in", _META)],
                          order="id desc")
    for entry in entries:
        if entry.model not in env or entry.model in gone_models:
            continue  # the table goes away as a whole
        record = env[entry.model].browse(entry.res_id).exists()
        try:
            record.unlink()   # in a savepoint: a refusal leaves the transaction usable
        except (UserError, ValidationError):
            pass              # still needed by other data: it stays, without its id
    entries.unlink()
    # external ids of other modules pointing into the tables that go away
    if gone_models:
        Data.search([("model", "in", gone_models)]).unlink()
    env.transaction.flush()


def _drop_schema(env: Environment, old: Registry, new: Registry) -> None:
    connection = env.connection
    prep = connection.dialect.identifier_preparer
    sqlite = connection.dialect.name == "sqlite"
    for name, table in old.metadata.tables.items():
        if name not in new.metadata.tables:
            continue
        kept = set(new.metadata.tables[name].columns.keys())
        gone = [column.name for column in table.columns if column.name not in kept]
        if not gone:
            continue
        present = {column["name"] for column in sa.inspect(connection).get_columns(name)}
        gone = [column for column in gone if column in present]
        if sqlite:
            for index in sa.inspect(connection).get_indexes(name):
                if set(index["column_names"]) & set(gone):
                    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {prep.quote(index['name'])}")
            _sqlite_drop_foreign_keys(connection, name, gone)
        # PostgreSQL drops the column's indexes and constraints with it
        for column in gone:
            connection.exec_driver_sql(
                f"ALTER TABLE {prep.format_table(table)} DROP COLUMN {prep.quote(column)}")
    gone_tables = [table for name, table in old.metadata.tables.items()
                   if name not in new.metadata.tables]
    if gone_tables:
        old.metadata.drop_all(connection, tables=gone_tables)
    env.transaction.clear()


def _sqlite_drop_foreign_keys(connection: sa.Connection, table: str, columns: list[str]) -> None:
    """Remove the table-level FOREIGN KEY clauses on ``columns`` from the schema."""
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    if not sql:
        return
    new_sql = sql
    for column in columns:
        new_sql = _foreign_key_clause(column).sub("", new_sql)
    if new_sql == sql:
        return
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        connection.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
            (new_sql, table))
        connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema=OFF")


_NAME = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|\w+)'


def _foreign_key_clause(column: str) -> re.Pattern:
    quoted = rf'(?:"{re.escape(column)}"|`{re.escape(column)}`|\[{re.escape(column)}\]|' \
             rf'{re.escape(column)}\b)'
    return re.compile(
        rf",\s*(?:CONSTRAINT\s+{_NAME}\s+)?FOREIGN\s+KEY\s*\(\s*{quoted}\s*\)\s*"
        rf"REFERENCES\s+{_NAME}\s*(?:\([^)]*\))?"
        r"(?:\s+ON\s+(?:DELETE|UPDATE)\s+(?:SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|"
        r"NO\s+ACTION))*"
        r"(?:\s+(?:NOT\s+)?DEFERRABLE(?:\s+INITIALLY\s+(?:DEFERRED|IMMEDIATE))?)?",
        re.IGNORECASE)


def _remove_meta(env: Environment, modules: Sequence[str], gone_models: list[str],
                 gone_fields: list[tuple[str, str]]) -> None:
    names = [model_xmlid(m) for m in gone_models] + [field_xmlid(m, f) for m, f in gone_fields]
    fields_table = env["ir.model.fields"]._table_obj
    for model_name, field_name in gone_fields:
        env.execute(sa.delete(fields_table).where(fields_table.c.model == model_name,
                                                  fields_table.c.name == field_name))
    if gone_models:
        env.execute(sa.delete(fields_table).where(fields_table.c.model.in_(gone_models)))
        models_table = env["ir.model"]._table_obj
        env.execute(sa.delete(models_table).where(models_table.c.model.in_(gone_models)))
    data = env["ir.model.data"]._table_obj
    env.execute(sa.delete(data).where(data.c.module.in_(list(modules)),
                                      data.c.model.in_(_META)))
    if names:
        env.execute(sa.delete(data).where(data.c.name.in_(names), data.c.model.in_(_META)))
    env.transaction.clear()
