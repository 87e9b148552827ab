"""The demo company's customers and pipeline, made by code with a fixed seed.

    plan = make_plan(seed=42, today=dt.date(2026, 3, 10))   # plain values, no database
    generate(env, seed=42)          # crm/demo/crm_demo_pipeline.xml calls it (today)

Brightwave Lighting, an LED lighting maker in Taiwan, sells to distributors
and project buyers abroad through three teams of eight salespeople
(crm_demo_users.xml). The plan holds 300 customers (the 17 of
crm_demo_customers.xml and 283 made here, named as companies are in their
country) with contacts and job titles, and 1,000 deals: 150 leads to
qualify (some unassigned, one a duplicate of a customer), 450 open
opportunities across the stages, 240 won and 160 lost with their reasons
over the last twelve months; amounts in EUR (Europe), JPY (Japan) and USD;
next activities (some late, some deals with none), the customers' e-mails,
the salespeople's answers and notes, the stage changes in the chatter and
the stage history; contracts with their reminders. Everything is dated
relative to ``today``: the same seed and day give the same data.

The plan names what it refers to by external id or login; ``load`` writes
it in batches (a few statements per hundred deals, not per deal) and shows
a progress bar (core/modules/progress.py) on the command line.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from addons.crm.tools.demo_names import MARKETS, Market
from addons.crm.tools.normalize import normalize_company_name
from core.modules.progress import ProgressBar

SEED = 42
CUSTOMERS = 300
#: deals per kind: leads to qualify, open opportunities per stage, won, lost
DEALS = {"lead": 150, "new": 110, "qualified": 120, "quotation": 120, "negotiation": 100,
         "won": 240, "lost": 160}
STAGES = {"new": "crm.stage_lead1", "qualified": "crm.stage_lead2",
          "quotation": "crm.stage_lead3", "negotiation": "crm.stage_lead_negotiation",
          "won": "crm.stage_lead4"}
OPEN_PATH = ("new", "qualified", "quotation", "negotiation")
TEAMS = {"europe": "crm.team_europe", "americas": "crm.team_americas",
         "asia": "crm.team_asia_middle_east"}
#: login: (external id, team)
SALESPEOPLE = {"mei.chen": ("crm.demo_user_mei", "europe"),
               "david.huang": ("crm.demo_user_david", "europe"),
               "sandy.lee": ("crm.demo_user_sandy", "europe"),
               "jimmy.lin": ("crm.demo_user_jimmy", "americas"),
               "jay.wu": ("crm.demo_user_jay", "americas"),
               "irene.liu": ("crm.demo_user_irene", "americas"),
               "grace.wang": ("crm.demo_user_grace", "asia"),
               "kevin.tsai": ("crm.demo_user_kevin", "asia")}
#: the customers of crm_demo_customers.xml: key: (country, currency, salesperson, tier,
#: what salespeople call them)
XML_CUSTOMERS = {
    "lichtwerk": ("de", "EUR", "mei.chen", "a", "Lichtwerk"),
    "nordlicht": ("de", "EUR", "mei.chen", "b", "Nordlicht"),
    "rhein_led": ("de", "EUR", "david.huang", "b", "Rhein-LED"),
    "lumen_benelux": ("nl", "EUR", "sandy.lee", "c", "Lumen Benelux"),
    "brightpath": ("us", "USD", "jimmy.lin", "a", "BrightPath"),
    "sunbelt": ("us", "USD", "jimmy.lin", "b", "Sunbelt"),
    "pacific_lumen": ("us", "USD", "jay.wu", "b", "Pacific Lumen"),
    "great_lakes": ("us", "USD", "irene.liu", "c", "Great Lakes"),
    "maple_lighting": ("ca", "USD", "jimmy.lin", "c", "Maple Lighting"),
    "luz_brasil": ("br", "USD", "jay.wu", "c", "Luz Brasil"),
    "hikari": ("jp", "JPY", "grace.wang", "a", "ヒカリ商事"),
    "tokyo_shomei": ("jp", "JPY", "grace.wang", "b", "東京照明"),
    "nagoya_densetsu": ("jp", "JPY", "kevin.tsai", "c", "名古屋電設"),
    "al_noor": ("ae", "USD", "kevin.tsai", "a", "Al Noor"),
    "gulf_illumination": ("sa", "USD", "kevin.tsai", "b", "Gulf Illumination"),
    "desert_star": ("qa", "USD", "grace.wang", "c", "Desert Star"),
    "oasis": ("om", "USD", "grace.wang", "c", "Oasis Lighting")}
#: the names of crm_demo_customers.xml's companies: made ones must differ from them
XML_NAMES = ("Lichtwerk Handels GmbH", "Nordlicht Beleuchtung GmbH", "Rhein-LED Vertrieb AG",
             "Lumen Benelux B.V.", "BrightPath Lighting Supply Inc.",
             "Sunbelt Electrical Distributors LLC", "Pacific Lumen Corp.",
             "Great Lakes Fixture Co.", "Maple Lighting Ltd", "Luz Brasil Distribuidora Ltda.",
             "株式会社ヒカリ商事 Hikari Shoji Co., Ltd.",
             "東京照明販売株式会社 Tokyo Shomei Hanbai K.K.",
             "名古屋電設資材株式会社 Nagoya Densetsu Shizai", "Al Noor Lighting Trading LLC",
             "Gulf Illumination Co.", "Desert Star Electricals W.L.L.", "Oasis Lighting Solutions")
#: days in a stage after which a deal rots (crm_stage_data.xml)
ROTTING = {"new": 7, "qualified": 14, "quotation": 14, "negotiation": 21}
#: product line (category): title, unit, quantity range, USD per unit
LINES = {
    "product.product_category_led_panels": ("LED panels 60x60", "", (200, 3000), 40.0),
    "product.product_category_led_tubes": ("T8 LED tubes 1200 mm", "", (2000, 20000), 3.2),
    "crm.categ_led_high_bay": ("UFO high bays 150 W", "", (50, 1500), 62.0),
    "crm.categ_led_street": ("LED street lights 120 W", "", (80, 900), 95.0),
    "crm.categ_led_strip": ("LED strip 24 V", " m", (2000, 30000), 1.6),
}
RATES = {"USD": 1.0, "EUR": 0.92, "JPY": 151.0}
PROJECTS = ("warehouse retrofit", "office refurbishment", "municipal tender",
            "supermarket chain", "logistics centre", "school renovation", "parking garage",
            "stock order", "hotel project", "factory expansion", "hospital wing",
            "airport terminal", "car dealership", "sports hall", "cold store", "metro station")
SOURCES = ("utm.utm_source_trade_fair", "utm.utm_source_website", "utm.utm_source_alibaba",
           "utm.utm_source_linkedin", "utm.utm_source_search_engine",
           "utm.utm_source_referral", "utm.utm_source_newsletter")
CAMPAIGNS = ("crm.campaign_light_building", "crm.campaign_hk_lighting_fair",
             "crm.campaign_lightfair", "crm.campaign_edm_high_bay")
TAGS = ("crm.tag_distributor", "crm.tag_project", "crm.tag_tender", "crm.tag_oem",
        "crm.tag_samples", "crm.tag_repeat")
LOST_REASONS = (("crm.lost_reason_1", "They chose a supplier 8 % cheaper."),
                ("crm.lost_reason_lead_time", "They need the goods in three weeks."),
                ("crm.lost_reason_local", "A local supplier won the tender."),
                ("crm.lost_reason_certification", "The project asks for ENEC; we have CE only."),
                ("crm.lost_reason_moq", "They wanted 100 pieces per model."),
                ("crm.lost_reason_no_reply", "No answer after three reminders."))
ACTIVITIES = (("mail.mail_activity_data_call", "Call about the target price"),
              ("mail.mail_activity_data_email", "Send the quotation and the IES files"),
              ("mail.mail_activity_data_todo", "Send samples by courier"),
              ("mail.mail_activity_data_meeting", "Video call with the buyer"),
              ("mail.mail_activity_data_todo", "Check the CE / UL certificates they need"),
              ("mail.mail_activity_data_call", "Confirm the Incoterm and the port"),
              ("mail.mail_activity_data_todo", "Ask the factory for the lead time"),
              ("mail.mail_activity_data_email", "Send the photometric report"))
QUALIFY = ("mail.mail_activity_data_call", "Call to qualify: project, quantities, timing")
CUSTOMER_MAILS = (
    "Please quote {qty} pcs, {incoterm} {port}, delivery before the end of next quarter.",
    "Thank you for the samples. Our engineer is testing them this week.",
    "Can you do better on the price for a 40' container? Our target is {target}.",
    "We need the photometric (IES) files and the warranty terms, please.",
    "The project is approved; please send the proforma invoice.",
    "Is this fitting available with DALI dimming? The consultant asks for it.",
    "Could you confirm the lead time? Our site needs the goods in {weeks} weeks.",
    "Please send the CE and RoHS certificates, and the UL listing for the US project.")
ANSWERS = ("Please find our offer attached: {incoterm} {port}, valid for 30 days.",
           "The samples left by DHL today; you should have them within a week.",
           "For a full container we can offer 4 % off; lead time {weeks} weeks after the "
           "deposit.",
           "Attached are the IES files, the LM-80 report and our five-year warranty terms.")
NOTES = ("They compare us with two suppliers from Shenzhen; price is what matters.",
         "Met the buyer at the fair; they look for a second source.",
         "The consultant moved the project by one quarter.",
         "Asked the factory for a flicker-free driver; answer expected on Friday.",
         "Good payment history: 30 % deposit, 70 % against the B/L copy.")


@dataclass
class Customer:
    """A customer of the plan: one of the XML file (``xmlid``) or one made here."""

    key: str
    country: str
    currency: str
    team: str
    login: str
    tier: str
    short: str = ""
    port: str = ""
    xmlid: str = ""
    values: dict = field(default_factory=dict)       # res.partner values (made here)
    contacts: list[dict] = field(default_factory=list)


@dataclass
class Deal:
    """A deal of the plan: crm.lead values naming records by external id or login."""

    kind: str                                # a key of DEALS
    values: dict
    customer: int | None                     # index in Plan.customers
    login: str | None
    team: str | None
    created: dt.datetime
    converted: dt.datetime | None = None
    moved: dt.datetime | None = None
    closed: dt.datetime | None = None
    activities: list[tuple[str, str, int]] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)


@dataclass
class Plan:
    seed: int
    today: dt.date
    customers: list[Customer]
    deals: list[Deal]

    def fingerprint(self) -> list[tuple]:
        """What makes each deal, in a form a database can be compared with."""
        return sorted((deal.values["name"], deal.kind, deal.login or "",
                       deal.values.get("expected_revenue", 0.0),
                       deal.values.get("currency", "USD"),
                       self.customers[deal.customer].values.get("name") or
                       self.customers[deal.customer].xmlid if deal.customer is not None
                       else deal.values.get("partner_name", ""))
                      for deal in self.deals)


# ---------------------------------------------------------------------------
# the plan
# ---------------------------------------------------------------------------
def make_plan(seed: int = SEED, today: dt.date | None = None) -> Plan:
    """The demo data as plain values: the same ``seed`` and ``today`` give the
    same plan."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    customers = _plan_customers(rng)
    deals = _plan_deals(rng, today, customers)
    return Plan(seed, today, customers, deals)


