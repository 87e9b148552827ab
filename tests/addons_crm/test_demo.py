"""The demo company (crm's and sale_crm's demo data) on both backends: what the issue
asks for (3 teams, 8 salespeople, 300 customers with contacts, 1,000 deals across the
stages with activities and messages, 200 quotations in USD, EUR and JPY), that the same
seed makes the same data, and the progress bar that loading it shows.

The demo database is made once per backend (web_support.py) and cloned for this module.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from contextlib import contextmanager

import pytest

from addons.crm.tools import demo
from addons.sale_crm.tools.demo import QUOTATIONS, quotation_plan
from core.modules.progress import ProgressBar
from core.orm.environment import SUPERUSER_ID, Environment, Transaction

DAY = dt.date(2026, 3, 10)


@contextmanager
def rolled_back(web):
    """A superuser environment on the module's demo database, rolled back after."""
    with web.db.engine.connect() as connection:
        outer = connection.begin()
        try:
            yield Environment(Transaction(web.db.registry, connection), SUPERUSER_ID, {}, True)
        finally:
            outer.rollback()


@pytest.fixture(scope="module")
def built(crm_web) -> dt.date:
    """The day the demo was made (its dates are relative to it): a contract of the
    demo started a year before."""
    with rolled_back(crm_web) as env:
        document = env["crm.partner.document"].search(
            [("name", "=", "Exclusive distribution agreement DACH")])
        return document.date_start + dt.timedelta(days=365)


@pytest.fixture(scope="module")
def deals(crm_web):
    """Every demo deal's facts, read once: {name: {...}}."""
    with rolled_back(crm_web) as env:
        leads = env["crm.lead"].with_context(active_test=False).search([])
        return {lead.name: {
            "type": lead.type, "stage": lead.stage_id.name, "status": lead.won_status,
            "login": lead.user_id.login or "", "currency": lead.currency_id.name,
            "amount": lead.expected_revenue, "orders": len(lead.order_ids),
            "customer": lead.commercial_partner_id.name or lead.partner_name or "",
            "reason": lead.lost_reason_id.id, "closed": lead.date_closed,
            "activities": len(lead.activity_ids), "history": len(lead.stage_history_ids),
            "deadlines": lead.activity_ids.mapped("date_deadline"),
            "created": lead.create_date} for lead in leads}


def test_the_sales_force_three_teams_and_eight_salespeople(crm_web):
    with rolled_back(crm_web) as env:
        teams = env["crm.team"].search([])
        assert sorted(teams.mapped("name")) == ["Americas", "Asia Pacific & Middle East",
                                                "Europe & Africa"]
        members = teams.mapped("member_ids")
        assert sorted(members.mapped("login")) == sorted(demo.SALESPEOPLE)
        assert all(team.user_id in team.member_ids for team in teams)
        assert all(user.has_group("sales_team.group_sale_salesman") for user in members)
        assert not env.ref("sales_team.team_sales_department").active


def test_three_hundred_customers_with_contacts_named_as_in_their_country(crm_web):
    with rolled_back(crm_web) as env:
        customers = env["res.partner"].search([("is_company", "=", True),
                                               ("user_id", "!=", False)])
        assert len(customers) == demo.CUSTOMERS == 300
        contacts = customers.mapped("child_ids").filtered(lambda c: c.type == "contact")
        assert set(contacts.mapped("parent_id")) == set(customers)
        assert all(c.function and c.email and c.name for c in contacts)
        countries = Counter(partner.country_id.code for partner in customers)
        assert {"DE", "US", "JP", "BR", "AE"} <= set(countries)
        assert all(countries[code] >= 20 for code in ("DE", "US", "JP", "BR", "AE"))
        names = customers.mapped("name")
        assert any(name.endswith("GmbH") for name in names)
        assert any(name.startswith("株式会社") or "株式会社" in name for name in names)
        assert any(name.endswith("Ltda.") for name in names)
        assert any(name.endswith(("LLC", "L.L.C.", "FZE", "FZCO")) for name in names)
        assert len(set(customers.mapped("name_normalized"))) == 300      # no duplicates
        assert {"a", "b", "c"} == set(customers.mapped("customer_tier"))
        addresses = customers.mapped("child_ids").filtered(lambda c: c.type != "contact")
        assert {"invoice", "delivery", "factory"} <= set(addresses.mapped("type"))


