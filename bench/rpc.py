"""External API throughput: calls per second over JSON-RPC and XML-RPC.

    python bench/rpc.py                         # PostgreSQL, 1 then 2 workers
    python bench/rpc.py --workers 1,2,4 --threads 8 --seconds 5
    python bench/rpc.py --backend sqlite

Creates a fresh database (PostgreSQL from ``TROIKA_TEST_PG``, dropped
afterwards) with base, the admin password and 200 partners; starts
``python server.py serve --workers N`` on a free loopback port for each
worker count; then, for each protocol and operation, ``--threads`` client
threads with keep-alive connections call as fast as they can for
``--seconds`` (after a short warm-up), and the table shows calls per
second, the median and 95th-percentile latency, and the CPU time per
call of the server's processes and of the PostgreSQL backends (Linux; a
figure that other load on the machine disturbs less than calls/s):

- ``search_read``: 80 partners, 6 fields (a many2one, a many2many);
- ``create``: one partner with a tag;
- ``version`` (``--ops version``): ``common.version``, the floor of HTTP
  parsing and dispatch.

The last column is the CPU time of the load generator itself per call.

The clients run on the same machine as the server, so the figures are a
lower bound of what the server does with the CPUs to itself. Not part of
the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import xmlrpc.client
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.orm import sql  # noqa: E402

PG_URL = os.environ.get("TROIKA_TEST_PG",
                        "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
PASSWORD = "admin"
PARTNERS = 200
READ_FIELDS = ["name", "email", "ref", "company_id", "category_id", "is_company"]


def prepare(url: str) -> tuple[int, int]:
    """Base, the admin password and the partners; returns (admin uid, a tag id)."""
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        with db.env() as env:
            admin = env.ref("base.user_admin")
            admin.write({"password": PASSWORD})
            tags = env["res.partner.category"].create([{"name": "Export"},
                                                       {"name": "Wholesale"}])
            env["res.partner"].create([
                {"name": f"Partner {i:04d}", "email": f"p{i}@example.com",
                 "ref": f"B{i:04d}", "is_company": True,
                 "category_id": [(6, 0, tags[: 1 + i % 2].ids)]}
                for i in range(PARTNERS)])
            return admin.id, tags[0].id
    finally:
        db.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    def __init__(self, url: str, workers: int, log: Path):
        self.port = free_port()
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("TROIKA_")}
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "server.py", "serve", "--db-url", url, "--port", str(self.port),
             "--workers", str(workers), "--no-cron"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {log}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/web/webclient/"
                                       "version_info", timeout=2).read()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not start; see {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def cpu_seconds(pids: list[int], database: str | None = None) -> float:
    """CPU time (user + system) of these processes and their children, plus the
    PostgreSQL backends serving ``database``; Linux only (0 elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            pid, ppid = int(entry.name), int(fields[1])
            mine = pid in pids or ppid in pids
            if not mine and database:
                mine = f" {database} " in (entry / "cmdline").read_bytes() \
                    .replace(b"\0", b" ").decode(errors="replace") + " "
            if mine:
                total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total / ticks


# ---------------------------------------------------------------------------
# one call over each protocol, on a keep-alive connection
# ---------------------------------------------------------------------------
class Client:
    def __init__(self, port: int, db: str, uid: int, protocol: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.db, self.uid, self.protocol = db, uid, protocol

    def execute_kw(self, model: str, method: str, args: list, kwargs: dict):
        if model is None:               # the floor: a call that reads nothing
            return self.version()
        params = [self.db, self.uid, PASSWORD, model, method, args, kwargs]
        if self.protocol == "jsonrpc":
            body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "object", "method": "execute_kw", "args": params}}).encode()
            data = self._post("/jsonrpc", body, "application/json")
            answer = json.loads(data)
            if "error" in answer:
                raise RuntimeError(answer["error"]["data"]["message"])
            return answer["result"]
        body = xmlrpc.client.dumps(tuple(params), "execute_kw", allow_none=True).encode()
        data = self._post("/xmlrpc/2/object", body, "text/xml")
        return xmlrpc.client.loads(data, use_builtin_types=True)[0][0]

    def version(self) -> dict:
        if self.protocol == "jsonrpc":
            body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "common", "method": "version", "args": []}}).encode()
            return json.loads(self._post("/jsonrpc", body, "application/json"))["result"]
        body = xmlrpc.client.dumps((), "version").encode()
        return xmlrpc.client.loads(self._post("/xmlrpc/2/common", body, "text/xml"))[0][0]

    def _post(self, path: str, body: bytes, content_type: str) -> bytes:
        self.connection.request("POST", path, body, {"Content-Type": content_type})
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
        return data

    def close(self) -> None:
        self.connection.close()


