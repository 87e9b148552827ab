"""Computed fields, related fields, inverse/search methods, constraints, onchange."""

from __future__ import annotations

import pytest

from core import api, fields, models
from core.exceptions import ValidationError
from tests.orm.sample_models import ALL

#: (method, ids) of every call of the counting compute methods
CALLS: list[tuple[str, tuple]] = []


class Thing(models.Model):
    _name = "tc.thing"
    _description = "Computed thing"

    name = fields.Char()
    value = fields.Integer()
    partner_id = fields.Many2one("test.partner")
    tag_ids = fields.Many2many("test.tag")

    # same record
    double = fields.Integer(compute="_compute_double", store=True)
    # through a many2one
    partner_label = fields.Char(compute="_compute_partner_label", store=True)
    # through a many2many
    tag_names = fields.Char(compute="_compute_tag_names", store=True)
    # non-stored, counted
    triple = fields.Integer(compute="_compute_triple")
    # non-stored, through a many2one
    partner_upper = fields.Char(compute="_compute_partner_upper")
    # two fields, one method
    low = fields.Integer(compute="_compute_bounds", store=True)
    high = fields.Integer(compute="_compute_bounds", store=True)
    # forgets to assign
    broken = fields.Integer(compute="_compute_broken")
    # related fields
    partner_email = fields.Char(related="partner_id.email", readonly=False)
    partner_country_code = fields.Char(related="partner_id.country_id.code", store=True)
    partner_name = fields.Char(related="partner_id.name")
    # inverse
    value_text = fields.Char(compute="_compute_value_text", inverse="_inverse_value_text")
    # search method
    is_big = fields.Boolean(compute="_compute_is_big", search="_search_is_big")

    @api.depends("value")
    def _compute_double(self):
        CALLS.append(("double", self.ids))
        for rec in self:
            rec.double = rec.value * 2

    @api.depends("partner_id.name")
    def _compute_partner_label(self):
        for rec in self:
            rec.partner_label = f"[{rec.partner_id.name}]" if rec.partner_id else False

    @api.depends("tag_ids.name")
    def _compute_tag_names(self):
        for rec in self:
            rec.tag_names = ",".join(sorted(rec.tag_ids.mapped("name"))) or False

    @api.depends("value")
    def _compute_triple(self):
        CALLS.append(("triple", tuple(self._ids)))
        for rec in self:
            rec.triple = rec.value * 3

    @api.depends("partner_id.name")
    def _compute_partner_upper(self):
        for rec in self:
            rec.partner_upper = (rec.partner_id.name or "").upper()

    @api.depends("value")
    def _compute_bounds(self):
        CALLS.append(("bounds", tuple(self._ids)))
        for rec in self:
            rec.low = rec.value - 1
            rec.high = rec.value + 1

    @api.depends("value")
    def _compute_broken(self):
        for rec in self:
            if rec.value > 0:
                rec.broken = 1

    @api.depends("value")
    def _compute_value_text(self):
        for rec in self:
            rec.value_text = str(rec.value)

    def _inverse_value_text(self):
        for rec in self:
            rec.value = int(rec.value_text or 0)

    @api.depends("value")
    def _compute_is_big(self):
        for rec in self:
            rec.is_big = rec.value >= 100

    def _search_is_big(self, operator, value):
        if operator not in ("=", "!="):
            raise ValueError(f"Unsupported operator {operator}")
        big = (operator == "=") == bool(value)
        return [("value", ">=", 100)] if big else [("value", "<", 100)]

    @api.constrains("value")
    def _check_value(self):
        for rec in self:
            if rec.value < 0:
                raise ValidationError(f"The value of {rec.name} cannot be negative.")

    @api.constrains("name", "partner_id")
    def _check_name_partner(self):
        for rec in self:
            if rec.name == "forbidden" and rec.partner_id:
                raise ValidationError("A forbidden thing cannot have a partner.")

    @api.onchange("value")
    def _onchange_value(self):
        if self.value and self.value > 1000:
            self.name = "huge"
            return {"warning": {"title": "Careful", "message": "That is a lot."}}
        if self.value:
            self.name = f"thing {self.value}"
        return None

    @api.onchange("partner_id")
    def _onchange_partner(self):
        if self.partner_id:
            self.name = self.partner_id.name


