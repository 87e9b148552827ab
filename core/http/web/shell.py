"""The app shell: the menus of the top bar and what every page shows around itself.

    menus = load_menus(env)        # [MenuItem(name="Sales", url=..., children=[...])]
    menus[0].url                   # '/web/action/12?menu=3': its first action

A menu is shown when the user is in one of its groups (or it has none),
its parents are shown, and it opens an action the user may use (a
window action on a model they may read) or holds such a menu. An app
(a root menu) opens the first action found under it, depth first.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from core.orm.environment import Environment
from core.security import access

_REFERENCE = re.compile(r"^([a-z][a-z0-9_.]*),(\d+)$")


@dataclass
class MenuItem:
    id: int
    name: str
    sequence: int
    parent_id: int | None
    action: tuple[str, int] | None
    children: list[MenuItem] = field(default_factory=list)
    url: str | None = None
    root_id: int | None = None

    def first_url(self) -> str | None:
        if self.url:
            return self.url
        for child in self.children:
            found = child.first_url()
            if found:
                return found
        return None


#: registry -> {(uid, lang, groups, stamp): menu tree}; trees are never changed once made
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_SIZE = 1000
_LOCK = threading.Lock()


def load_menus(env: Environment) -> list[MenuItem]:
    """The menu tree the user may see (roots are apps), in sequence order.

    Trees are kept per process, for a user, language and set of groups, and
    made again when menus, window actions or access rights change (one query
    compares their latest write and their count)."""
    groups = access.group_ids(env) if access.enabled(env) else None
    key = (env.uid, env.context.get("lang"), groups, _stamp(env))
    with _LOCK:
        trees = _CACHE.setdefault(env.registry, {})
        tree = trees.get(key)
    if tree is None:
        tree = _load_menus(env)
        with _LOCK:
            if len(trees) >= _CACHE_SIZE:
                trees.clear()
            trees[key] = tree
    return tree


def _stamp(env: Environment) -> tuple:
    """What changes when menus, their groups, window actions or access rights do
    (write dates count whole seconds: the sums catch changes within one second,
    but for a rename to a name of the same length)."""
    menu = env.registry["ir.ui.menu"]._table_obj
    rel_field = env.registry["ir.ui.menu"]._fields["groups_id"]
    rel = rel_field.rel_table
    func = sa.func
    columns = [
        sa.select(func.count(menu.c.id), func.max(menu.c.write_date),
                  func.sum(menu.c.sequence), func.sum(menu.c.parent_id),
                  func.sum(func.length(menu.c.action)),
                  func.sum(func.length(sa.cast(menu.c.name, sa.String)))),
        sa.select(func.count(), func.sum(rel.c[rel_field.column1] * 7919
                                         + rel.c[rel_field.column2])).select_from(rel),
    ]
    for model in ("ir.actions.act_window", "ir.model.access"):
        table = env.registry[model]._table_obj
        columns.append(sa.select(func.count(table.c.id), func.max(table.c.write_date)))
    stamp: list = []
    for select in columns:
        subquery = select.subquery()
        stamp += [sa.select(column).scalar_subquery() for column in subquery.c]
    return tuple(env.transaction.execute(sa.select(*stamp)).first())


def _load_menus(env: Environment) -> list[MenuItem]:
    menus = env["ir.ui.menu"].search([])
    # one read of the columns and the groups, which the group filter then finds cached
    rows = menus.read(["name", "sequence", "parent_id", "action", "groups_id"]) if menus else []
    visible = set(menus._filter_visible_menus().ids)
    rows = [row for row in rows if row["id"] in visible]
    items = {}
    for row in rows:
        match = _REFERENCE.match(row["action"] or "")
        items[row["id"]] = MenuItem(
            id=row["id"], name=row["name"], sequence=row["sequence"],
            parent_id=row["parent_id"][0] if row["parent_id"] else None,
            action=(match.group(1), int(match.group(2))) if match else None)
    usable = _usable_actions(env, [m.action for m in items.values() if m.action])
    roots = []
    for item in items.values():         # read() keeps the menus' order
        if item.parent_id is None:
            roots.append(item)
        elif item.parent_id in items:
            items[item.parent_id].children.append(item)
    for root in roots:
        _assign(root, root.id, usable)
    return [root for root in roots if _prune(root)]


def _usable_actions(env: Environment, refs: list[tuple[str, int]]) -> dict[tuple, str]:
    """{(action model, id): url} of the actions the user may open."""
    ids = sorted({rid for model, rid in refs if model == "ir.actions.act_window"})
    if not ids:
        return {}
    actions = env["ir.actions.act_window"].browse(ids).exists()
    mine = access.group_ids(env) if access.enabled(env) else None
    usable = {}
    for row in actions.read(["res_model", "groups_id"]):
        model = row["res_model"]
        if model not in env or not env[model].check_access_rights("read", False):
            continue
        if mine is not None and row["groups_id"] and not mine & set(row["groups_id"]):
            continue
        usable[("ir.actions.act_window", row["id"])] = f"/web/action/{row['id']}"
    return usable


def _assign(item: MenuItem, root_id: int, usable: dict) -> None:
    item.root_id = root_id
    url = usable.get(item.action) if item.action else None
    item.url = f"{url}?menu={root_id}" if url else None
    for child in item.children:
        _assign(child, root_id, usable)


def _prune(item: MenuItem) -> bool:
    """Drop the sub-menus that open nothing; whether ``item`` stays."""
    item.children = [child for child in item.children if _prune(child)]
    return bool(item.url or item.children)


def shell_values(page: Any) -> dict:
    """What the shell template (web/layout.html) needs, for ``page``'s user."""
    env = page.env
    menus = load_menus(env)
    menu_id = _int(page.request.args.get("menu"))
    current = next((m for m in menus if m.id == menu_id), None)
    name = env.transaction.memo.get("web.user_name") or env.user.name
    return {"menus": menus, "current_app": current, "user_name": name,
            "csrf_token": page.csrf_token, "lang": (env.lang or "en_US").replace("_", "-"),
            "database": page.client.db.name,
            # the Apps page (core/http/apps.py) is for administrators
            "is_system": access.has_group_ids(env, "base.group_system")}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
