"""Sequences: the numbers of documents (SO2024/00042), safe under concurrency.

    env["ir.sequence"].create({"name": "Sales Orders", "code": "sale.order",
                               "prefix": "SO%(year)s/", "padding": 5})
    env["ir.sequence"].next_by_code("sale.order")     # 'SO2024/00001'

The next number is taken with one ``UPDATE ... SET number_next =
number_next + number_increment ... RETURNING``: on PostgreSQL the row
lock makes concurrent transactions wait and each gets its own number
(no gap, no duplicate); on SQLite writers are serialised anyway.

Prefixes and suffixes may hold ``%(year)s``, ``%(month)s``, ``%(day)s``,
``%(y)s`` (two-digit year), ``%(doy)s``, ``%(woy)s``, ``%(weekday)s``,
``%(h24)s``, ``%(h12)s``, ``%(min)s``, ``%(sec)s`` (and their ``range_``
and ``current_`` variants, as in Odoo). Only these names are replaced:
the text is never given to Python's ``%`` operator.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import sqlalchemy as sa

from core import api, fields, models
from core.exceptions import UserError, ValidationError

_FORMATS = {"year": "%Y", "month": "%m", "day": "%d", "y": "%y", "doy": "%j", "woy": "%W",
            "weekday": "%w", "h24": "%H", "h12": "%I", "min": "%M", "sec": "%S"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _now(tz_name: str | None) -> dt.datetime:
    try:
        tz = zoneinfo.ZoneInfo(tz_name) if tz_name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = dt.UTC
    return dt.datetime.now(tz)


def interpolation_values(effective: dt.datetime, now: dt.datetime) -> dict[str, str]:
    values = {}
    for key, pattern in _FORMATS.items():
        values[key] = values[f"range_{key}"] = effective.strftime(pattern)
        values[f"current_{key}"] = now.strftime(pattern)
    return values


def interpolate(text: str | bool, values: dict[str, str]) -> str:
    """``text`` with its ``%(name)s`` placeholders replaced; KeyError on an unknown name."""
    if not text:
        return ""

    def replace(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%"
        return values[match.group(1)]

    return _PLACEHOLDER.sub(replace, text)


class IrSequence(models.Model):
    _name = "ir.sequence"
    _description = "Sequence"
    _order = "name, id"

    name = fields.Char(required=True)
    code = fields.Char("Sequence Code", index=True)
    implementation = fields.Selection(
        [("standard", "Standard"), ("no_gap", "No gap")], required=True, default="standard",
        help="Kept for Odoo compatibility: both take the next number under a row lock, "
             "so that numbers have no gaps unless a transaction is rolled back")
    active = fields.Boolean(default=True)
    prefix = fields.Char(help="Prefix of the numbers; may hold %(year)s and the like",
                         trim=False)
    suffix = fields.Char(help="Suffix of the numbers; may hold %(year)s and the like",
                         trim=False)
    number_next = fields.Integer("Next Number", required=True, default=1)
    number_increment = fields.Integer("Step", required=True, default=1)
    padding = fields.Integer("Sequence Size", required=True, default=0,
                             help="Numbers are left-padded with zeros to this many digits")
    company_id = fields.Many2one("res.company", "Company",
                                 default=lambda self: self.env.company)

    @api.constrains("number_increment", "padding")
    def _check_numbers(self) -> None:
        for sequence in self:
            if not sequence.number_increment:
                raise ValidationError(f"The step of sequence '{sequence.name}' cannot be 0.")
            if sequence.padding < 0:
                raise ValidationError(f"The size of sequence '{sequence.name}' cannot be "
                                      "negative.")

    @api.constrains("prefix", "suffix")
    def _check_placeholders(self) -> None:
        values = interpolation_values(_now(None), _now(None))
        for sequence in self:
            try:
                interpolate(sequence.prefix, values)
                interpolate(sequence.suffix, values)
            except KeyError as exc:
                raise ValidationError(
                    f"Invalid prefix or suffix for sequence '{sequence.name}': unknown "
                    f"placeholder %({exc.args[0]})s") from None

    # ------------------------------------------------------------------
    # numbers
    # ------------------------------------------------------------------
    @api.model
    def next_by_code(self, sequence_code: str, sequence_date=None) -> str | bool:
        """The next number of the sequence with this code: the current company's
        own sequence if it has one, else one shared by all companies; False
        when there is none."""
        company = self.env.company
        domain = [("code", "=", sequence_code)]
        domain.append(("company_id", "in", [company.id, False]) if company
                      else ("company_id", "=", False))
        sequences = self.search(domain)
        if not sequences:
            return False
        own = sequences.filtered(lambda s: s.company_id == company) if company else sequences
        return (own or sequences)[:1]._next(sequence_date)

    def next_by_id(self, sequence_date=None) -> str:
        """The next number of this sequence."""
        self.ensure_one()
        return self._next(sequence_date)

    def _next(self, sequence_date=None) -> str:
        return self.get_next_char(self._next_number(), sequence_date)

    def _next_number(self) -> int:
        """Take the next number in the database, atomically."""
        self.ensure_one()
        table = self._table_obj
        stmt = (sa.update(table).where(table.c.id == self.id)
                .values(number_next=table.c.number_next + table.c.number_increment)
                .returning(table.c.number_next, table.c.number_increment))
        self.env.flush_all()
        row = self.env.transaction.execute(stmt).first()
        if row is None:
            raise UserError(f"The sequence {self.id} does not exist any more.")
        self.env.cache[self._fields["number_next"]].pop(self.id, None)
        return row[0] - row[1]

    def get_next_char(self, number_next: int, sequence_date=None) -> str:
        """The text of number ``number_next``: prefix, padded number, suffix."""
        self.ensure_one()
        now = _now(self.env.context.get("tz"))
        effective = sequence_date or self.env.context.get("ir_sequence_date")
        if isinstance(effective, str):
            effective = dt.datetime.fromisoformat(effective)
        elif isinstance(effective, dt.date) and not isinstance(effective, dt.datetime):
            effective = dt.datetime.combine(effective, dt.time())
        values = interpolation_values(effective or now, now)
        try:
            prefix = interpolate(self.prefix, values)
            suffix = interpolate(self.suffix, values)
        except KeyError:
            raise UserError(f"Invalid prefix or suffix for sequence '{self.name}'") from None
        return f"{prefix}{number_next:0{self.padding}d}{suffix}"
