"""E-mail aliases: an address whose incoming mail creates or feeds records.

    env["mail.alias"].create({
        "alias_name": "sales", "alias_model_id": env["ir.model"]._get_id("crm.lead"),
        "alias_defaults": "{'type': 'lead', 'team_id': 3}",
        "alias_contact": "everyone"})
    # a mail to sales@<catchall domain> creates a crm.lead through message_new()

``alias_force_thread_id`` posts every mail on one record instead (a
channel, a project); ``alias_contact`` says who may write: ``everyone``,
``partners`` (known senders) or ``followers`` (of the parent record).
``alias_defaults`` is a dict literal, read without evaluating code.
"""

from __future__ import annotations

import ast
import re

from core import api, fields, models
from core.exceptions import ValidationError

_ALIAS_NAME = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def parse_defaults(text: str | None) -> dict:
    """The dict literal of ``alias_defaults`` (ValueError if it is not one)."""
    if not text or not text.strip():
        return {}
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        raise ValueError(f"alias_defaults must be a dict literal, not {text!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"alias_defaults must be a dict literal, not {text!r}")
    return value


class MailAlias(models.Model):
    _name = "mail.alias"
    _description = "Email Aliases"
    _rec_name = "alias_name"
    _order = "alias_name"

    alias_name = fields.Char("Alias Name", index=True,
                             help="The local part of the address, e.g. 'sales'")
    alias_model_id = fields.Many2one("ir.model", "Aliased Model", required=True,
                                     ondelete="cascade",
                                     help="The model whose records incoming mail creates")
    alias_defaults = fields.Text("Default Values", required=True, default="{}",
                                 help="A dict literal of values for the records created")
    alias_force_thread_id = fields.Integer("Record Thread ID",
                                           help="Post every mail on this record instead")
    alias_parent_model_id = fields.Many2one("ir.model", "Parent Model", ondelete="cascade")
    alias_parent_thread_id = fields.Integer("Parent Record Thread ID")
    alias_contact = fields.Selection([("everyone", "Everyone"),
                                      ("partners", "Authenticated Partners"),
                                      ("followers", "Followers only")], "Alias Contact Security",
                                     required=True, default="everyone")
    alias_full_name = fields.Char("Alias Email", compute="_compute_alias_full_name")

    _sql_constraints = [("alias_unique", "unique(alias_name)",
                         "Another alias has this name already.")]

    @api.depends("alias_name")
    def _compute_alias_full_name(self) -> None:
        domain = self.env["ir.config_parameter"].sudo().get_param("mail.catchall.domain")
        for alias in self:
            alias.alias_full_name = f"{alias.alias_name}@{domain}" if alias.alias_name \
                and domain else alias.alias_name or False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("alias_name"):
                vals["alias_name"] = vals["alias_name"].strip().lower()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("alias_name"):
            vals = dict(vals, alias_name=vals["alias_name"].strip().lower())
        return super().write(vals)

    @api.constrains("alias_name", "alias_defaults")
    def _check_alias(self) -> None:
        for alias in self:
            if alias.alias_name and not _ALIAS_NAME.match(alias.alias_name):
                raise ValidationError(f"Alias {alias.alias_name!r}: only the characters of "
                                      "the local part of an e-mail address are allowed.")
            try:
                parse_defaults(alias.alias_defaults)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None
