"""Uninstalling, on both backends: refused while a dependent is installed;
otherwise exactly the module's tables, columns, records and external ids go."""

from __future__ import annotations

import pytest

from core.exceptions import UserError
from core.modules.manager import Database, open_database
from tests.modules.common import (
    V1,
    columns,
    module_states,
    row_counts,
    rows,
    snapshot,
    tables,
    xmlids,
)

LIBRARY_COLUMNS = ["id", "name", "isbn", "pages", "create_date", "write_date"]


@pytest.fixture(scope="module")
def library(base_urls):
    url = base_urls()
    db = open_database(url, V1)
    tables_base = tables(db.engine)
    db.install(["tm_library"])
    tables_library = tables(db.engine)
    library_ids = {name: value for name, value in xmlids(db.engine, "tm_library").items()}
    db.install(["tm_library_ext"])
    with db.env() as env:
        author = env["tm.author"].create({"name": "A user's author"})
        env["tm.book"].create([{"name": f"Shelf {i}", "pages": i, "isbn": str(i),
                                "author_id": author.id, "language": "fr", "copies": 2,
                                "reviewer_ids": [author.id]} for i in range(30)])
        env.ref("tm_library.book_emma").author_id = author
    facts = {"tables_base": tables_base, "tables_library": tables_library,
             "library_ids": library_ids}
    yield db, facts
    db.close()


def test_refused_while_a_dependent_is_installed(library):
    db, _ = library
    before = snapshot(db.engine)
    with pytest.raises(UserError) as info:
        db.uninstall(["tm_library"])
    message = str(info.value)
    assert "Cannot uninstall tm_library" in message
    assert "tm_library_ext" in message
    with pytest.raises(UserError, match="base module cannot be uninstalled"):
        db.uninstall(["base"])
    with pytest.raises(UserError, match="not installed: tm_other"):
        db.uninstall(["tm_other"])
    assert snapshot(db.engine) == before


@pytest.fixture(scope="module")
def uninstalled(library):
    db, facts = library
    facts["books_before"] = rows(db.engine, "tm_book", LIBRARY_COLUMNS)
    facts["tags_before"] = rows(db.engine, "tm_tag")
    facts["rel_before"] = rows(db.engine, "tm_book_tm_tag_rel")
    facts["children"] = xmlids(db.engine, "tm_library_ext")["book_children_of_dune"][1]
    assert db.uninstall(["tm_library_ext"]) == ["tm_library_ext"]
    return db, facts


def test_tables_and_columns_removed(uninstalled):
    db, facts = uninstalled
    assert tables(db.engine) == facts["tables_library"]
    assert columns(db.engine, "tm_book") == {"id", "name", "isbn", "pages", "create_uid",
                                             "create_date", "write_uid", "write_date"}


def test_other_rows_intact(uninstalled):
    db, facts = uninstalled
    after = rows(db.engine, "tm_book", LIBRARY_COLUMNS)
    expected = [row for row in facts["books_before"] if row["id"] != facts["children"]]
    assert after == expected
    assert len(after) == 3 + 30
    assert rows(db.engine, "tm_tag") == facts["tags_before"]
    assert rows(db.engine, "tm_book_tm_tag_rel") == facts["rel_before"]
    assert xmlids(db.engine, "tm_library") == facts["library_ids"]


def test_records_and_xmlids_removed(uninstalled):
    db, facts = uninstalled
    assert xmlids(db.engine, "tm_library_ext") == {}
    with db.env() as env:
        assert not env["tm.book"].browse(facts["children"]).exists()
        assert env.ref("tm_library.book_dune").pages == 412
        Data = env["ir.model.data"]  # noqa: N806
        assert not Data.search([("model", "=", "tm.author")])
        assert not Data.search([("name", "like", "field_tm_book__language")])


def test_meta_models_updated(uninstalled):
    db, _ = uninstalled
    assert module_states(db.engine)["tm_library_ext"] == ("uninstalled", None)
    assert module_states(db.engine)["tm_library"] == ("installed", "1.0")
    with db.env() as env:
        assert not env["ir.model"].search([("model", "=", "tm.author")])
        assert env.ref("tm_library.model_tm_book").modules == "tm_library"
        names = env["ir.model.fields"].search([("model", "=", "tm.book")]).mapped("name")
        assert {"language", "copies", "author_id", "reviewer_ids"}.isdisjoint(names)
        assert "pages" in names
        assert not env["ir.model.fields"].search([("model", "=", "tm.author")])


