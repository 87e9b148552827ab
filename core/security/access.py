"""Access rights and record rules, applied by the ORM on every path.

    check_rights(env["crm.lead"], "write")          # AccessError if no group grants it
    condition = rule_condition(env["crm.lead"], "read", table)   # SQL, or None
    check_rules(leads, "unlink")                    # AccessError if a rule hides one

Rights (``ir.model.access``) are additive: an operation is allowed when
any active line for the model grants it to a group of the user, or to
everyone (no group). Record rules (``ir.rule``) restrict rows: global
rules (without groups) are AND-ed; the rules of the user's groups are
OR-ed together and the result AND-ed with the global ones. A rule's
domain is evaluated by ``rule_eval`` (``user``, ``company_id``,
``company_ids``, ``time``), compiled to SQL and added to the query's
WHERE clause: a search never filters in Python.

Everything is skipped for ``sudo()`` environments and before the base
addon's security models exist. Lookups are cached at two levels: for the
transaction (``memo``), and for the process on the registry
(``SharedCache``), so that a call does not query the user's groups,
rights and rules again. A transaction that changes rights, rules, groups,
memberships or companies (``note_change``) stops using the shared cache,
empties it, and empties it again once committed (``Transaction.committed``);
other processes learn of the change through the database's cache signal
and drop theirs (``on_cache_change``), so no worker serves stale rights
for longer than one request.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import AccessError
from core.i18n.translate import _, _lt, field_string, model_description
from core.modules import signals
from core.orm import domain as dom
from core.security.rule_eval import eval_rule_domain

if TYPE_CHECKING:
    from core.orm.environment import Environment
    from core.orm.models import BaseModel

OPERATIONS = ("read", "write", "create", "unlink")
_VERBS = {"read": _lt("read"), "write": _lt("modify"), "create": _lt("create"),
          "unlink": _lt("delete")}


def enabled(env: Environment) -> bool:
    return not env.su and env.uid is not None and "ir.model.access" in env.registry


#: models whose changes change what users may do (None: any field)
SECURITY_MODELS: dict[str, frozenset[str] | None] = {
    "ir.model.access": None, "ir.rule": None, "res.groups": None, "res.company": None,
    "res.users": frozenset({"groups_id", "company_id", "company_ids", "active", "share",
                            "partner_id"}),
    # workflows say which transitions a user may take
    "ir.workflow": None, "ir.workflow.state": None, "ir.workflow.transition": None,
    # the installed languages (res.lang.get_installed) are kept the same way
    "res.lang": frozenset({"active", "code", "name"}),
}
_MISSING = object()


class SharedCache:
    """The security lookups of one registry, shared by the transactions of a
    process. A value computed while the cache was being emptied is not kept
    (``generation``), so a lookup that raced with a change stays out."""

    def __init__(self) -> None:
        self.generation = 0
        self._values: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        return self._values.get(key, _MISSING)

    def put(self, key: tuple, value: Any, generation: int) -> None:
        with self._lock:
            if generation == self.generation:
                if len(self._values) > 50_000:
                    self._values.clear()
                self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._values.clear()


def shared_cache(registry: Any) -> SharedCache:
    cache = getattr(registry, "security_cache", None)
    if cache is None:
        cache = registry.security_cache = SharedCache()
    return cache


def invalidate(env: Environment) -> None:
    """Forget the cached rights and rules (rights, rules or groups changed):
    the transaction's, the process's now and again when it commits."""
    tx = env.transaction
    tx.memo.pop("security", None)
    cache = shared_cache(tx.registry)
    cache.clear()
    if "security" not in tx.flags:
        tx.flags.add("security")
        tx.on_commit.append(cache.clear)
        tx.on_commit.extend(getattr(tx.registry, "security_listeners", ()))
        # the other processes drop theirs at their next check_signals()
        tx.on_commit.append(functools.partial(signals.cache_changed,
                                              tx.connection.engine))


def note_change(model: BaseModel, names: Any = None) -> None:
    """Called by the ORM after create/write/unlink on any model (``names``:
    the fields written, None for create/unlink)."""
    if model._name not in SECURITY_MODELS:
        return
    watched = SECURITY_MODELS[model._name]
    if watched is None or names is None or not watched.isdisjoint(names):
        invalidate(model.env)


def _memo(env: Environment) -> dict:
    return env.transaction.memo.setdefault("security", {})


def cached(env: Environment, key: tuple, compute: Any) -> Any:
    """``compute()`` once per transaction, and once per process while no
    security change is pending in this transaction."""
    memo = _memo(env)
    value = memo.get(key, _MISSING)
    if value is not _MISSING:
        return value
    tx = env.transaction
    shared = None if "security" in tx.flags else shared_cache(tx.registry)
    if shared is not None:
        value = shared.get(key)
        if value is not _MISSING:
            memo[key] = value
            return value
        generation = shared.generation
    value = memo[key] = compute()
    if shared is not None:
        # kept for the process once committed: what a transaction that rolls
        # back has seen (a user it created, ids SQLite then reuses) stays out
        pending = tx.memo.get("security_publish")
        if pending is None:
            pending = tx.memo["security_publish"] = []
            tx.on_commit.append(lambda: _publish(tx, shared, pending))
        pending.append((key, value, generation))
    return value


def _publish(tx: Any, shared: SharedCache, pending: list) -> None:
    if "security" in tx.flags:
        return
    for key, value, generation in pending:
        shared.put(key, value, generation)


def group_ids(env: Environment) -> frozenset[int]:
    """The user's groups, with every group they imply."""
    return cached(env, ("groups", env.uid), lambda: _fetch_group_ids(env))


