"""Merging records: whatever refers to the merged ones moves to the one kept.

    moved = merge_records(kept, others)
    # {"Quotation › Customer": 3, "Messages": 12, "Activities": 2, ...}; others deleted

What refers to a record is found through the registry, so the addons
installed later (sales orders, invoices, tickets...) are covered without
a change here:

- every stored many2one whose comodel is the merged model (not computed or
  related: those follow their sources), on any model, the merged one
  included (a contact's ``parent_id``);
- every stored many2many to the merged model: its links to the others
  become links to the kept record;
- documents attached by a (model, id) pair: the models with an integer
  ``res_id`` and a char ``res_model`` or ``model`` (messages, activities,
  followers, attachments, the workflow's audit trail...), except
  ``ir.model.data`` (external ids stay with the records they name).

Followers are not duplicated: a partner already following the kept record
keeps one subscription. Everything runs as superuser with tracking off
(the caller checked the user's rights and logs one audit message).
"""

from __future__ import annotations

from typing import Any

from core.i18n.translate import model_description

#: models whose (model, id) references are never moved
SKIPPED_MODELS = frozenset({"ir.model.data"})


def merge_records(kept: Any, others: Any, unlink: bool = True) -> dict[str, int]:
    """Move every reference to ``others`` to ``kept``; delete ``others`` unless
    ``unlink`` is False. Returns {what moved (a label): how many records}."""
    kept.ensure_one()
    others = others - kept
    if not others:
        return {}
    env = kept.env(su=True, context={**kept.env.context, "active_test": False,
                                     "tracking_disable": True})
    kept, others = kept.with_env(env), others.with_env(env)
    moved: dict[str, int] = {}
    for model_name in sorted(env.registry.models):
        model = env[model_name]
        if model._abstract or model._transient:       # no table, or wizards
            continue
        for label, count in _move_fields(model, kept, others).items():
            moved[label] = moved.get(label, 0) + count
        if model_name not in SKIPPED_MODELS:
            count = _move_documents(model, kept, others)
            if count:
                label = model_description(env, model)
                moved[label] = moved.get(label, 0) + count
    if unlink:
        others.unlink()
    return moved


def _move_fields(model: Any, kept: Any, others: Any) -> dict[str, int]:
    moved: dict[str, int] = {}
    for name, field in model._fields.items():
        if getattr(field, "comodel_name", None) != kept._name or not field.store \
                or field.compute or field.related or field.type not in ("many2one", "many2many"):
            continue
        domain = [(name, "in", others.ids)]
        if model._name == kept._name:
            domain.append(("id", "not in", (kept | others).ids))
        records = model.search(domain)
        if model._name == kept._name:
            _clear_self_references(kept, others, name, field)
        if not records:
            continue
        if model._name == "mail.followers" and name == "partner_id":
            records = _drop_duplicate_followers(records, kept)
        if field.type == "many2one":
            records.write({name: kept.id})
        else:
            for record in records:
                record.write({name: [(3, other) for other in others.ids] + [(4, kept.id)]})
        label = f"{model_description(model.env, model)} › {field.string}"
        moved[label] = len(records)
    return moved


def _clear_self_references(kept: Any, others: Any, name: str, field: Any) -> None:
    """The kept record must not point to a merged one (or to itself)."""
    value = kept[name]
    if field.type == "many2one" and value and value.id in others.ids:
        kept.write({name: False})
    elif field.type == "many2many" and value & others:
        kept.write({name: [(3, other) for other in (value & others).ids]})


def _drop_duplicate_followers(records: Any, kept: Any) -> Any:
    """Followers rows of the merged partners on documents the kept partner
    follows already are deleted rather than moved."""
    existing = {(f.res_model, f.res_id) for f in records.search(
        [("partner_id", "=", kept.id)])}
    duplicates = records.filtered(lambda f: (f.res_model, f.res_id) in existing)
    duplicates.unlink()
    return records - duplicates


def _move_documents(model: Any, kept: Any, others: Any) -> int:
    """Rows naming one of ``others`` by (model, res_id)."""
    fields = model._fields
    res_id = fields.get("res_id")
    owner = next((name for name in ("res_model", "model") if name in fields
                  and fields[name].type == "char" and fields[name].store), None)
    if res_id is None or res_id.type != "integer" or not res_id.store or owner is None:
        return 0
    records = model.search([(owner, "=", kept._name), ("res_id", "in", others.ids)])
    if not records:
        return 0
    if model._name == "mail.followers":
        followers = {f.partner_id.id for f in model.search(
            [("res_model", "=", kept._name), ("res_id", "=", kept.id)])}
        duplicates = records.filtered(lambda f: f.partner_id.id in followers)
        duplicates.unlink()
        records = (records - duplicates).exists()
        seen: set[int] = set()
        for follower in records:           # two merged records followed by one partner
            if follower.partner_id.id in seen:
                follower.unlink()
                records -= follower
            seen.add(follower.partner_id.id)
    if records:
        records.write({"res_id": kept.id})
    return len(records)
