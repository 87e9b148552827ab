"""The demo company's quotations, made from the demo deals with a fixed seed.

    plan = quotation_plan(env, seed=42)  # sale.order values, nothing written
    generate_quotations(env, seed=42)    # sale_crm/demo/sale_crm_demo.xml calls it

200 quotations in the deals' currencies (USD, EUR on the Export EUR price
list, JPY on the Export JPY one): drafts and sent quotations for deals in
the Quotation stage, quotations under negotiation for deals in Negotiation,
confirmed orders for recently won deals and cancelled quotations of lost
ones. Each quotes the deal's product line for about the deal's amount,
FOB Keelung or Kaohsiung, CIF or DAP to the customer's port; a fifth add
spare parts free of charge. The deals' expected revenue then follows their
quotations (models/crm_lead.py). The deals are taken in the order of their
names, so that the same seed gives the same quotations.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from addons.crm.tools.demo import LINES, RATES
from core.modules.progress import ProgressBar

SEED = 42
#: quotations per kind of deal: (deal's stage or status, quotation state, how many)
QUOTATIONS = (("quotation", "draft", 30), ("quotation", "sent", 50),
              ("negotiation", "negotiation", 70), ("won", "sale", 40), ("lost", "cancel", 10))
PRICELISTS = {"USD": "product.pricelist_export_usd", "EUR": "sale_crm.pricelist_export_eur",
              "JPY": "sale_crm.pricelist_export_jpy"}
PORTS = {"de": "Hamburg, Germany", "nl": "Rotterdam, Netherlands", "fr": "Le Havre, France",
         "pl": "Gdańsk, Poland", "us": "Los Angeles, USA", "ca": "Vancouver, Canada",
         "br": "Santos, Brazil", "mx": "Manzanillo, Mexico", "jp": "Yokohama, Japan",
         "ae": "Jebel Ali, UAE", "sa": "Dammam, Saudi Arabia", "qa": "Hamad Port, Qatar",
         "om": "Sohar, Oman"}
INCOTERMS = (("account_base.incoterm_FOB", 5), ("account_base.incoterm_CIF", 3),
             ("account_base.incoterm_DAP", 2))
LOADING = ("Keelung, Taiwan", "Kaohsiung, Taiwan")


def quotation_plan(env: Any, seed: int = SEED) -> list[dict]:
    """The quotations to make: ``sale.order`` values with their ``order_line``
    commands and the ``state`` they end in, in the order they are numbered.
    The same seed on the same deals gives the same plan."""
    rng = random.Random(seed)
    values = [_order_values(env, rng, deal, state) for deal, state in _deals(env, rng)]
    return sorted(values, key=lambda vals: (vals["date_order"], vals["origin"]))


def generate_quotations(env: Any, seed: int = SEED) -> Any:
    """Create the demo quotations (see the module doc); returns them."""
    env = env(context={**env.context, "tracking_disable": True, "mail_create_nolog": True})
    plan = quotation_plan(env, seed)
    bar = ProgressBar(env.transaction.progress, "sale_crm: demo quotations", 3 * len(plan))
    bar.step("quotations")
    with env.transaction.atomic():     # one flush at the end, not one per order
        orders = _create(env, plan, bar)
    bar.finish()
    return orders


def _create(env: Any, plan: list[dict], bar: Any) -> Any:
    # sent and negotiated quotations are made in their state (as superuser, like a
    # data file); orders are confirmed and cancelled through the workflow (_move)
    states = [vals["state"] for vals in plan]
    values = [{**vals, "state": state if state in ("sent", "negotiation") else "draft"}
              for vals, state in zip(plan, states, strict=True)]
    # the lines of all the orders in one batch: created with each order, they
    # would be written order by order
    lines = [vals.pop("order_line") for vals in values]
    orders = env["sale.order"].create(values)
    bar.advance(len(orders), "lines")
    Line = env["sale.order.line"]  # noqa: N806
    taxes: dict[tuple, list[int]] = {}       # (product, fiscal position): taxes, looked up once
    rows = []
    for order, order_lines in zip(orders, lines, strict=True):
        for _command, _id, line in order_lines:
            key = (line["product_id"], order.fiscal_position_id.id)
            if key not in taxes:
                taxes[key] = Line._product_taxes(Line.env["product.product"].browse(
                    line["product_id"]), order).ids
            rows.append({**line, "order_id": order.id, "tax_id": [(6, 0, taxes[key])]})
    Line.create(rows)
    bar.advance(len(orders), "confirmed, cancelled")
    by_state: dict[str, Any] = {}
    for order, state in zip(orders, states, strict=True):
        by_state[state] = by_state.get(state, orders.browse()) | order
    _move(by_state)
    return orders


def _deals(env: Any, rng: random.Random) -> list[tuple[Any, str]]:
    """(deal, quotation state) for each quotation to make."""
    Lead = env["crm.lead"].with_context(active_test=False)  # noqa: N806
    base = [("type", "=", "opportunity"), ("partner_id", "!=", False),
            ("product_categ_id", "!=", False)]
    scopes = {"quotation": [("stage_id", "=", env.ref("crm.stage_lead3").id),
                            ("won_status", "=", "pending")],
              "negotiation": [("stage_id", "=", env.ref("crm.stage_lead_negotiation").id),
                              ("won_status", "=", "pending")],
              "won": [("won_status", "=", "won")],
              "lost": [("won_status", "=", "lost"), ("stage_id", "in", [
                  env.ref("crm.stage_lead3").id, env.ref("crm.stage_lead_negotiation").id])]}
    chosen: list[tuple[Any, str]] = []
    taken: dict[str, list] = {}
    for kind, state, count in QUOTATIONS:
        if kind not in taken:
            found = Lead.search(base + scopes[kind], order="date_closed desc, name"
                                if kind == "won" else "name")
            pool = list(found[:80]) if kind == "won" else list(found)
            rng.shuffle(pool)
            taken[kind] = pool
        chosen += [(deal, state) for deal in taken[kind][:count]]
        taken[kind] = taken[kind][count:]
    return chosen


def _order_values(env: Any, rng: random.Random, deal: Any, state: str) -> dict:
    currency = deal.currency_id.name if deal.currency_id.name in PRICELISTS else "USD"
    customer = deal.partner_id.commercial_partner_id
    incoterm = rng.choices([x for x, _w in INCOTERMS], weights=[w for _x, w in INCOTERMS])[0]
    loading = rng.choice(LOADING)
    destination = PORTS.get(customer.country_id.code.lower() if customer.country_id else "",
                            "Jebel Ali, UAE")
    values = {"partner_id": customer.id, "opportunity_id": deal.id, "state": state,
              "user_id": deal.user_id.id, "team_id": deal.team_id.id, "origin": deal.name,
              "pricelist_id": env.ref(PRICELISTS[currency]).id,
              "date_order": _order_date(rng, deal, state),
              "incoterm": env.ref(incoterm).id,
              "incoterm_location": loading.split(",")[0] if incoterm.endswith("FOB")
              else destination.split(",")[0],
              "port_of_loading": loading, "port_of_destination": destination,
              "order_line": _lines(env, rng, deal, currency)}
    if state == "sale":
        values["client_order_ref"] = f"PO-{values['date_order']:%y%m}-{rng.randint(100, 999)}"
    return values


def _order_date(rng: random.Random, deal: Any, state: str) -> dt.datetime:
    """When the quotation was made: as the deal entered its stage, or before it closed."""
    if state in ("sale", "cancel"):
        return deal.date_closed - dt.timedelta(days=rng.randint(1, 12))
    # the demo's deals last moved a day or more before 9:00 of the day it was made
    made = (deal.date_last_stage_update or deal.create_date) + \
        dt.timedelta(hours=rng.randint(1, 12))
    if state == "negotiation":          # quoted before the negotiation began
        made -= dt.timedelta(days=rng.randint(2, 10))
    return made


def _lines(env: Any, rng: random.Random, deal: Any, currency: str) -> list:
    """The deal's product line for about its amount; spare parts free of charge
    on one quotation in five."""
    products = env["product.product"].search([("categ_id", "=", deal.product_categ_id.id)],
                                             order="id")
    product = rng.choice(list(products))
    usd = next((line[3] for xmlid, line in LINES.items()
                if env.ref(xmlid).id == deal.product_categ_id.id), product.lst_price)
    digits = 0 if currency == "JPY" else 2
    price = round(usd * RATES[currency] * rng.choice((0.96, 0.98, 1.0, 1.0, 1.03)), digits)
    quantity = max(round(deal.expected_revenue / price / 10) * 10, 10)
    lines = [(0, 0, {"product_id": product.id, "product_uom_qty": quantity,
                     "price_unit": price})]
    if rng.random() < 0.2:
        spares = max(round(quantity * 0.02), 2)
        lines.append((0, 0, {"product_id": product.id, "product_uom_qty": spares,
                             "price_unit": 0.0,
                             "name": f"{product.display_name}: spare parts (2 %), free of "
                                     f"charge"}))
    return lines


def _move(by_state: dict[str, Any]) -> None:
    """Through the sale workflow: confirmed (the order locked, the deal won
    already) or cancelled."""
    by_state["sale"].action_confirm()
    by_state["cancel"].action_cancel()
