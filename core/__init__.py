"""Troika's kernel: the ORM, the module system and the web/RPC layers.

    import core
    from core import api, fields, models

    db = core.open_database("sqlite:///var/troika.db")   # installs base if new
    db.install(["crm"])
    with db.env() as env:
        env["res.partner"].search([("country_id.code", "=", "DE")])
"""

from __future__ import annotations

from core import api, fields, models
from core.modules.manager import Database, open_database

__all__ = ["Database", "api", "fields", "models", "open_database"]