class Box(models.Model):
    _name = "tc.box"
    _description = "Box with a capped total"

    name = fields.Char()
    item_ids = fields.One2many("tc.box.item", "box_id")
    weight = fields.Float(compute="_compute_weight", store=True)
    weight_label = fields.Char(compute="_compute_weight_label", store=True)
    heavy = fields.Boolean(compute="_compute_heavy")
    heavy_label = fields.Char(compute="_compute_heavy_label", store=True)

    @api.depends("item_ids.weight")
    def _compute_weight(self):
        for box in self:
            box.weight = sum(box.item_ids.mapped("weight"))

    @api.depends("weight")
    def _compute_weight_label(self):
        for box in self:
            box.weight_label = f"{box.weight:g} kg"

    @api.depends("weight")
    def _compute_heavy(self):
        for box in self:
            box.heavy = box.weight > 50

    @api.depends("heavy")
    def _compute_heavy_label(self):
        for box in self:
            box.heavy_label = "heavy" if box.heavy else "light"

    @api.constrains("weight")
    def _check_weight(self):
        for box in self:
            if box.weight > 100:
                raise ValidationError(f"Box {box.name} weighs {box.weight:g} kg; at most 100.")


class BoxItem(models.Model):
    _name = "tc.box.item"
    _description = "Box item"

    box_id = fields.Many2one("tc.box", ondelete="cascade")
    weight = fields.Float()


class Group(models.Model):
    _name = "tc.group"
    _description = "Group"

    name = fields.Char()
    member_ids = fields.Many2many("tc.person")
    member_names = fields.Char(compute="_compute_member_names", store=True)
    member_count = fields.Integer(compute="_compute_member_count")

    @api.depends("member_ids.name")
    def _compute_member_names(self):
        for group in self:
            group.member_names = ",".join(sorted(group.member_ids.mapped("name"))) or False

    @api.depends("member_ids")
    def _compute_member_count(self):
        for group in self:
            group.member_count = len(group.member_ids)


class Person(models.Model):
    _name = "tc.person"
    _description = "Person"

    name = fields.Char()
    group_ids = fields.Many2many("tc.group")  # the same relation, seen from here


class Folder(models.Model):
    _name = "tc.folder"
    _description = "Folder"

    name = fields.Char()
    parent_id = fields.Many2one("tc.folder", ondelete="cascade")
    path = fields.Char(compute="_compute_path", store=True, recursive=True)

    @api.depends("name", "parent_id.path")
    def _compute_path(self):
        for folder in self:
            prefix = f"{folder.parent_id.path}/" if folder.parent_id else ""
            folder.path = f"{prefix}{folder.name}"


MODELS = [*ALL, Thing, Box, BoxItem, Group, Person, Folder]


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def _stored(env, record, column):
    """The value in the database, bypassing the cache."""
    table = record._table_obj
    env.flush_all()
    return env.execute(
        table.select().with_only_columns(table.c[column]).where(table.c.id == record.id)
    ).scalar()


@pytest.fixture
def partner(env):
    return env["test.partner"].create({"name": "Buyer"})


def _order(env, partner, *lines):
    return env["test.order"].create({
        "partner_id": partner.id,
        "line_ids": [(0, 0, {"product": p, "quantity": q, "price_unit": u}) for p, q, u in lines],
    })


# ---------------------------------------------------------------------------
# stored computed fields
# ---------------------------------------------------------------------------
def test_stored_compute_on_create_and_same_record_write(env):
    thing = env["tc.thing"].create({"name": "a", "value": 4})
    assert thing.double == 8
    assert _stored(env, thing, "double") == 8
    thing.value = 5
    assert thing.double == 10
    assert _stored(env, thing, "double") == 10
    thing.write({"value": 0})
    assert _stored(env, thing, "double") == 0
    assert env["tc.thing"].search([("double", "=", 0), ("id", "=", thing.id)]) == thing


def test_stored_compute_batch_create_computes_once(env):
    things = env["tc.thing"].create([{"value": i} for i in range(5)])
    assert things.mapped("double") == [0, 2, 4, 6, 8]
    doubles = [ids for name, ids in CALLS if name == "double"]
    assert len(doubles) == 1 and sorted(doubles[0]) == sorted(things.ids)


