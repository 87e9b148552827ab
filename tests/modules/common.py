"""Helpers of the module-system tests: the test addons' folders and
snapshots of a database's schema and content."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
ADDONS = TESTS / "addons"            # the test addons
ADDONS_V2 = TESTS / "addons_v2"      # a second version of tm_library, for upgrades
ADDONS_BAD = TESTS / "addons_bad"    # addons whose manifest is wrong (kept out of ADDONS)


def addons_path(*paths: Path) -> str:
    """An addons_path argument: the folders joined with os.pathsep."""
    return os.pathsep.join(str(path) for path in (paths or (ADDONS,)))


V1 = addons_path(ADDONS)
V2 = addons_path(ADDONS_V2, ADDONS)  # the first path wins for tm_library


def tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def columns(engine: sa.Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in sa.inspect(connection).get_columns(table)}


def rows(engine: sa.Engine, table: str, names: list[str] | None = None) -> list[dict]:
    """Every row of ``table`` (only ``names`` if given), ordered by id."""
    with engine.connect() as connection:
        source = sa.Table(table, sa.MetaData(), autoload_with=connection)
        selected = [source.c[name] for name in names] if names else list(source.c)
        query = sa.select(*selected)
        if "id" in source.c:
            query = query.order_by(source.c.id)
        return [dict(row._mapping) for row in connection.execute(query)]


def snapshot(engine: sa.Engine) -> dict[str, tuple]:
    """{table: (sorted column names, row count, rows)}: what must not change
    when an operation fails."""
    result = {}
    metadata = sa.MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection)     # one batch of catalog queries
        for name, source in sorted(metadata.tables.items()):
            query = sa.select(source).order_by(*source.primary_key.columns or source.c)
            content = [tuple(row) for row in connection.execute(query)]
            result[name] = (sorted(source.c.keys()), len(content), content)
    return result


def row_counts(engine: sa.Engine) -> dict[str, int]:
    """{table: number of rows} of every table."""
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return {name: connection.execute(sa.select(sa.func.count()).select_from(
            sa.table(name))).scalar() for name in names}


def module_states(engine: sa.Engine) -> dict[str, tuple]:
    """{module: (state, installed version)} from ir_module_module."""
    return {row["name"]: (row["state"], row["latest_version"])
            for row in rows(engine, "ir_module_module", ["name", "state", "latest_version"])}


def xmlids(engine: sa.Engine, module: str) -> dict[str, tuple]:
    """{name: (model, res_id, noupdate)} of a module's external ids."""
    return {row["name"]: (row["model"], row["res_id"], bool(row["noupdate"]))
            for row in rows(engine, "ir_model_data", ["module", "name", "model", "res_id",
                                                      "noupdate"])
            if row["module"] == module}
