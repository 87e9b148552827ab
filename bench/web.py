"""Web client throughput: pages per second and latency of a list and a form.

    python bench/web.py                          # PostgreSQL, 1 then 2 workers
    python bench/web.py --workers 1,2,4 --threads 8 --seconds 5
    python bench/web.py --backend sqlite
    python bench/web.py --profile list           # cProfile of the page, in-process

Creates a fresh database (PostgreSQL from ``TROIKA_TEST_PG``, dropped
afterwards) with base, the admin password and 200 partners (20 companies,
180 contacts of them, with tags and countries); starts
``python server.py serve --workers N`` on a free loopback port for each
worker count; then ``--threads`` client threads, each logged in through
``/web/login`` (its own session, the CSRF token of the login form), load
one page as fast as they can over keep-alive connections for
``--seconds`` (after a short warm-up):

- ``list``: ``/web/action/<id>?view_type=list``, the first page of 80
  partners of base's Contacts action (``base.action_partner_form``);
- ``form``: ``/web/action/<id>/<partner id>``, one contact's form.

The table shows pages per second, the median and 95th-percentile latency,
and the CPU time per page of the server's processes and of the PostgreSQL
backends (Linux). ``--workers 1`` is werkzeug's threaded server in one
process, more workers are gunicorn's gthread workers (core/http/server.py).
The clients run on the same machine, so the figures are a lower bound of
what the server does with the CPUs to itself; the load average printed
before and after says how busy the machine was.

``--profile list|form`` runs no server: it profiles ``--requests`` loads
of the page through werkzeug's test client against the ``Application``
(warm, logged in) and prints the functions that cost the most. Not part
of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rpc import ServerProcess, cpu_seconds, percentile, run_load  # noqa: E402
from core.orm import sql  # noqa: E402

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
PASSWORD = "admin"
COMPANIES = 20
CONTACTS = 180
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
PAGER = re.compile(rb'o-pager-value">1-80<')


def prepare(url: str) -> tuple[int, int]:
    """Base, the admin password, the partners and the action: (action id, a contact id)."""
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        with db.env() as env:
            env.ref("base.user_admin").write({"password": PASSWORD})
            tags = env["res.partner.category"].create([{"name": "Export"},
                                                       {"name": "Wholesale"}])
            countries = [env.ref(f"base.{code}").id for code in ("tw", "de", "us", "jp")]
            companies = env["res.partner"].create([
                {"name": f"Company {i:02d}", "is_company": True, "ref": f"C{i:02d}",
                 "email": f"info@company{i:02d}.example", "country_id": countries[i % 4],
                 "city": "Taipei", "category_id": [(6, 0, tags[: 1 + i % 2].ids)]}
                for i in range(COMPANIES)])
            contacts = env["res.partner"].create([
                {"name": f"Contact {i:03d}", "parent_id": companies[i % COMPANIES].id,
                 "email": f"c{i}@example.com", "phone": f"+886 2 5550 {i:04d}",
                 "function": "Buyer", "ref": f"P{i:03d}",
                 "category_id": [(6, 0, tags[i % 2: 1 + i % 2].ids)]}
                for i in range(CONTACTS)])
            action = env.ref("base.action_partner_form", raise_if_not_found=False) \
                or env["ir.actions.act_window"].create({
                    "name": "Contacts", "res_model": "res.partner", "view_mode": "list,form"})
            return action.id, contacts[CONTACTS // 2].id
    finally:
        db.close()


def page_paths(action: int, partner: int) -> dict[str, str]:
    return {"list": f"/web/action/{action}?view_type=list",
            "form": f"/web/action/{action}/{partner}"}


# ---------------------------------------------------------------------------
# a logged-in browser without a browser: a session cookie on a keep-alive connection
# ---------------------------------------------------------------------------
class WebSession:
    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def login(self) -> None:
        status, page = self.request("GET", "/web/login")
        found = TOKEN.search(page)
        if status != 200 or not found:
            raise RuntimeError(f"no login form (HTTP {status})")
        body = urllib.parse.urlencode({"login": "admin", "password": PASSWORD,
                                       "csrf_token": found.group(1).decode()}).encode()
        status, _ = self.request("POST", "/web/login", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"the login failed (HTTP {status})")

    def get(self, path: str) -> bytes:
        status, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}: {data[:200]!r}")
        return data

    def close(self) -> None:
        self.connection.close()


def check(name: str, page: bytes) -> None:
    """The page is what it should be: a full first page of the list, a form."""
    if name == "list" and not PAGER.search(page):
        raise RuntimeError("the list page does not show 80 records")
    if name == "form" and b'id="f-name"' not in page:
        raise RuntimeError("the form page has no name field")


def load(port: int, name: str, path: str, threads: int, seconds: float,
         warmup: float) -> tuple[float, list[float], int]:
    """(pages per second, latencies, pages loaded in all) of ``threads`` sessions
    loading ``path`` for ``seconds`` after ``warmup``."""
    def open_session() -> WebSession:
        session = WebSession(port)
        session.login()
        check(name, session.get(path))
        return session

    rate, latencies, made = run_load(threads, seconds, warmup, open_session,
                                     lambda session: session.get(path), name)
    # logins and the checked first pages count in the CPU time: 3 requests per thread
    return rate, latencies, made + 3 * threads


def run_servers(url: str, paths: dict[str, str], args: argparse.Namespace,
                directory: str) -> None:
    database = sql.database_name(url) if args.backend == "postgresql" else None
    print(f"{'workers':>7}  {'page':5}  {'pages/s':>8}  {'p50 ms':>7}  {'p95 ms':>7}  "
          f"{'server CPU ms/page':>18}  {'db CPU ms/page':>14}")
    for workers in [int(n) for n in args.workers.split(",")]:
        server = ServerProcess(url, workers, Path(directory) / f"server_{workers}.log")
        try:
            for name, path in paths.items():
                pids = [server.process.pid]
                before = cpu_seconds(pids), cpu_seconds([], database) if database else 0.0
                rate, latencies, pages = load(server.port, name, path, args.threads,
                                              args.seconds, args.warmup)
                cpu_server = (cpu_seconds(pids) - before[0]) / pages * 1000
                cpu_db = ((cpu_seconds([], database) - before[1]) / pages * 1000
                          if database else 0.0)
                median = statistics.median(latencies) * 1000 if latencies else 0.0
                print(f"{workers:>7}  {name:5}  {rate:8.0f}  {median:7.1f}  "
                      f"{percentile(latencies, 0.95) * 1000:7.1f}  {cpu_server:18.1f}  "
                      f"{cpu_db:14.1f}", flush=True)
        finally:
            server.stop()


def profile(url: str, path: str, requests: int, top: int) -> None:
    """Load ``path`` ``requests`` times in this process under cProfile; print the top."""
    from werkzeug.test import Client

    from core.http.app import Application
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        client = Client(Application(db))
        token = TOKEN.search(client.get("/web/login").get_data()).group(1).decode()
        client.post("/web/login", data={"login": "admin", "password": PASSWORD,
                                        "csrf_token": token})

        def get() -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status_code}")

        timed(get, 5)                       # warm: caches of views, menus, rights
        best = timed(get, requests)
        print(f"{path}: {best * 1000:.1f} ms per page in-process (median of {requests})\n")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            get()
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
    finally:
        db.close()


def timed(call: Callable[[], None], times: int) -> float:
    durations = []
    for _ in range(times):
        began = time.perf_counter()
        call()
        durations.append(time.perf_counter() - began)
    return statistics.median(durations)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client sessions")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per row")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time first")
    parser.add_argument("--profile", choices=["list", "form"],
                        help="profile the page in-process instead of serving it")
    parser.add_argument("--requests", type=int, default=30, help="pages loaded by --profile")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="troika_bench_web_")
    if args.backend == "sqlite":
        url = f"sqlite:///{directory}/bench_web.db"
    else:
        url = sa.make_url(PG_URL).set(database=f"troika_bench_web_{uuid.uuid4().hex[:8]}") \
            .render_as_string(hide_password=False)
    sql.create_database(url)
    try:
        paths = page_paths(*prepare(url))
        print(f"{args.backend}, {os.cpu_count()} CPUs, load average before: "
              f"{os.getloadavg()[0]:.1f}")
        if args.profile:
            profile(url, paths[args.profile], args.requests, args.top)
        else:
            print(f"{args.threads} client sessions, {args.seconds:g} s per row, "
                  f"{COMPANIES + CONTACTS} partners\n")
            run_servers(url, paths, args, directory)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    except BaseException:
        print(f"server logs kept in {directory}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        sql.drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
