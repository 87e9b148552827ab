"""CRM at 100,000 deals: the pipeline kanban, the forecast report, the dashboard
and a search by customer name.

    python bench/crm.py                          # PostgreSQL (TROIKA_TEST_PG), 100,000 deals
    python bench/crm.py --backend sqlite --leads 20000 --rounds 5

A fresh database gets ``crm`` and a generated export pipeline: 8
salespeople in 3 teams, 2,000 customer companies in 14 countries, deals
spread over 24 months of expected closing dates in USD, EUR and JPY, a
third of them closed (won or lost), 10,000 planned activities. Each
operation runs as a sales manager (record rules applied) in a transaction
of its own; the best and the median of ``--rounds`` runs are printed
(target: each under 300 ms on PostgreSQL). The web pages are the real
client's (werkzeug test client against the Application). Not part of the
test suite: figures depend on the machine; docs/crm.md has this machine's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.modules.manager import open_database  # noqa: E402
from core.orm import sql  # noqa: E402

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
COUNTRIES = ("de", "fr", "nl", "gb", "it", "us", "ca", "br", "mx", "jp", "kr", "ae", "sa", "au")
CURRENCY = {"de": "EUR", "fr": "EUR", "nl": "EUR", "it": "EUR", "jp": "JPY"}
CHUNK = 5_000


def generate(db, leads: int, say: Callable[[str], None]) -> None:
    """The users, teams, customers, deals and activities (seeded: the same data
    each time)."""
    rng = random.Random(7)
    with db.env() as env:
        env = env(context={"tracking_disable": True, "mail_create_nolog": True})
        for code, rate in (("EUR", 0.92), ("JPY", 151.0)):
            currency = env.ref(f"base.{code}")
            currency.active = True
            env["res.currency.rate"].create({"currency_id": currency.id, "rate": rate,
                                             "name": "2020-01-01"})
        group = env.ref("sales_team.group_sale_salesman")
        users = env["res.users"].create([{
            "name": f"Seller {i}", "login": f"seller{i}", "password": f"seller{i}",
            "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])]}
            for i in range(8)])
        manager = env["res.users"].create({
            "name": "Owner", "login": "owner", "password": "owner",
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_manager").id])]})
        teams = env["crm.team"].create([{
            "name": f"Team {i}", "user_id": users[i * 3].id,
            "member_ids": [(6, 0, users[i * 3:i * 3 + 3].ids)]} for i in range(3)])
        countries = [env.ref(f"base.{code}") for code in COUNTRIES]
        customers = env["res.partner"].create([{
            "name": f"Customer {i:04d} Lighting GmbH", "is_company": True,
            "country_id": countries[i % len(countries)].id,
            "email": f"buyer@customer{i:04d}.example"} for i in range(2000)])
        say(f"    {len(customers)} customers, {len(users)} salespeople, {len(teams)} teams")
        _deals(env, rng, leads, users, teams, customers, say)
        _activities(env, rng, users, min(10_000, leads // 10))
        manager_id = manager.id
    return manager_id


def _deals(env, rng, leads, users, teams, customers, say) -> None:
    stages = env["crm.stage"].search([], order="sequence")
    open_stages, won = stages.filtered(lambda s: not s.is_won), stages.filtered("is_won")
    currencies = {code: env.ref(f"base.{code}").id for code in ("USD", "EUR", "JPY")}
    lines = env["product.category"].create([{"name": f"Line {i}"} for i in range(5)]).ids
    today = dt.date.today()
    start = time.perf_counter()
    for offset in range(0, leads, CHUNK):
        values = []
        for i in range(offset, min(offset + CHUNK, leads)):
            customer = customers[i % len(customers)]
            code = CURRENCY.get(customer.country_id.code.lower(), "USD")
            user = users[i % len(users)]
            closed = i % 3 == 0
            values.append({
                "name": f"Deal {i:06d}", "type": "opportunity", "partner_id": customer.id,
                "user_id": user.id, "team_id": teams[(i % len(users)) // 3 % 3].id,
                "stage_id": (won if closed and i % 6 == 0 else
                             open_stages[i % len(open_stages)]).id,
                "currency_id": currencies[code], "product_categ_id": lines[i % 5],
                "expected_revenue": float(rng.randrange(1000, 200000, 100)) *
                (150 if code == "JPY" else 1),
                "date_deadline": today + dt.timedelta(days=rng.randint(-360, 360))})
        created = env["crm.lead"].create(values)
        lost = created.filtered(lambda lead: lead.id % 6 == 3)
        lost.action_set_lost()
        env.flush_all()
        env.invalidate_all()
        say(f"    {min(offset + CHUNK, leads):,} deals ({time.perf_counter() - start:.0f} s)")


def _activities(env, rng, users, count) -> None:
    ids = env["crm.lead"].search([("won_status", "=", "pending")], limit=count).ids
    model = env["ir.model"]._get_id("crm.lead")
    todo = env.ref("mail.mail_activity_data_todo").id
    today = dt.date.today()
    env["mail.activity"].create([{
        "res_model": "crm.lead", "res_model_id": model, "res_id": lead_id,
        "activity_type_id": todo, "summary": "Follow up", "user_id": users[i % 8].id,
        "date_deadline": today + dt.timedelta(days=rng.randint(-20, 30))}
        for i, lead_id in enumerate(ids)])


def timed(db, uid: int, work: Callable, rounds: int) -> list[float]:
    """Seconds per run; ORM work gets a transaction as ``uid``, pages (which open
    their own) none."""
    results = []
    for _round in range(rounds):
        if getattr(work, "is_page", False):
            start = time.perf_counter()
            work(None)
            results.append(time.perf_counter() - start)
            continue
        with db.env(user=uid) as env:
            start = time.perf_counter()
            work(env)
            results.append(time.perf_counter() - start)
    return results


def operations(db, app) -> dict[str, Callable]:
    from werkzeug.test import Client

    from tests.web.conftest import WebClient

    client = WebClient(Client(app), None)
    client.login("owner", "owner")
    with db.env() as env:
        pipeline = env.ref("crm.crm_lead_action_pipeline").id
        dashboard = env.ref("crm.crm_dashboard_action").id

    def page(url: str) -> Callable:
        def get(_env):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        get.is_page = True
        return get

    opportunities = [("type", "=", "opportunity")]
    return {
        "kanban grouping (read_group by stage)": lambda env: env["crm.lead"].read_group(
            opportunities, ["company_expected_revenue:sum"], ["stage_id"], lazy=False),
        "forecast by month": lambda env: env["crm.pipeline.report"].forecast(
            "date_deadline:month"),
        "forecast by salesperson": lambda env: env["crm.pipeline.report"].forecast("user_id"),
        "win rate by market": lambda env: env["crm.pipeline.report"].win_rate("market_id"),
        "dashboard figures": lambda env: env["crm.pipeline.report"].dashboard(),
        "search by customer name": lambda env: env["crm.lead"].search(
            [("partner_id", "ilike", "Customer 1234")], limit=80).mapped("name"),
        "pipeline kanban page": page(f"/web/action/{pipeline}?view_type=kanban&s=1"),
        "dashboard page": page(f"/web/action/{dashboard}?s=1"),
    }


def run(url: str, leads: int, rounds: int) -> None:
    from core.http.app import Application

    print(f"{sa.make_url(url).get_backend_name()}: {leads:,} deals")
    db = open_database(url)
    try:
        start = time.perf_counter()
        db.install(["crm"])
        manager = generate(db, leads, lambda message: print(message, flush=True))
        print(f"    prepared in {time.perf_counter() - start:.0f} s")
        vacuum(db)
        ops = operations(db, Application(db))
        for name, work in ops.items():
            times = timed(db, manager, work, rounds)
            print(f"  {name:40s} best {min(times) * 1000:7.1f} ms   "
                  f"median {statistics.median(times) * 1000:7.1f} ms", flush=True)
    finally:
        db.close()


def vacuum(db) -> None:
    """What autovacuum would have done by now: the creation's updates leave dead
    rows behind, and the planner needs statistics of the new tables."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            run(f"sqlite:///{directory}/bench_crm.db", args.leads, args.rounds)
        return
    name = f"troika_bench_crm_{uuid.uuid4().hex[:8]}"
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    sql.create_database(url)
    try:
        run(url, args.leads, args.rounds)
    finally:
        sql.drop_database(url)


if __name__ == "__main__":
    main()
