"""``mail.activity.mixin``: a record's activities and their summary fields.

    class Lead(models.Model):
        _name = "crm.lead"
        _inherit = ["mail.thread", "mail.activity.mixin"]

    lead.activity_schedule("mail.mail_activity_data_todo", summary="Send samples",
                           user_id=mei.id)              # due per the type's delay
    lead.activity_state                                 # 'planned'
    env["crm.lead"].search([("activity_state", "=", "overdue")])
    lead.activity_feedback(["mail.mail_activity_data_todo"], feedback="Sent")

A workflow's ``<on_enter activity="...">`` and an automated action of kind
``activity`` call ``_workflow_activity`` here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from core import api, fields, models

from .mail_activity import STATES, deadline_state, user_today


class MailActivityMixin(models.AbstractModel):
    _name = "mail.activity.mixin"
    _description = "Activity Mixin"
    #: marks the models activities may belong to
    _mail_activity = True

    activity_ids = fields.One2many("mail.activity", compute="_compute_activity_ids",
                                   search="_search_activity_ids", compute_sudo=False,
                                   string="Activities")
    activity_state = fields.Selection(STATES, "Activity State",
                                      compute="_compute_activity_summary",
                                      search="_search_activity_state", compute_sudo=False)
    activity_user_id = fields.Many2one("res.users", "Responsible User",
                                       compute="_compute_activity_summary",
                                       search="_search_activity_user_id", compute_sudo=False)
    activity_type_id = fields.Many2one("mail.activity.type", "Next Activity Type",
                                       compute="_compute_activity_summary", compute_sudo=False)
    activity_date_deadline = fields.Date("Next Activity Deadline",
                                         compute="_compute_activity_summary",
                                         search="_search_activity_date_deadline",
                                         compute_sudo=False)
    activity_summary = fields.Char("Next Activity Summary",
                                   compute="_compute_activity_summary", compute_sudo=False)
    my_activity_date_deadline = fields.Date("My Activity Deadline",
                                            compute="_compute_activity_summary",
                                            compute_sudo=False)

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    def _activities_by_record(self) -> dict[int, Any]:
        found: dict[int, Any] = defaultdict(lambda: self.env["mail.activity"])
        if self.ids:
            activities = self.env["mail.activity"].search(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)])
            for activity in activities:
                found[activity.res_id] |= activity
        return found

    @api.depends_context("uid")
    def _compute_activity_ids(self) -> None:
        found = self._activities_by_record()
        for record in self:
            record.activity_ids = [(6, 0, found[record.id].ids)]

    @api.depends_context("uid")
    def _compute_activity_summary(self) -> None:
        found = self._activities_by_record()
        uid = self.env.uid
        for record in self:
            activities = found[record.id]          # ordered by deadline
            first = activities[:1]
            states = {deadline_state(a.date_deadline, user_today(a.sudo().user_id))
                      for a in activities}
            record.activity_state = ("overdue" if "overdue" in states else
                                     "today" if "today" in states else
                                     "planned" if "planned" in states else False)
            record.activity_user_id = first.user_id
            record.activity_type_id = first.activity_type_id
            record.activity_date_deadline = first.date_deadline or False
            record.activity_summary = first.summary or False
            mine = activities.filtered(lambda a: a.user_id.id == uid)[:1]
            record.my_activity_date_deadline = mine.date_deadline or False

    # -- searching ------------------------------------------------------
    def _record_ids_with(self, domain: list) -> list[int]:
        rows = self.env["mail.activity"].search_read(
            [("res_model", "=", self._name)] + domain, ["res_id"])
        return sorted({row["res_id"] for row in rows})

    def _search_activity_ids(self, operator: str, value: Any) -> list:
        if operator in ("=", "!=") and value is False:
            ids = self._record_ids_with([])
            return [("id", "not in" if operator == "=" else "in", ids)]
        values = list(value._ids) if hasattr(value, "_ids") else \
            (value if isinstance(value, (list, tuple)) else [value])
        return [("id", "in", self._record_ids_with([("id", "in", values)]))]

    def _search_activity_state(self, operator: str, value: Any) -> list:
        """Records whose most urgent activity is in that state (False: none)."""
        wanted = set(value if isinstance(value, (list, tuple)) else [value])
        if operator in ("!=", "not in"):
            wanted = ({key for key, _label in STATES} | {False}) - wanted
        elif operator not in ("=", "in"):
            raise ValueError(f"Operator {operator!r} is not supported on activity_state")
        today = user_today(self.env.user)
        rows = self.env["mail.activity"].search_read(
            [("res_model", "=", self._name)], ["res_id", "date_deadline"])
        earliest: dict[int, dt.date] = {}
        for row in rows:
            deadline = row["date_deadline"]
            if row["res_id"] not in earliest or deadline < earliest[row["res_id"]]:
                earliest[row["res_id"]] = deadline
        matching = sorted(res_id for res_id, deadline in earliest.items()
                          if deadline_state(deadline, today) in wanted)
        if False in wanted:
            return ["|", ("id", "in", matching), ("id", "not in", sorted(earliest))]
        return [("id", "in", matching)]

    def _search_activity_user_id(self, operator: str, value: Any) -> list:
        return [("id", "in", self._record_ids_with([("user_id", operator, value)]))]

    def _search_activity_date_deadline(self, operator: str, value: Any) -> list:
        if operator == "=" and value is False:
            return [("id", "not in", self._record_ids_with([]))]
        return [("id", "in", self._record_ids_with([("date_deadline", operator, value)]))]

    # ------------------------------------------------------------------
    # unlink: the activities go with the record
    # ------------------------------------------------------------------
    def unlink(self):
        ids = self.ids
        result = super().unlink()
        if ids:
            self.env["mail.activity"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "in", ids)]).unlink()
        return result

    # ------------------------------------------------------------------
    # scheduling
    # ------------------------------------------------------------------
    def activity_schedule(self, act_type_xmlid: str = "", date_deadline: dt.date | None = None,
                          summary: str = "", note: str = "", **act_values: Any) -> Any:
        """Schedule an activity of the type ``act_type_xmlid`` (default: To-Do) on
        each record; the deadline defaults to the type's delay from today."""
        if not self:
            return self.env["mail.activity"]
        if act_type_xmlid:
            activity_type = self.env.ref(act_type_xmlid).sudo()
        elif act_values.get("activity_type_id"):
            activity_type = self.env["mail.activity.type"].sudo().browse(
                act_values["activity_type_id"])
        else:
            activity_type = self.env.ref("mail.mail_activity_data_todo",
                                         raise_if_not_found=False) or \
                self.env["mail.activity.type"]
        model_id = self.env["ir.model"].sudo()._get_id(self._name)
        values = []
        for record in self:
            vals = {"res_model": self._name, "res_model_id": model_id, "res_id": record.id,
                    "activity_type_id": activity_type.id or False,
                    "summary": summary or activity_type.summary or False,
                    "note": note or activity_type.default_note or False,
                    "date_deadline": date_deadline or (
                        activity_type._deadline(fields.Date.today()) if activity_type
                        else fields.Date.today())}
            vals.update(act_values)
            vals.setdefault("user_id", (activity_type.default_user_id.id
                                        if activity_type else False) or self.env.uid)
            values.append(vals)
        return self.env["mail.activity"].create(values)

    def activity_feedback(self, act_type_xmlids: list[str], user_id: int | None = None,
                          feedback: str | bool = False) -> bool:
        """Mark done the activities of these types (of ``user_id``) on the records."""
        activities = self._activities_of_types(act_type_xmlids, user_id)
        if activities:
            activities.action_feedback(feedback=feedback)
        return True

    def activity_unlink(self, act_type_xmlids: list[str], user_id: int | None = None) -> bool:
        """Delete the activities of these types (of ``user_id``) on the records."""
        self._activities_of_types(act_type_xmlids, user_id).unlink()
        return True

    def _activities_of_types(self, act_type_xmlids: list[str], user_id: int | None) -> Any:
        types = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in act_type_xmlids]
        type_ids = [t.id for t in types if t]
        if not type_ids or not self.ids:
            return self.env["mail.activity"]
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids),
                  ("activity_type_id", "in", type_ids)]
        if user_id:
            domain.append(("user_id", "=", user_id))
        return self.env["mail.activity"].search(domain)

    def _workflow_activity(self, summary: str, user: Any, deadline: Any) -> None:
        """An on-enter activity of a workflow or an automated action: a to-do
        for ``user``, due on ``deadline``, on each record."""
        for record in self:
            record.activity_schedule("mail.mail_activity_data_todo", date_deadline=deadline,
                                     summary=summary, user_id=user.id, automated=True)
