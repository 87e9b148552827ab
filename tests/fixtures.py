"""Fixtures shared by the whole suite (a pytest plugin loaded by the root conftest.py).

Every ORM-level test runs on both backends: the ``db_url`` fixture is
parametrised over SQLite and PostgreSQL and gives each test module a
fresh, empty database, dropped afterwards. A test module declares the
model classes it needs in ``MODELS``; the ``db`` fixture composes them
into a registry and creates their tables:

    MODELS = [Partner, Lead]

    def test_create(env):                      # rolled back after the test
        lead = env["crm.lead"].create({"name": "Acme"})
        assert lead.name == "Acme"

PostgreSQL comes from ``TROIKA_TEST_PG``. Without a server, PostgreSQL
tests skip with the reason, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
import sqlalchemy as sa

from core.orm import sql
from core.orm.database import Database
from core.orm.environment import SUPERUSER_ID, Environment, Transaction
from core.orm.registry import Registry

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]


@cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL at {PG_URL} does not answer ({type(exc).__name__}: {exc})"
    finally:
        engine.dispose()
    return None


def require_backend(backend: str) -> None:
    if backend != "postgresql":
        return
    reason = postgres_unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; PostgreSQL is required in CI")
        pytest.skip(reason)


@contextmanager
def fresh_database_url(backend: str, directory: str) -> Iterator[str]:
    """A URL of a new empty database, dropped when the block ends."""
    require_backend(backend)
    if backend == "sqlite":
        url = f"sqlite:///{directory}/troika_{uuid.uuid4().hex[:8]}.db"
    else:
        name = f"troika_test_{uuid.uuid4().hex[:12]}"
        url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        sql.create_database(url)
    try:
        yield url
    finally:
        sql.drop_database(url)


@contextmanager
def clone_database(template: str, directory: str, prefix: str = "troika") -> Iterator[str]:
    """A new database holding what ``template`` holds, dropped after the block
    (SQLite: the backup API, which includes the WAL; PostgreSQL: CREATE
    DATABASE ... TEMPLATE)."""
    import sqlite3

    source = sa.make_url(template)
    if source.get_backend_name() == "sqlite":
        url = f"sqlite:///{directory}/{prefix}_{uuid.uuid4().hex[:8]}.db"
        src = sqlite3.connect(source.database)
        dst = sqlite3.connect(sa.make_url(url).database)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    else:
        require_backend("postgresql")
        name = f"{prefix}_test_{uuid.uuid4().hex[:12]}"
        url = source.set(database=name).render_as_string(hide_password=False)
        engine = sa.create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                preparer = connection.dialect.identifier_preparer
                connection.exec_driver_sql(f"CREATE DATABASE {preparer.quote(name)} TEMPLATE "
                                           f"{preparer.quote(source.database)}")
        finally:
            engine.dispose()
    try:
        yield url
    finally:
        sql.drop_database(url)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def db_url(backend, tmp_path_factory) -> Iterator[str]:
    with fresh_database_url(backend, str(tmp_path_factory.mktemp("db"))) as url:
        yield url


def build_registry(classes) -> Registry:
    registry = Registry()
    for cls in classes:
        registry.add(cls, module="test")
    registry.setup()
    return registry


@pytest.fixture(scope="module")
def db(db_url, request) -> Iterator[Database]:
    """The test module's MODELS in a fresh database of each backend."""
    classes = getattr(request.module, "MODELS", None)
    if not classes:
        raise RuntimeError(f"{request.module.__name__} uses the db fixture without MODELS")
    database = Database(db_url, build_registry(classes))
    database.sync_schema()
    yield database
    database.close()


@pytest.fixture
def env(db) -> Iterator[Environment]:
    """A superuser environment whose work is rolled back after the test."""
    with db.engine.connect() as connection:
        outer = connection.begin()
        transaction = Transaction(db.registry, connection)
        try:
            yield Environment(transaction, SUPERUSER_ID, {}, True)
        finally:
            if outer.is_active:
                outer.rollback()


class QueryCounter:
    """Counts the SQL statements an engine executes inside a ``with`` block."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)

    def matching(self, prefix: str) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith(prefix.upper())]


@pytest.fixture
def count_queries(db):
    """``with count_queries() as counter: ...; counter.count``"""
    return lambda: QueryCounter(db.engine)


@pytest.fixture(scope="module")
def installed_db(backend, tmp_path_factory):
    """``installed_db(("crm",))``: a database of this backend with these modules
    installed (made once per test module and module set)."""
    from contextlib import ExitStack

    from core.modules.manager import open_database

    databases: dict = {}
    stack = ExitStack()
    directory = str(tmp_path_factory.mktemp("addons_db"))

    def get(modules: tuple = ("base",), addons_path: str | None = None, demo: bool = False):
        key = (tuple(modules), addons_path, demo)
        if key not in databases:
            url = stack.enter_context(fresh_database_url(backend, directory))
            database = open_database(url, addons_path, demo=demo)
            database.install(list(modules), demo=demo)
            databases[key] = database
        return databases[key]

    yield get
    for database in databases.values():
        database.close()
    stack.close()


@pytest.fixture
def addon_env(installed_db):
    """``addon_env("crm")``: a superuser environment on a database with the
    module installed; what the test does is rolled back."""
    scopes = []

    def make(*modules: str, addons_path: str | None = None, demo: bool = False):
        database = installed_db(modules or ("base",), addons_path, demo)
        connection = database.engine.connect()
        scopes.append((connection, connection.begin()))
        return Environment(Transaction(database.registry, connection), SUPERUSER_ID, {}, True)

    yield make
    for connection, outer in scopes:
        if outer.is_active:
            outer.rollback()
        connection.close()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright (a test that asks for
    it fails in CI when Chromium is missing, and skips elsewhere)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, timeout_ms: int = 15_000, **context_options) -> Iterator:
    """A page in a fresh browser context; the block fails on any script error."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                     **context_options})
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def log_in(page, base: str, login: str, password: str | None = None) -> None:
    """Log in through the login form and wait for the home page."""
    page.goto(f"{base}/web/login")
    page.fill("#login", login)
    page.fill("#password", login if password is None else password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/web")
