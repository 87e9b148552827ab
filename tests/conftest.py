"""The fixtures live in tests/fixtures.py; these names are imported by tests."""

from tests.fixtures import (  # noqa: F401
    BACKENDS,
    QueryCounter,
    build_registry,
    fresh_database_url,
    require_backend,
)
