"""Data files: the XML grammar (ref, eval, search, type="xml", <delete>,
noupdate, <menuitem> when ir.ui.menu exists), CSV files with :id columns,
the restricted evaluator, and errors that name the file and the line."""

from __future__ import annotations

import datetime
import textwrap

import pytest

from core.modules.data import DataError, DataLoader
from core.modules.safe_eval import literal_eval_with_refs
from core.orm.commands import Command
from tests.modules.common import ADDONS, V1


@pytest.fixture
def env(addon_env):
    """tm_data installed (with tm_library); the test's work is rolled back."""
    return addon_env("tm_data", addons_path=V1)


# -- the tm_data addon, loaded by its install ---------------------------------------
def test_ref(env):
    note = env.ref("tm_data.note_ref")
    assert note.book_id == env.ref("tm_library.book_dune")
    assert note.tag_ids == env.ref("tm_library.tag_scifi")      # ref on a many2many


def test_eval(env):
    note = env.ref("tm_data.note_eval")
    assert (note.count, note.ratio, note.flag, note.kind) == (-3, 1.5, True, "long")
    assert note.book_id == env.ref("tm_library.book_emma")
    assert set(note.tag_ids.mapped("name")) == {"Science Fiction", "Classic"}


def test_search(env):
    note = env.ref("tm_data.note_search")
    assert note.book_id == env.ref("tm_library.book_emma")
    assert note.tag_ids == env.ref("tm_library.tag_classic")   # color > 4


def test_type_xml(env):
    body = env.ref("tm_data.note_xml").body
    assert body.startswith('<list string="Books">')
    assert '<field name="name"/>' in body and '<field name="pages"/>' in body
    assert body.endswith("</list>")


def test_plain_text_converted(env):
    note = env.ref("tm_data.note_text")
    assert (note.flag, note.count, note.ratio, note.kind) == (True, 7, 0.25, "short")
    assert note.day == datetime.date(2024, 2, 29)


def test_delete_by_id_and_by_search(env):
    Note = env["tm.note"]  # noqa: N806
    assert not Note.search([("name", "in", ["Temporary", "Temporary by search"])])
    assert env.ref("tm_data.note_tmp", raise_if_not_found=False) is None
    assert env.ref("tm_data.note_tmp_search", raise_if_not_found=False) is None


def test_record_without_id(env):
    assert env["tm.note"].search_count([("name", "=", "Without an id")]) == 1


def test_csv_with_id_columns(env):
    first = env.ref("tm_data.note_csv_1")
    assert (first.name, first.count, first.flag) == ("From CSV", 5, True)
    assert first.book_id == env.ref("tm_library.book_dune")
    assert set(first.tag_ids.mapped("name")) == {"Science Fiction", "Classic"}
    second = env.ref("tm_data.note_csv_2")
    assert (second.book_id, second.tag_ids, second.flag) == (env["tm.book"], env["tm.tag"],
                                                             False)


def test_env_ref(env):
    with pytest.raises(ValueError, match="not found: tm_data.nothing"):
        env.ref("tm_data.nothing")
    assert env.ref("tm_data.nothing", raise_if_not_found=False) is None


# -- loading files directly --------------------------------------------------------
def load(env, tmp_path, text: str, name: str = "probe.xml", mode: str = "init",
         module: str = "tm_probe") -> DataLoader:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    loader = DataLoader(env, module, mode=mode, module_path=tmp_path)
    loader.load_file(path)
    return loader


def test_roots_and_nested_data(env, tmp_path):
    for root in ("troika", "odoo", "data"):
        load(env, tmp_path, f"""
            <{root}><data><data noupdate="1">
                <record id="tag_{root}" model="tm.tag"><field name="name">{root}</field></record>
            </data></data></{root}>
            """)
        assert env.ref(f"tm_probe.tag_{root}").name == root
        entry = env["ir.model.data"].search([("module", "=", "tm_probe"),
                                             ("name", "=", f"tag_{root}")])
        assert entry.noupdate is True


def test_update_mode_respects_noupdate(env, tmp_path):
    text = """
        <troika>
            <record id="tag_a" model="tm.tag"><field name="name">{a}</field></record>
            <data noupdate="1">
                <record id="tag_b" model="tm.tag"><field name="name">{b}</field></record>
            </data>
        </troika>
        """
    load(env, tmp_path, text.format(a="A1", b="B1"))
    load(env, tmp_path, text.format(a="A2", b="B2"), mode="update")
    assert env.ref("tm_probe.tag_a").name == "A2"
    assert env.ref("tm_probe.tag_b").name == "B1"
    # a noupdate record deleted by a user stays deleted on update
    env.ref("tm_probe.tag_b").unlink()
    load(env, tmp_path, text.format(a="A3", b="B3"), mode="update")
    assert not env["tm.tag"].search([("name", "in", ["B1", "B2", "B3"])])
    # an updatable one is created again
    env.ref("tm_probe.tag_a").unlink()
    load(env, tmp_path, text.format(a="A4", b="B4"), mode="update")
    assert env.ref("tm_probe.tag_a").name == "A4"


