"""A product with translated texts, for the translation tests."""

from __future__ import annotations

from core import fields, models
from core.exceptions import UserError
from core.i18n import _, _lt

#: translated when shown, with the environment's language
EMPTY = _lt("Nothing in stock")


class TiProduct(models.Model):
    _name = "ti.product"
    _description = "Product"

    name = fields.Char("Product Name", required=True, translate=True)
    state = fields.Selection([("draft", "Draft"), ("sale", "On Sale")], default="draft")
    price = fields.Float(digits=(16, 2))
    quantity = fields.Integer()
    notes = fields.Text(help="Internal notes")

    def action_check_stock(self) -> None:
        for product in self:
            if product.quantity <= 0:
                # TRANSLATORS: shown when a product has no stock left
                raise UserError(_(self.env, "Stock of %(product)s is empty.",
                                  product=product.name))

    def stock_message(self) -> str:
        self.ensure_one()
        if self.quantity <= 0:
            return _(self.env, EMPTY)
        return _(self.env, "Only %(count)s left", count=self.quantity)