def _plan_customers(rng: random.Random) -> list[Customer]:
    by_code = {market.code: market for market in MARKETS}
    customers = []
    for key, (country, currency, login, tier, short) in XML_CUSTOMERS.items():
        market = by_code.get(country)
        customers.append(Customer(key, country, currency, SALESPEOPLE[login][1], login, tier,
                                  short=short,
                                  port=market.port if market else "Jebel Ali",
                                  xmlid=f"crm.customer_{key}"))
    taken = {normalize_company_name(name) for name in XML_NAMES}
    domains: set[str] = set()
    for market in MARKETS:
        team_logins = [login for login, (_x, team) in SALESPEOPLE.items()
                       if team == market.team]
        for _index in range(market.customers):
            customers.append(_customer(rng, market, team_logins, taken, domains,
                                       len(customers)))
    return customers


def _customer(rng: random.Random, market: Market, logins: list[str], taken: set[str],
              domains: set[str], index: int) -> Customer:
    """A company of ``market`` with one to three contacts, unique by name and domain."""
    while True:
        name, stem, short = market.company(rng)
        normalized = normalize_company_name(name)
        if normalized not in taken and stem not in domains:
            break
    taken.add(normalized)
    domains.add(stem)
    domain = f"{stem}.example"
    street, city, zip_code, phone = market.address(rng)
    tier = rng.choices("abc", weights=(15, 45, 40))[0]
    values = {"name": name, "is_company": True, "street": street, "city": city,
              "zip": zip_code or False, "country": market.code, "phone": phone,
              "email": f"{rng.choice(('info', 'sales', 'purchasing', 'office'))}@{domain}",
              "website": f"https://www.{domain}", "vat": market.tax_id(rng),
              "customer_tier": tier, "source": rng.choice(SOURCES)}
    contacts: list[dict] = []
    for _number in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
        person, mailbox = market.person_name(rng)
        if all(contact["name"] != person for contact in contacts):
            contacts.append({"name": person, "function": rng.choice(market.titles),
                             "email": f"{mailbox}@{domain}", "phone": phone})
    return Customer(f"c{index:03d}", market.code, market.currency, market.team,
                    rng.choice(logins), tier, short=short, port=market.port,
                    values=values, contacts=contacts)


