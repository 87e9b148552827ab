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
addon's security models exist. Lookups are cached for the transaction
and dropped when rights, rules, groups or memberships change
(``invalidate``), so that several workers never serve stale rights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import AccessError
from core.orm import domain as dom
from core.security.rule_eval import eval_rule_domain

if TYPE_CHECKING:
    from core.orm.environment import Environment
    from core.orm.models import BaseModel

OPERATIONS = ("read", "write", "create", "unlink")
_VERBS = {"read": "read", "write": "modify", "create": "create", "unlink": "delete"}


def enabled(env: Environment) -> bool:
    return not env.su and env.uid is not None and "ir.model.access" in env.registry


#: models whose changes change what users may do
SECURITY_MODELS = frozenset({"ir.model.access", "ir.rule", "res.groups", "res.users",
                             "res.company"})


def invalidate(env: Environment) -> None:
    """Forget the cached rights and rules (rights, rules or groups changed)."""
    env.transaction.memo.pop("security", None)


def note_change(model: BaseModel) -> None:
    """Called by the ORM after create/write/unlink on any model."""
    if model._name in SECURITY_MODELS:
        invalidate(model.env)


def _memo(env: Environment) -> dict:
    return env.transaction.memo.setdefault("security", {})


def group_ids(env: Environment) -> frozenset[int]:
    """The user's groups, with every group they imply."""
    memo = _memo(env)
    key = ("groups", env.uid)
    if key not in memo:
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
        memo[key] = frozenset(env.transaction.execute(stmt).scalars())
    return memo[key]


def has_group_ids(env: Environment, xmlids: str) -> bool:
    """Whether the user is in one of the comma-separated groups ``xmlids``."""
    if not enabled(env):
        return True
    memo = _memo(env)
    key = ("has", env.uid, xmlids)
    if key not in memo:
        mine = group_ids(env)
        wanted = set()
        for xmlid in xmlids.split(","):
            found = env.ref(xmlid.strip(), raise_if_not_found=False)
            if found:
                wanted.add(found.id)
        memo[key] = bool(mine & wanted)
    return memo[key]


def check_rights(model: BaseModel, operation: str, raise_exception: bool = True) -> bool:
    env = model.env
    if not enabled(env):
        return True
    memo = _memo(env)
    key = ("rights", env.uid, model._name, operation)
    if key not in memo:
        access = env.registry["ir.model.access"]._table_obj
        irm = env.registry["ir.model"]._table_obj
        groups = sorted(group_ids(env))
        stmt = (sa.select(access.c.id)
                .select_from(access.join(irm, irm.c.id == access.c.model_id))
                .where(irm.c.model == model._name, access.c.active == sa.true(),
                       access.c[f"perm_{operation}"] == sa.true(),
                       sa.or_(access.c.group_id.is_(None), access.c.group_id.in_(groups)))
                .limit(1))
        memo[key] = env.transaction.execute(stmt).first() is not None
    if not memo[key] and raise_exception:
        raise AccessError(
            f"You are not allowed to {_VERBS[operation]} '{model._description}' "
            f"({model._name}) records. This operation is allowed for some groups "
            "only; contact your administrator to request access if necessary.")
    return memo[key]


def rule_domain(model: BaseModel, operation: str) -> list | None:
    """The user's record-rule domain for the model and operation, or None."""
    env = model.env
    if not enabled(env) or "ir.rule" not in env.registry:
        return None
    company_ids = tuple(_company_ids(env))
    memo = _memo(env)
    key = ("rules", env.uid, model._name, operation, company_ids)
    if key in memo:
        return memo[key]
    rules = _rules_of(env, model._name, operation)
    if not rules:
        memo[key] = None
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
    result = dom.AND(parts) if parts else None
    memo[key] = result
    return result


def _rules_of(env: Environment, model_name: str, operation: str) -> list[tuple[str, set]]:
    memo = _memo(env)
    key = ("rule_rows", model_name, operation)
    if key not in memo:
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
        rules: dict[int, tuple[str, set]] = {}
        for rule_id, domain_force, group_id in rows:
            groups = rules.setdefault(rule_id, (domain_force, set()))[1]
            if group_id is not None:
                groups.add(group_id)
        memo[key] = list(rules.values())
    return memo[key]


def _user_companies(env: Environment) -> list[int]:
    """The user's companies, their default company (``company_id``) first."""
    memo = _memo(env)
    key = ("companies", env.uid)
    if key not in memo:
        users = env.registry["res.users"]
        field = users._fields.get("company_ids")
        if field is None:
            memo[key] = []
            return memo[key]
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
        memo[key] = mine
    return memo[key]


def _company_ids(env: Environment) -> list[int]:
    """The companies the rules see: the context's ``allowed_company_ids`` (the
    current one first), which must be companies of the user, else the user's."""
    mine = _user_companies(env)
    allowed = env.context.get("allowed_company_ids")
    if allowed:
        allowed = list(allowed)
        if any(company_id not in mine for company_id in allowed):
            raise AccessError("Access to unauthorized or invalid companies.")
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
    # rule domains are compiled as superuser: rules do not nest
    privileged = model.sudo().with_context(active_test=False)
    return dom.compile_domain(privileged, dom.parse(domain),
                              model._table_obj if table is None else table)


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
    return AccessError(
        f"Due to security restrictions, you are not allowed to {_VERBS[operation]} "
        f"'{records._description}' ({records._name}) records ({sample}{more}).")


def field_allowed(model: BaseModel, field: Any) -> bool:
    groups = getattr(field, "groups", None)
    return not groups or has_group_ids(model.env, groups)


def check_fields(model: BaseModel, names: Any, operation: str) -> None:
    if not enabled(model.env):
        return
    for name in names:
        field = model._fields.get(name)
        if field is not None and not field_allowed(model, field):
            raise AccessError(
                f"You are not allowed to {_VERBS[operation]} the field '{field.string}' "
                f"({model._name}.{name}); it is restricted to some groups.")
