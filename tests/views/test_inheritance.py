"""Inheritance specs applied to archs (no database): every position, the
shorthands, attributes, move, ``$0`` and the errors."""

from __future__ import annotations

import pytest
from lxml import etree

from core.views.arch import ViewError, parse
from core.views.inheritance import apply_specs

BASE = """<form string="Order">
    <sheet>
        <group name="main">
            <field name="name"/>
            <field name="partner_id" class="a b"/>
        </group>
        <notebook>
            <page name="lines" string="Lines"><field name="line_ids"/></page>
        </notebook>
    </sheet>
</form>"""


def apply(specs: str, base: str = BASE) -> etree._Element:
    return apply_specs(parse(base), parse(specs), where="test.view")


def names(root: etree._Element) -> list[str]:
    return [element.get("name") for element in root.iter("field")]


def test_after_before_inside_with_field_shorthand():
    root = apply("""<data>
        <field name="name" position="after"><field name="a"/><field name="b"/></field>
        <field name="name" position="before"><field name="c"/></field>
        <group name="main" position="inside"><field name="d"/></group>
    </data>""")
    assert names(root) == ["c", "name", "a", "b", "partner_id", "d", "line_ids"]


def test_inside_is_the_default_position_and_root_spec_without_data():
    root = apply('<page name="lines"><field name="note"/></page>')
    assert [f.get("name") for f in root.find(".//page")] == ["line_ids", "note"]


def test_xpath_positions():
    root = apply("""<data>
        <xpath expr="//field[@name='partner_id']" position="replace">
            <field name="partner_shipping_id"/>
        </xpath>
        <xpath expr="//notebook" position="before"><separator string="More"/></xpath>
        <xpath expr="/form" position="inside"><footer/></xpath>
    </data>""")
    assert names(root) == ["name", "partner_shipping_id", "line_ids"]
    sheet = root.find("sheet")
    assert [child.tag for child in sheet] == ["group", "separator", "notebook"]
    assert root[-1].tag == "footer"


def test_xpath_hasclass():
    base = "<form><div class='oe_title big'><field name='name'/></div><div class='big'/></form>"
    root = apply("""<xpath expr="//div[hasclass('big', 'oe_title')]" position="inside">
        <field name="ref"/>
    </xpath>""", base)
    assert [f.get("name") for f in root[0]] == ["name", "ref"]
    with pytest.raises(ViewError, match="cannot be located"):
        apply("<xpath expr=\"//div[hasclass('small')]\" position='inside'/>", base)


def test_replace_with_nothing_removes():
    root = apply("""<xpath expr="//notebook" position="replace"/>""")
    assert root.find(".//notebook") is None
    assert names(root) == ["name", "partner_id"]


def test_replace_keeps_the_original_with_dollar_zero():
    root = apply("""<field name="name" position="replace">
        <div class="wrapper">$0</div>
    </field>""")
    wrapper = root.find(".//div[@class='wrapper']")
    assert [child.get("name") for child in wrapper] == ["name"]
    assert (wrapper.text or "").strip() == ""


def test_replace_inner():
    root = apply("""<group name="main" position="replace" mode="inner">
        <field name="only"/>
    </group>""")
    assert [child.get("name") for child in root.find(".//group")] == ["only"]


def test_replace_the_root():
    root = apply("""<form position="replace"><form string="New"><field name="x"/></form></form>""")
    assert root.get("string") == "New" and names(root) == ["x"]


def test_attributes_set_remove_add():
    root = apply("""<data>
        <field name="partner_id" position="attributes">
            <attribute name="readonly">state != 'draft'</attribute>
            <attribute name="class" add="c" remove="a" separator=" "/>
        </field>
        <form position="attributes">
            <attribute name="string"></attribute>
            <attribute name="create">0</attribute>
        </form>
        <field name="name" position="attributes">
            <attribute name="widget" add="x,y"/>
        </field>
        <field name="name" position="attributes">
            <attribute name="widget" add="z" remove="x"/>
        </field>
    </data>""")
    partner = root.find(".//field[@name='partner_id']")
    assert partner.get("readonly") == "state != 'draft'"
    assert partner.get("class") == "b c"
    assert "string" not in root.attrib and root.get("create") == "0"
    assert root.find(".//field[@name='name']").get("widget") == "y,z"


def test_shorthand_matches_tag_and_all_attributes():
    root = apply("""<page name="lines" string="Lines" position="attributes">
        <attribute name="string">Order lines</attribute>
    </page>""")
    assert root.find(".//page").get("string") == "Order lines"
    with pytest.raises(ViewError, match="cannot be located"):
        apply('<page name="lines" string="Other" position="inside"><field name="x"/></page>')


def test_move():
    root = apply("""<field name="line_ids" position="after">
        <field name="name" position="move"/>
    </field>""")
    assert names(root) == ["partner_id", "line_ids", "name"]
    assert root.find(".//group").find("field").get("name") == "partner_id"


def test_move_of_a_missing_element_fails():
    with pytest.raises(ViewError, match="to move cannot be located"):
        apply("""<field name="name" position="after">
            <field name="nowhere" position="move"/>
        </field>""")


def test_missing_target_names_view_line_and_expr():
    with pytest.raises(ViewError) as error:
        apply("""<data>
            <field name="name" position="after"><field name="x"/></field>
            <xpath expr="//page[@name='nowhere']" position="inside"><field name="y"/></xpath>
        </data>""")
    message = str(error.value)
    assert message.startswith("test.view: line 3 of its arch:")
    assert "//page[@name='nowhere']" in message
    assert error.value.arch_line == 3


@pytest.mark.parametrize("specs, message", [
    ('<field name="name" position="sideways"/>', "invalid position 'sideways'"),
    ('<xpath expr="//[" position="inside"/>', "invalid xpath expression"),
    ('<xpath position="inside"/>', "needs an expr"),
    ('<field name="name" position="attributes"><field name="x"/></field>',
     "holds only <attribute"),
    ('<field name="name" position="replace" mode="sideways"/>', "invalid replace mode"),
    ('<form position="replace"><a/><b/></form>', "exactly one new root"),
])
def test_malformed_specs(specs, message):
    with pytest.raises(ViewError, match=message):
        apply(specs)


def test_text_is_kept_around_removed_elements():
    root = apply('<field name="x" position="replace"/>', "<div>a<field name='x'/>b<span/></div>")
    assert etree.tostring(root, encoding="unicode") == "<div>ab<span/></div>"
