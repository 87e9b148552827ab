"""ORM against raw SQLAlchemy Core on the same tables and the same data.

    python bench/orm.py                      # SQLite and PostgreSQL
    python bench/orm.py --backend sqlite --rounds 5

Prints one line per operation: the ORM's time, raw Core's time for the
same work and their ratio (best of ``--rounds``). PostgreSQL comes from
``TROIKA_TEST_PG`` (a fresh database is created and dropped). Not part
of the test suite: figures depend on the machine.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import api, fields, models  # noqa: E402
from core.orm import sql  # noqa: E402
from core.orm.database import Database  # noqa: E402
from core.orm.registry import Registry  # noqa: E402

N = 10_000
SEARCH_ROWS = 100_000
PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


class BenchPartner(models.Model):
    _name = "bench.partner"
    name = fields.Char(required=True)


class BenchRecord(models.Model):
    _name = "bench.record"
    name = fields.Char(required=True)
    ref = fields.Char()
    qty = fields.Integer()
    price = fields.Float()
    date = fields.Date()
    partner_id = fields.Many2one("bench.partner")


class BenchLine(models.Model):
    _name = "bench.line"
    qty = fields.Integer()
    price = fields.Float()
    total = fields.Float(compute="_compute_total", store=True)

    @api.depends("qty", "price")
    def _compute_total(self):
        for line in self:
            line.total = line.qty * line.price


def record_values(count: int, partner_ids: list[int], offset: int = 0) -> list[dict]:
    day = dt.date(2026, 1, 1)
    return [{"name": f"Record {offset + i}", "ref": f"R{offset + i:06d}", "qty": (i * 7) % 1000,
             "price": float((i * 13) % 997), "date": day + dt.timedelta(days=i % 365),
             "partner_id": partner_ids[i % len(partner_ids)]} for i in range(count)]


class Bench:
    def __init__(self, url: str, rounds: int):
        registry = Registry()
        for cls in (BenchPartner, BenchRecord, BenchLine):
            registry.add(cls, module="bench")
        registry.setup()
        self.db = Database(url, registry)
        self.db.sync_schema()
        self.engine = self.db.engine
        self.rounds = rounds
        self.records = registry["bench.record"]._table_obj
        self.lines = registry["bench.line"]._table_obj
        with self.db.env() as env:
            self.partner_ids = env["bench.partner"].create(
                [{"name": f"Partner {i}"} for i in range(20)]).ids

    # -- helpers -------------------------------------------------------------
    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(self.records))
            conn.execute(sa.delete(self.lines))

    def seed(self, count: int) -> list[int]:
        with self.engine.begin() as conn:
            rows = record_values(count, self.partner_ids)
            result = conn.execute(self.records.insert().returning(
                self.records.c.id, sort_by_parameter_order=True), rows)
            return list(result.scalars())

    def best(self, prepare: Callable[[], object], run: Callable[[object], object],
             repeat: int = 1) -> float:
        """The best time of ``rounds`` runs (each the mean of ``repeat`` calls)."""
        times = []
        for _ in range(self.rounds):
            state = prepare()
            start = time.perf_counter()
            for _ in range(repeat):
                run(state)
            times.append((time.perf_counter() - start) / repeat)
        return min(times)

    # -- operations ------------------------------------------------------------
    def create(self) -> tuple[float, float]:
        values = record_values(N, self.partner_ids)

        def orm(_state):
            with self.db.env() as env:
                env["bench.record"].create(values)

        def core(_state):
            # a plain executemany: no ids come back (the ORM needs them)
            with self.engine.begin() as conn:
                conn.execute(self.records.insert(), values)

        return self.best(self.clear, orm), self.best(self.clear, core)

    def read(self) -> tuple[float, float]:
        names = ["name", "ref", "qty", "price", "date"]

        def prepare():
            self.clear()
            return self.seed(N)

        def orm(ids):
            with self.db.env() as env:
                env["bench.record"].browse(ids).read(names)

        def core(ids):
            table = self.records
            with self.engine.begin() as conn:
                rows = conn.execute(sa.select(table.c.id, *(table.c[n] for n in names))
                                    .where(table.c.id.in_(ids)))
                [dict(row._mapping) for row in rows]

        return self.best(prepare, orm), self.best(prepare, core)

    def search(self) -> tuple[float, float]:
        self.clear()
        self.seed(SEARCH_ROWS)
        partner = self.partner_ids[3]
        domain = [("qty", ">=", 100), ("price", "<", 500.0), ("partner_id", "=", partner)]

        def orm(_state):
            with self.db.env() as env:
                env["bench.record"].search(domain)

        def core(_state):
            table = self.records
            with self.engine.begin() as conn:
                conn.execute(sa.select(table.c.id).where(
                    table.c.qty >= 100, table.c.price < 500.0, table.c.partner_id == partner)
                    .order_by(table.c.id)).scalars().all()

        orm(None)  # the first run of each compiles its statement: not measured
        core(None)
        return (self.best(lambda: None, orm, repeat=10),
                self.best(lambda: None, core, repeat=10))

    def write(self) -> tuple[float, float]:
        def prepare():
            self.clear()
            return self.seed(N)

        def orm(ids):
            with self.db.env() as env:
                env["bench.record"].browse(ids).write({"qty": 42})

        def core(ids):
            table = self.records
            with self.engine.begin() as conn:
                conn.execute(sa.update(table).where(table.c.id.in_(ids)).values(qty=42))

        return self.best(prepare, orm), self.best(prepare, core)

    def unlink(self) -> tuple[float, float]:
        def prepare():
            self.clear()
            return self.seed(N)

        def orm(ids):
            with self.db.env() as env:
                env["bench.record"].browse(ids).unlink()

        def core(ids):
            table = self.records
            with self.engine.begin() as conn:
                conn.execute(sa.delete(table).where(table.c.id.in_(ids)))

        return self.best(prepare, orm), self.best(prepare, core)

    def recompute(self) -> tuple[float, float]:
        table = self.lines

        def prepare():
            self.clear()
            rows = [{"qty": i % 50, "price": float(i % 100), "total": float((i % 50) * (i % 100))}
                    for i in range(N)]
            with self.engine.begin() as conn:
                return list(conn.execute(table.insert().returning(
                    table.c.id, sort_by_parameter_order=True), rows).scalars())

        def orm(ids):
            with self.db.env() as env:
                env["bench.line"].browse(ids).write({"price": 3.5})

        def core(ids):
            with self.engine.begin() as conn:
                conn.execute(sa.update(table).where(table.c.id.in_(ids)).values(price=3.5))
                rows = conn.execute(sa.select(table.c.id, table.c.qty, table.c.price)
                                    .where(table.c.id.in_(ids))).all()
                params = [{"_id": id_, "total": qty * price} for id_, qty, price in rows]
                conn.execute(sa.update(table).where(table.c.id == sa.bindparam("_id"))
                             .values(total=sa.bindparam("total")), params)

        return self.best(prepare, orm), self.best(prepare, core)


OPERATIONS = [
    ("create 10,000 (5 scalars + many2one)", "create"),
    ("read 5 fields of 10,000", "read"),
    ("search 3-leaf domain over 100,000", "search"),
    ("write one field on 10,000", "write"),
    ("unlink 10,000", "unlink"),
    ("recompute stored compute on 10,000", "recompute"),
]


def run_backend(backend: str, rounds: int) -> None:
    if backend == "sqlite":
        directory = tempfile.mkdtemp(prefix="troika_bench_")
        url = f"sqlite:///{directory}/bench.db"
    else:
        url = sa.make_url(PG_URL).set(database=f"troika_bench_{uuid.uuid4().hex[:8]}") \
            .render_as_string(hide_password=False)
    sql.create_database(url)
    bench = Bench(url, rounds)
    try:
        print(f"\n{backend} ({rounds} rounds, best time)")
        print(f"  {'operation':40s} {'ORM':>9s} {'Core':>9s} {'ratio':>6s}")
        for label, method in OPERATIONS:
            orm, core = getattr(bench, method)()
            print(f"  {label:40s} {orm * 1000:7.1f}ms {core * 1000:7.1f}ms {orm / core:6.2f}",
                  flush=True)
    finally:
        bench.db.close()
        sql.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        run_backend(backend, args.rounds)


if __name__ == "__main__":
    main()