def test_registry_and_reopening(uninstalled):
    db, _ = uninstalled
    assert "tm.author" not in db.registry
    assert "language" not in db.registry["tm.book"]._fields
    again = Database(db.url, V1)
    try:
        assert again.installed_modules() == ["base", "tm_library"]
        assert "tm.author" not in again.registry
        with again.env() as env:
            assert len(env["tm.book"].search([])) == 33
    finally:
        again.close()


def test_reinstall_after_uninstall(uninstalled):
    db, _ = uninstalled
    assert db.install(["tm_library_ext"]) == ["tm_library_ext"]
    with db.env() as env:
        assert set(env["tm.book"].search([]).mapped("language")) == {"en"}
        assert env.ref("tm_library.book_dune").author_id.name == "Frank Herbert"
        assert env.ref("tm_library_ext.book_children_of_dune").exists()
    assert module_states(db.engine)["tm_library_ext"] == ("installed", "1.0")


def test_uninstall_several_at_once(base_url):
    url = base_url
    db = open_database(url, V1)
    try:
        base_tables = tables(db.engine)
        # (ir.module.module lists the addons found: the test addons joined them)
        listing = {"ir_module_module", "ir_module_module_dependency"}
        base_rows = {k: v for k, v in row_counts(db.engine).items() if k not in listing}
        db.install(["tm_library_ext", "tm_other"])   # and the tm_bridge bridge
        assert module_states(db.engine)["tm_bridge"][0] == "installed"
        with db.env() as env:
            env["tm.book"].create({"name": "Mine"})
        with pytest.raises(UserError, match="tm_bridge"):
            db.uninstall(["tm_library"])
        db.uninstall(["tm_library", "tm_library_ext", "tm_bridge", "tm_other"])
        assert tables(db.engine) == base_tables
        # the meta models hold what they held with base alone
        assert {k: v for k, v in row_counts(db.engine).items() if k not in listing} == base_rows
        assert db.installed_modules() == ["base"]
    finally:
        db.close()



def test_uninstall_columns_created_with_the_table(base_url, backend):
    """tm_library and tm_library_ext installed together: tm_book is created with
    author_id's foreign key as a table constraint (SQLite's hard case)."""
    url = base_url
    db = open_database(url, V1)
    try:
        db.install(["tm_library_ext"])
        with db.env() as env:
            author = env["tm.author"].create({"name": "Someone"})
            env["tm.book"].create({"name": "Kept", "author_id": author.id})
        db.uninstall(["tm_library_ext"])
        assert "author_id" not in columns(db.engine, "tm_book")
        assert "tm_author" not in tables(db.engine)
        with db.env() as env:
            kept = env["tm.book"].search([("name", "=", "Kept")])
            assert kept and kept.pages == 0
            # the table still works, with its remaining foreign keys
            kept.unlink()
            env["tm.book"].create({"name": "After", "tag_ids": [
                env.ref("tm_library.tag_scifi").id]})
        if backend == "sqlite":
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql(
                    "PRAGMA integrity_check").scalar() == "ok"
                assert connection.exec_driver_sql(
                    "PRAGMA foreign_key_check").all() == []
        db.install(["tm_library_ext"])
        assert "author_id" in columns(db.engine, "tm_book")
    finally:
        db.close()


def test_failing_uninstall_changes_nothing(base_url, backend, monkeypatch):
    """A failure after the columns and tables were dropped: all of it is rolled
    back (on SQLite too, where the foreign key clause was edited out)."""
    from core.modules import reflection

    url = base_url
    db = open_database(url, V1)
    try:
        db.install(["tm_library_ext"])
        with db.env() as env:
            author = env["tm.author"].create({"name": "Someone"})
            env["tm.book"].create({"name": "Kept", "author_id": author.id})
        before = snapshot(db.engine)
        registry = db.registry

        def broken(env, registry):
            raise RuntimeError("reflection failed on purpose")

        with monkeypatch.context() as patch:
            patch.setattr(reflection, "reflect_models", broken)
            with pytest.raises(RuntimeError, match="on purpose"):
                db.uninstall(["tm_library_ext"])
        assert snapshot(db.engine) == before
        assert db.registry is registry
        if backend == "sqlite":
            with db.engine.connect() as connection:
                schema = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'tm_book'").scalar()
            assert "FOREIGN KEY(author_id)" in schema
        with db.env() as env:
            assert env["tm.book"].search([("name", "=", "Kept")]).author_id.name == "Someone"
        db.uninstall(["tm_library_ext"])
        assert "tm_author" not in tables(db.engine)
    finally:
        db.close()
