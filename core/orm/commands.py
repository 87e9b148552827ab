"""x2many write commands: Odoo's tuples and the ``Command`` helper.

    order.write({"order_line": [
        Command.create({"product_id": 7, "product_uom_qty": 10}),   # (0, 0, vals)
        Command.update(12, {"product_uom_qty": 5}),                 # (1, id, vals)
        Command.delete(13),                                         # (2, id)
    ]})
    lead.write({"tag_ids": [Command.set([1, 2])]})                  # (6, 0, ids)

A plain list of ids (or a record set) means "set". Commands of a batch
are applied together: the lines created for 100 orders are one
``create`` call, the links added to a many2many one INSERT.
"""

from __future__ import annotations

from collections import defaultdict
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from core.orm.fields import Field
    from core.orm.models import BaseModel


class Command(IntEnum):
    CREATE = 0
    UPDATE = 1
    DELETE = 2
    UNLINK = 3
    LINK = 4
    CLEAR = 5
    SET = 6

    @classmethod
    def create(cls, values: dict) -> tuple:
        return (cls.CREATE, 0, values)

    @classmethod
    def update(cls, id: int, values: dict) -> tuple:  # noqa: A002 - Odoo's name
        return (cls.UPDATE, id, values)

    @classmethod
    def delete(cls, id: int) -> tuple:  # noqa: A002
        return (cls.DELETE, id, 0)

    @classmethod
    def unlink(cls, id: int) -> tuple:  # noqa: A002
        return (cls.UNLINK, id, 0)

    @classmethod
    def link(cls, id: int) -> tuple:  # noqa: A002
        return (cls.LINK, id, 0)

    @classmethod
    def clear(cls) -> tuple:
        return (cls.CLEAR, 0, 0)

    @classmethod
    def set(cls, ids: list[int]) -> tuple:
        return (cls.SET, 0, list(ids))


def normalize(field: Field, value: Any) -> list[tuple]:
    """The commands a written value stands for; bad input raises ValidationError."""
    if value is None:
        return []
    if value is False:
        return [(Command.CLEAR, 0, 0)]
    if hasattr(value, "_ids"):
        return [(Command.SET, 0, list(value.ids))]
    if not isinstance(value, (list, tuple)):
        raise field.invalid(value, "a list of x2many commands or ids")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [(Command.SET, 0, list(value))]
    commands = []
    for item in value:
        if not isinstance(item, (list, tuple)) or not item or item[0] not in range(7):
            raise field.invalid(item, "an x2many command: (0, 0, values), (1, id, values), "
                                "(2, id), (3, id), (4, id), (5,) or (6, 0, ids)")
        code = int(item[0])
        if code in (0, 1) and (len(item) < 3 or not isinstance(item[2], dict)):
            raise field.invalid(item, "a command with a dict of values")
        if code in (1, 2, 3, 4) and (len(item) < 2 or not isinstance(item[1], int)):
            raise field.invalid(item, "a command with a record id")
        if code == 6 and (len(item) < 3 or not isinstance(item[2], (list, tuple)) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in item[2])):
            raise field.invalid(item, "(6, 0, ids)")
        commands.append(tuple(item) + (0,) * (3 - len(item)))
    return commands


def apply(records: BaseModel, field: Field, values: list, created: bool) -> None:
    """Apply one written value per record of ``records`` to an x2many field."""
    per_record = [(record, normalize(field, value)) for record, value in zip(records, values,
                                                                            strict=True)]
    per_record = [(record, cmds) for record, cmds in per_record if cmds]
    if not per_record:
        return
    if field.type == "one2many":
        _apply_one2many(records, field, per_record)
    else:
        _apply_many2many(records, field, per_record, created)
    cache = records.env.cache[field]
    for record, _cmds in per_record:
        cache.pop(record._ids[0], None)


