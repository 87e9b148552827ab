"""Rights, rules and groups are kept for the process between transactions
(``access.SharedCache``): a later transaction does not query them again, and a
committed change reaches the next transaction; a rolled-back one leaves nothing."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError
from core.security import access
from tests.fixtures import QueryCounter
from tests.security.conftest import ADDONS


@pytest.fixture
def database(installed_db):
    database = installed_db(("ts_sales",), ADDONS)
    access.shared_cache(database.registry).clear()
    return database


@pytest.fixture
def user(database):
    with database.env() as env:
        found = env["res.users"].search([("login", "=", "shared_cache_user")])
        found = found or env["res.users"].create({
            "name": "Shared", "login": "shared_cache_user",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        found.groups_id = [(6, 0, [env.ref("base.group_user").id])]
        return found.id


def _search_orders(database, uid) -> int:
    """SELECT statements of a search of orders as ``uid`` in a new transaction."""
    with QueryCounter(database.engine) as counter, database.env(user=uid) as env:
        env["ts.order"].search([])
    return len(counter.matching("SELECT"))


def test_a_second_transaction_reuses_rights_and_rules(database, user):
    with database.env() as env:
        env["res.users"].browse(user).groups_id = [(4, env.ref("ts_sales.group_own").id)]
    first = _search_orders(database, user)
    second = _search_orders(database, user)
    assert second == 1          # the search itself: groups, rights, rules are known
    assert first > second


def test_a_committed_change_reaches_the_next_transaction(database, user):
    with database.env() as env:
        env["res.users"].browse(user).groups_id = [(4, env.ref("ts_sales.group_own").id)]
    _search_orders(database, user)
    with database.env() as env:
        env["res.users"].browse(user).groups_id = [(3, env.ref("ts_sales.group_own").id)]
    with pytest.raises(AccessError):
        _search_orders(database, user)
    with database.env() as env:
        env.ref("ts_sales.group_own").users = [(4, user)]
    _search_orders(database, user)
    with database.env() as env:
        env.ref("ts_sales.access_ts_order_own").perm_read = False
    try:
        with pytest.raises(AccessError):
            _search_orders(database, user)
    finally:
        with database.env() as env:
            env.ref("ts_sales.access_ts_order_own").perm_read = True


def test_a_rolled_back_transaction_publishes_nothing(database, user):
    with database.env() as env:
        env["res.users"].browse(user).groups_id = [(4, env.ref("ts_sales.group_own").id)]
    with pytest.raises(RuntimeError), database.env(user=user) as env:
        env["ts.order"].search([])
        raise RuntimeError("rolled back")
    assert _search_orders(database, user) > 1


def test_what_a_changing_transaction_sees_stays_its_own(database, user):
    with database.env() as env:
        env["res.users"].browse(user).groups_id = [(4, env.ref("ts_sales.group_own").id)]
    _search_orders(database, user)
    with pytest.raises(RuntimeError), database.env() as env:
        env["res.users"].browse(user).groups_id = [(3, env.ref("ts_sales.group_own").id)]
        with pytest.raises(AccessError):
            env["ts.order"].with_user(user).search([])
        raise RuntimeError("rolled back")
    # the change was rolled back: the user may search again, and the cache was
    # emptied when the change was made
    assert _search_orders(database, user) > 1


def test_another_process_drops_its_cache_at_its_next_check(database, user):
    """A second database object (another worker) caches the rights, a change
    committed through the first reaches it at its next ``check_signals()``."""
    from core.modules.manager import open_database

    url = database.engine.url.render_as_string(hide_password=False)
    other = open_database(url, ADDONS)
    try:
        with database.env() as env:
            env["res.users"].browse(user).groups_id = [(4, env.ref("ts_sales.group_own").id)]
        other.check_signals()
        _search_orders(other, user)
        assert _search_orders(other, user) == 1      # cached in the other worker
        with database.env() as env:
            env["res.users"].browse(user).groups_id = [(3, env.ref("ts_sales.group_own").id)]
        other.check_signals()
        with pytest.raises(AccessError):
            _search_orders(other, user)
    finally:
        other.close()