def test_loaded_xmlids_are_tracked(env, tmp_path):
    loader = load(env, tmp_path, """
        <troika>
            <record id="tag_x" model="tm.tag"><field name="name">X</field></record>
            <record id="tm_library.book_dune" model="tm.book">
                <field name="pages" eval="413"/>
            </record>
        </troika>
        """)
    assert loader.loaded_xmlids == {("tm_probe", "tag_x"), ("tm_library", "book_dune")}
    assert env.ref("tm_library.book_dune").pages == 413


def test_eval_values(env, tmp_path):
    load(env, tmp_path, """
        <troika>
            <record id="note" model="tm.note">
                <field name="name" eval="'quoted'"/>
                <field name="count" eval="+4"/>
                <field name="flag" eval="False"/>
                <field name="tag_ids" eval="[Command.create({'name': 'Made here', 'color': 1}),
                                             Command.link(ref('tm_library.tag_scifi'))]"/>
            </record>
        </troika>
        """)
    note = env.ref("tm_probe.note")
    assert (note.name, note.count, note.flag) == ("quoted", 4, False)
    assert sorted(note.tag_ids.mapped("name")) == ["Made here", "Science Fiction"]
    load(env, tmp_path, """
        <troika>
            <record id="note" model="tm.note">
                <field name="tag_ids" eval="[Command.clear()]"/>
            </record>
        </troika>
        """)
    assert not note.tag_ids


def test_file_field_stays_inside_the_addon(env, tmp_path):
    with pytest.raises(DataError, match="outside the addon"):
        load(env, tmp_path, """
            <troika>
                <record id="note" model="tm.note">
                    <field name="name">x</field>
                    <field name="body" file="../../etc/passwd"/>
                </record>
            </troika>
            """)


def test_menuitem(env, tmp_path):
    if "ir.ui.menu" not in env:
        pytest.skip("ir.ui.menu is not in base yet")
    load(env, tmp_path, """
        <troika>
            <menuitem id="menu_root" name="Library" sequence="5">
                <menuitem id="menu_child" name="Books"/>
            </menuitem>
        </troika>
        """)
    root, child = env.ref("tm_probe.menu_root"), env.ref("tm_probe.menu_child")
    assert (root.name, root.sequence) == ("Library", 5)
    assert child.parent_id == root


# -- CSV ------------------------------------------------------------------------
def test_csv_update_by_id_and_slash_id(env, tmp_path):
    load(env, tmp_path, "id,name,book_id/id\nn1,First,tm_library.book_emma\n",
         name="tm.note.csv")
    load(env, tmp_path, "id,name,book_id:id\nn1,Renamed,tm_library.book_dune\n",
         name="tm.note.csv")
    note = env.ref("tm_probe.n1")
    assert (note.name, note.book_id) == ("Renamed", env.ref("tm_library.book_dune"))
    assert env["tm.note"].search_count([("name", "in", ["First", "Renamed"])]) == 1


CSV_ERRORS = [
    ("tm.note.csv", "id,name,colour\nn1,x,red\n", 1, "no field 'colour'"),
    ("tm.note.csv", "id,name,book_id:id\nn1,x,tm_library.book_dune\nn2,y,nowhere.book\n", 3,
     "column 'book_id': external id nowhere.book not found"),
    ("tm.note.csv", "id,name,count\nn1,x,1\nn2,y\n", 3, "2 values for 3 columns"),
    ("tm.note.csv", "id,name,count\nn1,x,many\n", 2, "column 'count': invalid literal"),
    ("tm.note.csv", "id,name,flag\nn1,x,maybe\n", 2, "column 'flag': 'maybe' is not a boolean"),
    ("tm.nothing.csv", "id,name\nx,y\n", None, "names no model ('tm.nothing')"),
]


@pytest.mark.parametrize(("name", "text", "line", "reason"), CSV_ERRORS)
def test_csv_errors_name_file_and_line(env, tmp_path, name, text, line, reason):
    with pytest.raises(DataError) as info:
        load(env, tmp_path, text, name=name)
    where = f"{tmp_path / name}:{line}:" if line else f"{tmp_path / name}:"
    assert str(info.value).startswith(where)
    assert reason in str(info.value)


