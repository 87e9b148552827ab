"""x2many write commands on one2many and many2many fields, and relation tables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core import fields, models
from core.exceptions import UserError, ValidationError
from core.fields import Command
from tests.orm.sample_models import ALL


class Project(models.Model):
    _name = "tx.project"
    _description = "Project"

    name = fields.Char(required=True)
    # optional inverse: removed tasks stay, without a project
    task_ids = fields.One2many("tx.task", "project_id")
    # auto-named relation; "test_tag" sorts before "tx_project"
    tag_ids = fields.Many2many("test.tag")
    # explicit relation and columns
    label_ids = fields.Many2many("test.tag", relation="tx_project_label",
                                 column1="project_ref", column2="label_ref")
    member_ids = fields.Many2many("tx.member")


class Task(models.Model):
    _name = "tx.task"
    _description = "Task"
    _order = "name, id"

    name = fields.Char(required=True)
    project_id = fields.Many2one("tx.project", ondelete="set null")


class Member(models.Model):
    _name = "tx.member"
    _description = "Member"

    name = fields.Char(required=True)
    # the other side of tx.project.member_ids: same auto-named table
    project_ids = fields.Many2many("tx.project")


MODELS = [*ALL, Project, Task, Member]


def _links(env, table_name, col1, col2, owner):
    """Target ids linked to ``owner`` in a relation table, read in SQL."""
    env.flush_all()
    table = sa.Table(table_name, sa.MetaData(), sa.Column(col1), sa.Column(col2))
    stmt = sa.select(table.c[col2]).where(table.c[col1] == owner)
    return sorted(env.execute(stmt).scalars())


def _tag_links(env, partner):
    return _links(env, "test_partner_test_tag_rel", "test_partner_id", "test_tag_id", partner.id)


def _count(env, model, domain=()):
    return env[model].with_context(active_test=False).search_count(list(domain))


@pytest.fixture
def partner(env):
    return env["test.partner"].create({"name": "Buyer"})


@pytest.fixture
def tags(env):
    return env["test.tag"].create([{"name": n} for n in ("a", "b", "c", "d")])


def _order(env, partner, *products):
    return env["test.order"].create({
        "partner_id": partner.id,
        "line_ids": [(0, 0, {"product": p, "price_unit": 1}) for p in products],
    })


# the two spellings of every command
STYLES = {
    "tuple": {
        "create": lambda vals: (0, 0, vals),
        "update": lambda id_, vals: (1, id_, vals),
        "delete": lambda id_: (2, id_),
        "unlink": lambda id_: (3, id_),
        "link": lambda id_: (4, id_),
        "clear": lambda: (5,),
        "set": lambda ids: (6, 0, ids),
    },
    "command": {
        "create": Command.create,
        "update": Command.update,
        "delete": Command.delete,
        "unlink": Command.unlink,
        "link": Command.link,
        "clear": Command.clear,
        "set": Command.set,
    },
    # JSON-RPC clients send lists, with False for unused slots
    "list": {
        "create": lambda vals: [0, False, vals],
        "update": lambda id_, vals: [1, id_, vals],
        "delete": lambda id_: [2, id_, False],
        "unlink": lambda id_: [3, id_, False],
        "link": lambda id_: [4, id_, False],
        "clear": lambda: [5, False, False],
        "set": lambda ids: [6, False, ids],
    },
}


@pytest.fixture(params=sorted(STYLES))
def C(request):  # noqa: N802 - reads like the Command class
    return type("C", (), {k: staticmethod(v) for k, v in STYLES[request.param].items()})


def test_command_helper_values():
    assert Command.create({"a": 1}) == (0, 0, {"a": 1})
    assert Command.update(3, {"a": 1}) == (1, 3, {"a": 1})
    assert Command.delete(3) == (2, 3, 0)
    assert Command.unlink(3) == (3, 3, 0)
    assert Command.link(3) == (4, 3, 0)
    assert Command.clear() == (5, 0, 0)
    assert Command.set([1, 2]) == (6, 0, [1, 2])
    assert Command.SET == 6


# ---------------------------------------------------------------------------
# one2many, inverse required (lines are deleted when removed)
# ---------------------------------------------------------------------------
def test_one2many_create_on_create(env, partner, C):
    order = env["test.order"].create({
        "partner_id": partner.id,
        "line_ids": [C.create({"product": "A", "price_unit": 2}),
                     C.create({"product": "B", "price_unit": 3})],
    })
    assert order.line_ids.mapped("product") == ["A", "B"]
    assert order.line_ids.mapped("order_id") == order
    assert _count(env, "test.order.line", [("order_id", "=", order.id)]) == 2


def test_one2many_create_on_batch_create(env, partner, C):
    orders = env["test.order"].create([
        {"partner_id": partner.id, "line_ids": [C.create({"product": f"P{i}-{j}"})
                                                for j in range(3)]}
        for i in range(4)
    ])
    for i, order in enumerate(orders):
        assert order.line_ids.mapped("product") == [f"P{i}-{j}" for j in range(3)]


def test_one2many_update(env, partner, C):
    order = _order(env, partner, "A", "B")
    line_a, line_b = order.line_ids
    order.write({"line_ids": [C.update(line_a.id, {"quantity": 5})]})
    assert line_a.quantity == 5
    assert line_b.quantity == 1
    assert order.amount_total == 6


def test_one2many_delete(env, partner, C):
    order = _order(env, partner, "A", "B")
    line_a, line_b = order.line_ids
    order.write({"line_ids": [C.delete(line_a.id)]})
    assert order.line_ids == line_b
    assert not line_a.exists()


def test_one2many_unlink_deletes_when_inverse_required(env, partner, C):
    order = _order(env, partner, "A", "B")
    line_a, line_b = order.line_ids
    order.write({"line_ids": [C.unlink(line_a.id)]})
    assert order.line_ids == line_b
    assert not line_a.exists()


def test_one2many_link_moves_line(env, partner, C):
    first = _order(env, partner, "A", "B")
    second = _order(env, partner, "C")
    line_b = first.line_ids[1]
    second.write({"line_ids": [C.link(line_b.id)]})
    assert line_b.order_id == second
    assert first.line_ids.mapped("product") == ["A"]
    assert sorted(second.line_ids.mapped("product")) == ["B", "C"]


def test_one2many_clear_deletes_lines(env, partner, C):
    order = _order(env, partner, "A", "B")
    lines = order.line_ids
    order.write({"line_ids": [C.clear()]})
    assert not order.line_ids
    assert not lines.exists()


def test_one2many_set(env, partner, C):
    order = _order(env, partner, "A", "B", "C")
    line_a, line_b, line_c = order.line_ids
    other = _order(env, partner, "D")
    line_d = other.line_ids
    order.write({"line_ids": [C.set([line_b.id, line_d.id])]})
    assert order.line_ids == line_b | line_d
    assert not (line_a | line_c).exists()
    assert not other.line_ids


def test_one2many_plain_ids_mean_set(env, partner):
    order = _order(env, partner, "A", "B")
    line_a, line_b = order.line_ids
    order.write({"line_ids": [line_b.id]})
    assert order.line_ids == line_b
    assert not line_a.exists()
    order.write({"line_ids": line_b})  # a record set, too
    assert order.line_ids == line_b


def test_one2many_false_clears(env, partner):
    order = _order(env, partner, "A")
    order.write({"line_ids": False})
    assert not order.line_ids


def test_one2many_several_commands_in_one_write(env, partner, C):
    order = _order(env, partner, "A", "B", "C")
    line_a, line_b, line_c = order.line_ids
    order.write({"line_ids": [
        C.update(line_a.id, {"product": "A2"}),
        C.delete(line_b.id),
        C.create({"product": "E"}),
        C.unlink(line_c.id),
    ]})
    assert sorted(order.line_ids.mapped("product")) == ["A2", "E"]
    assert _count(env, "test.order.line", [("order_id", "=", order.id)]) == 2
    assert not env["test.order.line"].search([("product", "in", ["B", "C"])])


# ---------------------------------------------------------------------------
# one2many, optional inverse (lines are detached when removed)
# ---------------------------------------------------------------------------
@pytest.fixture
def project(env):
    return env["tx.project"].create({"name": "P", "task_ids": [
        (0, 0, {"name": "t1"}), (0, 0, {"name": "t2"}), (0, 0, {"name": "t3"})]})


def test_one2many_unlink_detaches_optional(env, project, C):
    t1, t2, t3 = project.task_ids
    project.write({"task_ids": [C.unlink(t1.id)]})
    assert project.task_ids == t2 | t3
    assert t1.exists()
    assert not t1.project_id


def test_one2many_delete_optional(env, project, C):
    t1 = project.task_ids[0]
    project.write({"task_ids": [C.delete(t1.id)]})
    assert not t1.exists()
    assert len(project.task_ids) == 2


def test_one2many_clear_detaches_optional(env, project, C):
    tasks = project.task_ids
    project.write({"task_ids": [C.clear()]})
    assert not project.task_ids
    assert tasks.exists() == tasks
    assert not tasks.mapped("project_id")


def test_one2many_set_detaches_optional(env, project, C):
    t1, t2, t3 = project.task_ids
    loose = env["tx.task"].create({"name": "t4"})
    project.write({"task_ids": [C.set([t2.id, loose.id])]})
    assert project.task_ids == t2 | loose
    assert (t1 | t3).exists() == t1 | t3
    assert not t1.project_id and not t3.project_id
    assert loose.project_id == project


def test_one2many_link_on_create(env, C):
    loose = env["tx.task"].create({"name": "loose"})
    project = env["tx.project"].create({"name": "Q", "task_ids": [C.link(loose.id)]})
    assert loose.project_id == project
    assert project.task_ids == loose


def test_one2many_set_on_create(env, C):
    loose = env["tx.task"].create([{"name": "x"}, {"name": "y"}])
    project = env["tx.project"].create({"name": "Q", "task_ids": [C.set(loose.ids)]})
    assert project.task_ids == loose
    project2 = env["tx.project"].create({"name": "R", "task_ids": loose.ids})
    assert project2.task_ids == loose
    assert not project.task_ids


# ---------------------------------------------------------------------------
# many2many
# ---------------------------------------------------------------------------
def test_many2many_create(env, C):
    partner = env["test.partner"].create({"name": "P", "tag_ids": [
        C.create({"name": "new1"}), C.create({"name": "new2"})]})
    assert sorted(partner.tag_ids.mapped("name")) == ["new1", "new2"]
    assert _tag_links(env, partner) == sorted(partner.tag_ids.ids)
    partner.write({"tag_ids": [C.create({"name": "new3"})]})
    assert sorted(partner.tag_ids.mapped("name")) == ["new1", "new2", "new3"]


def test_many2many_create_on_batch_create(env, C):
    partners = env["test.partner"].create([
        {"name": f"P{i}", "tag_ids": [C.create({"name": f"t{i}"})]} for i in range(3)])
    assert [p.tag_ids.name for p in partners] == ["t0", "t1", "t2"]


def test_many2many_update(env, tags, C):
    a, b, _c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set([a.id, b.id])]})
    partner.write({"tag_ids": [C.update(a.id, {"name": "a2"})]})
    assert a.name == "a2"
    assert partner.tag_ids == a | b


def test_many2many_delete(env, tags, C):
    a, b, _c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set([a.id, b.id])]})
    partner.write({"tag_ids": [C.delete(a.id)]})
    assert partner.tag_ids == b
    assert not a.exists()
    assert _tag_links(env, partner) == [b.id]


def test_many2many_unlink(env, tags, C):
    a, b, _c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set([a.id, b.id])]})
    partner.write({"tag_ids": [C.unlink(a.id)]})
    assert partner.tag_ids == b
    assert a.exists()
    assert _tag_links(env, partner) == [b.id]


def test_many2many_link(env, tags, C):
    a, b, c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.link(a.id)]})
    assert partner.tag_ids == a
    partner.write({"tag_ids": [C.link(b.id), C.link(c.id), C.link(a.id)]})
    assert partner.tag_ids == a | b | c
    assert _tag_links(env, partner) == sorted([a.id, b.id, c.id])


def test_many2many_clear(env, tags, C):
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set(tags.ids)]})
    partner.write({"tag_ids": [C.clear()]})
    assert not partner.tag_ids
    assert _tag_links(env, partner) == []
    assert tags.exists() == tags


def test_many2many_set(env, tags, C):
    a, b, c, d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set([a.id, b.id])]})
    partner.write({"tag_ids": [C.set([c.id, d.id, c.id])]})
    assert partner.tag_ids == c | d
    assert _tag_links(env, partner) == sorted([c.id, d.id])
    partner.write({"tag_ids": [C.set([])]})
    assert not partner.tag_ids


def test_many2many_plain_ids_and_recordsets(env, tags):
    a, b, c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [a.id, b.id]})
    assert partner.tag_ids == a | b
    partner.write({"tag_ids": [c.id]})
    assert partner.tag_ids == c
    partner.tag_ids = a | b
    assert partner.tag_ids == a | b
    partner.write({"tag_ids": False})
    assert not partner.tag_ids
    partner.write({"tag_ids": []})
    assert not partner.tag_ids


def test_many2many_several_commands(env, tags, C):
    a, b, c, d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [C.set([a.id, b.id])]})
    partner.write({"tag_ids": [C.clear(), C.link(c.id), C.link(d.id), C.unlink(c.id)]})
    assert partner.tag_ids == d
    assert _tag_links(env, partner) == [d.id]


def test_many2many_on_several_records(env, tags, C):
    a, b, _c, _d = tags
    partners = env["test.partner"].create([{"name": "P1", "tag_ids": [C.link(a.id)]},
                                           {"name": "P2"}])
    partners.write({"tag_ids": [C.link(b.id)]})
    assert partners[0].tag_ids == a | b
    assert partners[1].tag_ids == b


def test_many2many_other_side_sees_links(env, C):
    members = env["tx.member"].create([{"name": "m1"}, {"name": "m2"}])
    project = env["tx.project"].create({"name": "P", "member_ids": [C.set(members.ids)]})
    assert members[0].project_ids == project
    assert members[1].project_ids == project
    members[0].write({"project_ids": [C.clear()]})
    assert project.member_ids == members[1]
    project2 = env["tx.project"].create({"name": "P2"})
    members[1].write({"project_ids": [C.link(project2.id)]})
    assert project2.member_ids == members[1]
    assert members[1].project_ids == project | project2


def test_many2many_search(env, tags):
    a, b, _c, _d = tags
    p1 = env["test.partner"].create({"name": "P1", "tag_ids": [a.id]})
    p2 = env["test.partner"].create({"name": "P2", "tag_ids": [a.id, b.id]})
    found = env["test.partner"].search([("tag_ids", "in", [b.id])])
    assert found == p2
    assert env["test.partner"].search([("tag_ids", "=", a.id), ("id", "in", [p1.id, p2.id])]) \
        == p1 | p2


def test_many2many_target_deleted_removes_link(env, tags):
    a, b, _c, _d = tags
    partner = env["test.partner"].create({"name": "P", "tag_ids": [a.id, b.id]})
    a.unlink()
    assert partner.tag_ids == b
    assert _tag_links(env, partner) == [b.id]


def test_many2many_owner_deleted_removes_links(env, tags):
    partner = env["test.partner"].create({"name": "P", "tag_ids": tags.ids})
    partner_id = partner.id
    partner.unlink()
    assert _links(env, "test_partner_test_tag_rel", "test_partner_id", "test_tag_id",
                  partner_id) == []
    assert tags.exists() == tags


# ---------------------------------------------------------------------------
# invalid commands
# ---------------------------------------------------------------------------
INVALID = [
    pytest.param([(7, 0, 0)], id="unknown-code"),
    pytest.param([(-1, 0, 0)], id="negative-code"),
    pytest.param([("x", 0, 0)], id="text-code"),
    pytest.param([()], id="empty-command"),
    pytest.param([(0, 0, "not a dict")], id="create-without-dict"),
    pytest.param([(0, 0)], id="create-too-short"),
    pytest.param([(1, 5)], id="update-without-values"),
    pytest.param([(2, "abc")], id="delete-text-id"),
    pytest.param([(4, None)], id="link-none"),
    pytest.param([(6, 0, 5)], id="set-not-a-list"),
    pytest.param([(6, 0, ["a"])], id="set-text-ids"),
    pytest.param("text", id="a-string"),
    pytest.param(3.5, id="a-float"),
    pytest.param(7, id="a-bare-int"),
    pytest.param({"a": 1}, id="a-dict"),
    pytest.param([1, "b"], id="mixed-list"),
]


@pytest.mark.parametrize("value", INVALID)
def test_invalid_command_many2many(env, value):
    before = _count(env, "test.partner")
    with pytest.raises(ValidationError, match=r"test\.partner\.tag_ids"):
        env["test.partner"].create({"name": "P", "tag_ids": value})
    assert _count(env, "test.partner") == before
    partner = env["test.partner"].create({"name": "Q"})
    with pytest.raises(ValidationError, match=r"test\.partner\.tag_ids"):
        partner.write({"tag_ids": value, "name": "changed"})
    assert partner.name == "Q"


@pytest.mark.parametrize("value", INVALID)
def test_invalid_command_one2many(env, partner, value):
    orders = _count(env, "test.order")
    with pytest.raises(ValidationError, match=r"test\.order\.line_ids"):
        env["test.order"].create({"partner_id": partner.id, "line_ids": value})
    assert _count(env, "test.order") == orders
    order = _order(env, partner, "A")
    with pytest.raises(ValidationError, match=r"test\.order\.line_ids"):
        order.write({"line_ids": value, "note": "changed"})
    assert order.note is False
    assert order.line_ids.mapped("product") == ["A"]


def test_link_missing_record_many2many(env):
    with pytest.raises(ValidationError, match=r"test\.partner\.tag_ids"):
        env["test.partner"].create({"name": "P", "tag_ids": [(4, 999_999)]})
    with pytest.raises(ValidationError, match=r"test\.partner\.tag_ids"):
        env["test.partner"].create({"name": "P", "tag_ids": [999_999]})
    assert not env["test.partner"].search([("name", "=", "P")])


def test_link_missing_record_one2many(env, partner):
    order = _order(env, partner, "A")
    with pytest.raises(UserError):
        order.write({"line_ids": [(4, 999_999)], "note": "changed"})
    assert order.note is False
    assert order.line_ids.mapped("product") == ["A"]


def test_invalid_values_inside_create_command(env, partner):
    lines = _count(env, "test.order.line")
    with pytest.raises(ValidationError, match=r"test\.order\.line\.quantity"):
        env["test.order"].create({"partner_id": partner.id,
                                  "line_ids": [(0, 0, {"product": "A", "quantity": "many"})]})
    with pytest.raises(ValidationError, match=r"test\.order\.line\.product"):
        env["test.order"].create({"partner_id": partner.id, "line_ids": [(0, 0, {})]})
    assert _count(env, "test.order.line") == lines


# ---------------------------------------------------------------------------
# relation tables
# ---------------------------------------------------------------------------
def _columns(env, table):
    return {c["name"] for c in sa.inspect(env.connection).get_columns(table)}


def test_relation_table_auto_named(env):
    field = env["test.partner"]._fields["tag_ids"]
    assert (field.relation, field.column1, field.column2) == (
        "test_partner_test_tag_rel", "test_partner_id", "test_tag_id")
    assert _columns(env, "test_partner_test_tag_rel") == {"test_partner_id", "test_tag_id"}


def test_relation_table_auto_named_sorted(env, tags):
    field = env["tx.project"]._fields["tag_ids"]
    assert field.relation == "test_tag_tx_project_rel"
    assert (field.column1, field.column2) == ("tx_project_id", "test_tag_id")
    assert _columns(env, "test_tag_tx_project_rel") == {"tx_project_id", "test_tag_id"}
    project = env["tx.project"].create({"name": "P", "tag_ids": [tags[0].id]})
    assert _links(env, "test_tag_tx_project_rel", "tx_project_id", "test_tag_id",
                  project.id) == [tags[0].id]


def test_relation_table_shared_by_both_sides(env):
    ours = env["tx.project"]._fields["member_ids"]
    theirs = env["tx.member"]._fields["project_ids"]
    assert ours.relation == theirs.relation == "tx_member_tx_project_rel"
    assert (ours.column1, ours.column2) == (theirs.column2, theirs.column1)


def test_relation_table_explicit(env, tags):
    field = env["tx.project"]._fields["label_ids"]
    assert (field.relation, field.column1, field.column2) == (
        "tx_project_label", "project_ref", "label_ref")
    assert _columns(env, "tx_project_label") == {"project_ref", "label_ref"}
    a, b, _c, _d = tags
    project = env["tx.project"].create({"name": "P", "label_ids": [(6, 0, [a.id, b.id])],
                                        "tag_ids": [(6, 0, [a.id])]})
    assert _links(env, "tx_project_label", "project_ref", "label_ref", project.id) == \
        sorted([a.id, b.id])
    assert project.label_ids == a | b
    assert project.tag_ids == a
    project.write({"label_ids": [(3, a.id)]})
    assert project.label_ids == b
    assert project.tag_ids == a


def test_relation_table_has_foreign_keys(env):
    fks = sa.inspect(env.connection).get_foreign_keys("tx_project_label")
    assert {(fk["constrained_columns"][0], fk["referred_table"]) for fk in fks} == {
        ("project_ref", "tx_project"), ("label_ref", "test_tag")}


def test_one2many_create_on_several_records(env, partner, C):
    orders = _order(env, partner, "A") | _order(env, partner, "B")
    orders.write({"line_ids": [C.create({"product": "new"})]})
    for order in orders:
        assert sorted(order.line_ids.mapped("product"))[-1] == "new"
        assert len(order.line_ids) == 2
    assert _count(env, "test.order.line", [("product", "=", "new")]) == 2


def test_many2many_create_on_several_records_shares_the_target(env, C):
    """As Odoo: one record is created and linked to every record written."""
    partners = env["test.partner"].create([{"name": "P1"}, {"name": "P2"}])
    partners.write({"tag_ids": [C.create({"name": "shared"})]})
    shared = env["test.tag"].search([("name", "=", "shared")])
    assert len(shared) == 1
    assert partners[0].tag_ids == shared
    assert partners[1].tag_ids == shared
