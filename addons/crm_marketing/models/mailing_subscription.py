"""A contact's subscription to a mailing list: opted out or not, and, for
sign-ups from the public page, waiting for the address to be confirmed.

    sub = env["mailing.subscription"]._sign_up(news, "jane@example.com", "Jane")
    sub.is_pending               # True: the confirmation mail is queued
    sub._confirm(token)          # the link of that mail: subscribed

The confirmation link carries an HMAC of the subscription, its list and its
address with the database secret (``mail.blacklist._database_secret``): it
confirms that subscription and no other, and cannot be made without the
secret.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlencode

from addons.mail.tools.mail_utils import email_normalize
from core import api, fields, models


class MailingSubscription(models.Model):
    _name = "mailing.subscription"
    _description = "Mailing List Subscription"
    _order = "list_id, contact_id"
    _rec_name = "contact_id"

    contact_id = fields.Many2one("mailing.contact", "Contact", required=True,
                                 ondelete="cascade", index=True)
    list_id = fields.Many2one("mailing.list", "Mailing List", required=True,
                              ondelete="cascade", index=True)
    opt_out = fields.Boolean("Opt Out", default=False,
                             help="The contact asked not to receive the mailings of this "
                                  "list")
    opt_out_datetime = fields.Datetime("Unsubscription Date", compute="_compute_opt_out_datetime",
                                       store=True, readonly=False)
    unsubscription_date = fields.Datetime("Unsubscription Date (legacy name)",
                                          related="opt_out_datetime", readonly=True)
    is_pending = fields.Boolean("Awaiting Confirmation", default=False, index=True,
                                help="Signed up on the public page: no mailing is sent until "
                                     "the link of the confirmation e-mail is followed")
    confirmation_datetime = fields.Datetime("Confirmed On", readonly=True, copy=False)
    is_blacklisted = fields.Boolean("Blacklisted", related="contact_id.is_blacklisted")
    message_bounce = fields.Integer("Bounce", related="contact_id.message_bounce")
    confirmation_url = fields.Char("Confirmation Link", compute="_compute_confirmation_url",
                                   groups="crm_marketing.group_mass_mailing_user")

    _sql_constraints = [("unique_contact_list", "unique(contact_id, list_id)",
                         "A mailing contact cannot subscribe to the same mailing list "
                         "multiple times.")]

    @api.depends("opt_out")
    def _compute_opt_out_datetime(self) -> None:
        for subscription in self:
            if not subscription.opt_out:
                subscription.opt_out_datetime = False
            elif not subscription.opt_out_datetime:
                subscription.opt_out_datetime = fields.Datetime.now()

    def _compute_confirmation_url(self) -> None:
        base_url = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "http://localhost:8069").rstrip("/")
        for subscription in self:
            subscription.confirmation_url = \
                f"{base_url}/mailing/confirm/{subscription.id}?" + urlencode(
                    {"token": subscription._confirmation_token()}) \
                if isinstance(subscription.id, int) else False

    # ------------------------------------------------------------------
    # double opt-in
    # ------------------------------------------------------------------
    def _confirmation_token(self) -> str:
        self.ensure_one()
        record = self.sudo()
        message = (f"mailing.subscription:confirm:{record.id}:{record.list_id.id}:"
                   f"{record.contact_id.email_normalized or ''}")
        key = self.env["mail.blacklist"]._database_secret().encode()
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()

    def _check_confirmation_token(self, token: str) -> bool:
        return bool(token) and len(self) == 1 and hmac.compare_digest(
            self._confirmation_token(), str(token))

    @api.model
    def _sign_up(self, mailing_list: Any, email: str, name: str = "") -> Any:
        """A sign-up from the public page (as superuser): the contact found by
        address or created, its subscription pending until confirmed, and the
        confirmation mail queued. An address already subscribed and confirmed
        stays as it is; one that had opted out must confirm again."""
        normalized = email_normalize(email)
        if not normalized:
            raise ValueError(f"{email!r} is not an e-mail address")
        Contact = self.env["mailing.contact"].sudo()  # noqa: N806
        contact = Contact.search([("email_normalized", "=", normalized)], limit=1, order="id")
        if not contact:
            contact = Contact.create({"name": (name or "").strip() or normalized,
                                      "email": normalized})
        subscription = self.sudo().search([("contact_id", "=", contact.id),
                                           ("list_id", "=", mailing_list.id)])
        if subscription and not subscription.opt_out and not subscription.is_pending:
            return subscription
        if subscription:
            subscription.write({"is_pending": True, "opt_out": False,
                                "confirmation_datetime": False})
        else:
            subscription = self.sudo().create({"contact_id": contact.id,
                                               "list_id": mailing_list.id,
                                               "is_pending": True})
        template = self.env.ref("crm_marketing.mailing_subscription_confirm_template")
        template.sudo().send_mail(subscription.id)
        return subscription

    def _confirm(self, token: str) -> bool:
        """Follow the confirmation link: whether ``token`` is this subscription's."""
        if not self._check_confirmation_token(token):
            return False
        record = self.sudo()
        if record.is_pending:
            record.write({"is_pending": False, "opt_out": False,
                          "confirmation_datetime": fields.Datetime.now()})
        return True
