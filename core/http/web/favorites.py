"""Saving the current search as a favourite (``ir.filters``), and the user's preferences.

    save_favorite(action_page, {"name": "Germans", "is_default": "1"})   # the new id
    preference_choices(env)      # ([('en_US', 'English (US)'), ...], [('Asia/Taipei', ...)])

A favourite keeps the search's own domain (the facets, not the action's
domain, which the action adds again), its group-bys in the context and
the sort order, as Odoo 17 stores them. It is the user's own; shared
favourites (no user) are made by administrators in the ``ir.filters``
records.
"""

from __future__ import annotations

import json
from typing import Any

from core.exceptions import UserError
from core.http.web.i18n import _
from core.orm.environment import Environment


def save_favorite(action: Any, form: Any) -> int:
    name = (form.get("name") or "").strip()
    if not name:
        raise UserError(_("Give the favourite a name."))
    search = action.search
    values = {"name": name, "model_id": action.spec.model, "user_id": action.env.uid,
              "domain": repr(search.own_domain),
              "context": repr({"group_by": list(search.groupby)}),
              "sort": json.dumps([search.order] if search.order else []),
              "is_default": bool(form.get("is_default")),
              "action_id": action.spec.id or False}
    return action.env["ir.filters"].create(values).id


def preference_choices(env: Environment) -> tuple[list, list]:
    """(languages, timezones) a user may choose."""
    langs = env["res.lang"].get_installed()
    zones = env["res.partner"].fields_get(["tz"], ["selection"])["tz"]["selection"]
    return langs, [tuple(z) for z in zones]