def operation(name: str, tag: int) -> tuple[Any, str, list, dict]:
    if name == "version":
        return (None, "version", [], {})
    if name == "search_read":
        return ("res.partner", "search_read", [[["ref", "=like", "B%"]]],
                {"fields": READ_FIELDS, "limit": 80, "order": "ref"})
    return ("res.partner", "create", [{"name": "Bench create", "email": "c@example.com",
                                       "category_id": [[6, 0, [tag]]]}], {})


def run_load(threads: int, seconds: float, warmup: float, open_client: Callable[[], Any],
             call: Callable[[Any], Any], label: str) -> tuple[float, list[float], int]:
    """(calls per second, latencies, calls made in all) of ``threads`` clients,
    each made by ``open_client()`` (which may warm it up), doing ``call(client)``
    as fast as they can for ``seconds`` after ``warmup``. Clients have ``close()``."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    made = [0] * threads
    errors: list[BaseException] = []
    window: dict[str, float] = {}

    def open_window() -> None:
        now = time.monotonic()
        window["begin"], window["end"] = now + warmup, now + warmup + seconds

    start = threading.Barrier(threads, action=open_window)

    def worker(index: int) -> None:
        client = None
        try:
            client = open_client()
            start.wait()
            while time.monotonic() < window["end"]:
                began = time.monotonic()
                call(client)
                made[index] += 1
                if began >= window["begin"]:
                    latencies[index].append(time.monotonic() - began)
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
            start.abort()
        finally:
            if client is not None:
                client.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise RuntimeError(f"{label} failed: {errors[0]}")
    flat = [value for values in latencies for value in values]
    return len(flat) / seconds, flat, sum(made)


def load(port: int, db: str, uid: int, protocol: str, op: tuple, threads: int,
         seconds: float, warmup: float) -> tuple[float, list[float], int]:
    """(calls per second, latencies, calls made in all) of ``threads`` clients
    calling for ``seconds`` after ``warmup``."""
    def open_client() -> Client:
        client = Client(port, db, uid, protocol)
        client.execute_kw(*op)          # connect and cache the credentials
        return client

    rate, latencies, made = run_load(threads, seconds, warmup, open_client,
                                     lambda client: client.execute_kw(*op),
                                     f"{protocol} {op[1]}")
    return rate, latencies, made + threads


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured time per row")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time first")
    parser.add_argument("--ops", default="search_read,create",
                        help="operations: search_read, create, version (the HTTP floor)")
    parser.add_argument("--protocols", default="jsonrpc,xmlrpc")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="troika_bench_rpc_")
    if args.backend == "sqlite":
        url = f"sqlite:///{directory}/bench_rpc.db"
    else:
        url = sa.make_url(PG_URL).set(database=f"troika_bench_rpc_{uuid.uuid4().hex[:8]}") \
            .render_as_string(hide_password=False)
    sql.create_database(url)
    try:
        uid, tag = prepare(url)
        db = sql.database_name(url)
        print(f"{args.backend}, {os.cpu_count()} CPUs, {args.threads} client threads, "
              f"{args.seconds:g} s per row, {PARTNERS} partners\n")
        print(f"load average before: {os.getloadavg()[0]:.1f}\n")
        print(f"{'workers':>7}  {'protocol':8}  {'operation':11}  {'calls/s':>8}  "
              f"{'p50 ms':>7}  {'p95 ms':>7}  {'server CPU ms/call':>18}  {'db CPU ms/call':>14}"
              f"  {'client CPU ms/call':>18}")
        for workers in [int(n) for n in args.workers.split(",")]:
            server = ServerProcess(url, workers, Path(directory) / f"server_{workers}.log")
            try:
                for protocol in args.protocols.split(","):
                    for name in args.ops.split(","):
                        pids = [server.process.pid]
                        cpu_before = cpu_seconds(pids), cpu_seconds([], db)
                        client_before = time.process_time()
                        rate, latencies, calls = load(server.port, db, uid, protocol,
                                                      operation(name, tag), args.threads,
                                                      args.seconds, args.warmup)
                        cpu_server = (cpu_seconds(pids) - cpu_before[0]) / calls * 1000
                        cpu_db = (cpu_seconds([], db) - cpu_before[1]) / calls * 1000
                        cpu_client = (time.process_time() - client_before) / calls * 1000
                        median = statistics.median(latencies) * 1000 if latencies else 0.0
                        print(f"{workers:>7}  {protocol:8}  {name:11}  {rate:8.0f}  "
                              f"{median:7.1f}  {percentile(latencies, 0.95) * 1000:7.1f}  "
                              f"{cpu_server:18.1f}  {cpu_db:14.1f}  {cpu_client:18.1f}",
                              flush=True)
            finally:
                server.stop()
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
