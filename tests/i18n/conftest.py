"""Fixtures of the translation tests: a database with ``ti_shop``
(tests/i18n/addons: a product model, views, menus, data and its zh_TW
catalog) installed over ``base``, on each backend.

    def test_something(env):                  # superuser, en_US, rolled back
        zh = env(context={"lang": "zh_TW"})
"""

from __future__ import annotations

from pathlib import Path

import pytest

ADDONS = str(Path(__file__).resolve().parent / "addons")


@pytest.fixture
def env(addon_env):
    """A superuser environment with base and ti_shop; rolled back after the test."""
    return addon_env("ti_shop", addons_path=ADDONS)


def zh(env):
    """The same environment speaking Traditional Chinese."""
    return env(context={**env.context, "lang": "zh_TW"})


def make_user(env, login: str, lang: str = "en_US", groups=("base.group_user",)):
    return env["res.users"].sudo().create({
        "name": login.title(), "login": login, "lang": lang,
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])]})
