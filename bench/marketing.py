"""Queuing and sending a mailing to 10,000 contacts: time and queries.

    python bench/marketing.py                      # both backends
    python bench/marketing.py --backend sqlite --recipients 2000 --no-smtp

A database with ``crm_marketing`` gets a list of ``--recipients`` contacts
(1 in 100 blacklisted, 1 in 50 opted out). A marketing user (access rights and
record rules apply) runs ``action_send_mail()`` on a mailing with a subject
and a body holding placeholders and two links: the traces, the rendered,
link-tracked mails and their queue entries are created in batches of 500.
Then the mail queue (``process_email_queue`` and the job runner, batches of
100 in jobs of their own) sends them to a local SMTP server (aiosmtpd on a
loopback port) unless ``--no-smtp``. Printed: seconds, SQL statements, and
the rate. PostgreSQL comes from ``TROIKA_TEST_PG`` (a fresh database is created
and dropped). Not part of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.modules.manager import open_database  # noqa: E402
from core.orm import sql  # noqa: E402
from core.workflow.jobs import run_pending  # noqa: E402

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
BODY = ("<p>Dear {{ object.name }},</p><p>Our new LED panels for {{ object.company_name }}: "
        "<a href='https://shop.troika.example/panels'>the range</a> and "
        "<a href='https://shop.troika.example/quote'>ask for a quote</a>.</p>")


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


def prepare(db, recipients: int) -> tuple[int, int]:
    with db.env() as env:
        env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
        group = env.ref("crm_marketing.group_mass_mailing_user")
        user = env["res.users"].create({"name": "Bench Marketing", "login": "bench_marketing",
                                        "email": "bench@troika.example",
                                        "groups_id": [(6, 0, [group.id])]})
        news = env["mailing.list"].create({"name": "Bench news"})
        for start in range(0, recipients, 1000):
            env["mailing.contact"].create([
                {"name": f"Buyer {i}", "email": f"buyer{i}@distri{i % 97}.example",
                 "company_name": f"Distributor {i % 97}", "list_ids": [(6, 0, news.ids)]}
                for i in range(start, min(start + 1000, recipients))])
        for i in range(0, recipients, 100):
            env["mail.blacklist"]._add(f"buyer{i}@distri{i % 97}.example")
        subscriptions = env["mailing.subscription"].search([("list_id", "=", news.id)])
        subscriptions.filtered(lambda s: s.id % 50 == 1).write({"opt_out": True})
        mailing = env["mailing.mailing"].with_user(user).create({
            "subject": "LED panels for {{ object.name }}", "body_html": BODY,
            "email_from": "Marketing <marketing@troika.example>",
            "contact_list_ids": [(6, 0, news.ids)]})
        return user.id, mailing.id


def queue(db, uid: int, mailing_id: int) -> tuple[float, int, int]:
    with Counter(db.engine) as counter, db.env(user=uid) as env:
        started = time.perf_counter()
        traces = env["mailing.mailing"].browse(mailing_id).action_send_mail()
        count = len(traces)
        env.flush_all()
    return time.perf_counter() - started, counter.count, count


def send(db, port: int) -> tuple[float, int, int]:
    os.environ["TROIKA_SMTP_HOST"], os.environ["TROIKA_SMTP_PORT"] = "127.0.0.1", str(port)
    with Counter(db.engine) as counter:
        started = time.perf_counter()
        with db.env() as env:
            env["mail.mail"].process_email_queue()
        run_pending(db)
        elapsed = time.perf_counter() - started
    with db.env() as env:
        sent = env["mailing.trace"].search_count([("trace_status", "=", "sent")])
    return elapsed, counter.count, sent


def smtp_sink() -> tuple[object, int]:
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def run_backend(backend: str, recipients: int, smtp: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        if backend == "sqlite":
            url = f"sqlite:///{directory}/marketing.db"
        else:
            name = f"troika_bench_{uuid.uuid4().hex[:8]}"
            url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
            sql.create_database(url)
        try:
            db = open_database(url)
            db.install(["crm_marketing"])
            uid, mailing_id = prepare(db, recipients)
            if backend == "postgresql":
                with db.env() as env:
                    env.execute(sa.text("ANALYZE"))
            seconds, queries, traces = queue(db, uid, mailing_id)
            print(f"{backend}: queued {traces} traces ({recipients} recipients) in "
                  f"{seconds:.1f} s, {queries} queries, {traces / seconds:.0f} per second")
            if smtp:
                controller, port = smtp_sink()
                try:
                    seconds, queries, sent = send(db, port)
                finally:
                    controller.stop()
                print(f"{backend}: sent {sent} mails over SMTP in {seconds:.1f} s, "
                      f"{queries} queries, {sent / seconds:.0f} per second")
            db.close()
        finally:
            sql.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--no-smtp", action="store_true")
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "all" else [args.backend]):
        run_backend(backend, args.recipients, not args.no_smtp)


if __name__ == "__main__":
    main()