def _plan_deals(rng: random.Random, today: dt.date, customers: list[Customer]) -> list[Deal]:
    kinds = [kind for kind, count in DEALS.items() for _n in range(count)]
    rng.shuffle(kinds)
    weights = [{"a": 6, "b": 3, "c": 1}[customer.tier] for customer in customers]
    names: set[str] = set()
    deals = []
    now = dt.datetime.combine(today, dt.time(9, 0))
    prospects = _prospects(rng)
    for index, kind in enumerate(kinds):
        if kind == "lead":
            deal = _lead(rng, now, prospects.pop(), index)
        else:
            number = rng.choices(range(len(customers)), weights=weights)[0]
            deal = _opportunity(rng, now, kind, customers, number, names, index)
        deals.append(deal)
    return deals


def _prospects(rng: random.Random) -> list[dict]:
    """The companies behind the leads: inquiries from fairs, the website and
    marketplaces (a few unassigned; one from a customer already known)."""
    prospects = [dict(zip(("partner_name", "contact_name", "email_from", "country",
                           "source", "assigned"), row, strict=True)) for row in FIXED_LEADS]
    taken: set[str] = set()
    while len(prospects) < DEALS["lead"]:
        market = rng.choice(MARKETS)
        name, stem, _short = market.company(rng)
        if stem in taken:
            continue
        taken.add(stem)
        person, mailbox = market.person_name(rng)
        prospects.append({"partner_name": name, "contact_name": person,
                          "email_from": f"{mailbox}@{stem}.example", "country": market.code,
                          "source": rng.choice(SOURCES), "assigned": rng.random() > 0.25,
                          "team": market.team})
    rng.shuffle(prospects)
    return prospects


