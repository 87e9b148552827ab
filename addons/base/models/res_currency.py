"""Currencies and their exchange rates.

    usd, eur = env.ref("base.USD"), env.ref("base.EUR")
    env["res.currency.rate"].create({"currency_id": eur.id, "rate": 0.92,
                                     "name": "2024-06-01"})
    usd._convert(100.0, eur, company, date(2024, 6, 3))   # 92.0
    eur.round(10.005)                                      # 10.01

As in Odoo, a rate is *how many units of the currency buy one unit of
the company's currency* (the company currency's own rate is 1): to
convert from A to B, multiply by rate(B) / rate(A). The rate of a day is
the latest one on or before that day, the company's own rates first,
then the rates shared by all companies; before the first rate, the
earliest one applies, and a currency without rates has the rate 1.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from addons.base.tools import digits_of, float_compare, float_is_zero, float_round
from core import api, fields, models
from core.exceptions import ValidationError


class ResCurrency(models.Model):
    _name = "res.currency"
    _description = "Currency"
    _order = "active desc, name"

    name = fields.Char("Currency", size=3, required=True, help="ISO 4217 code")
    full_name = fields.Char("Name", translate=True)
    symbol = fields.Char(required=True, help="Currency sign, used when printing amounts")
    rate = fields.Float("Current Rate", compute="_compute_current_rate",
                        help="The rate at the date of the context (default: today), "
                             "in units of this currency per unit of the company currency")
    inverse_rate = fields.Float(compute="_compute_current_rate")
    rate_ids = fields.One2many("res.currency.rate", "currency_id", "Rates")
    rounding = fields.Float("Rounding Factor", digits=(12, 6), default=0.01)
    decimal_places = fields.Integer(compute="_compute_decimal_places", store=True,
                                    help="Decimals of the amounts, from the rounding factor")
    active = fields.Boolean(default=True)
    position = fields.Selection([("after", "After Amount"), ("before", "Before Amount")],
                                "Symbol Position", default="after")
    date = fields.Date(compute="_compute_date", string="Latest Rate Date")
    currency_unit_label = fields.Char("Currency Unit", translate=True)
    currency_subunit_label = fields.Char("Currency Subunit", translate=True)

    _sql_constraints = [
        ("unique_name", "unique(name)", "The currency code must be unique."),
        ("rounding_gt_zero", "check(rounding > 0)", "The rounding factor must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._upper_code(dict(vals)) for vals in vals_list])

    def write(self, vals):
        return super().write(self._upper_code(dict(vals)))

    @staticmethod
    def _upper_code(vals: dict) -> dict:
        if isinstance(vals.get("name"), str):
            vals["name"] = vals["name"].strip().upper()
        return vals

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("rounding")
    def _compute_decimal_places(self) -> None:
        for currency in self:
            currency.decimal_places = digits_of(currency.rounding) if currency.rounding else 0

    @api.depends("rate_ids.rate", "rate_ids.name")
    def _compute_current_rate(self) -> None:
        """The rate at the context's ``date`` for the context's ``company_id``
        (default: the environment's company), relative to the context's
        ``to_currency`` (default: that company's currency)."""
        date = self.env.context.get("date") or fields.Date.context_today(self)
        company = self.env["res.company"].browse(self.env.context.get("company_id")) or \
            self.env.company
        to_currency = self.browse(self.env.context.get("to_currency")) or company.currency_id
        real = self.browse([i for i in self._ids if isinstance(i, int)])
        rates = (real | to_currency)._get_rates(company, date)
        base = rates.get(to_currency.id) or 1.0
        for currency in self:
            currency.rate = (rates.get(currency.id) or 1.0) / base
            currency.inverse_rate = 1.0 / currency.rate

    @api.depends("rate_ids.name")
    def _compute_date(self) -> None:
        for currency in self:
            currency.date = currency.rate_ids[:1].name

    # ------------------------------------------------------------------
    # amounts
    # ------------------------------------------------------------------
    def round(self, amount: float) -> float:
        """``amount`` rounded to this currency's precision (half away from zero)."""
        self.ensure_one()
        return float_round(amount, self.rounding)

    def is_zero(self, amount: float) -> bool:
        """Whether ``amount`` is zero once rounded to this currency."""
        self.ensure_one()
        return float_is_zero(amount, self.rounding)

    def compare_amounts(self, amount1: float, amount2: float) -> int:
        """-1, 0 or 1 as ``amount1`` is below, equal to or above ``amount2`` in
        this currency (``compare_amounts(0.004, 0) == 0`` in USD)."""
        self.ensure_one()
        return float_compare(amount1, amount2, self.rounding)

    # ------------------------------------------------------------------
    # rates and conversion
    # ------------------------------------------------------------------
    def _get_rates(self, company, date: dt.date | str) -> dict[int, float]:
        """{currency id: rate} at ``date`` for ``company`` (see the module doc)."""
        ids = [i for i in self._ids if isinstance(i, int)]
        if not ids:
            return {}
        if isinstance(date, str):
            date = dt.date.fromisoformat(date[:10])
        elif isinstance(date, dt.datetime):
            date = date.date()
        rate_table = self.env["res.currency.rate"]._table_obj
        table = self._table_obj
        company_id = (company.root_id.id or company.id) if company else None
        scope = rate_table.c.company_id.is_(None)
        if company_id:
            scope = sa.or_(scope, rate_table.c.company_id == company_id)
        own_first = rate_table.c.company_id.asc().nulls_last()

        def latest(*conditions, order) -> sa.ScalarSelect:
            return (sa.select(rate_table.c.rate)
                    .where(rate_table.c.currency_id == table.c.id, scope, *conditions)
                    .order_by(own_first, order).limit(1).scalar_subquery())

        before = latest(rate_table.c.name <= date, order=rate_table.c.name.desc())
        earliest = latest(order=rate_table.c.name.asc())
        stmt = sa.select(table.c.id, sa.func.coalesce(before, earliest, 1.0)).where(
            table.c.id.in_(ids))
        return {row[0]: float(row[1]) for row in self.env.execute(stmt)}

    @api.model
    def _get_conversion_rate(self, from_currency, to_currency, company=None,
                             date: dt.date | None = None) -> float:
        if from_currency == to_currency:
            return 1.0
        company = company or self.env.company
        date = date or fields.Date.context_today(self)
        rates = (from_currency | to_currency)._get_rates(company, date)
        return rates[to_currency.id] / rates[from_currency.id]

    def _convert(self, from_amount: float, to_currency, company=None,
                 date: dt.date | None = None, round: bool = True) -> float:  # noqa: A002
        """``from_amount`` in this currency, converted to ``to_currency`` at the
        rates of ``company`` on ``date`` (default: the environment's company,
        today), rounded to ``to_currency`` unless ``round=False``."""
        self, to_currency = self or to_currency, to_currency or self
        if not self or not to_currency:
            raise ValueError("Converting an amount needs a source and a target currency")
        self.ensure_one()
        to_currency.ensure_one()
        if not from_amount:
            return 0.0
        to_amount = from_amount * self._get_conversion_rate(self, to_currency, company, date)
        return to_currency.round(to_amount) if round else to_amount


class ResCurrencyRate(models.Model):
    _name = "res.currency.rate"
    _description = "Currency Rate"
    _order = "name desc, id desc"

    name = fields.Date("Date", required=True, index=True,
                       default=lambda self: fields.Date.context_today(self))
    rate = fields.Float("Technical Rate", default=1.0, group_operator="avg",
                        help="Units of the currency per unit of the company currency")
    inverse_rate = fields.Float(compute="_compute_inverse_rate",
                                help="Units of the company currency per unit of the currency")
    currency_id = fields.Many2one("res.currency", "Currency", required=True, index=True,
                                  ondelete="cascade")
    company_id = fields.Many2one("res.company", "Company",
                                 default=lambda self: self.env.company.root_id)

    _sql_constraints = [
        ("unique_name_per_day", "unique(name, currency_id, company_id)",
         "Only one currency rate per day is allowed."),
        ("currency_rate_check", "check(rate > 0)", "The currency rate must be positive."),
    ]

    @api.depends("rate")
    def _compute_inverse_rate(self) -> None:
        for rate in self:
            rate.inverse_rate = 1.0 / rate.rate if rate.rate else 0.0

    @api.depends("name")
    def _compute_display_name(self) -> None:
        for rate in self:
            rate.display_name = rate.name.isoformat() if rate.name else ""

    @api.constrains("name", "currency_id", "company_id")
    def _check_unique_per_day(self) -> None:
        # the SQL constraint lets two rates without company through (NULLs differ)
        for rate in self:
            if self.search_count([("name", "=", rate.name),
                                  ("currency_id", "=", rate.currency_id.id),
                                  ("company_id", "=", rate.company_id.id or False),
                                  ("id", "!=", rate.id)]):
                raise ValidationError("Only one currency rate per day is allowed.")
