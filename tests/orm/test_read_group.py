"""read_group: aggregates by SQL GROUP BY, in Odoo 17's result format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import fields, models
from tests.orm.sample_models import ALL


class Stage(models.Model):
    _name = "trg.stage"
    _description = "Stage"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer()
    active = fields.Boolean(default=True)


class Board(models.Model):
    """Ordered through a many2one: groups by board follow the stage order."""

    _name = "trg.board"
    _description = "Board"
    _order = "stage_id desc, name"

    name = fields.Char(required=True)
    stage_id = fields.Many2one("trg.stage")


class Deal(models.Model):
    _name = "trg.deal"
    _description = "Deal"
    _order = "id"

    name = fields.Char()
    active = fields.Boolean(default=True)
    state = fields.Selection([("new", "New"), ("won", "Won"), ("lost", "Lost")])
    stage_id = fields.Many2one("trg.stage")
    board_id = fields.Many2one("trg.board")
    partner_id = fields.Many2one("test.partner")
    amount = fields.Float()
    price = fields.Float(digits=(16, 2))
    qty = fields.Integer()
    done = fields.Boolean()
    day = fields.Date()
    moment = fields.Datetime()
    tag_ids = fields.Many2many("test.tag")
    label = fields.Char(compute="_compute_label")

    def _compute_label(self):
        for deal in self:
            deal.label = f"[{deal.name}]"


MODELS = [*ALL, Stage, Board, Deal]


@pytest.fixture
def deals(env):
    """Seven deals over three stages (ordered by sequence, not by name or id)."""
    Stage = env["trg.stage"]
    # created in an order that differs from their sequence and their names
    won = Stage.create({"name": "Won", "sequence": 30})
    new = Stage.create({"name": "New", "sequence": 10})
    talk = Stage.create({"name": "Talking", "sequence": 20})
    Partner = env["test.partner"]
    zeta = Partner.create({"name": "Zeta"})
    alpha = Partner.create({"name": "Alpha"})
    Deal = env["trg.deal"]
    rows = [
        # name, state, stage, partner, amount, price, qty, done, day, moment
        ("d1", "new", new, alpha, 100.0, 1.5, 1, True, "2024-01-15", "2024-01-15 08:00:00"),
        ("d2", "new", new, zeta, 50.0, 2.5, 2, False, "2024-01-17", "2024-01-17 23:30:00"),
        ("d3", "won", won, alpha, 300.0, 10.0, 3, True, "2024-02-29", "2024-02-29 12:00:00"),
        ("d4", "won", won, alpha, 200.0, 20.0, 4, True, "2024-04-01", "2024-04-01 00:00:00"),
        ("d5", "lost", talk, zeta, 10.0, 0.5, 5, None, "2023-12-31", "2023-12-31 23:59:59"),
        ("d6", "lost", talk, None, 40.0, 0.0, 6, False, "2024-04-30", None),
        ("d7", None, None, None, 0.0, None, None, None, None, None),
    ]
    records = {}
    for name, state, stage, partner, amount, price, qty, done, day, moment in rows:
        vals = {"name": name, "state": state or False, "stage_id": stage.id if stage else False,
                "partner_id": partner.id if partner else False, "amount": amount,
                "price": price if price is not None else False,
                "qty": qty if qty is not None else False, "day": day or False,
                "moment": moment or False}
        if done is not None:
            vals["done"] = done
        records[name] = Deal.create(vals)
    # archived: never counted unless asked for
    Deal.create({"name": "archived", "state": "won", "stage_id": won.id, "amount": 9999.0,
                 "active": False, "day": "2024-01-01"})
    return dict(records, won=won, new=new, talk=talk, zeta=zeta, alpha=alpha)


def by_key(groups, key):
    return {group[key]: group for group in groups}


def check_group_domains(env, groups, domain=()):
    """Each group's __domain selects exactly its records; together, all of them."""
    Deal = env["trg.deal"]
    seen = set()
    for group in groups:
        count = group.get("__count", next((v for k, v in group.items()
                                           if k.endswith("_count")), None))
        found = Deal.search(group["__domain"])
        assert len(found) == count, group
        assert not seen & set(found.ids), group
        seen |= set(found.ids)
    assert seen == set(Deal.search(list(domain)).ids)