def _apply_one2many(records: BaseModel, field: Field, per_record: list) -> None:
    env = records.env
    comodel = env[field.comodel_name]
    inverse = field.inverse_name
    inverse_field = comodel._fields[inverse]
    remove_deletes = inverse_field.required or getattr(inverse_field, "ondelete", "") == "cascade"
    to_create: list[dict] = []

    def detach(ids: list) -> None:
        lines = comodel.browse(ids)
        if remove_deletes:
            lines.unlink()
        else:
            lines.write({inverse: False})

    for record, cmds in per_record:
        owner = record._ids[0]
        for code, id_, vals in cmds:
            if code == Command.CREATE:
                to_create.append({**vals, inverse: owner})
            elif code == Command.UPDATE:
                comodel.browse(id_).write(vals)
            elif code == Command.DELETE:
                comodel.browse(id_).unlink()
            elif code == Command.UNLINK:
                detach([id_])
            elif code == Command.LINK:
                comodel.browse(id_).write({inverse: owner})
            elif code == Command.CLEAR:
                current = comodel.with_context(active_test=False).search([(inverse, "=", owner)])
                if current:
                    detach(current.ids)
            elif code == Command.SET:
                wanted = set(vals)
                current = comodel.with_context(active_test=False).search([(inverse, "=", owner)])
                gone = [i for i in current.ids if i not in wanted]
                if gone:
                    detach(gone)
                new = [i for i in vals if i not in set(current.ids)]
                if new:
                    comodel.browse(new).write({inverse: owner})
    if to_create:
        comodel.create(to_create)


def _apply_many2many(records: BaseModel, field: Field, per_record: list, created: bool) -> None:
    env = records.env
    comodel = env[field.comodel_name]
    rel = field.rel_table
    col1, col2 = rel.c[field.column1], rel.c[field.column2]
    owners = [record._ids[0] for record, _cmds in per_record]
    current: dict[int, list] = defaultdict(list)
    if not created:
        for chunk_start in range(0, len(owners), 10_000):
            chunk = owners[chunk_start:chunk_start + 10_000]
            for owner, target in env.transaction.execute(
                    sa.select(col1, col2).where(col1.in_(chunk))):
                current[owner].append(target)
    # create the new targets of all records at once
    creations = [vals for _record, cmds in per_record
                 for code, _id, vals in cmds if code == Command.CREATE]
    if not created:
        # a write gives all its records the same commands: as Odoo, each new
        # target is created once and linked to every one of them
        creations = list({id(vals): vals for vals in creations}.values())
    new_ids = comodel.create(creations).ids if creations else []
    shared = dict(zip(map(id, creations), new_ids, strict=True)) if not created else {}
    created_ids = iter(new_ids)
    inserts, deletes = [], []
    for _record, cmds in per_record:
        owner = _record._ids[0]
        links = list(current.get(owner, ()))
        before = set(links)
        for code, id_, vals in cmds:
            if code == Command.CREATE:
                links.append(shared[id(vals)] if shared else next(created_ids))
            elif code == Command.UPDATE:
                comodel.browse(id_).write(vals)
                if id_ not in links:
                    links.append(id_)
            elif code == Command.DELETE:
                comodel.browse(id_).unlink()
                links = [i for i in links if i != id_]
                before.discard(id_)
            elif code == Command.UNLINK:
                links = [i for i in links if i != id_]
            elif code == Command.LINK:
                if id_ not in links:
                    links.append(id_)
            elif code == Command.CLEAR:
                links = []
            elif code == Command.SET:
                links = list(dict.fromkeys(vals))
        after = set(links)
        inserts.extend({field.column1: owner, field.column2: t} for t in links
                       if t not in before)
        deletes.extend((owner, t) for t in before - after)
    if deletes:
        by_owner: dict[int, list] = defaultdict(list)
        for owner, target in deletes:
            by_owner[owner].append(target)
        for owner, targets in by_owner.items():
            env.transaction.execute(sa.delete(rel).where(col1 == owner, col2.in_(targets)))
    if inserts:
        seen = set()
        unique = []
        for row in inserts:
            key = (row[field.column1], row[field.column2])
            if key not in seen:
                seen.add(key)
                unique.append(row)
        targets = {row[field.column2] for row in unique}
        found = set(comodel.browse(sorted(targets)).exists().ids)
        missing = sorted(targets - found)
        if missing:
            raise field.invalid(missing[0], f"the id of an existing {field.comodel_name}")
        env.transaction.execute(sa.insert(rel), unique)
    # the other side of the relation, if declared, is stale now
    for other in env.registry.fields_on_relation(field.rel_table.name):
        if other is not field:
            env.cache.pop(other, None)
