"""Query counts: reading, creating, writing and recomputing in batches.

The numbers asserted here are what a record set promises: the statements
issued do not grow with the number of records (beyond one per chunk of
PREFETCH_MAX = 1000 ids for reads, as in Odoo, and CHUNK = 10,000 ids
for writes).
"""

from __future__ import annotations

import pytest

from core import api, fields, models
from core.orm import environment
from tests.orm.sample_models import ALL


class Holder(models.Model):
    _name = "tpf.holder"
    _description = "Holder"

    name = fields.Char()
    rate = fields.Float(default=1.0)
    item_ids = fields.One2many("tpf.item", "holder_id")
    total = fields.Float(compute="_compute_total", store=True)

    @api.depends("item_ids.amount")
    def _compute_total(self):
        for holder in self:
            holder.total = sum(holder.item_ids.mapped("amount"))


class Item(models.Model):
    _name = "tpf.item"
    _description = "Item"

    name = fields.Char()
    qty = fields.Integer(default=1)
    holder_id = fields.Many2one("tpf.holder", ondelete="cascade")
    amount = fields.Float(compute="_compute_amount", store=True)
    label = fields.Char(compute="_compute_label")

    @api.depends("qty", "holder_id.rate")
    def _compute_amount(self):
        for item in self:
            item.amount = item.qty * item.holder_id.rate

    @api.depends("name", "qty")
    def _compute_label(self):
        for item in self:
            item.label = f"{item.name} x{item.qty}"


MODELS = [*ALL, Holder, Item]


def _partners(env, count, **extra):
    return env["test.partner"].create([{"name": f"P{i:05d}", **extra} for i in range(count)])


def _selects(counter):
    return counter.matching("SELECT")


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------
def _read_names(env, count_queries, size):
    partners = _partners(env, size)
    env.invalidate_all()
    with count_queries() as counter:
        records = env["test.partner"].search([("id", "in", partners.ids)])
        names = [rec.name for rec in records]
    assert len(names) == size
    assert sorted(names) == [f"P{i:05d}" for i in range(size)]
    return counter


def test_read_field_is_prefetched(env, count_queries):
    small = _read_names(env, count_queries, 200).count
    env["test.partner"].search([]).unlink()
    big = _read_names(env, count_queries, 2000).count
    assert small <= 2, "one search and one fetch"
    # one fetch per PREFETCH_MAX ids at most
    assert big <= small + 2000 // environment.PREFETCH_MAX - 1
    assert big <= 3


def test_read_field_of_a_browsed_set(env, count_queries):
    partners = _partners(env, 2000)
    env.invalidate_all()
    records = env["test.partner"].browse(partners.ids)
    with count_queries() as counter:
        total = sum(len(rec.name) for rec in records)
        emails = [rec.email for rec in records]  # same row: already fetched
    assert total == 2000 * 6
    assert emails == [False] * 2000
    assert counter.count <= 2


def _read_through_many2one(env, count_queries, size):
    partners = _partners(env, size)
    env["test.order"].create([{"partner_id": p.id, "name": f"SO{i}"}
                              for i, p in enumerate(partners)])
    env.invalidate_all()
    with count_queries() as counter:
        orders = env["test.order"].search([("name", "like", "SO")])
        names = [order.partner_id.name for order in orders]
    assert len(names) == size
    assert set(names) == set(partners.mapped("name"))
    return counter.count


