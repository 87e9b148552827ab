"""Fixtures of the web application tests: databases with base installed
(cloned from one template per backend), the test addons of the Apps page
(``ADDONS``: th_notes and th_notes_board, which depends on it), and the
running server of the RPC tests."""

from __future__ import annotations

from pathlib import Path

from tests.modules.conftest import base_template, base_url, base_urls  # noqa: F401
from tests.rpc.conftest import rpc_template  # noqa: F401

ADDONS = str(Path(__file__).resolve().parent / "addons")
