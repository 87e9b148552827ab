"""Fixtures of the workflow, job and automation tests: a database with the
test addons of tests/addons_workflow (tw_expense: the expense example;
tw_approval: approvals, jobs, automated actions) and users in their groups.

    def test_something(env, users):
        expense = env["tw.expense"].with_user(users.employee).create({...})
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

TESTS = Path(__file__).resolve().parent.parent
ADDONS = TESTS / "addons_workflow"
ADDONS_V2 = TESTS / "addons_workflow_v2"     # tw_ticket 1.1, for upgrades
ADDONS_BAD = TESTS / "addons_workflow_bad"   # broken workflows (kept out of ADDONS)
MODULES = ("tw_expense", "tw_approval")


@pytest.fixture
def env(addon_env):
    """A superuser environment with tw_expense and tw_approval; rolled back after the test."""
    return addon_env(*MODULES, addons_path=str(ADDONS))


def make_user(env, login: str, *groups: str):
    return env["res.users"].sudo().create({
        "name": login.replace("_", " ").title(), "login": login,
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups or ("base.group_user",)])],
    })


@pytest.fixture
def users(env):
    """employee (internal user), manager (expense managers), finance, and three
    board members (tw_approval.group_board)."""
    return SimpleNamespace(
        employee=make_user(env, "employee"),
        employee2=make_user(env, "employee2"),
        manager=make_user(env, "manager", "tw_expense.group_manager"),
        finance=make_user(env, "finance", "tw_expense.group_finance"),
        board1=make_user(env, "board1", "tw_approval.group_board"),
        board2=make_user(env, "board2", "tw_approval.group_board"),
        board3=make_user(env, "board3", "tw_approval.group_board"),
    )


def history(record) -> list:
    """The audit trail of a record, oldest first."""
    return list(record.env["ir.workflow.history"].sudo().search(
        [("model", "=", record._name), ("res_id", "=", record.id)], order="id"))


def line_of(path: Path, text: str) -> int:
    """The number of the first line of ``path`` containing ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


@pytest.fixture
def jobs_db(installed_db):
    """A database with tw_approval whose work is committed (the job runner uses
    its own transactions): every scheduled job inactive, no deferred job,
    no task nor job log at the start of the test."""
    database = installed_db(("tw_approval",), addons_path=str(ADDONS))
    with database.env() as env:
        env["ir.cron"].with_context(active_test=False).search([]).write({"active": False})
        env["ir.job"].search([]).unlink()
        env["tw.job.log"].search([]).unlink()
        env["tw.task"].search([]).unlink()
    return database


def job_logs(database) -> list[str]:
    """The keys of tw.job.log, in order: what the jobs did (and committed)."""
    with database.env() as env:
        return env["tw.job.log"].search([]).mapped("key")
