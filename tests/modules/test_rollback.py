"""A failing install or upgrade leaves the database exactly as it was, on both
backends: same tables, same columns, same rows, same module states."""

from __future__ import annotations

import shutil

import pytest

from core.exceptions import UserError
from core.modules.data import DataError
from core.modules.graph import DependencyError
from core.modules.manager import open_database
from tests.modules.common import ADDONS, ADDONS_V2, V1, addons_path, snapshot


@pytest.fixture(scope="module")
def database(base_urls):
    """tm_library installed and holding user rows."""
    url = base_urls()
    db = open_database(url, V1)
    db.install(["tm_library"])
    with db.env() as env:
        env["tm.book"].create([{"name": f"Row {i}", "pages": i} for i in range(10)])
    yield db
    db.close()


def test_failing_data_file_rolls_back_everything(database):
    before = snapshot(database.engine)
    registry = database.registry
    with pytest.raises(DataError) as info:
        database.install(["tm_bad_data"])
    message = str(info.value)
    bad_file = ADDONS / "tm_bad_data" / "data" / "tm_bad.xml"
    assert f"{bad_file}:8:" in message          # the line of <field name="colour">
    assert "no field 'colour'" in message
    after = snapshot(database.engine)
    assert sorted(after) == sorted(before)      # no tm_bad table
    assert after == before                      # nor any other change
    assert "tm_bad" not in after
    assert database.registry is registry
    assert "tm.bad" not in database.registry
    with database.env() as env:                 # the registry still matches the schema
        assert env.ref("tm_library.book_dune").pages == 412
        assert env["tm.book"].search_count([]) == 13


def test_malicious_eval_is_refused(database, capfd):
    before = snapshot(database.engine)
    with pytest.raises(DataError) as info:
        database.install(["tm_evil"])
    message = str(info.value)
    assert str(ADDONS / "tm_evil" / "data" / "evil.xml") + ":5:" in message
    assert "__import__" in message and "not allowed" in message
    assert "pwned" not in capfd.readouterr().out
    assert snapshot(database.engine) == before


def test_required_column_without_default_on_a_filled_table(database):
    before = snapshot(database.engine)
    with pytest.raises(UserError) as info:
        database.install(["tm_required"])
    message = str(info.value)
    assert "tm_book.shelf_code" in message
    assert "no default" in message
    assert snapshot(database.engine) == before


def test_dependency_errors_change_nothing(database):
    before = snapshot(database.engine)
    with pytest.raises(DependencyError):
        database.install(["tm_library_ext", "tm_cycle_a"])
    assert snapshot(database.engine) == before


def test_failing_migration_rolls_back_the_upgrade(database, tmp_path):
    """A post migration that fails after the schema was changed and the data
    reloaded: the version, the columns and the rows are as before."""
    v2 = tmp_path / "tm_library"
    shutil.copytree(ADDONS_V2 / "tm_library", v2)
    (v2 / "migrations" / "1.1" / "post-zz-fail.py").write_text(
        "def migrate(env, version):\n    raise RuntimeError('migration failed on purpose')\n")
    before = snapshot(database.engine)
    with pytest.raises(RuntimeError, match="on purpose"):
        open_database(database.url, addons_path(tmp_path, ADDONS))
    assert snapshot(database.engine) == before
    assert "tm_migration_log" not in before


def test_the_database_still_works_after_the_failures(database):
    before = snapshot(database.engine)
    assert database.install(["tm_library_ext"]) == ["tm_library_ext"]
    with database.env() as env:
        assert env["tm.book"].search_count([("copies", "=", 1)]) == 13   # all but Dune
    assert snapshot(database.engine) != before
