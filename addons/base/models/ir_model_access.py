"""Access rights and record rules, as records (the kernel enforces them).

    access = env["ir.model.access"].create({
        "name": "crm.lead user", "model_id": env.ref("crm.model_crm_lead").id,
        "group_id": env.ref("base.group_user").id,
        "perm_read": True, "perm_write": True, "perm_create": True})
    rule = env["ir.rule"].create({
        "name": "Leads of my companies", "model_id": ...,
        "domain_force": "[('company_id', 'in', company_ids)]"})
    rule["global"]     # True: no groups, so it restricts everyone

An access line without a group grants its rights to everybody. Rules
with groups are combined with OR among the user's groups, global rules
with AND.
"""

from __future__ import annotations

import ast

from core import api, fields, models
from core.exceptions import ValidationError
from core.orm import domain as dom
from core.orm.environment import SUPERUSER_ID
from core.security.rule_eval import eval_rule_domain


class IrModelAccess(models.Model):
    _name = "ir.model.access"
    _description = "Model Access"
    _order = "model_id, group_id, name, id"

    name = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True, help="Archived lines grant nothing")
    model_id = fields.Many2one("ir.model", "Model", required=True, index=True,
                               ondelete="cascade")
    group_id = fields.Many2one("res.groups", "Group", index=True, ondelete="restrict",
                               help="No group: the rights are granted to everybody")
    perm_read = fields.Boolean("Read Access")
    perm_write = fields.Boolean("Write Access")
    perm_create = fields.Boolean("Create Access")
    perm_unlink = fields.Boolean("Delete Access")


class IrRule(models.Model):
    _name = "ir.rule"
    _description = "Record Rule"
    _order = "model_id desc, id"

    name = fields.Char()
    active = fields.Boolean(default=True)
    model_id = fields.Many2one("ir.model", "Model", required=True, index=True,
                               ondelete="cascade")
    groups = fields.Many2many("res.groups", "rule_group_rel", "rule_group_id", "group_id",
                              "Groups")
    domain_force = fields.Text("Domain", help="A domain, as text; it may use user, "
                                              "company_id and company_ids")
    perm_read = fields.Boolean("Apply for Read", default=True)
    perm_write = fields.Boolean("Apply for Write", default=True)
    perm_create = fields.Boolean("Apply for Create", default=True)
    perm_unlink = fields.Boolean("Apply for Delete", default=True)

    _sql_constraints = [
        ("no_access_rights", "check(perm_read OR perm_write OR perm_create OR perm_unlink)",
         "A rule must apply to at least one operation."),
    ]

    @api.depends("groups")
    def _compute_global(self) -> None:
        for rule in self:
            rule["global"] = not rule.groups

    @api.constrains("domain_force")
    def _check_domain(self) -> None:
        for rule in self:
            if not rule.domain_force:
                continue
            try:
                tree = ast.parse(rule.domain_force.strip(), mode="eval")
            except SyntaxError as exc:
                raise ValidationError(f"Invalid domain in rule '{rule.name}': {exc.msg}") \
                    from None
            if not isinstance(tree.body, (ast.List, ast.Tuple)):
                raise ValidationError(f"Invalid domain in rule '{rule.name}': a domain is "
                                      "a list")
            # evaluated and compiled as it will be for users: a mistake shows now,
            # not as an error in every search of the model
            model_name = rule.sudo().model_id.model
            if model_name not in self.env.registry:
                continue
            namespace = {"user": self.env["res.users"].sudo().browse(
                self.env.uid or SUPERUSER_ID), "company_id": False, "company_ids": []}
            try:
                domain = eval_rule_domain(rule.domain_force, namespace)
                model = self.env[model_name].sudo().with_context(active_test=False)
                dom.compile_domain(model, dom.parse(domain))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValidationError(f"Invalid domain in rule '{rule.name}': {exc}") \
                    from None


# 'global' is a Python keyword: the field is set on the class by name (as Odoo does)
setattr(IrRule, "global", fields.Boolean(  # noqa: B010
    compute="_compute_global", store=True,
    help="A rule without groups is global: it restricts every user"))