def test_stored_compute_visible_to_search_before_read(env):
    """A search flushes pending recomputations first."""
    thing = env["tc.thing"].create({"value": 21})
    thing.value = 50
    assert env["tc.thing"].search([("double", "=", 100)]) == thing
    assert env["tc.thing"].search([("double", "=", 42)]) == env["tc.thing"]


def test_stored_compute_through_many2one(env):
    acme = env["test.partner"].create({"name": "Acme"})
    other = env["test.partner"].create({"name": "Other"})
    things = env["tc.thing"].create([{"partner_id": acme.id}, {"partner_id": acme.id},
                                     {"partner_id": other.id}, {}])
    assert things.mapped("partner_label") == ["[Acme]", "[Acme]", "[Other]", False]
    acme.name = "Acme GmbH"
    assert things.mapped("partner_label") == ["[Acme GmbH]", "[Acme GmbH]", "[Other]", False]
    assert _stored(env, things[0], "partner_label") == "[Acme GmbH]"
    assert _stored(env, things[1], "partner_label") == "[Acme GmbH]"
    # changing the many2one itself
    things[2].partner_id = acme
    assert things[2].partner_label == "[Acme GmbH]"
    things[0].partner_id = False
    assert things[0].partner_label is False
    assert _stored(env, things[0], "partner_label") is None


def test_stored_compute_through_many2one_search_sees_new_value(env):
    acme = env["test.partner"].create({"name": "Acme"})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    acme.write({"name": "Zeta"})
    assert env["tc.thing"].search([("partner_label", "=", "[Zeta]")]) == thing


def test_stored_compute_through_many2many(env):
    red, blue = env["test.tag"].create([{"name": "red"}, {"name": "blue"}])
    thing = env["tc.thing"].create({"tag_ids": [(6, 0, [red.id])]})
    assert thing.tag_names == "red"
    thing.write({"tag_ids": [(4, blue.id)]})
    assert thing.tag_names == "blue,red"
    assert _stored(env, thing, "tag_names") == "blue,red"
    blue.name = "azure"
    assert thing.tag_names == "azure,red"
    assert _stored(env, thing, "tag_names") == "azure,red"
    thing.write({"tag_ids": [(3, red.id)]})
    assert thing.tag_names == "azure"
    blue.unlink()
    assert thing.tag_names is False
    assert _stored(env, thing, "tag_names") is None


def test_one2many_line_create_write_unlink(env, partner):
    order = _order(env, partner, ("A", 2, 10))
    assert order.amount_total == 20
    # create a line directly
    line_b = env["test.order.line"].create({"order_id": order.id, "product": "B",
                                            "quantity": 1, "price_unit": 5})
    assert order.amount_total == 25
    assert _stored(env, order, "amount_total") == 25
    # write a line
    line_b.quantity = 3
    assert order.amount_total == 35
    assert _stored(env, order, "amount_total") == 35
    # unlink a line
    order.line_ids.filtered(lambda line: line.product == "A").unlink()
    assert order.amount_total == 15
    assert _stored(env, order, "amount_total") == 15
    line_b.unlink()
    assert order.amount_total == 0
    assert _stored(env, order, "amount_total") == 0


def test_one2many_line_moved_to_another_order(env, partner):
    first = _order(env, partner, ("A", 1, 10), ("B", 1, 7))
    second = _order(env, partner, ("C", 1, 100))
    moving = first.line_ids.filtered(lambda line: line.product == "B")
    moving.order_id = second
    assert first.amount_total == 10
    assert second.amount_total == 107
    assert _stored(env, first, "amount_total") == 10
    assert _stored(env, second, "amount_total") == 107
    assert first.line_ids.mapped("product") == ["A"]
    assert sorted(second.line_ids.mapped("product")) == ["B", "C"]


def test_one2many_move_to_other_order_without_reading_first(env, partner):
    """Neither owner's total was read before the move: both are still right."""
    first = _order(env, partner, ("A", 1, 10), ("B", 1, 7))
    second = _order(env, partner, ("C", 1, 100))
    line_ids = first.line_ids.ids
    env.invalidate_all()
    env["test.order.line"].browse(line_ids[1]).write({"order_id": second.id})
    env.invalidate_all()
    assert _stored(env, first, "amount_total") == 10
    assert _stored(env, second, "amount_total") == 107


