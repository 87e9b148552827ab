"""get_view on a database with tv_base and tv_ext: default views, inheritance,
what each user sees, subviews, and the RPC methods' shapes."""

from __future__ import annotations

import pytest
from lxml import etree

from core.exceptions import AccessError
from core.http.rpc import call_kw
from core.views import ARCH_POSTPROCESSORS, View, ViewError, default_arch, get_view
from tests.views.conftest import as_user, make_user

TYPES = ("form", "list", "search", "kanban", "calendar", "graph", "pivot")


def field_names(view: View) -> list[str]:
    return [element.get("name") for element in view.arch.iter("field")]


def make_view(env, arch: str, xmlid: str | None = None, **values):
    values.setdefault("name", xmlid or "test.view")
    values.setdefault("model", "tv.order")
    view = env["ir.ui.view"].create({"arch": arch, **values})
    if xmlid:
        module, name = xmlid.split(".")
        env["ir.model.data"].create({"module": module, "name": name, "model": "ir.ui.view",
                                     "res_id": view.id})
    return view


# -- finding views ------------------------------------------------------------------
@pytest.mark.parametrize("view_type", TYPES)
def test_default_view_of_each_type(env, view_type):
    view = get_view(env, "tv.order", view_type)
    assert view.id == env.ref(f"tv_base.tv_order_view_{view_type}").id
    assert (view.model, view.type, view.arch.tag) == ("tv.order", view_type, view_type)
    assert view.fields and set(view.fields) <= set(env["tv.order"]._fields)


def test_tree_is_list(env):
    view = get_view(env, "tv.order", "tree")
    assert view.type == "list" and view.arch.tag == "list"
    assert field_names(view) == ["name", "partner_id", "date", "amount", "state"]


def test_view_by_external_id_and_by_id(env):
    simple = env.ref("tv_ext.tv_order_view_form_simple")
    assert get_view(env, "tv.order", "form", view_id="tv_ext.tv_order_view_form_simple").id \
        == simple.id
    assert get_view(env, "tv.order", "form", view_id=simple.id).id == simple.id
    # an extension's id gives the view it extends
    extension = env.ref("tv_ext.tv_order_view_form_inherit")
    assert get_view(env, "tv.order", "form", view_id=extension.id).id == \
        env.ref("tv_base.tv_order_view_form").id


@pytest.mark.parametrize("model, view_type, view_id, message", [
    ("res.partner", "form", "tv_base.tv_order_view_form", "is a view of 'tv.order'"),
    ("tv.order", "list", "tv_base.tv_order_view_form", "is a form view, not a list view"),
    ("tv.order", "form", "tv_base.nothing", "No view has the external id"),
    ("tv.order", "form", "tv_base.tv_order_action", "No view has the external id"),
    ("tv.order", "form", 999999, "does not exist or is archived"),
    ("tv.order", "gantt", None, "Unknown view type 'gantt'"),
    ("no.model", "form", None, "Unknown model"),
])
def test_view_errors(env, model, view_type, view_id, message):
    with pytest.raises(ViewError, match=message):
        get_view(env, model, view_type, view_id=view_id)


# -- inheritance ----------------------------------------------------------------------
def test_extensions_from_another_module(env):
    view = get_view(env, "tv.order", "form")
    left = view.arch.find(".//group[@name='left']")
    assert [f.get("name") for f in left] == ["partner_id", "date", "date_deadline"]
    assert view.arch.find(".//group[@name='right']").get("string") == "Amounts"
    assert "date_deadline" in view.fields


def test_primary_view_is_built_on_its_parents_combined_arch(env):
    view = get_view(env, "tv.order", "form", view_id="tv_ext.tv_order_view_form_simple")
    assert view.arch.find(".//notebook") is None
    assert "date_deadline" in field_names(view)     # the parent's extension applies
    # an extension of the primary view applies to it only
    make_view(env, '<field name="amount" position="replace"/>',
              inherit_id=env.ref("tv_ext.tv_order_view_form_simple").id)
    assert "amount" not in field_names(get_view(env, "tv.order", "form",
                                                view_id="tv_ext.tv_order_view_form_simple"))
    assert "amount" in field_names(get_view(env, "tv.order", "form"))


