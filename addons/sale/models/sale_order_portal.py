"""The customer's link: view the quotation, download its PDF, accept it once.

    url = order.portal_url              # '/sale/portal/12.20301.5f0c...' (expires)
    order._portal_order_from_token(token)   # the order, or an exception saying why not
    order._portal_accept("Jane Doe")        # once: signs, and confirms when no approval
                                            # is needed

The token is ``<order id>.<expiry day>.<signature>``: the signature is an
HMAC-SHA256, keyed with the database secret, of the order id, the expiry
day and the order's ``access_token`` (a random value kept on the order), so
that a link cannot be forged or extended, and a new ``access_token``
(``_portal_revoke``) kills every link sent before. A link expires at the
end of its expiry day: the quotation's validity date, or the company's
``sale_portal_link_days`` after it was made if that comes first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _

PORTAL_PATH = "/sale/portal/"


class PortalLinkError(UserError):
    """A link that is not (or no longer) valid; ``reason``: invalid, expired."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class SaleOrder(models.Model):
    _inherit = "sale.order"

    access_token = fields.Char("Security Token", copy=False, groups="base.group_system")
    portal_url = fields.Char("Customer Link", compute="_compute_portal_url",
                             help="The link sent to the customer (it expires)")
    signed_by = fields.Char("Accepted By", copy=False, readonly=True)
    signed_on = fields.Datetime("Accepted On", copy=False, readonly=True)

    def _compute_portal_url(self) -> None:
        # an absolute link when the system parameter web.base.url says where Troika is
        base = (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "")
        for order in self:
            order.portal_url = base.rstrip("/") + PORTAL_PATH + order._portal_token() \
                if order.id else False

    # ------------------------------------------------------------------
    # tokens
    # ------------------------------------------------------------------
    def _portal_secret(self) -> bytes:
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param("database.secret")
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param("database.secret", secret)
        return secret.encode()

    def _portal_access_token(self) -> str:
        order = self.sudo()
        if not order.access_token:
            order.access_token = secrets.token_urlsafe(24)
        return order.access_token

    def _portal_expiry(self, today: dt.date | None = None) -> dt.date:
        today = today or fields.Date.today()
        days = self.company_id.sale_portal_link_days or 30
        expiry = today + dt.timedelta(days=days)
        return min(expiry, self.validity_date) if self.validity_date else expiry

    def _portal_signature(self, expiry: int) -> str:
        message = f"sale.order:{self.id}:{expiry}:{self._portal_access_token()}".encode()
        return hmac.new(self._portal_secret(), message, hashlib.sha256).hexdigest()[:40]

    def _portal_token(self, today: dt.date | None = None) -> str:
        self.ensure_one()
        expiry = self._portal_expiry(today).toordinal()
        return f"{self.id}.{expiry}.{self._portal_signature(expiry)}"

    @api.model
    def _portal_order_from_token(self, token: str, today: dt.date | None = None):
        """The order a token opens (superuser record set: the token is the
        customer's authentication); PortalLinkError otherwise."""
        invalid = PortalLinkError(_(self.env, "This link is not valid."), "invalid")
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise invalid
        order = self.sudo().with_context(active_test=False).browse(int(parts[0])).exists()
        if not order or not order.sudo().access_token:
            raise invalid
        if not hmac.compare_digest(order._portal_signature(int(parts[1])), parts[2]):
            raise invalid
        if dt.date.fromordinal(int(parts[1])) < (today or fields.Date.today()):
            raise PortalLinkError(_(self.env, "This link has expired; ask us for a new "
                                    "one."), "expired")
        return order

    def _portal_revoke(self) -> None:
        """Invalidate every link sent so far."""
        self.sudo().write({"access_token": secrets.token_urlsafe(24)})

    # ------------------------------------------------------------------
    # acceptance
    # ------------------------------------------------------------------
    def _portal_can_accept(self) -> bool:
        return self.active and self.state in ("draft", "sent", "negotiation") \
            and not self.signed_on

    def _portal_accept(self, name: str) -> bool:
        """The customer accepts the quotation (once). The order is confirmed
        unless its discount waits for the manager's approval, who is asked."""
        self.ensure_one()
        order = self.sudo()
        if not order._portal_can_accept():
            raise PortalLinkError(_(self.env, "This quotation cannot be accepted any more "
                                    "(it was accepted already, replaced or closed)."),
                                  "closed")
        name = (name or "").strip()
        if not name:
            raise UserError(_(self.env, "Please type your name to accept the quotation."))
        order.write({"signed_by": name[:128], "signed_on": fields.Datetime.now()})
        comment = _(self.env, "Accepted online by %s.", name)
        if order.discount_approval_required:
            order._portal_ask_approval(comment)
            return False
        order.action_confirm(comment=comment)
        return True

    def _portal_ask_approval(self, comment: str) -> None:
        """Post the acceptance and give the approver a to-do."""
        self.ensure_one()
        self.message_post(body=comment, subtype_xmlid="mail.mt_comment")
        self._schedule_discount_approval()
