"""Partners: companies and the people who work for them, and their addresses.

    acme = env["res.partner"].create({"name": "Acme", "is_company": True,
                                      "country_id": env.ref("base.de").id})
    jane = env["res.partner"].create({"name": "Jane", "parent_id": acme.id})
    jane.display_name            # 'Acme, Jane'
    jane.commercial_partner_id   # acme: the entity that is invoiced
    jane.country_id              # Germany: a contact shares its company's address

As in Odoo, a contact (``type='contact'``) takes the address of its
parent, and the *commercial fields* (the tax id) are those of its
commercial entity; changing them on the company changes them on its
contacts.
"""

from __future__ import annotations

import zoneinfo
from email.utils import formataddr, parseaddr
from functools import cache

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import ValidationError
from core.orm import domain as dom

ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
#: the types whose name is shown when an address has none ("Acme, Delivery Address")
DISPLAYED_TYPES = ("invoice", "delivery", "other")
NEGATIVE_OPERATORS = ("!=", "not like", "not ilike", "not in")


@cache
def _timezones() -> tuple[tuple[str, str], ...]:
    return tuple((tz, tz) for tz in sorted(zoneinfo.available_timezones()))


def _tz_get(self) -> list[tuple[str, str]]:
    return list(_timezones())


def _lang_get(self) -> list[tuple[str, str]]:
    return self.env["res.lang"].get_installed()


def _default_lang(self) -> str | bool:
    lang = self.env.lang
    codes = [code for code, _name in self.env["res.lang"].get_installed()]
    return lang if lang in codes else False


