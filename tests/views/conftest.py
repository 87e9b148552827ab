"""Fixtures of the view tests: a database with ``tv_base`` and ``tv_ext``
(tests/addons_views) and users in various groups.

    def test_something(env, users):
        view = get_view(env(user=users.plain.id, su=False), "tv.order", "form")
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

ADDONS = str(Path(__file__).resolve().parent.parent / "addons_views")


@pytest.fixture
def env(addon_env):
    """A superuser environment with base, tv_base and tv_ext; rolled back after the test."""
    return addon_env("tv_ext", addons_path=ADDONS)


def make_user(env, login: str, groups: tuple[str, ...] = ("base.group_user",)):
    return env["res.users"].sudo().create({
        "name": login.title(), "login": login,
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])]})


def as_user(env, user):
    """An environment of ``user`` (not superuser) on the same transaction."""
    return env(user=user.id, su=False)


@pytest.fixture
def users(env):
    """``plain``: an internal user; ``manager``: tv_base.group_tv_manager;
    ``system``: base.group_system (sees fields restricted to it)."""
    return SimpleNamespace(
        plain=make_user(env, "plain"),
        manager=make_user(env, "manager", ("tv_base.group_tv_manager",)),
        system=make_user(env, "system", ("base.group_user", "base.group_system")),
    )
