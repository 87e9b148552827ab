"""Mailing contacts: people on mailing lists who need not be customers.

    jane = env["mailing.contact"].create({"name": "Jane", "email": "Jane@Example.com",
                                          "list_ids": [(6, 0, [news.id])]})
    jane.email_normalized        # 'jane@example.com'
    jane.with_context(default_list_ids=[news.id]).opt_out   # her opt-out of that list
    jane.is_blacklisted          # the address is in mail.blacklist
"""

from __future__ import annotations

from typing import Any

from addons.mail.tools.mail_utils import email_normalize
from core import api, fields, models

from .crm_lead import search_blacklisted


class MailingContact(models.Model):
    _name = "mailing.contact"
    _description = "Mailing Contact"
    _order = "name, id"
    #: the field holding the address mailings are sent to (see mailing.mailing)
    _primary_email = "email"

    name = fields.Char("Contact Name")
    company_name = fields.Char("Company Name")
    email = fields.Char("Email", index=True)
    email_normalized = fields.Char("Normalized Email", compute="_compute_email_normalized",
                                   store=True, index=True)
    country_id = fields.Many2one("res.country", "Country")
    active = fields.Boolean(default=True)
    subscription_ids = fields.One2many("mailing.subscription", "contact_id",
                                       "Subscription Information")
    list_ids = fields.Many2many("mailing.list", compute="_compute_list_ids",
                                inverse="_inverse_list_ids", search="_search_list_ids",
                                string="Mailing Lists")
    opt_out = fields.Boolean("Opt Out", compute="_compute_opt_out", search="_search_opt_out",
                             help="Opted out of the mailing list given in the context "
                                  "(default_list_ids, one list)")
    is_blacklisted = fields.Boolean("Blacklisted", compute="_compute_is_blacklisted",
                                    search="_search_is_blacklisted",
                                    help="The address is in the blacklist: no bulk e-mail "
                                         "at all")
    message_bounce = fields.Integer("Bounce", help="Bounced mailings to this address",
                                    readonly=True)

    @api.depends("email")
    def _compute_email_normalized(self) -> None:
        for contact in self:
            contact.email_normalized = email_normalize(contact.email) or False

    @api.depends("subscription_ids")
    def _compute_list_ids(self) -> None:
        for contact in self:
            contact.list_ids = [(6, 0, contact.subscription_ids.mapped("list_id").ids)]

    def _inverse_list_ids(self) -> None:
        """Subscribe to the lists added, remove the subscriptions of lists taken off."""
        Subscription = self.env["mailing.subscription"]  # noqa: N806
        # read every wanted value first: a new subscription recomputes list_ids
        wanted = {contact.id: set(contact.list_ids.ids) for contact in self}
        current = {contact.id: {sub.list_id.id: sub.id for sub in contact.subscription_ids}
                   for contact in self}
        gone = [sub_id for contact_id, subs in current.items()
                for list_id, sub_id in subs.items() if list_id not in wanted[contact_id]]
        new = [{"contact_id": contact_id, "list_id": list_id}
               for contact_id, lists in wanted.items()
               for list_id in sorted(lists - set(current[contact_id]))]
        if gone:
            Subscription.browse(gone).unlink()
        if new:
            Subscription.create(new)
        self.invalidate_recordset(["subscription_ids"])

    def _search_list_ids(self, operator: str, value: Any) -> list:
        if operator in ("=", "!=") and value is False:
            return [("subscription_ids", "=" if operator == "=" else "!=", False)]
        if operator not in ("in", "=", "not in", "!="):
            raise ValueError(f"Operator {operator!r} is not supported on list_ids")
        list_ids = list(value) if isinstance(value, (list, tuple)) else [value]
        inside = [("subscription_ids", "any", [("list_id", "in", list_ids)])]
        return inside if operator in ("in", "=") else ["!"] + inside

    @api.depends_context("default_list_ids")
    def _compute_opt_out(self) -> None:
        list_ids = self.env.context.get("default_list_ids") or []
        if len(list_ids) != 1:
            for contact in self:
                contact.opt_out = False
            return
        for contact in self:
            subscription = contact.subscription_ids.filtered(
                lambda sub: sub.list_id.id == list_ids[0])
            contact.opt_out = bool(subscription.opt_out)

    def _search_opt_out(self, operator: str, value: Any) -> list:
        list_ids = self.env.context.get("default_list_ids") or []
        if operator not in ("=", "!=") or len(list_ids) != 1:
            raise ValueError("opt_out is searched with = or != and one list in the context "
                             "(default_list_ids)")
        opted = (operator == "=") == bool(value)
        term = [("subscription_ids", "any", [("list_id", "=", list_ids[0]),
                                             ("opt_out", "=", True)])]
        return term if opted else ["!"] + term

    def _compute_is_blacklisted(self) -> None:
        listed = self.env["mail.blacklist"]._blacklisted(
            {contact.email_normalized for contact in self if contact.email_normalized})
        for contact in self:
            contact.is_blacklisted = contact.email_normalized in listed

    def _search_is_blacklisted(self, operator: str, value: Any) -> list:
        return search_blacklisted(self.env, operator, value)

    def action_add_to_blacklist(self) -> bool:
        for contact in self:
            if contact.email_normalized:
                self.env["mail.blacklist"]._add(contact.email_normalized,
                                                reason="Added from the mailing contacts")
        return True
