"""Validation of views at install: a module with a bad view does not install
and leaves the database as it was; each check names the view, the file, the
line and what is wrong."""

from __future__ import annotations

import pytest

from core.views import ViewError
from core.views.store import view_index
from core.views.validation import check_view
from tests.modules.common import module_states, snapshot
from tests.views.conftest import ADDONS


@pytest.fixture
def base_db(installed_db):
    return installed_db(("tv_base",), ADDONS)


@pytest.mark.parametrize("module, expected", [
    ("tv_bad_field", ["View tv_bad_field.tv_order_view_form_bad (",
                      "tv_bad_field/views/bad_views.xml:9)", "line 2 of its arch",
                      "model tv.order has no field 'no_such_field'"]),
    ("tv_bad_xpath", ["View tv_bad_xpath.tv_order_view_form_lost (",
                      "tv_bad_xpath/views/bad_views.xml:12)", "line 5 of its arch",
                      "<xpath expr=\"//page[@name='nowhere']\" position=\"inside\">",
                      "cannot be located"]),
])
def test_a_bad_view_stops_the_install(base_db, module, expected):
    before = snapshot(base_db.engine)
    with pytest.raises(ViewError) as error:
        base_db.install([module])
    for part in expected:
        assert part in str(error.value)
    assert snapshot(base_db.engine) == before
    assert module not in module_states(base_db.engine) or \
        module_states(base_db.engine)[module][0] != "installed"


def test_the_views_of_the_test_addons_are_valid(addon_env):
    env = addon_env("tv_ext", addons_path=ADDONS)
    index = view_index(env)
    for view_id in index.by_id:
        check_view(env, index, index.root_of(view_id))


# -- the checks, one by one -------------------------------------------------------------
@pytest.fixture
def env(addon_env):
    return addon_env("tv_base", addons_path=ADDONS)


def errors_of(env, arch: str, model: str = "tv.order", xmlid: str = "tv_test.view") -> str:
    view = env["ir.ui.view"].create({"name": "test", "model": model, "arch": arch})
    module, name = xmlid.split(".")
    env["ir.model.data"].create({"module": module, "name": name, "model": "ir.ui.view",
                                 "res_id": view.id})
    index = view_index(env)
    with pytest.raises(ViewError) as error:
        check_view(env, index, index.by_id[view.id])
    return str(error.value)


