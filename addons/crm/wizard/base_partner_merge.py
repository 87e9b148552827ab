"""Merging contacts (Odoo's ``base.partner.merge.automatic.wizard``): one
partner is kept, everything that refers to the others moves to it, and an
audit note tells what.

    wizard = env["base.partner.merge.automatic.wizard"].create({
        "partner_ids": [(6, 0, [lichtwerk.id, lichtwerk_dup.id])],
        "dst_partner_id": lichtwerk.id})
    wizard.action_merge()

Refused for partners of users (a user's partner is their identity) and for
more than ten partners at once (as Odoo, unless superuser); only sales
managers and administrators may merge.
"""

from __future__ import annotations

from markupsafe import Markup

from addons.crm.tools.merge import merge_records
from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _
from core.security import access

#: fields of the merged partners the kept one takes when it has none
FILLED_FIELDS = ("email", "phone", "mobile", "website", "vat", "company_registry",
                 "street", "street2", "zip", "city", "state_id", "country_id", "lang",
                 "user_id", "customer_tier", "source_id", "function", "ref")
MAX_PARTNERS = 10


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _name = "base.partner.merge.automatic.wizard"
    _description = "Merge Partner Wizard"

    partner_ids = fields.Many2many("res.partner", "base_partner_merge_rel", "wizard_id",
                                   "partner_id", "Contacts")
    dst_partner_id = fields.Many2one("res.partner", "Destination Contact")

    @api.onchange("partner_ids")
    def _onchange_partner_ids(self) -> None:
        if self.dst_partner_id not in self.partner_ids:
            self.dst_partner_id = self.partner_ids[:1]

    def action_merge(self) -> dict:
        """Merge ``partner_ids`` into ``dst_partner_id``; open the partner kept."""
        self.ensure_one()
        kept = self.dst_partner_id or self.partner_ids[:1]
        others = self.partner_ids - kept
        self._check_merge(kept, others)
        names = [(p.id, p.display_name) for p in others]
        values = {}
        for name in FILLED_FIELDS:
            if name in kept._fields and not kept[name]:
                source = next((p for p in others if p[name]), None)
                if source is not None:
                    value = source[name]
                    values[name] = value.id if hasattr(value, "_ids") else value
        values["category_id"] = [(6, 0, (kept | others).mapped("category_id").ids)]
        kept.write(values)
        moved = merge_records(kept, others)
        from addons.crm.models.crm_lead_convert import _merge_message

        kept._message_log(body=Markup(_merge_message(self.env, names, moved)))
        return {"type": "ir.actions.act_window", "res_model": "res.partner",
                "res_id": kept.id, "view_mode": "form"}

    def _check_merge(self, kept, others) -> None:
        if not kept or not others:
            raise UserError(_(self.env, "Select at least two contacts, and the one to keep."))
        if kept not in self.partner_ids:
            raise UserError(_(self.env, "The contact to keep must be one of the merged ones."))
        if len(self.partner_ids) > MAX_PARTNERS and not self.env.is_superuser():
            raise UserError(_(self.env, "Merge at most %s contacts at once.", MAX_PARTNERS))
        with_users = others.with_context(active_test=False).filtered("user_ids")
        if with_users:
            raise UserError(_(self.env, "%s is the contact of a user: keep it, and merge the "
                              "others into it.", with_users[0].display_name))
        if kept.id in others.with_context(active_test=False).search(
                [("id", "child_of", others.ids)]).ids:
            raise UserError(_(self.env, "You cannot merge a contact with one of its parent "
                              "companies."))
        if access.enabled(self.env):        # the merge itself runs as superuser
            others.check_access_rights("unlink")
            access.check_rules(kept | others, "write")
            access.check_rules(others, "unlink")