# -- XML errors -----------------------------------------------------------------
XML_ERRORS = [
    # (text, line, reason)
    ("<troika>\n<record id='a' model='tm.nothing'/>\n</troika>", 2, "unknown model 'tm.nothing'"),
    ("<troika>\n<record id='a'>\n</record>\n</troika>", 2, "needs a model attribute"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='name'>x</field>\n"
     "<field name='colour'>red</field>\n</record>\n</troika>", 4, "has no field 'colour'"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='name'>x</field>\n"
     "<field name='book_id' ref='tm_library.nowhere'/>\n</record>\n</troika>", 4,
     "external id tm_library.nowhere not found"),
    ("<troika>\n<record id='a' model='tm.note'>\n\n<field name='count' eval='1 +'/>\n"
     "</record>\n</troika>", 4, "invalid expression"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='tag_ids'>x</field>\n"
     "</record>\n</troika>", 3, "field 'tag_ids': a one2many or many2many field needs eval"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='count'>x</field>\n"
     "</record>\n</troika>", 3, "invalid literal"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field>x</field>\n</record>\n</troika>", 3,
     "needs a name attribute"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='count'>1</field>\n"
     "</record>\n</troika>", 2, "A value is required"),   # at the record's line
    ("<troika>\n\n<recrod id='a' model='tm.note'/>\n</troika>", 3, "unknown element <recrod>"),
    ("<troika>\n<delete model='tm.note'/>\n</troika>", 2, "needs an id or a search"),
    ("<troika>\n<delete id='x'/>\n</troika>", 2, "needs a model attribute"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='name'>x</field>\n</record>\n"
     "<record id='a' model='tm.tag'>\n<field name='name'>x</field>\n</record>\n</troika>", 5,
     "belongs to a tm.note record, not tm.tag"),
    ("<troika>\n<record id='a' model='tm.note'>\n<field name='name'>x</field>\n</troika>", 4,
     "invalid XML"),
    ("<html>\n</html>", 1, "root element must be <troika>"),
]


@pytest.mark.parametrize(("text", "line", "reason"), XML_ERRORS,
                         ids=[f"{i}" for i in range(len(XML_ERRORS))])
def test_xml_errors_name_file_and_line(env, tmp_path, text, line, reason):
    with pytest.raises(DataError) as info:
        load(env, tmp_path, text)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'probe.xml'}:{line}:"), message
    assert reason in message, message


def test_second_record_error_in_an_installed_addon_file(env):
    """The addon whose install test_rollback runs: the error is at line 8."""
    loader = DataLoader(env, "tm_bad_data", module_path=ADDONS / "tm_bad_data")
    path = ADDONS / "tm_bad_data" / "data" / "tm_bad.xml"
    with pytest.raises(DataError, match=rf"^{path}:8: model 'tm.book' has no field 'colour'$"):
        loader.load_file(path)


# -- the restricted evaluator ------------------------------------------------------
def fake_ref(xmlid: str) -> int:
    return {"base.one": 1, "tm.two": 2}[xmlid]


@pytest.mark.parametrize(("source", "value"), [
    ("1", 1), ("-2.5", -2.5), ("'text'", "text"), ("True", True), ("None", None),
    ("[1, (2, 'x'), {'a': [None]}]", [1, (2, "x"), {"a": [None]}]),
    ("{1, 2}", {1, 2}),
    ("ref('base.one')", 1),
    ("[(6, 0, [ref('base.one'), ref('tm.two')])]", [(6, 0, [1, 2])]),
    ("[Command.set([ref('tm.two')]), Command.link(1), Command.unlink(2), Command.clear()]",
     [(6, 0, [2]), (4, 1, 0), (3, 2, 0), (5, 0, 0)]),
    ("[Command.create({'name': 'x'}), Command.update(3, {'a': 1}), Command.delete(4)]",
     [(0, 0, {"name": "x"}), (1, 3, {"a": 1}), (2, 4, 0)]),
    ("[('color', '>', -1)]", [("color", ">", -1)]),
])
def test_safe_eval_accepts_literals_refs_and_commands(source, value):
    assert literal_eval_with_refs(source, fake_ref) == value


def test_safe_eval_commands_are_commands():
    assert literal_eval_with_refs("Command.clear()", fake_ref)[0] is Command.CLEAR


REFUSED = [
    "__import__('os').system('echo pwned')",
    "(lambda: __import__('os').system('echo pwned'))()",
    "lambda: 1",
    "os",
    "open('/etc/passwd').read()",
    "eval('1')",
    "exec('x = 1')",
    "getattr(ref, '__globals__')",
    "ref.__globals__",
    "ref('base.one').__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "Command.__class__",
    "Command.create.__func__",
    "Command.mro()",
    "Command['SET']",
    "[1][0]",
    "1 + 1",
    "2 ** 100000",
    "-True",
    "not 1",
    "[x for x in (1, 2)]",
    "{**{'a': 1}}",
    "[*range(3)]",
    "(y := 1)",
    "f'{ref}'",
    "ref('base.one', 'x')",
    "ref(1)",
    "ref(name='base.one')",
    "Command.set(ids=[1])",
    "1 if True else 2",
    "'a'.join(['b'])",
    "__builtins__",
    "print(1)",
]


@pytest.mark.parametrize("source", REFUSED)
def test_safe_eval_refuses_everything_else(source, capfd):
    with pytest.raises(ValueError, match="not allowed|invalid expression"):
        literal_eval_with_refs(source, fake_ref)
    assert "pwned" not in capfd.readouterr().out


def test_lambda_in_a_data_file_is_refused(env, capfd):
    path = ADDONS / "tm_evil" / "data" / "evil_lambda.xml"
    loader = DataLoader(env, "tm_evil", module_path=ADDONS / "tm_evil")
    with pytest.raises(DataError) as info:
        loader.load_file(path)
    assert str(info.value).startswith(f"{path}:6: field 'pages': ")
    assert "not allowed" in str(info.value)
    assert "pwned" not in capfd.readouterr().out
    assert not env["tm.book"].search([("name", "=", "Lambda")])
