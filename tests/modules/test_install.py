"""Installing on a database that already holds data, on both backends: every
row keeps its values, new columns get their defaults, and the meta models
(ir.model, ir.model.fields, ir.model.data, ir.module.module) say what happened."""

from __future__ import annotations

import pytest

from core.exceptions import UserError
from core.modules.manager import Database, open_database
from tests.fixtures import fresh_database_url
from tests.modules.common import ADDONS, V1, columns, module_states, rows, tables, xmlids

LIBRARY_COLUMNS = ["id", "name", "isbn", "pages"]


@pytest.fixture(scope="module")
def library(base_urls):
    """A database where tm_library was installed, then filled by its users,
    then tm_library_ext (which extends tm.book) installed over it."""
    url = base_urls()
    db = open_database(url, V1)
    assert db.install(["tm_library"]) == ["tm_library"]
    with db.env() as env:
        env["tm.book"].create([
            {"name": f"Book {i:03d}", "isbn": f"isbn-{i}" if i % 3 else False,
             "pages": i * 7 if i % 5 else False}
            for i in range(120)])
    before = rows(db.engine, "tm_book")
    tables_before = tables(db.engine)
    assert db.install(["tm_library_ext"]) == ["tm_library_ext"]
    yield db, before, tables_before
    db.close()


def test_rows_keep_their_values(library):
    db, before, _ = library
    after = {row["id"]: row for row in rows(db.engine, "tm_book")}
    assert len(before) == 123   # 3 from tm_library's data, 120 from its users
    for row in before:
        kept = after[row["id"]]
        assert {key: kept[key] for key in LIBRARY_COLUMNS} == \
            {key: row[key] for key in LIBRARY_COLUMNS}


def test_new_columns_get_their_defaults(library):
    db, before, _ = library
    after = {row["id"]: row for row in rows(db.engine, "tm_book")}
    dune = after[_xmlid_id(db, "tm_library", "book_dune")]
    for row in before:
        if row["id"] == dune["id"]:
            continue
        assert after[row["id"]]["language"] == "en"    # optional, with a default
        assert after[row["id"]]["copies"] == 1          # required, with a default
        assert after[row["id"]]["author_id"] is None    # no default
    # tm_library_ext's data extends tm_library's record
    assert dune["copies"] == 3
    assert dune["author_id"] == _xmlid_id(db, "tm_library_ext", "author_herbert")


def test_new_table_and_relation_table(library):
    db, _, tables_before = library
    assert tables(db.engine) - tables_before == {"tm_author", "tm_book_reviewer_rel"}
    assert {"language", "copies", "author_id"} <= columns(db.engine, "tm_book")


def test_orm_sees_old_and_new(library):
    db, _, _ = library
    with db.env() as env:
        books = env["tm.book"].search([("name", "=like", "Book %")])
        assert len(books) == 120
        assert set(books.mapped("language")) == {"en"}
        children = env.ref("tm_library_ext.book_children_of_dune")
        assert children.author_id == env.ref("tm_library_ext.author_herbert")
        assert children.reviewer_ids == children.author_id
        assert children.copies == 1
        new = env["tm.book"].create({"name": "New"})
        assert (new.language, new.copies) == ("en", 1)
        new.unlink()


def test_ir_model(library):
    db, _, _ = library
    with db.env() as env:
        book = env.ref("tm_library.model_tm_book")
        assert book._name == "ir.model"
        assert (book.model, book.name) == ("tm.book", "Book")
        assert book.modules == "tm_library, tm_library_ext"
        author = env.ref("tm_library_ext.model_tm_author")
        assert (author.model, author.modules) == ("tm.author", "tm_library_ext")
        assert env.ref("tm_library.model_tm_tag").model == "tm.tag"
        assert env.ref("base.model_ir_model").model == "ir.model"
        assert env.ref("tm_library_ext.model_tm_book", raise_if_not_found=False) is None
        assert env["ir.model"].search_count([("model", "=", "tm.book")]) == 1


def test_ir_model_fields(library):
    db, _, _ = library
    with db.env() as env:
        name = env.ref("tm_library.field_tm_book__name")
        assert (name.model, name.name, name.ttype, name.required) == (
            "tm.book", "name", "char", True)
        assert name.model_id == env.ref("tm_library.model_tm_book")
        language = env.ref("tm_library_ext.field_tm_book__language")
        assert (language.model, language.ttype, language.modules) == (
            "tm.book", "char", "tm_library_ext")
        author = env.ref("tm_library_ext.field_tm_book__author_id")
        assert (author.ttype, author.relation) == ("many2one", "tm.author")
        reviewers = env.ref("tm_library_ext.field_tm_book__reviewer_ids")
        assert (reviewers.ttype, reviewers.relation_table) == (
            "many2many", "tm_book_reviewer_rel")
        fields = env["ir.model.fields"].search([("model", "=", "tm.book")]).mapped("name")
        assert {"id", "name", "isbn", "pages", "tag_ids", "language", "copies",
                "author_id", "reviewer_ids", "create_date", "write_uid"} <= set(fields)
        assert env.ref("tm_library_ext.field_tm_book__name", raise_if_not_found=False) is None


