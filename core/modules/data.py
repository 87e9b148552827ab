"""Loading an addon's data files: XML records and CSV tables, with external ids.

    loader = DataLoader(env, "crm", mode="init")
    loader.load_file(Path("addons/crm/data/crm_stage_data.xml"))

XML follows Odoo's grammar, inside a ``<troika>`` (or ``<odoo>``) root::

    <troika>
      <data noupdate="1">
        <record id="stage_new" model="crm.stage">
          <field name="name">New</field>
          <field name="sequence" eval="1"/>
          <field name="team_id" ref="sales_team.team_sales"/>
          <field name="tag_ids" eval="[(6, 0, [ref('tag_vip')])]"/>
        </record>
        <menuitem id="menu_crm" name="CRM" action="crm_lead_action" sequence="10"/>
        <delete model="crm.stage" id="stage_obsolete"/>
        <function model="crm.lead" name="_demo_generate" eval="[60]"/>
      </data>
    </troika>

A CSV file is named after its model (``ir.model.access.csv``); its header
names fields, ``field:id`` columns hold external ids. Every record with an
id is registered in ``ir.model.data``; on update, records marked
``noupdate`` keep the values users gave them. An error names the file,
the line and what is wrong; the caller's transaction is then rolled back.
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from core.exceptions import UserError
from core.modules.safe_eval import literal_eval_with_refs
from core.orm.environment import Environment

ROOTS = ("troika", "odoo", "openerp")
#: extra tags other kernel parts handle (e.g. "workflow"): tag -> handler
TAG_HANDLERS: dict[str, Callable[[DataLoader, Any, bool], None]] = {}
_TRUE = ("1", "true", "True", "yes")
_FALSE = ("0", "false", "False", "no", "")


class DataError(UserError):
    """A data file that cannot be loaded: file, line and reason."""


class DataLoader:
    """Loads the data files of one module into an environment."""

    def __init__(self, env: Environment, module: str, mode: str = "init",
                 module_path: Path | None = None):
        if mode not in ("init", "update"):
            raise ValueError(f"mode must be 'init' or 'update', not {mode!r}")
        self.env = env
        self.module = module
        self.mode = mode
        self.module_path = module_path
        self.loaded_xmlids: set[tuple[str, str]] = set()
        self.current_file: Path | None = None
        #: (model, id) -> (file, line of its <record>, {field: line where its value
        #: starts}) of the records loaded from XML, for checks that report where
        #: a record came from (core.views validates the views of a module)
        self.sources: dict[tuple[str, int], tuple[Path, int, dict[str, int]]] = {}

    # -- external ids ----------------------------------------------------
    def split_xmlid(self, xmlid: str) -> tuple[str, str]:
        if "." in xmlid:
            module, name = xmlid.split(".", 1)
        else:
            module, name = self.module, xmlid
        if not module or not name:
            raise ValueError(f"invalid external id {xmlid!r}")
        return module, name

    def ref(self, xmlid: str) -> int:
        module, name = self.split_xmlid(xmlid)
        found = self.env["ir.model.data"]._xmlid_lookup(module, name)
        if not found:
            raise ValueError(f"external id {module}.{name} not found")
        return found[1]

    def ref_record(self, xmlid: str) -> Any:
        module, name = self.split_xmlid(xmlid)
        found = self.env["ir.model.data"]._xmlid_lookup(module, name)
        if not found:
            raise ValueError(f"external id {module}.{name} not found")
        return self.env[found[0]].browse(found[1])

    # -- files -----------------------------------------------------------
    def load_file(self, path: Path, noupdate: bool = False) -> None:
        """Load one file; ``noupdate`` is the default of its records (demo data)."""
        self.current_file = path
        if path.suffix == ".xml":
            self._load_xml(path, noupdate)
        elif path.suffix == ".csv":
            self._load_csv(path, noupdate)
        else:
            raise DataError(f"{path}: unsupported data file type {path.suffix!r}")
        try:
            self.env.transaction.flush()   # what the file wrote fails here, not later
        except DataError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the file
            raise self.fail(None, _describe(exc)) from exc

    def fail(self, line: int | None, message: str) -> DataError:
        where = f"{self.current_file}:{line}" if line else str(self.current_file)
        return DataError(f"{where}: {message}")

    def _load_xml(self, path: Path, noupdate: bool = False) -> None:
        parser = etree.XMLParser(remove_comments=True, resolve_entities=False,
                                 no_network=True, remove_pis=True)
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if hasattr(exc, "lineno") else None
            raise self.fail(line, f"invalid XML: {exc.msg}") from None
        if root.tag not in ROOTS and root.tag != "data":
            raise self.fail(root.sourceline, f"the root element must be <troika>, not "
                                             f"<{root.tag}>")
        self._walk(root, _flag(root.get("noupdate"), noupdate))

    def _walk(self, element: Any, noupdate: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            try:
                if child.tag == "data":
                    self._walk(child, _flag(child.get("noupdate"), noupdate))
                elif child.tag == "record":
                    self._tag_record(child, noupdate)
                elif child.tag == "menuitem":
                    self._tag_menuitem(child, noupdate, parent=None)
                elif child.tag == "delete":
                    self._tag_delete(child)
                elif child.tag == "function":
                    self._tag_function(child, noupdate)
                elif child.tag in TAG_HANDLERS:
                    TAG_HANDLERS[child.tag](self, child, noupdate)
                else:
                    raise ValueError(f"unknown element <{child.tag}>")
            except DataError:
                raise
            except Exception as exc:  # noqa: BLE001 - every cause is reported with its line
                raise self.fail(child.sourceline, _describe(exc)) from exc

    # -- <record> ----------------------------------------------------------
    def _tag_record(self, element: Any, noupdate: bool) -> Any:
        model_name = element.get("model")
        if not model_name:
            raise ValueError("<record> needs a model attribute")
        if model_name not in self.env:
            raise ValueError(f"unknown model {model_name!r}")
        model = self.env[model_name]
        values = {}
        lines: dict[str, int] = {}
        for field_el in element.iterchildren("field"):
            name = field_el.get("name")
            if not name:
                raise self.fail(field_el.sourceline, "<field> needs a name attribute")
            if name not in model._fields:
                raise self.fail(field_el.sourceline,
                                f"model {model_name!r} has no field {name!r}")
            try:
                values[name] = self._field_value(model, model._fields[name], field_el)
            except Exception as exc:  # noqa: BLE001 - reported with the field's line
                raise self.fail(field_el.sourceline,
                                f"field {name!r}: {_describe(exc)}") from exc
            first = next(field_el.iterchildren(etree.Element), None)
            lines[name] = first.sourceline if first is not None else field_el.sourceline
        record = self.upsert(model_name, element.get("id"), values, noupdate)
        if record:
            self.sources[(model_name, record.id)] = (self.current_file, element.sourceline,
                                                     lines)
        return record

    def _field_value(self, model: Any, field: Any, element: Any) -> Any:
        if element.get("ref") is not None:
            target = self.ref(element.get("ref"))
            if field.type in ("one2many", "many2many"):
                return [(6, 0, [target])]
            return target
        if element.get("eval") is not None:
            return literal_eval_with_refs(element.get("eval"), self.ref)
        if element.get("search") is not None:
            domain = literal_eval_with_refs(element.get("search"), self.ref)
            comodel = self.env[getattr(field, "comodel_name", model._name)]
            found = comodel.with_context(active_test=False).search(domain)
            if field.type == "many2one":
                return found[:1].id or False
            return [(6, 0, found.ids)]
        if element.get("file") is not None:
            if self.module_path is None:
                raise ValueError("file= needs the module's folder")
            target = (self.module_path / element.get("file")).resolve()
            if self.module_path.resolve() not in target.parents:
                raise ValueError(f"file {element.get('file')!r} is outside the addon")
            return base64.b64encode(target.read_bytes())
        kind = element.get("type")
        if kind in ("xml", "html"):
            parts = [etree.tostring(child, encoding="unicode") for child in element]
            return ((element.text or "") + "".join(parts)).strip()
        text = element.text or ""
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind in ("char", "base64"):
            return text
        return _convert_text(field, text, self)

    def upsert(self, model_name: str, xmlid: str | None, values: dict,
               noupdate: bool = False) -> Any:
        """Create or update the record of an external id (or create one without)."""
        model = self.env[model_name]
        if not xmlid:
            return model.create(values)
        module, name = self.split_xmlid(xmlid)
        self.loaded_xmlids.add((module, name))
        data = self.env["ir.model.data"]
        entry = data.search([("module", "=", module), ("name", "=", name)], limit=1)
        record = model.browse(entry.res_id).exists() if entry and entry.model == model_name \
            else model.browse()
        if entry and entry.model != model_name:
            raise ValueError(f"external id {module}.{name} belongs to a {entry.model} record, "
                             f"not {model_name}")
        if record:
            if not (self.mode == "update" and entry.noupdate):
                record.write(values)
                if entry.noupdate != noupdate:
                    entry.write({"noupdate": noupdate})
            return record
        if entry and entry.noupdate and self.mode == "update":
            return record  # deleted by a user: stays deleted
        record = model.create(values)
        if entry:
            entry.write({"res_id": record.id, "noupdate": noupdate})
        else:
            data.create({"module": module, "name": name, "model": model_name,
                         "res_id": record.id, "noupdate": noupdate})
        return record

    # -- <menuitem> ------------------------------------------------------------
    def _tag_menuitem(self, element: Any, noupdate: bool, parent: int | None) -> None:
        values: dict[str, Any] = {}
        if element.get("name"):
            values["name"] = element.get("name")
        if element.get("parent"):
            values["parent_id"] = self.ref(element.get("parent"))
        elif parent:
            values["parent_id"] = parent
        if element.get("sequence"):
            values["sequence"] = int(element.get("sequence"))
        if element.get("web_icon"):
            values["web_icon"] = element.get("web_icon")
        if element.get("action"):
            action = self.ref_record(element.get("action"))
            values.update(self.env["ir.ui.menu"]._menu_action_values(action))
            if "name" not in values:
                values["name"] = action.name
        if element.get("groups"):
            values["groups_id"] = [(6, 0, [self.ref(x.strip()) for x in
                                           element.get("groups").split(",") if x.strip()])]
        if "name" not in values:
            values["name"] = element.get("id")
        menu = self.upsert("ir.ui.menu", element.get("id"), values, noupdate)
        for child in element.iterchildren("menuitem"):
            self._tag_menuitem(child, noupdate, parent=menu.id)

    # -- <delete> ----------------------------------------------------------------
    def _tag_delete(self, element: Any) -> None:
        model_name = element.get("model")
        if not model_name:
            raise ValueError("<delete> needs a model attribute")
        if model_name not in self.env:
            raise ValueError(f"unknown model {model_name!r}")
        model = self.env[model_name]
        if element.get("id"):
            module, name = self.split_xmlid(element.get("id"))
            found = self.env["ir.model.data"]._xmlid_lookup(module, name)
            if found:
                if found[0] != model_name:
                    raise ValueError(f"external id {module}.{name} belongs to a {found[0]} "
                                     f"record, not {model_name}")
                records = model.browse(found[1]).exists()
            else:
                records = model.browse()
        elif element.get("search"):
            domain = literal_eval_with_refs(element.get("search"), self.ref)
            records = model.with_context(active_test=False).search(domain)
        else:
            raise ValueError("<delete> needs an id or a search attribute")
        records.unlink()
        Data = self.env["ir.model.data"]  # noqa: N806
        orphans = Data.search([("model", "=", model_name), ("res_id", "in", records.ids)])
        if element.get("id"):
            orphans |= Data.search([("module", "=", module), ("name", "=", name)])
        orphans.unlink()

    # -- <function> --------------------------------------------------------
    def _tag_function(self, element: Any, noupdate: bool) -> None:
        """Call ``model.name(*eval)`` in the loader's environment (Odoo's
        ``<function>``): data that code makes better than markup, such as demo
        records dated relative to today. The arguments are literals (and
        ``ref(...)``); like Odoo, an update skips the calls of noupdate data."""
        if noupdate and self.mode == "update":
            return
        model_name, method = element.get("model"), element.get("name") or ""
        if not model_name or not method:
            raise ValueError("<function> needs a model and a name attribute")
        if model_name not in self.env:
            raise ValueError(f"unknown model {model_name!r}")
        function = getattr(self.env[model_name], method, None) \
            if method.isidentifier() and not method.startswith("__") else None
        if not callable(function):
            raise ValueError(f"{model_name} has no method {method!r}")
        args = literal_eval_with_refs(element.get("eval") or "[]", self.ref)
        if not isinstance(args, (list, tuple)):
            raise ValueError("the eval of <function> must be a list of arguments")
        function(*args)

    # -- CSV ---------------------------------------------------------------------
    def _load_csv(self, path: Path, noupdate: bool = False) -> None:
        model_name = path.stem
        if model_name not in self.env:
            raise self.fail(None, f"the file name names no model ({model_name!r})")
        model = self.env[model_name]
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader)
            except StopIteration:
                return
            columns = [self._csv_column(model, title.strip(), reader.line_num)
                       for title in header]
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                line = reader.line_num
                if len(row) != len(columns):
                    raise self.fail(line, f"{len(row)} values for {len(columns)} columns")
                try:
                    values, xmlid = {}, None
                    for (name, is_ref), cell in zip(columns, row, strict=True):
                        if name == "id":
                            xmlid = cell.strip() or None
                            continue
                        try:
                            if is_ref:
                                values[name] = self._csv_refs(model._fields[name], cell)
                            else:
                                values[name] = _convert_text(model._fields[name], cell, self)
                        except Exception as exc:  # noqa: BLE001 - reported with the column
                            raise ValueError(f"column {name!r}: {_describe(exc)}") from exc
                    self.upsert(model_name, xmlid, values, noupdate=noupdate)
                except DataError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    raise self.fail(line, _describe(exc)) from exc

    def _csv_column(self, model: Any, title: str, line: int) -> tuple[str, bool]:
        if title == "id":
            return "id", False
        for suffix in (":id", "/id"):
            if title.endswith(suffix):
                name = title[: -len(suffix)]
                if name not in model._fields:
                    raise self.fail(line, f"model {model._name!r} has no field {name!r}")
                return name, True
        if title not in model._fields:
            raise self.fail(line, f"model {model._name!r} has no field {title!r}")
        return title, False

    def _csv_refs(self, field: Any, cell: str) -> Any:
        refs = [part.strip() for part in cell.split(",") if part.strip()]
        if field.type in ("one2many", "many2many"):
            return [(6, 0, [self.ref(x) for x in refs])]
        if len(refs) > 1:
            raise ValueError(f"field {field.name!r} takes one external id, not {cell!r}")
        return self.ref(refs[0]) if refs else False


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip() in _TRUE


def _convert_text(field: Any, text: str, loader: DataLoader) -> Any:
    """A value written as plain text, converted to the field's type."""
    kind = field.type
    if kind == "boolean":
        if text.strip() in _TRUE:
            return True
        if text.strip() in _FALSE:
            return False
        raise ValueError(f"{text!r} is not a boolean (use 1/0 or True/False)")
    if kind == "integer":
        return int(text) if text.strip() else False
    if kind in ("float", "monetary"):
        return float(text) if text.strip() else False
    if kind == "many2one":
        return loader.ref(text.strip()) if text.strip() else False
    if kind in ("one2many", "many2many"):
        raise ValueError("a one2many or many2many field needs eval, ref or search, not text")
    return text


def _describe(exc: Exception) -> str:
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return message or type(exc).__name__