def _fetch_group_ids(env: Environment) -> frozenset[int]:
    users_field = env.registry["res.users"]._fields["groups_id"]
    rel = users_field.rel_table
    direct = sa.select(rel.c[users_field.column2].label("gid")).where(
        rel.c[users_field.column1] == env.uid)
    implied = env.registry["res.groups"]._fields.get("implied_ids")
    if implied is None:
        stmt = direct
    else:
        # one recursive query (UNION stops on cycles)
        irel = implied.rel_table
        closure = direct.cte("user_groups", recursive=True)
        closure = closure.union(sa.select(irel.c[implied.column2]).where(
            irel.c[implied.column1] == closure.c.gid))
        stmt = sa.select(closure.c.gid)
    return frozenset(env.transaction.execute(stmt).scalars())


def has_group_ids(env: Environment, xmlids: str) -> bool:
    """Whether the user is in one of the comma-separated groups ``xmlids``."""
    if not enabled(env):
        return True

    def compute() -> bool:
        wanted = set()
        for xmlid in xmlids.split(","):
            found = env.ref(xmlid.strip(), raise_if_not_found=False)
            if found:
                wanted.add(found.id)
        return bool(group_ids(env) & wanted)
    return cached(env, ("has", env.uid, xmlids), compute)


def check_rights(model: BaseModel, operation: str, raise_exception: bool = True) -> bool:
    env = model.env
    if not enabled(env):
        return True
    allowed = cached(env, ("rights", env.uid, model._name, operation),
                      lambda: _fetch_rights(env, model._name, operation))
    if not allowed and raise_exception:
        raise AccessError(_(
            env, "You are not allowed to %(verb)s '%(model)s' (%(name)s) records. This "
            "operation is allowed for some groups only; contact your administrator to "
            "request access if necessary.", verb=_(env, _VERBS[operation]),
            model=model_description(env, model), name=model._name))
    return allowed


def _fetch_rights(env: Environment, model_name: str, operation: str) -> bool:
    access = env.registry["ir.model.access"]._table_obj
    irm = env.registry["ir.model"]._table_obj
    groups = sorted(group_ids(env))
    stmt = (sa.select(access.c.id)
            .select_from(access.join(irm, irm.c.id == access.c.model_id))
            .where(irm.c.model == model_name, access.c.active == sa.true(),
                   access.c[f"perm_{operation}"] == sa.true(),
                   sa.or_(access.c.group_id.is_(None), access.c.group_id.in_(groups)))
            .limit(1))
    return env.transaction.execute(stmt).first() is not None


def rule_domain(model: BaseModel, operation: str) -> list | None:
    """The user's record-rule domain for the model and operation, or None."""
    env = model.env
    if not enabled(env) or "ir.rule" not in env.registry:
        return None
    company_ids = tuple(_company_ids(env))
    return cached(env, ("rules", env.uid, model._name, operation, company_ids),
                   lambda: _rule_domain(env, model._name, operation, company_ids))


def _rule_domain(env: Environment, model_name: str, operation: str,
                 company_ids: tuple) -> list | None:
    rules = _rules_of(env, model_name, operation)
    if not rules:
        return None
    namespace = _namespace(env, company_ids)
    mine = group_ids(env)
    global_domains, group_domains = [], []
    for domain_text, rule_groups in rules:
        domain = eval_rule_domain(domain_text or "[]", namespace)
        if not rule_groups:
            global_domains.append(domain or [(1, "=", 1)])
        elif rule_groups & mine:
            group_domains.append(domain or [(1, "=", 1)])
    parts = list(global_domains)
    if group_domains:
        parts.append(dom.OR(group_domains))
    return dom.AND(parts) if parts else None


def _rules_of(env: Environment, model_name: str, operation: str) -> list[tuple[str, set]]:
    return cached(env, ("rule_rows", model_name, operation),
                   lambda: _fetch_rules(env, model_name, operation))


