"""Campaign ROI: cost, attributed leads and deals, won revenue in the company currency
(EUR and JPY deals converted at given rates), confirmed orders with sale_crm counted
instead of their deal's expected revenue, ROI and cost per lead, access, and a query
count that does not grow with the campaigns."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError, ValidationError
from core.fields import Command
from tests.fixtures import QueryCounter

FIGURES = ["crm_lead_count", "opportunity_count", "won_count", "won_revenue", "order_revenue",
           "revenue", "roi", "cost_per_lead"]


def set_rate(env, code: str, rate: float):
    """``rate`` units of ``code`` for one USD (the company currency), for every company."""
    currency = env.ref(f"base.{code}")
    currency.active = True
    env["res.currency.rate"].create({"currency_id": currency.id, "rate": rate,
                                     "name": "2020-01-01", "company_id": False})
    currency.invalidate_recordset(["rate"])
    return currency


def make_user(env, login: str, *groups: str):
    return env["res.users"].create({
        "name": login.title(), "login": login, "email": f"{login}@troika.example",
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])]})


def figures(campaign) -> dict:
    campaign.invalidate_recordset()
    return {name: campaign[name] for name in FIGURES}


def deal(env, campaign, name, amount=0.0, currency=None, state="open", kind="opportunity"):
    lead = env["crm.lead"].create({
        "name": name, "type": kind, "campaign_id": campaign.id if campaign else False,
        "expected_revenue": amount,
        "currency_id": (currency or env.ref("base.USD")).id})
    if state == "won":
        lead.action_set_won()
    elif state == "lost":
        lead.action_set_lost()
    return lead


@pytest.fixture
def fair(env):
    """Light + Building: cost 10,000 USD; 2 leads (one lost), 4 opportunities: won in EUR
    (8,000 EUR = 10,000 USD) and in JPY (1,500,000 JPY = 10,000 USD), one open, one
    lost."""
    eur, jpy = set_rate(env, "EUR", 0.8), set_rate(env, "JPY", 150.0)
    campaign = env["utm.campaign"].create({"name": "Light + Building 2026", "cost": 10000.0})
    deal(env, campaign, "Lead from the booth", kind="lead")
    deal(env, campaign, "Lead gone cold", kind="lead", state="lost")
    deal(env, campaign, "Lichtwerk panels", 8000.0, eur, state="won")
    deal(env, campaign, "Osaka high bays", 1_500_000.0, jpy, state="won")
    deal(env, campaign, "Open tender", 7777.0)
    deal(env, campaign, "Lost on price", 3000.0, state="lost")
    return campaign


def test_figures_of_a_campaign_are_exact(env, fair):
    assert figures(fair) == {
        "crm_lead_count": 6, "opportunity_count": 4, "won_count": 2,
        "won_revenue": 20000.0, "order_revenue": 0.0, "revenue": 20000.0,
        "roi": 100.0, "cost_per_lead": 1666.67}
    assert fair.currency_id == env.ref("base.USD")


def test_other_campaigns_and_unattributed_leads_stay_apart(env, fair):
    mailing = env["utm.campaign"].create({"name": "High bay mailing", "cost": 500.0})
    free = env["utm.campaign"].create({"name": "Word of mouth"})
    deal(env, mailing, "Reply to the mailing", kind="lead")
    deal(env, free, "Referral", 2500.0, state="won")
    deal(env, None, "Walk-in", 9999.0, state="won")
    assert figures(mailing) == {
        "crm_lead_count": 1, "opportunity_count": 0, "won_count": 0, "won_revenue": 0.0,
        "order_revenue": 0.0, "revenue": 0.0, "roi": -100.0, "cost_per_lead": 500.0}
    # no cost: no ROI and no cost per lead, rather than a division by zero
    assert figures(free) == {
        "crm_lead_count": 1, "opportunity_count": 1, "won_count": 1, "won_revenue": 2500.0,
        "order_revenue": 0.0, "revenue": 2500.0, "roi": 0.0, "cost_per_lead": 0.0}
    assert figures(fair)["crm_lead_count"] == 6


def test_a_campaign_with_nothing_yet(env):
    campaign = env["utm.campaign"].create({"name": "Next year's fair", "cost": 1200.0})
    assert figures(campaign) == {
        "crm_lead_count": 0, "opportunity_count": 0, "won_count": 0, "won_revenue": 0.0,
        "order_revenue": 0.0, "revenue": 0.0, "roi": -100.0, "cost_per_lead": 0.0}


def test_changing_the_figures_moves_the_roi(env, fair):
    fair.cost = 40000.0
    assert (fair.roi, fair.cost_per_lead) == (-50.0, 6666.67)
    open_tender = env["crm.lead"].search([("name", "=", "Open tender")])
    open_tender.action_set_won()                       # + 7,777
    lost = env["crm.lead"].with_context(active_test=False).search(
        [("name", "=", "Lost on price")])
    lost.action_unarchive()
    lost.action_set_won()                              # + 3,000
    values = figures(fair)
    assert (values["won_count"], values["revenue"]) == (4, 30777.0)
    assert values["roi"] == round(100 * (30777.0 - 40000.0) / 40000.0, 1) == -23.1


def test_a_negative_cost_is_refused(env):
    with pytest.raises(ValidationError, match="cannot be negative"):
        env["utm.campaign"].create({"name": "Refund", "cost": -1.0})


def test_figures_in_the_campaigns_company_currency(env):
    """A campaign of a EUR company: USD deals of the main company are converted into
    EUR (at 0.8), and the report's totals back into USD."""
    eur = set_rate(env, "EUR", 0.8)
    europe = env["res.company"].create({"name": "Brightwave Europe B.V.", "currency_id": eur.id})
    env.user.company_ids = [Command.link(europe.id)]
    campaign = env["utm.campaign"].create({"name": "Dutch fair", "company_id": europe.id,
                                           "cost": 800.0})
    deal(env, campaign, "From Rotterdam", 2500.0, state="won")       # USD, main company
    dutch = env["crm.lead"].create({"name": "From Utrecht", "company_id": europe.id,
                                    "currency_id": eur.id, "expected_revenue": 400.0,
                                    "campaign_id": campaign.id})
    dutch.action_set_won()
    assert campaign.currency_id == eur
    values = figures(campaign)
    assert (values["won_revenue"], values["revenue"]) == (2400.0, 2400.0)   # 2,000 + 400
    assert (values["roi"], values["cost_per_lead"]) == (200.0, 400.0)
    report = env["utm.campaign"].roi_report([("id", "=", campaign.id)])
    assert report["currency"] == env.ref("base.USD")
    assert report["totals"] == {"cost": 1000.0, "won_revenue": 3000.0, "order_revenue": 0.0,
                                "revenue": 3000.0, "leads": 2, "opportunities": 2, "won": 2,
                                "roi": 200.0, "cost_per_lead": 500.0, "count": 1}