def test_a_thousand_deals_spread_over_the_stages(deals):
    assert len(deals) == 1000
    kinds = Counter(_kind(facts) for facts in deals.values())
    assert kinds == Counter(demo.DEALS)
    assert {facts["currency"] for facts in deals.values()} == {"EUR", "JPY", "USD"}
    lost = [facts for facts in deals.values() if facts["status"] == "lost"]
    assert all(facts["reason"] for facts in lost)
    assert len({facts["reason"] for facts in lost}) == len(demo.LOST_REASONS)
    unassigned = [facts for facts in deals.values() if not facts["login"]]
    assert 10 <= len(unassigned) <= 80 and all(f["type"] == "lead" for f in unassigned)
    assert len({facts["login"] for facts in deals.values()} - {""}) == 8
    # closed over the last twelve months, created over the last year and a half
    closed = [facts["closed"] for facts in deals.values() if facts["status"] != "pending"]
    assert max(closed) - min(closed) > dt.timedelta(days=300)
    created = [facts["created"] for facts in deals.values()]
    assert max(created) - min(created) > dt.timedelta(days=400)


def test_follow_ups_some_late_some_missing_and_the_chatter(crm_web, deals, built):
    open_deals = [f for f in deals.values() if f["type"] == "opportunity"
                  and f["status"] == "pending"]
    planned = [f for f in open_deals if f["activities"]]
    assert 0.7 < len(planned) / len(open_deals) < 0.95       # some have no next step
    late = [d for f in open_deals for d in f["deadlines"] if d < built]
    assert 0.2 < len(late) / sum(len(f["deadlines"]) for f in open_deals) < 0.5
    opportunities = [f for f in deals.values() if f["type"] == "opportunity"]
    assert all(f["history"] >= 1 for f in opportunities)
    with rolled_back(crm_web) as env:
        Message = env["mail.message"]  # noqa: N806
        emails = Message.search([("model", "=", "crm.lead"), ("message_type", "=", "email")])
        assert len(emails) > 500
        assert all(m.author_id.parent_id.is_company for m in emails[:50])  # the buyers
        tracked = Message.search([("model", "=", "crm.lead"),
                                  ("tracking_value_ids", "!=", False)], limit=20)
        assert len(tracked) == 20
        won = env.ref("crm.mt_lead_won")
        assert Message.search_count([("model", "=", "crm.lead"), ("subtype_id", "=", won.id)]) \
            == demo.DEALS["won"]
        lead = env["crm.lead"].search([("won_status", "=", "won")], limit=1)
        assert lead.user_id.partner_id in lead.message_follower_ids.mapped("partner_id")
        assert env["crm.partner.document"].search_count([]) >= 4


def test_two_hundred_quotations_in_three_currencies(crm_web):
    with rolled_back(crm_web) as env:
        orders = env["sale.order"].with_context(active_test=False).search(
            [("opportunity_id", "!=", False)])
        assert len(orders) == 200
        assert set(orders.mapped("currency_id.name")) == {"USD", "EUR", "JPY"}
        assert Counter(orders.mapped("state")) == Counter(
            {state: count for _kind, state, count in QUOTATIONS})
        for order in orders:
            deal = order.opportunity_id
            assert order.currency_id == deal.currency_id
            assert order.partner_id == deal.partner_id.commercial_partner_id
            assert order.order_line and order.amount_untaxed > 0
        confirmed = orders.filtered(lambda o: o.state == "sale")
        assert all(o.opportunity_id.won_status == "won" and o.locked for o in confirmed)
        # the deal's amount follows its quotation (sale_crm)
        quoted = orders.filtered(lambda o: o.state in ("draft", "sent", "negotiation"))
        assert all(abs(o.opportunity_id.expected_revenue - o.amount_untaxed) < 0.01
                   for o in quoted if len(o.opportunity_id.order_ids) == 1)
        by_date = sorted(orders, key=lambda order: (order.date_order, order.name))
        assert [o.name for o in by_date] == sorted(orders.mapped("name"))  # in date order


# -- determinism ----------------------------------------------------------------------
def test_the_same_seed_and_day_make_the_same_plan():
    first, second = demo.make_plan(42, DAY), demo.make_plan(42, DAY)
    assert first.customers == second.customers and first.deals == second.deals
    other = demo.make_plan(43, DAY)
    assert other.fingerprint() != first.fingerprint()
    later = demo.make_plan(42, DAY + dt.timedelta(days=30))
    assert later.fingerprint() == first.fingerprint()              # only the dates move
    assert later.deals[0].created - first.deals[0].created == dt.timedelta(days=30)
    assert len({deal.values["name"] for deal in first.deals}) == 1000


def test_the_database_holds_the_plan_of_seed_42(crm_web, deals, built):
    plan = demo.make_plan(42, built)
    with rolled_back(crm_web) as env:
        refs = {c.xmlid: env.ref(c.xmlid).name for c in plan.customers if c.xmlid}
    expected = {}
    for deal in plan.deals:
        customer = plan.customers[deal.customer] if deal.customer is not None else None
        name = (refs[customer.xmlid] if customer.xmlid else customer.values["name"]) \
            if customer else deal.values["partner_name"]
        expected[deal.values["name"]] = (deal.kind, deal.login or "",
                                         deal.values.get("currency", "USD"), name,
                                         deal.values["expected_revenue"], deal.created)
    # a deal with quotations takes their amount (sale_crm)
    actual = {name: (_kind(f), f["login"], f["currency"], f["customer"],
                     f["amount"] if not f["orders"] else expected[name][4], f["created"])
              for name, f in deals.items()}
    assert actual == expected


