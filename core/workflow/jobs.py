"""The job runner: scheduled jobs (``ir.cron``) and deferred jobs (``ir.job``).

    run_pending(db)            # run what is due now, once (tests, `cron --once`)
    Runner(db).start()         # a background thread, as `serve` does

Each job is claimed and run in a transaction of its own. On PostgreSQL
the claim is ``SELECT ... FOR UPDATE SKIP LOCKED``: while one worker runs
a job, the others skip it, so no job runs twice at once; on SQLite,
transactions are serialised anyway. A failing job is rolled back to a
savepoint, its error recorded, and the runner goes on with the others.

Deferred jobs are enqueued with ``records.with_delay().method(...)``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from typing import Any

import sqlalchemy as sa

from core.orm import fields
from core.orm.environment import SUPERUSER_ID, Environment, Transaction

_logger = logging.getLogger("troika.jobs")
#: seconds to wait before retry n (1-based): 30 s, 2 min, 8 min, 32 min, ...
BACKOFF_BASE = 30


class DelayedCall:
    """``records.with_delay(...)``: attribute calls become ir.job records."""

    def __init__(self, records: Any, priority: int = 10,
                 eta: dt.datetime | dt.timedelta | None = None, max_attempts: int = 5):
        self._records = records
        if isinstance(eta, dt.timedelta):
            eta = _now() + eta
        self._options = {"priority": priority, "eta": eta, "max_attempts": max_attempts}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or not callable(getattr(type(self._records), name, None)):
            raise AttributeError(f"{self._records._name} has no method {name!r} to delay")

        def enqueue(*args: Any, **kwargs: Any) -> Any:
            records = self._records
            context = {k: v for k, v in records.env.context.items()
                       if k in ("lang", "tz", "allowed_company_ids", "active_test")}
            return records.env["ir.job"].sudo().create({
                "name": f"{records._name}.{name}", "model": records._name, "method": name,
                "record_ids": records.ids, "args": list(args), "kwargs": kwargs,
                "context": context, "user_id": records.env.uid, **self._options})

        return enqueue


def _now() -> dt.datetime:
    return fields.Datetime.now()


def _claim(connection: sa.Connection, table: sa.Table, condition: Any, order: list) -> Any:
    stmt = sa.select(table.c.id).where(condition).order_by(*order).limit(1)
    if connection.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return connection.execute(stmt).scalar()


def run_one_cron(db: Any) -> bool:
    """Claim and run one due scheduled job; False when none is due."""
    registry = db.registry
    if "ir.cron" not in registry:
        return False
    table = registry["ir.cron"]._table_obj
    with db.engine.connect() as connection, connection.begin():
        now = _now()
        cron_id = _claim(connection, table,
                         sa.and_(table.c.active == sa.true(), table.c.nextcall <= now),
                         [table.c.priority, table.c.nextcall, table.c.id])
        if cron_id is None:
            return False
        env = Environment(Transaction(registry, connection), SUPERUSER_ID, {}, True)
        cron = env["ir.cron"].browse(cron_id)
        values: dict[str, Any] = {"lastcall": now, "nextcall": cron._next_call(now)}
        try:
            with env.transaction.atomic(savepoint=True):
                user = cron.user_id.id or SUPERUSER_ID
                model = env[cron.model].with_env(env(user=user, su=user == SUPERUSER_ID))
                getattr(model, cron.method)(*(cron.args or []))
        except Exception:  # noqa: BLE001 - a failing job must not stop the others
            _logger.exception("Scheduled action %s failed", cron.name)
            values.update(failure_count=cron.failure_count + 1,
                          last_error=traceback.format_exc(limit=5))
        else:
            values.update(failure_count=0, last_error=False)
        cron.write(values)
    env.transaction.committed()
    return True


def run_one_job(db: Any) -> bool:
    """Claim and run one pending deferred job; False when none waits."""
    registry = db.registry
    if "ir.job" not in registry:
        return False
    table = registry["ir.job"]._table_obj
    with db.engine.connect() as connection, connection.begin():
        now = _now()
        job_id = _claim(connection, table,
                        sa.and_(table.c.state == "pending",
                                sa.or_(table.c.eta.is_(None), table.c.eta <= now)),
                        [table.c.priority, table.c.id])
        if job_id is None:
            return False
        env = Environment(Transaction(registry, connection), SUPERUSER_ID, {}, True)
        job = env["ir.job"].browse(job_id)
        attempts = job.attempts + 1
        try:
            with env.transaction.atomic(savepoint=True):
                user = job.user_id.id or SUPERUSER_ID
                job_env = env(user=user, context=job.context or {}, su=user == SUPERUSER_ID)
                records = job_env[job.model].browse(job.record_ids or []).exists()
                getattr(records, job.method)(*(job.args or []), **(job.kwargs or {}))
        except Exception:  # noqa: BLE001
            _logger.exception("Job %s (%s) failed, attempt %s", job.id, job.name, attempts)
            failed = attempts >= job.max_attempts
            job.write({"attempts": attempts, "last_error": traceback.format_exc(limit=5),
                       "state": "failed" if failed else "pending",
                       "eta": now + dt.timedelta(seconds=BACKOFF_BASE * 4 ** (attempts - 1))})
        else:
            job.write({"attempts": attempts, "state": "done", "date_done": _now(),
                       "last_error": False})
    env.transaction.committed()
    return True


def run_pending(db: Any, limit: int = 1000) -> int:
    """Run every due scheduled job and pending job once; returns how many ran."""
    count = 0
    while count < limit and run_one_cron(db):
        count += 1
    while count < limit and run_one_job(db):
        count += 1
    return count


class Runner(threading.Thread):
    """Polls for due jobs every ``interval`` seconds until ``stop()``."""

    def __init__(self, db: Any, interval: float = 30.0):
        super().__init__(name="troika-jobs", daemon=True)
        self.db = db
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                check_signals = getattr(self.db, "check_signals", None)
                if check_signals is not None:   # modules or rights changed elsewhere
                    check_signals()
                run_pending(self.db)
            except Exception:  # noqa: BLE001 - keep the runner alive
                _logger.exception("The job runner failed; retrying later")
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
