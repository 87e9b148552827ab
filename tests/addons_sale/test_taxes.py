"""account_base's taxes on SQLite and PostgreSQL: exact totals to the currency's
decimals, per line and globally; fiscal positions; payment terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addons.account_base.tools import TaxSpec, compute_all, document_totals
from core.exceptions import ValidationError
from core.fields import Command


@pytest.fixture
def env(addon_env):
    return addon_env("account_base")


def tax(env, name, amount, **values):
    return env["account.tax"].create({"name": name, "amount": amount, **values})


def totals(env, taxes, lines, currency, per_line=True):
    """The document totals of (price, quantity) lines with these taxes."""
    results = [taxes._compute_decimal(price, currency, qty, round_per_line=per_line)
               for price, qty in lines]
    return document_totals(results, Decimal(str(currency.rounding)))


def test_three_lines_at_33_33_percent(env):
    usd = env.ref("base.USD")
    odd = tax(env, "Odd 33.33%", 33.33)
    per_line = totals(env, odd, [(1.0, 1)] * 3, usd, per_line=True)
    assert (per_line.amount_untaxed, per_line.amount_tax, per_line.amount_total) == \
        (Decimal("3.00"), Decimal("0.99"), Decimal("3.99"))
    globally = totals(env, odd, [(1.0, 1)] * 3, usd, per_line=False)
    assert (globally.amount_untaxed, globally.amount_tax, globally.amount_total) == \
        (Decimal("3.00"), Decimal("1.00"), Decimal("4.00"))


def test_jpy_has_no_decimals(env):
    jpy = env.ref("base.JPY")
    assert jpy.decimal_places == 0
    consumption = tax(env, "JP 10%", 10)
    per_line = totals(env, consumption, [(1234, 1)] * 3, jpy, per_line=True)
    assert (per_line.amount_tax, per_line.amount_total) == (Decimal("369"), Decimal("4071"))
    globally = totals(env, consumption, [(1234, 1)] * 3, jpy, per_line=False)
    assert (globally.amount_tax, globally.amount_total) == (Decimal("370"), Decimal("4072"))
    result = consumption.compute_all(333.5, currency=jpy, quantity=1)
    assert (result["total_excluded"], result["total_included"]) == (334.0, 367.0)


def test_price_included_tax(env):
    eur = env.ref("base.EUR")
    vat = tax(env, "VAT 21% incl.", 21, price_include=True)
    result = vat.compute_all(100.0, currency=eur)
    assert (result["total_excluded"], result["taxes"][0]["amount"],
            result["total_included"]) == (82.64, 17.36, 100.0)
    per_line = totals(env, vat, [(100.0, 1)] * 3, eur, per_line=True)
    assert (per_line.amount_untaxed, per_line.amount_tax, per_line.amount_total) == \
        (Decimal("247.92"), Decimal("52.08"), Decimal("300.00"))
    globally = totals(env, vat, [(100.0, 1)] * 3, eur, per_line=False)
    assert (globally.amount_untaxed, globally.amount_tax, globally.amount_total) == \
        (Decimal("247.93"), Decimal("52.07"), Decimal("300.00"))


def test_several_taxes_on_a_line(env):
    usd = env.ref("base.USD")
    first = tax(env, "Excise 10%", 10, include_base_amount=True, sequence=1)
    levy = tax(env, "Levy", 2, amount_type="fixed", sequence=2)
    vat = tax(env, "VAT 5%", 5, sequence=3)
    result = (vat | levy | first).compute_all(100.0, currency=usd, quantity=1)
    assert [t["amount"] for t in result["taxes"]] == [10.0, 2.0, 5.5]   # in sequence
    assert result["total_included"] == 117.5
    assert (levy.compute_all(10.0, currency=usd, quantity=3)["total_included"]) == 36.0
    group = tax(env, "Group", 0, amount_type="group",
                children_tax_ids=[Command.set((first | vat).ids)])
    assert group.compute_all(100.0, currency=usd)["total_included"] == 115.5
    division = tax(env, "Division 10%", 10, amount_type="division")
    assert division.compute_all(90.0, currency=usd)["total_included"] == 100.0


def test_included_taxes_add_up_to_the_price(env):
    included = [TaxSpec(1, "A", "percent", Decimal("7"), price_include=True),
                TaxSpec(2, "B", "percent", Decimal("3.5"), price_include=True),
                TaxSpec(3, "C", "fixed", Decimal("0.13"), price_include=True)]
    for cents in range(1000, 1400, 7):
        price = Decimal(cents) / 100
        result = compute_all(included, price, Decimal(3), Decimal("0.01"))
        assert result.total_included == price * 3
        assert result.total_excluded + sum(t.amount for t in result.taxes) == price * 3


def test_company_setting_drives_the_rounding(env):
    usd = env.ref("base.USD")
    odd = tax(env, "Odd 33.33%", 33.33)
    assert odd.compute_all(1.0, currency=usd)["total_included"] == 1.33
    odd.company_id.tax_calculation_rounding_method = "round_globally"
    assert odd.compute_all(1.0, currency=usd)["taxes"][0]["amount"] == 0.3333


def test_division_rate_is_checked(env):
    with pytest.raises(ValidationError):
        tax(env, "Bad", 100, amount_type="division")


def test_fiscal_position_by_country(env):
    company = env.company
    vat5, vat0 = tax(env, "VAT 5%", 5), tax(env, "VAT 0%", 0)
    Position = env["account.fiscal.position"]  # noqa: N806
    Position.search([]).write({"active": False})
    domestic = Position.create({"name": "Domestic", "auto_apply": True,
                                "country_id": env.ref("base.tw").id, "sequence": 5})
    export = Position.create({"name": "Export", "auto_apply": True, "sequence": 10,
                              "tax_ids": [Command.create({"tax_src_id": vat5.id,
                                                          "tax_dest_id": vat0.id})]})
    europe = env["res.country.group"].create({"name": "EU", "country_ids": [
        Command.set([env.ref("base.de").id, env.ref("base.fr").id])]})
    eu = Position.create({"name": "EU", "auto_apply": True, "sequence": 20,
                          "country_group_id": europe.id, "vat_required": True})
    partner = env["res.partner"].create
    tw = partner({"name": "台北", "country_id": env.ref("base.tw").id})
    us = partner({"name": "US", "country_id": env.ref("base.us").id})
    de = partner({"name": "DE", "country_id": env.ref("base.de").id, "vat": "DE1"})
    de_no_vat = partner({"name": "DE2", "country_id": env.ref("base.de").id})
    assert Position._get_fiscal_position(tw) == domestic
    assert Position._get_fiscal_position(us) == export
    assert Position._get_fiscal_position(de) == eu                 # a group beats no country
    assert Position._get_fiscal_position(de_no_vat) == export      # eu needs a tax id
    assert export.map_tax(vat5) == vat0 and domestic.map_tax(vat5) == vat5
    us.property_account_position_id = domestic
    assert Position._get_fiscal_position(us) == domestic
    assert company == export.company_id


def test_payment_terms_deposit_and_balance_against_bl(env):
    terms = env.ref("account_base.account_payment_term_30_deposit_70_bl")
    usd = env.ref("base.USD")
    installments = terms.compute(10000.01, currency=usd, date_ref=dt.date(2024, 6, 3),
                                 event_dates={"shipment": dt.date(2024, 7, 15)})
    assert [(i["date"], i["amount"], i["event"]) for i in installments] == [
        (dt.date(2024, 6, 3), 3000.0, "order"), (dt.date(2024, 7, 15), 7000.01, "shipment")]
    eom = env.ref("account_base.account_payment_term_end_following_month")
    assert eom.compute(100.0, usd, dt.date(2024, 1, 15))[0]["date"] == dt.date(2024, 2, 29)
    with pytest.raises(ValidationError, match="add up to 100"):
        env["account.payment.term"].create({"name": "Bad", "line_ids": [
            Command.create({"value": "percent", "value_amount": 30})]})


def test_incoterms_2020_are_there(env):
    codes = env["account.incoterms"].search([]).mapped("code")
    assert sorted(codes) == sorted(["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS",
                                    "FOB", "CFR", "CIF"])
    assert env.ref("account_base.incoterm_FOB").display_name == "FOB - Free On Board"
