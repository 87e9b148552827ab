"""Models and record sets.

A model class declares fields and methods; the registry composes the
classes of all addons into one class per model (see ``registry.py``).
An instance of that class is a *record set*: an environment, a tuple of
ids and the ids to prefetch with them. Record sets are immutable.

    partners = env["res.partner"].search([("is_company", "=", True)], limit=10)
    for partner in partners:              # records of one id each
        print(partner.name, partner.country_id.code)
    partners.write({"active": False})     # one UPDATE for all ten
    germans = partners.filtered(lambda p: p.country_id.code == "DE")

Create, write and unlink run all or nothing (a savepoint around the
outermost call); constraints run before the savepoint is released.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from core import api
from core.exceptions import MissingError, UserError, ValidationError
from core.i18n.translate import _, field_string
from core.orm import commands, fields
from core.orm import domain as dom
from core.orm.environment import Environment, chunks
from core.orm.fields import Field, NewId
from core.orm.forms import FormsMixin
from core.orm.load import LoadMixin
from core.orm.reading import ReadMixin
from core.orm.search import SearchMixin
from core.orm.sql import insert_rows
from core.orm.view_methods import ViewMethodsMixin
from core.security import access
from core.workflow import automation
from core.workflow import engine as workflow
from core.workflow.mixin import WorkflowMixin

_MAGIC = ("id", "create_uid", "create_date", "write_uid", "write_date")


class BaseModel(SearchMixin, ReadMixin, FormsMixin, WorkflowMixin, ViewMethodsMixin,
                LoadMixin):
    """The record-set behaviour shared by every model."""

    _name: str | None = None
    _inherit: str | list[str] | None = None
    _description: str | None = None
    _order = "id"
    _rec_name: str | None = None
    _table: str | None = None
    _sql_constraints: list[tuple[str, str, str]] = []
    _abstract = True
    _transient = False
    _log_access = True
    _parent_name = "parent_id"
    _active_name: str | None = None
    _transient_max_hours = 1.0

    # set on the composed class by the registry
    _fields: dict[str, Field] = {}
    _table_obj: sa.Table = None  # type: ignore[assignment]
    _constraint_methods: tuple = ()
    _onchange_methods: dict = {}
    _module: str | None = None

    id = fields.Id()
    display_name = fields.Char("Display Name", compute="_compute_display_name")
    create_date = fields.Datetime("Created on", readonly=True)
    write_date = fields.Datetime("Last Updated on", readonly=True)

    __slots__ = ("env", "_ids", "_prefetch_ids")

    def __init__(self, env: Environment, ids: tuple, prefetch_ids: Iterable = ()):
        self.env = env
        self._ids = ids
        self._prefetch_ids = prefetch_ids

    @classmethod
    def _browse(cls, env: Environment, ids: tuple, prefetch_ids: Iterable) -> BaseModel:
        records = object.__new__(cls)
        records.env = env
        records._ids = ids
        records._prefetch_ids = prefetch_ids
        return records

    # ------------------------------------------------------------------
    # record-set basics
    # ------------------------------------------------------------------
    @property
    def ids(self) -> list:
        return [i for i in self._ids if isinstance(i, int)]

    def browse(self, ids: Any = ()) -> BaseModel:
        if isinstance(ids, (int, NewId)) and not isinstance(ids, bool):
            ids = (ids,)
        elif not ids:
            ids = ()
        else:
            ids = tuple(ids)
        return self._browse(self.env, ids, ids)

    def __iter__(self) -> Iterator[BaseModel]:
        cls, env, prefetch = type(self), self.env, self._prefetch_ids
        if len(self._ids) > 1 and prefetch is self._ids:
            prefetch = self._ids
        for id_ in self._ids:
            yield cls._browse(env, (id_,), prefetch)

    def __reversed__(self) -> Iterator[BaseModel]:
        for id_ in reversed(self._ids):
            yield self._browse(self.env, (id_,), self._prefetch_ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __contains__(self, item: Any) -> bool:
        if isinstance(item, BaseModel):
            if item._name != self._name:
                raise TypeError(f"Mixing {self._name} and {item._name} in 'in'")
            return len(item) == 1 and item._ids[0] in self._ids
        if isinstance(item, str):
            return item in self._fields
        raise TypeError(f"Unsupported operand for 'in': {item!r}")

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key not in self._fields:
                raise KeyError(f"Invalid field {key!r} on model {self._name!r}")
            return getattr(self, key)
        if isinstance(key, slice):
            ids = self._ids[key]
            return self._browse(self.env, ids, self._prefetch_ids)
        return self._browse(self.env, (self._ids[key],), self._prefetch_ids)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self._fields:
            raise KeyError(f"Invalid field {key!r} on model {self._name!r}")
        setattr(self, key, value)

    def _check_same(self, other: Any, op: str) -> None:
        if not isinstance(other, BaseModel) or other._name != self._name:
            raise TypeError(f"Unsupported operand types for {op}: "
                            f"{self._name} and {getattr(other, '_name', type(other).__name__)}")

    def __or__(self, other: BaseModel) -> BaseModel:
        self._check_same(other, "|")
        ids = tuple(dict.fromkeys(self._ids + other._ids))
        return self._browse(self.env, ids, ids)

    def __and__(self, other: BaseModel) -> BaseModel:
        self._check_same(other, "&")
        others = set(other._ids)
        ids = tuple(dict.fromkeys(i for i in self._ids if i in others))
        return self._browse(self.env, ids, ids)

    def __sub__(self, other: BaseModel) -> BaseModel:
        self._check_same(other, "-")
        others = set(other._ids)
        ids = tuple(i for i in self._ids if i not in others)
        return self._browse(self.env, ids, ids)

    def __add__(self, other: BaseModel) -> BaseModel:
        self._check_same(other, "+")
        ids = self._ids + other._ids
        return self._browse(self.env, ids, ids)

    def union(self, *others: BaseModel) -> BaseModel:
        result = self
        for other in others:
            result = result | other
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return self._name == other._name and set(self._ids) == set(other._ids)

    def __lt__(self, other: BaseModel) -> bool:
        self._check_same(other, "<")
        return set(self._ids) < set(other._ids)

    def __le__(self, other: BaseModel) -> bool:
        self._check_same(other, "<=")
        return set(self._ids) <= set(other._ids)

    def __gt__(self, other: BaseModel) -> bool:
        self._check_same(other, ">")
        return set(self._ids) > set(other._ids)

    def __ge__(self, other: BaseModel) -> bool:
        self._check_same(other, ">=")
        return set(self._ids) >= set(other._ids)

    def __hash__(self) -> int:
        return hash((self._name, frozenset(self._ids)))

    def __repr__(self) -> str:
        inner = ", ".join(repr(i) for i in self._ids)
        return f"{self._name}({inner}{',' if len(self._ids) == 1 else ''})"

    def ensure_one(self) -> BaseModel:
        if len(self._ids) != 1:
            raise ValueError(f"Expected singleton: {self!r}")
        return self

    def exists(self) -> BaseModel:
        """The records of this set that are still in the database."""
        ids = [i for i in self._ids if isinstance(i, int)]
        if not ids:
            return self.browse([i for i in self._ids if isinstance(i, NewId)])
        table = self._table_obj
        found: set = set()
        for chunk in chunks(ids):
            found.update(self.env.transaction.execute(
                sa.select(table.c.id).where(table.c.id.in_(chunk))).scalars())
        return self.browse([i for i in self._ids if i in found or isinstance(i, NewId)])

    # ------------------------------------------------------------------
    # environment switches
    # ------------------------------------------------------------------
    def with_env(self, env: Environment) -> BaseModel:
        return self._browse(env, self._ids, self._prefetch_ids)

    def with_context(self, *args: dict, **kwargs: Any) -> BaseModel:
        context = dict(args[0] if args else self.env.context, **kwargs)
        if "allowed_company_ids" not in context and "allowed_company_ids" in self.env.context:
            # as Odoo: a replaced context keeps the companies the user works in
            context["allowed_company_ids"] = self.env.context["allowed_company_ids"]
        return self.with_env(self.env(context=context))

    def with_user(self, user: Any) -> BaseModel:
        uid = user.id if isinstance(user, BaseModel) else user
        return self.with_env(self.env(user=uid, su=False))

    def sudo(self, flag: bool = True) -> BaseModel:
        return self.with_env(self.env(su=flag))

    def with_company(self, company: Any) -> BaseModel:
        company_id = company.id if isinstance(company, BaseModel) else company
        allowed = [company_id] + [c for c in self.env.context.get("allowed_company_ids", [])
                                  if c != company_id]
        return self.with_context(allowed_company_ids=allowed)

    # ------------------------------------------------------------------
    # functional helpers
    # ------------------------------------------------------------------
    def mapped(self, func: str | Callable) -> Any:
        if not func:
            return self
        if isinstance(func, str):
            records = self
            for name in func.split("."):
                field = records._fields.get(name)
                if field is None:
                    raise KeyError(f"Invalid field {name!r} on model {records._name!r}")
                if field.type in ("many2one", "one2many", "many2many"):
                    ids: dict = {}
                    for record in records:
                        ids.update(dict.fromkeys(record[name]._ids))
                    comodel = records.env[field.comodel_name]
                    records = comodel.browse(tuple(ids))
                else:
                    return [record[name] for record in records]
            return records
        if not self:
            # as Odoo: the function tells the model of the (empty) result
            value = func(self)
            return value if isinstance(value, BaseModel) else []
        values = [func(record) for record in self]
        if all(isinstance(v, BaseModel) for v in values):
            ids = dict.fromkeys(id_ for value in values for id_ in value._ids)
            return values[0].browse(tuple(ids))
        return values

    def filtered(self, func: str | Callable) -> BaseModel:
        if isinstance(func, str):
            path = func
            func = lambda record: any(record.mapped(path))  # noqa: E731
        return self.browse([record._ids[0] for record in self if func(record)])

    def filtered_domain(self, domain: Sequence) -> BaseModel:
        tree = dom.parse(domain)
        return self.browse([record._ids[0] for record in self if dom.evaluate(record, tree)])

    def sorted(self, key: str | Callable | None = None, reverse: bool = False) -> BaseModel:
        if key is None:
            if not self.ids:
                return self
            ordered = self.with_context(active_test=False).search(
                [("id", "in", self.ids)]).ids
            if reverse:
                ordered.reverse()
            return self.browse(ordered)
        if isinstance(key, str):
            names = [part.strip().split()[0] for part in key.split(",")]
            descending = [part.strip().lower().endswith(" desc") for part in key.split(",")]
            records = list(self)
            for name, desc in reversed(list(zip(names, descending, strict=True))):
                records.sort(key=lambda r, n=name: _sort_key(r[n]), reverse=desc != reverse)
            return self.browse([r._ids[0] for r in records])
        return self.browse([r._ids[0] for r in sorted(self, key=key, reverse=reverse)])

    def grouped(self, key: str | Callable) -> dict:
        result: dict = defaultdict(list)
        for record in self:
            result[record[key] if isinstance(key, str) else key(record)].append(record._ids[0])
        return {k: self.browse(v) for k, v in result.items()}

    # ------------------------------------------------------------------
    # display name
    # ------------------------------------------------------------------
    @api.depends(lambda self: (self._rec_name,) if self._rec_name else ())
    @api.depends_context("lang")
    def _compute_display_name(self) -> None:
        name = self._rec_name
        for record in self:
            value = record[name] if name else False
            if isinstance(value, BaseModel):
                value = value.display_name
            record.display_name = value or f"{self._name},{record.id}"

    def _display_name_domain(self, operator: str, value: Any) -> list:
        if not self._rec_name:
            raise ValueError(f"Model {self._name} has no name field to search on")
        return [(self._rec_name, operator, value)]

    # ------------------------------------------------------------------
    # creating
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list: dict | list[dict]) -> BaseModel:
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        if not vals_list:
            return self.browse()
        with self.env.transaction.atomic():
            return self._create(vals_list)

    def _create(self, vals_list: list[dict]) -> BaseModel:
        if self._abstract:
            raise UserError(f"Model {self._name} is abstract and has no records")
        env = self.env
        tx = env.transaction
        if access.enabled(env):
            access.check_rights(self, "create")
            access.check_fields(self, {name for vals in vals_list for name in vals}, "create")
        vals_list = workflow.prepare_create(self, vals_list)
        vals_list = self._add_defaults(vals_list)
        column_fields = [f for f in self._fields.values() if f.column_backed]
        required = [f for f in column_fields if f.required and not f.compute]
        fields_map = self._fields
        other_names: dict[str, Field] = {}
        blank = dict.fromkeys(f.name for f in column_fields)
        if self._log_access:
            now = fields.Datetime.now()
            blank.update(create_uid=env.uid, write_uid=env.uid, create_date=now, write_date=now)
        rows = []
        for vals in vals_list:
            row = blank.copy()
            for name, value in vals.items():
                field = fields_map.get(name)
                if field is None:
                    raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
                if name in _MAGIC:
                    continue
                if field.column_backed:
                    row[name] = field.convert_to_cache(value, self)
                else:
                    other_names[name] = field
            for field in required:
                if row[field.name] is None:
                    raise _required_error(self, field)
            rows.append(row)
        self._check_many2one_targets(rows)
        for field in column_fields:
            if field.translate:
                lang = env.lang
                for row in rows:
                    value = row[field.name]
                    if isinstance(value, dict) and lang != "en_US":
                        value.setdefault("en_US", value[lang])
        tx.query_count += 1
        ids = insert_rows(tx.connection, self._table_obj, rows)
        cache = env.cache
        caches = [(cache[f], f.name) for f in column_fields]
        if self._log_access:
            caches += [(cache[self._fields[n]], n) for n in
                       ("create_uid", "create_date", "write_uid", "write_date")]
        for field_cache, name in caches:
            field_cache.update(zip(ids, [row[name] for row in rows], strict=True))
        records = self.browse(ids)
        for field in self._fields.values():
            if field.type in ("one2many", "many2many") and field.store:
                field_cache = cache[field]
                for id_ in ids:
                    field_cache[id_] = ()
        if other_names:
            records._write_other(vals_list, other_names, created=True)
        stored_computed = [f for f in self._fields.values() if f.compute and f.store]
        for field in stored_computed:
            given = {id_ for id_, vals in zip(ids, vals_list, strict=True) if field.name in vals}
            todo = [id_ for id_ in ids if id_ not in given]
            if todo:
                tx.add_tasks(field, todo)
        names = set(self._fields) - {"id"}
        self.env.registry.modified(records, names, create=True)
        records._validate_fields(names)
        records._check_company_links(names)
        access.note_change(self)
        if access.enabled(env):
            access.check_rules(records, "create")
        automation.on_change(records, "create", names)
        return records

    def _add_defaults(self, vals_list: list[dict]) -> list[dict]:
        """Fill in defaults; static defaults are looked up once per batch."""
        context = self.env.context
        statics: dict[str, Any] = {}
        callables: dict[str, Field] = {}
        for name, field in self._fields.items():
            key = f"default_{name}"
            if key in context:
                statics[name] = context[key]
            elif callable(field.default):
                callables[name] = field
            elif field.default is not None:
                statics[name] = field.default
        if not statics and not callables:
            return vals_list
        result = []
        for vals in vals_list:
            if statics:
                merged = {k: v for k, v in statics.items() if k not in vals}
                merged.update(vals)
            else:
                merged = dict(vals)
            for name, field in callables.items():
                if name not in merged:
                    merged[name] = field.default(self)
            result.append(merged)
        return result

    def _check_many2one_targets(self, rows: list[dict]) -> None:
        """Refuse references to records that do not exist, naming the field."""
        for field in self._fields.values():
            if field.type != "many2one" or not field.column_backed:
                continue
            wanted = {row.get(field.name) for row in rows} - {None}
            wanted = {v for v in wanted if isinstance(v, int)}
            if not wanted:
                continue
            target = self.env[field.comodel_name]._table_obj
            found: set = set()
            for chunk in chunks(sorted(wanted)):
                found.update(self.env.transaction.execute(
                    sa.select(target.c.id).where(target.c.id.in_(chunk))).scalars())
            missing = sorted(wanted - found)
            if missing:
                raise ValidationError(
                    f"Wrong value for field '{field.string}' ({self._name}.{field.name}): "
                    f"no {field.comodel_name} record with id {missing[0]}.")

    def default_get(self, fields_list: Sequence[str]) -> dict:
        context = self.env.context
        result = {}
        for name in fields_list:
            field = self._fields.get(name)
            if field is None:
                continue
            key = f"default_{name}"
            if key in context:
                result[name] = context[key]
            elif field.default is not None:
                result[name] = field.default_value(self)
            else:
                continue
            if field.type == "many2one":
                # as Odoo, in the write format: an id, not a record set
                value = field.convert_to_cache(result[name], self, validate=False)
                result[name] = field.convert_to_write(value, self)
        return result

    # ------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------
    def write(self, vals: dict) -> bool:
        if not self._ids:
            return True
        if any(isinstance(i, NewId) for i in self._ids):
            for name, value in vals.items():
                setattr(self, name, value)
            return True
        with self.env.transaction.atomic():
            self._write(vals)
        return True

    def _write(self, vals: dict) -> None:
        env = self.env
        tx = env.transaction
        registry = env.registry
        if access.enabled(env):
            access.check_rights(self, "write")
            access.check_fields(self, vals, "write")
            access.check_rules(self, "write")
        workflow.guard_write(self, vals)
        row: dict = {}
        others: dict[str, Field] = {}
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                raise ValueError(f"Invalid field {name!r} on model {self._name!r}")
            if name in _MAGIC:
                continue
            if field.column_backed:
                cached = field.convert_to_cache(value, self)
                if cached is None and field.required:
                    raise _required_error(self, field)
                row[name] = cached
            else:
                others[name] = field
        names = set(vals) - set(_MAGIC)
        registry.modified(self, names, before=True)
        if row:
            self._check_many2one_targets([row])
            self._update_rows(row)
        if others:
            self._write_other([vals] * len(self._ids), others, created=False)
        for name in names:
            field = self._fields[name]
            if field.compute and field.store and field in tx.tasks:
                tx.tasks[field].difference_update(self._ids)
        registry.modified(self, names)
        access.note_change(self, names)
        self._validate_fields(names)
        self._check_company_links(names)
        automation.on_change(self, "write", names)

    def _update_rows(self, row: dict) -> None:
        """UPDATE the columns of all records at once and refresh the cache."""
        env = self.env
        cache = env.cache
        ids = self.ids
        translated = [n for n in row if self._fields[n].translate]
        if translated:
            # merge the new language's text into each record's translations
            self._read_into_cache(translated)
            per_record = defaultdict(dict)
            for name in translated:
                new = row.pop(name)
                for id_ in ids:
                    current = dict(cache[self._fields[name]].get(id_) or {})
                    if new is None:
                        current = None
                    else:
                        current.update(new)
                        if "en_US" not in current:
                            current["en_US"] = next(iter(new.values()))
                    per_record[id_][name] = current
            self._update_each(per_record)
        if not row and not (translated and self._log_access):
            return
        values = dict(row)
        if self._log_access:
            values["write_uid"] = env.uid
            values["write_date"] = fields.Datetime.now()
        table = self._table_obj
        count = 0
        for chunk in chunks(ids):
            result = env.transaction.execute(
                sa.update(table).where(table.c.id.in_(chunk)).values(values))
            count += result.rowcount
        if count != len(ids):
            missing = self.browse(ids) - self.exists()
            raise MissingError(f"Record does not exist or has been deleted. "
                               f"(Records: {missing!r})")
        for name, value in values.items():
            field_cache = cache[self._fields[name]]
            for id_ in ids:
                field_cache[id_] = value

    def update_field_translations(self, name: str, texts: dict[int, str], lang: str) -> None:
        """Set the ``lang`` text of a translated field on many records at once
        (``{id: text}``): one statement, not one write per record."""
        field = self._fields.get(name)
        if field is None or not field.translate:
            raise ValueError(f"{self._name}.{name} is not a translated field")
        if not texts:
            return
        records = self.browse(list(texts))
        with self.env.transaction.atomic():
            if access.enabled(self.env):
                access.check_rights(self, "write")
                access.check_fields(self, (name,), "write")
                access.check_rules(records, "write")
            records._read_into_cache([name])
            cache = self.env.cache[field]
            per_record = {}
            for id_, text in texts.items():
                current = dict(cache.get(id_) or {})
                current[lang] = field.convert_to_cache(text, None)
                current.setdefault("en_US", current[lang])
                per_record[id_] = {name: current}
            records._update_each(per_record)
            self.env.registry.modified(records, (name,))

    def _update_each(self, per_record: dict) -> None:
        """UPDATE records with a value of their own each (executemany)."""
        if not per_record:
            return
        table = self._table_obj
        groups: dict[tuple, list] = defaultdict(list)
        for id_, values in per_record.items():
            groups[tuple(values)].append({"_id": id_, **values})
        for names, params in groups.items():
            stmt = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                    .values({name: sa.bindparam(name) for name in names}))
            self.env.transaction.execute(stmt, params)
        cache = self.env.cache
        for id_, values in per_record.items():
            for name, value in values.items():
                cache[self._fields[name]][id_] = value

    def _write_other(self, vals_list: list[dict], others: dict[str, Field],
                     created: bool) -> None:
        """x2many commands and inverse methods, after the columns are written."""
        for name, field in others.items():
            if field.type in ("one2many", "many2many") and field.store:
                commands.apply(self, field, [vals.get(name) for vals in vals_list], created)
            elif field.inverse:
                cache = self.env.cache[field]
                for record, vals in zip(self, vals_list, strict=True):
                    if name in vals:
                        cache[record._ids[0]] = field.convert_to_cache(vals[name], record)
                inverse = field.inverse
                if isinstance(inverse, str):
                    getattr(self, inverse)()
                else:
                    inverse(self)
            # a computed field without inverse is ignored, as Odoo does

    def _validate_fields(self, names: Iterable[str]) -> None:
        names = set(names)
        for method_name, fnames in self._constraint_methods:
            if names.intersection(fnames):
                getattr(self, method_name)()

    def _check_company_links(self, names: Iterable[str]) -> None:
        """Refuse links (``check_company=True``) to records of another company."""
        if "company_id" not in self._fields:
            return
        names = set(names)
        checked = [f for f in self._fields.values() if getattr(f, "check_company", False)
                   and ("company_id" in names or f.name in names)]
        if not checked:
            return
        for record in self.sudo():
            company = record.company_id
            if not company:
                continue
            allowed = set()
            while company and company.id not in allowed:
                allowed.add(company.id)
                company = company.parent_id if "parent_id" in company._fields else None
            for field in checked:
                for target in record[field.name]:
                    other = target.company_id if "company_id" in target._fields else None
                    if other and other.id not in allowed:
                        raise UserError(
                            f"Incompatible companies on records: '{record.display_name}' "
                            f"belongs to {record.company_id.display_name} and cannot use "
                            f"'{target.display_name}' of {other.display_name} in "
                            f"'{field.string}'.")

    def update(self, values: dict) -> None:
        for record in self:
            for name, value in values.items():
                record[name] = value

    # ------------------------------------------------------------------
    # deleting
    # ------------------------------------------------------------------
    def unlink(self) -> bool:
        ids = self.ids
        if not ids:
            return True
        with self.env.transaction.atomic():
            self._unlink(ids)
        return True

    def _unlink(self, ids: list) -> None:
        env = self.env
        registry = env.registry
        if access.enabled(env):
            access.check_rights(self, "unlink")
            access.check_rules(self, "unlink")
        registry.modified(self, registry.trigger_names(self._name), before=True)
        self._check_restrict(ids)
        table = self._table_obj
        for chunk in chunks(ids):
            env.transaction.execute(sa.delete(table).where(table.c.id.in_(chunk)))
        tx = env.transaction
        tx.deleted = True
        if any(getattr(f, "attachment", False) for f in self._fields.values()) \
                and "ir.attachment" in env.registry:
            env["ir.attachment"].sudo().search([
                ("res_model", "=", self._name), ("res_id", "in", ids),
                ("res_field", "!=", False)]).unlink()
        access.note_change(self)
        tx.invalidate_model(self._name, ids)
        for field in registry.referencing_fields(self._name):
            tx.cache.pop(field, None)
            if field.type == "many2one" and field.ondelete == "cascade":
                tx.invalidate_model(field.model_name)
        for field, pending in list(tx.tasks.items()):
            if field.model_name == self._name:
                pending.difference_update(ids)
        towrite = tx.towrite.get(self._name)
        if towrite:
            for id_ in ids:
                towrite.pop(id_, None)

    def _check_restrict(self, ids: list) -> None:
        for field in self.env.registry.referencing_fields(self._name):
            if field.type != "many2one" or field.ondelete != "restrict":
                continue
            other = self.env[field.model_name]
            column = other._table_obj.c[field.name]
            for chunk in chunks(ids):
                found = self.env.transaction.execute(
                    sa.select(column).where(column.in_(chunk)).limit(1)).first()
                if found:
                    mine = self.browse(found[0]).sudo().display_name
                    raise UserError(
                        f"Cannot delete {self._description or self._name} '{mine}': "
                        f"{other._description or other._name} records still refer to it "
                        f"(field '{field.string}').")

    # ------------------------------------------------------------------
    # copying
    # ------------------------------------------------------------------
    def copy_data(self, default: dict | None = None) -> list[dict]:
        default = dict(default or {})
        result = []
        # fields the user may not read are not copied (their defaults apply)
        hidden = {name for name, field in self._fields.items() if field.groups
                  and access.enabled(self.env) and not access.field_allowed(self, field)}
        for record in self:
            vals = {}
            for name, field in self._fields.items():
                if name in _MAGIC or name in default or not field.copy or name in hidden:
                    continue
                if field.type == "one2many":
                    lines = record[name]
                    inverse = field.inverse_name
                    vals[name] = [(0, 0, {k: v for k, v in line.copy_data()[0].items()
                                          if k != inverse}) for line in lines]
                elif field.type == "many2many":
                    vals[name] = [(6, 0, record[name].ids)]
                elif field.type == "many2one":
                    vals[name] = record[name].id or False
                elif field.translate:
                    cached = record.env.cache[field].get(record.id)
                    vals[name] = record[name]
                    if isinstance(cached, dict):
                        vals[name] = cached.get("en_US", vals[name])
                else:
                    vals[name] = record[name]
            vals.update(default)
            result.append(vals)
        return result

    def copy(self, default: dict | None = None) -> BaseModel:
        # as Odoo: archived lines and tags are copied too, and all translations
        vals_list = self.with_context(active_test=False).copy_data(default)
        vals_list = workflow.prepare_copy(self, vals_list, default)
        copies = self.create(vals_list)
        for old, new in zip(self, copies, strict=True):
            old._copy_translations(new, set(default or ()))
        return copies

    def _copy_translations(self, new: BaseModel, excluded: set) -> None:
        """Give ``new`` (a copy of this record) every language of its texts."""
        names = [name for name, field in self._fields.items()
                 if field.translate and field.copy and field.column_backed
                 and name not in excluded]
        if names:
            self._read_into_cache(names)
            values = {}
            for name in names:
                translations = self.env.cache[self._fields[name]].get(self._ids[0])
                if isinstance(translations, dict) and len(translations) > 1:
                    values[name] = dict(translations)
            if values:
                new._update_each({new._ids[0]: values})
        for name, field in self._fields.items():
            if field.type == "one2many" and field.copy and name not in excluded:
                old_lines = self.with_context(active_test=False)[name].sorted("id")
                new_lines = new.with_context(active_test=False)[name].sorted("id")
                for old_line, new_line in zip(old_lines, new_lines, strict=False):
                    old_line._copy_translations(new_line, set())

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    def _compute_field(self, field: Field) -> None:
        """Compute ``field`` (and the fields sharing its method) on these records."""
        tx = self.env.transaction
        together = self.env.registry.field_computed_together.get(field, (field,))
        ids = [i for i in self._ids]
        # a computation of the same records started inside this one (a read that
        # flushes) must not unprotect them: their values would then be written
        added: dict[Field, list] = {}
        for other in together:
            protected = tx.protected.setdefault(other, set())
            added[other] = [i for i in ids if i not in protected]
            protected.update(added[other])
            if other.store and other in tx.tasks:
                tx.tasks[other].difference_update(ids)
        if field.store and len(ids) > 1:
            # load the same-model columns the method reads in one go
            names = {dep.split(".")[0] for other in together for dep in other.depends}
            self._read_into_cache([n for n in names if n in self._fields
                                   and self._fields[n].column_backed])
        try:
            records = self.sudo() if field.compute_sudo else self
            records._call_compute(field)
        finally:
            for other in together:
                tx.protected[other].difference_update(added[other])
        for other in together:
            cache = tx.cache[other]
            missing = [i for i in ids if i not in cache]
            if missing:
                method = other.compute if isinstance(other.compute, str) else \
                    getattr(other.compute, "__name__", "compute")
                raise ValueError(f"Compute method {method} failed to assign "
                                 f"{self.browse(missing)!r}.{other.name}")
        if field.store:
            real = self.browse([i for i in ids if isinstance(i, int)])
            if real:
                # what depends on the new values, for the whole batch at once
                registry = self.env.registry
                changed = [other.name for other in together if other in registry.triggers]
                if changed:
                    registry.modified(real, changed)
                # as Odoo does: check the constraints on the fields just computed
                real._validate_fields([other.name for other in together])

    def _call_compute(self, field: Field) -> None:
        compute = field.compute
        if isinstance(compute, str):
            getattr(self, compute)()
        else:
            compute(self)

    def _compute_related(self, field: Field) -> None:
        path = field.related.split(".")
        name = field.name
        for record in self:
            record[name] = _follow(record, path)

    def _inverse_related(self, field: Field) -> None:
        path = field.related.split(".")
        for record in self:
            target = record
            for step in path[:-1]:
                target = target[step]
            if target:
                target[path[-1]] = record[field.name]

    # ------------------------------------------------------------------
    # aggregates
    # ------------------------------------------------------------------
    def read_group(self, domain: Any, fields: Sequence[str], groupby: str | Sequence[str],
                   offset: int = 0, limit: int | None = None, orderby: str | None = None,
                   lazy: bool = True) -> list[dict]:
        from core.orm.read_group import read_group

        if access.enabled(self.env):
            # 'name', 'name:agg', 'alias:agg(name)'; group-bys 'name[:granularity]'
            specs = [spec.partition("(")[2].rstrip(") ") if "(" in spec else spec
                     for spec in fields]
            specs += [groupby] if isinstance(groupby, str) else list(groupby or [])
            access.check_fields(self, {spec.split(":")[0].strip() for spec in specs}, "read")
        return read_group(self, domain, fields, groupby, offset, limit, orderby, lazy)

    # ------------------------------------------------------------------
    # archiving and caches
    # ------------------------------------------------------------------
    def action_archive(self) -> bool:
        return self.write({self._active_name: False})

    def action_unarchive(self) -> bool:
        return self.write({self._active_name: True})

    def toggle_active(self) -> None:
        active = self._active_name
        on = self.filtered(lambda r: r[active])
        (self - on).write({active: True})
        on.write({active: False})

    def invalidate_recordset(self, fnames: Sequence[str] | None = None) -> None:
        self.env.transaction.flush()
        for name, field in self._fields.items():
            if fnames is None or name in fnames:
                values = self.env.cache.get(field)
                if values:
                    for id_ in self._ids:
                        values.pop(id_, None)

    def invalidate_model(self, fnames: Sequence[str] | None = None) -> None:
        self.env.transaction.flush()
        for name, field in self._fields.items():
            if fnames is None or name in fnames:
                self.env.cache.pop(field, None)

    def flush_model(self, fnames: Sequence[str] | None = None) -> None:
        self.env.transaction.flush()

    flush_recordset = flush_model

    def _transient_vacuum(self) -> int:
        """Delete transient records older than ``_transient_max_hours``."""
        if not self._transient:
            return 0
        limit = fields.Datetime.now() - dt.timedelta(hours=self._transient_max_hours)
        old = self.sudo().search([("create_date", "<", limit)])
        count = len(old)
        old.unlink()
        return count


class AbstractModel(BaseModel):
    """A model without a table: a mixin for other models."""

    _abstract = True
    __slots__ = ()


class Model(BaseModel):
    """A model stored in its own table."""

    _abstract = False
    __slots__ = ()


class TransientModel(Model):
    """A model for wizards: stored, and vacuumed after a while."""

    _transient = True
    __slots__ = ()


def _follow(record: BaseModel, path: list[str]) -> Any:
    value: Any = record
    for step in path[:-1]:
        value = value[step]
        if len(value) > 1:
            value = value[:1]
        if not value:
            field = record._fields[path[-1]] if path[-1] in record._fields else None
            return field.null_value if field is not None else False
    return value[path[-1]]


def _sort_key(value: Any) -> tuple:
    if isinstance(value, BaseModel):
        value = value.display_name if value else ""
    if value is False or value is None:
        return (0, "")
    return (1, value)


def _required_error(model: BaseModel, field: Field) -> ValidationError:
    """The error of a required field left empty, in the user's language."""
    return ValidationError(_(model.env, "A value is required for field '%(label)s' "
                                        "(%(model)s.%(field)s).",
                             label=field_string(model.env, field), model=model._name,
                             field=field.name))
