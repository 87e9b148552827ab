"""Companies: the legal entities a database keeps the books of.

    company = env["res.company"].create({"name": "Troika Trading Ltd",
                                         "currency_id": env.ref("base.TWD").id})
    company.partner_id            # created with it: the company as a contact
    company.email = "sales@troika.example"   # kept on that partner

A company's address and contact details live on its partner (the
fields here are related to it), so that documents addressed to the
company and documents it issues read the same data.
"""

from __future__ import annotations

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import UserError, ValidationError
from core.orm.environment import SUPERUSER_ID

#: company fields kept on the company's partner
PARTNER_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id", "email",
                  "phone", "mobile", "website", "vat", "company_registry")


def _default_currency(self):
    currency = self.env.ref("base.USD", raise_if_not_found=False)
    if currency:
        return currency.id
    Currency = self.env["res.currency"].with_context(active_test=False)  # noqa: N806
    found = Currency.search([("name", "=", "USD")], limit=1) or \
        self.env["res.currency"].search([], limit=1)
    return found.id or False


class ResCompany(models.Model):
    _name = "res.company"
    _description = "Companies"
    _order = "sequence, name"

    name = fields.Char("Company Name", required=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="The order of the companies in the switcher")
    parent_id = fields.Many2one("res.company", "Parent Company", index=True)
    child_ids = fields.One2many("res.company", "parent_id", "Branches")
    root_id = fields.Many2one("res.company", compute="_compute_root_id", string="Root Company")
    partner_id = fields.Many2one("res.partner", "Partner", required=True, ondelete="restrict")
    currency_id = fields.Many2one("res.currency", "Currency", required=True,
                                  default=_default_currency)
    user_ids = fields.Many2many("res.users", "res_company_users_rel", "cid", "user_id",
                                "Accepted Users")
    street = fields.Char(related="partner_id.street", readonly=False)
    street2 = fields.Char(related="partner_id.street2", readonly=False)
    zip = fields.Char(related="partner_id.zip", readonly=False)
    city = fields.Char(related="partner_id.city", readonly=False)
    state_id = fields.Many2one("res.country.state", related="partner_id.state_id",
                               readonly=False, string="Fed. State")
    country_id = fields.Many2one("res.country", related="partner_id.country_id",
                                 readonly=False, string="Country")
    email = fields.Char(related="partner_id.email", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    mobile = fields.Char(related="partner_id.mobile", readonly=False)
    website = fields.Char(related="partner_id.website", readonly=False)
    vat = fields.Char(related="partner_id.vat", readonly=False, string="Tax ID")
    company_registry = fields.Char(related="partner_id.company_registry", readonly=False,
                                   string="Company ID")
    report_header = fields.Text("Company Tagline", translate=True)
    report_footer = fields.Text("Report Footer", translate=True)

    _sql_constraints = [("name_uniq", "unique(name)", "The company name must be unique.")]

    @api.depends("parent_id")
    def _compute_root_id(self) -> None:
        for company in self:
            current, seen = company, set()
            while current.parent_id and current.id not in seen:
                seen.add(current.id)
                current = current.parent_id
            company.root_id = current

    @api.constrains("parent_id")
    def _check_parent_id(self) -> None:
        if has_parent_cycle(self):
            raise ValidationError("You cannot create recursive companies.")

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        without_partner = [vals for vals in vals_list if vals.get("name")
                           and not vals.get("partner_id")]
        if without_partner:
            partners = self.env["res.partner"].create([
                {"name": vals["name"], "is_company": True,
                 **{name: vals.pop(name) for name in PARTNER_FIELDS if name in vals}}
                for vals in without_partner])
            for vals, partner in zip(without_partner, partners, strict=True):
                vals["partner_id"] = partner.id
        companies = super().create(vals_list)
        # the creator and the superuser may work in the new companies
        Users = self.env["res.users"].sudo().with_context(active_test=False)  # noqa: N806
        users = Users.browse({self.env.uid, SUPERUSER_ID} - {None}).exists()
        if users:
            users.write({"company_ids": [(4, company.id) for company in companies]})
        companies._activate_currencies()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            self.partner_id.write({"name": vals["name"]})
        if "currency_id" in vals:
            self._activate_currencies()
        return result

    def unlink(self):
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        if main and main in self:
            raise UserError("You cannot delete the main company.")
        return super().unlink()

    def _activate_currencies(self) -> None:
        currencies = self.sudo().mapped("currency_id")
        inactive = currencies.with_context(active_test=False).filtered(lambda c: not c.active)
        if inactive:
            inactive.write({"active": True})
