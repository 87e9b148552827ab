"""Relational fields: Many2one, One2many and Many2many.

    partner_id = fields.Many2one("res.partner", ondelete="restrict")
    line_ids = fields.One2many("sale.order.line", "order_id")
    tag_ids = fields.Many2many("crm.tag")          # table crm_lead_crm_tag_rel

In the cache a many2one holds an id (or None) and an x2many a tuple of
ids; on a record they are record sets, prefetched together: reading
``lead.partner_id.name`` for one lead of a search loads the partners of
all of them in one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.orm import domain as dom
from core.orm.fields import Field, NewId, generic_condition, register_type

if TYPE_CHECKING:
    from core.orm.models import BaseModel

ONDELETE = ("set null", "restrict", "cascade")


class _Relational(Field):
    plain = False
    extra_args = ("comodel_name", "domain", "context", "check_company", "auto_join",
                  "ondelete", "delegate", "inverse_name", "relation", "column1", "column2",
                  "limit")

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.comodel_name = self.args.get("comodel_name")
        if not self.comodel_name:
            raise TypeError(f"Field {model_cls._name}.{name} needs a comodel name")
        self.domain = self.args.get("domain") or []
        self.context = self.args.get("context") or {}
        self.check_company = self.args.get("check_company", False)

    def comodel(self, env) -> BaseModel:
        return env[self.comodel_name]

    def _records(self, record: BaseModel, ids: tuple, prefetch: Any) -> BaseModel:
        comodel = record.env[self.comodel_name]
        return comodel._browse(record.env, ids, prefetch)


class Many2one(_Relational):
    type = "many2one"
    sql_type = sa.Integer()

    def __init__(self, comodel_name: str | None = None, string: str | None = None, **kwargs):
        if comodel_name is not None:
            kwargs["comodel_name"] = comodel_name
        super().__init__(string, **kwargs)

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.ondelete = self.args.get("ondelete") or "set null"
        if self.ondelete not in ONDELETE:
            raise TypeError(f"Field {model_cls._name}.{name}: ondelete must be one of "
                            f"{ONDELETE}, not {self.ondelete!r}")
        if self.ondelete == "set null" and self.required:
            self.ondelete = "restrict"
        self.index = self.args.get("index", True)
        self.auto_join = self.args.get("auto_join", False)

    def column(self, target_table: str | None = None) -> sa.Column:
        fk = [sa.ForeignKey(f"{target_table}.id", ondelete=self.ondelete.upper())] \
            if target_table else []
        return sa.Column(self.name, sa.Integer(), *fk, nullable=not self.required,
                         index=bool(self.index))

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        if isinstance(value, (int, NewId)) and not isinstance(value, bool):
            if isinstance(value, int) and value <= 0:
                raise self.invalid(value, "a record id")
            return value
        if hasattr(value, "_ids"):
            if value._name != self.comodel_name:
                raise self.invalid(value, f"a record of {self.comodel_name}")
            if len(value._ids) > 1:
                raise self.invalid(value, "a single record")
            return value._ids[0] if value._ids else None
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], int):
            return value[0]  # (id, name) pairs, as read() returns them
        if isinstance(value, str) and value.isdigit():
            return int(value)
        raise self.invalid(value, f"a record id of {self.comodel_name}")

    def convert_to_record(self, value, record):
        if value is None:
            return self._records(record, (), ())
        return self._records(record, (value,), _LazyPrefetch(self, record))

    def convert_to_read(self, value, record):
        if value is None:
            return False
        target = self.convert_to_record(value, record)
        try:
            return (value, target.sudo().display_name)
        except Exception:  # noqa: BLE001 - a missing target reads as its id only
            return (value, f"{self.comodel_name},{value}")

    def convert_to_write(self, value, record):
        return value or False

    def convert_domain_value(self, value):
        return value

    def to_sql(self, model, table, operator, value):
        column = table.c[self.name]
        comodel = model.env[self.comodel_name]
        if operator in ("any", "not any"):
            if hasattr(value, "_ids"):
                sub = list(value._ids)
            else:
                sub = comodel.with_context(active_test=False)._select_ids(value)
            cond = column.in_(sub)
            return cond if operator == "any" else sa.or_(sa.not_(cond), column.is_(None))
        if hasattr(value, "_ids"):
            value = list(value._ids)
            if operator == "=":
                operator = "in"
            elif operator == "!=":
                operator = "not in"
        if isinstance(value, sa.Select):
            cond = column.in_(value)
            return cond if operator == "in" else sa.or_(sa.not_(cond), column.is_(None))
        text_values = isinstance(value, str) or (
            isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value)
        )
        if text_values:
            # a name instead of an id: match the target's display name
            positive = {"!=": "=", "not in": "in", "not like": "like",
                        "not ilike": "ilike"}.get(operator, operator)
            if positive == "in":
                sub_domain = dom.OR([[("display_name", "=", v)] for v in value])
            else:
                sub_domain = [("display_name", positive, value)]
            sub = comodel.with_context(active_test=False)._select_ids(sub_domain)
            cond = column.in_(sub)
            return cond if positive == operator else sa.or_(sa.not_(cond), column.is_(None))
        if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            raise ValueError(f"Operator {operator!r} on {self} needs a text value")
        return generic_condition(self, column, operator, value)


class _LazyPrefetch:
    """The ids a relational field holds over the records prefetched with its
    owner: reading ``order.line_ids`` then ``line.product`` for every order
    of a search loads the lines of all orders in one query, not one each."""

    __slots__ = ("field", "record")

    def __init__(self, field: _Relational, record: BaseModel):
        self.field = field
        self.record = record

    def __iter__(self):
        cache = self.record.env.cache[self.field]
        seen = set()
        for id_ in self.record._prefetch_ids:
            value = cache.get(id_)
            if value is None:
                continue
            for target in value if isinstance(value, tuple) else (value,):
                if target not in seen:
                    seen.add(target)
                    yield target


class _X2many(_Relational):
    null_value = ()

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.copy = self.args.get("copy", self.type == "many2many")

    def convert_to_cache(self, value, record, validate=True):
        """Only ids and record sets are cache values; commands go through write()."""
        if value is None or value is False:
            return ()
        if hasattr(value, "_ids"):
            return tuple(value._ids)
        if isinstance(value, (list, tuple)):
            ids: list = []
            for item in value:
                if isinstance(item, (int, NewId)) and not isinstance(item, bool):
                    ids.append(item)
                elif isinstance(item, (list, tuple)) and item:
                    ids = _apply_command_to_ids(ids, item, record, self)
                else:
                    raise self.invalid(item, "an x2many command or a record id")
            return tuple(ids)
        raise self.invalid(value, "a list of commands or ids")

    def convert_to_record(self, value, record):
        # the cache holds archived targets too; as Odoo, hide them here, so
        # that the value follows active_test and archiving a target
        ids = value or ()
        prefetch = _LazyPrefetch(self, record) if ids else ids
        records = self._records(record, ids, prefetch)
        active = self._active_filter(record.env) if ids else None
        if active:
            records = self._records(record, active_ids(records, active), prefetch)
        return records

    def convert_to_read(self, value, record):
        return [i for i in self.convert_to_record(value, record)._ids if isinstance(i, int)]

    def convert_to_write(self, value, record):
        return [(6, 0, list(value or ()))]

    def _active_filter(self, env) -> str | None:
        """The comodel's active field, when archived targets are to be hidden."""
        active = env[self.comodel_name]._active_name
        if active and self.context.get("active_test", env.context.get("active_test", True)):
            return active
        return None


