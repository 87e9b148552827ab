"""Models with few views: notes (a form and an editable list only), bare
records (no view at all) and secrets (administrators only)."""

from __future__ import annotations

from core import fields, models


class TwebNote(models.Model):
    _name = "tweb.note"
    _description = "Shop Note"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    body = fields.Char()
    level = fields.Selection([("low", "Low"), ("high", "High")], default="low")
    hours = fields.Float()
    partner_id = fields.Many2one("res.partner", "Contact")


class TwebBare(models.Model):
    _name = "tweb.bare"
    _description = "Bare Record"

    name = fields.Char(required=True)
    value = fields.Integer()
    active = fields.Boolean(default=True)


class TwebSecret(models.Model):
    _name = "tweb.secret"
    _description = "Secret"

    name = fields.Char(required=True)