def test_deals_of_companies_the_user_does_not_work_in_are_left_out(env, fair):
    other = env["res.company"].create({"name": "Other Co"})
    secret = env["crm.lead"].create({"name": "Other company's deal", "company_id": other.id,
                                     "campaign_id": fair.id, "expected_revenue": 5000.0})
    secret.action_set_won()
    marketer = make_user(env, "marketer", "base.group_user",
                         "crm_marketing.group_mass_mailing_user")
    assert other not in marketer.company_ids
    mine = fair.with_user(marketer)
    assert (mine.crm_lead_count, mine.revenue) == (6, 20000.0)
    env.user.company_ids = [Command.link(other.id)]
    assert figures(fair)["crm_lead_count"] == 7


def test_report_rows_and_totals(env, fair):
    mailing = env["utm.campaign"].create({"name": "High bay mailing", "cost": 2000.0})
    deal(env, mailing, "Reply", kind="lead")
    deal(env, mailing, "Order from the mailing", 1000.0, state="won")
    report = env["utm.campaign"].roi_report([("id", "in", [fair.id, mailing.id])])
    rows = {row["name"]: row for row in report["rows"]}
    assert rows["High bay mailing"] == {
        "id": mailing.id, "name": "High bay mailing", "cost": 2000.0, "leads": 2,
        "opportunities": 1, "won": 1, "won_revenue": 1000.0, "order_revenue": 0.0,
        "revenue": 1000.0, "roi": -50.0, "cost_per_lead": 1000.0}
    assert rows["Light + Building 2026"]["revenue"] == 20000.0
    assert report["totals"] == {"cost": 12000.0, "won_revenue": 21000.0, "order_revenue": 0.0,
                                "revenue": 21000.0, "leads": 8, "opportunities": 5, "won": 3,
                                "roi": 75.0, "cost_per_lead": 1500.0, "count": 2}


def test_marketing_staff_and_sales_managers_see_costs_others_do_not(env, fair):
    marketer = make_user(env, "marketer", "base.group_user",
                         "crm_marketing.group_mass_mailing_user")
    manager = make_user(env, "boss", "base.group_user", "sales_team.group_sale_manager")
    seller = make_user(env, "seller", "base.group_user", "sales_team.group_sale_salesman")
    for user in (marketer, manager):
        campaign = fair.with_user(user)
        assert (campaign.cost, campaign.revenue, campaign.roi) == (10000.0, 20000.0, 100.0)
        assert env["utm.campaign"].with_user(user).roi_report(
            [("id", "=", fair.id)])["totals"]["revenue"] == 20000.0
    # the marketer may not read the deals themselves, only the campaign's totals
    with pytest.raises(AccessError):
        env["crm.lead"].with_user(marketer).search([])
    with pytest.raises(AccessError):
        fair.with_user(seller).read(["cost"])
    with pytest.raises(AccessError):
        fair.with_user(seller).write({"cost": 1.0})
    with pytest.raises(AccessError, match="marketing staff and sales managers"):
        env["utm.campaign"].with_user(seller).roi_report()
    assert fair.with_user(seller).read(["name"])[0]["name"] == "Light + Building 2026"


