"""Sales settings of a company: quotation validity and the discount approval threshold."""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class ResCompany(models.Model):
    _inherit = "res.company"

    quotation_validity_days = fields.Integer(
        "Default Quotation Validity", default=30,
        help="Days a new quotation is valid for (0: no expiration date)")
    sale_discount_approval_threshold = fields.Float(
        "Discount Approval Threshold (%)", digits=(5, 2), default=10.0,
        help="An order with a line discounted more than this is confirmed by the "
             "salesperson's manager (0: never)")
    sale_portal_link_days = fields.Integer(
        "Customer Link Validity (days)", default=30,
        help="Days a link sent to the customer stays valid, at most until the quotation "
             "expires")
    sale_note = fields.Html("Default Terms and Conditions", translate=True)

    @api.constrains("sale_discount_approval_threshold")
    def _check_sale_discount_approval_threshold(self) -> None:
        for company in self:
            if not 0 <= company.sale_discount_approval_threshold <= 100:
                raise ValidationError(_(self.env, "The discount approval threshold lies "
                                        "between 0 and 100 %%."))
