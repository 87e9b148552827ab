"""Registry and cache signals between processes: two Database objects on one
database stand for two workers. On SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from core.modules.manager import Database
from core.modules.signals import SIGNALS, bump
from tests.http.conftest import ADDONS


@pytest.fixture
def pair(base_url):
    """Two database objects ("workers") on one database with base installed."""
    first, second = Database(base_url, ADDONS), Database(base_url, ADDONS)
    yield first, second
    first.close()
    second.close()


def test_an_install_is_seen_by_the_other_worker(pair):
    first, second = pair
    assert first.install(["th_notes"]) == ["th_notes"]
    assert "th.note" in first.registry
    assert "th.note" not in second.registry
    second.check_signals()
    assert "th.note" in second.registry
    with second.env() as env:
        assert env.ref("th_notes.note_welcome").name == "Welcome"
        env["th.note"].create({"name": "Written through the other worker"})
    first.uninstall(["th_notes"])
    second.check_signals()
    assert "th.note" not in second.registry


def test_own_changes_do_not_reload(pair, monkeypatch):
    first, second = pair
    reloads = []
    monkeypatch.setattr(first, "reload_registry", lambda: reloads.append("first"))
    first.install(["th_notes"])
    first.check_signals()
    assert reloads == []
    assert first.signal_values["registry"] == second.signal_values["registry"] + 1


def test_cache_callbacks(pair):
    first, second = pair
    fired = {"first": 0, "second": 0}
    first.on_cache_change(lambda: fired.__setitem__("first", fired["first"] + 1))
    second.on_cache_change(lambda: fired.__setitem__("second", fired["second"] + 1))
    second.check_signals()
    assert fired == {"first": 0, "second": 0}
    with first.env() as env:            # a group changes: committed, then signalled
        env["res.groups"].create({"name": "Export managers"})
    assert fired == {"first": 1, "second": 0}     # the process that did it: at once
    second.check_signals()
    assert fired == {"first": 1, "second": 1}
    second.check_signals()
    first.check_signals()
    assert fired == {"first": 1, "second": 1}     # once per change


def test_a_rolled_back_change_does_not_signal(pair):
    first, second = pair
    before = second.signal_values
    with pytest.raises(RuntimeError), first.env() as env:
        env["res.groups"].create({"name": "Never committed"})
        raise RuntimeError("roll back")
    fired = []
    second.on_cache_change(lambda: fired.append(1))
    second.check_signals()
    assert fired == []
    assert second.signal_values == before


def test_explicit_signals(pair):
    first, second = pair
    fired = []
    second.on_cache_change(lambda: fired.append(1))
    first.signal_cache_change()
    reloads = []
    original = second.reload_registry
    second.reload_registry = lambda: (reloads.append(1), original())
    first.signal_registry_change()
    second.check_signals()
    assert fired == [1] and reloads == [1]


def test_a_bump_is_transactional(pair):
    first, _second = pair
    with first.engine.connect() as connection:
        connection.begin()
        bump(connection, "cache")
        connection.rollback()
    with first.engine.connect() as connection:
        value = connection.execute(sa.select(SIGNALS.c.value).where(
            SIGNALS.c.name == "cache")).scalar()
    assert value == first.signal_values["cache"]
    with pytest.raises(ValueError):
        bump(None, "everything")


def test_the_check_is_cheap(pair, backend):
    """One query on a connection of its own; the RPC hot path pays it per call."""
    _first, second = pair
    second.check_signals()
    calls = 500
    started = time.perf_counter()
    for _ in range(calls):
        second.check_signals()
    per_call = (time.perf_counter() - started) / calls
    # measured: ~40 µs on a local PostgreSQL, ~8 µs on SQLite; loose for a busy machine
    assert per_call < 0.002, f"{per_call * 1e6:.0f} µs per check on {backend}"