def active_ids(records: BaseModel, active: str) -> tuple:
    """The ids of the unarchived ``records``, read from the cache (one
    prefetch for all records when some are not cached yet)."""
    ids = records._ids
    if not all(isinstance(id_, int) for id_ in ids):
        return tuple(r._ids[0] for r in records if r[active])
    cache = records.env.cache[records._fields[active]]
    for id_ in ids:
        if id_ not in cache:
            # the first one not cached loads the others with it
            records._browse(records.env, (id_,), records._prefetch_ids)[active]
    return tuple(id_ for id_ in ids if cache.get(id_))


def _group_by_owner(env, stmt, ids: list, comodel: BaseModel) -> dict:
    """{owner id: tuple of target ids} from rows of (target id, owner id).

    The targets' ``active`` comes in the same query, into the cache: reading
    the field hides archived targets, which would otherwise cost a query."""
    result: dict = {id_: [] for id_ in ids}
    active = comodel._fields.get(comodel._active_name or "")
    if active is None or not active.column_backed:
        for target_id, owner in env.transaction.execute(stmt):
            result[owner].append(target_id)
    else:
        cache = env.cache[active]
        convert = active.convert_from_column
        stmt = stmt.add_columns(comodel._table_obj.c[active.name])
        for target_id, owner, is_active in env.transaction.execute(stmt):
            result[owner].append(target_id)
            if target_id not in cache:
                cache[target_id] = convert(is_active)
    return {key: tuple(value) for key, value in result.items()}


