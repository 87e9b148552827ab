"""System parameters: a key-value store of settings, for the administrator.

    Params = env["ir.config_parameter"].sudo()
    Params.set_param("ir_attachment.location", "file")
    Params.get_param("ir_attachment.location", "db")      # 'file'
    Params.set_param("ir_attachment.location", False)     # removes it
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models


class IrConfigParameter(models.Model):
    _name = "ir.config_parameter"
    _description = "System Parameter"
    _rec_name = "key"
    _order = "key, id"

    key = fields.Char(required=True, index=True)
    value = fields.Text(required=True)

    _sql_constraints = [("key_uniq", "unique(key)", "Key must be unique.")]

    @api.model
    def get_param(self, key: str, default: Any = False) -> Any:
        """The value of ``key``, or ``default`` when it is not set."""
        param = self.search([("key", "=", key)], limit=1)
        return param.value if param else default

    @api.model
    def set_param(self, key: str, value: Any) -> Any:
        """Set ``key`` to ``value`` (False or None removes it); returns the old
        value, or False."""
        param = self.search([("key", "=", key)], limit=1)
        old = param.value if param else False
        if value is False or value is None:
            param.unlink()
        elif param:
            if str(value) != old:
                param.write({"value": str(value)})
        else:
            self.create({"key": key, "value": str(value)})
        return old
