"""Tax arithmetic in ``Decimal``: the amounts of a line's taxes, exact to the cent.

    vat = TaxSpec(id=1, name="VAT 21%", amount_type="percent", amount=Decimal("21"),
                  price_include=True)
    result = compute_all([vat], Decimal("100"), Decimal("1"), rounding=Decimal("0.01"))
    result.total_excluded, result.total_included     # Decimal('82.64'), Decimal('100.00')
    result.taxes[0].amount                            # Decimal('17.36')

``rounding`` is the currency's rounding factor (``0.01``, ``1`` for JPY,
``0.05``...) when amounts are rounded per line, or ``None`` to keep them
exact (the company rounds globally, once per tax over the whole order).

How the taxes of a line relate (the semantics of Odoo's ``account.tax``):

* taxes apply in their order (groups already replaced by their children);
* ``percent``: base × rate; ``division``: the amount such that it is
  rate % of base + amount (base × r / (1 - r)); ``fixed``: the amount per
  unit, times the quantity;
* a tax with ``include_base_amount`` adds its amount to the base of the
  taxes after it that are ``is_base_affected``;
* ``price_include`` taxes are part of the price: the untaxed amount is the
  base for which base plus the included taxes equals the price. Every tax
  amount is an affine function of the untaxed base, so that base is found
  by solving one linear equation instead of peeling taxes one by one.
  Once amounts are rounded, the last included tax takes the rounding
  difference, so that untaxed + included taxes is the price to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxSpec:
    """What the arithmetic needs of an ``account.tax`` (never a group)."""

    id: int
    name: str
    amount_type: str                  # percent | division | fixed
    amount: Decimal
    price_include: bool = False
    include_base_amount: bool = False
    is_base_affected: bool = True
    group_id: int = 0


@dataclass(frozen=True)
class TaxAmount:
    id: int
    name: str
    base: Decimal
    amount: Decimal
    price_include: bool
    group_id: int = 0


@dataclass(frozen=True)
class TaxResult:
    total_excluded: Decimal
    total_included: Decimal
    taxes: tuple[TaxAmount, ...] = field(default_factory=tuple)

    @property
    def total_tax(self) -> Decimal:
        return self.total_included - self.total_excluded


def round_to(value: Decimal, rounding: Decimal | None) -> Decimal:
    """``value`` rounded half away from zero to a multiple of ``rounding``."""
    if rounding is None:
        return value
    steps = (value / rounding).quantize(ONE, rounding=ROUND_HALF_UP)
    return (steps * rounding).quantize(rounding if rounding < ONE else ONE)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


class _Affine:
    """``coef × base + const``: a tax base or amount as a function of the untaxed base."""

    __slots__ = ("coef", "const")

    def __init__(self, coef: Decimal = ONE, const: Decimal = ZERO):
        self.coef, self.const = coef, const

    def __add__(self, other: _Affine) -> _Affine:
        return _Affine(self.coef + other.coef, self.const + other.const)

    def scale(self, factor: Decimal) -> _Affine:
        return _Affine(self.coef * factor, self.const * factor)

    def at(self, base: Decimal) -> Decimal:
        return self.coef * base + self.const


def _amount(tax: TaxSpec, base: _Affine, quantity: Decimal, sign: Decimal) -> _Affine:
    rate = tax.amount / HUNDRED
    if tax.amount_type == "percent":
        return base.scale(rate)
    if tax.amount_type == "division":
        return base.scale(rate / (ONE - rate))
    if tax.amount_type == "fixed":
        return _Affine(ZERO, sign * abs(quantity) * tax.amount)
    raise ValueError(f"Unknown tax computation {tax.amount_type!r}")


def compute_all(taxes: Sequence[TaxSpec], price_unit, quantity,
                rounding: Decimal | None = None) -> TaxResult:
    """The untaxed amount, the taxes and the total of ``quantity`` × ``price_unit``."""
    price_unit, quantity = _decimal(price_unit), _decimal(quantity)
    gross = round_to(price_unit * quantity, rounding)
    sign = Decimal(-1) if gross < 0 else ONE
    # the included taxes as functions of the untaxed base
    total, running = _Affine(), _Affine()
    for tax in taxes:
        tax_base = running if tax.is_base_affected else _Affine()
        amount = _amount(tax, tax_base, quantity, sign)
        if tax.price_include:
            total = total + amount
        if tax.include_base_amount:
            running = running + amount
    excluded = round_to((gross - total.const) / total.coef, rounding)
    # the amounts, forward
    amounts, running_base = [], excluded
    for tax in taxes:
        base = running_base if tax.is_base_affected else excluded
        amount = round_to(_amount(tax, _Affine(ZERO, base), quantity, sign).at(ZERO), rounding)
        amounts.append(TaxAmount(tax.id, tax.name, base, amount, tax.price_include,
                                 tax.group_id))
        if tax.include_base_amount:
            running_base += amount
    amounts = _settle_included(amounts, gross - excluded)
    included = excluded + sum((a.amount for a in amounts), ZERO)
    return TaxResult(excluded, included, tuple(amounts))


def _settle_included(amounts: list[TaxAmount], target: Decimal) -> list[TaxAmount]:
    """Give the rounding difference to the last included tax with an amount, so that
    the included taxes add up to the price minus the untaxed amount."""
    included = [i for i, a in enumerate(amounts) if a.price_include and a.amount]
    if not included:
        return amounts
    difference = target - sum((amounts[i].amount for i in included), ZERO)
    if difference:
        last = amounts[included[-1]]
        amounts[included[-1]] = TaxAmount(last.id, last.name, last.base,
                                          last.amount + difference, True, last.group_id)
    return amounts


@dataclass(frozen=True)
class Totals:
    amount_untaxed: Decimal
    amount_tax: Decimal
    amount_total: Decimal
    #: (tax id, name, base, amount, group id) per tax, in the order first met
    by_tax: tuple[tuple[int, str, Decimal, Decimal, int], ...] = ()


def document_totals(results: Sequence[TaxResult], rounding: Decimal) -> Totals:
    """A document's totals from its lines' results.

    Lines computed with ``rounding`` (per line) are rounded already and
    simply add up. Lines computed exactly (``rounding=None``: the company
    rounds globally) are summed exactly, then the untaxed amount and each
    tax's amount are rounded once; the total is their sum.
    """
    untaxed = round_to(sum((r.total_excluded for r in results), ZERO), rounding)
    per_tax: dict[int, list] = {}
    for result in results:
        for tax in result.taxes:
            entry = per_tax.setdefault(tax.id, [tax.name, ZERO, ZERO, tax.group_id])
            entry[1] += tax.base
            entry[2] += tax.amount
    by_tax = tuple((tax_id, name, round_to(base, rounding), round_to(amount, rounding), group)
                   for tax_id, (name, base, amount, group) in per_tax.items())
    tax = sum((entry[3] for entry in by_tax), ZERO)
    return Totals(untaxed, tax, untaxed + tax, by_tax)
