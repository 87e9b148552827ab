"""Troika's kernel: the ORM, the module system and the web/RPC layers.

    import core
    from core import api, fields, models
"""

from __future__ import annotations

from core import api, fields, models
from core.orm.database import Database

__all__ = ["Database", "api", "fields", "models"]
