"""Leads as mailing recipients: their normalised address and the blacklist.

    env["crm.lead"].search([("email_normalized", "=", "jane@example.com")])
"""

from __future__ import annotations

from typing import Any

from addons.mail.tools.mail_utils import email_normalize
from core import api, fields, models


def search_blacklisted(env: Any, operator: str, value: Any) -> list:
    """The domain of ``is_blacklisted`` on a model with ``email_normalized``."""
    if operator not in ("=", "!="):
        raise ValueError(f"Operator {operator!r} is not supported on is_blacklisted")
    emails = env["mail.blacklist"].sudo().search([]).mapped("email")
    if (operator == "=") == bool(value):
        return [("email_normalized", "in", emails)]
    return ["|", ("email_normalized", "=", False), ("email_normalized", "not in", emails)]


class CrmLead(models.Model):
    _inherit = "crm.lead"
    _primary_email = "email_from"

    email_normalized = fields.Char("Normalized Email", compute="_compute_email_normalized",
                                   store=True, index=True)
    is_blacklisted = fields.Boolean("Blacklist", compute="_compute_is_blacklisted",
                                    search="_search_is_blacklisted",
                                    help="The address asked not to receive bulk e-mail")

    @api.depends("email_from")
    def _compute_email_normalized(self) -> None:
        for lead in self:
            lead.email_normalized = email_normalize(lead.email_from) or False

    def _compute_is_blacklisted(self) -> None:
        listed = self.env["mail.blacklist"]._blacklisted(
            {lead.email_normalized for lead in self if lead.email_normalized})
        for lead in self:
            lead.is_blacklisted = lead.email_normalized in listed

    def _search_is_blacklisted(self, operator: str, value: Any) -> list:
        return search_blacklisted(self.env, operator, value)
