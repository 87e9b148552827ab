"""Automated actions (``base.automation``) run by the ORM and the job runner.

The ORM calls ``on_change(records, "create" | "write", names)`` after every
create and write; time-based actions run from the scheduled job
``base.automation._run_time_triggers``. An action that changes its own
records does not trigger itself again within the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from core.orm import domain as dom

if TYPE_CHECKING:
    from core.orm.models import BaseModel

_logger = logging.getLogger("troika.automation")
_ON = {"create": ("on_create", "on_create_or_write"),
       "write": ("on_write", "on_create_or_write")}


def parse_filter(model: BaseModel, text: str | None) -> list:
    """A filter domain literal, checked against the model (no Python eval)."""
    if not text:
        return []
    from core.workflow.engine import dom_literal

    domain = dom_literal(text)
    model.sudo()._where(dom.parse(domain))
    return domain


def _rules(model: BaseModel) -> list[dict]:
    env = model.env
    memo = env.transaction.memo.setdefault("automations", {})
    if model._name not in memo:
        found = env["base.automation"].sudo().search([("model", "=", model._name),
                                                      ("trigger", "!=", "on_time")])
        memo[model._name] = [
            {"id": r.id, "trigger": r.trigger, "action": r.action, "method": r.method,
             "values": r.values, "summary": r.activity_summary,
             "user_field": r.activity_user_field, "delay": r.activity_delay or 0,
             "template": r.template, "domain": parse_filter(model, r.filter_domain),
             "fields": {f.strip() for f in (r.trigger_field_names or "").split(",")
                        if f.strip()}}
            for r in found]
    return memo[model._name]


def on_change(records: BaseModel, event: str, names: set[str]) -> None:
    env = records.env
    if "base.automation" not in env.registry or records._name == "base.automation" \
            or not records._ids:
        return
    rules = [rule for rule in _rules(records) if rule["trigger"] in _ON[event]]
    if not rules:
        return
    running = env.transaction.memo.setdefault("automations_running", set())
    for rule in rules:
        if event == "write" and rule["fields"] and not rule["fields"] & names:
            continue
        targets = records.sudo()
        if rule["domain"]:
            targets = targets.filtered_domain(rule["domain"])
        targets = targets.browse([i for i in targets._ids if (rule["id"], i) not in running])
        if not targets:
            continue
        keys = {(rule["id"], i) for i in targets._ids}
        running.update(keys)
        try:
            run_action(targets, rule)
        finally:
            running.difference_update(keys)


def run_action(records: BaseModel, rule: dict) -> None:
    action = rule["action"]
    if action == "method":
        getattr(records, rule["method"])()
    elif action == "write":
        records.write(rule["values"] or {})
    elif action == "activity":
        deadline = dt.date.today() + dt.timedelta(days=rule["delay"])
        for record in records:
            user = (record[rule["user_field"]] if rule["user_field"] else None) \
                or record.env.user
            record._workflow_activity(rule["summary"] or "", user, deadline)
    elif action == "template":
        for record in records:
            record._workflow_template(rule["template"])


def run_time_triggers(automations: BaseModel, now: dt.datetime) -> int:
    """Run every on_time action for the records whose date + delay fell in
    (last run, now]; returns how many records were handled."""
    count = 0
    rules = automations.search([("trigger", "=", "on_time")])
    for rule_id in rules.ids:
        # each rule in a savepoint of its own: a failing rule is logged and
        # retried next time (its window stays open) without holding back the others
        try:
            with automations.env.transaction.atomic(savepoint=True):
                count += _run_time_rule(automations.browse(rule_id), now)
        except Exception:  # noqa: BLE001
            _logger.exception("Automated action %s failed", rule_id)
    return count


def _run_time_rule(rule: BaseModel, now: dt.datetime) -> int:
    model = rule.env[rule.model].sudo()
    field = model._fields[rule.date_field]
    start, end = rule._window_start(now), now
    shift = dt.timedelta(days=rule.delay or 0)
    low, high = start - shift, end - shift
    if field.type == "date":
        low, high = low.date(), high.date()
    domain = [(rule.date_field, ">", low.isoformat() if field.type == "date" else low),
              (rule.date_field, "<=", high.isoformat() if field.type == "date" else high)]
    domain += parse_filter(model, rule.filter_domain)
    targets = model.search(domain)
    if targets:
        run_action(targets, {
            "action": rule.action, "method": rule.method, "values": rule.values,
            "summary": rule.activity_summary, "user_field": rule.activity_user_field,
            "delay": rule.activity_delay or 0, "template": rule.template})
    rule.write({"last_run": now})
    return len(targets)


def invalidate(env: Any) -> None:
    env.transaction.memo.pop("automations", None)
