"""Forecasts and reports against numbers computed by hand, and their query counts.

The company currency is USD; 1 USD = 0.8 EUR, so 8,000 EUR are 10,000 USD.
Stage probabilities: Qualified 25 %, Quotation 50 %, Negotiation 75 %.

    deal  salesperson  team      country  amount      stage        closing
    A     sales1       europe    DE       10,000 USD  Quotation    2026-03-15
    B     sales2       europe    DE        8,000 EUR  Negotiation  2026-03-20
    C     sales3       americas  US        4,000 USD  Qualified    2026-04-02
    D     sales1       europe    DE       20,000 USD  won  2026-02-10 (converted 2026-01-01)
    E     sales3       americas  US        4,000 EUR  won  2026-02-20 (converted 2026-02-10)
    F     sales1       europe    DE        3,000 USD  lost 2026-02-15
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.addons_crm.conftest import set_rate
from tests.fixtures import QueryCounter


@pytest.fixture
def deals(env, users, teams, stages):
    eur = set_rate(env, "EUR", 0.8)
    usd = env.ref("base.USD")
    panels = env["product.category"].create({"name": "LED Panels"})
    tubes = env["product.category"].create({"name": "LED Tubes"})
    de, us = env.ref("base.de").id, env.ref("base.us").id

    def deal(name, user, team, country, currency, amount, stage, deadline=False, line=panels):
        return env["crm.lead"].create({
            "name": name, "user_id": user.id, "team_id": team.id, "country_id": country,
            "currency_id": currency.id, "expected_revenue": amount, "stage_id": stage.id,
            "date_deadline": deadline, "product_categ_id": line.id})

    a = deal("A", users.sales1, teams.europe, de, usd, 10000, stages.quotation, "2026-03-15")
    b = deal("B", users.sales2, teams.europe, de, eur, 8000, stages.negotiation, "2026-03-20")
    c = deal("C", users.sales3, teams.americas, us, usd, 4000, stages.qualified, "2026-04-02",
             line=tubes)
    d = deal("D", users.sales1, teams.europe, de, usd, 20000, stages.quotation)
    e = deal("E", users.sales3, teams.americas, us, eur, 4000, stages.quotation)
    f = deal("F", users.sales1, teams.europe, de, usd, 3000, stages.quotation)
    (d | e).action_set_won()
    f.action_set_lost()
    d.write({"date_conversion": dt.datetime(2026, 1, 1), "date_closed": dt.datetime(2026, 2, 10)})
    e.write({"date_conversion": dt.datetime(2026, 2, 10),
             "date_closed": dt.datetime(2026, 2, 20)})
    f.write({"date_closed": dt.datetime(2026, 2, 15)})
    return dict(A=a, B=b, C=c, D=d, E=e, F=f, panels=panels, tubes=tubes)


def _by_label(rows, *keys):
    return {row["label"]: tuple(row[k] for k in keys) for row in rows}


def test_forecast_by_month_salesperson_team_market_and_product_line(env, deals, teams):
    Report = env["crm.pipeline.report"]  # noqa: N806
    months = Report.forecast("date_deadline:month")
    assert [(r["start"], r["count"], r["expected"], r["weighted"]) for r in months] == [
        ("2026-03-01", 2, 20000.0, 12500.0), ("2026-04-01", 1, 4000.0, 1000.0)]
    assert _by_label(Report.forecast("user_id"), "count", "expected", "weighted") == {
        "Sales1": (1, 10000.0, 5000.0), "Sales2": (1, 10000.0, 7500.0),
        "Sales3": (1, 4000.0, 1000.0)}
    assert _by_label(Report.forecast("team_id"), "expected", "weighted") == {
        "Europe": (20000.0, 12500.0), "Americas": (4000.0, 1000.0)}
    assert _by_label(Report.forecast("market_id"), "weighted") == {
        "Europe": (12500.0,), "North America": (1000.0,)}
    assert _by_label(Report.forecast("product_categ_id"), "expected", "weighted") == {
        deals["panels"].display_name: (20000.0, 12500.0),
        deals["tubes"].display_name: (4000.0, 1000.0)}
    only_europe = Report.forecast("type", [("team_id", "=", teams.europe.id)])
    assert [(r["count"], r["weighted"]) for r in only_europe] == [(2, 12500.0)]


def test_won_revenue_win_rate_and_sales_cycle(env, deals):
    Report = env["crm.pipeline.report"]  # noqa: N806
    feb, mar = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    won = Report.won("date_closed:month", feb, mar)
    assert [(r["start"], r["count"], r["revenue"]) for r in won] == [("2026-02-01", 2, 25000.0)]
    rates = _by_label(Report.win_rate("user_id", feb, mar), "won", "lost", "rate", "cycle",
                      "won_revenue")
    assert rates == {"Sales1": (1, 1, 50.0, 40.0, 20000.0),
                     "Sales3": (1, 0, 100.0, 10.0, 5000.0)}
    markets = _by_label(Report.win_rate("market_id", feb, mar), "won", "lost", "rate", "cycle")
    assert markets == {"Europe": (1, 1, 50.0, 40.0), "North America": (1, 0, 100.0, 10.0)}
    assert Report.win_rate("user_id", mar, dt.date(2026, 4, 1)) == []


def test_pipeline_movement_in_a_period(env, deals, stages):
    deals["A"].stage_id = stages.negotiation
    today = dt.date.today()
    rows = env["crm.pipeline.report"].pipeline_movement(today, today + dt.timedelta(days=1))
    movement = {r["key"]: (r["count"], r["amount"]) for r in rows}
    # six deals entered (A-F), D and E were won, F lost, A moved once more
    assert movement == {"entered": (6, 52000.0), "won": (2, 25000.0), "lost": (1, 3000.0),
                        "moved": (1, 10000.0)}
    by_stage = env["crm.pipeline.report"].pipeline_movement(
        today, today + dt.timedelta(days=1), groupby="stage_id",
        domain=[("kind", "=", "moved")])
    assert [(r["label"], r["count"]) for r in by_stage] == [("Negotiation", 1)]


def test_other_companies_are_converted_into_the_current_companys_currency(env, stages):
    eur = set_rate(env, "EUR", 0.8)
    other = env["res.company"].create({"name": "Brightwave Europe B.V.",
                                       "currency_id": eur.id})
    lead = env["crm.lead"].create({"name": "Dutch deal", "company_id": other.id,
                                   "currency_id": eur.id, "expected_revenue": 1000.0,
                                   "stage_id": stages.quotation.id})
    assert (lead.company_currency, lead.company_expected_revenue) == (eur, 1000.0)
    rows = env["crm.pipeline.report"].forecast("type", [("id", "=", lead.id)])
    assert [(r["expected"], r["weighted"]) for r in rows] == [(1250.0, 625.0)]


def test_the_dashboard_figures(env, deals, users):
    data = env["crm.pipeline.report"].dashboard(today=dt.date(2026, 3, 10))
    assert data["month"]["forecast"] == 12500.0 and data["month"]["expected"] == 20000.0
    assert data["month"]["won"] == 0.0
    months = {m["start"].isoformat(): (m["won"], m["forecast"]) for m in data["months"]}
    assert months["2026-02-01"] == (25000.0, 0.0) and months["2026-04-01"] == (0.0, 1000.0)
    assert len(data["months"]) == 11
    assert [(r["label"], r["revenue"]) for r in data["top_customers"]] == []
    assert _by_label(data["markets"], "revenue") == {"Europe": (20000.0,),
                                                     "North America": (5000.0,)}
    assert data["pipeline"] == {"count": 3, "expected": 24000.0, "weighted": 13500.0}
    mine = env["crm.pipeline.report"].with_user(users.sales1).dashboard(
        [("user_id", "=", users.sales1.id)], today=dt.date(2026, 3, 10))
    assert mine["pipeline"] == {"count": 1, "expected": 10000.0, "weighted": 5000.0}


def test_open_deals_without_an_expected_closing_date(env, deals, stages):
    env["crm.lead"].create({"name": "Someday", "expected_revenue": 1000.0,
                            "stage_id": stages.quotation.id})
    rows = env["crm.pipeline.report"].forecast("date_deadline:month")
    assert (rows[-1]["start"], rows[-1]["label"], rows[-1]["expected"]) == (None, "None", 1000.0)
    data = env["crm.pipeline.report"].dashboard(today=dt.date(2026, 3, 10))
    assert data["pipeline"] == {"count": 4, "expected": 25000.0, "weighted": 14000.0}
    assert sum(month["open_count"] for month in data["months"]) == 3     # not on the axis


def _count(env, func):
    engine = env.transaction.connection.engine
    env.flush_all()
    with QueryCounter(engine) as counter:
        func()
    return counter.count


@pytest.mark.parametrize("report", ["forecast", "won", "win_rate", "movement", "dashboard"])
def test_report_queries_do_not_grow_with_the_deals(env, deals, users, teams, stages, report):
    Report = env["crm.pipeline.report"].with_user(users.all_docs)  # noqa: N806
    calls = {"forecast": lambda: Report.forecast("user_id"),
             "won": lambda: Report.won("market_id"),
             "win_rate": lambda: Report.win_rate("user_id"),
             "movement": lambda: Report.pipeline_movement(),
             "dashboard": lambda: Report.dashboard()}
    call = calls[report]
    stage_ids = [stages.new.id, stages.qualified.id, stages.quotation.id, stages.won.id]
    customer = env["res.partner"].create({"name": "Bulk Buyer", "is_company": True})

    def add(count: int) -> None:
        env["crm.lead"].create([{
            "name": f"Bulk {i}", "user_id": (users.sales1 | users.sales2 | users.sales3)[i % 3].id,
            "team_id": teams.europe.id, "stage_id": stage_ids[i % 4], "partner_id": customer.id,
            "expected_revenue": 100.0 * i, "country_id": env.ref("base.fr").id,
            "date_deadline": f"2026-0{1 + i % 9}-10"} for i in range(count)])

    add(20)                                  # every kind of group exists
    call()                                   # rights, rules and rates are read once
    before = _count(env, call)
    add(200)
    assert _count(env, call) == before
    if report == "dashboard":
        # one query per panel: forecast (months and pipeline), won by month, the year's
        # closed deals (win rates, markets, customers), movement, follow-ups, counts
        assert before <= 20, before          # 17 on both backends
