"""Reading: fetching columns into the cache and ``read()`` (a mixin of ``BaseModel``).

    partners.read(["name", "country_id"])   # [{"id": 7, "name": ..., "country_id": (1, "Germany")}]

Columns are fetched for up to 10,000 ids per statement, with the user's
record rules in the WHERE clause; a record the rules hide raises
AccessError, a deleted one is skipped by ``read()`` (as in Odoo).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.exceptions import MissingError
from core.orm.environment import chunks
from core.orm.fields import Field
from core.orm.fields_relational import active_ids
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel


#: types whose cached text (not a dict of translations) is what read() returns
_TEXTS = frozenset({"char", "text", "selection"})


class ReadMixin:
    __slots__ = ()

    def _fetch_columns(self, ids: Sequence, field_list: Sequence[Field]) -> None:
        """Load column values of ``ids`` into the cache (one query per chunk)."""
        table = self._table_obj
        columns = [table.c[f.name] for f in field_list]
        execute = self.env.transaction.execute
        rules = None
        if access.enabled(self.env):
            access.check_rights(self, "read")
            rules = access.rule_condition(self, "read")
        for chunk in chunks(ids):
            where = table.c.id.in_(chunk)
            if rules is not None:
                where = sa.and_(where, rules)
            rows = execute(sa.select(table.c.id, *columns).where(where)).all()
            self._store_rows(rows, field_list)

    def _store_rows(self, rows: Sequence, field_list: Sequence[Field]) -> None:
        """Put rows of (id, *values of field_list) into the cache."""
        cache = self.env.cache
        caches = [cache[f] for f in field_list]
        converters = [(i, f.convert_from_column) for i, f in enumerate(field_list)
                      if type(f).convert_from_column is not Field.convert_from_column]
        for row in rows:
            id_ = row[0]
            if converters:
                row = list(row)
                for index, convert in converters:
                    row[index + 1] = convert(row[index + 1])
            for field_cache, value in zip(caches, row[1:], strict=True):
                field_cache[id_] = value

    def _read_into_cache(self, names: Sequence[str], visible_only: bool = False) -> None:
        """Make sure the cache holds ``names`` for all records of this set (with
        ``visible_only``, computed fields only for the records whose columns the
        user's rules let through: the others stay missing, and read() refuses them)."""
        tx = self.env.transaction
        tx.flush()
        ids = self.ids
        ids_set = set(ids)
        cache = self.env.cache
        column_fields = []
        for name in names:
            field = self._fields[name]
            if field.column_backed:
                if not cache[field].keys() >= ids_set:
                    column_fields.append(field)
            elif field.type in ("one2many", "many2many") and field.store:
                field_cache = cache[field]
                missing = [id_ for id_ in ids if id_ not in field_cache]
                for chunk in chunks(missing):
                    field_cache.update(field.fetch(self.env, list(chunk)))
        if column_fields:
            self._fetch_columns(ids, column_fields)
            if visible_only:
                fetched = cache[column_fields[0]]
                ids = [id_ for id_ in ids if id_ in fetched]
        for name in names:
            field = self._fields[name]
            if field.compute:
                if field.depends_context:
                    tx.drop_stale(field, self.env, ids)
                missing = [id_ for id_ in ids if id_ not in cache[field]
                           or id_ in tx.tasks.get(field, ())]
                if missing:
                    for chunk in chunks(missing, 1000):
                        records = self.browse(chunk)
                        if field.store:
                            tx.recompute(field)
                        else:
                            records._compute_field(field)

    def read(self, fields: Sequence[str] | None = None, load: str = "_classic_read") -> list[dict]:
        names = self._check_field_names(fields)
        cache = self.env.cache
        if access.enabled(self.env):
            # values cached by another environment of the transaction (sudo...)
            # were not fetched through this user's rules: check those records
            access.check_rights(self, "read")
            warm = self.ids
            for name in names:
                if self._fields[name].column_backed and warm:
                    values = cache[self._fields[name]]
                    warm = [id_ for id_ in warm if id_ in values]
            if warm:
                access.check_rules(self.browse(warm), "read")
            # computed fields are computed as superuser, and computing them loads the
            # record's columns into the cache: the rules must have been applied first,
            # by the fetch of a column field or, for computed fields alone, here
            cold = [id_ for id_ in self.ids if isinstance(id_, int) and id_ not in set(warm)]
            if cold and not any(self._fields[name].column_backed for name in names):
                access.check_rules(self.browse(cold), "read")
            self._read_into_cache(names, visible_only=True)
        else:
            self._read_into_cache(names)
        return self._read_format(names, load)

    def _read_format(self, names: Sequence[str], load: str = "_classic_read") -> list[dict]:
        """The dicts ``read()`` returns, from values in the cache (loaded
        through the user's rules) for the fields ``names``."""
        cache = self.env.cache
        result = []
        # many2one names in one query per field
        m2o_names: dict[str, dict] = {}
        for name in names:
            field = self._fields[name]
            if field.type == "many2one" and load == "_classic_read":
                target_ids = {cache[field].get(i) for i in self._ids} - {None}
                targets = self.env[field.comodel_name].sudo().browse(tuple(target_ids))
                m2o_names[name] = _display_names(targets)
        fields_list = [(name, self._fields[name]) for name in names]
        kept = self._x2many_kept(fields_list)
        missing: list = []
        for id_ in self._ids:
            try:
                values = {"id": id_}
                for name, field in fields_list:
                    value = cache[field][id_]
                    if name in m2o_names:
                        values[name] = (value, m2o_names[name].get(value, "")) if value else False
                    elif field.type == "many2one":
                        values[name] = value or False
                    elif name in kept:
                        values[name] = [i for i in value if i in kept[name]]
                    elif field.plain:
                        values[name] = field.null_value if value is None else value
                    elif type(value) is str and field.type in _TEXTS:
                        values[name] = value        # untranslated text is read as it is
                    else:
                        record = self._browse(self.env, (id_,), self._prefetch_ids)
                        values[name] = field.convert_to_read(value, record)
            except KeyError:
                missing.append(id_)
                continue  # deleted meanwhile: Odoo's read() skips it
            result.append(values)
        if missing and access.enabled(self.env):
            hidden = self.browse(missing).exists()
            if hidden:
                raise access.denied(hidden, "read")
        return result

    def _x2many_kept(self, fields_list: list) -> dict[str, set]:
        """{x2many field: the target ids ``read()`` shows}: without the archived
        ones (as the field's value hides them) and, for a user, only those
        their rules let them see. Records in the database only; new records
        (onchange) go through the field's own conversion."""
        if not all(isinstance(id_, int) for id_ in self._ids):
            return {}
        result = {}
        cache = self.env.cache
        for name, field in fields_list:
            if field.type not in ("one2many", "many2many"):
                continue
            values = cache[field]
            ids = {i for id_ in self._ids for i in (values.get(id_) or ())}
            if not all(isinstance(i, int) for i in ids):
                continue
            comodel = self.env[field.comodel_name].with_context(active_test=False)
            active = field._active_filter(self.env)
            if active and ids:
                targets = comodel.browse(ids)
                ids = set(active_ids(targets, active))
            # the target's rules, not its rights (as Odoo: a portal user reads
            # their own user's groups_id without the right to read groups)
            if ids and access.enabled(self.env) and \
                    access.rule_condition(comodel, "read") is not None:
                table = comodel._table_obj
                ids = set(self.env.transaction.execute(
                    sa.select(table.c.id).where(comodel._where([("id", "in", sorted(ids))])))
                    .scalars())
            result[name] = ids
        return result

    def _check_field_names(self, names: Sequence[str] | None) -> list[str]:
        if not names:
            enabled = access.enabled(self.env)
            return [name for name, field in self._fields.items()
                    if name != "id" and (field.store or field.compute)
                    and (not enabled or access.field_allowed(self, field))]
        unknown = [name for name in names if name not in self._fields]
        if unknown:
            raise ValueError(f"Invalid field {unknown[0]!r} on model {self._name!r}")
        access.check_fields(self, names, "read")
        return [name for name in names if name != "id"]

    def _missing_error(self) -> Exception:
        """AccessError for a record hidden by the user's rules, else MissingError."""
        if access.enabled(self.env) and self.exists():
            return access.denied(self, "read")
        return MissingError(f"Record does not exist or has been deleted. (Record: {self!r})")


def _display_names(records: BaseModel) -> dict:
    """{id: display name} of the records that exist; the prefetch of their
    columns is the existence check (one query, not two)."""
    ids = [id_ for id_ in records._ids if isinstance(id_, int)]
    if not ids:
        return {}
    columns = [f for f in records._fields.values() if f.column_backed and f.prefetch is True]
    cache = records.env.cache
    probe = cache[columns[0]]
    missing = [id_ for id_ in ids if id_ not in probe]
    if missing:
        records.env.transaction.flush()
        records.browse(missing)._fetch_columns(missing, columns)
    existing = records.browse([id_ for id_ in ids if id_ in probe])
    return {record._ids[0]: record.display_name for record in existing}
