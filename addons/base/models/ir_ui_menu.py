"""Menus of the web client, in a tree, each opening an action.

    root = env["ir.ui.menu"].create({"name": "Sales"})
    menu = env["ir.ui.menu"].create({
        "name": "Customers", "parent_id": root.id,
        "action": f"ir.actions.act_window,{action.id}"})
    menu.complete_name      # 'Sales/Customers'
    menu._get_action()      # the ir.actions.act_window record

``action`` holds a reference as Odoo's ``Reference`` field reads it:
``"<model>,<id>"``. Menus restricted to groups are shown only to their
members.
"""

from __future__ import annotations

import re

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import ValidationError

#: the action models a menu may open
ACTION_MODELS = ("ir.actions.act_window", "ir.actions.act_url", "ir.actions.server",
                 "ir.actions.client", "ir.actions.report")
_REFERENCE = re.compile(r"^([a-z][a-z0-9_.]*),(\d+)$")
_DEPTH = 6


class IrUiMenu(models.Model):
    _name = "ir.ui.menu"
    _description = "Menu"
    _order = "sequence, id"

    name = fields.Char("Menu", required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one("ir.ui.menu", "Parent Menu", index=True, ondelete="restrict")
    child_id = fields.One2many("ir.ui.menu", "parent_id", "Child IDs")
    groups_id = fields.Many2many("res.groups", "ir_ui_menu_group_rel", "menu_id", "gid",
                                 "Groups", help="When set, only these groups see the menu")
    complete_name = fields.Char("Full Path", compute="_compute_complete_name")
    web_icon = fields.Char("Web Icon File")
    action = fields.Char(help="The action the menu opens: 'ir.actions.act_window,12'")

    @api.depends("name", *(".".join(["parent_id"] * level) + ".name"
                           for level in range(1, _DEPTH + 1)))
    def _compute_complete_name(self) -> None:
        for menu in self:
            names, current, seen = [], menu, set()
            while current and current.id not in seen and len(names) < _DEPTH:
                seen.add(current.id)
                names.append(current.name or "")
                current = current.parent_id
            menu.complete_name = "/".join(reversed(names))

    @api.depends("complete_name")
    def _compute_display_name(self) -> None:
        for menu in self:
            menu.display_name = menu.complete_name or ""

    @api.constrains("parent_id")
    def _check_parent_id(self) -> None:
        if has_parent_cycle(self):
            raise ValidationError("You cannot create recursive menus.")

    @api.constrains("action")
    def _check_action(self) -> None:
        for menu in self:
            if not menu.action:
                continue
            match = _REFERENCE.match(menu.action)
            if not match or match.group(1) not in ACTION_MODELS:
                raise ValidationError(
                    f"Menu '{menu.name}': the action must read '<action model>,<id>' with "
                    f"an action model among {', '.join(ACTION_MODELS)}, not {menu.action!r}.")

    @api.model
    def _menu_action_values(self, action) -> dict:
        """The values that make a menu open ``action`` (used by <menuitem action=...>)."""
        if action._name not in ACTION_MODELS:
            raise ValueError(f"A menu cannot open a {action._name} record")
        return {"action": f"{action._name},{action.id}"}

    def _get_action(self):
        """The action record the menu opens (an empty record set if none or gone)."""
        self.ensure_one()
        match = _REFERENCE.match(self.action or "")
        if not match or match.group(1) not in self.env:
            return None
        return self.env[match.group(1)].browse(int(match.group(2))).exists()

    def _filter_visible_menus(self):
        """The menus the environment's user may see (by groups)."""
        if self.env.is_superuser():
            return self
        group_ids = set(self.env.user._get_group_ids())
        return self.filtered(lambda menu: not menu.groups_id
                             or group_ids.intersection(menu.groups_id.ids))
