"""Campaign ROI at 200 campaigns and 100,000 deals, and the public lead form at that size.

    python bench/marketing_roi.py                    # PostgreSQL (TROIKA_TEST_PG)
    python bench/marketing_roi.py --backend sqlite --leads 20000 --rounds 5

A fresh database gets ``crm_marketing`` and ``sale`` (so ``sale_crm``), then
bench/crm.py's generated pipeline (8 salespeople in 3 teams, 2,000
customers, deals in USD, EUR and JPY, a third closed); nine deals in ten are
attributed to one of ``--campaigns`` campaigns (each with a cost), and
``--orders`` won deals get a confirmed sales order. Timed as a marketing user
(no right on the deals: the figures are aggregates) and as the sales
manager, best and median of ``--rounds`` runs: the figures of every campaign
(``read``), ``utm.campaign.roi_report()``, the Campaign ROI page and its list
(the web client), with their statement counts, and a submission of the
public lead form (/contactus: checks, rate limit, the lead, assignment and
the duplicate search at that size). Not part of the test suite: figures
depend on the machine; docs/campaign-roi.md has this machine's.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crm import PG_URL, generate, vacuum  # noqa: E402
from core.modules.manager import open_database  # noqa: E402
from core.orm import sql  # noqa: E402
from tests.fixtures import QueryCounter  # noqa: E402

FIGURES = ["crm_lead_count", "opportunity_count", "won_count", "won_revenue", "order_revenue",
           "revenue", "roi", "cost_per_lead"]


def attribute(db, campaigns: int, orders: int, say) -> int:
    """Campaigns with costs, nine deals in ten attributed to them, confirmed orders on
    won deals; returns the marketing user's id."""
    with db.env() as env:
        env = env(context={"tracking_disable": True, "mail_create_nolog": True})
        made = env["utm.campaign"].create([{"name": f"Campaign {i:03d}",
                                            "cost": 500.0 + 25.0 * i}
                                           for i in range(campaigns)])
        first, leads = made.ids[0], env["crm.lead"]._table_obj
        # bench data only: a set-based update rather than 90,000 ORM writes
        env.execute(sa.update(leads).where(leads.c.id % 10 != 0).values(
            campaign_id=first + leads.c.id % campaigns))
        env.invalidate_all()
        marketer = env["res.users"].create({
            "name": "Marketer", "login": "marketer", "password": "marketer",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("crm_marketing.group_mass_mailing_user").id])]})
        _orders(env, orders, say)
        return marketer.id


def _orders(env, count: int, say) -> None:
    if not count or "sale.order" not in env:
        return
    product = env["product.product"].create({"name": "LED high bay 150 W",
                                             "list_price": 120.0})
    won = env["crm.lead"].search([("won_status", "=", "won"), ("campaign_id", "!=", False),
                                  ("partner_id", "!=", False)], limit=count, order="id")
    start = time.perf_counter()
    for offset in range(0, len(won), 500):
        chunk = won[offset:offset + 500]
        orders = env["sale.order"].create([{
            "partner_id": lead.partner_id.id, "opportunity_id": lead.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 10 + i % 90,
                                   "price_unit": 120.0})]}
            for i, lead in enumerate(chunk)])
        orders.action_confirm()
        env.flush_all()
        env.invalidate_all()
        say(f"    {offset + len(chunk):,} confirmed orders "
            f"({time.perf_counter() - start:.0f} s)")


def measure(db, uid: int | None, work, rounds: int) -> tuple[list[float], int]:
    """Seconds of each run and the statements of the last one."""
    times, count = [], 0
    for _round in range(rounds):
        with QueryCounter(db.engine) as counter:
            if uid is None:
                start = time.perf_counter()
                work(None)
            else:
                with db.env(user=uid) as env:
                    start = time.perf_counter()
                    work(env)
            times.append(time.perf_counter() - start)
        count = counter.count
    return times, count


def operations(db, app, marketer: int) -> list[tuple[str, int | None, object]]:
    from werkzeug.test import Client

    from tests.web.conftest import WebClient

    client = WebClient(Client(app), None)
    client.login("owner", "owner")
    with db.env() as env:
        action = env.ref("crm_marketing.utm_campaign_action_roi").id
        owner = env["res.users"].search([("login", "=", "owner")]).id

    def page(url: str):
        def get(_env):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        return get

    submissions = iter(range(10**6))

    def submit(_env):
        number = next(submissions)
        visitor = Client(app)
        address = {"REMOTE_ADDR": f"10.{number // 65536 % 256}.{number // 256 % 256}."
                                  f"{number % 256}"}
        html = visitor.get("/contactus?utm_campaign=Campaign+007&utm_medium=Email",
                           environ_base=address).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = visitor.post("/contactus", environ_base=address, data={
            "csrf_token": token, "name": "Anna Berg", "email": f"anna{number}@example.com",
            "company": f"Customer {number % 2000:04d} Lighting GmbH", "country_id": "",
            "message": "500 panels, please.", "utm_campaign": "Campaign 007",
            "utm_medium": "Email"})
        assert response.status_code == 303, response.status_code

    def figures(env):
        env["utm.campaign"].search([]).read(FIGURES)

    def report(env):
        env["utm.campaign"].roi_report()

    return [
        ("figures of every campaign (read), marketer", marketer, figures),
        ("roi_report(), marketer", marketer, report),
        ("roi_report(), sales manager", owner, report),
        ("Campaign ROI page (web client)", None, page(f"/web/action/{action}?s=1")),
        ("Campaign ROI list page, 80 rows", None,
         page(f"/web/action/{action}?s=1&view_type=list")),
        ("lead form: GET and POST (/contactus)", None, submit),
    ]


def run(url: str, leads: int, campaigns: int, orders: int, rounds: int) -> None:
    from core.http.app import Application

    print(f"{sa.make_url(url).get_backend_name()}: {leads:,} deals, {campaigns} campaigns, "
          f"{orders:,} confirmed orders")
    db = open_database(url)
    try:
        start = time.perf_counter()
        db.install(["crm_marketing", "sale"])
        generate(db, leads, lambda message: print(message, flush=True))
        marketer = attribute(db, campaigns, orders, lambda m: print(m, flush=True))
        with db.env() as env:
            env["ir.config_parameter"].set_param("crm_marketing.lead_form_limit", "0")
        print(f"    prepared in {time.perf_counter() - start:.0f} s")
        vacuum(db)
        for name, uid, work in operations(db, Application(db), marketer):
            times, count = measure(db, uid, work, rounds)
            print(f"  {name:45s} best {min(times) * 1000:7.1f} ms   "
                  f"median {statistics.median(times) * 1000:7.1f} ms   "
                  f"{count} statements", flush=True)
        with db.env() as env:
            totals = env["utm.campaign"].roi_report()["totals"]
            print(f"  totals: {totals}")
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--orders", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            run(f"sqlite:///{directory}/bench_roi.db", args.leads, args.campaigns,
                args.orders, args.rounds)
        return
    name = f"troika_bench_roi_{uuid.uuid4().hex[:8]}"
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    sql.create_database(url)
    try:
        run(url, args.leads, args.campaigns, args.orders, args.rounds)
    finally:
        sql.drop_database(url)


if __name__ == "__main__":
    main()
