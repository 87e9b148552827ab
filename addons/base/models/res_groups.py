"""Access groups: what users may do is granted to groups, and groups imply groups.

    system = env.ref("base.group_system")         # implies base.group_erp_manager
    system.trans_implied_ids                       # every group it implies, transitively
    system.users = [(4, user.id)]                  # user gets group_erp_manager too

As in Odoo, the users of a group are also written into the groups it
implies (``res_groups_users_rel`` holds them all), so that access rules
only look at a user's direct groups.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.orm import domain as dom

NEGATIVE_OPERATORS = ("!=", "not like", "not ilike", "not in")


class ResGroups(models.Model):
    _name = "res.groups"
    _description = "Access Groups"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    category_id = fields.Many2one("ir.module.category", "Application", index=True)
    full_name = fields.Char("Group Name", compute="_compute_full_name",
                            search="_search_full_name")
    comment = fields.Text(translate=True)
    color = fields.Integer("Color Index")
    share = fields.Boolean("Share Group", help="A group of external users (portal, public)")
    users = fields.Many2many("res.users", "res_groups_users_rel", "gid", "uid", "Users")
    implied_ids = fields.Many2many("res.groups", "res_groups_implied_rel", "gid", "hid",
                                   "Inherits",
                                   help="Users of this group are also in these groups")
    # computed: the table is never created, the ORM wants names for a self-relation
    trans_implied_ids = fields.Many2many("res.groups", "res_groups_trans_implied_rel", "gid",
                                         "hid", compute="_compute_trans_implied",
                                         string="Transitively inherits")
    model_access = fields.One2many("ir.model.access", "group_id", "Access Controls")
    rule_groups = fields.Many2many("ir.rule", "rule_group_rel", "group_id", "rule_group_id",
                                   "Rules")
    menu_access = fields.Many2many("ir.ui.menu", "ir_ui_menu_group_rel", "gid", "menu_id",
                                   "Access Menu")
    view_access = fields.Many2many("ir.ui.view", "ir_ui_view_group_rel", "group_id",
                                   "view_id", "Views")

    _sql_constraints = [
        ("name_uniq", "unique(category_id, name)",
         "The name of a group must be unique within its application."),
    ]

    # ------------------------------------------------------------------
    # names
    # ------------------------------------------------------------------
    @api.depends("name", "category_id.name")
    def _compute_full_name(self) -> None:
        for group in self:
            if group.category_id:
                group.full_name = f"{group.category_id.name} / {group.name}"
            else:
                group.full_name = group.name

    def _search_full_name(self, operator: str, value) -> list:
        if isinstance(value, str) and " / " in value:
            category, _sep, name = value.rpartition(" / ")
            exact = operator in ("=", "!=")
            positive = ["&", ("category_id.name", "=" if exact else "ilike", category),
                        ("name", "=" if exact else "ilike", name)]
            return ["!"] + positive if operator in NEGATIVE_OPERATORS else positive
        leaves = [[("name", operator, value)], [("category_id.name", operator, value)]]
        return dom.AND(leaves) if operator in NEGATIVE_OPERATORS else dom.OR(leaves)

    @api.depends("full_name")
    def _compute_display_name(self) -> None:
        for group in self:
            group.display_name = group.full_name or ""

    def _display_name_domain(self, operator: str, value) -> list:
        return [("full_name", operator, value)]

    # ------------------------------------------------------------------
    # implied groups
    # ------------------------------------------------------------------
    @api.depends("implied_ids")
    def _compute_trans_implied(self) -> None:
        # a walk of the graph: safe on cycles, which the constraint then refuses
        for group in self:
            found: dict[int, None] = {}
            todo = list(group.implied_ids)
            while todo:
                current = todo.pop(0)
                if current.id in found:
                    continue
                found[current.id] = None
                todo.extend(current.implied_ids)
            group.trans_implied_ids = self.browse(list(found))

    @api.constrains("implied_ids")
    def _check_implied_recursion(self) -> None:
        for group in self:
            if group in group.trans_implied_ids:
                raise ValidationError(f"Group '{group.full_name}' cannot imply itself, "
                                      "directly or through other groups.")

    @api.model_create_multi
    def create(self, vals_list):
        groups = super().create(vals_list)
        self._forget_implications()
        changed = groups.browse([group.id for group, vals in zip(groups, vals_list, strict=True)
                                 if vals.get("users") or vals.get("implied_ids")])
        changed._propagate_users()
        if any(vals.get("users") for vals in vals_list):
            changed._users_changed(changed.with_context(active_test=False).users)
        return groups

    def write(self, vals):
        users_before = self.with_context(active_test=False).users if "users" in vals \
            else None
        result = super().write(vals)
        if "implied_ids" in vals:
            self._forget_implications()
        if "users" in vals or "implied_ids" in vals:
            self._propagate_users()
        if users_before is not None:
            self._users_changed(users_before | self.with_context(active_test=False).users)
        return result

    def _forget_implications(self) -> None:
        # the closure of every group that implies these ones changed too
        self.invalidate_model(["trans_implied_ids"])

    def _propagate_users(self) -> None:
        """Put the users of these groups in every group they imply."""
        touched = self.env["res.users"]
        for group in self:
            users = group.with_context(active_test=False).users
            implied = group.trans_implied_ids
            if users and implied:
                super(ResGroups, implied).write(
                    {"users": [(4, user_id) for user_id in users.ids]})
                touched |= users
        if touched:
            self._users_changed(touched)

    def _users_changed(self, users) -> None:
        """The relation was written from this side: what depends on the
        users' groups_id (their ``share`` flag ...) must be computed again."""
        if users:
            self.env.registry.modified(users, ("groups_id",))