# ---------------------------------------------------------------------------
# aggregates
# ---------------------------------------------------------------------------
def test_aggregates_without_groupby(env, deals):
    [group] = env["trg.deal"].read_group(
        [], ["amount:sum", "top:max(amount)", "low:min(amount)", "mean:avg(amount)",
             "qty:sum", "n:count(qty)", "partners:count_distinct(partner_id)", "__count"], [])
    assert group["__count"] == 7
    assert group["amount"] == pytest.approx(700.0)
    assert group["top"] == pytest.approx(300.0)
    assert group["low"] == pytest.approx(0.0)
    assert group["mean"] == pytest.approx(100.0)
    assert group["qty"] == 21
    assert group["n"] == 6  # count() skips NULLs
    assert group["partners"] == 2
    assert group["__domain"] == []


def test_aggregates_by_group(env, deals):
    groups = env["trg.deal"].read_group(
        [], ["amount:sum", "total:sum(amount)", "best:max(amount)", "avg_qty:avg(qty)",
             "first_day:min(day)", "last_day:max(day)", "partners:count_distinct(partner_id)"],
        ["state"], lazy=False)
    state = by_key(groups, "state")
    assert set(state) == {"new", "won", "lost", False}
    assert state["new"]["amount"] == pytest.approx(150.0)
    assert state["new"]["total"] == pytest.approx(150.0)
    assert state["won"]["best"] == pytest.approx(300.0)
    assert state["won"]["avg_qty"] == pytest.approx(3.5)
    assert state["lost"]["avg_qty"] == pytest.approx(5.5)
    assert state["won"]["first_day"] == dt.date(2024, 2, 29)
    assert state["won"]["last_day"] == dt.date(2024, 4, 1)
    assert state["new"]["partners"] == 2
    assert state["lost"]["partners"] == 1
    assert [state[k]["__count"] for k in ("new", "won", "lost", False)] == [2, 2, 2, 1]


def test_numeric_aggregates_are_python_numbers(env, deals):
    [group] = env["trg.deal"].read_group(
        [], ["price:sum", "p_avg:avg(price)", "q_avg:avg(qty)", "a_avg:avg(amount)",
             "q_sum:sum(qty)"], [])
    for key in ("price", "p_avg", "q_avg", "a_avg"):
        assert isinstance(group[key], float) and not isinstance(group[key], Decimal), key
    assert isinstance(group["q_sum"], int)
    assert group["price"] == pytest.approx(34.5)
    assert group["p_avg"] == pytest.approx(34.5 / 6)
    assert group["q_avg"] == pytest.approx(3.5)


def test_default_aggregate_of_a_field(env, deals):
    groups = env["trg.deal"].read_group([], ["amount", "qty", "name"], ["state"])
    state = by_key(groups, "state")
    # numbers sum by default; a char has no aggregate
    assert state["won"]["amount"] == pytest.approx(500.0)
    assert state["won"]["qty"] == 7
    assert "name" not in state["won"]


def test_boolean_aggregates(env, deals):
    groups = env["trg.deal"].read_group(
        [], ["all_done:bool_and(done)", "any_done:bool_or(done)"], ["state"], lazy=False)
    state = by_key(groups, "state")
    assert state["won"]["all_done"] is True
    assert state["new"]["all_done"] is False
    assert state["new"]["any_done"] is True
    assert state["lost"]["any_done"] is False


def test_archived_records_are_left_out(env, deals):
    Deal = env["trg.deal"]
    [group] = Deal.read_group([], ["amount:sum"], [])
    assert group["__count"] == 7
    [group] = Deal.with_context(active_test=False).read_group([], ["amount:sum"], [])
    assert group["__count"] == 8
    [group] = Deal.read_group([("active", "=", False)], ["amount:sum"], [])
    assert group["amount"] == pytest.approx(9999.0)


