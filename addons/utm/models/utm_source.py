"""Sources: the precise origin of a contact (a fair, a search engine, a newsletter).

    fair = env["utm.source"].create({"name": "Light + Building 2026"})
    env["utm.source"]._find_or_create("LinkedIn")      # the existing one, else a new one
"""

from __future__ import annotations

from core import api, fields, models


class UtmSource(models.Model):
    _name = "utm.source"
    _description = "UTM Source"
    _order = "name, id"

    name = fields.Char("Source Name", required=True)

    _sql_constraints = [("unique_name", "unique(name)", "The name must be unique")]

    @api.model
    def _find_or_create(self, name: str):
        """The source named ``name`` (case-insensitive), created when missing."""
        name = (name or "").strip()
        found = self.search([("name", "=ilike", name)], limit=1) if name else self.browse()
        return found or self.create({"name": name})
