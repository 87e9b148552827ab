"""Fixtures of the external API tests: a real server in a subprocess.

Each test module gets one server per backend (``server`` fixture, module
scope) on a free loopback port, serving its own copy of a prepared
database: base installed, ``admin``/``admin``, a plain internal user
``demo``/``demo`` (group_user only), an API key of admin, a few tags and
partners. The prepared database is made once per backend and test
process and cloned for each module (a file copy on SQLite, CREATE
DATABASE ... TEMPLATE on PostgreSQL).

Failed logins are throttled (5 per login or 20 per address in 5 minutes,
then refused): a test module makes at most 4 failed logins, and checks
the credentials it means to fail with once only.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xmlrpc.client
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.orm import sql
from tests.fixtures import clone_database, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0
PARTNERS = 30


@dataclass
class Server:
    """A running server and the credentials of its prepared database."""

    url: str
    db: str
    api_key: str
    admin_uid: int
    demo_uid: int
    demo_key: str            # an API key of demo, revoked by a test
    demo_key_id: int
    backend: str
    log: Path
    password: str = "admin"
    _closing: list = field(default_factory=list)

    # -- XML-RPC -------------------------------------------------------------
    def proxy(self, path: str) -> xmlrpc.client.ServerProxy:
        """``proxy("/xmlrpc/2/object")``: closed when the module ends."""
        proxy = xmlrpc.client.ServerProxy(self.url + path, allow_none=True)
        self._closing.append(proxy)
        return proxy

    def execute_kw(self, model: str, method: str, args: list | None = None,
                   kwargs: dict | None = None, uid: int | None = None,
                   password: str | None = None):
        """``execute_kw`` on /xmlrpc/2/object, as admin unless told."""
        if not hasattr(self, "_object"):
            self._object = self.proxy("/xmlrpc/2/object")
        return self._object.execute_kw(self.db, uid or self.admin_uid,
                                       password or self.password, model, method,
                                       args or [], kwargs or {})

    # -- JSON ------------------------------------------------------------------
    def post(self, path: str, body: bytes, content_type: str = "application/json",
             cookie: str | None = None) -> tuple[int, dict, bytes]:
        """A raw POST: (status, headers, body)."""
        request = urllib.request.Request(self.url + path, data=body, method="POST",
                                         headers={"Content-Type": content_type})
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, dict(exc.headers), exc.read()

    def post_announcing(self, path: str, content_type: str, start: bytes,
                        length: int = 64 * 1024 * 1024) -> int:
        """Announce a body of ``length`` bytes, send only ``start``: the status."""
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", content_type)
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            connection.send(start)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def json(self, path: str, params: dict, cookie: str | None = None
             ) -> tuple[dict, dict]:
        """A JSON-RPC 2.0 ``call``: (the decoded response, the response headers)."""
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params,
                           "id": 7}).encode()
        status, headers, data = self.post(path, body, cookie=cookie)
        assert status == 200, (status, data)
        return json.loads(data), headers

    def jsonrpc(self, service: str, method: str, *args):
        """``/jsonrpc``: the result, or the error object raised as ``JsonError``."""
        answer, _ = self.json("/jsonrpc", {"service": service, "method": method,
                                           "args": list(args)})
        if "error" in answer:
            raise JsonError(answer["error"])
        return answer["result"]

    def close(self) -> None:
        for proxy in self._closing:
            proxy("close")()


class JsonError(Exception):
    def __init__(self, error: dict):
        super().__init__(error.get("data", {}).get("message"))
        self.error = error


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str) -> dict:
    """Install base and the test users and data in the database at ``url``."""
    from core.modules.manager import open_database

    db = open_database(url)
    try:
        with db.env() as env:
            admin = env.ref("base.user_admin")
            admin.write({"password": "admin"})
            demo = env["res.users"].create({
                "name": "Demo User", "login": "demo", "password": "demo",
                "email": "demo@example.com",
                "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
            tags = env["res.partner.category"].create([{"name": "Export"},
                                                       {"name": "Wholesale"}])
            env["res.partner"].create([
                {"name": f"Partner {i:03d}", "is_company": True, "ref": f"P{i:03d}",
                 "category_id": [(6, 0, tags[: 1 + i % 2].ids)]}
                for i in range(PARTNERS)])
            admin_uid, demo_uid = admin.id, demo.id
        with db.env(user=admin_uid) as env:
            api_key = env["res.users.apikeys"]._generate("rpc tests")
        with db.env(user=demo_uid) as env:
            demo_key = env["res.users.apikeys"]._generate("to revoke")
            demo_key_id = env["res.users.apikeys"].sudo().search(
                [("index", "=", demo_key[:8])]).id
    finally:
        db.close()
    return {"api_key": api_key, "admin_uid": admin_uid, "demo_uid": demo_uid,
            "demo_key": demo_key, "demo_key_id": demo_key_id}


@pytest.fixture(scope="session")
def rpc_template(tmp_path_factory) -> Iterator[Callable[[str], tuple[str, dict]]]:
    """``rpc_template(backend)``: (URL, facts) of the prepared database, made once
    per backend and process; never served, only cloned."""
    templates: dict[str, tuple[str, dict]] = {}
    with ExitStack() as stack:
        def get(backend: str) -> tuple[str, dict]:
            if backend not in templates:
                directory = str(tmp_path_factory.mktemp("rpc_template"))
                url = stack.enter_context(fresh_database_url(backend, directory))
                templates[backend] = (url, prepare(url))
            return templates[backend]

        yield get


@contextmanager
def running_server(url: str, log: Path, workers: int = 1,
                   extra_env: dict | None = None
                   ) -> Iterator[tuple[str, subprocess.Popen]]:
    """``python server.py serve`` on a free loopback port; yields its base URL
    and the process."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TROIKA_")}
    env.update(extra_env or {})
    for _attempt in range(3):
        port = free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [sys.executable, "server.py", "serve", "--db-url", url, "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(workers), "--no-cron"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            if wait_until_up(base, process):
                yield base, process
                return
        finally:
            stop(process)
    raise RuntimeError(f"The server did not start; see {log}:\n{tail(log)}")


def wait_until_up(base: str, process: subprocess.Popen) -> bool:
    """Whether /web/webclient/version_info answers before the process ends."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(base + "/web/webclient/version_info",
                                        timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@pytest.fixture(scope="module")
def server(backend, rpc_template, tmp_path_factory) -> Iterator[Server]:
    """A server on this module's own copy of the prepared database of ``backend``."""
    template, facts = rpc_template(backend)
    directory = tmp_path_factory.mktemp("rpc")
    log = directory / "server.log"
    with clone_database(template, str(directory), prefix="rpc") as url, \
            running_server(url, log) as (base, _process):
        running = Server(url=base, db=sql.database_name(url), backend=backend, log=log,
                         **facts)
        try:
            yield running
        finally:
            running.close()
