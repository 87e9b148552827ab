"""The command line: ``python server.py [command] [options]``.

    python server.py                          # serve; first run creates var/troika.db
    python server.py init --admin-password s3cret
    python server.py install crm --demo
    python server.py upgrade crm              # or: upgrade (every bumped module)
    python server.py uninstall crm
    python server.py modules                  # installed / available, versions, depends
    python server.py shell                    # a Python prompt with `env`
    python server.py cron [--once]            # run scheduled and deferred jobs
    python server.py scaffold my_addon ./custom_addons
    python server.py mail-in < message.eml    # incoming mail (the mail addon)

Every command takes ``--db-url`` (default ``TROIKA_DB_URL`` or the SQLite
file ``var/troika.db``), ``--addons-path`` and ``--demo``. Work is
reported on stderr as it happens; a failure ends with one line saying
why and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import code
import os
import secrets
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.exceptions import UserError
from core.i18n import command as i18n_command
from core.modules import graph
from core.modules.manager import (
    Database,
    check_url,
    default_url,
    installed_versions,
    open_database,
)
from core.modules.manifest import version_tuple
from core.orm import sql

#: the modules of the first growth stage, installed by `init` and the first `serve`
FIRST_STAGE = ("base", "crm")
#: with --demo, a new database also gets Sales: the demo company's deals have
#: quotations and orders (the sale_crm bridge comes with it)
DEMO_STAGE = ("sale",)


class _Progress:
    """Prints progress on stderr, one line per message; a progress bar's
    messages (they start with a carriage return, core/modules/progress.py)
    are drawn again in place on a terminal, until one ends with a newline."""

    def __init__(self) -> None:
        self.open = 0          # the length of the bar line left open, if any

    def __call__(self, message: str) -> None:
        stream = sys.stderr
        text = message.strip("\r\n")
        if message.startswith("\r") and stream.isatty():
            last = message.endswith("\n")
            stream.write("\r" + text.ljust(self.open) + ("\n" if last else ""))
            self.open = 0 if last else len(text)
        else:
            stream.write(("\n" if self.open else "") + text + "\n")
            self.open = 0
        stream.flush()


_progress = _Progress()


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-url", default=None,
                        help="database URL (default: $TROIKA_DB_URL or sqlite:///var/troika.db)")
    parser.add_argument("--addons-path", default=None,
                        help="extra addon folders, separated by ',' or the path separator "
                             "(also $TROIKA_ADDONS_PATH)")
    parser.add_argument("--demo", action="store_true", help="load demo data")
    parser.add_argument("--lang", default=None, help="language of the admin user, e.g. zh_TW")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="server.py", description="Troika server and tools.")
    commands = parser.add_subparsers(dest="command", metavar="command")

    serve = commands.add_parser("serve", help="run the web server (default command)")
    _common(serve)
    _serve_options(serve)

    cron = commands.add_parser("cron", help="run scheduled and deferred jobs")
    _common(cron)
    cron.add_argument("--once", action="store_true", help="run what is due, then exit")
    cron.add_argument("--interval", type=float, default=30.0,
                      help="seconds between two looks for due jobs (default 30)")

    init = commands.add_parser("init", help="create a database with the first-stage modules")
    _common(init)
    init.add_argument("--admin-password", default=None,
                      help="password of the admin user (default: $TROIKA_ADMIN_PASSWORD, "
                           "else one is generated and printed once)")
    init.add_argument("--modules", default=None,
                      help="comma-separated modules to install (default: base and crm)")

    for name, text in (("install", "install modules and their dependencies"),
                       ("upgrade", "upgrade modules (default: every module whose version "
                                   "was bumped)"),
                       ("uninstall", "uninstall modules")):
        sub = commands.add_parser(name, help=text)
        _common(sub)
        sub.add_argument("modules", nargs="*" if name == "upgrade" else "+", metavar="module")

    modules = commands.add_parser("modules", help="list installed and available modules")
    _common(modules)

    shell = commands.add_parser("shell", help="a Python prompt with `env` and `db`")
    _common(shell)

    scaffold = commands.add_parser("scaffold", help="create the skeleton of a new addon")
    scaffold.add_argument("name", help="technical name, e.g. export_docs")
    scaffold.add_argument("directory", nargs="?", default="addons",
                          help="folder to create it in (default: addons)")
    i18n_command.add_parser(commands)
    _mail_in_parser(commands)
    return parser


def _mail_in_parser(commands: Any) -> None:
    mail_in = commands.add_parser(
        "mail-in", help="deliver incoming e-mail to the mail addon: one raw RFC 822 message "
                        "on stdin, or the unseen messages of an IMAP folder")
    _common(mail_in)
    mail_in.add_argument("--model", default=None,
                         help="model of the record to create when no alias or reply matches")
    mail_in.add_argument("--imap", metavar="HOST", default=None,
                         help="fetch the unseen messages of this IMAP server instead")
    mail_in.add_argument("--port", type=int, default=None, help="IMAP port (993, or 143)")
    mail_in.add_argument("--user", default=None, help="IMAP login")
    mail_in.add_argument("--password", default=os.environ.get("TROIKA_IMAP_PASSWORD"),
                         help="IMAP password (default: $TROIKA_IMAP_PASSWORD)")
    mail_in.add_argument("--folder", default="INBOX", help="IMAP folder (default INBOX)")
    mail_in.add_argument("--no-ssl", action="store_true", help="plain IMAP (port 143)")


def _serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on "
                       "(default 127.0.0.1; 0.0.0.0 for every interface)")
    serve.add_argument("--port", type=int, default=8069)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes: 0 or 1 serves in this process (werkzeug), "
                            "2 or more under gunicorn (production)")
    serve.add_argument("--threads", type=int, default=4,
                       help="threads per gunicorn worker (1: sync workers; default 4)")
    serve.add_argument("--timeout", type=int, default=120,
                       help="seconds after which gunicorn restarts a worker that stopped "
                            "answering its master (default 120)")
    serve.add_argument("--graceful-timeout", type=int, default=60,
                       help="seconds workers get to finish their requests on SIGTERM or "
                            "recycling (default 60)")
    serve.add_argument("--max-requests", type=int, default=0,
                       help="recycle a worker after this many requests (0: never)")
    serve.add_argument("--proxy-mode", action="store_true",
                       help="behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host")
    serve.add_argument("--no-cron", action="store_true",
                       help="do not run scheduled and deferred jobs in this server")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["serve", *argv]
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UserError, ValueError) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, the traceback only on request
        if os.environ.get("TROIKA_DEBUG"):
            traceback.print_exc()
        print(f"error: {type(exc).__name__}: {_one_line(exc)} (set TROIKA_DEBUG=1 for the "
              "traceback)", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _first_stage(db: Database, demo: bool = False) -> list[str]:
    names = FIRST_STAGE + (DEMO_STAGE if demo else ())
    return [name for name in names if name in db.addons]


def _url(args: argparse.Namespace) -> str:
    url = args.db_url or default_url()
    check_url(url)
    return url


def _open(args: argparse.Namespace, create: bool = False, upgrade: bool = True) -> Database:
    url = _url(args)
    if not create and not sql.database_exists(url):
        shown = sa.make_url(url).render_as_string(hide_password=True)
        raise UserError(f"No database at {shown}; create it with: python server.py init")
    return open_database(url, args.addons_path, demo=args.demo, progress=_progress,
                         upgrade=upgrade)


def _installed(url: str) -> dict[str, str]:
    """{module: version} installed in the database at ``url`` ({} if there is none)."""
    if not sql.database_exists(url):
        return {}
    engine = sql.make_engine(url)
    try:
        return installed_versions(engine)
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    url = _url(args)
    fresh = not sql.database_exists(url)
    db = _open(args, create=True)
    if fresh:
        db.install(_first_stage(db, args.demo), demo=args.demo)
        _set_admin_password(db, None, args.lang)
    from core.http.server import serve

    try:
        serve(db, host=args.host, port=args.port, workers=args.workers,
              threads=args.threads, timeout=args.timeout,
              graceful_timeout=args.graceful_timeout, max_requests=args.max_requests,
              proxy_mode=args.proxy_mode, cron=not args.no_cron)
    finally:
        db.close()
    return 0


def cmd_cron(args: argparse.Namespace) -> int:
    from core.workflow.jobs import Runner, run_pending

    db = _open(args)
    if args.once:
        count = run_pending(db)
        print(f"Ran {count} job(s)", file=sys.stderr)
        return 0
    print(f"Running jobs of {db.name} every {args.interval:g} s; Ctrl+C to stop.",
          file=sys.stderr)
    runner = Runner(db, interval=args.interval)
    runner.start()
    try:
        runner.join()
    finally:
        runner.stop()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    before = _installed(_url(args))
    with _open(args, create=True) as db:
        modules = [m.strip() for m in args.modules.split(",") if m.strip()] if args.modules \
            else _first_stage(db, args.demo)
        db.install(modules, demo=args.demo)
        new = [name for name in db.installed_modules() if name not in before]
        print(f"Installed: {', '.join(new) or 'nothing new'}", file=sys.stderr)
        _set_admin_password(db, args.admin_password, args.lang)
        print(f"Database {db.name} ready at {db.url.render_as_string(hide_password=True)}")
    return 0


def _set_admin_password(db: Database, password: str | None, lang: str | None) -> None:
    """Give the admin user a password once: the given one, or a generated one."""
    password = password or os.environ.get("TROIKA_ADMIN_PASSWORD")
    generated = not password
    with db.env() as env:
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        if admin is None:
            return
        if generated and admin.sudo()._has_password():
            return
        password = password or secrets.token_urlsafe(12)
        values = {"password": password}
        if lang:
            values["lang"] = lang
        admin.write(values)
    if generated:
        print(f"The admin user's password is: {password}  (shown once; change it after "
              "logging in)")


def cmd_install(args: argparse.Namespace) -> int:
    with _open(args, create=True) as db:
        done = db.install(args.modules, demo=args.demo)
    print(f"Installed: {', '.join(done) or 'nothing new'}")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    with _open(args, upgrade=False) as db:   # the upgrade below says what it did
        done = db.upgrade(args.modules or None, demo=args.demo)
    print(f"Upgraded: {', '.join(done) or 'nothing to upgrade'}")
    return 0


def cmd_uninstall(args: argparse.Namespace) -> int:
    with _open(args) as db:
        done = db.uninstall(args.modules)
    print(f"Uninstalled: {', '.join(done)}")
    return 0


def cmd_modules(args: argparse.Namespace) -> int:
    addons = graph.discover(graph.addons_paths(args.addons_path))
    installed = _installed(_url(args))
    print(f"{'module':24s} {'state':15s} {'installed':10s} {'available':10s} depends")
    for name in sorted(set(addons) | set(installed)):
        manifest = addons.get(name)
        if manifest is None:
            state, available, depends = "missing code", "-", "?"
        else:
            available, depends = manifest.version, ", ".join(manifest.depends) or "-"
            if name not in installed:
                state = "available" if manifest.installable else "not installable"
            elif manifest.version_info > version_tuple(installed[name]):
                state = "to upgrade"
            else:
                state = "installed"
        print(f"{name:24s} {state:15s} {installed.get(name, '-'):10s} {available:10s} "
              f"{depends}")
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    from core.orm.environment import SUPERUSER_ID, Environment, Transaction

    with _open(args) as db, db.engine.connect() as connection:
        connection.begin()
        env = Environment(Transaction(db.registry, connection), SUPERUSER_ID, {}, True)

        def commit() -> None:
            """Write what was done so far to the database."""
            env.transaction.flush()
            connection.commit()
            env.transaction.committed()
            connection.begin()

        banner = (f"Troika shell on {db.name}: `env` (superuser), `db`, `commit()`.\n"
                  "Nothing is saved unless you call commit().")
        code.interact(banner=banner, local={"env": env, "db": db, "commit": commit},
                      exitmsg="")
        connection.rollback()
    return 0


def cmd_mail_in(args: argparse.Namespace) -> int:
    from addons.mail.tools.mail_in import run

    with _open(args) as db:
        return run(db, args, sys.stdin.buffer)


def cmd_scaffold(args: argparse.Namespace) -> int:
    from core.modules.scaffold import scaffold

    path = scaffold(args.name, Path(args.directory))
    print(f"Created {path}")
    return 0


COMMANDS = {
    "serve": cmd_serve, "init": cmd_init, "install": cmd_install, "upgrade": cmd_upgrade,
    "uninstall": cmd_uninstall, "modules": cmd_modules, "shell": cmd_shell, "cron": cmd_cron,
    "scaffold": cmd_scaffold, "i18n": i18n_command.run, "mail-in": cmd_mail_in,
}
