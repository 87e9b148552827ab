"""Quotations and orders on SQLite and PostgreSQL: price list tiers and currencies,
fiscal positions, exact totals, the workflow with the discount approval, revisions,
locking, salespeople's shares and the analysis in company currency."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError, UserError, ValidationError
from core.fields import Command


def test_quotation_takes_the_customer_terms_and_tier_prices(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600), (trade.tube, 480)])
    assert order.name.startswith("S")
    assert order.pricelist_id == trade.pricelist and order.currency_id == trade.usd
    assert order.fiscal_position_id == trade.export
    assert order.payment_term_id.name.startswith("30% Deposit")
    assert order.team_id == trade.team and order.state == "draft"
    panel_line, tube_line = order.order_line
    assert panel_line.price_unit == 42.0                        # the 500 tier, in USD
    assert panel_line.tax_id == trade.vat0                      # zero-rated export
    assert tube_line.price_unit == pytest.approx(3.75)          # TWD 120 at 32
    panel_line.product_uom_qty = 1200
    assert panel_line.price_unit == 39.5                        # the next tier
    panel_line.product_uom_qty = 10
    assert panel_line.price_unit == 45.0
    assert order.amount_untaxed == 10 * 45.0 + 480 * 3.75
    assert order.currency_rate == pytest.approx(1 / 32)
    assert order.amount_total_company == pytest.approx(order.amount_total * 32)


def test_a_price_written_by_hand_is_kept(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600, {"price_unit": 40.0})])
    assert order.order_line.price_unit == 40.0
    order.order_line.write({"price_unit": 41.0})
    assert order.order_line.price_unit == 41.0


def test_order_in_another_currency_converts_once(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)], currency_id=trade.eur.id)
    assert order.pricelist_id.currency_id == trade.usd
    # USD 42 -> EUR at the order date: 42 * (1/35) / (1/32)
    assert order.order_line.price_unit == pytest.approx(42 * 32 / 35, abs=1e-4)
    assert order.currency_rate == pytest.approx(1 / 35)


def test_domestic_order_in_twd_with_vat(trade):
    order = trade.order(trade.taipei, [(trade.tube, 3)])
    assert order.currency_id == trade.twd and order.fiscal_position_id.name == "Domestic"
    assert order.order_line.tax_id == trade.vat5
    assert (order.amount_untaxed, order.amount_tax, order.amount_total) == (360.0, 18.0, 378.0)
    assert order.amount_total_company == 378.0


def test_totals_round_per_line_or_globally(trade):
    odd = trade.env["account.tax"].create({"name": "Odd", "amount": 33.33,
                                           "company_id": trade.company.id})
    lines = [(trade.tube, 1, {"price_unit": 1.0, "tax_id": [Command.set(odd.ids)]})] * 3
    order = trade.order(trade.taipei, lines)
    assert (order.amount_untaxed, order.amount_tax, order.amount_total) == (3.0, 0.99, 3.99)
    trade.company.tax_calculation_rounding_method = "round_globally"
    order = trade.order(trade.taipei, lines)
    assert (order.amount_untaxed, order.amount_tax, order.amount_total) == (3.0, 1.0, 4.0)
    assert order.tax_totals["taxes"][0]["amount"] == 1.0


def test_jpy_order_has_whole_yen(trade):
    yen = trade.env["product.pricelist"].create({"name": "JPY", "currency_id": trade.jpy.id,
                                                 "company_id": trade.company.id})
    order = trade.order(trade.taipei, [(trade.tube, 3)], pricelist_id=yen.id)
    assert order.currency_id == trade.jpy
    assert order.order_line.price_unit == 562.5                 # TWD 120 * 4.6875
    # 3 x 562.5 = 1687.5 -> 1688, VAT 5 % = 84.4 -> 84
    assert (order.amount_untaxed, order.amount_tax, order.amount_total) == (1688.0, 84.0, 1772.0)


def test_sections_notes_and_margin(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)])
    order.write({"order_line": [
        Command.create({"display_type": "line_section", "name": "Panels", "sequence": 1}),
        Command.create({"display_type": "line_note", "name": "One 20 ft container"})]})
    assert len(order.order_line) == 3 and order.amount_untaxed == 25200.0
    panel = order.order_line.filtered("product_id")
    assert panel.purchase_price == pytest.approx(30.0)           # TWD 960 at 32
    assert panel.margin == pytest.approx(600 * 12.0)
    assert order.margin == pytest.approx(7200.0)
    with pytest.raises(ValidationError):
        order.order_line.create({"order_id": order.id, "name": "No product"})


def test_salespeople_shares_add_up_to_100(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)])
    order.write({"salesperson_ids": [Command.create({"user_id": trade.salesman.id, "share": 60}),
                                     Command.create({"user_id": trade.leader.id, "share": 40})]})
    amounts = sorted(order.salesperson_ids.mapped("amount_company"))
    assert amounts == [pytest.approx(25200 * 32 * 0.4), pytest.approx(25200 * 32 * 0.6)]
    with pytest.raises(ValidationError, match="add up to 90"):
        order.salesperson_ids[0].share = 50
    # a salesperson sharing the order sees it
    shared = trade.order(trade.mueller, [(trade.tube, 1)], user=trade.leader)
    assert not trade.env["sale.order"].with_user(trade.salesman).search(
        [("id", "=", shared.id)])
    shared.write({"salesperson_ids": [Command.create({"user_id": trade.salesman.id,
                                                      "share": 100})]})
    assert trade.env["sale.order"].with_user(trade.salesman).search([("id", "=", shared.id)])


def test_workflow_sent_negotiation_confirmed_and_locked(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)], user=trade.salesman)
    mine = order.with_user(trade.salesman)
    mine.action_quotation_sent()
    mine.action_negotiate()
    assert order.state == "negotiation"
    mine.action_confirm()
    assert order.state == "sale" and order.locked
    with pytest.raises(UserError, match="locked"):
        mine.write({"incoterm_location": "Taipei"})
    with pytest.raises(UserError, match="cannot change"):
        mine.order_line.write({"product_uom_qty": 1})
    with pytest.raises(UserError):
        mine.action_unlock()
    order.with_user(trade.admin).action_unlock()
    assert not order.locked
    history = trade.env["ir.workflow.history"].search(
        [("model", "=", "sale.order"), ("res_id", "=", order.id)], order="id")
    assert history.mapped("to_state") == ["sent", "negotiation", "sale"]
    with pytest.raises(AccessError):
        mine.write({"state": "draft"})


def test_discount_over_the_threshold_needs_the_team_leader(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600, {"discount": 15})],
                        user=trade.salesman)
    assert order.discount_approval_required and order.discount_approver_id == trade.leader
    assert order.max_discount == 15.0
    mine = order.with_user(trade.salesman)
    assert [b["trigger"] for b in mine.workflow_buttons()] == \
        ["action_quotation_sent", "action_cancel"]
    with pytest.raises(AccessError, match="only the approver"):
        mine.action_confirm()
    assert order.state == "draft"
    mine.action_request_approval()
    activity = trade.env["mail.activity"].search([("res_model", "=", "sale.order"),
                                                  ("res_id", "=", order.id)])
    assert activity.user_id == trade.leader
    order.with_user(trade.leader).action_confirm()
    assert order.state == "sale"
    approval = trade.env["ir.workflow.history"].search(
        [("model", "=", "sale.order"), ("res_id", "=", order.id), ("to_state", "=", "sale")])
    assert approval.approver_ids == trade.leader


def test_small_discount_needs_no_approval_and_no_leader_means_an_admin(trade):
    small = trade.order(trade.mueller, [(trade.panel36, 600, {"discount": 10})],
                        user=trade.salesman)
    assert not small.discount_approval_required
    small.with_user(trade.salesman).action_confirm()
    assert small.state == "sale"
    trade.team.user_id = False
    big = trade.order(trade.mueller, [(trade.panel36, 600, {"discount": 20})],
                      user=trade.salesman)
    assert big.discount_approval_required and not big.discount_approver_id
    with pytest.raises(AccessError):
        big.with_user(trade.salesman).action_confirm()
    big.with_user(trade.admin).action_confirm()
    assert big.state == "sale"


def test_revisions_keep_the_history(trade):
    order = trade.order(trade.mueller, [(trade.panel36, 600)], user=trade.salesman,
                        incoterm_location="Keelung")
    mine = order.with_user(trade.salesman)
    mine.action_quotation_sent()
    action = mine.action_revise()
    first = trade.env["sale.order"].browse(action["res_id"])
    assert first.name == f"{order.name}-01" and first.revision_number == 1
    assert first.state == "draft" and first.incoterm_location == "Keelung"
    assert first.order_line.price_unit == 42.0 and first.order_line.product_uom_qty == 600
    assert (order.state, order.active, order.locked) == ("cancel", False, True)
    assert order.current_revision_id == first
    first.with_user(trade.salesman).order_line.write({"product_uom_qty": 1000})
    second = trade.env["sale.order"].browse(
        first.with_user(trade.salesman).action_revise()["res_id"])
    assert second.name == f"{order.name}-02"
    assert second.with_context(active_test=False).old_revision_ids == order | first
    assert second.revision_count == 2
    assert second.order_line.price_unit == 39.5
    assert trade.env["sale.order"].search([("unrevisioned_name", "=", order.name)]) == second
    with pytest.raises(UserError, match="Only an open quotation"):
        order.action_revise()


def test_analysis_in_company_currency(trade):
    first = trade.order(trade.mueller, [(trade.panel36, 600)])
    second = trade.order(trade.taipei, [(trade.tube, 10)])
    (first | second).action_confirm()
    groups = trade.env["sale.order.line"].read_group(
        [("state", "=", "sale"), ("company_id", "=", trade.company.id)],
        ["price_subtotal_company:sum"], ["country_id"])
    by_country = {g["country_id"][1]: g["price_subtotal_company"] for g in groups}
    assert by_country[trade.env.ref("base.de").name] == pytest.approx(25200 * 32)
    assert by_country[trade.env.ref("base.tw").name] == pytest.approx(1200.0)
    months = trade.env["sale.order.line"].read_group(
        [("company_id", "=", trade.company.id)], ["price_subtotal_company:sum"],
        ["date_order:month"])
    assert months[0]["price_subtotal_company"] == pytest.approx(25200 * 32 + 1200)