def _lead(rng: random.Random, now: dt.datetime, prospect: dict, index: int) -> Deal:
    team = prospect.get("team") or _team_of_country(prospect["country"])
    logins = [login for login, (_x, t) in SALESPEOPLE.items() if t == team]
    login = rng.choice(logins) if prospect["assigned"] else None
    created = now - dt.timedelta(days=rng.randint(0, 45), hours=rng.randint(1, 8))
    values = {"name": f"Inquiry from {prospect['partner_name']}", "type": "lead",
              "partner_name": prospect["partner_name"],
              "contact_name": prospect["contact_name"], "email_from": prospect["email_from"],
              "country": prospect["country"], "source": prospect["source"],
              "expected_revenue": float(rng.randrange(5000, 60000, 1000)),
              "priority": str(rng.choice((0, 0, 1, 1, 2))),
              "description": f"<p>{prospect['contact_name']} asked for a catalogue and "
                             f"prices.</p>"}
    deal = Deal("lead", values, None, login, team if login else None, created)
    if login and index % 2 == 0:
        deal.activities.append((*QUALIFY, rng.choice((-3, -1, 0, 1, 2, 4))))
    return deal


def _team_of_country(code: str) -> str:
    europe = {"pl", "es", "de", "ie", "ma", "nl", "fr"}
    americas = {"us", "br", "ca", "mx"}
    return "europe" if code in europe else "americas" if code in americas else "asia"


