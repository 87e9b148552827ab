"""Fixtures of the security tests: a database with ``base`` and the ``ts_sales``
test addon (tests/addons_security), users in various groups, two companies.

    def test_something(env, users):
        orders = env["ts.order"].with_user(users.own)
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from core.security.throttle import LOGIN_THROTTLE

ADDONS = str(Path(__file__).resolve().parent.parent / "addons_security")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def env(addon_env):
    """A superuser environment with base and ts_sales; rolled back after the test."""
    return addon_env("ts_sales", addons_path=ADDONS)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Failed logins counted by one test must not lock the next one out."""
    LOGIN_THROTTLE.reset()
    yield
    LOGIN_THROTTLE.reset()


def make_user(env, login: str, groups: tuple[str, ...] = ("base.group_user",),
              company=None, companies=None, password: str | None = None):
    """A user in exactly ``groups`` (and what they imply), made as superuser."""
    company = company or env.ref("base.main_company")
    vals = {"name": login.replace("_", " ").title(), "login": login,
            "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])],
            "company_id": company.id,
            "company_ids": [(6, 0, (companies or company).ids)]}
    if password:
        vals["password"] = password
    return env["res.users"].sudo().create(vals)


@pytest.fixture
def company_b(env):
    """A second company, next to base.main_company."""
    return env["res.company"].create({"name": "Company B"})


@pytest.fixture
def users(env):
    """Users of one company (base.main_company), by what they may do:

    - ``own``, ``own2``: ts_sales.group_own (their own orders only)
    - ``all``: ts_sales.group_all (every order)
    - ``plain``: an internal user without sales groups nor contact creation
    - ``contacts``: an internal user who may create and edit contacts
    - ``portal``: a portal user
    - ``manager``: base.group_erp_manager (users, groups, rights, rules)
    - ``admin``: base.user_admin (base.group_system)
    """
    return SimpleNamespace(
        own=make_user(env, "own", ("ts_sales.group_own",)),
        own2=make_user(env, "own2", ("ts_sales.group_own",)),
        all=make_user(env, "all", ("ts_sales.group_all",)),
        plain=make_user(env, "plain"),
        contacts=make_user(env, "contacts", ("base.group_user", "base.group_partner_manager")),
        portal=make_user(env, "portal", ("base.group_portal",)),
        manager=make_user(env, "manager", ("base.group_user", "base.group_erp_manager",
                                           "base.group_partner_manager")),
        admin=env.ref("base.user_admin"),
    )
