"""``mail.thread``: the chatter of a record — messages, followers, tracking.

    class Lead(models.Model):
        _name = "crm.lead"
        _inherit = ["mail.thread"]
        stage_id = fields.Many2one("crm.stage", tracking=True)   # changes are logged

    lead.write({"stage_id": won.id})       # one message: "Stage: New -> Won"
    lead.message_subscribe(partner_ids=[jane.id])
    lead.message_follower_ids.partner_id   # the creator and Jane

This file holds the fields, followers and tracking; posting and
notifying are in ``mail_thread_post.py``, incoming mail in
``mail_thread_gateway.py``. Context keys, as Odoo's: ``tracking_disable``
(no tracking, no creation message, no auto-subscription),
``mail_notrack``, ``mail_create_nolog``, ``mail_create_nosubscribe``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core import api, fields, models
from core.exceptions import AccessError
from core.i18n.translate import _, model_description
from core.security import access


class MailThread(models.AbstractModel):
    _name = "mail.thread"
    _description = "Email Thread"
    #: marks the models messages and followers may belong to
    _mail_thread = True
    #: the access to the record that posting a message needs
    _mail_post_access = "write"
    #: replies go to the first message of the thread (Odoo's flat threads)
    _mail_flat_thread = True

    message_ids = fields.One2many("mail.message", compute="_compute_message_ids",
                                  search="_search_message_ids", compute_sudo=False,
                                  string="Messages")
    message_follower_ids = fields.One2many("mail.followers",
                                           compute="_compute_message_follower_ids",
                                           search="_search_message_follower_ids",
                                           compute_sudo=False, string="Followers")
    message_partner_ids = fields.Many2many("res.partner", "mail_thread_follower_partner_rel",
                                           "res_id", "partner_id",
                                           compute="_compute_message_partners",
                                           search="_search_message_partner_ids",
                                           string="Followers (Partners)")
    message_is_follower = fields.Boolean("Is Follower", compute="_compute_message_is_follower",
                                         search="_search_message_is_follower")
    message_needaction = fields.Boolean("Action Needed", compute="_compute_needaction",
                                        search="_search_message_needaction",
                                        compute_sudo=False)
    message_needaction_counter = fields.Integer("Number of Actions",
                                                compute="_compute_needaction",
                                                compute_sudo=False)
    message_attachment_count = fields.Integer("Attachment Count",
                                              compute="_compute_message_attachment_count")
    has_message = fields.Boolean(compute="_compute_has_message", search="_search_has_message")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    def _thread_rows(self, model: str, fields_: list[str], extra: list | None = None) -> list:
        ids = [i for i in self.ids]
        if not ids:
            return []
        owner = "model" if model == "mail.message" else "res_model"
        domain = [(owner, "=", self._name), ("res_id", "in", ids)] + (extra or [])
        return self.env[model].search_read(domain, fields_)

    @api.depends_context("uid")
    def _compute_message_ids(self) -> None:
        by_record = defaultdict(list)
        for row in self._thread_rows("mail.message", ["res_id"]):
            by_record[row["res_id"]].append(row["id"])
        for record in self:
            record.message_ids = [(6, 0, by_record.get(record.id, []))]

    @api.depends_context("uid")
    def _compute_message_follower_ids(self) -> None:
        by_record = defaultdict(list)
        for row in self._thread_rows("mail.followers", ["res_id"]):
            by_record[row["res_id"]].append(row["id"])
        for record in self:
            record.message_follower_ids = [(6, 0, by_record.get(record.id, []))]

    def _followers_sudo(self) -> Any:
        return self.env["mail.followers"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)])

    def _compute_message_partners(self) -> None:
        by_record = defaultdict(list)
        for follower in self._followers_sudo():
            by_record[follower.res_id].append(follower.partner_id.id)
        for record in self:
            record.message_partner_ids = [(6, 0, by_record.get(record.id, []))]

    @api.depends_context("uid")
    def _compute_message_is_follower(self) -> None:
        partner = self.env.user.partner_id
        followed = set(self.env["mail.followers"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("partner_id", "=", partner.id)]).mapped("res_id")) if self.ids else set()
        for record in self:
            record.message_is_follower = record.id in followed

    @api.depends_context("uid")
    def _compute_needaction(self) -> None:
        counts: dict[int, int] = defaultdict(int)
        partner = self.env.user.partner_id
        if self.ids and partner:
            notifications = self.env["mail.notification"].sudo().search([
                ("res_partner_id", "=", partner.id), ("is_read", "=", False),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.model", "=", self._name),
                ("mail_message_id.res_id", "in", self.ids)])
            for notification in notifications:
                counts[notification.mail_message_id.res_id] += 1
        for record in self:
            record.message_needaction_counter = counts.get(record.id, 0)
            record.message_needaction = bool(counts.get(record.id))

    def _compute_message_attachment_count(self) -> None:
        counts: dict[int, int] = defaultdict(int)
        if self.ids:
            groups = self.env["ir.attachment"].read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"], ["res_id"])
            for group in groups:
                counts[group["res_id"]] = group["res_id_count"]
        for record in self:
            record.message_attachment_count = counts.get(record.id, 0)

    def _compute_has_message(self) -> None:
        with_messages = {row["res_id"] for row in
                         self.sudo()._thread_rows("mail.message", ["res_id"])}
        for record in self:
            record.has_message = record.id in with_messages

    # -- searching them -------------------------------------------------
    def _ids_domain(self, model: str, domain: list, positive: bool = True) -> list:
        owner = "model" if model == "mail.message" else "res_model"
        rows = self.env[model].sudo().search_read([(owner, "=", self._name)] + domain,
                                                  ["res_id"])
        ids = sorted({row["res_id"] for row in rows if row["res_id"]})
        return [("id", "in" if positive else "not in", ids)]

    def _search_message_ids(self, operator: str, value: Any) -> list:
        if operator in ("=", "!=") and value is False:
            return self._ids_domain("mail.message", [], operator == "!=")
        if operator not in ("in", "="):
            raise ValueError(f"Operator {operator!r} is not supported on message_ids")
        return self._ids_domain("mail.message", [("id", "in", _as_list(value))])

    def _search_message_follower_ids(self, operator: str, value: Any) -> list:
        if operator not in ("in", "="):
            raise ValueError(f"Operator {operator!r} is not supported on message_follower_ids")
        return self._ids_domain("mail.followers", [("id", "in", _as_list(value))])

    def _search_message_partner_ids(self, operator: str, value: Any) -> list:
        if operator in ("=", "!=") and value is False:
            return self._ids_domain("mail.followers", [], operator == "!=")
        if operator not in ("in", "=", "not in", "!="):
            raise ValueError(f"Operator {operator!r} is not supported on followers")
        return self._ids_domain("mail.followers", [("partner_id", "in", _as_list(value))],
                                operator in ("in", "="))

    def _search_message_is_follower(self, operator: str, value: Any) -> list:
        positive = (operator == "=") == bool(value)
        return self._ids_domain("mail.followers",
                                [("partner_id", "=", self.env.user.partner_id.id)], positive)

    def _search_has_message(self, operator: str, value: Any) -> list:
        positive = (operator == "=") == bool(value)
        return self._ids_domain("mail.message", [], positive)

    def _search_message_needaction(self, operator: str, value: Any) -> list:
        notifications = self.env["mail.notification"].sudo().search([
            ("res_partner_id", "=", self.env.user.partner_id.id), ("is_read", "=", False),
            ("notification_type", "=", "inbox"), ("mail_message_id.model", "=", self._name)])
        ids = sorted(set(notifications.mapped("mail_message_id.res_id")))
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        context = self.env.context
        if context.get("tracking_disable") or not records:
            return records
        if not context.get("mail_create_nosubscribe"):
            partner = self.env.user.partner_id
            if partner:
                records.sudo()._message_subscribe_partners([partner.id])
        records._message_auto_subscribe_users(
            {name for vals in vals_list for name in vals})
        if not context.get("mail_create_nolog"):
            body = _(self.env, "%(document)s created", document=model_description(
                self.env, self))
            records._message_log_batch({record.id: body for record in records})
        return records

    def write(self, vals):
        context = self.env.context
        if context.get("tracking_disable") or context.get("mail_notrack") or not self:
            return super().write(vals)
        tracked = [name for name in self._track_get_fields() if name in vals]
        initial = self._track_initial_values(tracked) if tracked else {}
        result = super().write(vals)
        if tracked:
            self._message_track(tracked, initial)
        if "user_id" in vals:
            self._message_auto_subscribe_users({"user_id"})
        return result

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        if ids:
            domain_owner = [("res_id", "in", ids)]
            env = self.env
            env["mail.message"].sudo().search([("model", "=", self._name)] + domain_owner) \
                .unlink()
            env["mail.followers"].sudo().search([("res_model", "=", self._name)]
                                                + domain_owner).unlink()
        return result

    # ------------------------------------------------------------------
    # tracking
    # ------------------------------------------------------------------
    @api.model
    def _track_get_fields(self) -> list[str]:
        """The names of the fields with ``tracking=True`` (or a sequence number),
        in tracking order."""
        tracked = [(field.tracking if isinstance(field.tracking, int)
                    and not isinstance(field.tracking, bool) else 100, name)
                   for name, field in self._fields.items() if field.tracking]
        return [name for _order, name in sorted(tracked)]

    def _track_initial_values(self, names: list[str]) -> dict[int, dict]:
        records = self.sudo()
        return {record.id: {name: record[name] for name in names} for record in records}

    def _message_track(self, names: list[str], initial: dict[int, dict]) -> dict[int, list]:
        """Post one message per record listing the tracked fields that changed;
        returns {record id: [field names that changed]}."""
        Tracking = self.env["mail.tracking.value"].sudo()
        changes: dict[int, list] = {}
        for record in self.sudo():
            old_values = initial.get(record.id)
            if old_values is None:
                continue
            lines, changed = [], []
            for name in names:
                old, new = old_values[name], record[name]
                if _same(old, new):
                    continue
                lines.append(Tracking._create_tracking_values(old, new, self._fields[name],
                                                              record))
                changed.append(name)
            if not lines:
                continue
            changes[record.id] = changed
            subtype = record.with_env(self.env)._track_subtype(
                {name: old_values[name] for name in changed})
            record.with_env(self.env)._message_log(
                body="", tracking_value_ids=[(0, 0, line) for line in lines],
                subtype_id=subtype.id if subtype else False,
                notify=bool(subtype and not subtype.internal))
        return changes

    def _track_subtype(self, init_values: dict) -> Any:
        """The subtype of the message telling of these changes ({field: old
        value}); a model returns e.g. its "Stage Changed" subtype. None: a note."""
        return None

    # ------------------------------------------------------------------
    # followers
    # ------------------------------------------------------------------
    def message_subscribe(self, partner_ids: list[int] | None = None,
                          subtype_ids: list[int] | None = None) -> bool:
        """Make partners follow these records: new followers get ``subtype_ids``
        or the default subtypes; existing ones get ``subtype_ids`` if given."""
        partner_ids = [pid for pid in (partner_ids or []) if pid]
        if not self or not partner_ids:
            return True
        own = self.env.user.partner_id.id
        operation = "read" if set(partner_ids) <= {own} else "write"
        self._check_thread_access(operation)
        self.sudo()._message_subscribe_partners(partner_ids, subtype_ids)
        return True

    def message_unsubscribe(self, partner_ids: list[int] | None = None) -> bool:
        """Stop partners following these records."""
        partner_ids = [pid for pid in (partner_ids or []) if pid]
        if not self or not partner_ids:
            return True
        own = self.env.user.partner_id.id
        self._check_thread_access("read" if set(partner_ids) <= {own} else "write")
        self.env["mail.followers"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("partner_id", "in", partner_ids)]).unlink()
        return True

    def _check_thread_access(self, operation: str) -> None:
        """AccessError unless the user may ``operation`` these records."""
        if not access.enabled(self.env):
            return
        records = self.with_context(active_test=False)
        if not access.check_rights(records, operation, raise_exception=False):
            raise AccessError(_(self.env, "You may not %(operation)s %(model)s records, so "
                                "you may not do this on their chatter.", operation=operation,
                                model=model_description(self.env, self)))
        access.check_rules(records, operation)

    def _message_subscribe_partners(self, partner_ids: list[int],
                                    subtype_ids: list[int] | None = None) -> None:
        """Add followers without access checks (the callers check)."""
        Followers = self.env["mail.followers"].sudo()
        existing = Followers.search([("res_model", "=", self._name),
                                     ("res_id", "in", self.ids),
                                     ("partner_id", "in", partner_ids)])
        if subtype_ids is not None and existing:
            existing.write({"subtype_ids": [(6, 0, list(subtype_ids))]})
        if subtype_ids is None:
            defaults, _internal = self.env["mail.message.subtype"]._default_subtypes(self._name)
            subtype_ids = defaults.ids
        have = {(f.res_id, f.partner_id.id) for f in existing}
        Followers.create([{"res_model": self._name, "res_id": record_id, "partner_id": pid,
                           "subtype_ids": [(6, 0, list(subtype_ids))]}
                          for record_id in self.ids for pid in dict.fromkeys(partner_ids)
                          if (record_id, pid) not in have])

    def _message_auto_subscribe_users(self, names: set[str]) -> None:
        """The user put in ``user_id`` (the responsible) follows the record."""
        field = self._fields.get("user_id")
        if "user_id" not in names or field is None or field.type != "many2one" \
                or field.comodel_name != "res.users":
            return
        by_partner: dict[int, list[int]] = defaultdict(list)
        for record in self.sudo():
            partner = record.user_id.partner_id
            if partner:
                by_partner[partner.id].append(record.id)
        for partner_id, ids in by_partner.items():
            self.browse(ids).sudo()._message_subscribe_partners([partner_id])

    def _message_get_default_recipients(self) -> dict[int, dict]:
        """{record id: {"partner_ids": [...], "email_to": ...}}: whom a mail about
        the record goes to by default (its ``partner_id``, else its e-mail)."""
        result = {}
        for record in self:
            partner = record["partner_id"] if "partner_id" in record._fields and \
                record._fields["partner_id"].type == "many2one" else None
            email = record["email_from"] if "email_from" in record._fields else False
            result[record.id] = {"partner_ids": partner.ids if partner else [],
                                 "email_to": False if partner else email}
        return result


def _as_list(value: Any) -> list:
    if hasattr(value, "_ids"):
        return list(value._ids)
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _same(old: Any, new: Any) -> bool:
    if hasattr(old, "_ids") and hasattr(new, "_ids"):
        return set(old._ids) == set(new._ids)
    if (old is False or old is None or old == "") and (new is False or new is None
                                                       or new == ""):
        return True
    return old == new
