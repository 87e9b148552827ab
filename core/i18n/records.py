"""Filling translated fields (``translate=True``) from the catalogs at install.

    load_data_translations(env, "crm", loader.loaded_xmlids)   # after crm's data
    load_metadata_translations(env, db.addons)                 # models, fields, apps

A translated field keeps one text per language (``{"en_US": "Settings",
"zh_TW": "設定"}``). The records a module's data files create or write
(menus, actions, groups, categories, scheduled jobs...) get the text of
every active language from the catalogs, the module's own first:

1. ``msgctxt "<model>,<field>:<xmlid>"`` (``ir.ui.menu,name:base.menu_users``):
   one record's own translation;
2. ``msgctxt "<model>,<field>"``: one field's;
3. the plain ``msgid`` (the English text), which is what extraction writes.

The lines of such records' one2many fields (the states of a workflow)
are translated with them, by rules 2 and 3. Records the module updates
on every upgrade (not ``noupdate``) get the catalog's text each time, as
they get their English text from the data file; ``noupdate`` records
(demo data, data meant for users to change) only get a language they do
not have yet. A text the catalog does not translate is left as it is.

The meta models are translated from the same catalogs after every
install and upgrade: ``ir.model.name`` (context ``<model>``),
``ir.model.fields.field_description`` and ``help`` (context
``<model>,<field>``), and the Apps page's ``ir.module.module`` name,
summary and description from each addon's own catalog, installed or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.i18n.catalogs import SOURCE_LANG, Catalog, load_module_catalog, merged_catalog
from core.i18n.translate import Translator, installed_modules

if TYPE_CHECKING:
    from core.orm.environment import Environment

#: models whose records are translated by load_metadata_translations, not as data
META_MODELS = ("ir.model", "ir.model.fields", "ir.module.module")


def target_languages(env: Environment, langs: Sequence[str] | None = None) -> list[str]:
    """The languages to fill: ``langs``, else the active ones (never English)."""
    if langs is None:
        if "res.lang" not in env:
            return []
        langs = [code for code, _name in env["res.lang"].get_installed()]
    return [lang for lang in langs if lang != SOURCE_LANG]


def _translated_fields(model: Any) -> list[Any]:
    return [field for field in model._fields.values()
            if field.translate and field.column_backed]


class _Writer:
    """Collects {(model, field, lang): {id: text}} and writes it in batches."""

    def __init__(self, env: Environment):
        self.env = env
        self.pending: dict[tuple[str, str, str], dict[int, str]] = defaultdict(dict)

    def offer(self, record: Any, field: Any, lang: str, text: str, overwrite: bool) -> None:
        raw = self.env.cache[field].get(record.id)
        raw = raw if isinstance(raw, dict) else {}
        source = raw.get(SOURCE_LANG)
        current = raw.get(lang)
        if current == text:
            return
        if overwrite or current is None or current == source:
            self.pending[(record._name, field.name, lang)][record.id] = text

    def write(self) -> int:
        count = 0
        for (model, name, lang), texts in self.pending.items():
            self.env[model].with_context(lang=lang).update_field_translations(name, texts, lang)
            count += len(texts)
        self.pending.clear()
        return count


def _entries(env: Environment, module: str,
             xmlids: Iterable[tuple[str, str]] | None) -> list[dict]:
    """The ir.model.data rows of the records to translate."""
    Data = env["ir.model.data"].sudo()  # noqa: N806
    if xmlids is None:
        return Data.search_read([("module", "=", module), ("model", "not in", META_MODELS)],
                                ["module", "name", "model", "res_id", "noupdate"])
    wanted = set(xmlids)
    if not wanted:
        return []
    rows = Data.search_read([("module", "in", sorted({m for m, _n in wanted})),
                             ("name", "in", sorted({n for _m, n in wanted})),
                             ("model", "not in", META_MODELS)],
                            ["module", "name", "model", "res_id", "noupdate"])
    return [row for row in rows if (row["module"], row["name"]) in wanted]


def load_data_translations(env: Environment, module: str,
                           xmlids: Iterable[tuple[str, str]] | None = None,
                           langs: Sequence[str] | None = None,
                           overwrite: bool | None = None) -> int:
    """Translate the records of a module's data files (``xmlids``: the
    (module, name) pairs its files loaded; None: every external id of the
    module). ``overwrite`` None follows noupdate; True/False forces it.
    Returns how many texts were written."""
    env = env(su=True)
    langs = target_languages(env, langs)
    if not langs:
        return 0
    groups: dict[str, dict[int, tuple[str | None, bool]]] = defaultdict(dict)
    for row in _entries(env, module, xmlids):
        model = env[row["model"]] if row["model"] in env else None
        if model is not None and (_translated_fields(model) or _line_fields(model)):
            groups[row["model"]][row["res_id"]] = (f"{row['module']}.{row['name']}",
                                                   bool(row["noupdate"]))
    _add_lines(env, groups)
    writer = _Writer(env)
    translators = {lang: Translator(lang, installed_modules(env)) for lang in langs}
    for model_name, records in groups.items():
        model = env[model_name].with_context(lang=SOURCE_LANG, active_test=False)
        fields = _translated_fields(model)
        if not fields:
            continue
        for record in model.browse(list(records)).exists():
            xmlid, noupdate = records[record.id]
            keep = (not noupdate) if overwrite is None else overwrite
            for field in fields:
                source = record[field.name]
                if not source:
                    continue
                contexts = ((f"{model_name},{field.name}:{xmlid}",) if xmlid else ()) + (
                    f"{model_name},{field.name}",)
                for lang, translator in translators.items():
                    text = translator.get(source, contexts, module)
                    if text != source:
                        writer.offer(record, field, lang, text, keep)
    return writer.write()


def _line_fields(model: Any) -> list[Any]:
    """The one2many fields of a model whose lines have translated texts."""
    env = model.env
    return [field for field in model._fields.values()
            if field.type == "one2many" and field.store is not False
            and field.comodel_name in env and _translated_fields(env[field.comodel_name])]


def _add_lines(env: Environment, groups: dict) -> None:
    """Add the one2many lines of the grouped records (one level) to the groups."""
    for model_name in list(groups):
        model = env[model_name].with_context(active_test=False)
        line_fields = _line_fields(model)
        if not line_fields:
            continue
        records = model.browse(list(groups[model_name])).exists()
        for field in line_fields:
            for record in records:
                noupdate = groups[model_name][record.id][1]
                for line_id in record[field.name].ids:
                    groups[field.comodel_name].setdefault(line_id, (None, noupdate))


# ---------------------------------------------------------------------------
# the meta models
# ---------------------------------------------------------------------------
def load_metadata_translations(env: Environment, addons: Mapping[str, Any] | None = None,
                               langs: Sequence[str] | None = None) -> int:
    """Translate ir.model, ir.model.fields and ir.module.module records
    (``addons``: {name: manifest} of the addons path, for the Apps page)."""
    env = env(su=True)
    langs = target_languages(env, langs)
    if not langs or "ir.model" not in env:
        return 0
    writer = _Writer(env)
    for lang in langs:
        translator = Translator(lang, installed_modules(env))
        _translate_models(env, translator, writer)
        if addons:
            _translate_modules(env, lang, addons, writer)
    return writer.write()


def _translate_models(env: Environment, translator: Translator, writer: _Writer) -> None:
    registry = env.registry
    IrModel = env["ir.model"].with_context(lang=SOURCE_LANG, active_test=False)  # noqa: N806
    name_field = IrModel._fields["name"]
    for record in IrModel.search([]):
        cls = registry.models.get(record.model)
        if cls is not None and record.name:
            text = translator.get(record.name, (record.model,), cls._module)
            writer.offer(record, name_field, translator.lang, text, True)
    IrFields = env["ir.model.fields"].with_context(lang=SOURCE_LANG)  # noqa: N806
    label, help_field = IrFields._fields["field_description"], IrFields._fields["help"]
    for record in IrFields.search([]):
        cls = registry.models.get(record.model)
        field = cls._fields.get(record.name) if cls is not None else None
        if field is None:
            continue
        contexts = (f"{record.model},{record.name}",)
        for target, source in ((label, record.field_description), (help_field, record.help)):
            if source:
                text = translator.get(source, contexts, field.module)
                writer.offer(record, target, translator.lang, text, True)


def _translate_modules(env: Environment, lang: str, addons: Mapping[str, Any],
                       writer: _Writer) -> None:
    Module = env["ir.module.module"].with_context(lang=SOURCE_LANG)  # noqa: N806
    merged = merged_catalog(lang, installed_modules(env))
    fields = [Module._fields[name] for name in ("shortdesc", "summary", "description")]
    for record in Module.search([]):
        manifest = addons.get(record.name)
        path = getattr(manifest, "path", None)
        own = load_module_catalog(lang, record.name, Path(path) if path else None)
        for field in fields:
            source = record[field.name]
            if source:
                text = _module_text(own, merged, source, f"ir.module.module,{field.name}")
                writer.offer(record, field, lang, text, True)


def _module_text(own: Catalog, merged: Catalog, source: str, context: str) -> str:
    return own.get(source, (context,)) or merged.get(source, (context,)) or source
