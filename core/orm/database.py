"""A database: an engine, the registry of its models, and transactions.

    db = Database("sqlite:///var/troika.db", registry)
    db.sync_schema()
    with db.env() as env:            # commit on success, rollback on error
        env["res.partner"].create({"name": "Acme"})
    db.close()

``core.open_database`` builds the registry from the installed addons;
this class is the layer below it, usable with any registry (the tests
build registries from a handful of model classes).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import sqlalchemy as sa

from core.exceptions import AccessDenied
from core.orm import sql
from core.orm.environment import SUPERUSER_ID, Environment, Transaction
from core.orm.registry import Registry
from core.orm.schema import default_filler, sync_schema


class Database:
    """One database (SQLite file or PostgreSQL) with its model registry."""

    def __init__(self, url: str | sa.URL, registry: Registry | None = None,
                 engine: sa.Engine | None = None):
        self.url = sa.make_url(url)
        self.name = sql.database_name(self.url)
        self.engine = engine or sql.make_engine(self.url)
        self.registry = registry or Registry()
        self.dialect = self.engine.dialect.name

    def sync_schema(self) -> list[str]:
        """Create the tables and columns the registry's models need."""
        with self.engine.begin() as connection:
            env = Environment(Transaction(self.registry, connection), SUPERUSER_ID, {}, True)
            return sync_schema(connection, self.registry, default_filler(env))

    @contextmanager
    def env(self, user: int | str | None = None, context: Mapping | None = None,
            su: bool | None = None) -> Iterator[Environment]:
        """An environment in a new transaction: commit on success, else roll back."""
        with self.engine.connect() as connection:
            outer = connection.begin()
            transaction = Transaction(self.registry, connection)
            try:
                uid = self._resolve_user(transaction, user)
                if su is None:
                    su = user is None
                env = Environment(transaction, uid, context or {}, su)
                yield env
                transaction.flush()
                outer.commit()
                transaction.committed()
            except BaseException:
                if outer.is_active:
                    outer.rollback()
                raise

    def _resolve_user(self, transaction: Transaction, user: int | str | None) -> int:
        if user is None:
            return SUPERUSER_ID
        if isinstance(user, int):
            return user
        if "res.users" not in self.registry:
            raise AccessDenied(f"Unknown user {user!r}")
        env = Environment(transaction, SUPERUSER_ID, {"active_test": False}, True)
        found = env["res.users"].search([("login", "=", user)], limit=1)
        if not found:
            raise AccessDenied(f"Unknown user {user!r}")
        return found.id

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