def _opportunity(rng: random.Random, now: dt.datetime, kind: str, customers: list[Customer],
                 number: int, names: set[str], index: int) -> Deal:
    customer = customers[number]
    line = rng.choice(list(LINES))
    title, unit, (low, high), price = LINES[line]
    while True:
        quantity = rng.randrange(low, high, max((high - low) // 40, 1))
        name = f"{customer.short}: {quantity:,}{unit} {title}, {rng.choice(PROJECTS)}"
        if name not in names:
            names.add(name)
            break
    rate = RATES[customer.currency]
    amount = round(quantity * price * rate, -4 if customer.currency == "JPY" else -2)
    login = customer.login if rng.random() > 0.15 else rng.choice(
        [login for login, (_x, team) in SALESPEOPLE.items() if team == customer.team])
    values = {"name": name, "type": "opportunity", "currency": customer.currency,
              "expected_revenue": float(amount or 1000), "product_line": line,
              "priority": str(rng.choice((0, 0, 0, 1, 1, 2, 3))),
              "source": customer.values.get("source") or rng.choice(SOURCES),
              "tags": [rng.choice(TAGS[:4])] + ([TAGS[4]] if rng.random() < 0.2 else []),
              "campaign": rng.choice(CAMPAIGNS) if rng.random() < 0.3 else None,
              "contact": rng.randrange(max(len(customer.contacts), 1))}
    if rng.random() < 0.06 and login != "grace.wang":
        values["collaborators"] = ["grace.wang"]
    deal = Deal(kind, values, number, login, customer.team, now)
    _dates(rng, now, deal)
    _follow_ups(rng, deal)
    _chatter(rng, now, deal, customer, quantity)
    return deal


def _dates(rng: random.Random, now: dt.datetime, deal: Deal) -> None:
    """Created, converted, last moved, closed and expected closing, relative to now."""
    day = dt.timedelta(days=1)
    if deal.kind in ("won", "lost"):
        deal.closed = now - day * rng.randint(2, 360) - dt.timedelta(hours=rng.randint(0, 6))
        deal.created = deal.closed - day * rng.randint(25, 150)
        deal.converted = deal.created + day * rng.randint(0, 12)
        deal.moved = deal.closed
        deal.values["date_deadline"] = (deal.closed + day * rng.randint(-10, 20)).date()
        if deal.kind == "lost":
            deal.values["lost_reason"], deal.values["lost_feedback"] = \
                rng.choice(LOST_REASONS)
            deal.values["lost_stage"] = rng.choice(OPEN_PATH[1:])
    else:
        deal.created = now - day * rng.randint(5, 130) - dt.timedelta(hours=rng.randint(0, 6))
        deal.converted = min(deal.created + day * rng.randint(0, 10), now - day)
        # one deal in six has stayed longer in its stage than the stage allows
        share = rng.choice((0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 1.4, 2.5))
        deal.moved = max(now - day * max(round(ROTTING[deal.kind] * share), 1),
                         deal.converted)
        deal.values["date_deadline"] = (now + day * rng.randint(-20, 150)).date()


def _follow_ups(rng: random.Random, deal: Deal) -> None:
    """Most open deals have a next step, a third of them late; some have none."""
    if deal.kind in ("won", "lost") or rng.random() < 0.15:
        return
    for _number in range(1 if rng.random() < 0.8 else 2):
        activity_type, summary = rng.choice(ACTIVITIES)
        deal.activities.append((activity_type, summary,
                                rng.choice((-12, -6, -3, -1, 0, 1, 2, 4, 7, 10, 14, 21))))


def _chatter(rng: random.Random, now: dt.datetime, deal: Deal, customer: Customer,
             quantity: int) -> None:
    """E-mails from the buyer, the salesperson's answers and notes, after conversion."""
    start, end = deal.converted, deal.closed or now - dt.timedelta(hours=12)
    span = max((end - start).total_seconds(), 3600.0)
    words = {"qty": f"{quantity:,}", "port": customer.port, "weeks": rng.choice((4, 6, 8)),
             "incoterm": rng.choice(("FOB Keelung", "CIF", "DAP")),
             "target": f"{deal.values['expected_revenue'] * 0.9:,.0f} {customer.currency}"}
    count = rng.choices((0, 1, 2, 3), weights=(30, 35, 25, 10))[0]
    for number in range(count):
        when = start + dt.timedelta(seconds=span * (number + 1) / (count + 1))
        deal.messages.append({"kind": "email", "date": when,
                              "body": rng.choice(CUSTOMER_MAILS).format(**words)})
        if rng.random() < 0.6:
            deal.messages.append({"kind": "answer", "date": when + dt.timedelta(hours=5),
                                  "body": rng.choice(ANSWERS).format(**words)})
    if rng.random() < 0.25:
        deal.messages.append({"kind": "note", "date": start + dt.timedelta(seconds=span / 2),
                              "body": rng.choice(NOTES)})


#: leads typed in by hand: (company, contact, e-mail, country, source, assigned)
FIXED_LEADS = (("Helios Electric Sp. z o.o.", "Marta Kowalska", "marta@helios-electric.example",
                "pl", "utm.utm_source_alibaba", True),
               ("Costa Iluminación S.L.", "Javier Ruiz", "jruiz@costailuminacion.example", "es",
                "utm.utm_source_search_engine", True),
               ("Sunrise Lighting Pty Ltd", "Chloe Brown", "chloe@sunriselighting.example",
                "au", "utm.utm_source_website", False),
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
               ("Northern Lights Trading Ltd", "Liam Walsh", "liam@northernlights.example",
                "ie", "utm.utm_source_newsletter", True),
               ("Atlas Electrical Contractors", "Youssef Benali", "y.benali@atlas-elec.example",
                "ma", "utm.utm_source_search_engine", False),
               ("Vietnam Warehouse Solutions", "Tran Minh", "minh@vnwarehouse.example", "vn",
                "utm.utm_source_alibaba", True))


# ---------------------------------------------------------------------------
# loading the plan
# ---------------------------------------------------------------------------
BATCH = 250


def generate(env: Any, seed: int = SEED, today: dt.date | None = None) -> Plan:
    """Write the demo plan of ``seed`` and ``today`` (default: today) into the
    database, with a progress bar; returns the plan."""
    plan = make_plan(seed, today)
    with env.transaction.atomic():     # flushed once per step, not per statement
        Loader(env, plan).load()
    return plan


class Loader:
    """Writes a plan: customers, deals, their history, follow-ups and chatter."""

    def __init__(self, env: Any, plan: Plan):
        self.env = env(context={**env.context, "tracking_disable": True,
                                "mail_create_nolog": True})
        self.plan = plan
        self.refs: dict[str, int] = {}
        steps = len(plan.customers) + 4 * len(plan.deals)
        self.bar = ProgressBar(env.transaction.progress, "crm: demo data", steps)

    def ref(self, xmlid: str) -> int:
        if xmlid not in self.refs:
            self.refs[xmlid] = self.env.ref(xmlid).id
        return self.refs[xmlid]

    def user(self, login: str | None) -> int | bool:
        return self.ref(SALESPEOPLE[login][0]) if login else False

    def load(self) -> None:
        _ensure_rates(self.env, self.plan.today)
        self.bar.step("customers")
        partners = self._customers()
        self.bar.advance(len(self.plan.customers), "deals")
        leads = self.env["crm.lead"].browse()
        for start in range(0, len(self.plan.deals), BATCH):
            batch = self.plan.deals[start:start + BATCH]
            leads |= self._deals(batch, partners)
            self.bar.advance(len(batch))
        self.bar.step("stage history")
        self._backdate(leads)
        self._history(leads)
        self.bar.advance(len(leads), "follow-ups")
        self._followers(leads)
        self._activities(leads)
        self.bar.advance(len(leads), "chatter")
        self._messages(leads, partners)
        self.bar.advance(len(leads), "contracts")
        _documents(self.env, self.plan.today)
        self.bar.finish()

    # -- customers ---------------------------------------------------------------
    def _customers(self) -> list[dict]:
        """[{"company": id, "contacts": [ids]}] in the plan's order."""
        Partner = self.env["res.partner"]  # noqa: N806
        made = [c for c in self.plan.customers if not c.xmlid]
        values = [self._partner_values(c) for c in made]
        companies = Partner.create(values)
        # contacts share their company's address and tax id: given, nothing to copy after
        shared = ("street", "zip", "city", "country_id", "vat")
        contacts = Partner.create([
            {**contact, "parent_id": company.id, "type": "contact",
             **{name: company_values[name] for name in shared}}
            for customer, company, company_values in zip(made, companies, values, strict=True)
            for contact in customer.contacts])
        by_company: dict[int, list[int]] = {}
        for contact in contacts:
            by_company.setdefault(contact.parent_id.id, []).append(contact.id)
        self._addresses(made, companies)
        result, iterator = [], iter(companies)
        for customer in self.plan.customers:
            if customer.xmlid:
                company = self.env.ref(customer.xmlid)
                ids = company.child_ids.filtered(lambda c: c.type == "contact").ids
                result.append({"company": company.id, "contacts": ids})
            else:
                company = next(iterator)
                result.append({"company": company.id, "contacts": by_company[company.id]})
        return result

    def _partner_values(self, customer: Customer) -> dict:
        values = dict(customer.values)
        values["country_id"] = self.ref(f"base.{values.pop('country')}")
        values["source_id"] = self.ref(values.pop("source"))
        values["user_id"] = self.user(customer.login)
        return values

    def _addresses(self, made: list[Customer], companies: Any) -> None:
        """An invoice, delivery or factory address for one customer in eight."""
        rows = []
        for number, (customer, company) in enumerate(zip(made, companies, strict=True)):
            if number % 8 == 3:
                kind = ("invoice", "delivery", "factory")[number % 3]
                rows.append({"parent_id": company.id, "type": kind,
                             "street": customer.values["street"],
                             "city": customer.values["city"],
                             "zip": customer.values["zip"],
                             "country_id": self.ref(f"base.{customer.country}")})
        self.env["res.partner"].create(rows)

    # -- deals -----------------------------------------------------------------------
    def _deals(self, deals: list[Deal], partners: list[dict]) -> Any:
        return self.env["crm.lead"].create([self._deal_values(d, partners) for d in deals])

    def _deal_values(self, deal: Deal, partners: list[dict]) -> dict:
        plan = dict(deal.values)
        values = {key: plan[key] for key in ("name", "type", "expected_revenue", "priority",
                                             "date_deadline", "partner_name", "contact_name",
                                             "email_from", "description") if key in plan}
        values.update(user_id=self.user(deal.login),
                      team_id=self.ref(TEAMS[deal.team]) if deal.team else False,
                      source_id=self.ref(plan["source"]),
                      currency_id=self.ref(f"base.{plan.get('currency', 'USD')}"),
                      date_open=deal.created if deal.login else False,
                      date_last_stage_update=deal.moved or deal.created)
        if "country" in plan:
            values["country_id"] = self.ref(f"base.{plan['country']}")
        if deal.customer is not None:
            contacts = partners[deal.customer]["contacts"]
            values["partner_id"] = contacts[plan["contact"] % len(contacts)] if contacts \
                else partners[deal.customer]["company"]
            values["product_categ_id"] = self.ref(plan["product_line"])
            values["tag_ids"] = [(6, 0, [self.ref(tag) for tag in plan["tags"]])]
            values["campaign_id"] = self.ref(plan["campaign"]) if plan["campaign"] else False
            values["date_conversion"] = deal.converted
            values["collaborator_ids"] = [(6, 0, [self.user(login) for login in
                                                  plan.get("collaborators", [])])]
        if deal.kind in STAGES:
            values["stage_id"] = self.ref(STAGES[deal.kind])
        if deal.kind == "won":
            values.update(date_closed=deal.closed, probability=100.0)
        elif deal.kind == "lost":
            values.update(stage_id=self.ref(STAGES[plan["lost_stage"]]), active=False,
                          probability=0.0, automated_probability=0.0,
                          lost_reason_id=self.ref(plan["lost_reason"]), date_closed=deal.closed)
        return values

    def _backdate(self, leads: Any) -> None:
        """Creation dates and creators as the deals came in (one statement)."""
        table = leads._table_obj
        rows = [{"b_id": lead.id, "b_date": deal.created, "b_uid": self.user(deal.login) or
                 self.env.uid} for lead, deal in zip(leads, self.plan.deals, strict=True)]
        statement = sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
            create_date=sa.bindparam("b_date"), create_uid=sa.bindparam("b_uid"))
        self.env.transaction.execute(statement, rows)
        self.env.transaction.invalidate_model("crm.lead", leads.ids)
        self.env.registry.modified(leads, ["date_open", "date_closed"])
        leads.flush_model()

    # -- history, follow-ups, chatter ------------------------------------------------
    def _moves(self, deal: Deal) -> list[tuple[str, int | bool, int, dt.datetime]]:
        """(kind, from stage, stage, date) of the deal's way through the pipeline."""
        if deal.kind == "lead":
            return []
        last = {"won": "negotiation", "lost": deal.values.get("lost_stage")}.get(
            deal.kind, deal.kind)
        path = [self.ref(STAGES[key]) for key in OPEN_PATH[:OPEN_PATH.index(last) + 1]]
        end = deal.closed or deal.moved
        span = max((end - deal.converted).total_seconds(), 3600.0)
        moves, previous = [], False
        for step, stage in enumerate(path):
            when = deal.converted + dt.timedelta(seconds=span * step / len(path))
            moves.append(("entered" if step == 0 else "moved", previous, stage, when))
            previous = stage
        if deal.kind == "won":
            moves.append(("won", previous, self.ref(STAGES["won"]), deal.closed))
        elif deal.kind == "lost":
            moves.append(("lost", previous, previous, deal.closed))
        return moves

    def _history(self, leads: Any) -> None:
        """The stage history as the deals lived it (instead of today's entries)."""
        History = self.env["crm.lead.stage.history"].sudo()  # noqa: N806
        History.search([("lead_id", "in", leads.ids)]).unlink()
        rows = []
        for lead, deal in zip(leads, self.plan.deals, strict=True):
            for kind, from_stage, stage, when in self._moves(deal):
                rows.append({"lead_id": lead.id, "kind": kind, "from_stage_id": from_stage,
                             "stage_id": stage, "date": when, "user_id": lead.user_id.id,
                             "team_id": lead.team_id.id, "company_id": lead.company_id.id,
                             "amount": lead.company_expected_revenue})
        History.create(rows)

    def _followers(self, leads: Any) -> None:
        """Salespeople follow their deals and customers (one batch per salesperson)."""
        by_user: dict[int, list[int]] = {}
        for lead in leads:
            for user in lead.user_id | lead.collaborator_ids:
                by_user.setdefault(user.partner_id.id, []).append(lead.id)
        for partner_id, ids in by_user.items():
            leads.browse(ids)._message_subscribe_partners([partner_id])

    def _activities(self, leads: Any) -> None:
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = self.plan.today
        rows = [{"res_model_id": model_id, "res_model": "crm.lead", "res_id": lead.id,
                 "activity_type_id": self.ref(kind), "summary": summary,
                 "date_deadline": today + dt.timedelta(days=offset),
                 "user_id": lead.user_id.id or self.env.uid}
                for lead, deal in zip(leads, self.plan.deals, strict=True)
                for kind, summary, offset in deal.activities]
        self.env["mail.activity"].create(rows)

    def _messages(self, leads: Any, partners: list[dict]) -> None:
        """Creation notes, stage changes (tracked), e-mails, answers and notes."""
        rows, created = [], self._created_text()
        for lead, deal in zip(leads, self.plan.deals, strict=True):
            rows.append(self._message(lead, "notification", deal.created, created,
                                      lead.user_id.partner_id, "mail.mt_note"))
            rows += self._stage_messages(lead, deal)
            contact = lead.partner_id
            for message in deal.messages:
                if message["kind"] == "email":
                    rows.append(self._message(lead, "email", message["date"], message["body"],
                                              contact, "mail.mt_comment"))
                else:
                    rows.append(self._message(
                        lead, "comment", message["date"], message["body"],
                        lead.user_id.partner_id,
                        "mail.mt_comment" if message["kind"] == "answer" else "mail.mt_note"))
        for start in range(0, len(rows), 1000):
            self.env["mail.message"].create(rows[start:start + 1000])

    def _stage_messages(self, lead: Any, deal: Deal) -> list[dict]:
        Tracking = self.env["mail.tracking.value"]  # noqa: N806
        Stage = self.env["crm.stage"]  # noqa: N806
        field_stage = lead._fields["stage_id"]
        rows = []
        for kind, from_stage, stage, when in self._moves(deal):
            if kind == "lost":
                body = f"Lost: {deal.values['lost_feedback']}"
                rows.append(self._message(lead, "comment", when, body, lead.user_id.partner_id,
                                          "crm.mt_lead_lost"))
            elif from_stage:
                tracking = Tracking._create_tracking_values(
                    Stage.browse(from_stage), Stage.browse(stage), field_stage, lead)
                subtype = "crm.mt_lead_won" if kind == "won" else "crm.mt_lead_stage"
                row = self._message(lead, "notification", when, "", lead.user_id.partner_id,
                                    subtype)
                row["tracking_value_ids"] = [(0, 0, tracking)]
                rows.append(row)
        return rows

    def _created_text(self) -> str:
        """What mail.thread logs when a record is created."""
        from core.i18n.translate import _, model_description

        return str(_(self.env, "%(document)s created",
                     document=model_description(self.env, self.env["crm.lead"])))

    def _message(self, lead: Any, message_type: str, when: dt.datetime, body: str,
                 author: Any, subtype: str) -> dict:
        author = author or self.env.user.partner_id
        return {"model": "crm.lead", "res_id": lead.id, "message_type": message_type,
                "date": when, "body": f"<p>{_escape(body)}</p>" if body else "",
                "author_id": author.id or False, "email_from": author.email_formatted or False,
                "subtype_id": self.ref(subtype), "record_name": lead.name}


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _ensure_rates(env: Any, today: dt.date) -> None:
    """Rates of EUR and JPY from before the oldest deal, unless there are some."""
    Rate = env["res.currency.rate"]  # noqa: N806
    for code, rate in RATES.items():
        currency = env.ref(f"base.{code}")
        if currency != env.company.currency_id and not Rate.search_count(
                [("currency_id", "=", currency.id)]):
            Rate.create({"currency_id": currency.id, "rate": rate,
                         "name": today - dt.timedelta(days=540)})


def _documents(env: Any, today: dt.date) -> None:
    """Contracts of a few customers, one of them about to expire."""
    Document = env["crm.partner.document"]  # noqa: N806
    for key, name, kind, days, remind in (
            ("lichtwerk", "Exclusive distribution agreement DACH", "agreement", 20, 30),
            ("al_noor", "Mutual NDA", "nda", 400, 30),
            ("hikari", "Quality agreement", "quality", -10, 30),
            ("brightpath", "Price agreement", "price", 75, 60),
            ("luz_brasil", "Distribution agreement Brazil", "agreement", 240, 60),
            ("tokyo_shomei", "Price agreement", "price", 150, 30)):
        partner = env.ref(f"crm.customer_{key}")
        Document.create({"partner_id": partner.id, "name": name, "document_type": kind,
                         "date_start": today - dt.timedelta(days=365),
                         "expiry_date": today + dt.timedelta(days=days),
                         "reminder_days": remind, "user_id": partner.user_id.id})
    Document._cron_expiry_reminders()
