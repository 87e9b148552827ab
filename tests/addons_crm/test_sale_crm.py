"""sale_crm: quotations from opportunities, their totals on the deal, won on confirmation,
and the orders moved when deals are merged."""

from __future__ import annotations

import pytest

from core.fields import Command
from tests.addons_crm.conftest import make_user, set_rate


@pytest.fixture
def env(addon_env):
    """crm and sale, so sale_crm (auto_install); rolled back after the test."""
    return addon_env("crm", "sale")


@pytest.fixture
def panel(env):
    return env["product.product"].create({"name": "LED Panel 60x60", "list_price": 20.0})


def _quote(lead, product, qty, price):
    action = lead.action_new_quotation()
    order = lead.env["sale.order"].browse(action["res_id"])
    order.write({"order_line": [Command.create({"product_id": product.id,
                                                "product_uom_qty": qty, "price_unit": price})]})
    return order


def test_sale_crm_is_installed_by_itself(env):
    state = env["ir.module.module"].search([("name", "=", "sale_crm")]).state
    assert state == "installed"


def test_a_quotation_from_an_opportunity_creates_the_customer(env, panel):
    lead = env["crm.lead"].create({"name": "Panels for Aurora", "partner_name": "Aurora Oy",
                                   "contact_name": "Mikko", "email_from": "mikko@aurora.example",
                                   "expected_revenue": 999.0})
    action = lead.action_new_quotation()
    order = env["sale.order"].browse(action["res_id"])
    assert (action["res_model"], order.state, order.opportunity_id) == \
        ("sale.order", "draft", lead)
    assert order.partner_id.name == "Aurora Oy" and lead.partner_id.parent_id == order.partner_id
    assert (order.user_id, order.origin) == (lead.user_id, "Panels for Aurora")
    assert lead.expected_revenue == 0.0 and lead.quotation_count == 1   # an empty quotation


def test_a_line_added_in_the_form_keeps_its_typed_price(env, panel):
    """The form posts every column of a new line: a blank unit and description
    follow the product, the price typed stays (the deal's amount follows it)."""
    lead = env["crm.lead"].create({"name": "Aurora", "partner_name": "Aurora Oy"})
    order = env["sale.order"].browse(lead.action_new_quotation()["res_id"])
    order.write({"order_line": [Command.create({
        "product_id": panel.id, "name": False, "product_uom_qty": 250.0,
        "product_uom": False, "price_unit": 19.5, "discount": 0.0})]})
    line = order.order_line
    assert (line.price_unit, line.product_uom, line.name) == \
        (19.5, panel.uom_id, "LED Panel 60x60")
    assert order.amount_untaxed == lead.expected_revenue == 4875.0


def test_quotation_totals_roll_up_and_confirming_wins_the_deal(env, panel, users):
    lead = env["crm.lead"].create({"name": "Deal", "partner_name": "Acme",
                                   "expected_revenue": 5000.0, "user_id": users.sales1.id})
    assert lead.expected_revenue == 5000.0                 # typed: no quotation yet
    first = _quote(lead, panel, 100, 20.0)
    assert lead.expected_revenue == 2000.0
    second = _quote(lead, panel, 50, 20.0)
    assert (lead.expected_revenue, lead.quotation_count) == (3000.0, 2)
    second.action_cancel()
    assert lead.expected_revenue == 2000.0
    first.action_confirm()
    assert first.state == "sale"
    assert (lead.won_status, lead.probability, lead.stage_id.is_won) == ("won", 100.0, True)
    assert (lead.sale_order_count, lead.sale_amount_total, lead.expected_revenue) == \
        (1, 2000.0, 2000.0)
    assert lead.stage_history_ids[0].kind == "won"
    assert env["sale.order"].search(lead.action_view_sale_order()["domain"]) == first


def test_a_quotation_in_another_currency_is_converted_into_the_deals(env, panel):
    eur = set_rate(env, "EUR", 0.8)
    pricelist = env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
    lead = env["crm.lead"].create({"name": "Euro deal", "partner_name": "Lichtwerk"})
    order = _quote(lead, panel, 10, 80.0)
    order.pricelist_id = pricelist
    order.order_line.price_unit = 80.0
    assert order.currency_id == eur and order.amount_untaxed == 800.0
    assert lead.expected_revenue == 1000.0                  # in the deal's currency (USD)
    assert lead.company_expected_revenue == 1000.0


def test_a_salesperson_confirming_wins_a_deal_they_may_not_edit(env, panel, users):
    lead = env["crm.lead"].create({"name": "Colleague's deal", "partner_name": "Globex",
                                   "user_id": users.sales2.id})
    order = _quote(lead, panel, 5, 20.0)
    order.user_id = users.sales1
    order.with_user(users.sales1).action_confirm()
    assert lead.won_status == "won"


def test_customer_revenue_counts_orders_once(env, panel):
    acme = env["res.partner"].create({"name": "Acme", "is_company": True})
    with_order = env["crm.lead"].create({"name": "With order", "partner_id": acme.id})
    _quote(with_order, panel, 10, 100.0).action_confirm()          # 1,000, deal won
    without = env["crm.lead"].create({"name": "Won by hand", "partner_id": acme.id,
                                      "expected_revenue": 300.0})
    without.action_set_won()
    direct = env["sale.order"].create({"partner_id": acme.id, "order_line": [Command.create(
        {"product_id": panel.id, "product_uom_qty": 1, "price_unit": 50.0})]})
    direct.action_confirm()                                        # no opportunity
    acme.invalidate_recordset(["total_revenue"])
    assert acme.total_revenue == 1350.0
    assert acme.sale_order_count == 2
    action = acme.action_view_sale_order()
    assert env["sale.order"].search(action["domain"]).mapped("partner_id") == acme


def test_merging_deals_moves_their_quotations(env, panel, users):
    kept_deal = env["crm.lead"].create({"name": "Kept", "partner_name": "Acme",
                                        "stage_id": env.ref("crm.stage_lead_negotiation").id})
    other = env["crm.lead"].create({"name": "Other", "partner_name": "Acme"})
    order = _quote(other, panel, 10, 10.0)
    kept = (kept_deal | other).merge_opportunity()
    assert kept == kept_deal and order.opportunity_id == kept
    assert kept.expected_revenue == 100.0


def test_the_deal_form_shows_its_quotations(env, users, panel):
    from core.views import get_view

    arch = get_view(env(user=make_user(env, "viewer", "base.group_user",
                                       "sales_team.group_sale_salesman").id),
                    "crm.lead", "form").arch_string()
    assert 'name="action_new_quotation"' in arch and 'name="action_view_sale_order"' in arch
    partner_arch = get_view(env, "res.partner", "form").arch_string()
    assert 'name="action_view_sale_order"' in partner_arch