def test_the_leads_button_shows_lost_ones_too(env, fair):
    action = fair.action_view_leads()
    assert action["res_model"] == "crm.lead"
    assert env["crm.lead"].search_count(action["domain"]) == 6
    assert env["crm.lead"].search_count(fair.action_view_opportunities()["domain"]) == 4


def _count(env, func) -> int:
    env.flush_all()
    env.invalidate_all()
    with QueryCounter(env.transaction.connection.engine) as counter:
        func()
    return counter.count


def test_query_count_does_not_grow_with_the_campaigns(env, fair):
    eur = env.ref("base.EUR")

    def campaigns(count: int):
        made = env["utm.campaign"].create([{"name": f"Campaign {i}", "cost": 100.0 * (i + 1)}
                                           for i in range(count)])
        for campaign in made:
            deal(env, campaign, f"{campaign.name} lead", kind="lead")
            deal(env, campaign, f"{campaign.name} deal", 800.0, eur, state="won")
        return made

    few, many = campaigns(2) | fair, campaigns(25) | fair

    def read_all(records):
        return lambda: records.read(FIGURES)

    small = _count(env, read_all(few))
    large = _count(env, read_all(many))
    assert large == small, (small, large)
    assert small <= 6, small
    report_small = _count(env, lambda: env["utm.campaign"].roi_report([("id", "in", few.ids)]))
    report_large = _count(env, lambda: env["utm.campaign"].roi_report(
        [("id", "in", many.ids)]))
    assert report_large == report_small, (report_small, report_large)
    rows = env["utm.campaign"].roi_report([("id", "in", many.ids)])["rows"]
    assert {row["revenue"] for row in rows if row["id"] != fair.id} == {1000.0}


# -- with sale_crm: confirmed orders ----------------------------------------------------


@pytest.fixture
def sale_env(addon_env):
    """crm_marketing with sale (so sale_crm, auto_install)."""
    return addon_env("crm_marketing", "sale")


def _quote(lead, product, qty, price, pricelist=None):
    order = lead.env["sale.order"].browse(lead.action_new_quotation()["res_id"])
    if pricelist:
        order.pricelist_id = pricelist
    order.write({"order_line": [Command.create({"product_id": product.id,
                                                "product_uom_qty": qty, "price_unit": price})]})
    return order


def test_confirmed_orders_replace_their_deals_expected_revenue(sale_env):
    env = sale_env
    assert env["ir.module.module"].search([("name", "=", "sale_crm")]).state == "installed"
    eur = set_rate(env, "EUR", 0.8)
    euros = env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
    panel = env["product.product"].create({"name": "LED Panel 60x60", "list_price": 20.0})
    fair = env["utm.campaign"].create({"name": "Light + Building 2026", "cost": 5000.0})

    def lead(name, amount=0.0):
        return env["crm.lead"].create({"name": name, "partner_name": f"{name} GmbH",
                                       "campaign_id": fair.id, "expected_revenue": amount})

    by_order = lead("Won by its order", 9999.0)
    _quote(by_order, panel, 100, 20.0).action_confirm()          # 2,000, wins the deal
    assert (by_order.won_status, by_order.expected_revenue) == ("won", 2000.0)
    two_orders = lead("Two orders in EUR")
    first = _quote(two_orders, panel, 50, 16.0, euros)           # 800 EUR = 1,000 USD
    second = _quote(two_orders, panel, 25, 16.0, euros)          # 400 EUR = 500 USD
    first.action_confirm()
    second.action_confirm()
    by_hand = lead("Won by hand", 3000.0)
    by_hand.action_set_won()                                     # no order: 3,000
    quoted = lead("Won with a quotation only")
    _quote(quoted, panel, 10, 40.0)                              # draft: 400
    quoted.action_set_won()
    lost_after = lead("Order confirmed, deal lost later")
    _quote(lost_after, panel, 5, 20.0).action_confirm()          # 100, the order stands
    lost_after.action_set_lost()
    lead("Still open", 50000.0)
    other = env["utm.campaign"].create({"name": "Other"})
    outside = env["crm.lead"].create({"name": "Other campaign", "partner_name": "X",
                                      "campaign_id": other.id})
    _quote(outside, panel, 10, 10.0).action_confirm()
    # orders: 2,000 + 1,000 + 500 + 100; won deals without a confirmed order: 3,000 + 400
    assert figures(fair) == {
        "crm_lead_count": 6, "opportunity_count": 6, "won_count": 4, "won_revenue": 3400.0,
        "order_revenue": 3600.0, "revenue": 7000.0, "roi": 40.0, "cost_per_lead": 833.33}
    assert figures(other)["order_revenue"] == 100.0
