"""Knowledge-base search on 10,000 articles: PostgreSQL with pg_trgm, PostgreSQL
without it, SQLite.

    python bench/helpdesk_kb.py                    # all three
    python bench/helpdesk_kb.py --backend sqlite --rounds 5

A database with ``crm_helpdesk`` gets 10,000 articles (half Chinese, half
English, 60-120 words each, from a fixed seed; 1 in 20 mentions 退貨, 10
have 退貨政策 in their title). An agent (record rules apply) runs
``knowledge.article.search_articles`` (title matches first, then the text;
20 results) for each query; the best of ``--rounds`` is printed in ms. On
PostgreSQL the same database is measured with the trigram indexes the addon
creates at install, then without them (dropped).
PostgreSQL comes from ``TROIKA_TEST_PG`` (a fresh database is created and
dropped). Not part of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
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

N = 10_000
QUERIES = ["退貨", "退貨政策", "驅動器 保固", "flicker", "dimmer flicker", "xyzzy"]
PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
ZH_WORDS = ["出貨", "報關", "燈具", "保固", "電源", "驅動器", "訂單", "付款", "信用狀", "交期",
            "包裝", "棧板", "貨櫃", "樣品", "認證", "色溫", "流明", "散熱", "安裝", "調光"]
EN_WORDS = ["shipment", "customs", "luminaire", "warranty", "driver", "order", "payment",
            "letter", "credit", "pallet", "container", "sample", "certificate", "lumen",
            "install", "dimmer", "flicker", "panel", "tube", "voltage"]


def article_values(rng: random.Random, index: int) -> dict:
    chinese = index % 2 == 0
    words = ZH_WORDS if chinese else EN_WORDS
    body = [rng.choice(words) for _ in range(rng.randint(60, 120))]
    if chinese and index % 20 == 0:
        body.insert(rng.randrange(len(body)), "退貨")
    title = [rng.choice(words) for _ in range(3)]
    if chinese and index % 1000 == 0:
        title.append("退貨政策")
    sep = "" if chinese else " "
    return {"name": sep.join(title), "lang": "zh_TW" if chinese else "en_US",
            "visibility": "public" if index % 3 else "internal",
            "body": f"<p>{sep.join(body[:40])}</p><p>{sep.join(body[40:])}</p>"}


def prepare(db) -> int:
    rng = random.Random(42)
    with db.env() as env:
        group = env.ref("crm_helpdesk.group_helpdesk_user")
        agent = env["res.users"].create({"name": "Bench Agent", "login": "bench_agent",
                                         "groups_id": [(6, 0, [group.id])]})
        for start in range(0, N, 1000):
            env["knowledge.article"].create([article_values(rng, i)
                                             for i in range(start, start + 1000)])
        return agent.id


def measure(db, uid: int, rounds: int) -> dict[str, tuple[float, int]]:
    results = {}
    for query in QUERIES:
        best, count = float("inf"), 0
        for _ in range(rounds):
            with db.env(user=uid) as env:
                started = time.perf_counter()
                found = env["knowledge.article"].search_articles(query, limit=20)
                count = len(found)
                best = min(best, time.perf_counter() - started)
        results[query] = (best * 1000, count)
    return results


def report(label: str, results: dict[str, tuple[float, int]]) -> None:
    print(f"\n{label}")
    for query, (ms, count) in results.items():
        print(f"  {query:<16} {ms:8.1f} ms  ({count} found)")


def run_backend(backend: str, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        if backend == "sqlite":
            url = f"sqlite:///{directory}/kb.db"
        else:
            name = f"troika_bench_{uuid.uuid4().hex[:8]}"
            url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
            sql.create_database(url)
        try:
            db = open_database(url)
            db.install(["crm_helpdesk"])
            started = time.perf_counter()
            uid = prepare(db)
            print(f"{backend}: {N} articles created in {time.perf_counter() - started:.1f} s")
            if backend == "postgresql":       # what autovacuum would do after the import
                with db.env() as env:
                    env.execute(sa.text("ANALYZE knowledge_article"))
            report(f"{backend}" + (" with pg_trgm GIN indexes" if backend != "sqlite" else ""),
                   measure(db, uid, rounds))
            if backend == "postgresql":
                with db.env() as env:
                    for index in ("knowledge_article_name_trgm_idx",
                                  "knowledge_article_body_text_trgm_idx"):
                        env.execute(sa.text(f"DROP INDEX {index}"))
                report("postgresql without trigram indexes", measure(db, uid, rounds))
            db.close()
        finally:
            sql.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "all" else [args.backend]):
        run_backend(backend, args.rounds)


if __name__ == "__main__":
    main()