def test_primary_views_are_not_the_default_when_their_priority_is_higher(env):
    assert get_view(env, "tv.order", "form").id == env.ref("tv_base.tv_order_view_form").id
    env.ref("tv_ext.tv_order_view_form_simple").write({"priority": 1})
    assert get_view(env, "tv.order", "form").id == \
        env.ref("tv_ext.tv_order_view_form_simple").id


def test_extensions_apply_by_priority_then_id(env):
    base = env.ref("tv_base.tv_order_view_list")
    spec = '<field name="name" position="after"><field name="{}"/></field>'
    make_view(env, spec.format("note"), inherit_id=base.id, priority=20)
    make_view(env, spec.format("date_deadline"), inherit_id=base.id, priority=5)
    make_view(env, spec.format("active"), inherit_id=base.id, priority=20)
    # each inserts right after name: what applies last comes first
    assert field_names(get_view(env, "tv.order", "list"))[:4] == \
        ["name", "active", "note", "date_deadline"]


def test_extension_of_an_extension_and_inactive_views(env):
    parent = make_view(env, '<field name="name" position="after"><field name="note"/></field>',
                       inherit_id=env.ref("tv_base.tv_order_view_list").id)
    make_view(env, '<field name="note" position="after"><field name="active"/></field>',
              inherit_id=parent.id)
    assert field_names(get_view(env, "tv.order", "list"))[:3] == ["name", "note", "active"]
    parent.write({"active": False})      # takes its own extensions with it
    assert field_names(get_view(env, "tv.order", "list"))[:2] == ["name", "partner_id"]


def test_a_spec_that_matches_nothing_names_the_view(env):
    make_view(env, '<data>\n<xpath expr="//field[@name=\'nowhere\']" position="after">'
                   '<field name="note"/></xpath>\n</data>', xmlid="tv_test.view_lost",
              inherit_id=env.ref("tv_base.tv_order_view_list").id)
    with pytest.raises(ViewError) as error:
        get_view(env, "tv.order", "list")
    message = str(error.value)
    assert message.startswith("View tv_test.view_lost: line 2 of its arch:")
    assert "//field[@name='nowhere']" in message


# -- what a user sees ---------------------------------------------------------------
def test_groups_and_field_access(env, users):
    def seen(user):
        view = get_view(as_user(env, user), "tv.order", "form")
        buttons = [b.get("string") for b in view.arch.iter("button")]
        return set(field_names(view)), set(view.fields), buttons, view.arch

    fields, described, buttons, arch = seen(users.plain)
    assert {"secret", "manager_note"}.isdisjoint(fields | described)
    assert "Force confirm" not in buttons          # the extension's groups_id
    assert not [e for e in arch.iter() if "groups" in e.attrib]
    fields, described, buttons, _ = seen(users.manager)
    assert "manager_note" in fields and "manager_note" in described
    assert "secret" not in fields and "Force confirm" in buttons
    fields, described, _, _ = seen(users.system)
    assert "secret" in fields and "manager_note" not in fields
    # the superuser environment sees everything
    assert {"secret", "manager_note"} <= set(field_names(get_view(env, "tv.order", "form")))


def test_negated_groups_and_labels_of_hidden_fields(env, users):
    make_view(env, """<data>
        <field name="amount" position="after">
            <div name="plain_only" groups="!tv_base.group_tv_manager">only for others</div>
            <label for="secret" string="Secret"/>
        </field>
    </data>""", inherit_id=env.ref("tv_base.tv_order_view_form").id)
    plain = get_view(as_user(env, users.plain), "tv.order", "form").arch
    manager = get_view(as_user(env, users.manager), "tv.order", "form").arch
    system = get_view(as_user(env, users.system), "tv.order", "form").arch
    assert plain.find(".//div[@name='plain_only']") is not None
    assert manager.find(".//div[@name='plain_only']") is None
    assert plain.find(".//label[@for='secret']") is None
    assert system.find(".//label[@for='secret']") is not None