def _apply_command_to_ids(ids: list, command: tuple, record: Any, field: Field) -> list:
    """Apply an x2many command to a list of ids, in the cache only (onchange)."""
    code = command[0]
    if code == 0:
        env = record.env
        new = env[field.comodel_name].new(command[2] if len(command) > 2 else {})
        return ids + [new._ids[0]]
    if code == 1 and len(command) > 2 and command[2]:
        # the form changed a line: a draft of it with the new values, never a
        # write (the record itself stays as it is until the form is saved)
        draft = _draft_line(record.env[field.comodel_name], command[1], command[2])
        if command[1] in ids:
            return [draft if i == command[1] else i for i in ids]
        return ids + [draft]
    if code in (1, 4):
        return ids if command[1] in ids else ids + [command[1]]
    if code in (2, 3):
        return [i for i in ids if i != command[1]]
    if code == 5:
        return []
    if code == 6:
        return list(command[2] if len(command) > 2 else [])
    raise field.invalid(command, "a valid x2many command")


def _draft_line(comodel: BaseModel, id_: Any, values: dict) -> Any:
    """The id of a new record holding ``id_``'s values updated with ``values``."""
    if isinstance(id_, NewId):
        draft = comodel.browse(id_)
        for name, value in values.items():
            draft[name] = value
        return id_
    original = comodel.browse(id_)
    names = [name for name, f in comodel._fields.items()
             if f.store and not f.compute and f.type != "one2many" and name not in values
             and name not in ("id", "create_uid", "create_date", "write_uid", "write_date")]
    data = original.read(names, load=None)[0] if names else {}
    data.pop("id", None)
    data.update(values)
    return comodel.new(data, origin=original)._ids[0]


class One2many(_X2many):
    type = "one2many"

    def __init__(self, comodel_name: str | None = None, inverse_name: str | None = None,
                 string: str | None = None, **kwargs):
        if comodel_name is not None:
            kwargs["comodel_name"] = comodel_name
        if inverse_name is not None:
            kwargs["inverse_name"] = inverse_name
        super().__init__(string, **kwargs)

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        self.inverse_name = self.args.get("inverse_name")
        if not self.inverse_name and not (self.compute or self.related):
            raise TypeError(f"One2many {model_cls._name}.{name} needs an inverse_name")

    def fetch(self, env, ids: list) -> dict:
        """{id: tuple of target ids} for these records, in the target's order."""
        comodel = env[self.comodel_name]
        table = comodel._table_obj
        inverse = table.c[self.inverse_name]
        where = [inverse.in_(ids)]
        stmt = sa.select(table.c.id, inverse).where(*where)
        return _group_by_owner(env, comodel._apply_order(stmt, None), ids, comodel)

    def to_sql(self, model, table, operator, value):
        comodel = model.env[self.comodel_name]
        ctable = comodel._table_obj
        inverse = ctable.c[self.inverse_name]
        if operator in ("any", "not any"):
            conds = [inverse.isnot(None)]
            if hasattr(value, "_ids"):
                conds.append(ctable.c.id.in_(list(value._ids)))
            else:
                conds.append(comodel._where(value))
            sub = sa.select(inverse).where(*conds)
            cond = table.c.id.in_(sub)
            return cond if operator == "any" else sa.not_(cond)
        visible = [inverse.isnot(None)] + _target_rules(comodel)
        return _x2many_condition(self, model, table, operator, value,
                                 lambda ids: sa.select(inverse).where(
                                     ctable.c.id.in_(ids), *visible),
                                 sa.select(inverse).where(*visible))


