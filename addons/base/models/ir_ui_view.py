"""Views: the XML architecture of forms, lists, kanban boards and the rest.

    env["ir.ui.view"].create({"name": "lead.form", "model": "crm.lead",
                              "arch": "<form><field name='name'/></form>"})
    # an extension of another view (mode 'extension' by default)
    env["ir.ui.view"].create({"name": "lead.form.x", "model": "crm.lead",
                              "inherit_id": form.id,
                              "arch": "<field name='name' position='after'>...</field>"})

The view type comes from the root element when not given (``<form>`` is
a form). The architecture must be well-formed XML; applying extensions
and validating fields is the business of ``core.views``, whose cache is
cleared by every create, write and unlink of a view.
"""

from __future__ import annotations

from lxml import etree

from addons.base.tools import has_parent_cycle
from core import api, fields, models
from core.exceptions import ValidationError
from core.views import invalidate as invalidate_views

VIEW_TYPES = [("list", "List"), ("tree", "Tree"), ("form", "Form"), ("graph", "Graph"),
              ("pivot", "Pivot"), ("calendar", "Calendar"), ("kanban", "Kanban"),
              ("search", "Search"), ("qweb", "QWeb")]
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def parse_arch(arch: str):
    """The root element of an architecture; ValueError with the line if malformed."""
    try:
        return etree.fromstring(arch.encode() if isinstance(arch, str) else arch, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"line {exc.lineno}: {exc.msg}") from None


class IrUiView(models.Model):
    _name = "ir.ui.view"
    _description = "View"
    _order = "priority, name, id"

    name = fields.Char("View Name", required=True)
    model = fields.Char(index=True)
    key = fields.Char()
    priority = fields.Integer("Sequence", required=True, default=16)
    type = fields.Selection(VIEW_TYPES, "View Type")
    arch_db = fields.Text("Arch Blob")
    arch = fields.Text("View Architecture", compute="_compute_arch", inverse="_inverse_arch")
    inherit_id = fields.Many2one("ir.ui.view", "Inherited View", index=True,
                                 ondelete="restrict")
    inherit_children_ids = fields.One2many("ir.ui.view", "inherit_id", "Views which inherit "
                                                                       "from this one")
    mode = fields.Selection([("primary", "Base view"), ("extension", "Extension View")],
                            "View inheritance mode", required=True, default="primary",
                            help="An extension changes the view it inherits from; a "
                                 "primary view that inherits is a new view built on it")
    active = fields.Boolean(default=True)
    groups_id = fields.Many2many("res.groups", "ir_ui_view_group_rel", "view_id", "group_id",
                                 "Groups", help="When set, only these groups see the view "
                                                "(or the extension)")

    _sql_constraints = [
        ("inheritance_mode", "check(mode != 'extension' OR inherit_id IS NOT NULL)",
         "Invalid inheritance mode: an extension view must extend another view."),
    ]

    @api.depends("arch_db")
    def _compute_arch(self) -> None:
        for view in self:
            view.arch = view.arch_db

    def _inverse_arch(self) -> None:
        for view in self:
            view.arch_db = view.arch

    @api.constrains("arch_db")
    def _check_xml(self) -> None:
        for view in self:
            if not view.arch_db:
                continue
            try:
                parse_arch(view.arch_db)
            except ValueError as exc:
                raise ValidationError(f"Invalid view {view.name!r}: {exc}") from None

    @api.constrains("inherit_id")
    def _check_recursion(self) -> None:
        if has_parent_cycle(self, "inherit_id"):
            raise ValidationError("You cannot create recursive inherited views.")

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._complete_values(dict(vals)) for vals in vals_list]
        invalidate_views(self.env)
        return super().create(vals_list)

    def write(self, vals):
        invalidate_views(self.env)
        return super().write(vals)

    def unlink(self):
        invalidate_views(self.env)
        return super().unlink()

    def _complete_values(self, vals: dict) -> dict:
        """Mode and type from the inheritance and the architecture, as Odoo does."""
        if vals.get("inherit_id"):
            vals.setdefault("mode", "extension")
        if not vals.get("type"):
            if vals.get("inherit_id"):
                vals["type"] = self.browse(vals["inherit_id"]).type
            else:
                arch = vals.get("arch_db") or vals.get("arch")
                if arch:
                    try:
                        vals["type"] = parse_arch(arch).tag
                    except ValueError as exc:
                        raise ValidationError(f"Invalid view {vals.get('name')!r}: "
                                              f"{exc}") from None
        return vals