def test_one2many_commands_recompute_owner(env, partner):
    order = _order(env, partner, ("A", 1, 10), ("B", 2, 10))
    line_a, line_b = order.line_ids
    order.write({"line_ids": [(1, line_a.id, {"price_unit": 20}), (2, line_b.id)]})
    assert order.amount_total == 20
    order.write({"line_ids": [(0, 0, {"product": "C", "quantity": 1, "price_unit": 1})]})
    assert order.amount_total == 21
    assert _stored(env, order, "amount_total") == 21


def test_chain_line_order_partner(env, partner):
    order1 = _order(env, partner, ("A", 1, 10))
    order2 = _order(env, partner, ("B", 2, 5))
    assert partner.total_ordered == 20
    order1.line_ids.price_unit = 30
    assert order1.amount_total == 30
    assert partner.total_ordered == 40
    assert _stored(env, partner, "total_ordered") == 40
    order2.line_ids.unlink()
    assert partner.total_ordered == 30
    order2.unlink()
    assert partner.total_ordered == 30
    order1.unlink()
    assert partner.total_ordered == 0
    assert _stored(env, partner, "total_ordered") == 0


def test_chain_order_moved_to_another_partner(env, partner):
    other = env["test.partner"].create({"name": "Other"})
    order = _order(env, partner, ("A", 1, 10))
    assert partner.total_ordered == 10
    order.partner_id = other
    assert partner.total_ordered == 0
    assert other.total_ordered == 10
    assert _stored(env, partner, "total_ordered") == 0
    assert _stored(env, other, "total_ordered") == 10


def test_chain_is_flushed_without_any_read(env, partner):
    order = _order(env, partner, ("A", 1, 10))
    env.invalidate_all()
    env["test.order.line"].browse(order.line_ids.ids).write({"quantity": 4})
    env.flush_all()
    assert _stored(env, order, "amount_total") == 40
    assert _stored(env, partner, "total_ordered") == 40


# ---------------------------------------------------------------------------
# non-stored computed fields
# ---------------------------------------------------------------------------
def test_non_stored_compute_in_batch(env):
    env["tc.thing"].create([{"value": i} for i in range(10)])
    env.invalidate_all()
    CALLS.clear()
    things = env["tc.thing"].search([])
    assert [t.triple for t in things] == [t.value * 3 for t in things]
    triples = [ids for name, ids in CALLS if name == "triple"]
    assert len(triples) == 1
    assert set(triples[0]) == set(things.ids)


def test_non_stored_compute_invalidated_by_dependency(env):
    thing = env["tc.thing"].create({"value": 2})
    assert thing.triple == 6
    thing.value = 5
    assert thing.triple == 15
    CALLS.clear()
    assert thing.triple == 15
    assert not [c for c in CALLS if c[0] == "triple"], "cached value is reused"


def test_non_stored_compute_invalidated_through_many2one(env):
    acme = env["test.partner"].create({"name": "Acme"})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    assert thing.partner_upper == "ACME"
    acme.name = "Beta"
    assert thing.partner_upper == "BETA"


def test_non_stored_compute_through_one2many(env, partner):
    assert partner.order_count == 0
    _order(env, partner, ("A", 1, 1))
    assert partner.order_count == 1
    order = _order(env, partner, ("B", 1, 1))
    assert partner.order_count == 2
    order.unlink()
    assert partner.order_count == 1


def test_non_stored_compute_not_searchable(env):
    with pytest.raises(ValueError, match="triple"):
        env["tc.thing"].search([("triple", "=", 3)])


def test_shared_compute_method(env):
    thing = env["tc.thing"].create({"value": 10})
    assert (thing.low, thing.high) == (9, 11)
    bounds = [c for c in CALLS if c[0] == "bounds"]
    assert len(bounds) == 1, "one call computes both fields"
    CALLS.clear()
    thing.value = 20
    assert thing.high == 21
    assert thing.low == 19
    assert len([c for c in CALLS if c[0] == "bounds"]) == 1
    assert _stored(env, thing, "low") == 19
    assert _stored(env, thing, "high") == 21