def test_reading_the_model_is_required(env):
    portal = make_user(env, "portal_viewer", ("base.group_portal",))
    with pytest.raises(AccessError):
        get_view(as_user(env, portal), "tv.order", "form")


# -- what a view describes ------------------------------------------------------------
def test_fields_are_those_the_view_uses(env):
    view = get_view(env, "tv.order", "form")
    assert view.fields["state"]["type"] == "selection"
    assert view.fields["line_ids"]["relation"] == "tv.order.line"
    assert "product" not in view.fields            # the inline list's own
    kanban = get_view(env, "tv.order", "kanban")
    assert "amount" in kanban.fields               # read by a condition
    calendar = get_view(env, "tv.order", "calendar")
    assert {"date", "date_deadline", "partner_id"} <= set(calendar.fields)


def test_subviews(env):
    view = get_view(env, "tv.order", "form")
    assert set(view.subviews) == {"line_ids", "tag_ids"}
    lines = view.subviews["line_ids"]
    assert lines["list"].inline and lines["list"].id is None
    assert (lines["list"].model, lines["list"].type) == ("tv.order.line", "list")
    assert lines["list"].arch.get("editable") == "bottom"
    assert set(lines["list"].fields) == {"product", "qty", "price"}
    assert lines["form"].inline and set(lines["form"].fields) == {"product", "qty", "price"}
    tags = view.subviews["tag_ids"]               # no inline view: the comodel's own
    assert not tags["list"].inline and tags["list"].model == "res.partner.category"
    assert tags["list"].id == env.ref("base.view_partner_category_list").id
    assert tags["list"].arch.tag == "list"


def test_subview_refs_in_the_field_context(env):
    make_view(env, """<field name="tag_ids" position="attributes">
        <attribute name="context">{'form_view_ref': 'tv_test.category_form'}</attribute>
    </field>""", inherit_id=env.ref("tv_base.tv_order_view_form").id)
    make_view(env, "<form><field name='name'/></form>", xmlid="tv_test.category_form",
              model="res.partner.category")
    form = get_view(env, "tv.order", "form").subviews["tag_ids"]["form"]
    assert form.id == env.ref("tv_test.category_form").id


def test_arch_is_a_fresh_copy(env):
    view = get_view(env, "tv.order", "form")
    view.arch.clear()
    assert len(get_view(env, "tv.order", "form").arch)


def test_postprocessors_run_on_every_arch(env, monkeypatch):
    calls = []

    def mark(arch, called_env, model):
        calls.append((called_env, model))
        arch.set("data-marked", "1")

    monkeypatch.setattr("core.views.view.ARCH_POSTPROCESSORS", [*ARCH_POSTPROCESSORS, mark])
    assert get_view(env, "tv.order", "list").arch.get("data-marked") == "1"
    assert get_view(env, "tv.order.line", "list").arch.get("data-marked") == "1"
    assert calls == [(env, "tv.order"), (env, "tv.order.line")]


# -- generated views ------------------------------------------------------------------
def test_default_views_of_a_model_without_views(env):
    form = get_view(env, "tv.order.line", "form")
    assert form.id is None and form.arch.tag == "form"
    assert form.arch.find("sheet") is not None
    assert [p.get("name") for p in form.arch.iter("page")] == ["note"]
    assert {"order_id", "product", "qty", "price", "note"} <= set(form.fields)
    listing = get_view(env, "tv.order.line", "list")
    assert field_names(listing) == ["order_id", "product", "qty", "price"]
    search = get_view(env, "tv.order.line", "search")
    assert field_names(search) == ["product"]
    assert [f.get("name") for f in search.arch.iter("filter")] == ["groupby_order_id"]
    graph = get_view(env, "tv.order.line", "graph")
    assert [(f.get("name"), f.get("type")) for f in graph.arch.iter("field")] == \
        [("order_id", "row")]
    with pytest.raises(ViewError, match="no date or datetime field"):
        get_view(env, "tv.order.line", "calendar")


