"""Fixtures of the module-system tests: databases with base installed, cloned
from one template per backend and test process (a file copy on SQLite,
CREATE DATABASE ... TEMPLATE on PostgreSQL) instead of installing base
again for every test that needs a database of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from core.modules.manager import open_database
from tests.fixtures import clone_database, fresh_database_url


@pytest.fixture(scope="session")
def base_template(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """``base_template(backend)``: the URL of a database with base installed,
    made once per backend; never open it, clone it (``base_url``)."""
    templates: dict[str, str] = {}
    with ExitStack() as stack:
        def get(backend: str) -> str:
            if backend not in templates:
                directory = str(tmp_path_factory.mktemp("template"))
                url = stack.enter_context(fresh_database_url(backend, directory))
                open_database(url).close()
                templates[backend] = url
            return templates[backend]

        yield get


@pytest.fixture(scope="module")
def base_urls(backend, base_template, tmp_path_factory) -> Iterator[Callable[[], str]]:
    """``base_urls()``: a new database of this module's backend with base
    installed, dropped at the end of the test module."""
    with ExitStack() as stack:
        directory = str(tmp_path_factory.mktemp("clones"))
        yield lambda: stack.enter_context(clone_database(base_template(backend), directory))


@pytest.fixture
def base_url(backend, base_template, tmp_path) -> Iterator[str]:
    """A new database of this backend with base installed, for one test."""
    with clone_database(base_template(backend), str(tmp_path)) as url:
        yield url