def test_read_through_many2one_is_prefetched(env, count_queries):
    small = _read_through_many2one(env, count_queries, 200)
    env["test.order"].search([]).unlink()
    env["test.partner"].search([]).unlink()
    big = _read_through_many2one(env, count_queries, 2000)
    assert small <= 3, "search, orders, partners"
    assert big <= small + 2 * (2000 // environment.PREFETCH_MAX - 1)
    assert big <= 5


def test_read_many2one_shared_targets(env, count_queries):
    """2,000 orders of 3 partners: the partners are fetched once."""
    partners = _partners(env, 3)
    env["test.order"].create([{"partner_id": partners[i % 3].id} for i in range(2000)])
    env.invalidate_all()
    with count_queries() as counter:
        orders = env["test.order"].search([])
        names = {order.partner_id.name for order in orders}
        countries = {order.partner_id.country_id.code for order in orders}
    assert names == {"P00000", "P00001", "P00002"}
    assert countries == {False}
    assert counter.count <= 4


def test_read_one2many_is_prefetched(env, count_queries):
    holders = env["tpf.holder"].create([
        {"name": f"H{i}", "item_ids": [(0, 0, {"name": f"I{i}-{j}"}) for j in range(3)]}
        for i in range(500)])
    env.invalidate_all()
    with count_queries() as counter:
        records = env["tpf.holder"].browse(holders.ids)
        names = [item.name for holder in records for item in holder.item_ids]
    assert len(names) == 1500
    assert counter.count <= 4


def test_read_many2many_is_prefetched(env, count_queries):
    tags = env["test.tag"].create([{"name": f"T{i}"} for i in range(10)])
    partners = env["test.partner"].create([
        {"name": f"P{i}", "tag_ids": [(6, 0, [tags[i % 10].id, tags[(i + 1) % 10].id])]}
        for i in range(1000)])
    env.invalidate_all()
    with count_queries() as counter:
        records = env["test.partner"].browse(partners.ids)
        names = [tag.name for partner in records for tag in partner.tag_ids]
    assert len(names) == 2000
    assert counter.count <= 4


def test_read_display_name_through_many2one(env, count_queries):
    partners = _partners(env, 1000)
    env["test.order"].create([{"partner_id": p.id} for p in partners])
    env.invalidate_all()
    with count_queries() as counter:
        orders = env["test.order"].search([])
        names = [order.partner_id.display_name for order in orders]
        rows = orders.read(["partner_id"])
    assert len(set(names)) == 1000
    assert {row["partner_id"][1] for row in rows} == set(names)
    assert counter.count <= 6


def test_filtered_and_mapped_are_prefetched(env, count_queries):
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    partners = _partners(env, 2000)
    partners[:1000].write({"country_id": de.id})
    env.invalidate_all()
    with count_queries() as counter:
        records = env["test.partner"].browse(partners.ids)
        germans = records.filtered(lambda p: p.country_id.code == "DE")
        codes = records.mapped("country_id.code")
    assert len(germans) == 1000
    assert codes == ["DE"]
    assert counter.count <= 5


def test_read_non_stored_compute_in_batch(env, count_queries):
    env["tpf.item"].create([{"name": f"I{i}", "qty": i} for i in range(1000)])
    env.invalidate_all()
    with count_queries() as counter:
        items = env["tpf.item"].search([])
        labels = [item.label for item in items]
    assert labels[5] == f"{items[5].name} x{items[5].qty}"
    assert counter.count <= 3


def test_read_method_is_batched(env, count_queries):
    partners = _partners(env, 2000)
    de = env["test.country"].create({"name": "Germany", "code": "DE"})
    partners.write({"country_id": de.id})
    env.invalidate_all()
    with count_queries() as counter:
        rows = partners.read(["name", "country_id", "credit_limit"])
    assert len(rows) == 2000
    assert rows[0]["country_id"] == (de.id, "Germany")
    assert counter.count <= 6


# ---------------------------------------------------------------------------
# creating
# ---------------------------------------------------------------------------
def test_create_many_is_batched(env, count_queries):
    with count_queries() as counter:
        partners = _partners(env, 1000)
    assert len(partners) == 1000
    inserts = counter.matching("INSERT")
    assert 1 <= len(inserts) <= 5, f"{len(inserts)} INSERT statements for 1,000 records"
    assert counter.count <= 12
    assert env["test.partner"].search_count([]) == 1000


def test_create_many_with_lines_is_batched(env, count_queries):
    with count_queries() as counter:
        holders = env["tpf.holder"].create([
            {"name": f"H{i}", "item_ids": [(0, 0, {"name": "a", "qty": 1}),
                                           (0, 0, {"name": "b", "qty": 2})]}
            for i in range(500)])
    assert holders[0].total == 3
    assert len(counter.matching("INSERT")) <= 6
    assert len(counter.matching("UPDATE")) <= 6
    assert counter.count <= 40


def test_create_many_with_many2many_is_batched(env, count_queries):
    tags = env["test.tag"].create([{"name": f"T{i}"} for i in range(5)])
    with count_queries() as counter:
        partners = env["test.partner"].create([{"name": f"P{i}", "tag_ids": [(6, 0, tags.ids)]}
                                               for i in range(1000)])
    assert partners[-1].tag_ids == tags
    assert len(counter.matching("INSERT")) <= 6
    assert counter.count <= 15


def test_create_returns_ids_in_order(env):
    partners = _partners(env, 1500)
    assert partners.ids == sorted(partners.ids)
    assert [p.name for p in partners] == [f"P{i:05d}" for i in range(1500)]
    env.invalidate_all()
    assert [p.name for p in partners] == [f"P{i:05d}" for i in range(1500)]


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------
def test_write_many_is_one_update(env, count_queries):
    partners = _partners(env, 1000)
    with count_queries() as counter:
        partners.write({"credit_limit": 500, "email": False})
    assert len(counter.matching("UPDATE")) == 1
    assert counter.count <= 3
    assert set(partners.mapped("credit_limit")) == {500}
    env.invalidate_all()
    assert env["test.partner"].search_count([("credit_limit", "=", 500)]) == 1000


def test_write_is_chunked(env, count_queries):
    """Ids go in chunks of CHUNK (10,000): 10,001 records are two UPDATEs."""
    assert environment.CHUNK == 10_000
    tags = env["test.tag"].create([{"name": f"T{i}"} for i in range(10_001)])
    with count_queries() as counter:
        tags.write({"name": "same"})
    assert len(counter.matching("UPDATE")) == 2
    assert env["test.tag"].search_count([("name", "=", "same")]) == 10_001


def test_write_many_through_assignment_on_each_record(env, count_queries):
    """Assigning on each record is one UPDATE each (no magic), but no extra reads."""
    partners = _partners(env, 100)
    with count_queries() as counter:
        for partner in partners:
            partner.credit_limit = 1
    assert len(counter.matching("UPDATE")) == 100
    assert len(_selects(counter)) <= 2


# ---------------------------------------------------------------------------
# recomputing
# ---------------------------------------------------------------------------
def _recompute_counts(env, count_queries, size):
    holders = env["tpf.holder"].create([
        {"name": f"H{i}", "item_ids": [(0, 0, {"name": "a", "qty": 1})]} for i in range(size)])
    items = holders.mapped("item_ids")
    env.flush_all()
    with count_queries() as writing:
        items.write({"qty": 4})
        env.flush_all()
    with count_queries() as rate:
        holders.write({"rate": 2.0})
        env.flush_all()
    env.invalidate_all()
    assert set(env["tpf.holder"].browse(holders.ids).mapped("total")) == {8.0}
    assert set(env["tpf.item"].browse(items.ids).mapped("amount")) == {8.0}
    return writing.count, rate.count


def test_recompute_is_batched(env, count_queries):
    small = _recompute_counts(env, count_queries, 100)
    env["tpf.holder"].search([]).unlink()
    big = _recompute_counts(env, count_queries, 1000)
    # an item's qty changes: amount (1,000 items), then total (1,000 holders)
    assert big[0] <= 15, big
    # a holder's rate changes: amount through the many2one, then total
    assert big[1] <= 15, big
    assert big[0] <= small[0] + 2 and big[1] <= small[1] + 2, (small, big)


def test_recompute_chain_of_sample_models(env, count_queries):
    partners = _partners(env, 100)
    orders = env["test.order"].create([
        {"partner_id": p.id, "line_ids": [(0, 0, {"product": "x", "quantity": 1,
                                                  "price_unit": 1})] * 10}
        for p in partners])
    lines = orders.mapped("line_ids")
    assert len(lines) == 1000
    env.flush_all()
    with count_queries() as counter:
        lines.write({"price_unit": 3})
        env.flush_all()
    assert counter.count <= 15
    assert set(orders.mapped("amount_total")) == {30}
    assert set(partners.mapped("total_ordered")) == {30}


@pytest.mark.parametrize("size", [1000])
def test_unlink_many_is_batched(env, count_queries, size):
    holders = env["tpf.holder"].create([
        {"name": f"H{i}", "item_ids": [(0, 0, {"name": "a"})]} for i in range(size)])
    with count_queries() as counter:
        holders.unlink()
    assert len(counter.matching("DELETE")) <= 2
    assert counter.count <= 12
    assert not env["tpf.item"].search([])
