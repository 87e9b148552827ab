"""Mailing lists: who signed up for which newsletter.

    news = env["mailing.list"].create({"name": "LED news", "is_public": True})
    jane = env["mailing.contact"].create({"name": "Jane", "email": "jane@example.com",
                                          "list_ids": [(6, 0, [news.id])]})
    news.contact_count          # subscribed, confirmed and not opted out

A contact belongs to a list through a ``mailing.subscription``, which keeps
the opt-out of that list and, for sign-ups from the public page, whether the
address was confirmed yet (double opt-in).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core import api, fields, models
from core.i18n import _


class MailingList(models.Model):
    _name = "mailing.list"
    _description = "Mailing List"
    _order = "name, id"

    name = fields.Char("Mailing List", required=True)
    active = fields.Boolean(default=True)
    is_public = fields.Boolean("Show In Preferences", default=False,
                               help="Anyone may sign up from the list's public page (with "
                                    "a confirmation link sent to the address)")
    subscription_ids = fields.One2many("mailing.subscription", "list_id", "Subscription "
                                                                          "Information")
    contact_ids = fields.Many2many("mailing.contact", compute="_compute_contact_ids",
                                   search="_search_contact_ids", string="Mailing Lists")
    contact_count = fields.Integer("Number of Contacts", compute="_compute_contact_figures",
                                   help="Subscribed, confirmed, not opted out")
    contact_count_opt_out = fields.Integer("Number of Opted-out",
                                           compute="_compute_contact_figures")
    contact_count_pending = fields.Integer("Awaiting Confirmation",
                                           compute="_compute_contact_figures")
    contact_count_blacklisted = fields.Integer("Number of Blacklisted",
                                               compute="_compute_contact_figures")
    mailing_ids = fields.Many2many("mailing.mailing", "mail_mass_mailing_list_rel",
                                   "mailing_list_id", "mailing_mailing_id", "Mass Mailings")
    mailing_count = fields.Integer("Number of Mailing", compute="_compute_mailing_count")

    def _compute_contact_ids(self) -> None:
        by_list: dict[int, list[int]] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            for row in self.env["mailing.subscription"].search_read(
                    [("list_id", "in", ids)], ["list_id", "contact_id"]):
                by_list.setdefault(row["list_id"][0], []).append(row["contact_id"][0])
        for mailing_list in self:
            mailing_list.contact_ids = [(6, 0, by_list.get(mailing_list.id, []))]

    def _search_contact_ids(self, operator: str, value: Any) -> list:
        if operator not in ("in", "=", "not in", "!="):
            raise ValueError(f"Operator {operator!r} is not supported on contact_ids")
        contact_ids = value if isinstance(value, (list, tuple)) else [value]
        rows = self.env["mailing.subscription"].search_read(
            [("contact_id", "in", list(contact_ids))], ["list_id"])
        list_ids = sorted({row["list_id"][0] for row in rows})
        return [("id", "in" if operator in ("in", "=") else "not in", list_ids)]

    def _compute_contact_figures(self) -> None:
        """Four counts per list in one query over the subscriptions."""
        figures: dict[int, tuple] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            Subscription = self.env["mailing.subscription"]  # noqa: N806
            Subscription.check_access_rights("read")
            subs = Subscription._table_obj
            contacts = self.env["mailing.contact"]._table_obj
            blacklist = self.env["mail.blacklist"]._table_obj
            listed = sa.exists().where(blacklist.c.email == contacts.c.email_normalized,
                                       blacklist.c.active == sa.true())
            normal = sa.and_(subs.c.opt_out == sa.false(), subs.c.is_pending == sa.false())
            stmt = (sa.select(
                subs.c.list_id,
                sa.func.count().filter(sa.and_(normal, ~listed)),
                sa.func.count().filter(subs.c.opt_out == sa.true()),
                sa.func.count().filter(sa.and_(subs.c.is_pending == sa.true(),
                                               subs.c.opt_out == sa.false())),
                sa.func.count().filter(sa.and_(normal, listed)))
                .select_from(subs.join(contacts, contacts.c.id == subs.c.contact_id))
                .where(subs.c.list_id.in_(ids), contacts.c.active == sa.true())
                .group_by(subs.c.list_id))
            figures = {row[0]: tuple(row[1:]) for row in self.env.execute(stmt)}
        for mailing_list in self:
            (mailing_list.contact_count, mailing_list.contact_count_opt_out,
             mailing_list.contact_count_pending, mailing_list.contact_count_blacklisted) = \
                figures.get(mailing_list.id, (0, 0, 0, 0))

    def _compute_mailing_count(self) -> None:
        for mailing_list in self:
            mailing_list.mailing_count = len(mailing_list.mailing_ids)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_view_contacts(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Contacts"),
                "res_model": "mailing.contact", "view_mode": "list,form",
                "domain": [("list_ids", "in", self.ids)],
                "context": {"default_list_ids": self.ids}}

    def action_view_mailings(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Mailings"),
                "res_model": "mailing.mailing", "view_mode": "list,form",
                "domain": [("contact_list_ids", "in", self.ids)],
                "context": {"default_contact_list_ids": self.ids}}

    @api.model
    def _public_list(self, list_id: int) -> Any:
        """The active public list ``list_id`` (as superuser), or an empty set."""
        found = self.sudo().browse(list_id).exists()
        return found if found and found.active and found.is_public else self.sudo().browse()
