"""Window actions: what opening a menu shows (a model, its views, a domain).

    action = env["ir.actions.act_window"].create({
        "name": "Customers", "res_model": "res.partner",
        "domain": "[('is_company', '=', True)]", "context": "{'default_is_company': True}"})
    action.views            # [(False, 'list'), (False, 'form')]

``domain`` and ``context`` are kept as text, as in Odoo; the web client
reads them with a literal evaluator, never Python's ``eval``.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError


class IrActionsActWindow(models.Model):
    _name = "ir.actions.act_window"
    _description = "Action Window"
    _order = "name, id"

    name = fields.Char("Action Name", required=True, translate=True)
    type = fields.Char("Action Type", required=True, default="ir.actions.act_window")
    help = fields.Html("Action Description", translate=True,
                       help="Shown when the list is empty (e.g. how to create a record)")
    res_model = fields.Char("Destination Model", required=True)
    res_id = fields.Integer("Record ID", help="The record a form view opens")
    view_mode = fields.Char("View Mode", required=True, default="list,form",
                            help="Comma-separated view types: list,form,kanban...")
    view_id = fields.Many2one("ir.ui.view", "View Ref.", ondelete="set null")
    search_view_id = fields.Many2one("ir.ui.view", "Search View Ref.", ondelete="set null")
    views = fields.Json(compute="_compute_views",
                        help="[(view id or False, view type)] in the order of view_mode")
    domain = fields.Char("Domain Value",
                         help="A domain restricting the records shown, as text")
    context = fields.Char("Context Value", required=True, default="{}",
                          help="Context given to the views, as text")
    target = fields.Selection([("current", "Current Window"), ("new", "New Window"),
                               ("inline", "Inline Edit"), ("fullscreen", "Full Screen"),
                               ("main", "Main action of Current Window")],
                              "Target Window", default="current")
    limit = fields.Integer(default=80, help="Records per page of a list")
    filter = fields.Boolean()
    usage = fields.Char("Action Usage")
    groups_id = fields.Many2many("res.groups", "ir_act_window_group_rel", "act_id", "gid",
                                 "Groups")
    binding_model_id = fields.Many2one("ir.model", "Binding Model", ondelete="cascade",
                                       help="Shown in the Action menu of this model")
    binding_type = fields.Selection([("action", "Action"), ("report", "Report")],
                                    required=True, default="action")
    binding_view_types = fields.Char(default="list,form")

    @api.depends("view_mode", "view_id")
    def _compute_views(self) -> None:
        for action in self:
            modes = [mode.strip() for mode in (action.view_mode or "").split(",")
                     if mode.strip()]
            views = []
            for mode in modes:
                own = action.view_id.id if action.view_id and action.view_id.type in (
                    mode, "tree" if mode == "list" else mode) else False
                views.append([own, mode])
            action.views = views

    @api.constrains("res_model")
    def _check_model(self) -> None:
        for action in self:
            if action.res_model not in self.env:
                raise ValidationError(f"Invalid model name {action.res_model!r} in action "
                                      f"'{action.name}'.")

    def unlink(self):
        # menus keep a text reference: clear it rather than leave it dangling
        references = [f"{self._name},{action_id}" for action_id in self.ids]
        if references and "ir.ui.menu" in self.env:
            menus = self.env["ir.ui.menu"].with_context(active_test=False).search(
                [("action", "in", references)])
            if menus:
                menus.write({"action": False})
        return super().unlink()
