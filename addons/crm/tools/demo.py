"""The demo pipeline of a Taiwanese LED lighting maker, made relative to today.

    generate_pipeline(env, seed=42)     # crm/demo/crm_demo_pipeline.xml calls it

With a fixed seed it makes the same 60 deals every time, dated around the
day it runs (so that deadlines, overdue follow-ups, rotting deals and the
dashboard's months look alive on any day): 12 leads to qualify (four of
them unassigned, one a duplicate of a customer), 33 open opportunities
across the stages with activities and customer e-mails, 9 won over the
last six months and 6 lost with their reasons, their stage history, and
the customers' contracts (one about to expire, with its reminder).
Amounts are in each market's currency: EUR in Europe, JPY in Japan, USD
elsewhere.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

#: customer (demo xmlid suffix): currency
CUSTOMERS = {"lichtwerk": "EUR", "nordlicht": "EUR", "rhein_led": "EUR", "lumen_benelux": "EUR",
             "brightpath": "USD", "sunbelt": "USD", "pacific_lumen": "USD",
             "great_lakes": "USD", "maple_lighting": "USD", "luz_brasil": "USD",
             "hikari": "JPY", "tokyo_shomei": "JPY", "nagoya_densetsu": "JPY",
             "al_noor": "USD", "gulf_illumination": "USD", "desert_star": "USD",
             "oasis": "USD"}
#: product line (category xmlid): title, unit, quantities, USD per unit
LINES = {
    "product.product_category_led_panels": ("LED panels 60x60", "", (500, 6000), 18),
    "product.product_category_led_tubes": ("T8 LED tubes 1200 mm", "", (2000, 20000), 3),
    "crm.categ_led_high_bay": ("UFO high bays 150 W", "", (100, 1500), 62),
    "crm.categ_led_street": ("LED street lights 120 W", "", (80, 900), 95),
    "crm.categ_led_strip": ("LED strip 24 V", " m", (2000, 30000), 1.6),
}
PROJECTS = ("warehouse retrofit", "office refurbishment", "municipal tender",
            "supermarket chain", "logistics centre", "school renovation", "parking garage",
            "stock order", "hotel project", "factory expansion", "hospital wing",
            "airport terminal")
RATES = {"USD": 1.0, "EUR": 0.92, "JPY": 151.0}
STAGES = (["crm.stage_lead1"] * 8 + ["crm.stage_lead2"] * 9 + ["crm.stage_lead3"] * 9
          + ["crm.stage_lead_negotiation"] * 7 + ["won"] * 9 + ["lost"] * 6)
ACTIVITIES = (("mail.mail_activity_data_call", "Call about the target price"),
              ("mail.mail_activity_data_email", "Send the quotation and the IES files"),
              ("mail.mail_activity_data_todo", "Send samples by courier"),
              ("mail.mail_activity_data_meeting", "Video call with the buyer"),
              ("mail.mail_activity_data_todo", "Check the CE / UL certificates they need"),
              ("mail.mail_activity_data_call", "Confirm the Incoterm and the port"))
CUSTOMER_MAILS = ("Please quote {qty} pcs, DDP {city}, delivery before the end of next quarter.",
                  "Thank you for the samples. Our engineer is testing them this week.",
                  "Can you do better on the price for a 40' container?",
                  "We need the photometric files and the warranty terms, please.",
                  "The project is approved; please send the proforma invoice.")
LOST_REASONS = ("crm.lost_reason_1", "crm.lost_reason_lead_time", "crm.lost_reason_local",
                "crm.lost_reason_certification", "crm.lost_reason_moq",
                "crm.lost_reason_no_reply")
#: leads to qualify: (company, contact, e-mail, country, source, assigned)
LEADS = (("Helios Electric Sp. z o.o.", "Marta Kowalska", "marta@helios-electric.example",
          "pl", "utm.utm_source_alibaba", True),
         ("Costa Iluminación S.L.", "Javier Ruiz", "jruiz@costailuminacion.example", "es",
          "utm.utm_source_search_engine", True),
         ("Sunrise Lighting Pty Ltd", "Chloe Brown", "chloe@sunriselighting.example", "au",
          "utm.utm_source_website", False),
         ("Blue Ridge Electric Supply", "Daniel Moore", "dmoore@blueridge.example", "us",
          "utm.utm_source_trade_fair", True),
         ("LICHTWERK Handels GmbH", "Tobias Lang", "t.lang@lichtwerk.example", "de",
          "utm.utm_source_trade_fair", True),
         ("光電照明有限公司 Kwong Din Lighting", "Wong Ka Ming", "km.wong@kwongdin.example",
          "hk", "utm.utm_source_trade_fair", False),
         ("Riyadh Smart Projects", "Nasser Al-Otaibi", "nasser@riyadhsmart.example", "sa",
          "utm.utm_source_linkedin", True),
         ("Nova Luz Ltda.", "Camila Ferreira", "camila@novaluz.example", "br",
          "utm.utm_source_alibaba", False),
         ("Kyoto Design Lighting", "山本彩 Aya Yamamoto", "aya@kyoto-design.example", "jp",
          "utm.utm_source_website", True),
         ("Northern Lights Trading Ltd", "Liam Walsh", "liam@northernlights.example", "ie",
          "utm.utm_source_newsletter", True),
         ("Atlas Electrical Contractors", "Youssef Benali", "y.benali@atlas-elec.example", "ma",
          "utm.utm_source_search_engine", False),
         ("Vietnam Warehouse Solutions", "Tran Minh", "minh@vnwarehouse.example", "vn",
          "utm.utm_source_alibaba", True))


def generate_pipeline(env: Any, seed: int = 42, today: dt.date | None = None) -> int:
    """Create the demo deals (see the module doc); returns how many."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    _ensure_rates(env, today)
    env = env(context={**env.context, "mail_create_nosubscribe": False})
    customers = [env.ref(f"crm.customer_{key}") for key in CUSTOMERS]
    count = 0
    for index, stage in enumerate(STAGES):
        customer = customers[(index * 7) % len(customers)]
        _deal(env, rng, index, stage, customer, CUSTOMERS[_key(env, customer)], today)
        count += 1
    count += _leads(env, rng, today)
    _documents(env, today)
    return count


