"""Tracking values: the old and new value of a tracked field, one row per
field changed, attached to the message that tells of the change.

    message.tracking_value_ids._tracking_value_format()
    # [{"field": "stage_id", "label": "Stage", "old": "New", "new": "Qualified"}]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import api, fields, models
from core.i18n.translate import field_string

#: field type -> the column pair the value is kept in
_COLUMNS = {"boolean": "integer", "integer": "integer", "float": "float",
            "monetary": "float", "char": "char", "selection": "char", "many2one": "char",
            "many2many": "char", "one2many": "char", "text": "text", "html": "text",
            "date": "datetime", "datetime": "datetime"}


class MailTrackingValue(models.Model):
    _name = "mail.tracking.value"
    _description = "Mail Tracking Value"
    _rec_name = "field_id"
    _order = "id"

    field_id = fields.Many2one("ir.model.fields", "Changed Field", required=True,
                               ondelete="cascade", index=True)
    field_type = fields.Char("Field Type")
    old_value_integer = fields.Integer("Old Value Integer")
    old_value_float = fields.Float("Old Value Float")
    old_value_char = fields.Char("Old Value Char")
    old_value_text = fields.Text("Old Value Text")
    old_value_datetime = fields.Datetime("Old Value DateTime")
    new_value_integer = fields.Integer("New Value Integer")
    new_value_float = fields.Float("New Value Float")
    new_value_char = fields.Char("New Value Char")
    new_value_text = fields.Text("New Value Text")
    new_value_datetime = fields.Datetime("New Value Datetime")
    currency_id = fields.Many2one("res.currency", "Currency", ondelete="set null")
    mail_message_id = fields.Many2one("mail.message", "Message ID", required=True,
                                      index=True, ondelete="cascade")

    @api.model
    def _create_tracking_values(self, old: Any, new: Any, field: Any, record: Any) -> dict:
        """The values of one tracking row (without the message), for a field
        that changed from ``old`` to ``new`` (values as records give them)."""
        column = _COLUMNS.get(field.type)
        if column is None:
            raise ValueError(f"Fields of type {field.type} cannot be tracked "
                             f"({field.model_name}.{field.name})")
        values = {"field_id": self._field_id(field), "field_type": field.type}
        for prefix, value in (("old_value", old), ("new_value", new)):
            values[f"{prefix}_{column}"] = _stored(field, value, record)
            if field.type == "many2one":
                values[f"{prefix}_integer"] = value.id if value else 0
        if field.type == "monetary":
            currency = record[field.args.get("currency_field") or "currency_id"] \
                if (field.args.get("currency_field") or "currency_id") in record._fields \
                else None
            values["currency_id"] = currency.id if currency else False
        return values

    @api.model
    def _field_id(self, field: Any) -> int:
        memo = self.env.transaction.memo.setdefault("mail_tracking_fields", {})
        key = (field.model_name, field.name)
        if key not in memo:
            found = self.env["ir.model.fields"].sudo().search(
                [("model", "=", field.model_name), ("name", "=", field.name)], limit=1)
            if not found:
                raise ValueError(f"No ir.model.fields record for {field.model_name}."
                                 f"{field.name}")
            memo[key] = found.id
        return memo[key]

    def _tracking_value_format(self) -> list[dict]:
        """Label, old and new value of each row, as text for the chatter."""
        result = []
        for value in self.sudo():
            field = value.field_id
            label = field.field_description or field.name
            if field.model in self.env and field.name in self.env[field.model]._fields:
                label = field_string(self.env, self.env[field.model]._fields[field.name])
            result.append({"id": value.id, "field": field.name, "label": label,
                           "field_type": value.field_type,
                           "old": value._display("old_value"),
                           "new": value._display("new_value")})
        return result

    def _display(self, prefix: str) -> str:
        column = _COLUMNS.get(self.field_type or "", "char")
        raw = self[f"{prefix}_{column}"]
        if self.field_type == "boolean":
            return "Yes" if raw else "No"
        if column == "datetime":
            if not raw:
                return ""
            return raw.date().isoformat() if self.field_type == "date" else \
                raw.strftime("%Y-%m-%d %H:%M:%S")
        if column == "float":
            return f"{raw:,.2f}" if self.field_type == "monetary" else f"{raw:g}"
        if column == "integer":
            return str(raw)
        return raw or ""


def _stored(field: Any, value: Any, record: Any) -> Any:
    """A record's value of ``field`` as the tracking column keeps it."""
    if field.type == "boolean":
        return int(bool(value))
    if field.type in ("integer",):
        return value or 0
    if field.type in ("float", "monetary"):
        return float(value or 0.0)
    if field.type == "selection":
        if not value:
            return False
        labels = dict(field.get_values(record.env))
        return str(labels.get(value, value))
    if field.type == "many2one":
        return value.sudo().display_name if value else False
    if field.type in ("many2many", "one2many"):
        return ", ".join(value.sudo().mapped("display_name")) or False
    if field.type == "date":
        return dt.datetime.combine(value, dt.time()) if value else False
    if field.type == "datetime":
        return value or False
    return value or False