def test_compute_that_forgets_to_assign(env):
    ok = env["tc.thing"].create({"value": 1})
    assert ok.broken == 1
    bad = env["tc.thing"].create({"value": 0})
    with pytest.raises(ValueError, match=r"_compute_broken.*broken|broken.*_compute_broken"):
        bad.broken  # noqa: B018


# ---------------------------------------------------------------------------
# related fields
# ---------------------------------------------------------------------------
def test_related_read(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    acme = env["test.partner"].create({"name": "Acme", "email": "a@acme.de", "country_id": de.id})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    assert thing.partner_email == "a@acme.de"
    assert thing.partner_name == "Acme"
    assert thing.partner_country_code == "DE"
    empty = env["tc.thing"].create({})
    assert empty.partner_email is False
    assert empty.partner_country_code is False
    assert thing.read(["partner_email", "partner_country_code"])[0] == {
        "id": thing.id, "partner_email": "a@acme.de", "partner_country_code": "DE"}
    # source changes are seen
    acme.email = "b@acme.de"
    assert thing.partner_email == "b@acme.de"


def test_related_write_through_inverse(env):
    acme = env["test.partner"].create({"name": "Acme", "email": "a@acme.de"})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    thing.partner_email = "sales@acme.de"
    assert acme.email == "sales@acme.de"
    thing.write({"partner_email": "info@acme.de"})
    assert acme.email == "info@acme.de"
    assert _stored(env, acme, "email") == "info@acme.de"
    env.invalidate_all()
    assert thing.partner_email == "info@acme.de"


def test_related_write_on_create(env):
    acme = env["test.partner"].create({"name": "Acme"})
    env["tc.thing"].create({"partner_id": acme.id, "partner_email": "new@acme.de"})
    assert acme.email == "new@acme.de"


def test_related_readonly_by_default(env):
    acme = env["test.partner"].create({"name": "Acme"})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    assert thing._fields["partner_name"].readonly
    assert not thing._fields["partner_email"].readonly


def test_computed_readonly_unless_inverse(env):
    fields_ = env["tc.thing"]._fields
    assert fields_["double"].readonly and fields_["triple"].readonly
    assert not fields_["value_text"].readonly           # has an inverse: editable
    assert not env["tc.thing"].fields_get(["value_text"])["value_text"]["readonly"]


def test_search_on_related_field(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    fr = env["test.country"].create({"name": "France", "code": "FR"})
    acme = env["test.partner"].create({"name": "Acme", "country_id": de.id})
    bon = env["test.partner"].create({"name": "Bon", "country_id": fr.id})
    assert env["test.partner"].search([("country_code", "=", "DE")]) == acme
    assert env["test.partner"].search([("country_code", "in", ["DE", "FR"])]) == acme | bon
    t1 = env["tc.thing"].create({"partner_id": acme.id})
    env["tc.thing"].create({"partner_id": bon.id})
    assert env["tc.thing"].search([("partner_name", "=", "Acme")]) == t1
    assert env["tc.thing"].search([("partner_name", "ilike", "acm")]) == t1


def test_stored_related(env):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    fr = env["test.country"].create({"name": "France", "code": "FR"})
    acme = env["test.partner"].create({"name": "Acme", "country_id": de.id})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    assert thing._fields["partner_country_code"].store
    assert _stored(env, thing, "partner_country_code") == "DE"
    assert env["tc.thing"].search([("partner_country_code", "=", "DE")]) == thing
    # the end of the path changes
    de.code = "DX"
    assert thing.partner_country_code == "DX"
    assert _stored(env, thing, "partner_country_code") == "DX"
    # an intermediate step changes
    acme.country_id = fr
    assert thing.partner_country_code == "FR"
    assert env["tc.thing"].search([("partner_country_code", "=", "FR")]) == thing
    # the first step changes
    thing.partner_id = False
    assert thing.partner_country_code is False
    assert _stored(env, thing, "partner_country_code") is None


# ---------------------------------------------------------------------------
# inverse and search methods
# ---------------------------------------------------------------------------
def test_inverse_method(env):
    thing = env["tc.thing"].create({"value_text": "42"})
    assert thing.value == 42
    assert thing.double == 84
    thing.value_text = "7"
    assert thing.value == 7
    assert _stored(env, thing, "value") == 7
    assert thing.value_text == "7"
    thing.write({"value_text": "8"})
    assert thing.value == 8
    assert thing.triple == 24


def test_search_method(env):
    small = env["tc.thing"].create({"value": 5})
    big = env["tc.thing"].create({"value": 500})
    things = env["tc.thing"].search([("id", "in", [small.id, big.id])])
    assert things.filtered("is_big") == big
    assert env["tc.thing"].search([("is_big", "=", True), ("id", "in", things.ids)]) == big
    assert env["tc.thing"].search([("is_big", "=", False), ("id", "in", things.ids)]) == small
    assert env["tc.thing"].search([("is_big", "!=", True), ("id", "in", things.ids)]) == small
    assert env["tc.thing"].search_count([("is_big", "=", True), ("id", "in", things.ids)]) == 1
    domain = ["|", ("is_big", "=", True), ("value", "=", 5), ("id", "in", things.ids)]
    assert env["tc.thing"].search(domain) == small | big


# ---------------------------------------------------------------------------
# constraints
# ---------------------------------------------------------------------------
def _count(env, model):
    return env[model].with_context(active_test=False).search_count([])


def test_constraint_on_create_writes_nothing(env):
    before = _count(env, "tc.thing")
    with pytest.raises(ValidationError, match="cannot be negative"):
        env["tc.thing"].create({"name": "neg", "value": -1})
    assert _count(env, "tc.thing") == before
    assert not env["tc.thing"].search([("name", "=", "neg")])


def test_constraint_on_batch_create_writes_nothing(env):
    before = _count(env, "tc.thing")
    with pytest.raises(ValidationError, match="cannot be negative"):
        env["tc.thing"].create([{"name": "ok", "value": 1}, {"name": "neg", "value": -1}])
    assert _count(env, "tc.thing") == before
    # and the transaction is usable afterwards
    thing = env["tc.thing"].create({"name": "after", "value": 3})
    assert thing.double == 6


def test_constraint_on_write_keeps_old_values(env):
    things = env["tc.thing"].create([{"name": "a", "value": 1}, {"name": "b", "value": 2}])
    with pytest.raises(ValidationError, match="cannot be negative"):
        things.write({"value": -5})
    assert things.mapped("value") == [1, 2]
    assert things.mapped("double") == [2, 4]
    assert [_stored(env, t, "value") for t in things] == [1, 2]
    assert [_stored(env, t, "double") for t in things] == [2, 4]
    with pytest.raises(ValidationError):
        things[0].value = -1
    assert things[0].value == 1
    assert _stored(env, things[0], "value") == 1


def test_constraint_on_several_fields(env, partner):
    thing = env["tc.thing"].create({"name": "forbidden"})
    with pytest.raises(ValidationError, match="forbidden"):
        thing.partner_id = partner
    assert not thing.partner_id
    assert _stored(env, thing, "partner_id") is None
    with pytest.raises(ValidationError):
        env["tc.thing"].create({"name": "forbidden", "partner_id": partner.id})
    assert env["tc.thing"].search_count([("name", "=", "forbidden")]) == 1


def test_constraint_of_lines_created_through_owner(env, partner):
    orders = _count(env, "test.order")
    lines = _count(env, "test.order.line")
    with pytest.raises(ValidationError, match="Bad cannot be negative"):
        _order(env, partner, ("Good", 1, 1), ("Bad", -1, 1))
    assert _count(env, "test.order") == orders
    assert _count(env, "test.order.line") == lines
    assert partner.total_ordered == 0
    assert _stored(env, partner, "total_ordered") in (0, None)


def test_constraint_of_line_written_through_owner(env, partner):
    order = _order(env, partner, ("A", 2, 10))
    line = order.line_ids
    with pytest.raises(ValidationError):
        order.write({"note": "changed", "line_ids": [(1, line.id, {"quantity": -3})]})
    assert line.quantity == 2
    assert order.note is False
    assert order.amount_total == 20
    assert _stored(env, order, "note") is None
    assert _stored(env, line, "quantity") == 2
    assert _stored(env, order, "amount_total") == 20


# ---------------------------------------------------------------------------
# onchange
# ---------------------------------------------------------------------------
def test_onchange_returns_values(env):
    result = env["tc.thing"].onchange({"value": 7}, ["value"])
    assert result["warning"] is None
    assert result["value"]["name"] == "thing 7"
    # computed fields of the draft are reported
    assert result["value"]["double"] == 14
    assert result["value"]["triple"] == 21
    # nothing was created
    assert not env["tc.thing"].search([("name", "=", "thing 7")])


def test_onchange_returns_warning(env):
    result = env["tc.thing"].onchange({"value": 5000}, "value")
    assert result["value"]["name"] == "huge"
    assert result["warning"] == {"title": "Careful", "message": "That is a lot."}


def test_onchange_many2one(env):
    acme = env["test.partner"].create({"name": "Acme", "email": "a@acme.de"})
    result = env["tc.thing"].onchange({"partner_id": acme.id}, ["partner_id"])
    assert result["value"]["name"] == "Acme"
    assert result["value"]["partner_email"] == "a@acme.de"
    assert result["value"]["partner_label"] == "[Acme]"


def test_onchange_computed_over_one2many(env, partner):
    result = env["test.order"].onchange({
        "partner_id": partner.id,
        "line_ids": [(0, 0, {"product": "A", "quantity": 2, "price_unit": 3}),
                     (0, 0, {"product": "B", "quantity": 1, "price_unit": 4})],
    }, ["line_ids"])
    assert result["value"]["amount_total"] == 10
    assert _count(env, "test.order.line") == 0


# ---------------------------------------------------------------------------
# more dependency shapes
# ---------------------------------------------------------------------------
def test_stored_compute_given_on_create_is_kept(env):
    """As in Odoo, a value given for a computed field on create is not recomputed."""
    thing = env["tc.thing"].create({"value": 1, "double": 100})
    assert thing.double == 100
    assert _stored(env, thing, "double") == 100
    thing.value = 3
    assert thing.double == 6


def test_stored_compute_depending_on_stored_compute(env):
    box = env["tc.box"].create({"name": "b", "item_ids": [(0, 0, {"weight": 2.5})]})
    assert box.weight_label == "2.5 kg"
    box.item_ids.weight = 4
    assert box.weight_label == "4 kg"
    assert _stored(env, box, "weight_label") == "4 kg"


def test_stored_compute_depending_on_non_stored_compute(env):
    box = env["tc.box"].create({"name": "b", "item_ids": [(0, 0, {"weight": 10})]})
    assert box.heavy_label == "light"
    box.item_ids.weight = 60
    assert box.heavy is True
    assert box.heavy_label == "heavy"
    env.invalidate_all()
    assert _stored(env, box, "heavy_label") == "heavy"


def test_stored_compute_of_archived_records(env):
    partner = env["test.partner"].create({"name": "Sleeping", "active": False})
    order = _order(env, partner, ("A", 1, 10))
    assert _stored(env, partner, "total_ordered") == 10
    order.line_ids.quantity = 2
    assert _stored(env, partner, "total_ordered") == 20


def test_many2one_target_deleted_recomputes(env):
    acme = env["test.partner"].create({"name": "Acme"})
    thing = env["tc.thing"].create({"partner_id": acme.id})
    assert thing.partner_label == "[Acme]"
    assert thing.partner_upper == "ACME"
    acme.unlink()
    assert not thing.partner_id
    assert thing.partner_label is False
    assert thing.partner_upper == ""
    assert _stored(env, thing, "partner_label") is None


def test_constraint_on_stored_computed_field(env):
    """Odoo checks constraints on computed fields after they are recomputed."""
    box = env["tc.box"].create({"name": "B1", "item_ids": [(0, 0, {"weight": 40})]})
    item = box.item_ids
    with pytest.raises(ValidationError, match="B1 weighs 140 kg"):
        item.weight = 140
    assert item.weight == 40
    assert box.weight == 40
    assert _stored(env, item, "weight") == 40
    assert _stored(env, box, "weight") == 40
    with pytest.raises(ValidationError, match="at most 100"):
        env["tc.box.item"].create({"box_id": box.id, "weight": 70})
    assert len(box.item_ids) == 1
    assert _stored(env, box, "weight") == 40
    with pytest.raises(ValidationError, match="at most 100"):
        env["tc.box"].create({"name": "B2", "item_ids": [(0, 0, {"weight": 101})]})
    assert not env["tc.box"].search([("name", "=", "B2")])
    assert _count(env, "tc.box.item") == 1


def test_shared_compute_batch_over_many_records(env):
    things = env["tc.thing"].create([{"value": i} for i in range(20)])
    CALLS.clear()
    things.write({"value": 7})
    assert set(things.mapped("high")) == {8}
    assert set(things.mapped("low")) == {6}
    bounds = [ids for name, ids in CALLS if name == "bounds"]
    assert len(bounds) == 1 and set(bounds[0]) == set(things.ids)


def test_move_line_with_link_command(env, partner):
    first = _order(env, partner, ("A", 1, 10), ("B", 1, 7))
    second = _order(env, partner, ("C", 1, 100))
    line_b = first.line_ids.filtered(lambda line: line.product == "B")
    second.write({"line_ids": [(4, line_b.id)]})
    assert line_b.order_id == second
    assert first.amount_total == 10
    assert second.amount_total == 107
    assert partner.total_ordered == 117
    assert _stored(env, first, "amount_total") == 10


def test_onchange_with_existing_lines_does_not_write(env, partner):
    order = _order(env, partner, ("A", 1, 10), ("B", 1, 5))
    line_a, line_b = order.line_ids
    result = env["test.order"].onchange({
        "partner_id": partner.id,
        "line_ids": [(1, line_a.id, {"quantity": 4}), (2, line_b.id),
                     (0, 0, {"product": "C", "quantity": 1, "price_unit": 1})],
    }, ["line_ids"])
    assert result["value"]["amount_total"] == 41
    # the database and the records are untouched
    assert line_a.quantity == 1
    assert line_b.exists()
    assert order.amount_total == 15
    assert _stored(env, line_a, "quantity") == 1
    assert _count(env, "test.order.line") == 2


def test_many2many_written_from_the_other_side(env):
    ann, bob = env["tc.person"].create([{"name": "ann"}, {"name": "bob"}])
    group = env["tc.group"].create({"name": "g", "member_ids": [(6, 0, [ann.id])]})
    assert group.member_names == "ann"
    assert group.member_count == 1
    bob.write({"group_ids": [(4, group.id)]})
    assert group.member_ids == ann | bob
    assert group.member_count == 2
    assert group.member_names == "ann,bob"
    assert _stored(env, group, "member_names") == "ann,bob"
    ann.write({"group_ids": [(5,)]})
    assert group.member_names == "bob"
    assert group.member_count == 1
    bob.unlink()
    assert group.member_names is False
    assert group.member_count == 0


def test_recursive_stored_compute(env):
    root = env["tc.folder"].create({"name": "root"})
    a = env["tc.folder"].create({"name": "a", "parent_id": root.id})
    b = env["tc.folder"].create({"name": "b", "parent_id": a.id})
    c = env["tc.folder"].create({"name": "c", "parent_id": b.id})
    assert c.path == "root/a/b/c"
    root.name = "top"
    assert (a.path, b.path, c.path) == ("top/a", "top/a/b", "top/a/b/c")
    assert _stored(env, c, "path") == "top/a/b/c"
    b.parent_id = root
    assert c.path == "top/b/c"
    assert env["tc.folder"].search([("path", "=like", "top/b%")]) == b | c


def test_write_on_stored_computed_field(env):
    """As in Odoo, a computed stored field may be written; a dependency change recomputes it."""
    thing = env["tc.thing"].create({"value": 2})
    thing.write({"double": 99})
    assert thing.double == 99
    assert _stored(env, thing, "double") == 99
    thing.value = 3
    assert thing.double == 6


def test_computed_field_of_deleted_record(env):
    from core.exceptions import MissingError

    thing = env["tc.thing"].create({"value": 2})
    env["tc.thing"].browse(thing.id).unlink()
    env.invalidate_all()
    with pytest.raises(MissingError):
        thing.value  # noqa: B018