class ResPartner(models.Model):
    _name = "res.partner"
    _description = "Contact"
    _order = "complete_name, id desc"

    name = fields.Char(index=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, index=True)
    parent_id = fields.Many2one("res.partner", "Related Company", index=True)
    parent_name = fields.Char(related="parent_id.name", string="Parent name")
    child_ids = fields.One2many("res.partner", "parent_id", "Contact")
    ref = fields.Char("Reference", index=True)
    lang = fields.Selection(_lang_get, "Language", default=_default_lang,
                            help="Documents and e-mails to this contact are in this language.")
    tz = fields.Selection(_tz_get, "Timezone", default=lambda self: self.env.context.get("tz"))
    user_id = fields.Many2one("res.users", "Salesperson",
                              help="The internal user in charge of this contact.")
    vat = fields.Char("Tax ID", index=True)
    company_registry = fields.Char("Company ID")
    website = fields.Char("Website Link")
    comment = fields.Html("Notes")
    image_1920 = fields.Binary("Image", attachment=True,
                               help="A logo or photo, kept as an attachment")
    category_id = fields.Many2many("res.partner.category", column1="partner_id",
                                   column2="category_id", string="Tags")
    active = fields.Boolean(default=True)
    function = fields.Char("Job Position")
    type = fields.Selection([("contact", "Contact"), ("invoice", "Invoice Address"),
                             ("delivery", "Delivery Address"), ("other", "Other Address")],
                            "Address Type", default="contact")
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    state_id = fields.Many2one("res.country.state", "State", ondelete="restrict")
    country_id = fields.Many2one("res.country", "Country", ondelete="restrict")
    country_code = fields.Char(related="country_id.code", string="Country Code")
    email = fields.Char()
    email_formatted = fields.Char("Formatted Email", compute="_compute_email_formatted")
    phone = fields.Char()
    mobile = fields.Char()
    is_company = fields.Boolean("Is a Company", default=False,
                                help="Whether the contact is a company or a person")
    company_type = fields.Selection([("person", "Individual"), ("company", "Company")],
                                    "Company Type", compute="_compute_company_type",
                                    inverse="_inverse_company_type",
                                    search="_search_company_type")
    company_id = fields.Many2one("res.company", "Company", index=True)
    company_name = fields.Char("Company Name")
    color = fields.Integer("Color Index")
    user_ids = fields.One2many("res.users", "partner_id", "Users")
    partner_share = fields.Boolean(
        "Share Partner", compute="_compute_partner_share", store=True,
        help="A customer or supplier, not an internal user's own contact")
    commercial_partner_id = fields.Many2one(
        "res.partner", "Commercial Entity", compute="_compute_commercial_partner",
        store=True, index=True, recursive=True)
    commercial_company_name = fields.Char(
        "Company Name Entity", compute="_compute_commercial_company_name", store=True)

    _sql_constraints = [
        ("check_name", "check((type = 'contact' AND name IS NOT NULL) OR type != 'contact')",
         "Contacts require a name."),
    ]

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("is_company", "parent_id.commercial_partner_id")
    def _compute_commercial_partner(self) -> None:
        for partner in self:
            # walk up rather than read the parent's value, which may wait
            # for its own computation in the same batch
            current, seen = partner, set()
            while not current.is_company and current.parent_id and current.id not in seen:
                seen.add(current.id)
                current = current.parent_id
            partner.commercial_partner_id = current

    @api.depends("company_name", "parent_id.is_company", "commercial_partner_id.name")
    def _compute_commercial_company_name(self) -> None:
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.commercial_company_name = (commercial.name if commercial.is_company
                                               else partner.company_name) or False

    @api.depends("is_company", "name", "parent_id.name", "type", "company_name",
                 "commercial_company_name")
    def _compute_complete_name(self) -> None:
        for partner in self:
            partner.complete_name = partner._get_complete_name() or False

    def _get_complete_name(self) -> str:
        self.ensure_one()
        name = self.name or ""
        if self.company_name or self.parent_id:
            if not name and self.type in DISPLAYED_TYPES:
                name = dict(self._fields["type"].get_values(self.env))[self.type]
            if not self.is_company:
                company = self.commercial_company_name or self.sudo().parent_id.name
                name = f"{company}, {name}" if company else name
        return name.strip()

    @api.depends("complete_name")
    def _compute_display_name(self) -> None:
        for partner in self:
            partner.display_name = partner.complete_name or partner.name or ""

    def _display_name_domain(self, operator: str, value) -> list:
        """As Odoo's ``_rec_names_search``: the name, the e-mail, the reference, the tax id."""
        names = ("complete_name", "email", "ref", "vat")
        leaves = [[(name, operator, value)] for name in names]
        return dom.AND(leaves) if operator in NEGATIVE_OPERATORS else dom.OR(leaves)

    @api.depends("name", "email")
    def _compute_email_formatted(self) -> None:
        for partner in self:
            partner.email_formatted = formataddr((partner.name or "", partner.email)) \
                if partner.email else False

    @api.depends("is_company")
    def _compute_company_type(self) -> None:
        for partner in self:
            partner.company_type = "company" if partner.is_company else "person"

    def _inverse_company_type(self) -> None:
        for partner in self:
            partner.is_company = partner.company_type == "company"

    def _search_company_type(self, operator: str, value) -> list:
        if operator not in ("=", "!=", "in", "not in"):
            raise ValueError(f"Operator {operator!r} is not supported on the company type")
        values = value if isinstance(value, (list, tuple)) else [value]
        companies = [v == "company" for v in values if v in ("company", "person")]
        domain = [("is_company", "in", companies)]
        return domain if operator in ("=", "in") else ["!"] + domain

    @api.depends("user_ids.share", "user_ids.active")
    def _compute_partner_share(self) -> None:
        for partner in self:
            users = partner.with_context(active_test=False).user_ids
            partner.partner_share = not users or all(user.share for user in users)

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("parent_id")
    def _check_parent_id(self) -> None:
        if has_parent_cycle(self):
            raise ValidationError("You cannot create recursive partner hierarchies.")

    # ------------------------------------------------------------------
    # create / write: addresses and commercial fields follow the parent
    # ------------------------------------------------------------------
    @api.model
    def _address_fields(self) -> list[str]:
        return list(ADDRESS_FIELDS)

    @api.model
    def _commercial_fields(self) -> list[str]:
        """The fields a contact takes from its commercial entity."""
        return ["vat", "company_registry"]

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_website(dict(vals)) for vals in vals_list]
        partners = super().create(vals_list)
        for partner, vals in zip(partners, vals_list, strict=True):
            partner._fields_sync(vals)
        return partners

    def write(self, vals):
        vals = self._normalize_website(dict(vals))
        result = super().write(vals)
        if {"parent_id", "type", *ADDRESS_FIELDS, *self._commercial_fields()} & set(vals):
            for partner in self:
                partner._fields_sync(vals)
        return result

    @staticmethod
    def _normalize_website(vals: dict) -> dict:
        website = vals.get("website")
        if website and isinstance(website, str) and "://" not in website:
            vals["website"] = f"http://{website.strip()}"
        return vals

    def _fields_sync(self, vals: dict) -> None:
        """Take what a contact shares from its parent; pass changes on to children."""
        if vals.get("parent_id"):
            self._commercial_sync_from_company()
        if (vals.get("parent_id") or vals.get("type") == "contact") and self.parent_id:
            if self.type == "contact" and not any(name in vals for name in ADDRESS_FIELDS):
                parent = self.parent_id
                if any(parent[name] for name in ADDRESS_FIELDS):
                    self.write(self._address_values(parent))
        self._children_sync(vals)

    def _children_sync(self, vals: dict) -> None:
        children = self.with_context(active_test=False).child_ids
        if not children:
            return
        if self.commercial_partner_id == self and any(
                name in vals for name in self._commercial_fields()):
            self._commercial_sync_to_children()
        if any(name in vals for name in ADDRESS_FIELDS):
            contacts = children.filtered(lambda child: child.type == "contact")
            if contacts:
                contacts.write(self._address_values(self))

    def _address_values(self, source) -> dict:
        return {name: source[name].id if name.endswith("_id") else source[name]
                for name in ADDRESS_FIELDS}

    def _commercial_values(self, source) -> dict:
        return {name: source[name] for name in self._commercial_fields()}

    def _commercial_sync_from_company(self) -> None:
        commercial = self.commercial_partner_id
        if commercial and commercial != self:
            values = self._commercial_values(commercial)
            if any(self[name] != value for name, value in values.items()):
                self.write(values)

    def _commercial_sync_to_children(self) -> None:
        descendants = self.with_context(active_test=False).search(
            [("id", "child_of", self.id), ("id", "!=", self.id), ("is_company", "=", False)])
        if descendants:
            descendants.write(self._commercial_values(self))

    # ------------------------------------------------------------------
    # other
    # ------------------------------------------------------------------
    def name_create(self, name: str) -> tuple[int, str]:
        """'Jane Doe <jane@example.com>' makes a partner with that name and e-mail."""
        parsed_name, email = parseaddr(name)
        if email and "@" in email:
            partner = self.create({"name": parsed_name or email, "email": email})
            return partner.id, partner.display_name
        return super().name_create(name)

    def address_get(self, adr_pref: list[str] | None = None) -> dict[str, int | bool]:
        """{type: partner id}: the nearest address of each type among the partner,
        its contacts and, up to its commercial entity, its parents (Odoo's search
        order); a type without an address gets the contact, else the partner."""
        adr_pref = set(adr_pref or []) | {"contact"}
        result: dict[str, int] = {}
        visited: set[int] = set()
        for partner in self:
            current = partner
            while current:
                to_scan = [current]
                while to_scan:
                    record = to_scan.pop(0)
                    visited.add(record.id)
                    if record.type in adr_pref and record.type not in result:
                        result[record.type] = record.id
                    if len(result) == len(adr_pref):
                        return result
                    to_scan = [child for child in record.child_ids
                               if child.id not in visited and not child.is_company] + to_scan
                if current.is_company or not current.parent_id:
                    break
                current = current.parent_id
        default = result.get("contact", self[:1].id or False)
        return {kind: result.get(kind) or default for kind in adr_pref}