def test_default_arch_of_each_type(env):
    search = default_arch(env, "tv.order", "search")
    assert search[0].get("name") == "name"
    assert search.find("filter[@name='inactive']").get("domain") == "[('active', '=', False)]"
    assert {f.get("name") for f in search.iter("filter")} >= {"groupby_partner_id",
                                                              "groupby_state"}
    kanban = default_arch(env, "tv.order", "kanban")
    assert kanban.find("templates/t").get("t-name") == "kanban-box"
    assert default_arch(env, "tv.order", "calendar").get("date_start") == "date"
    assert default_arch(env, "tv.order", "pivot").find("field").get("type") == "row"
    form = default_arch(env, "tv.order", "form")
    assert form.find("sheet/div/h1/field").get("name") == "name"
    assert {p.get("name") for p in form.iter("page")} == {"line_ids", "tag_ids", "note"}
    assert "manager_note" in [f.get("name") for f in form.iter("field")]


def test_default_views_leave_out_fields_the_user_may_not_read(env, users):
    form = default_arch(as_user(env, users.plain), "tv.order", "form")
    assert {"secret", "manager_note"}.isdisjoint(f.get("name") for f in form.iter("field"))


# -- the RPC methods ------------------------------------------------------------------
def test_get_views_shape(env):
    result = env["tv.order"].get_views([[False, "list"], [False, "form"], [False, "search"]],
                                       {"toolbar": True, "load_filters": True})
    assert set(result) == {"views", "models"}
    assert set(result["views"]) == {"list", "form", "search"}
    form = result["views"]["form"]
    assert set(form) == {"arch", "id", "model", "type", "toolbar"}
    assert form["id"] == env.ref("tv_base.tv_order_view_form").id and form["model"] == "tv.order"
    assert etree.fromstring(form["arch"]).tag == "form"
    assert result["views"]["search"]["filters"] == []
    env["ir.filters"].create({"name": "Mine", "model_id": "tv.order",
                              "domain": "[('state', '=', 'draft')]", "user_id": env.uid})
    filters = env["tv.order"].get_views([[False, "search"]], {"load_filters": True})[
        "views"]["search"]["filters"]
    assert [(f["name"], f["domain"]) for f in filters] == [("Mine", "[('state', '=', 'draft')]")]
    assert set(result["models"]) == {"tv.order", "tv.order.line"}
    assert result["models"]["tv.order"]["partner_id"]["relation"] == "res.partner"
    assert set(result["models"]["tv.order.line"]) == {"product", "qty", "price"}


def test_get_views_of_generated_views(env):
    result = env["tv.order.line"].get_views([[False, "list"], [False, "tree"]])
    assert result["views"]["list"]["id"] is False
    assert result["views"]["tree"]["type"] == "list"


def test_toolbar_lists_bound_actions(env):
    action = env.ref("tv_base.tv_order_action")
    action.write({"binding_model_id": env["ir.model"]._get_id("tv.order"),
                  "binding_view_types": "list"})
    toolbar = env["tv.order"].get_views([[False, "list"]], {"toolbar": True})[
        "views"]["list"]["toolbar"]
    assert toolbar["action"] == [{"id": action.id, "name": "Orders",
                                  "type": "ir.actions.act_window", "res_model": "tv.order"}]


def test_get_view_and_fields_view_get(env):
    result = env["tv.order"].get_view(view_type="kanban")
    assert set(result) == {"arch", "id", "model", "type", "models"}
    assert result["models"]["tv.order"] == list(get_view(env, "tv.order", "kanban").fields)
    old = env["tv.order"].fields_view_get(view_type="tree", toolbar=True)
    assert old["type"] == "list" and old["name"] == "tv.order.list"
    assert old["view_id"] == env.ref("tv_base.tv_order_view_list").id
    assert old["fields"]["amount"]["type"] == "float" and "toolbar" in old


def test_rpc_calls_as_a_user(env, users):
    user_env = as_user(env, users.plain)
    result = call_kw(user_env, "tv.order", "get_views",
                     [[[False, "form"]]], {"options": {}, "context": {"lang": "en_US"}})
    assert "secret" not in result["models"]["tv.order"]
    assert "secret" not in result["views"]["form"]["arch"]
    single = call_kw(user_env, "tv.order", "get_view", [], {"view_type": "list"})
    assert single["id"] == env.ref("tv_base.tv_order_view_list").id
