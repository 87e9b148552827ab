"""A nurturing sequence run by the scheduler for 10,000 contacts: time and SQL
statements of each scheduler run.

    python bench/nurturing.py                      # PostgreSQL and SQLite
    python bench/nurturing.py --backend sqlite --contacts 2000

A database with ``crm_marketing`` gets ``--contacts`` partners and a sequence
on them: a welcome e-mail; a lead when its link is clicked; a to-do for the
salesperson when it is not opened within 3 days. With a fake clock, it times
the start (enrolment), the run that sends the welcome, 10 % of the contacts
clicking, the run that creates their leads, the run three days later that
schedules the to-dos, and a run with nothing due. PostgreSQL comes from
``TROIKA_TEST_PG`` (a fresh database is created and dropped). Not part of the
test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
from core.orm import fields, sql  # noqa: E402

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
START = dt.datetime(2026, 12, 7, 9, 0)
CRON = "crm_marketing.ir_cron_campaign_execute_activities"


class Clock:
    def __init__(self, start: dt.datetime):
        self.now = start
        fields.Datetime.now = staticmethod(lambda *_a: self.now)


class Counter:
    def __init__(self, engine: sa.Engine):
        self.engine, self.count = engine, 0

    def _record(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> Counter:
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._record)


def prepare(db, contacts: int) -> int:
    with db.env() as env:
        env["crm.team"].search([]).write({"assignment_optout": True})
        env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
        env["ir.config_parameter"].set_param("web.base.url", "https://erp.troika.example")
        tag = env["res.partner.category"].create({"name": "Fair 2026"})
        for start in range(0, contacts, 1000):
            env["res.partner"].with_context(tracking_disable=True).create([
                {"name": f"Contact {i}", "email": f"contact{i}@example.com",
                 "category_id": [(6, 0, [tag.id])]}
                for i in range(start, min(start + 1000, contacts))])
        mailing = env["mailing.mailing"].create({
            "subject": "Welcome {{ object.name }}", "email_from": "marketing@troika.example",
            "mailing_model_id": env["ir.model"]._get_id("res.partner"),
            "body_html": '<p>Dear {{ object.name }}, see <a href="https://shop.troika.example/'
                         'led">our LEDs</a>.</p>'})
        campaign = env["marketing.campaign"].create({
            "name": "Fair follow-up", "model_id": env["ir.model"]._get_id("res.partner"),
            "domain": "[('category_id.name', '=', 'Fair 2026')]"})
        Step = env["marketing.activity"]  # noqa: N806
        welcome = Step.create({"campaign_id": campaign.id, "name": "Welcome",
                               "activity_type": "email", "mass_mailing_id": mailing.id})
        Step.create({"campaign_id": campaign.id, "name": "Hand over", "parent_id": welcome.id,
                     "activity_type": "create_lead", "trigger_type": "mail_click"})
        Step.create({"campaign_id": campaign.id, "name": "Call", "parent_id": welcome.id,
                     "activity_type": "schedule_activity", "trigger_type": "mail_not_open",
                     "interval_number": 3, "interval_type": "days"})
        return campaign.id


def timed(db, label: str, work: Callable) -> None:
    with Counter(db.engine) as counter:
        began = time.perf_counter()
        with db.env() as env:
            detail = work(env)
        elapsed = time.perf_counter() - began
    print(f"  {label:<46} {elapsed:7.2f} s {counter.count:7d} statements  {detail or ''}")


def run(url: str, contacts: int) -> None:
    db = open_database(url)
    try:
        db.install(["crm_marketing"])
        clock = Clock(START)
        campaign_id = prepare(db, contacts)
        scheduler = lambda env: env.ref(CRON).method_direct_trigger()  # noqa: E731

        def start(env):
            campaign = env["marketing.campaign"].browse(campaign_id)
            campaign.action_start_campaign()
            return f"{campaign.running_participant_count} enrolled"

        def clicks(env):
            traces = env["mailing.trace"].search([("marketing_trace_id", "!=", False)],
                                                 order="id", limit=contacts // 10)
            traces.set_sent()
            traces.set_opened()
            traces.set_clicked()
            return f"{len(traces)} clicks"

        def counts(env):
            return (f"{env['mail.mail'].search_count([])} mails, "
                    f"{env['crm.lead'].search_count([])} leads, "
                    f"{env['mail.activity'].search_count([('res_model', '=', 'res.partner')])}"
                    " to-dos")

        timed(db, f"start: enrol {contacts} contacts", start)
        timed(db, "run 1: the welcome to everyone",
              lambda env: (scheduler(env), counts(env))[1])
        clock.now = START + dt.timedelta(hours=2)
        timed(db, f"{contacts // 10} contacts click (set_opened, set_clicked)", clicks)
        clock.now = START + dt.timedelta(hours=2, minutes=10)
        timed(db, "run 2: leads of the clicks", lambda env: (scheduler(env), counts(env))[1])
        clock.now = START + dt.timedelta(days=3, minutes=10)
        timed(db, "run 3: to-dos for the unopened (3 days later)",
              lambda env: (scheduler(env), counts(env))[1])
        clock.now = START + dt.timedelta(days=3, minutes=20)
        timed(db, "run 4: nothing due", lambda env: (scheduler(env), counts(env))[1])
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=10_000)
    args = parser.parse_args()
    if args.backend in ("postgresql", "both"):
        name = f"troika_bench_{uuid.uuid4().hex[:8]}"
        url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        sql.create_database(url)
        try:
            print(f"PostgreSQL, {args.contacts} contacts")
            run(url, args.contacts)
        finally:
            sql.drop_database(url)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as directory:
            print(f"SQLite, {args.contacts} contacts")
            run(f"sqlite:///{directory}/bench.db", args.contacts)


if __name__ == "__main__":
    main()