@pytest.mark.parametrize("arch, message", [
    ("<form><field name='name' colour='red'/></form>", "unknown attribute 'colour'"),
    ("<form><field name='name' attrs=\"{'invisible': 1}\"/></form>",
     "Odoo 17 replaced it by invisible/readonly/required"),
    ("<form><blink/></form>", "<blink>: unknown element in a form view"),
    ("<list><div/></list>", "<div>: unknown element in a list view"),
    ("<form><field name='nope'/></form>", "model tv.order has no field 'nope'"),
    ("<form><field/></form>", "a <field> needs a name"),
    ("<form><button name='action_nope' type='object'/></form>",
     "model tv.order has no public method 'action_nope'"),
    ("<form><button name='_private_helper' type='object'/></form>",
     "no public method '_private_helper'"),
    ("<form><button name='write' type='workflow'/></form>", "a button's type is object or"),
    ("<form><button name='tv_base.nothing' type='action'/></form>",
     "no action has this external id or id"),
    ("<form><button name='%(tv_base.tv_order_view_list)d' type='action'/></form>",
     "no action has this external id"),
    ("<form><field name='name' invisible=\"context.get('x')\"/></form>",
     "invisible: condition \"context.get('x')\": a function call is not allowed"),
    ("<form><field name='name' readonly=\"bogus == 1\"/></form>",
     "readonly='bogus == 1': model tv.order has no field 'bogus'"),
    ("<list decoration-danger='amount &lt; ghost'><field name='name'/></list>",
     "is a name, not a literal"),
    ("<form><field name='partner_id' options='{\"a\": open()}'/></form>",
     "only literals are allowed (Call)"),
    ("<form><field name='partner_id' options='{\"a\": x}'/></form>",
     "only literals are allowed (Name)"),
    ("<form><field name='partner_id' options='[1]'/></form>", "is not a dictionary"),
    ("<form><field name='partner_id' domain=\"[('id', '=', __import__('os'))]\"/></form>",
     "function calls are not allowed"),
    ("<form><field name='partner_id' context=\"{'a': record.name}\"/></form>",
     "attribute access other than parent.<field>"),
    ("<form><field name='name' groups='base.no_such_group'/></form>",
     "'base.no_such_group' is not the external id of a group"),
    ("<form><a href='javascript:alert(1)'>x</a></form>", "javascript: links are not allowed"),
    ("<graph type='donut'><field name='amount'/></graph>", "type='donut': use one of bar"),
    ("<pivot><field name='date' interval='hour' type='col'/></pivot>", "interval='hour'"),
    ("<list editable='middle'><field name='name'/></list>", "editable='middle'"),
    ("<list create='maybe'><field name='name'/></list>", "is not a boolean"),
    ("<calendar date_start='name'><field name='name'/></calendar>",
     "date_start='name' is a char field, not a date"),
    ("<calendar date_start='nope'/>", "date_start='nope': model tv.order has no field"),
    ("<kanban><templates><t t-name='kanban-box'><div t-att-class='x'/></t></templates>"
     "</kanban>", "unknown attribute 't-att-class'"),
    ("<kanban><templates><t t-name='kanban-box'><div t-if='widget.editable'/></t></templates>"
     "</kanban>", "t-if: condition 'widget.editable': attribute access is not allowed"),
    ("<kanban><templates><t t-name='kanban-box'><div t-if='record.ghost.raw_value'/></t>"
     "</templates></kanban>", "model tv.order has no field 'ghost'"),
    ("<search><filter name='f' date='nope'/></search>", "date='nope'"),
    ("<form><label for='nope'/></form>", "for='nope'"),
    ("<form><field name='line_ids'><list><field name='amount'/></list></field></form>",
     "model tv.order.line has no field 'amount'"),
    ("<form><field name='line_ids'><list><field name='qty' invisible='state'/></list></field>"
     "</form>", "model tv.order.line has no field 'state'"),
    ("<form><field name='partner_id'><list/></field></form>",
     "holds only the inline <list>, <form> or <kanban> of an x2many"),
    ("<form><field name='line_ids'><list><group/></list></field></form>",
     "<group>: unknown element in a list view"),
])
def test_checks(env, arch, message):
    assert message in errors_of(env, arch)


def test_every_error_of_a_view_is_listed_with_its_line(env):
    message = errors_of(env, "<form>\n<field name='nope'/>\n<field name='name' x='1'/>\n</form>")
    lines = message.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("View tv_test.view: line 2 of its arch: <field>:")
    assert lines[1].startswith("View tv_test.view: line 3 of its arch: <field>:")


def test_an_error_names_the_extension_that_brought_the_element(env):
    base = env.ref("tv_base.tv_order_view_form")
    extension = env["ir.ui.view"].create({
        "name": "ext", "model": "tv.order", "inherit_id": base.id,
        "arch": "<data>\n<field name='amount' position='after'>\n<field name='ghost'/>\n"
                "</field>\n</data>"})
    env["ir.model.data"].create({"module": "tv_test", "name": "ext", "model": "ir.ui.view",
                                 "res_id": extension.id})
    index = view_index(env)
    with pytest.raises(ViewError, match=r"View tv_test\.ext: line 3 of its arch: <field>"):
        check_view(env, index, index.by_id[base.id])


def test_valid_archs_pass(env):
    env["ir.ui.view"].create({"name": "ok", "model": "tv.order", "arch": """
        <form>
            <header><button name="action_confirm" type="object" string="Go"/></header>
            <sheet>
                <div class="oe_button_box" name="button_box"/>
                <group><field name="name" invisible="not active" required="1"/>
                       <field name="active" widget="boolean_toggle"/>
                       <field name="state" widget="radio" options="{'horizontal': true}"/>
                       <widget name="web_ribbon" title="Archived" bg_color="text-bg-danger"
                               invisible="active"/>
                       <field name="partner_id" domain="[('id', '!=', parent.partner_id)]"
                              context="{'default_name': name}"/></group>
                <field name="line_ids"><kanban><field name="product"/></kanban></field>
                <a href="https://example.com" target="_blank">help</a>
            </sheet>
        </form>"""})
    index = view_index(env)
    for view_id in index.by_id:
        check_view(env, index, index.root_of(view_id))
