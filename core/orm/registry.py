"""The registry: model classes of all addons composed into one class per model.

Composition is an explicit step, not a side effect of class definition:

    registry = Registry()
    registry.add(Partner, module="base")             # defines res.partner
    registry.add(PartnerCrm, module="crm")           # _inherit = "res.partner"
    registry.setup()                                 # compose, set up fields, tables
    registry["res.partner"]                          # the composed class

For every model the declarations are stacked in load order: the class
built for ``res.partner`` has ``PartnerCrm`` before ``Partner`` in its MRO,
so an extension's ``super()`` reaches the definition it extends; models
named in ``_inherit`` (mixins) come after them. Fields declared several
times are merged: an extension can change one attribute of a field.

The registry also knows the dependencies between fields (``@api.depends``)
and, given the records whose fields changed, finds the records whose
computed fields must be recomputed (``modified``).
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from core.exceptions import ValidationError
from core.orm.environment import readable_integrity_error
from core.orm.fields import Field, NewId
from core.orm.models import BaseModel

_SQL_CONSTRAINT = re.compile(r"^\s*(unique|check)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)


class Registry:
    """All models of one database, composed from the installed addons."""

    def __init__(self) -> None:
        self.declarations: dict[str, list[type]] = {}
        self.modules_of: dict[str, list[str]] = defaultdict(list)
        self.models: dict[str, type[BaseModel]] = {}
        self.metadata = sa.MetaData()
        self.triggers: dict[Field, list[tuple[Field, str]]] = defaultdict(list)
        self.field_computed_together: dict[Field, tuple[Field, ...]] = {}
        self.constraint_messages: dict[str, str] = {}
        self.unique_messages: dict[tuple[str, tuple], str] = {}
        self._referencing: dict[str, list[Field]] = defaultdict(list)
        self._relations: dict[str, list[Field]] = defaultdict(list)
        self._tables: dict[str, str] = {}
        self._trigger_names: dict[str, set[str]] = defaultdict(set)
        #: many2one field -> the one2many fields it is the inverse of
        self.inverse_one2many: dict[Field, list[Field]] = defaultdict(list)
        #: model -> trigger names of its workflow, for generated trigger methods
        self.workflow_triggers: dict[str, set[str]] = {}
        #: fields whose changes matter to other fields (triggers or inverses)
        self.dependent_fields: frozenset[Field] = frozenset()
        #: (model, dotted path) -> whether its last step is a many2one
        self._path_kinds: dict[tuple[str, str], bool] = {}

    # -- declarations ----------------------------------------------------
    def add(self, cls: type, module: str | None = None) -> None:
        """Add one declaration class (a new model or an extension)."""
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            raise TypeError(f"{cls!r} is not a model class")
        own = vars(cls)
        inherit = own.get("_inherit")
        parents = [inherit] if isinstance(inherit, str) else list(inherit or [])
        name = own.get("_name") or (parents[0] if len(parents) == 1 else None)
        if not name:
            raise TypeError(f"Model class {cls.__qualname__} needs a _name "
                            "(or a single _inherit to extend a model)")
        if name not in self.declarations and name in parents:
            raise TypeError(f"Model class {cls.__qualname__} extends {name!r}, "
                            "which no loaded addon defines")
        cls._declared_name = name
        cls._declared_module = module
        self.declarations.setdefault(name, []).append(cls)
        if module:
            self.modules_of[name].append(module)

    def __getitem__(self, name: str) -> type[BaseModel]:
        return self.models[name]

    def __contains__(self, name: object) -> bool:
        return name in self.models

    # -- set-up ----------------------------------------------------------
    def setup(self) -> None:
        """Compose the classes, set up fields, dependencies and tables."""
        self.models.clear()
        building: set[str] = set()
        for name in self.declarations:
            self._build(name, building)
        for cls in self.models.values():
            self._setup_fields(cls)
        for cls in self.models.values():
            for field in cls._fields.values():
                if field.related:
                    self._setup_related(cls, field)
        for cls in self.models.values():
            self._setup_methods(cls)
        for cls in self.models.values():
            self._setup_dependencies(cls)
        for cls in self.models.values():
            if not cls._abstract:
                self._build_table(cls)
        for cls in self.models.values():
            if not cls._abstract:
                self._build_relations(cls)
        self.dependent_fields = frozenset(self.triggers) | frozenset(self.inverse_one2many)

    def _build(self, name: str, building: set[str]) -> type[BaseModel]:
        if name in self.models:
            return self.models[name]
        if name in building:
            raise TypeError(f"Model {name!r} inherits from itself through its mixins")
        if name not in self.declarations:
            raise TypeError(f"Unknown model {name!r} in an _inherit")
        building.add(name)
        decls = self.declarations[name]
        parents: list[str] = []
        for decl in decls:
            inherit = vars(decl).get("_inherit")
            for parent in [inherit] if isinstance(inherit, str) else list(inherit or []):
                if parent != name and parent not in parents:
                    parents.append(parent)
        mixins = [self._build(parent, building) for parent in parents]
        first = decls[0]
        attrs = {
            "_name": name, "_final": True, "__slots__": (),
            "_abstract": first._abstract, "_transient": first._transient,
            "_module": (self.modules_of.get(name) or [None])[0],
            "__module__": first.__module__,
        }
        bases = tuple(reversed(decls)) + tuple(mixins)
        if self.workflow_triggers.get(name):
            bases += (_trigger_methods(name, self.workflow_triggers[name]),)
        try:
            cls = type(name.replace(".", "_"), bases, attrs)
        except TypeError as exc:
            raise TypeError(f"Cannot compose model {name!r}: {exc}") from None
        cls._description = cls._description or name
        cls._table = None if cls._abstract else (vars(first).get("_table")
                                                 or name.replace(".", "_"))
        building.discard(name)
        self.models[name] = cls
        return cls

    def _setup_fields(self, cls: type[BaseModel]) -> None:
        definitions: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            if vars(klass).get("_final") and klass is not cls:
                continue
            for name, value in vars(klass).items():
                if not isinstance(value, Field):
                    continue
                previous = definitions.get(name)
                if previous is not None and type(previous) is type(value):
                    merged = dict(previous.args)
                    adds = list(merged.pop("_selection_adds", []))
                    new_args = dict(value.args)
                    if "selection_add" in new_args:
                        adds.append(new_args.pop("selection_add"))
                    merged.update(new_args)
                    if adds:
                        merged["_selection_adds"] = adds
                    field = copy.copy(value)
                    field.args = merged
                else:
                    field = copy.copy(value)
                    field.args = dict(value.args)
                field.module = (previous.module if previous is not None
                                else vars(klass).get("_declared_module"))
                definitions[name] = field
        if not cls._log_access:
            for magic in ("create_date", "write_date"):
                definitions.pop(magic, None)
        elif "res.users" in self.declarations:
            from core.orm.fields_relational import Many2one

            for magic, label in (("create_uid", "Created by"), ("write_uid", "Last Updated by")):
                definitions.setdefault(magic, Many2one("res.users", label, readonly=True,
                                                       ondelete="set null", index=False))
        else:
            from core.orm.fields import Integer

            for magic, label in (("create_uid", "Created by"), ("write_uid", "Last Updated by")):
                definitions.setdefault(magic, Integer(label, readonly=True))
        fields_map: dict[str, Field] = {}
        for name, field in definitions.items():
            field.setup(cls, name)
            setattr(cls, name, field)
            fields_map[name] = field
        cls._fields = fields_map
        if cls._rec_name is None and "name" in fields_map:
            cls._rec_name = "name"
        if cls._active_name is None and "active" in fields_map:
            cls._active_name = "active"

    def _setup_related(self, cls: type[BaseModel], field: Field) -> None:
        path = field.related.split(".")
        model = cls
        target: Field | None = None
        for index, step in enumerate(path):
            target = model._fields.get(step)
            if target is None:
                raise TypeError(f"Related field {field} ({field.related}): "
                                f"no field {step!r} on {model._name}")
            if index < len(path) - 1:
                if not hasattr(target, "comodel_name"):
                    raise TypeError(f"Related field {field} ({field.related}): "
                                    f"{step!r} is not relational")
                if target.related and not getattr(target, "comodel_name", None):
                    self._setup_related(model, target)
                model = self.models[target.comodel_name]
        assert target is not None
        if target.related and target is not field:
            self._setup_related(model, target)
        if type(target) is not type(field):
            raise TypeError(f"Related field {field} is a {field.type} but "
                            f"{field.related} is a {target.type}")
        for attr in ("comodel_name", "selection", "digits", "currency_field", "size",
                     "translate"):
            if hasattr(target, attr) and attr not in field.args:
                setattr(field, attr, getattr(target, attr))
        if "string" not in field.args:
            field.string = target.string
        if field.type == "many2many":
            field.relation, field.column1, field.column2 = (
                target.relation, target.column1, target.column2)
        field.compute = lambda records, f=field: records._compute_related(f)
        field.compute_sudo = field.args.get("compute_sudo", True)
        field.depends = (field.related,)
        if not field.store and getattr(target, "translate", False):
            field.depends_context = ("lang",)  # the text of the reader's language
        if not field.readonly or field.args.get("readonly") is False:
            field.inverse = lambda records, f=field: records._inverse_related(f)
        field.search_method = None
        field.copy = field.args.get("copy", False)

    def _setup_methods(self, cls: type[BaseModel]) -> None:
        constraints = []
        onchanges: dict[str, list[str]] = defaultdict(list)
        seen: set[str] = set()
        for klass in cls.__mro__:
            for attr, value in vars(klass).items():
                if attr in seen or not callable(value):
                    continue
                if hasattr(value, "_constrains") or hasattr(value, "_onchange"):
                    seen.add(attr)
                    final = getattr(cls, attr)
                    if hasattr(final, "_constrains"):
                        names = tuple(final._constrains)
                        unknown = [n for n in names if n not in cls._fields]
                        if unknown:
                            raise TypeError(f"@api.constrains on {cls._name}.{attr} names "
                                            f"unknown fields {unknown}")
                        constraints.append((attr, names))
                    for name in getattr(final, "_onchange", ()):
                        onchanges[name].append(attr)
        cls._constraint_methods = tuple(constraints)
        cls._onchange_methods = dict(onchanges)

    def _setup_dependencies(self, cls: type[BaseModel]) -> None:
        by_method: dict[Any, list[Field]] = defaultdict(list)
        for field in cls._fields.values():
            if not field.compute or field.related:
                if field.related:
                    self._add_triggers(cls, field, field.depends)
                continue
            method = field.compute
            if isinstance(method, str):
                func = getattr(cls, method, None)
                if func is None:
                    raise TypeError(f"Field {field}: no compute method {method!r}")
            else:
                func = method
            depends = []
            for dep in getattr(func, "_depends", ()):
                depends.extend(dep(cls) if callable(dep) else [dep])
            field.depends = tuple(depends)
            if not field.store:
                field.depends_context = tuple(getattr(func, "_depends_context", ()))
            self._add_triggers(cls, field, field.depends)
            by_method[method].append(field)
        for group in by_method.values():
            for field in group:
                self.field_computed_together[field] = tuple(group)

    def _add_triggers(self, cls: type[BaseModel], field: Field, depends: Iterable[str]) -> None:
        for dep in depends:
            model = cls
            steps = dep.split(".")
            for index, step in enumerate(steps):
                dep_field = model._fields.get(step)
                if dep_field is None:
                    raise TypeError(f"Field {field} depends on {dep!r}: "
                                    f"no field {step!r} on {model._name}")
                path = ".".join(steps[:index])
                self.triggers[dep_field].append((field, path))
                self._trigger_names[model._name].add(step)
                if dep_field.type == "one2many" and index < len(steps):
                    # a line moving to another owner changes both owners' lines
                    comodel = self.models[dep_field.comodel_name]
                    inverse = comodel._fields.get(dep_field.inverse_name)
                    if inverse is not None:
                        self.triggers[inverse].append((field, ".".join(steps[:index + 1])))
                        self._trigger_names[comodel._name].add(inverse.name)
                if dep_field.type == "many2many" and dep_field.store:
                    # links written from the other side of the relation change this side
                    comodel = self.models[dep_field.comodel_name]
                    for other in comodel._fields.values():
                        if (other is not dep_field and other.type == "many2many" and other.store
                                and other.relation == dep_field.relation
                                and other.comodel_name == dep_field.model_name
                                and other.column1 == dep_field.column2):
                            self.triggers[other].append((field, ".".join(steps[:index + 1])))
                            self._trigger_names[comodel._name].add(other.name)
                if index < len(steps) - 1:
                    if not hasattr(dep_field, "comodel_name"):
                        raise TypeError(f"Field {field} depends on {dep!r}: "
                                        f"{step!r} is not relational")
                    model = self.models[dep_field.comodel_name]

    # -- tables ------------------------------------------------------------
    def _build_table(self, cls: type[BaseModel]) -> None:
        columns: list[Any] = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)]
        for field in cls._fields.values():
            if not field.column_backed:
                continue
            if field.type == "many2one":
                comodel = self.models.get(field.comodel_name)
                if comodel is None:
                    raise TypeError(f"Field {field} refers to unknown model "
                                    f"{field.comodel_name!r}")
                if comodel._abstract:
                    raise TypeError(f"Field {field} refers to abstract model "
                                    f"{field.comodel_name!r}")
                columns.append(field.column(comodel._table))
                self._referencing[field.comodel_name].append(field)
            else:
                columns.append(field.column())
        constraints = []
        for name, definition, message in cls._sql_constraints:
            match = _SQL_CONSTRAINT.match(definition)
            if not match:
                raise TypeError(f"{cls._name}: unsupported SQL constraint {definition!r}; "
                                "use unique(...) or check(...)")
            full = f"{cls._table}_{name}"
            kind, body = match.group(1).lower(), match.group(2)
            if kind == "unique":
                names = [part.strip() for part in body.split(",")]
                constraints.append(sa.UniqueConstraint(*names, name=full))
                self.unique_messages[(cls._table, tuple(sorted(names)))] = message
            else:
                constraints.append(sa.CheckConstraint(sa.text(body), name=full))
            self.constraint_messages[full] = message
        if cls._table in self.metadata.tables:
            raise TypeError(f"Two models use the table {cls._table!r}")
        # sqlite_autoincrement: as PostgreSQL's sequences, never reuse the id of
        # a deleted record (references by model and id would find a stranger)
        cls._table_obj = sa.Table(cls._table, self.metadata, *columns, *constraints,
                                  sqlite_autoincrement=True)
        self._tables[cls._table] = cls._name

    def _build_relations(self, cls: type[BaseModel]) -> None:
        for field in cls._fields.values():
            if field.type == "one2many" and field.store:
                comodel = self.models.get(field.comodel_name)
                if comodel is None or field.inverse_name not in comodel._fields:
                    raise TypeError(f"One2many {field}: no field {field.inverse_name!r} on "
                                    f"{field.comodel_name!r}")
                self._referencing[field.comodel_name].append(field)
                self.inverse_one2many[comodel._fields[field.inverse_name]].append(field)
            elif field.type == "many2many" and field.store:
                comodel = self.models.get(field.comodel_name)
                if comodel is None:
                    raise TypeError(f"Field {field} refers to unknown model "
                                    f"{field.comodel_name!r}")
                field.relation_table(self.metadata, cls._table, comodel._table)
                self._relations[field.relation].append(field)
                self._referencing[field.comodel_name].append(field)
                self._tables.setdefault(field.relation, cls._name)

    # -- queries about the composed models --------------------------------
    def referencing_fields(self, model_name: str) -> list[Field]:
        """Stored relational fields pointing at ``model_name``."""
        return self._referencing.get(model_name, [])

    def fields_on_relation(self, relation: str) -> list[Field]:
        return self._relations.get(relation, [])

    def trigger_names(self, model_name: str) -> set[str]:
        return self._trigger_names.get(model_name, set())

    def model_of_table(self, table: str) -> type[BaseModel] | None:
        name = self._tables.get(table)
        return self.models.get(name) if name else None

    # -- dependencies -------------------------------------------------------
    def modified(self, records: BaseModel, names: Iterable[str], before: bool = False,
                 create: bool = False) -> None:
        """Fields ``names`` of ``records`` change: mark what depends on them.

        Called before the change (``before=True``, to reach the records that
        depend on the old values through relations) and after it.
        """
        if not records._ids:
            return
        triggers = self.triggers
        fields_map = records._fields
        tx = records.env.transaction
        inverse_one2many = self.inverse_one2many
        # the records reached through a path, looked up once per path: several
        # fields of one model often depend on the same relation (amounts of an
        # order on its lines)
        reached: dict[tuple[str, str], tuple] = {}
        for name in names:
            field = fields_map.get(name)
            if field is None:
                continue
            if field in inverse_one2many:
                for one2many in inverse_one2many[field]:
                    tx.cache.pop(one2many, None)
            for target, path in triggers.get(field, ()):
                if before and not path:
                    continue
                if create and not path and target.model_name == records._name:
                    continue  # new records compute everything anyway
                if create and path and self._ends_with_many2one(target.model_name, path):
                    continue  # upon creation, no record holds a many2one to the new ones
                if not path:
                    targets = records._ids
                else:
                    key = (target.model_name, path)
                    if key not in reached:
                        reached[key] = self._inverse_path(records, target, path)
                    targets = reached[key]
                if not targets:
                    continue
                if target.store:
                    if not before:
                        tx.add_tasks(target, [i for i in targets if not isinstance(i, NewId)])
                    else:
                        tx.add_tasks(target, targets)
                else:
                    cache = tx.cache.get(target)
                    if cache:
                        if path:
                            tx.cache.pop(target, None)
                        else:
                            for id_ in targets:
                                cache.pop(id_, None)
                    # what depends on a non-stored field depends on its dependencies
                    target_records = records.env[target.model_name].browse(targets)
                    if target.name in self._trigger_names.get(target.model_name, ()):
                        self.modified(target_records, (target.name,), before=before)

    def _ends_with_many2one(self, model_name: str, path: str) -> bool:
        """Whether the last step of ``path`` (from ``model_name``) is a many2one."""
        key = (model_name, path)
        known = self._path_kinds.get(key)
        if known is None:
            field = None
            for name in path.split("."):
                model_fields = self.models[model_name]._fields if model_name in self.models \
                    else {}
                field = model_fields.get(name)
                if field is None:
                    break
                model_name = getattr(field, "comodel_name", None) or model_name
            known = self._path_kinds[key] = bool(field is not None and
                                                 field.type == "many2one")
        return known

    def _inverse_path(self, records: BaseModel, target: Field, path: str) -> tuple:
        ids = [i for i in records._ids if isinstance(i, int)]
        if not ids:
            return ()
        tx = records.env.transaction
        if tx.towrite:
            tx.flush_writes()
        # as superuser: records hidden from the user still need recomputing
        model = records.env[target.model_name].sudo().with_context(active_test=False)
        stmt = model._select_ids([(path, "in", ids)])
        return tuple(tx.execute(stmt).scalars().all())

    # -- errors -------------------------------------------------------------
    def integrity_error(self, exc: sa.exc.IntegrityError) -> ValidationError:
        return readable_integrity_error(self, exc)

    def table_of_error(self, exc: sa.exc.IntegrityError) -> str | None:
        diag = getattr(exc.orig, "diag", None)
        table = getattr(diag, "table_name", None)
        if table:
            return table
        match = re.search(r"constraint failed: (\w+)\.", str(exc.orig))
        return match.group(1) if match else None


def _trigger_methods(model_name: str, triggers: set[str]) -> type:
    """A class of one method per workflow trigger, last in the model's MRO:
    ``record.action_approve()`` works, and a model defining ``action_approve``
    itself reaches it with ``super()``."""

    def make(trigger: str):
        def method(self, **kwargs):
            return self.workflow_trigger(trigger, **kwargs)

        method.__name__ = trigger
        method.__doc__ = f"Workflow action {trigger} of {model_name}."
        return method

    namespace = {trigger: make(trigger) for trigger in sorted(triggers)}
    return type(f"{model_name.replace('.', '_')}_workflow_triggers", (), namespace)