# ---------------------------------------------------------------------------
# group by selection, many2one, boolean
# ---------------------------------------------------------------------------
def test_group_by_selection(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["state"])
    assert [g["state"] for g in groups] == ["lost", "new", "won", False]
    state = by_key(groups, "state")
    assert state["lost"]["state_count"] == 2
    assert state[False]["state_count"] == 1
    assert state[False]["amount"] == pytest.approx(0.0)
    assert state["won"]["__domain"] == [("state", "=", "won")]
    assert state[False]["__domain"] == [("state", "=", False)]
    check_group_domains(env, groups)


def test_group_by_many2one_uses_target_order_and_names(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["stage_id"])
    # stages by sequence: New (10), Talking (20), Won (30); no stage last
    assert [g["stage_id"] for g in groups] == [
        (deals["new"].id, "New"), (deals["talk"].id, "Talking"), (deals["won"].id, "Won"),
        False]
    assert [g["stage_id_count"] for g in groups] == [2, 2, 2, 1]
    assert [g["amount"] for g in groups] == pytest.approx([150.0, 50.0, 500.0, 0.0])
    assert groups[0]["__domain"] == [("stage_id", "=", deals["new"].id)]
    assert groups[-1]["__domain"] == [("stage_id", "=", False)]
    check_group_domains(env, groups)


def test_group_by_many2one_ordered_by_partner_name(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["partner_id"])
    assert [g["partner_id"] for g in groups] == [
        (deals["alpha"].id, "Alpha"), (deals["zeta"].id, "Zeta"), False]
    check_group_domains(env, groups)


def test_group_by_archived_many2one_target_keeps_its_name(env, deals):
    deals["won"].active = False
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["stage_id"])
    assert (deals["won"].id, "Won") in [g["stage_id"] for g in groups]


def test_group_by_integer_keeps_the_group_value(env, deals):
    groups = env["trg.deal"].read_group([("qty", "<=", 3)], ["qty", "amount"], ["qty"])
    assert [(g["qty"], g["qty_count"]) for g in groups] == [(1, 1), (2, 1), (3, 1)]
    assert [g["amount"] for g in groups] == pytest.approx([100.0, 50.0, 300.0])
    check_group_domains(env, groups, [("qty", "<=", 3)])


def test_many2one_groups_ordered_by_an_aggregate(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["stage_id"],
                                        orderby="amount desc")
    assert [g["stage_id"] and g["stage_id"][1] for g in groups] == \
        ["Won", "New", "Talking", False]


def test_group_by_boolean(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["done"])
    # an unset boolean is False: one False group, not two
    assert [g["done"] for g in groups] == [False, True]
    done = by_key(groups, "done")
    assert done[True]["done_count"] == 3
    assert done[False]["done_count"] == 4
    assert done[True]["amount"] == pytest.approx(600.0)
    assert done[False]["amount"] == pytest.approx(100.0)
    check_group_domains(env, groups)


# ---------------------------------------------------------------------------
# group by dates
# ---------------------------------------------------------------------------
def test_group_by_date_month_by_default(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["day"])
    assert [g["day"] for g in groups] == [
        "December 2023", "January 2024", "February 2024", "April 2024", False]
    january = groups[1]
    assert january["day_count"] == 2
    assert january["amount"] == pytest.approx(150.0)
    assert january["__range"] == {"day": {"from": "2024-01-01", "to": "2024-02-01"}}
    assert groups[-1]["__range"] == {"day": False}
    check_group_domains(env, groups)