def test_ir_model_data_of_data_files(library):
    db, _, _ = library
    ids = xmlids(db.engine, "tm_library")
    assert ids["book_dune"][0] == "tm.book"
    assert ids["book_dune"][2] is False
    assert ids["book_house_rules"][2] is True     # <data noupdate="1">
    assert ids["tag_scifi"][0] == "tm.tag"        # from the CSV file
    assert ids["model_tm_book"][0] == "ir.model"
    assert "book_demo" not in ids                 # demo data needs demo=True
    ext = xmlids(db.engine, "tm_library_ext")
    assert {"author_herbert", "book_children_of_dune"} <= set(ext)
    assert "book_dune" not in ext                 # extended, still tm_library's
    with db.env() as env:
        dune = env.ref("tm_library.book_dune")
        assert (dune.name, dune.pages) == ("Dune", 412)
        assert dune.tag_ids == env.ref("tm_library.tag_scifi")
        assert env.ref("tm_library.book_emma").tag_ids.name == "Classic"
        assert env.ref("tm_library.tag_classic").color == 5


def test_ir_module_module(library):
    db, _, _ = library
    states = module_states(db.engine)
    assert states["base"] == ("installed", "1.0")
    assert states["tm_library"] == ("installed", "1.0")
    assert states["tm_library_ext"] == ("installed", "1.0")
    assert states["tm_other"] == ("uninstalled", None)
    assert states["tm_cycle_a"] == ("uninstalled", None)
    with db.env() as env:
        ext = env["ir.module.module"].search([("name", "=", "tm_library_ext")])
        assert ext.shortdesc == "Test Library Extension"
        assert ext.installed_version == "1.0"       # the code's version
        assert ext.dependencies_id.mapped("name") == ["tm_library"]
        assert ext.demo is False
        bridge = env["ir.module.module"].search([("name", "=", "tm_bridge")])
        assert bridge.auto_install is True
        assert sorted(bridge.dependencies_id.mapped("name")) == ["tm_library", "tm_other"]
    assert db.installed_versions() == {"base": "1.0", "tm_library": "1.0",
                                       "tm_library_ext": "1.0"}
    assert db.installed_modules() == ["base", "tm_library", "tm_library_ext"]


def test_install_twice_does_nothing(library):
    db, _, _ = library
    assert db.install(["tm_library", "tm_library_ext"]) == []


def test_reopening_composes_the_same_registry(library):
    db, _, _ = library
    again = Database(db.url, V1)
    try:
        assert set(again.registry.models) == set(db.registry.models)
        with again.env() as env:
            assert env.ref("tm_library.book_dune").author_id.name == "Frank Herbert"
    finally:
        again.close()


# -- demo data ------------------------------------------------------------------
def test_demo_data_only_with_demo(base_url):
    url = base_url
    db = open_database(url, V1, demo=True)
    try:
        db.install(["tm_library"], demo=True)
        ids = xmlids(db.engine, "tm_library")
        assert ids["book_demo"][2] is True    # demo records are noupdate
        with db.env() as env:
            assert env.ref("tm_library.book_demo").name == "Demo Book"
            module = env["ir.module.module"].search([("name", "=", "tm_library")])
            assert module.demo is True
        # a module installed later on a demo database: no demo unless asked
        db.install(["tm_library_ext"])
        with db.env() as env:
            ext = env["ir.module.module"].search([("name", "=", "tm_library_ext")])
            assert ext.demo is False
    finally:
        db.close()


# -- refusals ------------------------------------------------------------------
def test_missing_python_package(library, tmp_path):
    db, _, _ = library
    folder = tmp_path / "tm_needs_package"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "__manifest__.py").write_text(
        '{"name": "Needs a package", "depends": ["base"], '
        '"external_dependencies": {"python": ["troika_no_such_package"]}}')
    other = Database(db.url, [ADDONS, tmp_path])
    try:
        with pytest.raises(UserError, match="troika_no_such_package"):
            other.install(["tm_needs_package"])
        assert "tm_needs_package" not in other.installed_versions()
    finally:
        other.close()


def test_install_on_a_new_database_installs_base(backend, tmp_path):
    with fresh_database_url(backend, str(tmp_path)) as url:
        db = open_database(url)
        try:
            assert db.installed_modules() == ["base"]
            assert {"ir_model", "ir_model_fields", "ir_model_data", "ir_module_module"} <= \
                tables(db.engine)
            with db.env() as env:
                assert env.ref("base.model_ir_module_module").model == "ir.module.module"
        finally:
            db.close()


def _xmlid_id(db, module: str, name: str) -> int:
    return xmlids(db.engine, module)[name][1]


def test_concurrent_installs(base_url):
    """Two processes installing at once: one waits for the other; it then
    finds nothing left to do, or is told to try again — never a database error."""
    import threading

    url = base_url
    first = open_database(url, V1)
    first.close()
    outcomes: list = []
    barrier = threading.Barrier(2)

    def install() -> None:
        db = Database(url, V1)
        try:
            barrier.wait()
            outcomes.append(db.install(["tm_library_ext"]))
        except UserError as exc:
            outcomes.append(str(exc))
        finally:
            db.close()

    threads = [threading.Thread(target=install) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert ["tm_library", "tm_library_ext"] in outcomes
    other = [o for o in outcomes if o != ["tm_library", "tm_library_ext"]]
    assert other in ([[]], ["Another process changed the installed modules meanwhile; "
                            "try again"]), outcomes
    engine_db = Database(url, V1)
    try:
        assert module_states(engine_db.engine)["tm_library_ext"] == ("installed", "1.0")
        with engine_db.env() as env:
            assert env["tm.book"].search_count([("name", "=", "Dune")]) == 1
    finally:
        engine_db.close()