def _fetch_rules(env: Environment, model_name: str, operation: str) -> list[tuple[str, set]]:
    rule = env.registry["ir.rule"]._table_obj
    irm = env.registry["ir.model"]._table_obj
    groups_field = env.registry["ir.rule"]._fields["groups"]
    rel = groups_field.rel_table
    rows = env.transaction.execute(
        sa.select(rule.c.id, rule.c.domain_force, rel.c[groups_field.column2])
        .select_from(rule.join(irm, irm.c.id == rule.c.model_id)
                     .outerjoin(rel, rel.c[groups_field.column1] == rule.c.id))
        .where(irm.c.model == model_name, rule.c.active == sa.true(),
               rule.c[f"perm_{operation}"] == sa.true())
        .order_by(rule.c.id)).all()
    rules: dict[int, tuple[str, frozenset]] = {}
    for rule_id, domain_force, group_id in rows:
        text, groups = rules.get(rule_id, (domain_force, frozenset()))
        rules[rule_id] = (text, groups | {group_id} if group_id is not None else groups)
    return list(rules.values())


def _user_companies(env: Environment) -> list[int]:
    """The user's companies, their default company (``company_id``) first."""
    return cached(env, ("companies", env.uid), lambda: _fetch_user_companies(env))


def _fetch_user_companies(env: Environment) -> list[int]:
    users = env.registry["res.users"]
    field = users._fields.get("company_ids")
    if field is None:
        return []
    rel = field.rel_table
    table = users._table_obj
    default_column = table.c.company_id if "company_id" in users._fields else sa.null()
    rows = env.transaction.execute(
        sa.select(default_column, rel.c[field.column2])
        .select_from(table.outerjoin(rel, rel.c[field.column1] == table.c.id))
        .where(table.c.id == env.uid)).all()
    default = rows[0][0] if rows else None
    mine = sorted({row[1] for row in rows if row[1] is not None})
    if default in mine:
        mine = [default] + [c for c in mine if c != default]
    return mine


def _company_ids(env: Environment) -> list[int]:
    """The companies the rules see: the context's ``allowed_company_ids`` (the
    current one first), which must be companies of the user, else the user's."""
    mine = _user_companies(env)
    allowed = env.context.get("allowed_company_ids")
    if allowed:
        allowed = list(allowed)
        if any(company_id not in mine for company_id in allowed):
            raise AccessError(_(env, "Access to unauthorized or invalid companies."))
        return allowed
    return mine


def _namespace(env: Environment, company_ids: tuple) -> dict[str, Any]:
    user = env["res.users"].sudo().browse(env.uid)
    company_id = company_ids[0] if company_ids else False
    return {"user": user, "company_id": company_id, "company_ids": list(company_ids)}


def rule_condition(model: BaseModel, operation: str, table: Any = None) -> Any:
    """The SQL condition of the user's rules on the model's table, or None."""
    domain = rule_domain(model, operation)
    if domain is None:
        return None
    if table is not None and table is not model._table_obj:
        return _compile_rules(model, domain, table)
    env = model.env
    # an expression on the model's own table is immutable: kept with the domain
    key = ("condition", env.uid, model._name, operation, tuple(_company_ids(env)), env.lang)
    return cached(env, key, lambda: _compile_rules(model, domain, model._table_obj))


def _compile_rules(model: BaseModel, domain: list, table: Any) -> Any:
    # rule domains are compiled as superuser: rules do not nest
    privileged = model.sudo().with_context(active_test=False)
    return dom.compile_domain(privileged, dom.parse(domain), table)


def check_rules(records: BaseModel, operation: str) -> None:
    """AccessError unless every record passes the user's rules for ``operation``."""
    condition = rule_condition(records, operation)
    ids = records.ids
    if condition is None or not ids:
        return
    table = records._table_obj
    allowed: set = set()
    for start in range(0, len(ids), 10_000):
        chunk = ids[start:start + 10_000]
        allowed.update(records.env.transaction.execute(
            sa.select(table.c.id).where(table.c.id.in_(chunk), condition)).scalars())
    refused = [i for i in ids if i not in allowed]
    if refused:
        # deleted records are not hidden ones: the caller reports them as missing
        refused = records.browse(refused).exists()
    if refused:
        raise denied(refused, operation)


def denied(records: BaseModel, operation: str) -> AccessError:
    sample = ", ".join(str(i) for i in records.ids[:5])
    more = "..." if len(records) > 5 else ""
    env = records.env
    return AccessError(_(
        env, "Due to security restrictions, you are not allowed to %(verb)s '%(model)s' "
        "(%(name)s) records (%(ids)s).", verb=_(env, _VERBS[operation]),
        model=model_description(env, records), name=records._name, ids=sample + more))


def field_allowed(model: BaseModel, field: Any) -> bool:
    groups = getattr(field, "groups", None)
    return not groups or has_group_ids(model.env, groups)


def check_fields(model: BaseModel, names: Any, operation: str) -> None:
    if not enabled(model.env):
        return
    for name in names:
        field = model._fields.get(name)
        if field is not None and not field_allowed(model, field):
            env = model.env
            raise AccessError(_(
                env, "You are not allowed to %(verb)s the field '%(label)s' (%(field)s); it "
                "is restricted to some groups.", verb=_(env, _VERBS[operation]),
                label=field_string(env, field), field=f"{model._name}.{name}"))
