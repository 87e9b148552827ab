"""uom and product on SQLite and PostgreSQL: conversions, variants, HS codes,
price list rules (tiers, dates, formulas, other price lists) and currencies."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import UserError, ValidationError
from core.fields import Command


@pytest.fixture
def env(addon_env):
    return addon_env("product")


@pytest.fixture
def twd_company(env):
    """A company keeping its books in TWD, with USD and EUR rates of its own."""
    twd, usd, eur = (env.ref(f"base.{code}") for code in ("TWD", "USD", "EUR"))
    (twd | usd | eur).write({"active": True})
    company = env["res.company"].create({"name": "Keelung Lighting", "currency_id": twd.id})
    Rate = env["res.currency.rate"]  # noqa: N806
    for currency, rate in ((usd, 0.03125), (eur, 0.028)):
        Rate.create({"currency_id": currency.id, "rate": rate, "name": "2024-01-01",
                     "company_id": company.id})
    Rate.create({"currency_id": usd.id, "rate": 0.032, "name": "2024-07-01",
                 "company_id": company.id})
    return env(context={"allowed_company_ids": [company.id]}), company


def test_uom_conversions(env):
    unit, dozen = env.ref("uom.product_uom_unit"), env.ref("uom.product_uom_dozen")
    carton = env.ref("uom.product_uom_carton48")
    assert dozen._compute_quantity(2, unit) == 24.0
    assert unit._compute_quantity(30, dozen) == 2.5
    assert unit._compute_quantity(50, carton) == 2.0          # rounding 1, UP: two cartons
    assert unit._compute_quantity(50, carton, rounding_method="HALF-UP") == 1.0
    assert unit._compute_price(1.5, dozen) == 18.0
    kg = env.ref("uom.product_uom_kgm")
    with pytest.raises(UserError, match="different categories"):
        unit._compute_quantity(1, kg)
    assert env.ref("uom.product_uom_categ_unit").reference_uom_id == unit


def test_one_reference_unit_per_category(env):
    category = env.ref("uom.product_uom_categ_unit")
    with pytest.raises(ValidationError, match="exactly one reference"):
        env["uom.uom"].create({"name": "Piece", "category_id": category.id,
                               "uom_type": "reference"})


def test_variants_follow_the_attribute_lines(env):
    wattage = env["product.attribute"].create({"name": "Wattage", "value_ids": [
        Command.create({"name": "18 W"}), Command.create({"name": "36 W"}),
        Command.create({"name": "48 W", "default_extra_price": 5.0})]})
    w18, w36, w48 = wattage.value_ids
    panel = env["product.template"].create({
        "name": "LED Panel", "list_price": 40.0, "attribute_line_ids": [Command.create({
            "attribute_id": wattage.id, "value_ids": [Command.set((w36 | w48).ids)]})]})
    assert panel.product_variant_count == 2
    names = sorted(panel.product_variant_ids.mapped("display_name"))
    assert names == ["LED Panel (36 W)", "LED Panel (48 W)"]
    assert sorted(panel.product_variant_ids.mapped("lst_price")) == [40.0, 45.0]
    panel.attribute_line_ids.write({"value_ids": [Command.set((w18 | w36).ids)]})
    assert sorted(panel.product_variant_ids.mapped("display_name")) == \
        ["LED Panel (18 W)", "LED Panel (36 W)"]
    archived = env["product.product"].with_context(active_test=False).search(
        [("product_tmpl_id", "=", panel.id), ("active", "=", False)])
    assert archived.mapped("display_name") == ["LED Panel (48 W)"]


def test_single_variant_fields_and_variant_created_alone(env):
    tube = env["product.template"].create({"name": "Tube", "default_code": "T8",
                                           "standard_price": 2.5, "weight": 0.25})
    variant = tube.product_variant_ids
    assert (variant.default_code, variant.standard_price, variant.weight) == ("T8", 2.5, 0.25)
    tube.barcode = "4710000000017"
    assert variant.barcode == "4710000000017"
    assert env["product.template"].search([("default_code", "=", "T8")]) == tube
    tie = env["product.product"].create({"name": "Cable tie", "list_price": 0.02})
    assert tie.product_tmpl_id.name == "Cable tie"
    assert tie.product_tmpl_id.product_variant_ids == tie


def test_hs_code_is_validated_and_gives_the_rebate_rate(env):
    env["product.hs.code"].create({"code": "8539.52", "name": "LED lamps",
                                   "export_tax_rebate_rate": 13})
    lamp = env["product.template"].create({"name": "Lamp", "hs_code": "8539.52.00 10"})
    assert lamp.hs_code == "8539520010"
    assert lamp.export_tax_rebate_rate == 13.0
    lamp.export_tax_rebate_rate = 9.0                    # may be overridden
    assert lamp.export_tax_rebate_rate == 9.0
    for bad in ("85A9.52", "12345", "123456789012"):
        with pytest.raises(ValidationError, match="not valid"):
            env["product.template"].create({"name": "Bad", "hs_code": bad})


def test_pricelist_tiers_dates_and_formulas(env):
    category = env["product.category"].create({"name": "Lighting"})
    panel = env["product.product"].create({"name": "Panel", "list_price": 50.0,
                                           "standard_price": 30.0, "categ_id": category.id})
    other = env["product.product"].create({"name": "Other", "list_price": 10.0})
    usd = env.ref("base.USD")
    pricelist = env["product.pricelist"].create({"name": "Tiers", "currency_id": usd.id,
                                                 "item_ids": [
        Command.create({"applied_on": "0_product_variant", "product_id": panel.id,
                        "fixed_price": 45.0}),
        Command.create({"applied_on": "0_product_variant", "product_id": panel.id,
                        "min_quantity": 500, "fixed_price": 42.0}),
        Command.create({"applied_on": "0_product_variant", "product_id": panel.id,
                        "min_quantity": 1000, "fixed_price": 39.5,
                        "date_start": dt.datetime(2024, 1, 1),
                        "date_end": dt.datetime(2024, 6, 30, 23, 59, 59)}),
        Command.create({"applied_on": "2_product_category", "categ_id": category.id,
                        "compute_price": "percentage", "percent_price": 10}),
        Command.create({"applied_on": "3_global", "compute_price": "formula",
                        "base": "list_price", "price_discount": 15, "price_round": 0.05,
                        "price_surcharge": 0.02}),
    ]})
    price = pricelist._get_product_price
    june, july = dt.date(2024, 6, 1), dt.date(2024, 7, 1)
    assert price(panel, 1, date=june) == 45.0
    assert price(panel, 499, date=june) == 45.0
    assert price(panel, 500, date=june) == 42.0
    assert price(panel, 1000, date=june) == 39.5
    assert price(panel, 1000, date=july) == 42.0                 # the tier's dates ended
    dozen = env.ref("uom.product_uom_dozen")
    assert price(panel, 50, uom=dozen, date=june) == 42.0 * 12    # 600 units: the 500 tier
    assert price(other, 1, date=june) == 8.52                    # 10 - 15 % = 8.50, + 0.02
    cost_plus = env["product.pricelist"].create({"name": "Cost +25%", "item_ids": [
        Command.create({"compute_price": "formula", "base": "standard_price",
                        "price_discount": -25, "price_min_margin": 10})]})
    assert cost_plus._get_product_price(panel, 1) == 40.0        # 37.5, at least 30 + 10
    based = env["product.pricelist"].create({"name": "Tiers -2%", "currency_id": usd.id,
                                             "item_ids": [Command.create({
        "compute_price": "formula", "base": "pricelist", "base_pricelist_id": pricelist.id,
        "price_discount": 2})]})
    assert based._get_product_price(panel, 500, date=june) == pytest.approx(41.16)
    assert pricelist._get_product_rule(panel, 600, date=june) == pricelist.item_ids[1].id


def test_pricelist_in_its_own_currency(twd_company):
    env, company = twd_company
    usd, eur = env.ref("base.USD"), env.ref("base.EUR")
    panel = env["product.product"].create({"name": "Panel", "list_price": 1350.0,
                                           "company_id": company.id})
    assert panel.currency_id == company.currency_id
    fixed = env["product.pricelist"].create({"name": "USD", "currency_id": usd.id,
                                             "company_id": company.id, "item_ids": [
        Command.create({"fixed_price": 42.0})]})
    percent = env["product.pricelist"].create({"name": "USD -10%", "currency_id": usd.id,
                                               "company_id": company.id, "item_ids": [
        Command.create({"compute_price": "percentage", "percent_price": 10})]})
    day = dt.date(2024, 3, 1)
    # a fixed price is in the price list's currency: never converted through TWD
    assert fixed._get_product_price(panel, 1, date=day) == 42.0
    # a discount on the list price converts the TWD price once: 1350 / 32 * 0.9
    assert percent._get_product_price(panel, 1, date=day) == pytest.approx(37.96875)
    # the rate of the day is used: 1350 * 0.032 * 0.9 in July
    assert percent._get_product_price(panel, 1, date=dt.date(2024, 7, 2)) == \
        pytest.approx(38.88)
    # into another currency: one conversion, USD -> EUR, at the day's rates
    assert fixed._get_product_price(panel, 1, currency=eur, date=day) == \
        pytest.approx(42.0 * 0.028 / 0.03125)


def test_partner_pricelist_by_country_group(env):
    usd_list = env["product.pricelist"].create({"name": "Export USD",
                                                "currency_id": env.ref("base.USD").id})
    europe = env["res.country.group"].create({
        "name": "Europe", "country_ids": [Command.set([env.ref("base.de").id])]})
    eur_list = env["product.pricelist"].create({
        "name": "Europe", "currency_id": env.ref("base.EUR").id,
        "country_group_ids": [Command.set(europe.ids)]})
    german = env["res.partner"].create({"name": "Müller", "country_id": env.ref("base.de").id})
    assert german.property_product_pricelist == eur_list
    german.property_product_pricelist = usd_list
    assert german.specific_property_product_pricelist == usd_list
    contact = env["res.partner"].create({"name": "Hans", "parent_id": german.id})
    assert env["product.pricelist"]._get_partner_pricelist(contact.id) == usd_list
