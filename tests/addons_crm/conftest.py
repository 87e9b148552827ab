"""Fixtures of the CRM tests: a database of each backend with ``crm`` installed
(no demo data), users of each sales group, two teams and helpers.

    def test_something(env, users, teams):
        lead = env["crm.lead"].with_user(users.sales1).create({"name": "Acme"})
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.addons_crm.web_support import crm_web  # noqa: F401 - the web tests' database


@pytest.fixture
def env(addon_env):
    """A superuser environment with crm; rolled back after the test."""
    return addon_env("crm")


def make_user(env, login: str, *groups: str):
    return env["res.users"].sudo().create({
        "name": login.replace("_", " ").title(), "login": login,
        "email": f"{login}@troika.example",
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])]})


@pytest.fixture
def users(env):
    """sales1, sales2, sales3 (own documents), all_docs (all documents), manager
    (sales administrator), employee (internal user outside sales)."""
    own = ("base.group_user", "base.group_partner_manager", "sales_team.group_sale_salesman")
    return SimpleNamespace(
        sales1=make_user(env, "sales1", *own), sales2=make_user(env, "sales2", *own),
        sales3=make_user(env, "sales3", *own),
        all_docs=make_user(env, "all_docs", "base.group_user", "base.group_partner_manager",
                           "sales_team.group_sale_salesman_all_leads"),
        manager=make_user(env, "crm_manager", "base.group_user", "base.group_partner_manager",
                          "sales_team.group_sale_manager"),
        employee=make_user(env, "employee", "base.group_user"))


@pytest.fixture
def teams(env, users):
    """europe (leader sales1; sales1, sales2; market Europe) and americas
    (leader sales3; sales3; markets North and Latin America)."""
    Team = env["crm.team"]  # noqa: N806
    return SimpleNamespace(
        europe=Team.create({"name": "Europe", "sequence": 1, "user_id": users.sales1.id,
                            "member_ids": [(6, 0, [users.sales1.id, users.sales2.id])],
                            "market_ids": [(6, 0, [env.ref("crm.market_europe").id])]}),
        americas=Team.create({"name": "Americas", "sequence": 2, "user_id": users.sales3.id,
                              "member_ids": [(6, 0, [users.sales3.id])],
                              "market_ids": [(6, 0, [env.ref("crm.market_north_america").id,
                                                     env.ref("crm.market_latin_america").id])]}))


@pytest.fixture
def stages(env):
    return SimpleNamespace(new=env.ref("crm.stage_lead1"), qualified=env.ref("crm.stage_lead2"),
                           quotation=env.ref("crm.stage_lead3"),
                           negotiation=env.ref("crm.stage_lead_negotiation"),
                           won=env.ref("crm.stage_lead4"))


def set_rate(env, code: str, rate: float, day: str = "2020-01-01"):
    """A rate of currency ``code`` against the company currency (USD)."""
    currency = env.ref(f"base.{code}")
    currency.active = True
    env["res.currency.rate"].create({"currency_id": currency.id, "rate": rate, "name": day})
    currency.invalidate_recordset(["rate"])
    return currency


def days_ago(days: int) -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=days)