@pytest.mark.parametrize("granularity, labels, ranges", [
    ("day", ["31 Dec 2023", "15 Jan 2024", "17 Jan 2024", "29 Feb 2024", "01 Apr 2024",
             "30 Apr 2024"],
     [("2023-12-31", "2024-01-01"), ("2024-01-15", "2024-01-16"), ("2024-01-17", "2024-01-18"),
      ("2024-02-29", "2024-03-01"), ("2024-04-01", "2024-04-02"),
      ("2024-04-30", "2024-05-01")]),
    ("week", ["W52 2023", "W3 2024", "W9 2024", "W14 2024", "W18 2024"],
     [("2023-12-25", "2024-01-01"), ("2024-01-15", "2024-01-22"), ("2024-02-26", "2024-03-04"),
      ("2024-04-01", "2024-04-08"), ("2024-04-29", "2024-05-06")]),
    ("month", ["December 2023", "January 2024", "February 2024", "April 2024"],
     [("2023-12-01", "2024-01-01"), ("2024-01-01", "2024-02-01"), ("2024-02-01", "2024-03-01"),
      ("2024-04-01", "2024-05-01")]),
    ("quarter", ["Q4 2023", "Q1 2024", "Q2 2024"],
     [("2023-10-01", "2024-01-01"), ("2024-01-01", "2024-04-01"),
      ("2024-04-01", "2024-07-01")]),
    ("year", ["2023", "2024"], [("2023-01-01", "2024-01-01"), ("2024-01-01", "2025-01-01")]),
])
def test_group_by_date_granularity(env, deals, granularity, labels, ranges):
    spec = f"day:{granularity}"
    groups = env["trg.deal"].read_group([("day", "!=", False)], ["amount:sum"], [spec])
    assert [g[spec] for g in groups] == labels
    assert [(g["__range"][spec]["from"], g["__range"][spec]["to"]) for g in groups] == ranges
    assert sum(g["day_count"] for g in groups) == 6
    check_group_domains(env, groups, [("day", "!=", False)])


def test_group_by_datetime(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["moment:month"], lazy=False)
    assert [g["moment:month"] for g in groups] == [
        "December 2023", "January 2024", "February 2024", "April 2024", False]
    january = groups[1]
    assert january["__count"] == 2
    assert january["__range"] == {
        "moment:month": {"from": "2024-01-01 00:00:00", "to": "2024-02-01 00:00:00"}}
    check_group_domains(env, groups)
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["moment:day"], lazy=False)
    day = by_key(groups, "moment:day")
    # 23:59:59 on the last day of 2023 stays in that day
    assert day["31 Dec 2023"]["__count"] == 1
    check_group_domains(env, groups)


def test_group_domains_combine_with_the_search_domain(env, deals):
    domain = [("amount", ">=", 50)]
    groups = env["trg.deal"].read_group(domain, ["amount:sum"], ["day:quarter"])
    assert [g["day_count"] for g in groups] == [3, 1]
    check_group_domains(env, groups, domain)
    for group in groups:
        assert ("amount", ">=", 50) in group["__domain"]


# ---------------------------------------------------------------------------
# lazy and eager grouping
# ---------------------------------------------------------------------------
def test_lazy_groups_by_the_first_groupby_only(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["stage_id", "state", "day:year"])
    assert len(groups) == 4
    first = groups[0]
    assert first["stage_id"] == (deals["new"].id, "New")
    assert first["stage_id_count"] == 2
    assert "__count" not in first
    assert "state" not in first
    assert first["__context"] == {"group_by": ["state", "day:year"]}
    check_group_domains(env, groups)


def test_lazy_single_groupby_has_no_context(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], "state")
    assert all("__context" not in g for g in groups)
    assert all("state_count" in g for g in groups)


def test_lazy_date_groupby_count_key(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["day:year", "state"])
    assert [g["day:year"] for g in groups] == ["2023", "2024", False]
    assert [g["day_count"] for g in groups] == [1, 5, 1]
    assert groups[0]["__context"] == {"group_by": ["state"]}


