"""Modules as records: what is installed, at which version, in which state."""

from __future__ import annotations

from core import fields, models

STATES = [
    ("uninstallable", "Not Installable"),
    ("uninstalled", "Not Installed"),
    ("installed", "Installed"),
    ("to upgrade", "To be upgraded"),
    ("to remove", "To be removed"),
    ("to install", "To be installed"),
]


class IrModuleModule(models.Model):
    _name = "ir.module.module"
    _description = "Module"
    _order = "application desc, sequence, name"

    name = fields.Char("Technical Name", required=True, index=True, readonly=True)
    shortdesc = fields.Char("Module Name", translate=True, readonly=True)
    summary = fields.Char(translate=True, readonly=True)
    description = fields.Text(translate=True, readonly=True)
    category = fields.Char(readonly=True)
    author = fields.Char(readonly=True)
    website = fields.Char(readonly=True)
    license = fields.Char(readonly=True)
    sequence = fields.Integer(default=100)
    application = fields.Boolean(readonly=True)
    auto_install = fields.Boolean(readonly=True)
    state = fields.Selection(STATES, default="uninstalled", readonly=True, index=True)
    demo = fields.Boolean("Demo Data", readonly=True)
    latest_version = fields.Char("Installed Version", readonly=True)
    installed_version = fields.Char("Latest Version", readonly=True,
                                    help="The version of the module's code")
    dependencies_id = fields.One2many("ir.module.module.dependency", "module_id",
                                      "Dependencies", readonly=True)

    _sql_constraints = [("name_uniq", "unique(name)", "The name of the module must be unique.")]


class IrModuleModuleDependency(models.Model):
    _name = "ir.module.module.dependency"
    _description = "Module dependency"

    name = fields.Char(index=True)
    module_id = fields.Many2one("ir.module.module", "Module", ondelete="cascade", required=True)
    depend_id = fields.Many2one("ir.module.module", "Dependency", compute="_compute_depend")

    def _compute_depend(self) -> None:
        for dep in self:
            dep.depend_id = self.env["ir.module.module"].search([("name", "=", dep.name)],
                                                                limit=1)