def test_the_quotations_follow_from_the_seed(crm_web):
    with rolled_back(crm_web) as env:
        plan = quotation_plan(env, 42)
        assert plan == quotation_plan(env, 42)
        orders = env["sale.order"].with_context(active_test=False).search(
            [("opportunity_id", "!=", False)], order="id")
        made = [(o.origin, o.state, o.currency_id.name,
                 [(line.product_id.id, line.product_uom_qty, line.price_unit)
                  for line in o.order_line.sorted("id")]) for o in orders]
        planned = [(vals["origin"], vals["state"],
                    env["product.pricelist"].browse(vals["pricelist_id"]).currency_id.name,
                    [(line["product_id"], line["product_uom_qty"], line["price_unit"])
                     for _c, _i, line in vals["order_line"]]) for vals in plan]
        assert made == planned


def _kind(facts: dict) -> str:
    if facts["type"] == "lead":
        return "lead"
    if facts["status"] != "pending":
        return facts["status"]
    return {"New": "new", "Qualified": "qualified", "Quotation": "quotation",
            "Negotiation": "negotiation"}[facts["stage"]]


# -- loading: batches and the progress bar ----------------------------------------------
def test_loading_reports_a_progress_bar_and_works_in_batches(crm_web):
    from tests.fixtures import QueryCounter

    plan = demo.make_plan(7, DAY)
    plan.deals = plan.deals[:300]
    messages: list[str] = []
    with rolled_back(crm_web) as env:
        env.transaction.progress = messages.append
        with QueryCounter(crm_web.db.engine) as counter:
            with env.transaction.atomic():
                demo.Loader(env, plan).load()
        assert env["crm.lead"].with_context(active_test=False).search_count(
            [("name", "in", [d.values["name"] for d in plan.deals])]) >= 300
    bars = [m for m in messages if m.startswith("\r    crm: demo data [")]
    assert len(bars) == len(messages) >= 6
    assert "customers" in bars[0]
    assert bars[-1].endswith("\n") and "100% done (" in bars[-1]
    assert "deals" in "".join(bars) and "chatter" in "".join(bars)
    # a few statements per batch of deals, not a few per deal
    assert counter.count < 2500, counter.count


def test_the_progress_bar_reports_each_twentieth_and_each_step():
    messages: list[str] = []
    bar = ProgressBar(messages.append, "x: demo", total=1000)
    bar.step("customers")
    for _i in range(100):
        bar.advance(10, "deals")
    bar.finish()
    assert messages[0] == "\r    x: demo [....................]   0% customers"
    assert messages[1] == "\r    x: demo [....................]   1% deals"
    assert len(messages) == 2 + 20 + 1          # the steps, each twentieth, the end
    assert messages[-2] == "\r    x: demo [####################] 100% deals"
    assert messages[-1].startswith("\r    x: demo [####################] 100% done (")
    assert messages[-1].endswith(" s)\n")


@pytest.mark.parametrize("tty", [True, False])
def test_the_command_line_draws_the_bar_in_place_on_a_terminal(monkeypatch, tty):
    from core import cli

    class Stream(io.StringIO):
        def isatty(self):
            return tty

    stream = Stream()
    monkeypatch.setattr("sys.stderr", stream)
    progress = cli._Progress()
    progress("[6/9] crm: installing 1.0")
    progress("\r    crm: demo data [#####...............]  25% deals")
    progress("\r    crm: demo data [##########..........]  50% chatter")
    progress("\r    crm: demo data [####################] 100% done (2.0 s)\n")
    progress("[7/9] sale: installing 1.0")
    if tty:
        assert stream.getvalue() == (
            "[6/9] crm: installing 1.0\n"
            "\r    crm: demo data [#####...............]  25% deals"
            "\r    crm: demo data [##########..........]  50% chatter"
            "\r    crm: demo data [####################] 100% done (2.0 s)\n"
            "[7/9] sale: installing 1.0\n")
    else:
        assert stream.getvalue().splitlines() == [
            "[6/9] crm: installing 1.0",
            "    crm: demo data [#####...............]  25% deals",
            "    crm: demo data [##########..........]  50% chatter",
            "    crm: demo data [####################] 100% done (2.0 s)",
            "[7/9] sale: installing 1.0"]


def test_demo_on_a_new_database_installs_sales_too():
    from types import SimpleNamespace

    from core import cli

    db = SimpleNamespace(addons={"base": 1, "crm": 1, "sale": 1})
    assert cli._first_stage(db) == ["base", "crm"]
    assert cli._first_stage(db, demo=True) == ["base", "crm", "sale"]
