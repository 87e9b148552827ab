"""Record rules cost: search and read as a user with two record rules vs as superuser.

    python bench/security.py                      # SQLite and PostgreSQL
    python bench/security.py --backend sqlite --rounds 5

A database with ``base`` and the ``ts_sales`` test addon
(tests/addons_security) holds 10,000 ``ts.order`` records. A user of
``ts_sales.group_own`` searches them and reads 5 fields; two rules apply
to them: "own documents only" (their group's) and the global
multi-company rule. The user owns every order, so both sides return the
same 10,000 rows and the difference is the cost of the rules (compiled
into the SQL of the search and of the fetch) and of the rights checks.
Prints the best time of ``--rounds`` (the two take turns in each round)
for each and the ratio (target: under 1.5), for the search alone and for
search + read. PostgreSQL comes from ``TROIKA_TEST_PG`` (a fresh database
is created and dropped). Not part of the test suite: figures depend on
the machine.
"""

from __future__ import annotations

import argparse
import gc
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
from core.orm import sql  # noqa: E402
from core.security import access  # noqa: E402

N = 10_000
FIELDS = ["name", "amount", "locked", "user_id", "company_id"]
ADDONS = str(ROOT / "tests" / "addons_security")
PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def prepare(db) -> int:
    """The orders and their user; returns the user's id."""
    with db.env() as env:
        company = env.ref("base.main_company")
        user = env["res.users"].sudo().create({
            "name": "Bench Seller", "login": "bench_seller",
            "groups_id": [(6, 0, [env.ref("ts_sales.group_own").id])],
            "company_id": company.id, "company_ids": [(6, 0, company.ids)]})
        env["ts.order"].sudo().create([
            {"name": f"Order {i:05d}", "user_id": user.id, "company_id": company.id,
             "amount": float(i % 997), "locked": i % 7 == 0} for i in range(N)])
        orders = env["ts.order"].with_user(user)
        condition = access.rule_condition(orders, "read")
        assert condition is not None, "the user must have record rules"
        rules = env["ir.rule"].search([("model_id.model", "=", "ts.order"),
                                       ("perm_read", "=", True)])
        applied = [rule.name for rule in rules
                   if not rule.groups or rule.groups & user.groups_id]
        print(f"  rules applied to the user: {', '.join(applied)}")
        return user.id


def best(rounds: int, *runs: Callable[[], int]) -> list[tuple[float, int]]:
    """The best time and the result of each function; the functions take turns
    in every round, so that a busy machine slows them alike."""
    times: list[list[float]] = [[] for _ in runs]
    counts = [0] * len(runs)
    for _ in range(rounds):
        for index, run in enumerate(runs):
            gc.collect()
            start = time.perf_counter()
            counts[index] = run()
            times[index].append(time.perf_counter() - start)
    return [(min(t), count) for t, count in zip(times, counts, strict=True)]


def run_backend(backend: str, rounds: int) -> None:
    if backend == "sqlite":
        directory = tempfile.mkdtemp(prefix="troika_bench_")
        url = f"sqlite:///{directory}/bench_security.db"
    else:
        url = sa.make_url(PG_URL).set(database=f"troika_bench_{uuid.uuid4().hex[:8]}") \
            .render_as_string(hide_password=False)
    db = open_database(url, ADDONS)
    try:
        db.install(["ts_sales"])
        print(f"\n{backend} ({rounds} rounds, best time; {N:,} records, {len(FIELDS)} fields)")
        uid = prepare(db)

        def as_superuser() -> int:
            with db.env() as env:
                return len(env["ts.order"].search([]).read(FIELDS))

        def as_user() -> int:
            with db.env(uid) as env:
                assert not env.su
                return len(env["ts.order"].search([]).read(FIELDS))

        def search_superuser() -> int:
            with db.env() as env:
                return len(env["ts.order"].search([("amount", ">=", 0)]))

        def search_user() -> int:
            with db.env(uid) as env:
                return len(env["ts.order"].search([("amount", ">=", 0)]))

        as_superuser(), as_user()          # warm up the registry and the connections
        for label, superuser, user in [("search", search_superuser, search_user),
                                       ("search + read", as_superuser, as_user)]:
            (su_time, su_count), (user_time, user_count) = best(rounds, superuser, user)
            assert su_count == user_count == N, (su_count, user_count)
            print(f"  {label:14s} superuser {su_time * 1000:7.1f}ms   user "
                  f"{user_time * 1000:7.1f}ms   ratio {user_time / su_time:5.2f} "
                  "(target < 1.5)", flush=True)
    finally:
        db.close()
        sql.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        run_backend(backend, args.rounds)


if __name__ == "__main__":
    main()
