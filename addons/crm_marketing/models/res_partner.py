"""Partners as mailing recipients: their normalised address, the blacklist, and
a last contact date that segments can search.

    env["res.partner"].search([("is_blacklisted", "=", False)])
    env["res.partner"].search(["|", ("last_contact_date", "=", False),
                               ("last_contact_date", "<", ninety_days_ago)])
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addons.mail.tools.mail_utils import email_normalize
from core import api, fields, models

from .crm_lead import search_blacklisted

#: messages that count as a contact (as crm's last_contact_date)
CONTACT_MESSAGE_TYPES = ("email", "comment")


class ResPartner(models.Model):
    _inherit = "res.partner"
    _primary_email = "email"

    email_normalized = fields.Char("Normalized Email", compute="_compute_email_normalized",
                                   store=True, index=True)
    is_blacklisted = fields.Boolean("Blacklist", compute="_compute_is_blacklisted",
                                    search="_search_is_blacklisted",
                                    help="The address asked not to receive bulk e-mail")
    last_contact_date = fields.Datetime(search="_search_last_contact_date")

    @api.depends("email")
    def _compute_email_normalized(self) -> None:
        for partner in self:
            partner.email_normalized = email_normalize(partner.email) or False

    def _compute_is_blacklisted(self) -> None:
        listed = self.env["mail.blacklist"]._blacklisted(
            {p.email_normalized for p in self if p.email_normalized})
        for partner in self:
            partner.is_blacklisted = partner.email_normalized in listed

    def _search_is_blacklisted(self, operator: str, value: Any) -> list:
        return search_blacklisted(self.env, operator, value)

    def _search_last_contact_date(self, operator: str, value: Any) -> list:
        """Search on the latest e-mail, message or done activity with the
        company, its contacts or their deals (what crm computes):
        ``= False`` never contacted, ``< date`` not since that date but before."""
        if operator in ("=", "!=") and value is False:
            ever = self._contacted_since(None)
            return [("commercial_partner_id", "not in" if operator == "=" else "in", ever)]
        if operator not in ("<", "<=", ">", ">="):
            raise ValueError(f"Operator {operator!r} is not supported on last_contact_date")
        moment = fields.Datetime.to_datetime(value) if not isinstance(value, dt.datetime) \
            else value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            moment = dt.datetime.combine(value, dt.time.min)
        if operator == "<=":
            moment += dt.timedelta(microseconds=1)
        if operator in (">", ">="):
            return [("commercial_partner_id", "in", self._contacted_since(moment))]
        return ["&", ("commercial_partner_id", "in", self._contacted_since(None)),
                ("commercial_partner_id", "not in", self._contacted_since(moment))]

    @api.model
    def _contacted_since(self, moment: dt.datetime | None) -> list[int]:
        """Commercial partners with a contact message on themselves, their
        contacts or their deals (since ``moment``)."""
        Message = self.env["mail.message"].sudo()  # noqa: N806
        terms: list = ["|", ("message_type", "in", list(CONTACT_MESSAGE_TYPES)),
                       ("mail_activity_type_id", "!=", False)]
        if moment is not None:
            terms = [("date", ">=", moment)] + terms
        owners: set[int] = set()
        partner_ids = {row["res_id"] for row in Message.read_group(
            [("model", "=", "res.partner")] + terms, ["res_id"], ["res_id"])}
        if partner_ids:
            owners |= {row["commercial_partner_id"][0] for row in self.sudo().with_context(
                active_test=False).search_read([("id", "in", sorted(partner_ids))],
                                               ["commercial_partner_id"])
                       if row["commercial_partner_id"]}
        lead_ids = {row["res_id"] for row in Message.read_group(
            [("model", "=", "crm.lead")] + terms, ["res_id"], ["res_id"])}
        if lead_ids:
            owners |= {row["commercial_partner_id"][0] for row in self.env["crm.lead"].sudo()
                       .with_context(active_test=False).search_read(
                           [("id", "in", sorted(lead_ids))], ["commercial_partner_id"])
                       if row["commercial_partner_id"]}
        return sorted(owners)
