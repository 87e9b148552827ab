"""Payment terms: when the customer pays what share, e.g. 30 % deposit, 70 % against B/L.

    terms = env.ref("account_base.account_payment_term_30_deposit_70_bl")
    terms.compute(10000.0, currency=usd, date_ref=date(2024, 6, 3),
                  event_dates={"shipment": date(2024, 7, 15)})
    # [{"date": date(2024, 6, 3), "amount": 3000.0, "event": "order", ...},
    #  {"date": date(2024, 7, 15), "amount": 7000.0, "event": "shipment", ...}]

Each line is a part of the total (a percentage, a fixed amount, or the
balance, which takes what is left so the parts add up to the total to the
cent) due some days after an event: the invoice (Odoo's only event), the
order's confirmation (a deposit) or the shipment (against a copy of the
bill of lading) — the events export trade agrees on.
"""

from __future__ import annotations

import calendar
import datetime as dt

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

EVENTS = [("invoice", "Invoice date"), ("order", "Order confirmation"),
          ("shipment", "Shipment (B/L date)")]


class AccountPaymentTerm(models.Model):
    _name = "account.payment.term"
    _description = "Payment Terms"
    _order = "sequence, id"

    name = fields.Char("Payment Terms", required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    note = fields.Html("Description on the Invoice", translate=True)
    company_id = fields.Many2one("res.company", "Company", index=True)
    display_on_invoice = fields.Boolean("Show installment dates", default=True)
    line_ids = fields.One2many("account.payment.term.line", "payment_id", "Terms", copy=True)

    @api.constrains("line_ids")
    def _check_lines(self) -> None:
        for terms in self:
            lines = terms.line_ids.sorted(key=lambda line: (line.sequence, line.id))
            if not lines:
                continue
            balances = lines.filtered(lambda line: line.value == "balance")
            if len(balances) > 1 or (balances and lines[-1] != balances):
                raise ValidationError(_(self.env, "The payment terms %s may have one balance "
                                        "line, the last one.", terms.name))
            percent = sum(lines.filtered(lambda line: line.value == "percent")
                          .mapped("value_amount"))
            if percent > 100.0001 or (not balances and not lines.filtered(
                    lambda line: line.value == "fixed") and abs(percent - 100) > 0.0001):
                raise ValidationError(_(self.env, "The percentages of the payment terms %s "
                                        "must add up to 100 %% (or leave a balance line).",
                                        terms.name))

    def compute(self, value: float, currency=None, date_ref: dt.date | None = None,
                event_dates: dict[str, dt.date] | None = None) -> list[dict]:
        """The installments of ``value``: ``{"date", "amount", "event", "line_id"}``.
        Events without a date in ``event_dates`` are counted from ``date_ref``."""
        self.ensure_one()
        currency = currency or self.env.company.currency_id
        date_ref = date_ref or fields.Date.today()
        dates = event_dates or {}
        result, remaining = [], value
        for line in self.line_ids.sorted(key=lambda line: (line.sequence, line.id)):
            if line.value == "balance":
                amount = currency.round(remaining)
            elif line.value == "fixed":
                amount = currency.round(min(line.value_amount, remaining)
                                        if value >= 0 else line.value_amount)
            else:
                amount = currency.round(value * line.value_amount / 100.0)
            remaining -= amount
            start = dates.get(line.trigger_event) or date_ref
            result.append({"date": line._due_date(start), "amount": amount,
                           "event": line.trigger_event, "line_id": line.id})
        if result and not currency.is_zero(remaining):
            result[-1]["amount"] = currency.round(result[-1]["amount"] + remaining)
        return result


class AccountPaymentTermLine(models.Model):
    _name = "account.payment.term.line"
    _description = "Payment Terms Line"
    _order = "sequence, id"

    payment_id = fields.Many2one("account.payment.term", "Payment Terms", required=True,
                                 ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    value = fields.Selection([("percent", "Percent"), ("fixed", "Fixed"),
                              ("balance", "Balance")], "Type", default="percent",
                             required=True)
    value_amount = fields.Float("Value", digits=(16, 4),
                                help="A percentage, or an amount for a fixed part")
    nb_days = fields.Integer("Days", default=0)
    delay_type = fields.Selection(
        [("days_after", "Days after"),
         ("days_after_end_of_month", "Days after end of month"),
         ("days_after_end_of_next_month", "Days after end of next month")],
        default="days_after", required=True)
    trigger_event = fields.Selection(EVENTS, "Counted From", default="invoice", required=True,
                                     help="The event the days are counted from")

    _sql_constraints = [("days_positive", "check(nb_days >= 0)",
                         "The number of days cannot be negative.")]

    @api.constrains("value", "value_amount")
    def _check_percent(self) -> None:
        for line in self:
            if line.value == "percent" and not 0 <= line.value_amount <= 100:
                raise ValidationError(_(self.env, "Percentages on the payment terms lines "
                                        "must be between 0 and 100."))

    def _due_date(self, start: dt.date) -> dt.date:
        if self.delay_type == "days_after_end_of_month":
            start = _end_of_month(start)
        elif self.delay_type == "days_after_end_of_next_month":
            start = _end_of_month(_end_of_month(start) + dt.timedelta(days=1))
        return start + dt.timedelta(days=self.nb_days)


def _end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
