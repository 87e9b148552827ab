"""Upgrades, on both backends: tm_library 1.0 (tests/addons) is installed and
used, then the database is opened with tests/addons_v2 first in the addons
path, whose tm_library 1.1 renames a column (pre migration), adds fields,
changes a data record, drops one and fills the new field (post migration)."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from core.exceptions import UserError
from core.modules.manager import Database, open_database
from tests.modules.common import (
    ADDONS,
    ADDONS_V2,
    V1,
    V2,
    addons_path,
    columns,
    module_states,
    rows,
    xmlids,
)


def migration_log(engine) -> list[tuple]:
    return [(row["stage"], row["version"], row["note"])
            for row in rows(engine, "tm_migration_log")]


@pytest.fixture(scope="module")
def upgraded(base_urls):
    """(database before, facts noted before the upgrade, database after)."""
    url = base_urls()
    old = open_database(url, V1)
    old.install(["tm_library_ext"])
    with old.env() as env:
        Book = env["tm.book"]  # noqa: N806
        users = Book.create([{"name": f"User book {i}", "isbn": f"u-{i}", "pages": i}
                             for i in range(20)])
        house = env.ref("tm_library.book_house_rules")
        house.write({"name": "House Rules (edited)"})
        facts = {"users": users.ids, "house": house.id,
                 "dune": env.ref("tm_library.book_dune").id,
                 "emma": env.ref("tm_library.book_emma").id,
                 "isbn": {b.id: b.isbn for b in Book.search([])}}
    old.close()
    progress = []
    new = open_database(url, V2, progress=progress.append)
    facts["progress"] = progress
    yield new, facts
    new.close()


def test_version_recorded(upgraded):
    db, _ = upgraded
    assert db.addons["tm_library"].version == "1.1"
    assert module_states(db.engine)["tm_library"] == ("installed", "1.1")
    assert module_states(db.engine)["tm_library_ext"] == ("installed", "1.0")
    assert db.pending_upgrades() == []


def test_progress_reported(upgraded):
    _, facts = upgraded
    text = "\n".join(facts["progress"])
    assert "tm_library: upgrading 1.1" in text
    assert "tm_library_ext: upgrading 1.0" in text   # dependents are upgraded too
    assert "migration 1.1/pre-rename.py" in text
    assert "add column tm_book.subtitle" in text


def test_columns_added_and_renamed(upgraded):
    db, facts = upgraded
    found = columns(db.engine, "tm_book")
    assert {"subtitle", "edition", "isbn13"} <= found
    assert "isbn" not in found                     # renamed by the pre migration
    isbn = {row["id"]: row["isbn13"] for row in rows(db.engine, "tm_book")}
    for id_, value in facts["isbn"].items():
        if id_ != facts["emma"]:
            assert isbn[id_] == (value or None)


def test_existing_rows_get_new_defaults_and_migration(upgraded):
    db, facts = upgraded
    with db.env() as env:
        users = env["tm.book"].browse(facts["users"])
        assert users.exists() == users
        assert set(users.mapped("edition")) == {1}          # required, default 1
        assert set(users.mapped("subtitle")) == {"migrated"}  # post migration
        assert [b.pages for b in users] == list(range(20))


def test_changed_data_record_is_updated(upgraded):
    db, facts = upgraded
    with db.env() as env:
        dune = env.ref("tm_library.book_dune")
        assert dune.id == facts["dune"]
        assert dune.pages == 604
        assert dune.isbn13 == "9780441013593"
        # tm_library_ext's additions to it survive the reload
        assert dune.author_id == env.ref("tm_library_ext.author_herbert")
        assert dune.copies == 3
        foundation = env.ref("tm_library.book_foundation")
        assert (foundation.name, foundation.edition) == ("Foundation", 2)


def test_noupdate_record_is_kept(upgraded):
    db, facts = upgraded
    with db.env() as env:
        house = env.ref("tm_library.book_house_rules")
        assert house.id == facts["house"]
        assert (house.name, house.pages) == ("House Rules (edited)", 10)


def test_record_whose_xmlid_disappeared_is_removed(upgraded):
    db, facts = upgraded
    assert "book_emma" not in xmlids(db.engine, "tm_library")
    with db.env() as env:
        assert not env["tm.book"].browse(facts["emma"]).exists()
        assert env.ref("tm_library.book_emma", raise_if_not_found=False) is None
        # the records of the module that was upgraded with it stay
        assert env.ref("tm_library_ext.book_children_of_dune").name == "Children of Dune"


def test_migrations_ran_once(upgraded):
    db, _ = upgraded
    assert migration_log(db.engine) == [("pre", "1.0", "renamed"), ("post", "1.0", "24 books")]
    again = open_database(db.url, V2)     # same version: nothing to run
    again.close()
    assert migration_log(db.engine) == [("pre", "1.0", "renamed"), ("post", "1.0", "24 books")]


def test_explicit_upgrade_reloads_data_without_migrations(upgraded):
    db, facts = upgraded
    with db.env() as env:
        env.ref("tm_library.book_dune").pages = 1
        env.ref("tm_library.book_house_rules").pages = 11
    assert db.upgrade(["tm_library"]) == ["tm_library", "tm_library_ext"]
    with db.env() as env:
        assert env.ref("tm_library.book_dune").pages == 604
        assert env.ref("tm_library.book_house_rules").pages == 11
    assert len(migration_log(db.engine)) == 2


def test_upgrade_recreates_a_deleted_record_but_not_a_noupdate_one(upgraded):
    db, _ = upgraded
    with db.env() as env:
        env.ref("tm_library.book_foundation").unlink()
        env.ref("tm_library.book_house_rules").unlink()
    db.upgrade(["tm_library"])
    with db.env() as env:
        assert env.ref("tm_library.book_foundation").exists().name == "Foundation"
        assert not env.ref("tm_library.book_house_rules").exists()


def test_upgrade_refusals(upgraded):
    db, _ = upgraded
    with pytest.raises(UserError, match="not installed: tm_other"):
        db.upgrade(["tm_other"])
    assert db.upgrade([]) == []
    assert db.upgrade() == []      # nothing bumped


def test_opening_without_upgrading(base_url):
    url = base_url
    first = open_database(url, V1)
    first.install(["tm_library"])
    first.close()
    db = open_database(url, V2, upgrade=False)
    try:
        assert db.pending_upgrades() == ["tm_library"]
        assert module_states(db.engine)["tm_library"] == ("installed", "1.0")
        assert "isbn" in columns(db.engine, "tm_book")
        assert db.upgrade() == ["tm_library"]
        assert module_states(db.engine)["tm_library"] == ("installed", "1.1")
        # the old code cannot open it any more without saying why
        older = Database(url, V1)
        try:
            assert older.downgraded_modules() == ["tm_library"]
            with pytest.raises(UserError, match="tm_library 1.1 installed, 1.0 in "):
                older.install(["tm_other"])
            with pytest.raises(UserError, match="older versions"):
                older.upgrade(["tm_library"])
        finally:
            older.close()
    finally:
        db.close()


def test_upgrade_of_a_demo_database_keeps_demo(base_url):
    url = base_url
    db = open_database(url, V1, demo=True)
    db.install(["tm_library"], demo=True)
    with db.env() as env:
        env.ref("tm_library.book_demo").name = "Demo (edited)"
    db.close()
    db = open_database(url, V2)
    try:
        with db.env() as env:
            assert env.ref("tm_library.book_demo").name == "Demo (edited)"
            assert env["ir.module.module"].search([("name", "=", "tm_library")]).demo
        assert "book_demo" in xmlids(db.engine, "tm_library")
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM tm_book")).scalar() == 4
    finally:
        db.close()


def test_meta_models_follow_the_rename(upgraded):
    db, _ = upgraded
    with db.env() as env:
        names = env["ir.model.fields"].search([("model", "=", "tm.book")]).mapped("name")
        assert {"isbn13", "subtitle", "edition"} <= set(names)
        assert "isbn" not in names
        assert env.ref("tm_library.field_tm_book__isbn13").ttype == "char"
        assert env.ref("tm_library.field_tm_book__isbn", raise_if_not_found=False) is None


def test_upgrade_installs_a_new_dependency(base_url, tmp_path):
    """Version 1.1 depends on tm_other too: the upgrade installs it (and with it
    the tm_bridge bridge, whose dependencies are now all installed)."""
    v2 = tmp_path / "addons" / "tm_library"
    shutil.copytree(ADDONS_V2 / "tm_library", v2)
    manifest = v2 / "__manifest__.py"
    manifest.write_text(manifest.read_text().replace('"depends": ["base"]',
                                                     '"depends": ["base", "tm_other"]'))
    book = v2 / "models" / "book.py"    # the new code needs the new dependency's model
    book.write_text(book.read_text() + '    favourite_other_id = fields.Many2one("tm.other")\n')
    url = base_url
    first = open_database(url, V1)
    first.install(["tm_library"])
    first.close()
    db = open_database(url, addons_path(tmp_path / "addons", ADDONS))
    try:
        states = module_states(db.engine)
        assert states["tm_library"] == ("installed", "1.1")
        assert states["tm_other"] == ("installed", "1.0")
        assert states["tm_bridge"] == ("installed", "1.0")
        with db.env() as env:
            assert env.ref("tm_bridge.other_bridged").name == "Bridged"
            dune = env.ref("tm_library.book_dune")
            dune.favourite_other_id = env.ref("tm_bridge.other_bridged")
    finally:
        db.close()


def test_install_with_a_pending_upgrade_upgrades_too(base_url):
    """Installing while the code of an installed module was bumped: the bump is
    applied whole (migrations, data, version), not only its new columns."""
    url = base_url
    first = open_database(url, V1)
    first.install(["tm_library"])
    first.close()
    db = open_database(url, V2, upgrade=False)
    try:
        assert db.install(["tm_other"]) == ["tm_other", "tm_bridge"]
        assert module_states(db.engine)["tm_library"] == ("installed", "1.1")
        assert [row[0] for row in migration_log(db.engine)] == ["pre", "post"]
        with db.env() as env:
            assert env.ref("tm_library.book_dune").pages == 604
        assert db.pending_upgrades() == []
    finally:
        db.close()
