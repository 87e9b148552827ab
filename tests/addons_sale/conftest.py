"""Fixtures of the sale tests: a TWD company exporting in USD, its users, customers
and products.

    def test_x(trade):
        order = trade.order(trade.mueller, [(trade.panel36, 600)])
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from core.fields import Command

ORDER_DATE = dt.datetime(2024, 3, 1, 9, 0)


@pytest.fixture
def env(addon_env):
    """A superuser environment with sale installed (rolled back after the test)."""
    return addon_env("sale")


def make_user(env, login, company, *groups):
    return env["res.users"].create({
        "name": login.replace("_", " ").title(), "login": login, "email": f"{login}@example.com",
        "company_id": company.id, "company_ids": [Command.set([company.id])],
        "groups_id": [Command.set([env.ref(g).id for g in groups])]})


@pytest.fixture
def trade(env):
    """Keelung Lighting (TWD): USD 1 = TWD 32 (then 31.25 from July), EUR 1 = TWD 35;
    VAT 5% zero-rated for export; a USD price list with tiers; a salesperson whose
    team leader approves discounts above 10 %."""
    twd, usd, eur, jpy = (env.ref(f"base.{c}") for c in ("TWD", "USD", "EUR", "JPY"))
    (twd | usd | eur | jpy).write({"active": True})
    company = env["res.company"].create({
        "name": "Keelung Lighting Co., Ltd.", "currency_id": twd.id,
        "country_id": env.ref("base.tw").id, "city": "Keelung", "vat": "12345678",
        "sale_discount_approval_threshold": 10.0, "quotation_validity_days": 30})
    Rate = env["res.currency.rate"]  # noqa: N806
    for currency, rate, day in ((usd, 1 / 32, "2024-01-01"), (usd, 0.032, "2024-07-01"),
                                (eur, 1 / 35, "2024-01-01"), (jpy, 4.6875, "2024-01-01")):
        Rate.create({"currency_id": currency.id, "rate": rate, "name": day,
                     "company_id": company.id})
    cenv = env(context={"allowed_company_ids": [company.id]})
    vat5 = cenv["account.tax"].create({"name": "VAT 5%", "amount": 5, "company_id": company.id})
    vat0 = cenv["account.tax"].create({"name": "VAT 0%", "amount": 0, "company_id": company.id})
    Position = cenv["account.fiscal.position"]  # noqa: N806
    Position.create({"name": "Domestic", "auto_apply": True, "company_id": company.id,
                     "country_id": env.ref("base.tw").id, "sequence": 1})
    export = Position.create({"name": "Export", "auto_apply": True, "company_id": company.id,
                              "sequence": 10, "tax_ids": [Command.create({
                                  "tax_src_id": vat5.id, "tax_dest_id": vat0.id})]})
    salesman = make_user(cenv, "salesman", company, "sales_team.group_sale_salesman")
    leader = make_user(cenv, "leader", company, "sales_team.group_sale_salesman_all_leads")
    admin = make_user(cenv, "sales_admin", company, "sales_team.group_sale_manager")
    team = cenv["crm.team"].create({"name": "Export Europe", "company_id": company.id,
                                    "user_id": leader.id,
                                    "member_ids": [Command.set(salesman.ids)]})
    wattage = cenv["product.attribute"].create({"name": "Wattage", "value_ids": [
        Command.create({"name": "36 W"}), Command.create({"name": "48 W"})]})
    panel = cenv["product.template"].create({
        "name": "LED Panel 60x60", "list_price": 1350.0, "company_id": company.id,
        "taxes_id": [Command.set(vat5.ids)], "hs_code": "9405.42.00",
        "attribute_line_ids": [Command.create({
            "attribute_id": wattage.id, "value_ids": [Command.set(wattage.value_ids.ids)]})]})
    panel36, panel48 = panel.product_variant_ids.sorted("id")
    panel36.standard_price = 960.0                               # TWD: USD 30 in March
    tube = cenv["product.product"].create({"name": "LED Tube T8", "list_price": 120.0,
                                           "company_id": company.id, "default_code": "T8",
                                           "taxes_id": [Command.set(vat5.ids)]})
    pricelist = cenv["product.pricelist"].create({
        "name": "Export USD", "currency_id": usd.id, "company_id": company.id, "item_ids": [
            Command.create({"applied_on": "1_product", "product_tmpl_id": panel.id,
                            "fixed_price": 45.0}),
            Command.create({"applied_on": "1_product", "product_tmpl_id": panel.id,
                            "min_quantity": 500, "fixed_price": 42.0}),
            Command.create({"applied_on": "1_product", "product_tmpl_id": panel.id,
                            "min_quantity": 1000, "fixed_price": 39.5})]})
    partner = cenv["res.partner"].create
    mueller = partner({"name": "Müller Lichttechnik GmbH", "is_company": True,
                       "country_id": env.ref("base.de").id, "email": "einkauf@mueller.example",
                       "lang": "en_US", "specific_property_product_pricelist": pricelist.id,
                       "property_payment_term_id":
                           env.ref("account_base.account_payment_term_30_deposit_70_bl").id})
    twd_list = cenv["product.pricelist"].create({"name": "Domestic TWD", "currency_id": twd.id,
                                                 "company_id": company.id})
    taipei = partner({"name": "台北燈飾股份有限公司", "is_company": True, "lang": "zh_TW",
                      "country_id": env.ref("base.tw").id, "email": "buy@taipei.example",
                      "specific_property_product_pricelist": twd_list.id})

    def order(customer, lines, user=None, **values):
        Order = cenv["sale.order"].with_user(user) if user else cenv["sale.order"]  # noqa: N806
        return Order.create({
            "partner_id": customer.id, "company_id": company.id, "date_order": ORDER_DATE,
            "user_id": (user or salesman).id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty,
                                           **extra}) for product, qty, *rest in lines
                           for extra in [rest[0] if rest else {}]],
            **values})

    return SimpleNamespace(env=cenv, company=company, twd=twd, usd=usd, eur=eur, jpy=jpy,
                           vat5=vat5, vat0=vat0, export=export, salesman=salesman,
                           leader=leader, admin=admin, team=team, panel=panel,
                           panel36=panel36, panel48=panel48, tube=tube, pricelist=pricelist,
                           twd_list=twd_list,
                           mueller=mueller, taipei=taipei, order=order)