def _key(env: Any, customer: Any) -> str:
    return next(key for key in CUSTOMERS if env.ref(f"crm.customer_{key}") == customer)


def _ensure_rates(env: Any, today: dt.date) -> None:
    Rate = env["res.currency.rate"]  # noqa: N806
    for code, rate in RATES.items():
        currency = env.ref(f"base.{code}")
        if currency != env.company.currency_id and not Rate.search_count(
                [("currency_id", "=", currency.id)]):
            Rate.create({"currency_id": currency.id, "rate": rate,
                         "name": today - dt.timedelta(days=400)})


def _deal(env: Any, rng: random.Random, index: int, stage: str, customer: Any,
          currency: str, today: dt.date) -> Any:
    line = list(LINES)[index % len(LINES)]
    title, unit, (low, high), price = LINES[line]
    quantity = rng.randrange(low, high, max((high - low) // 20, 1))
    usd = round(quantity * price, -2) or 1000
    user = customer.user_id
    team = _team(env, customer)
    values = {
        "name": f"{quantity:,}{unit} {title} – {PROJECTS[index % len(PROJECTS)]}",
        "type": "opportunity", "partner_id": customer.child_ids.filtered(
            lambda child: child.type == "contact")[:1].id or customer.id,
        "user_id": user.id, "team_id": team.id, "product_categ_id": env.ref(line).id,
        "currency_id": env.ref(f"base.{currency}").id,
        "expected_revenue": round(usd * RATES[currency], -2 if currency != "JPY" else -4),
        "priority": str(rng.choice((0, 0, 1, 1, 2, 3))), "source_id": customer.source_id.id,
        "tag_ids": [(6, 0, [env.ref(rng.choice(("crm.tag_distributor", "crm.tag_project",
                                                "crm.tag_tender", "crm.tag_oem"))).id])],
        "date_deadline": today + dt.timedelta(days=rng.randint(-15, 150)),
    }
    if index % 9 == 4:
        values["collaborator_ids"] = [(6, 0, [env.ref("crm.demo_user_grace").id])]
    if stage == "won":
        values["stage_id"] = env.ref("crm.stage_lead4").id
    elif stage == "lost":
        values["stage_id"] = env.ref(rng.choice(("crm.stage_lead2", "crm.stage_lead3",
                                                 "crm.stage_lead_negotiation"))).id
    else:
        values["stage_id"] = env.ref(stage).id
    lead = env["crm.lead"].with_user(user).sudo().create(values)
    if stage == "lost":
        lead.action_set_lost(lost_reason_id=env.ref(rng.choice(LOST_REASONS)).id)
    _dates(lead, rng, index, stage, today)
    if stage not in ("won", "lost"):
        _follow_up(env, lead, rng, index, today)
    if index % 2 == 0:
        _customer_mail(lead, rng, quantity, today)
    return lead


def _team(env: Any, customer: Any) -> Any:
    europe = env.ref("crm.team_europe_middle_east")
    return europe if customer.market_id in europe.market_ids else \
        env.ref("crm.team_americas_asia")


def _dates(lead: Any, rng: random.Random, index: int, stage: str, today: dt.date) -> None:
    """Back-date the deal and its history: converted weeks ago, moved since,
    closed (won or lost) in the last months."""
    now = dt.datetime.combine(today, dt.time(9, 0))
    if stage in ("won", "lost"):             # spread over the last six months
        closed = now - dt.timedelta(days=2 + (index % 9) * 19 + rng.randint(0, 5))
        converted = closed - dt.timedelta(days=rng.randint(20, 110))
        last_move = closed
    else:
        converted = now - dt.timedelta(days=rng.randint(10, 100))
        last_move = now - dt.timedelta(days=min(rng.choice((1, 2, 3, 5, 8, 12, 18, 30)),
                                                (now - converted).days))
        closed = False
    lead.sudo().write({"date_conversion": converted, "date_open": converted,
                       "date_last_stage_update": last_move, "date_closed": closed})
    history = lead.sudo().stage_history_ids
    history.unlink()
    stages = lead.env["crm.stage"].search([("is_won", "=", False)], order="sequence")
    path = [s for s in stages if s.sequence <= lead.stage_id.sequence] if not \
        lead.stage_id.is_won else list(stages) + [lead.stage_id]
    rows, previous = [], False
    span = max((last_move - converted).total_seconds(), 3600.0)
    for step, stage_record in enumerate(path):
        when = converted + dt.timedelta(seconds=span * step / max(len(path), 1))
        kind = "entered" if step == 0 else ("won" if stage_record.is_won else "moved")
        rows.append(_history(lead, kind, previous, stage_record.id, when))
        previous = stage_record.id
    if stage == "lost":
        rows.append(_history(lead, "lost", previous, lead.stage_id.id, closed))
    lead.env["crm.lead.stage.history"].sudo().create(rows)


def _history(lead: Any, kind: str, from_stage: Any, stage: int, when: dt.datetime) -> dict:
    return {"lead_id": lead.id, "kind": kind, "from_stage_id": from_stage, "stage_id": stage,
            "date": when, "user_id": lead.user_id.id, "team_id": lead.team_id.id,
            "company_id": lead.company_id.id, "amount": lead.company_expected_revenue}


def _follow_up(env: Any, lead: Any, rng: random.Random, index: int, today: dt.date) -> None:
    """Most open deals have a next step; some are late, some have none."""
    if index % 5 == 3:
        return                                         # nothing planned: flagged
    activity_type, summary = ACTIVITIES[index % len(ACTIVITIES)]
    offset = rng.choice((-9, -4, -2, 0, 1, 3, 6, 10, 14))
    lead.sudo().activity_schedule(activity_type, date_deadline=today + dt.timedelta(days=offset),
                                  summary=summary, user_id=lead.user_id.id)


def _customer_mail(lead: Any, rng: random.Random, quantity: int, today: dt.date) -> None:
    """An e-mail from the buyer, a few days ago (logged, nobody notified)."""
    contact = lead.partner_id
    text = rng.choice(CUSTOMER_MAILS).format(qty=f"{quantity:,}", city=contact.city or "")
    message = lead.sudo()._message_log(body=text, message_type="email",
                                       subtype_xmlid="mail.mt_comment", author_id=contact.id)
    message.sudo().write({"date": dt.datetime.combine(
        today - dt.timedelta(days=rng.randint(1, 20)), dt.time(7, 30))})


def _leads(env: Any, rng: random.Random, today: dt.date) -> int:
    """Leads to qualify: inquiries from fairs, the website and marketplaces."""
    for company, contact, email, country, source, assigned in LEADS:
        country_record = env.ref(f"base.{country}")
        market = env["res.country.group"]._markets_by_country(country_record)
        team = env.ref("crm.team_europe_middle_east") if market.get(country_record.id) in \
            env.ref("crm.team_europe_middle_east").market_ids.ids else \
            env.ref("crm.team_americas_asia")
        user = team.user_id if assigned else env["res.users"]
        env["crm.lead"].sudo().create({
            "name": f"Inquiry from {company}", "type": "lead", "partner_name": company,
            "contact_name": contact, "email_from": email, "country_id": country_record.id,
            "source_id": env.ref(source).id, "user_id": user.id,
            "team_id": team.id if assigned else False,
            "expected_revenue": rng.randrange(5000, 60000, 1000),
            "description": f"<p>{contact} asked for a catalogue and prices.</p>"})
    return len(LEADS)


def _documents(env: Any, today: dt.date) -> None:
    """Contracts of a few customers, one of them about to expire."""
    Document = env["crm.partner.document"]  # noqa: N806
    for key, name, kind, days, remind in (
            ("lichtwerk", "Exclusive distribution agreement DACH", "agreement", 20, 30),
            ("al_noor", "Mutual NDA", "nda", 400, 30),
            ("hikari", "Quality agreement", "quality", -10, 30),
            ("brightpath", "Price agreement", "price", 75, 60)):
        partner = env.ref(f"crm.customer_{key}")
        Document.create({"partner_id": partner.id, "name": name, "document_type": kind,
                         "date_start": today - dt.timedelta(days=365),
                         "expiry_date": today + dt.timedelta(days=days),
                         "reminder_days": remind, "user_id": partner.user_id.id})
    Document._cron_expiry_reminders()