class Many2many(_X2many):
    type = "many2many"

    def __init__(self, comodel_name: str | None = None, relation: str | None = None,
                 column1: str | None = None, column2: str | None = None,
                 string: str | None = None, **kwargs):
        for key, value in (("comodel_name", comodel_name), ("relation", relation),
                           ("column1", column1), ("column2", column2)):
            if value is not None:
                kwargs[key] = value
        super().__init__(string, **kwargs)

    def setup(self, model_cls, name):
        super().setup(model_cls, name)
        own = model_cls._table or model_cls._name.replace(".", "_")
        other = self.comodel_name.replace(".", "_")
        first, second = sorted([own, other])
        self.relation = self.args.get("relation") or f"{first}_{second}_rel"
        if own == other and not (self.args.get("column1") and self.args.get("column2")):
            raise TypeError(f"Many2many {model_cls._name}.{name} to its own model needs "
                            "relation, column1 and column2")
        self.column1 = self.args.get("column1") or f"{own}_id"
        self.column2 = self.args.get("column2") or f"{other}_id"
        self.rel_table: sa.Table | None = None

    def relation_table(self, metadata: sa.MetaData, own_table: str, target_table: str) -> sa.Table:
        if self.relation in metadata.tables:
            table = metadata.tables[self.relation]
        else:
            table = sa.Table(
                self.relation, metadata,
                sa.Column(self.column1, sa.Integer,
                          sa.ForeignKey(f"{own_table}.id", ondelete="CASCADE"),
                          nullable=False, primary_key=True),
                sa.Column(self.column2, sa.Integer,
                          sa.ForeignKey(f"{target_table}.id", ondelete="CASCADE"),
                          nullable=False, primary_key=True, index=True),
            )
        self.rel_table = table
        return table

    def fetch(self, env, ids: list) -> dict:
        comodel = env[self.comodel_name]
        rel = self.rel_table
        ctable = comodel._table_obj
        col1, col2 = rel.c[self.column1], rel.c[self.column2]
        where = [col1.in_(ids)]
        stmt = (sa.select(col2, col1).select_from(rel.join(ctable, ctable.c.id == col2))
                .where(*where))
        return _group_by_owner(env, comodel._apply_order(stmt, None), ids, comodel)

    def to_sql(self, model, table, operator, value):
        comodel = model.env[self.comodel_name]
        rel = self.rel_table
        col1, col2 = rel.c[self.column1], rel.c[self.column2]
        if operator in ("any", "not any"):
            if hasattr(value, "_ids"):
                target = list(value._ids)
            else:
                target = comodel._select_ids(value)
            sub = sa.select(col1).where(col2.in_(target))
            cond = table.c.id.in_(sub)
            return cond if operator == "any" else sa.not_(cond)
        rules = _target_rules(comodel)
        if not rules:
            return _x2many_condition(self, model, table, operator, value,
                                     lambda ids: sa.select(col1).where(col2.in_(ids)),
                                     sa.select(col1))
        ctable = comodel._table_obj
        joined = rel.join(ctable, ctable.c.id == col2)
        return _x2many_condition(self, model, table, operator, value,
                                 lambda ids: sa.select(col1).select_from(joined).where(
                                     col2.in_(ids), *rules),
                                 sa.select(col1).select_from(joined).where(*rules))


def _target_rules(comodel) -> list:
    """The user's record rules on the target model, as conditions (none for sudo):
    a user cannot learn through an x2many leaf what the rules hide."""
    from core.security import access

    if not access.enabled(comodel.env):
        return []
    condition = access.rule_condition(comodel, "read")
    return [] if condition is None else [condition]


def _x2many_condition(field, model, table, operator, value, owners_of, any_owner) -> Any:
    """Leaves on an x2many: ids, names, or False for "no target at all"."""
    if hasattr(value, "_ids"):
        value = list(value._ids)
    if isinstance(value, sa.Select):
        cond = table.c.id.in_(owners_of(value))
        return cond if operator == "in" else sa.not_(cond)
    # False is "no target at all"; an empty list of ids matches nothing
    if value is False or value is None:
        if operator in ("=", "in"):
            return sa.not_(table.c.id.in_(any_owner))
        if operator in ("!=", "not in"):
            return table.c.id.in_(any_owner)
    comodel = model.env[field.comodel_name]
    text = isinstance(value, str) or (isinstance(value, (list, tuple)) and value
                                      and all(isinstance(v, str) for v in value))
    if text:
        positive = dom.NEGATIVE.get(operator, operator)
        if positive == "in":
            sub_domain = dom.OR([[("display_name", "=", v)] for v in value])
        else:
            sub_domain = [("display_name", positive, value)]
        cond = table.c.id.in_(owners_of(comodel._select_ids(sub_domain)))
        return cond if positive == operator else sa.not_(cond)
    ids = dom.ids_of(value)
    if operator in ("=", "in"):
        return table.c.id.in_(owners_of(ids))
    if operator in ("!=", "not in"):
        return sa.not_(table.c.id.in_(owners_of(ids)))
    raise ValueError(f"Invalid operator {operator!r} for {field.type} field {field}")


for _cls in (Many2one, One2many, Many2many):
    register_type(_cls)
