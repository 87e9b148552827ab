"""Leads becoming deals: finding or creating the customer, duplicates, merging.

    lead.duplicate_lead_ids                 # same e-mail domain, customer or company name
    partner = lead._find_matching_partner() # by e-mail, tax id, company name or domain
    lead._handle_partner_assignment(create_missing=True)   # link it, or create it
    lead.convert_opportunity(lead.partner_id, user_ids=[mei.id])
    kept = (lead | other).merge_opportunity()               # one deal, everything moved

A customer is created as Odoo does: the company (``partner_name``) with the
lead's address, and the contact person under it. Before creating, the
partners that are the same company are looked for (see
``res.partner._find_duplicates``): converting "Lichtwerk GmbH" when
"LICHTWERK Handels GmbH" exists links the existing one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from markupsafe import Markup

from addons.crm.tools.merge import merge_records
from addons.crm.tools.normalize import email_normalize, normalize_company_name
from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _
from core.security import access

#: fields of merged deals that the kept one takes when it has none (Odoo's _merge_get_fields)
MERGE_FIELDS = ("partner_id", "partner_name", "contact_name", "function", "email_from",
                "phone", "mobile", "website", "street", "street2", "zip", "city",
                "state_id", "country_id", "market_id", "user_id", "team_id", "date_deadline",
                "product_categ_id", "campaign_id", "medium_id", "source_id", "expected_revenue",
                "currency_id", "priority")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    duplicate_lead_ids = fields.Many2many("crm.lead", "crm_lead_duplicate_rel", "lead_id",
                                          "duplicate_id", compute="_compute_duplicate_lead_ids",
                                          string="Potential Duplicate Lead")
    duplicate_lead_count = fields.Integer("Potential Duplicate Lead Count",
                                          compute="_compute_duplicate_lead_ids")

    # ------------------------------------------------------------------
    # duplicates
    # ------------------------------------------------------------------
    def _compute_duplicate_lead_ids(self) -> None:
        for lead in self:
            found = lead._get_lead_duplicates(include_lost=False) if lead.id else self.browse()
            lead.duplicate_lead_ids = [(6, 0, (found - lead).ids)]
            lead.duplicate_lead_count = len(found - lead)

    def _get_lead_duplicates(self, partner: Any = None, email: str | None = None,
                             include_lost: bool = False) -> Any:
        """Deals of the same customer, e-mail, e-mail domain or company name."""
        self.ensure_one()
        partner = partner if partner is not None else self.partner_id
        email = email or self.email_from
        terms: list[list] = []
        if partner:
            terms.append([("commercial_partner_id", "=", partner.commercial_partner_id.id)])
        address = email_normalize(email)
        if address:
            terms.append([("email_from", "=ilike", address)])
        if self.email_domain_criterion:
            terms.append([("email_domain_criterion", "=", self.email_domain_criterion)])
        key = normalize_company_name(self.partner_name)
        if key:
            terms.append([("partner_name", "=ilike", self.partner_name)])
        if not terms:
            return self.browse()
        domain = ["|"] * (len(terms) - 1) + [term for t in terms for term in t]
        model = self.with_context(active_test=not include_lost)
        found = model.search(domain, limit=50)
        if key:
            same_name = model.search([("partner_name", "!=", False),
                                      ("id", "not in", found.ids)], limit=2000)
            found |= same_name.filtered(
                lambda lead: normalize_company_name(lead.partner_name) == key)
        return found

    def action_show_potential_duplicates(self) -> dict:
        """The "Similar Leads" button: this lead and its duplicates."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Similar Leads"),
                "res_model": "crm.lead", "view_mode": "list,form",
                "domain": [("id", "in", (self | self.duplicate_lead_ids).ids)]}

    def action_merge_duplicates(self) -> dict:
        """Merge this lead with its duplicates; open the one kept."""
        self.ensure_one()
        kept = (self | self.duplicate_lead_ids).merge_opportunity()
        return {"type": "ir.actions.act_window", "res_model": "crm.lead", "res_id": kept.id,
                "view_mode": "form"}

    # ------------------------------------------------------------------
    # the customer
    # ------------------------------------------------------------------
    def _find_matching_partner(self, email_only: bool = False) -> Any:
        """The partner this lead is about: same e-mail first, then (unless
        ``email_only``) the same company by tax id, name or e-mail domain."""
        self.ensure_one()
        Partner = self.env["res.partner"]  # noqa: N806
        if self.partner_id:
            return self.partner_id
        address = email_normalize(self.email_from)
        if address:
            found = Partner.search([("email", "=ilike", address)], limit=1)
            if found:
                return found
        if email_only:
            return Partner
        candidates = Partner._find_duplicates({
            "name": self.partner_name, "is_company": True, "email": self.email_from})
        return candidates[:1]

    def _handle_partner_assignment(self, force_partner_id: int | bool = False,
                                   create_missing: bool = True) -> None:
        """Give each lead its customer: the forced one, a matching one, or a new one."""
        for lead in self:
            partner = self.env["res.partner"].browse(force_partner_id) if force_partner_id \
                else lead.partner_id
            if not partner:
                partner = lead._find_matching_partner()
                if not partner and create_missing:
                    partner = lead._create_customer()
            if partner and partner.is_company and lead.contact_name:
                partner = lead._contact_under(partner)       # the person who asked
            if partner and partner != lead.partner_id:
                lead.partner_id = partner

    def _create_customer(self) -> Any:
        """The company of ``partner_name`` (with the lead's address) and the
        contact person under it; returns the contact, else the company."""
        self.ensure_one()
        Partner = self.env["res.partner"]  # noqa: N806
        address = self._customer_address()
        if self.partner_name:
            company = Partner.create({**address, "name": self.partner_name,
                                      "is_company": True, "website": self.website,
                                      "user_id": self.user_id.id,
                                      "email": False if self.contact_name else self.email_from,
                                      "phone": False if self.contact_name else self.phone})
            return self._contact_under(company) if self.contact_name else company
        name = self.contact_name or self.email_from or self.name
        return Partner.create({**address, "name": name, "is_company": False,
                               "email": self.email_from, "phone": self.phone,
                               "mobile": self.mobile, "function": self.function,
                               "user_id": self.user_id.id})

    def _contact_under(self, company: Any) -> Any:
        """The contact person of the lead at ``company``: found by e-mail or name,
        else created."""
        Partner = self.env["res.partner"]  # noqa: N806
        address = email_normalize(self.email_from)
        for condition in ([("email", "=ilike", address)] if address else [],
                          [("name", "=ilike", self.contact_name)] if self.contact_name else []):
            if condition:
                found = Partner.search([("parent_id", "=", company.id)] + condition, limit=1)
                if found:
                    return found
        if not self.contact_name:
            return company
        return Partner.create({"name": self.contact_name, "parent_id": company.id,
                               "type": "contact", "email": self.email_from,
                               "phone": self.phone, "mobile": self.mobile,
                               "function": self.function})

    def _customer_address(self) -> dict:
        return {"street": self.street, "street2": self.street2, "zip": self.zip,
                "city": self.city, "state_id": self.state_id.id,
                "country_id": self.country_id.id, "source_id": self.source_id.id}

    # ------------------------------------------------------------------
    # conversion
    # ------------------------------------------------------------------
    def convert_opportunity(self, partner: Any = None, user_ids: list[int] | bool = False,
                            team_id: int | bool = False) -> bool:
        """Leads become deals in the first stage of their team (lost and won
        ones are left as they are); ``user_ids`` share them out in turn."""
        customer = partner if partner is not None else self.env["res.partner"]
        for lead in self:
            if not lead.active or lead.probability == 100:
                continue
            lead.write(lead._convert_opportunity_data(customer, team_id))
        if user_ids or team_id:
            self._handle_salesmen_assignment(user_ids=user_ids, team_id=team_id)
        return True

    def _convert_opportunity_data(self, customer: Any, team_id: int | bool = False) -> dict:
        self.ensure_one()
        values: dict[str, Any] = {"type": "opportunity",
                                  "date_conversion": fields.Datetime.now()}
        if customer:
            values["partner_id"] = customer.id
        if not self.stage_id:
            stage = self._stage_find(team_id=team_id or self.team_id.id)
            values["stage_id"] = stage.id
        return values

    def _handle_salesmen_assignment(self, user_ids: list[int] | bool = False,
                                    team_id: int | bool = False) -> None:
        """``user_ids`` get the leads in turn (Odoo's mass conversion)."""
        values = {"team_id": team_id} if team_id else {}
        if not user_ids:
            if values:
                self.write(values)
            return
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, lead in enumerate(self):
            buckets[user_ids[index % len(user_ids)]].append(lead.id)
        for user_id, ids in buckets.items():
            self.browse(ids).write({**values, "user_id": user_id})

    def action_convert_opportunity(self) -> dict:
        """The "Convert to Opportunity" button: the conversion wizard, prefilled."""
        self.ensure_one()
        wizard = self.env["crm.lead2opportunity.partner"].with_context(
            active_id=self.id, active_ids=self.ids, active_model="crm.lead").create(
            {"lead_id": self.id})
        return {"type": "ir.actions.act_window",
                "name": _(self.env, "Convert to opportunity"),
                "res_model": "crm.lead2opportunity.partner", "res_id": wizard.id,
                "view_mode": "form", "target": "new"}

    # ------------------------------------------------------------------
    # merging
    # ------------------------------------------------------------------
    def _sort_by_confidence_level(self, reverse: bool = False) -> Any:
        """Deals before leads, active before lost, later stages and higher
        probabilities first (with ``reverse``), as Odoo picks what to keep."""
        def key(lead):
            return (lead.type == "opportunity", lead.active, lead.stage_id.sequence,
                    lead.probability, -lead.id)
        return self.sorted(key=key, reverse=reverse)

    def merge_opportunity(self, user_id: int | bool = False,
                          team_id: int | bool = False, auto_unlink: bool = True) -> Any:
        """Merge these deals into the most advanced one; everything that refers
        to the others (messages, activities, attachments, quotations...) moves
        to it. Returns the deal kept."""
        if len(self) < 2:
            raise UserError(_(self.env, "Select at least two leads or opportunities to merge."))
        ordered = self._sort_by_confidence_level(reverse=True)
        kept, others = ordered[0], ordered[1:]
        if access.enabled(self.env):        # references move as superuser: check first
            access.check_rules(self, "write")
            others.check_access_rights("unlink")
            access.check_rules(others, "unlink")
        values = self._merge_data(kept, others)
        if user_id:
            values["user_id"] = user_id
        if team_id:
            values["team_id"] = team_id
        names = [(other.id, other.name) for other in others]
        kept.write(values)
        moved = merge_records(kept, others, unlink=auto_unlink)
        kept._message_log(body=_merge_message(self.env, names, moved))
        return kept

    def _merge_data(self, kept: Any, others: Any) -> dict:
        values: dict[str, Any] = {}
        for name in MERGE_FIELDS:
            if kept[name]:
                continue
            source = next((other for other in others if other[name]), None)
            if source is not None:
                value = source[name]
                values[name] = value.id if hasattr(value, "_ids") else value
        values["tag_ids"] = [(6, 0, (kept | others).mapped("tag_ids").ids)]
        values["collaborator_ids"] = [(6, 0, ((kept | others).mapped("collaborator_ids")
                                              - (kept.user_id | self.env["res.users"]
                                                 .browse(values.get("user_id")))).ids)]
        notes = [str(lead.description) for lead in kept | others if lead.description]
        if len(notes) > 1:
            values["description"] = Markup("<hr/>").join(Markup(note) for note in notes)
        return values

    # ------------------------------------------------------------------
    # incoming mail: a new lead, shared out by the assignment rules
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict: dict, custom_values: dict | None = None) -> Any:
        values = {"user_id": False, "type": "lead", **(custom_values or {})}
        lead = super().message_new(msg_dict, custom_values=values)
        if not lead.user_id:
            self.env["crm.team"].sudo()._assign_leads(lead.sudo())
        return lead


def _merge_message(env: Any, names: list[tuple[int, str]], moved: dict[str, int]) -> Markup:
    """The audit note of a merge: what was merged, and what moved where."""
    merged = Markup(", ").join(Markup("{} (#{})").format(name, record_id)
                               for record_id, name in names)
    lines = Markup("").join(Markup("<li>{}: {}</li>").format(label, count)
                            for label, count in sorted(moved.items()))
    return Markup("<p>{} {}</p>{}").format(
        _(env, "Merged with:"), merged,
        Markup("<p>{}</p><ul>{}</ul>").format(_(env, "Moved to this record:"), lines)
        if lines else "")
