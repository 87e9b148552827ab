"""Writing the registry and the addons into the meta models.

After every install or upgrade, ``ir.model`` and ``ir.model.fields`` hold
one record per model and field, each with its external id
(``crm.model_crm_lead``, ``crm.field_crm_lead__name``) owned by the
module that declared it; ``ir.module.module`` holds one record per addon
found in the addons path, with its state and installed version.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.exceptions import UserError, ValidationError
from core.modules.manifest import Manifest
from core.orm.environment import Environment
from core.orm.registry import Registry


def model_xmlid(model_name: str) -> str:
    return "model_" + model_name.replace(".", "_")


def field_xmlid(model_name: str, field_name: str) -> str:
    return f"field_{model_name.replace('.', '_')}__{field_name}"


def reflect_models(env: Environment, registry: Registry) -> None:
    """Create or update the ir.model / ir.model.fields records and their ids."""
    IrModel = env["ir.model"].with_context(active_test=False)  # noqa: N806
    IrFields = env["ir.model.fields"].with_context(active_test=False)  # noqa: N806
    Data = env["ir.model.data"]  # noqa: N806
    existing = {m.model: m for m in IrModel.search([])}
    to_create = []
    for name, cls in registry.models.items():
        values = {"model": name, "name": cls._description or name,
                  "transient": cls._transient,
                  "modules": ", ".join(dict.fromkeys(registry.modules_of.get(name, [])))}
        record = existing.get(name)
        if record is None:
            to_create.append(values)
        elif (record.name, record.modules, record.transient) != (
                values["name"], values["modules"], values["transient"]):
            record.write(values)
    if to_create:
        for record in IrModel.create(to_create):
            existing[record.model] = record
    model_ids = {name: record.id for name, record in existing.items()}

    known = {(f.model, f.name): f for f in IrFields.search([])}
    field_values = []
    for name, cls in registry.models.items():
        for field in cls._fields.values():
            values = _field_values(field, model_ids[name])
            record = known.get((name, field.name))
            if record is None:
                field_values.append(values)
            elif any(record[key] != value for key, value in values.items()
                     if key != "model_id"):
                record.write(values)
    created_fields = IrFields.create(field_values) if field_values else IrFields.browse()
    for record in created_fields:
        known[(record.model, record.name)] = record

    wanted: dict[tuple[str, str], tuple[str, int]] = {}
    for name, cls in registry.models.items():
        owner = (registry.modules_of.get(name) or ["base"])[0]
        wanted[(owner, model_xmlid(name))] = ("ir.model", model_ids[name])
        for field in cls._fields.values():
            module = field.module or owner
            wanted[(module, field_xmlid(name, field.name))] = (
                "ir.model.fields", known[(name, field.name)].id)
    _forget_gone(env, registry, existing, known)
    present = {(d.module, d.name) for d in Data.search(
        [("model", "in", ["ir.model", "ir.model.fields"])])}
    missing = [{"module": module, "name": xmlid, "model": model, "res_id": res_id,
                "noupdate": True}
               for (module, xmlid), (model, res_id) in wanted.items()
               if (module, xmlid) not in present]
    if missing:
        Data.create(missing)


def _forget_gone(env: Environment, registry: Registry, models: dict, fields: dict) -> None:
    """Remove the ir.model / ir.model.fields records (and their external ids) of
    the models and fields the code no longer declares (renamed or dropped by an
    upgrade). Their tables and columns stay: dropping data is never implicit."""
    gone_fields = [record for (model, name), record in fields.items()
                   if model not in registry.models or name not in registry[model]._fields]
    gone_models = [record for model, record in models.items() if model not in registry.models]
    if not gone_fields and not gone_models:
        return
    Data = env["ir.model.data"]  # noqa: N806
    ids = [r.id for r in gone_fields]
    Data.search([("model", "=", "ir.model.fields"), ("res_id", "in", ids)]).unlink()
    env["ir.model.fields"].browse(ids).unlink()
    ids = [r.id for r in gone_models]
    Data.search([("model", "=", "ir.model"), ("res_id", "in", ids)]).unlink()
    env["ir.model"].browse(ids).unlink()
    for key in [key for key, record in fields.items() if record in gone_fields]:
        del fields[key]


def _field_values(field, model_id: int) -> dict:
    return {
        "name": field.name, "model": field.model_name, "model_id": model_id,
        "field_description": field.string, "help": field.help or False, "ttype": field.type,
        "relation": getattr(field, "comodel_name", None) or False,
        "relation_field": getattr(field, "inverse_name", None) or False,
        "relation_table": getattr(field, "relation", None) or False,
        "related": field.related or False, "required": field.required,
        "readonly": field.readonly, "store": field.store, "index": bool(field.index),
        "translate": field.translate, "modules": field.module or False,
    }


def sync_module_records(env: Environment, addons: dict[str, Manifest]) -> None:
    """One ir.module.module per addon found, with the manifest's description."""
    Module = env["ir.module.module"]  # noqa: N806
    existing = {m.name: m for m in Module.search([])}
    for name, manifest in sorted(addons.items()):
        values = {
            "shortdesc": manifest.title, "summary": manifest.summary,
            "description": manifest.description, "category": manifest.category,
            "author": manifest.author, "website": manifest.website,
            "license": manifest.license, "sequence": manifest.sequence,
            "application": manifest.application,
            "auto_install": manifest.auto_install_depends is not None,
            "installed_version": manifest.version,
        }
        record = existing.get(name)
        if record is None:
            values.update(name=name, state="uninstalled" if manifest.installable
                          else "uninstallable")
            values["dependencies_id"] = [(0, 0, {"name": dep}) for dep in manifest.depends]
            Module.create(values)
        else:
            current = {key: record[key] for key in values}
            if current != {k: (v if v != "" else False) for k, v in values.items()}:
                record.write(values)
            if sorted(record.dependencies_id.mapped("name")) != sorted(manifest.depends):
                record.write({"dependencies_id": [(5,)] + [(0, 0, {"name": dep})
                                                           for dep in manifest.depends]})


def mark_installed(env: Environment, manifest: Manifest, demo: bool) -> None:
    module = env["ir.module.module"].search([("name", "=", manifest.name)])
    module.write({"state": "installed", "latest_version": manifest.version, "demo": demo})


def has_demo(env: Environment, name: str) -> bool:
    module = env["ir.module.module"].search([("name", "=", name)])
    return bool(module.demo)


def remove_obsolete_records(env: Environment, module: str,
                            loaded: Iterable[tuple[str, str]]) -> None:
    """After an upgrade: delete the records whose external id left the data files."""
    loaded = set(loaded)
    Data = env["ir.model.data"]  # noqa: N806
    entries = Data.search([("module", "=", module), ("noupdate", "=", False),
                           ("model", "not in", ["ir.model", "ir.model.fields"])],
                          order="id desc")
    for entry in entries:
        if (entry.module, entry.name) in loaded:
            continue
        if entry.model in env:
            try:   # in a savepoint: a refusal leaves the transaction usable
                env[entry.model].browse(entry.res_id).exists().unlink()
            except (UserError, ValidationError):
                pass   # other data still needs it: it stays, without its external id
        entry.unlink()
