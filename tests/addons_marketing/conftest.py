"""Fixtures of the e-mail marketing tests.

    def test_x(env, mk):                  # rolled back after the test
        mailing = mk.mailing(mk.news)     # a mailing to the contacts of a list
        mailing.action_send_mail()

``mk.marketer`` is a marketing user (also a salesperson), ``mk.employee`` an
internal user without the marketing group. ``clock`` moves
``fields.Datetime.now()``; ``mailing_db`` is a committed database with a live
SMTP server (``smtp_server``) for the mail queue and the gateway.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.addons_helpdesk.conftest import Clock
from tests.addons_mail.conftest import Recorder, free_port  # noqa: F401 - re-exported
from tests.addons_marketing.roi_support import roi_web  # noqa: F401 - ROI and form pages

#: Wednesday 25 November 2026, 10:20 UTC
NOW = dt.datetime(2026, 11, 25, 10, 20)


@pytest.fixture
def env(addon_env):
    """A superuser environment with crm_marketing installed (rolled back after the test)."""
    return addon_env("crm_marketing")


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, NOW)


def make_user(env, login: str, *groups: str):
    return env["res.users"].sudo().create({
        "name": login.replace("_", " ").title(), "login": login,
        "email": f"{login}@troika.example",
        "groups_id": [(6, 0, [env.ref(g).id for g in groups])]})


def build(env):
    """Users, two lists with contacts, and a helper that makes mailings."""
    marketer = make_user(env, "marketer", "crm_marketing.group_mass_mailing_user",
                         "sales_team.group_sale_manager")
    employee = make_user(env, "employee", "base.group_user")
    env["ir.config_parameter"].set_param("web.base.url", "https://erp.troika.example")
    env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
    Contact = env["mailing.contact"]  # noqa: N806
    news = env["mailing.list"].create({"name": "LED news", "is_public": True})
    fairs = env["mailing.list"].create({"name": "Trade fair invitations"})
    contacts = Contact.create([
        {"name": "Anna Weber", "email": "anna@lichtwerk.example",
         "list_ids": [(6, 0, [news.id, fairs.id])]},
        {"name": "Bruno Rossi", "email": "Bruno.Rossi@luce.example",
         "list_ids": [(6, 0, [news.id])]},
        {"name": "Chen Wei", "email": "chen@guangming.example",
         "list_ids": [(6, 0, [news.id])]},
        {"name": "Dana Cohen", "email": "dana@or.example", "list_ids": [(6, 0, [fairs.id])]},
    ])

    def mailing(lists=None, **values):
        values.setdefault("subject", "New LED panels for {{ object.name }}")
        values.setdefault("body_html", "<p>Dear {{ object.name }},</p><p>See <a href="
                                       "\"https://shop.troika.example/led?ref=news\">our new "
                                       "range</a>.</p>")
        values.setdefault("email_from", "Marketing <marketing@troika.example>")
        if lists is not None:
            values["contact_list_ids"] = [(6, 0, lists.ids)]
        return env["mailing.mailing"].create(values)

    return SimpleNamespace(env=env, marketer=marketer, employee=employee, news=news,
                           fairs=fairs, contacts=contacts, mailing=mailing)


@pytest.fixture
def mk(env):
    return build(env)


def model_id(env, model: str) -> int:
    return env["ir.model"].search([("model", "=", model)]).id


# ---------------------------------------------------------------------------
# committed work: the mail queue, the gateway, a live SMTP server
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def smtp_controller():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.recorder = recorder
    yield controller
    controller.stop()


@pytest.fixture
def smtp_server(smtp_controller, monkeypatch):
    """The running server (emptied), and TROIKA_SMTP_* pointing at it."""
    recorder = smtp_controller.recorder
    recorder.clear()
    monkeypatch.setenv("TROIKA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TROIKA_SMTP_PORT", str(smtp_controller.port))
    monkeypatch.delenv("TROIKA_SMTP_USER", raising=False)
    monkeypatch.delenv("TROIKA_SMTP_ENCRYPTION", raising=False)
    return recorder


@pytest.fixture
def mailing_db(installed_db):
    """A database with crm_marketing whose work is committed (the job runner and
    the gateway use their own transactions), emptied before and after."""
    database = installed_db(("crm_marketing",))
    empty(database)
    yield database
    empty(database)


def empty(database) -> None:
    with database.env() as env:
        env["ir.cron"].with_context(active_test=False).search([]).write({"active": False})
        for model in ("ir.job", "mailing.trace", "mailing.mailing", "link.tracker",
                      "mailing.contact", "mailing.list", "mail.mail", "crm.lead"):
            env[model].with_context(active_test=False).search([]).unlink()
        env["mail.blacklist"].with_context(active_test=False).search([]).unlink()
        env["res.users"].with_context(active_test=False).search(
            [("login", "in", ("marketer", "employee", "marketer_only"))]).unlink()
        for key in ("mail.catchall.domain", "mail.catchall.alias"):
            env["ir.config_parameter"].set_param(key, False)
        env["ir.config_parameter"].set_param("mass_mailing.hourly_limit", "0")