def test_eager_groups_by_all_groupbys(env, deals):
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["stage_id", "state"], lazy=False)
    keys = [(g["stage_id"] and g["stage_id"][1], g["state"]) for g in groups]
    assert keys == [("New", "new"), ("Talking", "lost"), ("Won", "won"), (False, False)]
    for group in groups:
        assert "__count" in group
        assert "stage_id_count" not in group
        assert "__context" not in group
    assert [g["__count"] for g in groups] == [2, 2, 2, 1]
    check_group_domains(env, groups)


def test_eager_many2one_and_date(env, deals):
    groups = env["trg.deal"].read_group([("partner_id", "!=", False)], ["amount:sum"],
                                        ["partner_id", "day:year"], lazy=False)
    keys = [(g["partner_id"][1], g["day:year"]) for g in groups]
    assert keys == [("Alpha", "2024"), ("Zeta", "2023"), ("Zeta", "2024")]
    alpha = groups[0]
    assert alpha["__count"] == 3
    assert alpha["amount"] == pytest.approx(600.0)
    assert alpha["__range"] == {"day:year": {"from": "2024-01-01", "to": "2025-01-01"}}
    check_group_domains(env, groups, [("partner_id", "!=", False)])


# ---------------------------------------------------------------------------
# orderby, limit, offset, empty results
# ---------------------------------------------------------------------------
def test_orderby_aggregate(env, deals):
    Deal = env["trg.deal"]
    groups = Deal.read_group([], ["amount:sum"], ["state"], orderby="amount desc")
    assert [g["state"] for g in groups] == ["won", "new", "lost", False]
    groups = Deal.read_group([], ["total:sum(amount)"], ["state"], orderby="total")
    assert [g["state"] for g in groups] == [False, "lost", "new", "won"]


def test_orderby_count(env, deals):
    groups = env["trg.deal"].read_group([("state", "!=", "won")], ["amount:sum"], ["state"],
                                        orderby="__count desc, state")
    assert [g["state"] for g in groups] == ["lost", "new", False]


def test_orderby_groupby_field(env, deals):
    Deal = env["trg.deal"]
    groups = Deal.read_group([], ["amount:sum"], ["state"], orderby="state desc")
    # as in search(): descending puts empty values first (PostgreSQL's default)
    assert [g["state"] for g in groups] == [False, "won", "new", "lost"]
    groups = Deal.read_group([], ["amount:sum"], ["day:year"], orderby="day:year desc")
    assert [g["day:year"] for g in groups if g["day:year"]] == ["2024", "2023"]


def test_orderby_many2one_uses_the_target_order(env, deals):
    Deal = env["trg.deal"]
    groups = Deal.read_group([("stage_id", "!=", False)], ["amount:sum"], ["stage_id"],
                             orderby="stage_id desc")
    assert [g["stage_id"][1] for g in groups] == ["Won", "Talking", "New"]
    groups = Deal.read_group([("partner_id", "!=", False)], ["amount:sum"], ["partner_id"],
                             orderby="partner_id")
    assert [g["partner_id"][1] for g in groups] == ["Alpha", "Zeta"]


def test_group_by_many2one_whose_target_orders_by_a_many2one(env, deals):
    Board = env["trg.board"]
    # boards by their stage's sequence, descending: Won (30), New (10), then no stage
    b_new = Board.create({"name": "A new", "stage_id": deals["new"].id})
    b_won = Board.create({"name": "B won", "stage_id": deals["won"].id})
    b_none = Board.create({"name": "C none"})
    deals["d1"].board_id = b_new
    deals["d2"].board_id = b_none
    deals["d3"].board_id = b_won
    groups = env["trg.deal"].read_group([("board_id", "!=", False)], ["amount:sum"],
                                        ["board_id"])
    assert [g["board_id"][1] for g in groups] == ["C none", "B won", "A new"]
    assert Board.search([]).mapped("name") == ["C none", "B won", "A new"]
    groups = env["trg.deal"].read_group([("board_id", "!=", False)], ["amount:sum"],
                                        ["board_id"], orderby="board_id desc")
    assert [g["board_id"][1] for g in groups] == ["A new", "B won", "C none"]


