"""The meta models: models, fields and external ids, as records.

``ir.model`` and ``ir.model.fields`` reflect the registry after every
install (``core.modules.manager`` writes them); ``ir.model.data`` maps
external ids (``module.name``) to records.
"""

from __future__ import annotations

import sqlalchemy as sa

from core import api, fields, models


class IrModel(models.Model):
    _name = "ir.model"
    _description = "Models"
    _order = "model"
    _rec_name = "name"

    name = fields.Char("Model Description", required=True, translate=True)
    model = fields.Char(required=True, index=True)
    info = fields.Text("Information")
    field_id = fields.One2many("ir.model.fields", "model_id", "Fields")
    state = fields.Selection([("base", "Base Object"), ("manual", "Custom Object")],
                             default="base", readonly=True)
    transient = fields.Boolean(readonly=True)
    modules = fields.Char("In Apps", readonly=True,
                          help="The modules that define or extend this model")

    _sql_constraints = [("model_unique", "unique(model)", "Each model must be unique.")]

    @api.model
    def _get_id(self, model_name: str) -> int:
        return self.search([("model", "=", model_name)], limit=1).id


class IrModelFields(models.Model):
    _name = "ir.model.fields"
    _description = "Fields"
    _order = "model, name"
    _rec_name = "field_description"

    name = fields.Char("Field Name", required=True, index=True)
    model = fields.Char("Model Name", required=True, index=True)
    model_id = fields.Many2one("ir.model", "Model", required=True, ondelete="cascade")
    field_description = fields.Char("Field Label", translate=True)
    help = fields.Text("Field Help", translate=True)
    ttype = fields.Char("Field Type", required=True)
    relation = fields.Char("Related Model")
    relation_field = fields.Char("Relation Field")
    relation_table = fields.Char("Relation Table")
    related = fields.Char("Related Field")
    required = fields.Boolean()
    readonly = fields.Boolean()
    store = fields.Boolean(default=True)
    index = fields.Boolean()
    translate = fields.Boolean()
    state = fields.Selection([("base", "Base Field"), ("manual", "Custom Field")],
                             default="base", readonly=True)
    modules = fields.Char("In Apps", readonly=True)

    _sql_constraints = [("name_unique", "unique(model, name)",
                         "A model cannot have two fields of the same name.")]


class IrModelData(models.Model):
    _name = "ir.model.data"
    _description = "External Identifiers"
    _order = "module, model, name"
    _rec_name = "complete_name"

    name = fields.Char("External Identifier", required=True)
    module = fields.Char(required=True, index=True)
    model = fields.Char("Model Name", required=True)
    res_id = fields.Integer("Record ID", index=True)
    noupdate = fields.Boolean("Non Updatable")
    complete_name = fields.Char(compute="_compute_complete_name")

    _sql_constraints = [("name_unique", "unique(module, name)",
                         "External identifiers must be unique per module.")]

    @api.depends("module", "name")
    def _compute_complete_name(self) -> None:
        for data in self:
            data.complete_name = f"{data.module}.{data.name}"

    @api.model
    def _xmlid_lookup(self, module: str, name: str) -> tuple[str, int] | None:
        """(model, res_id) of an external id, or None."""
        known = self.env.transaction.memo.setdefault("xmlids", {})
        key = (module, name)
        if key not in known:
            table = self._table_obj
            row = self.env.execute(
                sa.select(table.c.model, table.c.res_id)
                .where(table.c.module == module, table.c.name == name)).first()
            if row is None:
                return None
            known[key] = (row[0], row[1])
        return known[key]

    @api.model
    def check_object_reference(self, module: str, xml_id: str,
                               raise_on_access_error: bool = False) -> tuple[str, int]:
        """(model, id) of an external id; ValueError if there is none."""
        found = self._xmlid_lookup(module, xml_id)
        if not found:
            raise ValueError(f"External ID not found in the system: {module}.{xml_id}")
        if raise_on_access_error:
            record = self.env[found[0]].browse(found[1])
            record.check_access_rights("read")
            record.read(["id"])
        return found

    @api.model
    def xmlid_to_res_id(self, xmlid: str, raise_if_not_found: bool = False) -> int | bool:
        module, _, name = xmlid.partition(".")
        found = self._xmlid_lookup(module, name)
        if not found:
            if raise_if_not_found:
                raise ValueError(f"External ID not found in the system: {xmlid}")
            return False
        return found[1]

    @api.model
    def _xmlids_of(self, records) -> dict[int, str]:
        """{id: 'module.name'} of the records that have an external id."""
        found = self.search([("model", "=", records._name), ("res_id", "in", records.ids)])
        return {data.res_id: data.complete_name for data in found}

    @api.model_create_multi
    def create(self, vals_list):
        self.env.transaction.memo.pop("xmlids", None)
        return super().create(vals_list)

    def write(self, vals):
        self.env.transaction.memo.pop("xmlids", None)
        return super().write(vals)

    def unlink(self):
        self.env.transaction.memo.pop("xmlids", None)
        return super().unlink()
