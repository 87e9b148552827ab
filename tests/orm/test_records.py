"""Record sets: their operators, functional helpers, reads, copies and composition."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from core import api, fields, models
from core.exceptions import MissingError
from tests.orm.sample_models import ALL


class Box(models.Model):
    _name = "tr.box"
    _description = "Box"

    name = fields.Char(required=True, translate=True)
    item_ids = fields.One2many("tr.item", "box_id", copy=True)
    tag_ids = fields.Many2many("test.tag")


class Item(models.Model):
    _name = "tr.item"
    _description = "Item"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    box_id = fields.Many2one("tr.box", ondelete="cascade")
    box_name = fields.Char(related="box_id.name")


class Nameless(models.Model):
    _name = "tr.nameless"
    _description = "Nameless"

    value = fields.Integer()


class Wizard(models.TransientModel):
    _name = "tr.wizard"
    _description = "Wizard"
    _transient_max_hours = 2.0

    name = fields.Char()


class Animal(models.Model):
    _name = "tr.animal"
    _description = "Animal"

    name = fields.Char(required=True, size=20)
    legs = fields.Integer(default=4)

    def describe(self):
        return f"{self.name} has {self.legs} legs"

    def sound(self):
        return "..."


class AnimalExtension(models.Model):
    """Another addon extends tr.animal: a new field, an override, a changed field."""

    _inherit = "tr.animal"

    sound_text = fields.Char(default="woof")
    name = fields.Char(string="Animal Name")

    def describe(self):
        return super().describe() + f" and says {self.sound_text}"

    def sound(self):
        return super().sound() + self.sound_text

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("sound_text"):
                vals["sound_text"] = vals["sound_text"].lower()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("sound_text"):
            vals = dict(vals, sound_text=vals["sound_text"].lower())
        return super().write(vals)


class CodedMixin(models.AbstractModel):
    _name = "tr.coded.mixin"
    _description = "Coded Mixin"

    code = fields.Char(index=True)

    def normalized_code(self):
        return (self.code or "").strip().upper()

    @api.constrains("code")
    def _check_code(self):
        for record in self:
            if record.code and " " in record.code:
                from core.exceptions import ValidationError

                raise ValidationError("A code has no spaces.")


class Depot(models.Model):
    """A second user of the mixin that makes its code required."""

    _name = "tr.depot"
    _description = "Depot"
    _inherit = ["tr.coded.mixin"]

    code = fields.Char(required=True)


class Warehouse(models.Model):
    _name = "tr.warehouse"
    _description = "Warehouse"
    _inherit = ["tr.coded.mixin"]

    name = fields.Char(required=True)

    def normalized_code(self):
        return "WH-" + super().normalized_code()


MODELS = ALL + [Box, Item, Nameless, Wizard, Animal, AnimalExtension, CodedMixin, Depot,
                Warehouse]


@pytest.fixture
def partners(env):
    """Three partners, created in a deliberately unsorted order."""
    Partner = env["test.partner"]
    return Partner.create([{"name": "Charlie"}, {"name": "Alpha"}, {"name": "Bravo"}])


def _order(env, partner, *lines, **vals):
    return env["test.order"].create({
        "partner_id": partner.id,
        "line_ids": [(0, 0, {"product": product, "quantity": qty, "price_unit": price})
                     for product, qty, price in lines],
        **vals,
    })


# ---------------------------------------------------------------------------
# browse, iteration, size, membership
# ---------------------------------------------------------------------------
def test_browse(env, partners):
    Partner = env["test.partner"]
    charlie, alpha, _bravo = partners
    assert Partner.browse(alpha.id) == alpha
    assert Partner.browse(alpha.id).name == "Alpha"
    assert Partner.browse([charlie.id, alpha.id]).ids == [charlie.id, alpha.id]
    assert Partner.browse((alpha.id,)).ids == [alpha.id]
    assert Partner.browse().ids == []
    assert Partner.browse(False).ids == []
    assert Partner.browse(None).ids == []
    assert Partner.browse(partners.ids)._name == "test.partner"
    assert Partner.browse(partners.ids).env is env


def test_browse_missing_record(env, partners):
    ghost = env["test.partner"].browse(max(partners.ids) + 1000)
    assert len(ghost) == 1
    assert not ghost.exists()
    with pytest.raises(MissingError):
        ghost.name  # noqa: B018


def test_iteration_and_ids(env, partners):
    charlie, alpha, bravo = partners
    names = [partner.name for partner in partners]
    assert names == ["Charlie", "Alpha", "Bravo"]
    for record in partners:
        assert len(record) == 1
        assert record._name == "test.partner"
    assert [r.id for r in reversed(partners)] == [bravo.id, alpha.id, charlie.id]
    assert partners.ids == [charlie.id, alpha.id, bravo.id]
    assert [p.id for p in env["test.partner"]] == []


def test_len_and_bool(env, partners):
    assert len(partners) == 3
    assert bool(partners) is True
    empty = env["test.partner"]
    assert len(empty) == 0
    assert not empty
    assert bool(partners[:1]) is True


def test_contains(env, partners):
    charlie, alpha, _bravo = partners
    other = env["test.partner"].create({"name": "Other"})
    assert alpha in partners
    assert other not in partners
    assert alpha not in env["test.partner"]
    assert (alpha | charlie) not in partners  # only single records are members
    assert "name" in partners
    assert "no_such_field" not in partners
    tag = env["test.tag"].create({"name": "T"})
    with pytest.raises(TypeError):
        tag in partners  # noqa: B015
    with pytest.raises(TypeError):
        alpha.id in partners  # noqa: B015


def test_indexing_and_slicing(env, partners):
    charlie, alpha, bravo = partners
    assert partners[0] == charlie
    assert partners[-1] == bravo
    assert partners[0]._name == "test.partner" and len(partners[0]) == 1
    assert partners[1:].ids == [alpha.id, bravo.id]
    assert partners[:2].ids == [charlie.id, alpha.id]
    assert partners[::-1].ids == [bravo.id, alpha.id, charlie.id]
    assert partners[5:].ids == []
    with pytest.raises(IndexError):
        partners[3]  # noqa: B018
    with pytest.raises(ValueError):
        partners["name"]  # noqa: B018 - a field of several records
    assert alpha["name"] == "Alpha"
    with pytest.raises(KeyError):
        alpha["nope"]  # noqa: B018


def test_set_operations(env, partners):
    charlie, alpha, bravo = partners
    ca = charlie | alpha
    ab = alpha | bravo
    assert (ca | ab).ids == [charlie.id, alpha.id, bravo.id]
    assert (ca | ca).ids == [charlie.id, alpha.id]
    assert (ca & ab).ids == [alpha.id]
    assert (ca - ab).ids == [charlie.id]
    assert (partners - alpha).ids == [charlie.id, bravo.id]
    assert (ca + ab).ids == [charlie.id, alpha.id, alpha.id, bravo.id]
    assert len(ca + ab) == 4
    assert (ab | ca).ids == [alpha.id, bravo.id, charlie.id]  # order of first appearance
    assert charlie.union(alpha, bravo, alpha).ids == [charlie.id, alpha.id, bravo.id]
    tag = env["test.tag"].create({"name": "T"})
    for op in ("__or__", "__and__", "__sub__", "__add__"):
        with pytest.raises(TypeError):
            getattr(alpha, op)(tag)


def test_comparisons(env, partners):
    charlie, alpha, bravo = partners
    assert alpha < partners
    assert alpha <= partners
    assert partners <= partners
    assert not partners < partners
    assert partners > alpha | bravo
    assert partners >= partners
    assert not alpha < bravo
    assert env["test.partner"] < alpha
    tag = env["test.tag"].create({"name": "T"})
    with pytest.raises(TypeError):
        alpha < tag  # noqa: B015


def test_equality_and_hash(env, partners):
    charlie, alpha, _bravo = partners
    assert charlie | alpha == alpha | charlie  # up to reordering
    assert alpha == env["test.partner"].browse(alpha.id)
    assert alpha != charlie
    assert env["test.partner"] == env["test.partner"].browse()
    assert env["test.partner"] != env["test.tag"]  # empty sets of two models differ
    assert alpha != alpha.id
    assert (alpha == "Alpha") is False
    assert hash(charlie | alpha) == hash(alpha | charlie)
    assert {alpha, env["test.partner"].browse(alpha.id), charlie} == {alpha, charlie}
    lookup = {alpha: "a"}
    assert lookup[env["test.partner"].browse(alpha.id)] == "a"
    # the same ids in another environment are the same records
    assert alpha.with_context(lang="fr_FR") == alpha
    assert alpha.sudo() == alpha


def test_ensure_one(env, partners):
    alpha = partners[1]
    assert alpha.ensure_one() is alpha
    with pytest.raises(ValueError, match="Expected singleton"):
        partners.ensure_one()
    with pytest.raises(ValueError, match="Expected singleton"):
        env["test.partner"].ensure_one()


def test_exists(env, partners):
    charlie, alpha, bravo = partners
    assert partners.exists() == partners
    assert partners.exists().ids == partners.ids
    alpha.unlink()
    assert partners.exists().ids == [charlie.id, bravo.id]
    assert not alpha.exists()
    assert env["test.partner"].browse().exists() == env["test.partner"]
    ghost = env["test.partner"].browse([bravo.id, 10**8])
    assert ghost.exists() == bravo


# ---------------------------------------------------------------------------
# mapped, filtered, filtered_domain, sorted, grouped
# ---------------------------------------------------------------------------
def test_mapped_scalars(env, partners):
    assert partners.mapped("name") == ["Charlie", "Alpha", "Bravo"]
    assert partners.mapped("id") == partners.ids
    partners.write({"credit_limit": 5.0})
    assert partners.mapped("credit_limit") == [5.0, 5.0, 5.0]  # not deduplicated
    assert partners.mapped(lambda p: p.name[0]) == ["C", "A", "B"]
    assert env["test.partner"].mapped("name") == []
    assert partners.mapped("") == partners
    with pytest.raises(KeyError):
        partners.mapped("nope")


def test_mapped_relations(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    fr = env["test.country"].create({"name": "France", "code": "FR"})
    a = env["test.partner"].create({"name": "A", "country_id": de.id})
    b = env["test.partner"].create({"name": "B", "country_id": fr.id})
    c = env["test.partner"].create({"name": "C", "country_id": de.id})
    d = env["test.partner"].create({"name": "D"})
    partners = a | b | c | d
    assert partners.mapped("country_id") == de | fr
    assert partners.mapped("country_id").ids == [de.id, fr.id]  # deduplicated, in order
    assert partners.mapped("country_id.code") == ["DE", "FR"]
    assert partners.mapped(lambda p: p.country_id) == de | fr
    o1 = _order(env, a, ("x", 1, 1), ("y", 1, 2))
    o2 = _order(env, b, ("z", 1, 3))
    orders = o1 | o2
    assert orders.mapped("line_ids") == o1.line_ids | o2.line_ids
    assert sorted(orders.mapped("line_ids.product")) == ["x", "y", "z"]
    assert orders.mapped("partner_id.country_id.code") == ["DE", "FR"]
    assert orders.mapped("line_ids.order_id") == orders
    # an empty set maps to an empty set of the right model
    empty = env["test.order"].browse()
    assert empty.mapped("partner_id") == env["test.partner"]
    assert empty.mapped("partner_id")._name == "test.partner"
    assert empty.mapped(lambda o: o.partner_id)._name == "test.partner"
    assert empty.mapped("partner_id.name") == []


def test_mapped_keeps_the_environment(env, partners):
    box = env["tr.box"].create({"name": "Box", "item_ids": [(0, 0, {"name": "Pen"})]})
    box.item_ids.with_context(lang="zh_TW").name = "筆"
    zh_items = box.with_context(lang="zh_TW").mapped("item_ids")
    assert zh_items.env.lang == "zh_TW"
    assert zh_items.mapped("name") == ["筆"]


def test_filtered(env, partners):
    charlie, alpha, bravo = partners
    alpha.is_company = True
    bravo.email = "b@example.com"
    assert partners.filtered(lambda p: p.name.startswith("A")) == alpha
    assert partners.filtered("is_company") == alpha
    assert partners.filtered("email").ids == [bravo.id]
    assert partners.filtered(lambda p: True).ids == partners.ids  # order kept
    assert partners.filtered(lambda p: False) == env["test.partner"]
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    charlie.country_id = de
    assert partners.filtered("country_id") == charlie
    assert partners.filtered("country_id.code") == charlie


def test_filtered_domain(env, partners):
    charlie, alpha, bravo = partners
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    alpha.write({"is_company": True, "country_id": de.id, "credit_limit": 100})
    bravo.write({"email": "b@example.com", "credit_limit": 50})
    assert partners.filtered_domain([("is_company", "=", True)]) == alpha
    assert partners.filtered_domain([("name", "ilike", "a")]).ids == partners.ids
    assert partners.filtered_domain([("name", "=like", "A%")]) == alpha
    assert partners.filtered_domain([("country_id.code", "=", "DE")]) == alpha
    assert partners.filtered_domain([("country_id", "=", de.id)]) == alpha
    assert partners.filtered_domain([("country_id", "=", False)]).ids == [charlie.id, bravo.id]
    assert partners.filtered_domain(["|", ("email", "!=", False),
                                     ("is_company", "=", True)]).ids == [alpha.id, bravo.id]
    assert partners.filtered_domain([("credit_limit", ">", 60)]) == alpha
    assert partners.filtered_domain([("credit_limit", "in", [50, 100])]).ids == [alpha.id,
                                                                                 bravo.id]
    assert partners.filtered_domain(["!", ("name", "=", "Alpha")]).ids == [charlie.id,
                                                                          bravo.id]
    assert partners.filtered_domain([]) == partners
    # the same answers as search
    for domain in ([("email", "=", False)], [("name", "not ilike", "r")],
                   [("country_id", "!=", de.id)], [("credit_limit", ">=", 50)]):
        found = env["test.partner"].search([("id", "in", partners.ids)] + domain)
        assert partners.filtered_domain(domain) == found, domain


def test_filtered_domain_on_dates_and_x2many(env, partners):
    charlie, alpha, _bravo = partners
    early = _order(env, alpha, ("x", 1, 10), date_order="2024-01-10")
    late = _order(env, charlie, date_order="2024-03-01")
    orders = early | late
    assert orders.filtered_domain([("date_order", ">=", "2024-02-01")]) == late
    assert orders.filtered_domain([("date_order", "<", dt.date(2024, 2, 1))]) == early
    assert orders.filtered_domain([("line_ids", "!=", False)]) == early
    assert orders.filtered_domain([("line_ids", "=", False)]) == late
    assert orders.filtered_domain([("line_ids.product", "=", "x")]) == early
    assert orders.filtered_domain([("partner_id.name", "=", "Charlie")]) == late


def test_sorted(env, partners):
    charlie, alpha, bravo = partners
    # None: the model's _order ("name, id")
    assert partners.sorted().ids == [alpha.id, bravo.id, charlie.id]
    assert partners.sorted(reverse=True).ids == [charlie.id, bravo.id, alpha.id]
    assert partners.sorted("name").ids == [alpha.id, bravo.id, charlie.id]
    assert partners.sorted("name", reverse=True).ids == [charlie.id, bravo.id, alpha.id]
    assert partners.sorted(key=lambda p: p.name[-1]).ids == [alpha.id, charlie.id, bravo.id]
    assert partners.sorted(key=lambda p: p.id, reverse=True).ids == sorted(partners.ids,
                                                                         reverse=True)
    alpha.credit_limit = 10
    charlie.credit_limit = 5
    # empty values first, as Odoo's sorted does with False
    assert partners.sorted("credit_limit").ids == [bravo.id, charlie.id, alpha.id]
    assert env["test.partner"].sorted() == env["test.partner"]
    # archived records are kept, and the result is a record set of the same model
    alpha.active = False
    assert partners.sorted().ids == [alpha.id, bravo.id, charlie.id]


def test_sorted_by_order_spec(env, partners):
    charlie, alpha, bravo = partners
    alpha.is_company = True
    charlie.is_company = True
    assert partners.sorted("is_company desc, name").ids == [alpha.id, charlie.id, bravo.id]
    assert partners.sorted("is_company, name desc").ids == [bravo.id, charlie.id, alpha.id]


def test_grouped(env, partners):
    charlie, alpha, bravo = partners
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    (alpha | bravo).country_id = de
    groups = partners.grouped("country_id")
    assert set(groups) == {de, env["test.country"]}
    assert groups[de].ids == [alpha.id, bravo.id]
    assert groups[env["test.country"]] == charlie
    by_initial = partners.grouped(lambda p: p.name[0])
    assert {k: v.ids for k, v in by_initial.items()} == {
        "C": [charlie.id], "A": [alpha.id], "B": [bravo.id]}
    assert env["test.partner"].grouped("name") == {}


# ---------------------------------------------------------------------------
# environment switches
# ---------------------------------------------------------------------------
def test_with_context(env, partners):
    extended = partners.with_context(lang="zh_TW", foo=1)
    assert extended.env.context["lang"] == "zh_TW"
    assert extended.env.lang == "zh_TW"
    assert extended.ids == partners.ids
    assert partners.env.context.get("lang") is None  # the original is untouched
    replaced = extended.with_context({"bar": 2})
    assert replaced.env.context == {"bar": 2}
    both = extended.with_context({"bar": 2}, baz=3)
    assert both.env.context == {"bar": 2, "baz": 3}
    again = extended.with_context(foo=5)
    assert again.env.context == {"lang": "zh_TW", "foo": 5}
    assert extended.env.transaction is env.transaction
    assert extended.env.uid == env.uid and extended.env.su == env.su


def test_with_context_keeps_allowed_companies(env, partners):
    with_companies = partners.with_context(allowed_company_ids=[3, 1])
    replaced = with_companies.with_context({"lang": "fr_FR"})
    assert replaced.env.context == {"lang": "fr_FR", "allowed_company_ids": [3, 1]}
    explicit = with_companies.with_context({"allowed_company_ids": [1]})
    assert explicit.env.context["allowed_company_ids"] == [1]


def test_sudo_and_with_user(env, partners):
    assert env.su is True
    plain = partners.with_user(7)
    assert plain.env.uid == 7
    assert plain.env.su is False
    assert not plain.env.is_superuser()
    assert plain.ids == partners.ids
    sudoed = plain.sudo()
    assert sudoed.env.su is True and sudoed.env.uid == 7
    assert sudoed.env.is_superuser()
    assert sudoed.sudo(False).env.su is False
    assert plain.with_context(x=1).env.uid == 7
    assert plain.with_user(partners[:1]).env.uid == partners[0].id
    # the same transaction and cache: values read in one are seen in the other
    assert plain.mapped("name") == partners.mapped("name")
    assert plain.env.transaction is env.transaction


# ---------------------------------------------------------------------------
# copy and copy_data
# ---------------------------------------------------------------------------
def test_copy_copies_lines_and_keeps_many2many(env):
    tag1 = env["test.tag"].create({"name": "VIP"})
    tag2 = env["test.tag"].create({"name": "Export"})
    partner = env["test.partner"].create({"name": "Buyer", "tag_ids": [(6, 0, [tag1.id,
                                                                          tag2.id])]})
    child = env["test.partner"].create({"name": "Contact", "parent_id": partner.id})
    order = _order(env, partner, ("LED", 10, 5.5), ("Driver", 2, 3), state="sale",
                   note="Rush")
    copy = order.copy()
    assert copy != order
    assert copy.partner_id == partner
    assert copy.state == "sale" and copy.note == "Rush"
    assert len(copy.line_ids) == 2
    assert not copy.line_ids & order.line_ids  # new lines
    assert copy.line_ids.mapped("product") == ["LED", "Driver"]
    assert copy.line_ids.mapped("order_id") == copy
    assert copy.amount_total == order.amount_total == 61.0
    assert len(order.line_ids) == 2  # the original keeps its lines
    partner_copy = partner.copy({"name": "Buyer (copy)"})
    assert partner_copy.tag_ids == tag1 | tag2  # many2many: the same tags
    assert partner.tag_ids == tag1 | tag2
    assert not partner_copy.child_ids  # one2many without copy=True is not copied
    assert partner.child_ids == child
    assert not partner_copy.order_ids


def test_copy_data(env):
    tag = env["test.tag"].create({"name": "VIP"})
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    partner = env["test.partner"].create({"name": "P", "country_id": de.id,
                                          "tag_ids": [(6, 0, [tag.id])], "credit_limit": 9})
    order = _order(env, partner, ("LED", 10, 5.5))
    data = order.copy_data()
    assert isinstance(data, list) and len(data) == 1
    vals = data[0]
    assert vals["partner_id"] == partner.id
    assert vals["name"] == "New"
    assert vals["line_ids"] == [(0, 0, {"sequence": 10, "product": "LED", "quantity": 10.0,
                                        "price_unit": 5.5})]
    for magic in ("id", "create_date", "write_date", "create_uid", "write_uid"):
        assert magic not in vals
    assert "amount_total" not in vals  # computed: recomputed on the copy
    pvals = partner.copy_data({"email": "new@example.com"})[0]
    assert pvals["tag_ids"] == [(6, 0, [tag.id])]
    assert pvals["country_id"] == de.id
    assert pvals["email"] == "new@example.com"
    assert "child_ids" not in pvals and "order_ids" not in pvals
    assert "country_code" not in pvals and "order_count" not in pvals
    other = env["test.partner"].create({"name": "Other"})
    both = (partner | other).copy_data()
    assert [vals["name"] for vals in both] == ["P", "Other"]


def test_copy_default_overrides(env):
    partner = env["test.partner"].create({"name": "P", "email": "p@example.com"})
    copy = partner.copy({"email": "copy@example.com", "name": "Q"})
    assert (copy.name, copy.email) == ("Q", "copy@example.com")
    order = _order(env, partner, ("LED", 1, 1))
    bare = order.copy({"line_ids": []})
    assert not bare.line_ids


def test_copy_includes_archived_lines_and_translations(env):
    box = env["tr.box"].create({"name": "Box", "item_ids": [
        (0, 0, {"name": "Pen", "sequence": 1}), (0, 0, {"name": "Ink", "sequence": 2})]})
    box.with_context(lang="zh_TW").name = "盒子"
    pen, ink = box.item_ids
    pen.with_context(lang="zh_TW").name = "筆"
    ink.active = False
    assert box.item_ids == pen
    copy = box.copy()
    env.invalidate_all()
    lines = copy.with_context(active_test=False).item_ids
    assert lines.mapped("name") == ["Pen", "Ink"]
    assert lines.mapped("active") == [True, False]
    assert copy.with_context(lang="zh_TW").name == "盒子"
    assert lines.with_context(lang="zh_TW").mapped("name") == ["筆", "Ink"]


# ---------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------
def test_display_name(env, partners):
    alpha = partners[1]
    assert alpha.display_name == "Alpha"
    alpha.name = "Alpha Corp"
    assert alpha.display_name == "Alpha Corp"
    assert partners.mapped("display_name") == ["Charlie", "Alpha Corp", "Bravo"]
    nameless = env["tr.nameless"].create({"value": 1})
    assert nameless.display_name == f"tr.nameless,{nameless.id}"
    line = env["test.order.line"].create({
        "order_id": _order(env, alpha).id, "product": "X"})
    assert line.display_name == f"test.order.line,{line.id}"


def test_display_name_translated(env):
    box = env["tr.box"].create({"name": "Box"})
    box.with_context(lang="zh_TW").name = "盒子"
    zh = box.with_context(lang="zh_TW")
    assert box.display_name == "Box"
    assert zh.display_name == "盒子"
    assert box.display_name == "Box"  # computed per language, not once for all
    assert zh.read(["display_name"])[0]["display_name"] == "盒子"
    assert box.read(["display_name"])[0]["display_name"] == "Box"
    item = env["tr.item"].create({"name": "Pen", "box_id": box.id})
    assert item.with_context(lang="zh_TW").read(["box_id"])[0]["box_id"] == (box.id, "盒子")
    assert item.read(["box_id"])[0]["box_id"] == (box.id, "Box")
    assert env["tr.box"].with_context(lang="zh_TW").name_search("盒") == [(box.id, "盒子")]
    zh.name = "大盒子"
    assert zh.display_name == "大盒子"
    assert box.display_name == "Box"


def test_related_to_a_translated_field_follows_the_language(env):
    box = env["tr.box"].create({"name": "Box"})
    box.with_context(lang="zh_TW").name = "盒子"
    items = env["tr.item"].create([{"name": "Pen", "box_id": box.id},
                                   {"name": "Ink", "box_id": box.id}])
    assert items.mapped("box_name") == ["Box", "Box"]
    assert items.with_context(lang="zh_TW").mapped("box_name") == ["盒子", "盒子"]
    assert items.mapped("box_name") == ["Box", "Box"]
    assert items.with_context(lang="zh_TW").read(["box_name"])[0]["box_name"] == "盒子"


def test_name_search(env, partners):
    charlie, alpha, bravo = partners
    alpha2 = env["test.partner"].create({"name": "Alphabet"})
    result = env["test.partner"].name_search("alph")
    assert result == [(alpha.id, "Alpha"), (alpha2.id, "Alphabet")]
    assert env["test.partner"].name_search("alph", limit=1) == [(alpha.id, "Alpha")]
    assert env["test.partner"].name_search("Alpha", operator="=") == [(alpha.id, "Alpha")]
    assert env["test.partner"].name_search("alph", args=[("id", "!=", alpha.id)]) == [
        (alpha2.id, "Alphabet")]
    everyone = env["test.partner"].name_search("")
    assert [name for _id, name in everyone] == ["Alpha", "Alphabet", "Bravo", "Charlie"]
    assert env["test.partner"].name_search("zzz") == []
    bravo.active = False
    assert env["test.partner"].name_search("bravo") == []
    assert env["test.partner"].with_context(active_test=False).name_search("bravo") == [
        (bravo.id, "Bravo")]
    assert charlie.exists()


def test_name_create(env):
    pair = env["test.partner"].name_create("Fresh Partner")
    partner = env["test.partner"].browse(pair[0])
    assert pair == (partner.id, "Fresh Partner")
    assert partner.name == "Fresh Partner"
    assert partner.active is True  # defaults applied


def test_fields_get(env):
    desc = env["test.partner"].fields_get()
    assert desc["name"]["type"] == "char"
    assert desc["name"]["required"] is True
    assert desc["name"]["string"] == "Name"
    assert desc["country_id"]["type"] == "many2one"
    assert desc["country_id"]["relation"] == "test.country"
    assert desc["country_id"]["string"] == "Country"
    assert desc["child_ids"]["type"] == "one2many"
    assert desc["child_ids"]["relation_field"] == "parent_id"
    assert desc["tag_ids"]["type"] == "many2many"
    assert desc["country_code"]["related"] == "country_id.code"
    assert desc["country_code"]["readonly"] is True
    assert desc["order_count"]["store"] is False
    assert desc["total_ordered"]["store"] is True
    assert desc["display_name"]["readonly"] is True
    assert desc["id"]["type"] == "integer"
    state = env["test.order"].fields_get(["state"])["state"]
    assert state["selection"] == [["draft", "Quotation"], ["sale", "Sales Order"],
                                  ["cancel", "Cancelled"]]
    only = env["test.partner"].fields_get(["name", "email"], attributes=["type", "string"])
    assert only == {"name": {"type": "char", "string": "Name"},
                    "email": {"type": "char", "string": "Email"}}


def test_default_get(env):
    defaults = env["test.order"].default_get(["name", "state", "date_order", "note"])
    assert defaults["name"] == "New"
    assert defaults["state"] == "draft"
    assert defaults["date_order"] == dt.date.today()
    assert "note" not in defaults
    ctx = env["test.order"].with_context(default_state="sale", default_note="N")
    assert ctx.default_get(["state", "note"]) == {"state": "sale", "note": "N"}
    assert env["test.partner"].default_get(["active", "nope"]) == {"active": True}


# ---------------------------------------------------------------------------
# search_read and read
# ---------------------------------------------------------------------------
def test_search_read(env, partners):
    charlie, alpha, bravo = partners
    alpha.email = "a@example.com"
    rows = env["test.partner"].search_read([("id", "in", partners.ids)], ["name", "email"])
    assert rows == [
        {"id": alpha.id, "name": "Alpha", "email": "a@example.com"},
        {"id": bravo.id, "name": "Bravo", "email": False},
        {"id": charlie.id, "name": "Charlie", "email": False},
    ]
    limited = env["test.partner"].search_read([("id", "in", partners.ids)], ["name"],
                                              offset=1, limit=1, order="name desc")
    assert limited == [{"id": bravo.id, "name": "Bravo"}]
    assert env["test.partner"].search_read([("name", "=", "nobody")], ["name"]) == []
    everything = env["test.partner"].search_read([("id", "=", alpha.id)])
    assert everything[0]["name"] == "Alpha" and "tag_ids" in everything[0]


def test_read_formats(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    tags = env["test.tag"].create([{"name": "VIP"}, {"name": "Export"}])
    parent = env["test.partner"].create({"name": "Parent", "country_id": de.id,
                                         "tag_ids": [(6, 0, tags.ids)]})
    child = env["test.partner"].create({"name": "Child", "parent_id": parent.id})
    (row,) = parent.read(["name", "country_id", "tag_ids", "child_ids", "parent_id",
                          "credit_limit", "is_company", "country_code"])
    assert row == {
        "id": parent.id, "name": "Parent", "country_id": (de.id, "Germany"),
        "tag_ids": tags.ids, "child_ids": [child.id], "parent_id": False,
        "credit_limit": 0.0, "is_company": False, "country_code": "DE",
    }
    assert isinstance(row["tag_ids"], list)
    (raw,) = parent.read(["country_id"], load=None)
    assert raw == {"id": parent.id, "country_id": de.id}


def test_read_all_fields_and_order(env, partners):
    charlie, alpha, _bravo = partners
    rows = (alpha | charlie).read()
    assert [r["id"] for r in rows] == [alpha.id, charlie.id]  # the order of the set
    assert {"name", "active", "display_name", "create_date", "write_date",
            "order_count"} <= set(rows[0])
    assert rows[0]["display_name"] == "Alpha"
    with pytest.raises(ValueError, match="nope"):
        alpha.read(["nope"])


def test_read_skips_missing_records(env, partners):
    charlie, alpha, bravo = partners
    ghost_id = max(partners.ids) + 1000
    records = env["test.partner"].browse([alpha.id, ghost_id, bravo.id])
    rows = records.read(["name"])
    assert rows == [{"id": alpha.id, "name": "Alpha"}, {"id": bravo.id, "name": "Bravo"}]
    charlie.unlink()
    assert partners.read(["name"]) == [{"id": alpha.id, "name": "Alpha"},
                                       {"id": bravo.id, "name": "Bravo"}]


def test_read_x2many_hides_archived_targets(env):
    tags = env["test.tag"].create([{"name": "On"}, {"name": "Off"}])
    partner = env["test.partner"].create({"name": "P", "tag_ids": [(6, 0, tags.ids)]})
    tags[1].active = False
    env.invalidate_all()
    assert partner.read(["tag_ids"])[0]["tag_ids"] == [tags[0].id]
    assert partner.with_context(active_test=False).read(["tag_ids"])[0]["tag_ids"] == tags.ids


def test_read_many2one_names_in_one_query(env, count_queries):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    fr = env["test.country"].create({"name": "France", "code": "FR"})
    partners = env["test.partner"].create([
        {"name": f"P{i}", "country_id": (de if i % 2 else fr).id} for i in range(10)])
    env.invalidate_all()
    with count_queries() as counter:
        rows = partners.read(["country_id"])
    assert {r["country_id"] for r in rows} == {(de.id, "Germany"), (fr.id, "France")}
    assert counter.count <= 3, counter.statements


# ---------------------------------------------------------------------------
# archiving
# ---------------------------------------------------------------------------
def test_action_archive_and_active_test(env, partners):
    charlie, alpha, bravo = partners
    Partner = env["test.partner"]
    (alpha | bravo).action_archive()
    assert (alpha.active, bravo.active, charlie.active) == (False, False, True)
    assert Partner.search([("id", "in", partners.ids)]) == charlie
    assert Partner.search_count([("id", "in", partners.ids)]) == 1
    every = Partner.with_context(active_test=False).search([("id", "in", partners.ids)])
    assert every == partners
    assert Partner.search([("id", "in", partners.ids), ("active", "=", False)]) == alpha | bravo
    assert Partner.search([("id", "in", partners.ids), ("active", "in", [True, False])]) \
        == partners
    alpha.action_unarchive()
    assert Partner.search([("id", "in", partners.ids)]) == alpha | charlie
    # browse and read still see archived records
    assert bravo.read(["name", "active"]) == [{"id": bravo.id, "name": "Bravo",
                                               "active": False}]


def test_toggle_active(env, partners):
    charlie, alpha, bravo = partners
    alpha.active = False
    partners.toggle_active()
    assert (charlie.active, alpha.active, bravo.active) == (False, True, False)
    partners.toggle_active()
    assert (charlie.active, alpha.active, bravo.active) == (True, False, True)


def test_archived_children_hidden_from_one2many(env):
    parent = env["test.partner"].create({"name": "Parent"})
    kids = env["test.partner"].create([{"name": "Kid A", "parent_id": parent.id},
                                       {"name": "Kid B", "parent_id": parent.id}])
    assert parent.child_ids == kids
    kids[0].action_archive()
    assert parent.child_ids == kids[1]
    assert parent.with_context(active_test=False).child_ids == kids


# ---------------------------------------------------------------------------
# transient models
# ---------------------------------------------------------------------------
def test_transient_vacuum(env):
    Wizard = env["tr.wizard"]
    assert Wizard._transient is True
    old, recent = Wizard.create([{"name": "old"}, {"name": "recent"}])
    table = Wizard._table_obj
    three_hours_ago = fields.Datetime.now() - dt.timedelta(hours=3)
    env.execute(sa.update(table).where(table.c.id == old.id)
                .values(create_date=three_hours_ago))
    env.invalidate_all()
    assert Wizard._transient_vacuum() == 1
    assert not old.exists()
    assert recent.exists()
    assert Wizard._transient_vacuum() == 0
    # regular models are never vacuumed
    partner = env["test.partner"].create({"name": "Stays"})
    assert env["test.partner"]._transient_vacuum() == 0
    assert partner.exists()


# ---------------------------------------------------------------------------
# model composition
# ---------------------------------------------------------------------------
def test_extension_adds_a_field_and_overrides_methods(env):
    Animal = env["tr.animal"]
    assert "sound_text" in Animal._fields
    dog = Animal.create({"name": "Rex"})
    assert dog.sound_text == "woof"  # the extension's default
    assert dog.legs == 4
    assert dog.describe() == "Rex has 4 legs and says woof"
    assert dog.sound() == "...woof"
    cat = Animal.create({"name": "Tom", "sound_text": "meow", "legs": 3})
    assert cat.describe() == "Tom has 3 legs and says meow"
    assert Animal.search([("sound_text", "=", "meow")]) == cat
    assert "sound_text" in Animal._table_obj.c


def test_extension_changes_one_attribute_of_a_field(env):
    desc = env["tr.animal"].fields_get(["name"])["name"]
    assert desc["string"] == "Animal Name"
    assert desc["required"] is True  # kept from the original declaration
    assert desc["size"] == 20


def test_abstract_mixin(env):
    Warehouse = env["tr.warehouse"]
    assert "code" in Warehouse._fields
    assert "code" in Warehouse._table_obj.c
    assert "tr.coded.mixin" in env
    assert env["tr.coded.mixin"]._abstract
    wh = Warehouse.create({"name": "Main", "code": " wh1 "})
    assert wh.code == "wh1"
    assert wh.normalized_code() == "WH-WH1"
    assert Warehouse.search([("code", "=", "wh1")]) == wh
    from core.exceptions import UserError, ValidationError

    # the mixin's constraint applies to the models that use it
    with pytest.raises(ValidationError, match="no spaces"):
        Warehouse.create({"name": "Bad", "code": "w h"})
    with pytest.raises(UserError, match="abstract"):
        env["tr.coded.mixin"].create({"code": "x"})


def test_extension_overrides_create_and_write(env):
    Animal = env["tr.animal"]
    # a single dict reaches the override as a list of one (api.model_create_multi)
    dog = Animal.create({"name": "Rex", "sound_text": "WOOF"})
    assert dog.sound_text == "woof"
    cats = Animal.create([{"name": "Tom", "sound_text": "MEOW"}, {"name": "Kit"}])
    assert cats.mapped("sound_text") == ["meow", "woof"]
    dog.write({"sound_text": "GRR"})
    assert dog.sound_text == "grr"
    dog.sound_text = "BARK"  # assignment goes through write() too
    assert dog.sound_text == "bark"


def test_mixin_fields_are_per_model(env):
    depot_code = env["tr.depot"]._fields["code"]
    warehouse_code = env["tr.warehouse"]._fields["code"]
    assert depot_code is not warehouse_code
    assert depot_code.required and not warehouse_code.required
    assert depot_code.index  # the mixin's attributes are kept
    assert repr(depot_code) == "tr.depot.code"
    from core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"tr\.depot\.code"):
        env["tr.depot"].create({})
    assert env["tr.warehouse"].create({"name": "No code"}).code is False
    # the mixin's methods and constraints work on both
    depot = env["tr.depot"].create({"code": "d1"})
    assert depot.normalized_code() == "D1"
    with pytest.raises(ValidationError, match="no spaces"):
        depot.code = "d 1"


def test_assignment_on_many_records_writes_them_all(env, partners):
    partners.email = False
    partners.is_company = True
    assert partners.mapped("is_company") == [True, True, True]
    partners.update({"credit_limit": 3.0})
    assert partners.mapped("credit_limit") == [3.0, 3.0, 3.0]
    partners["credit_limit"] = 4.0
    env.invalidate_all()
    assert partners.mapped("credit_limit") == [4.0, 4.0, 4.0]
    empty = env["test.partner"]
    assert empty.name is False
    assert empty.id is False
    assert empty.country_id == env["test.country"]


def test_name_create_needs_a_name_field(env):
    from core.exceptions import UserError

    with pytest.raises(UserError):
        env["tr.nameless"].name_create("x")


def test_filtered_domain_hierarchy_and_ids(env):
    Category = env["test.category"]
    root = Category.create({"name": "Root"})
    child = Category.create({"name": "Child", "parent_id": root.id})
    leaf = Category.create({"name": "Leaf", "parent_id": child.id})
    other = Category.create({"name": "Other"})
    everything = root | child | leaf | other
    assert everything.filtered_domain([("id", "child_of", root.id)]) == root | child | leaf
    assert everything.filtered_domain([("id", "parent_of", leaf.id)]) == root | child | leaf
    # as Odoo: a many2one to its own model is followed as the hierarchy itself
    assert everything.filtered_domain([("parent_id", "child_of", child.id)]) == child | leaf
    assert everything.filtered_domain([("id", "in", [leaf.id, other.id])]).ids == [leaf.id,
                                                                                  other.id]
    assert everything.filtered_domain([("child_ids", "=", False)]) == leaf | other
    assert everything.filtered_domain([("child_ids.name", "=", "Leaf")]) == child
    for domain in ([("id", "child_of", root.id)], [("parent_id", "child_of", child.id)],
                   [("child_ids", "=", False)], [("child_ids.name", "=", "Leaf")],
                   [("parent_id.name", "!=", "Root")]):
        found = Category.search([("id", "in", everything.ids)] + domain)
        assert everything.filtered_domain(domain) == found, domain


def test_sorted_by_many2one_and_mixed_values(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    at = env["test.country"].create({"name": "Austria", "code": "AT"})
    a = env["test.partner"].create({"name": "A", "country_id": de.id})
    b = env["test.partner"].create({"name": "B", "country_id": at.id})
    c = env["test.partner"].create({"name": "C"})
    partners = a | b | c
    assert partners.sorted("country_id").ids == [c.id, b.id, a.id]
    assert partners.sorted("country_id", reverse=True).ids == [a.id, b.id, c.id]
    assert partners.sorted(lambda p: p.country_id.code or "").ids == [c.id, b.id, a.id]