def test_orderby_date_group(env, deals):
    Deal = env["trg.deal"]
    domain = [("day", "!=", False)]
    for spec, orderby in (("day", "day desc"), ("day", "day:month desc"),
                          ("day:quarter", "day:quarter desc")):
        groups = Deal.read_group(domain, ["amount:sum"], [spec], orderby=orderby)
        starts = [g["__range"][spec]["from"] for g in groups]
        assert starts == sorted(starts, reverse=True), (spec, orderby)


def test_limit_and_offset(env, deals):
    Deal = env["trg.deal"]
    groups = Deal.read_group([], ["amount:sum"], ["stage_id"], limit=2)
    assert [g["stage_id"][1] for g in groups] == ["New", "Talking"]
    groups = Deal.read_group([], ["amount:sum"], ["stage_id"], offset=1, limit=2)
    assert [g["stage_id"][1] for g in groups] == ["Talking", "Won"]
    groups = Deal.read_group([], ["amount:sum"], ["stage_id"], offset=3)
    assert [g["stage_id"] for g in groups] == [False]
    assert Deal.read_group([], ["amount:sum"], ["stage_id"], offset=10) == []
    groups = Deal.read_group([], ["amount:sum"], ["state"], orderby="amount desc", limit=1)
    assert [g["state"] for g in groups] == ["won"]


def test_empty_result(env, deals):
    Deal = env["trg.deal"]
    assert Deal.read_group([("name", "=", "nothing")], ["amount:sum"], ["state"]) == []
    assert Deal.read_group([("name", "=", "nothing")], ["amount:sum"], ["stage_id", "day"],
                           lazy=False) == []
    [group] = Deal.read_group([("name", "=", "nothing")], ["amount:sum"], [])
    assert group["__count"] == 0


def test_empty_table(env):
    assert env["trg.deal"].read_group([], ["amount:sum"], ["state"]) == []


def test_read_group_sees_pending_writes(env, deals):
    deals["d7"].write({"state": "won", "amount": 1.0})
    groups = env["trg.deal"].read_group([], ["amount:sum"], ["state"])
    state = by_key(groups, "state")
    assert False not in state
    assert state["won"]["state_count"] == 3
    assert state["won"]["amount"] == pytest.approx(501.0)


# ---------------------------------------------------------------------------
# invalid specifications
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("fields_spec", [
    ["nope:sum"],
    ["amount:median"],
    ["amount:sum(nope)"],
    ["total:sum(amount"],
    ["amount sum"],
    ["amount:sum; drop table trg_deal"],
    ["label:sum"],
    ["name:sum"],
    ["name:avg"],
    ["stage_id:sum"],
], ids=repr)
def test_invalid_field_specs(env, deals, fields_spec):
    with pytest.raises(ValueError):
        env["trg.deal"].read_group([], fields_spec, ["state"])


@pytest.mark.parametrize("groupby", [
    ["nope"],
    ["state:month"],
    ["day:decade"],
    ["day:month; drop table trg_deal"],
    ["label"],
    ["display_name"],
    ["stage_id.name"],
], ids=repr)
def test_invalid_groupbys(env, deals, groupby):
    with pytest.raises(ValueError):
        env["trg.deal"].read_group([], ["amount:sum"], groupby)
    with pytest.raises(ValueError):
        env["trg.deal"].read_group([], ["amount:sum"], groupby, lazy=False)


@pytest.mark.parametrize("orderby", [
    "nope",
    "amount sideways",
    "amount desc; drop table trg_deal",
    "name",
    "amount desc, (select 1)",
    "qty",
], ids=repr)
def test_invalid_orderby(env, deals, orderby):
    with pytest.raises(ValueError):
        env["trg.deal"].read_group([], ["amount:sum"], ["state"], orderby=orderby)


def test_invalid_domain(env, deals):
    with pytest.raises(ValueError):
        env["trg.deal"].read_group([("nope", "=", 1)], ["amount:sum"], ["state"])
