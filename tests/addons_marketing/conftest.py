"""Fixtures of the e-mail marketing tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def env(addon_env):
    """A superuser environment with crm_marketing installed (rolled back after the test)."""
    return addon_env("crm_marketing")
