"""The customer 360: a partner's market, tier, salespeople, deals, documents,
revenue and last contact, and duplicate detection.

    acme.market_id              # Europe: from the country (or chosen)
    acme.customer_tier          # 'a' (key account), 'b', 'c'
    acme.opportunity_count, acme.total_revenue, acme.last_contact_date
    env["res.partner"]._find_duplicates({"name": "LICHTWERK Handels GmbH"})
    acme.duplicate_partner_ids  # the same company entered twice (name, tax id, domain)

Duplicates are the companies with the same normalised name (case, accents,
punctuation and legal form ignored: "Lichtwerk Handels GmbH" and "LICHTWERK
HANDELS gmbh." meet), tax id, or company e-mail domain (public mailboxes
such as gmail.com excepted). The
form warns while typing (onchange); a partner created with duplicates gets
a note in its chatter, and the merge wizard
(``base.partner.merge.automatic.wizard``) joins them, moving every record
that refers to the merged ones.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from addons.crm.tools.normalize import (
    email_domain,
    normalize_company_name,
    normalize_vat,
)
from core import api, fields, models
from core.i18n import _

TIERS = [("a", "A - Key account"), ("b", "B - Regular"), ("c", "C - Occasional")]
#: messages that count as a contact with the customer
CONTACT_MESSAGE_TYPES = ("email", "comment")


class ResPartner(models.Model):
    _inherit = "res.partner"

    type = fields.Selection(selection_add=[("factory", "Factory Address")])
    customer_tier = fields.Selection(TIERS, "Customer Tier", index=True, tracking=True,
                                     help="A: key accounts, visited and called first")
    market_id = fields.Many2one("res.country.group", "Market", compute="_compute_market_id",
                                store=True, readonly=False, index=True, ondelete="set null",
                                domain=[("is_market", "=", True)],
                                help="The sales market, from the country unless chosen")
    source_id = fields.Many2one("utm.source", "Source", ondelete="set null",
                                help="How the customer found the company (a fair, a referral)")
    collaborator_ids = fields.Many2many("res.users", "res_partner_collaborator_rel",
                                        "partner_id", "user_id", "Other Salespeople",
                                        domain=[("share", "=", False)])
    currency_id = fields.Many2one("res.currency", "Currency", compute="_compute_currency_id")
    opportunity_ids = fields.One2many("crm.lead", "partner_id", "Opportunities",
                                      domain=[("type", "=", "opportunity")])
    opportunity_count = fields.Integer("Opportunity Count", compute="_compute_crm_figures",
                                       compute_sudo=False)
    total_revenue = fields.Monetary("Total Revenue", currency_field="currency_id",
                                    compute="_compute_crm_figures", compute_sudo=False,
                                    help="Won deals of the company and its contacts, in the "
                                         "company currency")
    last_contact_date = fields.Datetime("Last Contact", compute="_compute_last_contact_date",
                                        compute_sudo=False,
                                        help="The latest e-mail, message or done activity "
                                             "with the customer or on their deals")
    document_ids = fields.One2many("crm.partner.document", "partner_id", "Documents")
    document_count = fields.Integer("Document Count", compute="_compute_document_count",
                                    compute_sudo=False)
    name_normalized = fields.Char("Normalized Name", compute="_compute_duplicate_keys",
                                  store=True, index=True)
    email_domain_criterion = fields.Char("Email Domain", compute="_compute_duplicate_keys",
                                         store=True, index=True)
    vat_normalized = fields.Char("Normalized Tax ID", compute="_compute_duplicate_keys",
                                 store=True, index=True)
    duplicate_partner_ids = fields.Many2many("res.partner", "res_partner_duplicate_rel",
                                             "partner_id", "duplicate_id",
                                             compute="_compute_duplicates",
                                             string="Possible Duplicates")
    duplicate_partner_count = fields.Integer("Possible Duplicate Count",
                                             compute="_compute_duplicates")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("country_id")
    def _compute_market_id(self) -> None:
        markets = self.env["res.country.group"]._markets_by_country(self.mapped("country_id"))
        for partner in self:
            partner.market_id = markets.get(partner.country_id.id, False)

    @api.depends("company_id")
    def _compute_currency_id(self) -> None:
        for partner in self:
            partner.currency_id = (partner.company_id or self.env.company).currency_id

    @api.depends("name", "email", "vat", "is_company")
    def _compute_duplicate_keys(self) -> None:
        for partner in self:
            partner.name_normalized = normalize_company_name(partner.name)
            partner.email_domain_criterion = email_domain(partner.email)
            partner.vat_normalized = normalize_vat(partner.vat)

    def _compute_crm_figures(self) -> None:
        """Deals and won revenue of each partner's commercial entity: two
        read_groups for the whole batch, as the user."""
        commercial = {p.id: p.commercial_partner_id.id or p.id for p in self}
        ids = sorted(i for i in set(commercial.values()) if isinstance(i, int))
        counts: dict[int, int] = {}
        revenue: dict[int, float] = defaultdict(float)
        if ids:
            Lead = self.env["crm.lead"]  # noqa: N806
            for group in Lead.read_group([("commercial_partner_id", "in", ids),
                                          ("type", "=", "opportunity")],
                                         ["commercial_partner_id"], ["commercial_partner_id"]):
                counts[group["commercial_partner_id"][0]] = group["commercial_partner_id_count"]
            for group in Lead.read_group(
                    [("commercial_partner_id", "in", ids), ("won_status", "=", "won")],
                    ["company_expected_revenue:sum"], ["commercial_partner_id", "company_id"],
                    lazy=False):
                revenue[group["commercial_partner_id"][0]] += self._in_company_currency(
                    group["company_expected_revenue"], group["company_id"])
        for partner in self:
            key = commercial[partner.id]
            partner.opportunity_count = counts.get(key, 0)
            partner.total_revenue = revenue.get(key, 0.0)

    def _in_company_currency(self, amount: float, company: Any) -> float:
        """An amount of ``company`` (a read_group value) in the current company's currency."""
        target = self.env.company
        source = self.env["res.company"].browse(company[0]) if company else target
        if not amount or source.currency_id == target.currency_id:
            return amount or 0.0
        return source.currency_id._convert(amount, target.currency_id, target)

    def _compute_last_contact_date(self) -> None:
        """The latest e-mail, message or activity done: on the partner, its
        contacts, or their deals (read as the user)."""
        latest: dict[int, Any] = {}
        commercial = {p.id: p.commercial_partner_id.id or p.id for p in self}
        ids = sorted(i for i in set(commercial.values()) if isinstance(i, int))
        if ids:
            family = self.with_context(active_test=False).search(
                [("commercial_partner_id", "in", ids)])
            owner = {p.id: p.commercial_partner_id.id for p in family}
            leads = self.env["crm.lead"].with_context(active_test=False).search(
                [("commercial_partner_id", "in", ids)])
            owner_lead = {lead.id: lead.commercial_partner_id.id for lead in leads}
            for model, mapping in (("res.partner", owner), ("crm.lead", owner_lead)):
                for res_id, date in self._latest_messages(model, list(mapping)):
                    key = mapping.get(res_id)
                    if key and (key not in latest or date > latest[key]):
                        latest[key] = date
        for partner in self:
            partner.last_contact_date = latest.get(commercial[partner.id], False)

    def _latest_messages(self, model: str, res_ids: list[int]) -> list[tuple[int, Any]]:
        if not res_ids:
            return []
        groups = self.env["mail.message"].read_group(
            [("model", "=", model), ("res_id", "in", res_ids), "|",
             ("message_type", "in", list(CONTACT_MESSAGE_TYPES)),
             ("mail_activity_type_id", "!=", False)],
            ["date:max"], ["res_id"])
        return [(group["res_id"], group["date"]) for group in groups if group["date"]]

    def _compute_document_count(self) -> None:
        counts: dict[int, int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            groups = self.env["crm.partner.document"].read_group(
                [("partner_id", "in", ids)], ["partner_id"], ["partner_id"])
            counts = {g["partner_id"][0]: g["partner_id_count"] for g in groups}
        for partner in self:
            partner.document_count = counts.get(partner.id, 0)

    def _compute_duplicates(self) -> None:
        for partner in self:
            found = self._find_duplicates({
                "name": partner.name, "vat": partner.vat, "email": partner.email,
                "is_company": partner.is_company}, exclude=partner) if partner.id \
                else self.browse()
            partner.duplicate_partner_ids = [(6, 0, found.ids)]
            partner.duplicate_partner_count = len(found)

    # ------------------------------------------------------------------
    # duplicates
    # ------------------------------------------------------------------
    @api.model
    def _find_duplicates(self, vals: dict, exclude: Any = None, limit: int = 10) -> Any:
        """Companies (commercial entities) that ``vals`` (name, vat, email,
        is_company) probably describe again: same tax id, normalised company
        name or company e-mail domain."""
        terms: list[tuple] = []
        vat = normalize_vat(vals.get("vat"))
        if vat:
            terms.append(("vat_normalized", "=", vat))
        name = normalize_company_name(vals.get("name")) if vals.get("is_company", True) \
            else False
        if name:
            terms.append(("name_normalized", "=", name))
        domain_key = email_domain(vals.get("email"))
        if domain_key:
            terms.append(("email_domain_criterion", "=", domain_key))
        if not terms:
            return self.browse()
        domain = ["|"] * (len(terms) - 1) + terms
        found = self.search(domain, limit=limit * 3).mapped("commercial_partner_id")
        if exclude:
            found -= exclude.commercial_partner_id | exclude
        return found[:limit]

    @api.onchange("name", "vat", "email")
    def _onchange_duplicates(self) -> dict | None:
        found = self._find_duplicates({"name": self.name, "vat": self.vat,
                                       "email": self.email, "is_company": self.is_company},
                                      exclude=self if isinstance(self.id, int) else None)
        if not found:
            return None
        return {"warning": {
            "title": _(self.env, "Possible duplicate"),
            "message": _(self.env, "This looks like a customer you have already: %s. Open it "
                         "instead, or merge them later.",
                         ", ".join(found.mapped("display_name")))}}

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("tracking_disable"):
            for partner in partners.filtered(lambda p: p.is_company or not p.parent_id):
                partner._log_duplicates()
        return partners

    def _log_duplicates(self) -> None:
        # not through duplicate_partner_ids: its value would stay cached for the transaction
        found = self._find_duplicates({"name": self.name, "vat": self.vat, "email": self.email,
                                       "is_company": self.is_company}, exclude=self)
        if found and getattr(type(self), "_mail_thread", False):
            self._message_log(body=_(self.env, "Possible duplicate of %s: merge them from the "
                                     "Action menu if they are the same customer.",
                                     ", ".join(found.mapped("display_name"))))

    # ------------------------------------------------------------------
    # addresses: the factory is an address type of its own
    # ------------------------------------------------------------------
    def _get_complete_name(self) -> str:
        if self.type == "factory" and not self.name and (self.parent_id or self.company_name):
            label = dict(self._fields["type"].get_values(self.env))["factory"]
            company = self.commercial_company_name or self.sudo().parent_id.name
            return f"{company}, {label}" if company else label
        return super()._get_complete_name()

    # ------------------------------------------------------------------
    # smart buttons
    # ------------------------------------------------------------------
    def action_view_opportunity(self) -> dict:
        """The deals of the customer and its contacts, in the pipeline."""
        self.ensure_one()
        action = self.env.ref("crm.crm_lead_action_pipeline")
        partner = self.commercial_partner_id or self
        return {"type": "ir.actions.act_window", "id": action.id,
                "name": _(self.env, "Opportunities of %s", partner.display_name),
                "res_model": "crm.lead", "view_mode": "kanban,list,form",
                "domain": [("commercial_partner_id", "=", partner.id),
                           ("type", "=", "opportunity")]}

    def action_view_documents(self) -> dict:
        self.ensure_one()
        action = self.env.ref("crm.crm_partner_document_action")
        return {"type": "ir.actions.act_window", "id": action.id,
                "name": _(self.env, "Documents of %s", self.display_name),
                "res_model": "crm.partner.document", "view_mode": "list,form",
                "domain": [("partner_id", "=", self.id)]}

    def action_merge_duplicates(self) -> dict:
        """The merge wizard with this partner and its possible duplicates."""
        self.ensure_one()
        wizard = self.env["base.partner.merge.automatic.wizard"].create({
            "partner_ids": [(6, 0, (self | self.duplicate_partner_ids).ids)],
            "dst_partner_id": self.id})
        return {"type": "ir.actions.act_window", "name": _(self.env, "Merge Contacts"),
                "res_model": "base.partner.merge.automatic.wizard", "res_id": wizard.id,
                "view_mode": "form", "target": "new"}
