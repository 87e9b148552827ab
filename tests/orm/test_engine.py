"""Engines: a pooled PostgreSQL connection closed by the server while idle is
replaced before use, without a ping on every checkout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.orm import sql
from tests.fixtures import fresh_database_url


@pytest.fixture
def pg_engine(tmp_path):
    with fresh_database_url("postgresql", str(tmp_path)) as url:
        engine = sql.make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def _terminate(engine, pid: int) -> None:
    admin = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()


def test_an_idle_connection_closed_by_the_server_is_replaced(pg_engine, monkeypatch):
    pid = _backend_pid(pg_engine)
    _terminate(pg_engine, pid)
    monkeypatch.setattr(sql, "IDLE_PING_SECONDS", 0.0)
    assert _backend_pid(pg_engine) != pid       # no error: the pool reconnected


def test_a_recently_used_connection_is_not_pinged(pg_engine):
    """Within the idle delay the pool trusts the connection (no round trip per
    request): a server-side close then fails one use, and the pool recovers."""
    pid = _backend_pid(pg_engine)
    _terminate(pg_engine, pid)
    with pytest.raises(sa.exc.OperationalError):
        _backend_pid(pg_engine)
    assert _backend_pid(pg_engine) != pid
