"""Activities: something someone has to do about a record, by a date.

    activity = lead.activity_schedule("mail.mail_activity_data_call",
                                      summary="Discuss the samples", user_id=mei.id,
                                      date_deadline=date(2026, 12, 1))
    activity.state                     # 'overdue' | 'today' | 'planned'
    activity.action_feedback("Buyer wants 500 units")   # logged in the chatter, gone

Marking an activity done posts a message (subtype "Activities") on its
record with the feedback, deletes the activity and, when its type
triggers a next one, schedules that. Activities are visible and changed
under the document's access; the assigned user may also see, change and
close their own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape

from core import api, fields, models
from core.exceptions import UserError
from core.i18n.translate import _

from .document_access import DocumentAccessMixin, invalidate_documents

STATES = [("overdue", "Overdue"), ("today", "Today"), ("planned", "Planned")]


def user_today(user: Any) -> dt.date:
    """Today in the user's timezone (UTC without one)."""
    tz = user.sudo().tz if user else False
    now = dt.datetime.now(dt.UTC)
    if tz:
        try:
            return now.astimezone(zoneinfo.ZoneInfo(tz)).date()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return now.date()


def deadline_state(deadline: dt.date | None, today: dt.date) -> str | bool:
    if not deadline:
        return False
    delta = (deadline - today).days
    return "overdue" if delta < 0 else "today" if delta == 0 else "planned"


class MailActivity(DocumentAccessMixin, models.Model):
    _name = "mail.activity"
    _description = "Activity"
    _order = "date_deadline asc, id asc"
    _rec_name = "summary"
    _document_marker = "_mail_activity"

    res_model_id = fields.Many2one("ir.model", "Document Model", index=True,
                                   ondelete="cascade")
    res_model = fields.Char("Related Document Model", required=True, index=True)
    res_id = fields.Integer("Related Document ID", required=True, index=True)
    res_name = fields.Char("Document Name", compute="_compute_res_name")
    activity_type_id = fields.Many2one("mail.activity.type", "Activity Type",
                                       ondelete="restrict", index=True)
    activity_category = fields.Selection(related="activity_type_id.category",
                                         string="Action")
    activity_decoration = fields.Selection(related="activity_type_id.decoration_type",
                                           string="Decoration Type")
    icon = fields.Char(related="activity_type_id.icon", string="Icon")
    summary = fields.Char()
    note = fields.Html()
    date_deadline = fields.Date("Due Date", required=True, index=True,
                                default=lambda self: fields.Date.today())
    automated = fields.Boolean(help="Scheduled by a rule, a workflow or a chain")
    user_id = fields.Many2one("res.users", "Assigned to", index=True, required=True,
                              default=lambda self: self.env.uid, ondelete="cascade")
    request_partner_id = fields.Many2one("res.partner", "Requesting Partner",
                                         ondelete="set null")
    state = fields.Selection(STATES, compute="_compute_state", search="_search_state",
                             compute_sudo=False)
    previous_activity_type_id = fields.Many2one("mail.activity.type",
                                                "Previous Activity Type", ondelete="set null")
    chaining_type = fields.Selection(related="activity_type_id.chaining_type",
                                     string="Chaining Type")
    has_recommended_activities = fields.Boolean(compute="_compute_has_recommended")
    attachment_ids = fields.Many2many("ir.attachment", "activity_attachment_rel",
                                      "activity_id", "attachment_id", "Attachments")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    @api.depends("res_model", "res_id")
    def _compute_res_name(self) -> None:
        for activity in self:
            name = False
            if activity.res_model in self.env and activity.res_id:
                record = self.env[activity.res_model].sudo().browse(activity.res_id).exists()
                name = record.display_name if record else False
            activity.res_name = name

    @api.depends("date_deadline")
    def _compute_state(self) -> None:
        for activity in self:
            activity.state = deadline_state(activity.date_deadline,
                                            user_today(activity.sudo().user_id))

    def _search_state(self, operator: str, value: Any) -> list:
        wanted = value if isinstance(value, (list, tuple)) else [value]
        if operator in ("!=", "not in"):
            wanted = [key for key, _label in STATES if key not in wanted]
        elif operator not in ("=", "in"):
            raise ValueError(f"Operator {operator!r} is not supported on the activity state")
        today = user_today(self.env.user)
        parts = []
        if "overdue" in wanted:
            parts.append([("date_deadline", "<", today)])
        if "today" in wanted:
            parts.append([("date_deadline", "=", today)])
        if "planned" in wanted:
            parts.append([("date_deadline", ">", today)])
        if not parts:
            return [("id", "=", 0)]
        return ["|"] * (len(parts) - 1) + [leaf for part in parts for leaf in part]

    @api.depends("activity_type_id")
    def _compute_has_recommended(self) -> None:
        for activity in self:
            activity.has_recommended_activities = bool(
                activity.activity_type_id.suggested_next_type_ids)

    # ------------------------------------------------------------------
    # access: the document's, and one's own activities
    # ------------------------------------------------------------------
    def _document_extra_condition(self, table: Any) -> Any:
        return table.c.user_id == self.env.uid

    def _document_operation(self, documents: Any, operation: str) -> str:
        if operation == "create":
            return getattr(type(documents), "_mail_post_access", "write")
        return operation

    def _check_own_or_document(self, operation: str) -> None:
        mine = self.sudo().filtered(lambda activity: activity.user_id.id == self.env.uid)
        others = self - mine.with_env(self.env)
        others._check_document_access(operation)
        mine.with_env(self.env)._check_document_access("read")

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        IrModel = self.env["ir.model"].sudo()
        for vals in vals_list:
            if vals.get("res_model_id") and not vals.get("res_model"):
                vals["res_model"] = IrModel.browse(vals["res_model_id"]).model
            if vals.get("res_model") and not vals.get("res_model_id"):
                vals["res_model_id"] = IrModel._get_id(vals["res_model"]) or False
            self._apply_type_defaults(vals)
        self._check_documents_of_values(vals_list, "create")
        activities = super(MailActivity, self.sudo()).create(vals_list)
        activities._invalidate_documents()
        activities._subscribe_assignees()
        return activities.with_env(self.env)

    def _apply_type_defaults(self, vals: dict) -> None:
        type_id = vals.get("activity_type_id")
        if not type_id:
            return
        activity_type = self.env["mail.activity.type"].sudo().browse(type_id)
        if not vals.get("summary") and activity_type.summary:
            vals["summary"] = activity_type.summary
        if not vals.get("note") and activity_type.default_note:
            vals["note"] = activity_type.default_note
        if not vals.get("user_id") and activity_type.default_user_id:
            vals["user_id"] = activity_type.default_user_id.id
        if "date_deadline" not in vals:
            vals["date_deadline"] = activity_type._deadline(fields.Date.today())

    def _subscribe_assignees(self) -> None:
        """The assigned user follows the record (as Odoo does): one subscription
        per document model and assignee, not per activity."""
        documents: dict[tuple[str, int], set[int]] = defaultdict(set)
        for activity in self:
            partner = activity.user_id.partner_id
            if partner and activity.res_model in self.env and \
                    getattr(type(self.env[activity.res_model]), "_mail_thread", False):
                documents[(activity.res_model, partner.id)].add(activity.res_id)
        for (model, partner_id), ids in documents.items():
            records = self.env[model].browse(sorted(ids)).exists()
            if records:
                records._message_subscribe_partners([partner_id])

    def write(self, vals):
        if {"res_model", "res_id", "res_model_id"} & set(vals):
            self._check_document_access("write")
        else:
            self._check_own_or_document("write")
        self._invalidate_documents()
        result = super(MailActivity, self.sudo()).write(vals)
        self._invalidate_documents()
        if "user_id" in vals:
            self.sudo()._subscribe_assignees()
        return result

    def unlink(self):
        self._check_own_or_document("write")
        self._invalidate_documents()
        return super(MailActivity, self.sudo()).unlink()

    def _invalidate_documents(self) -> None:
        invalidate_documents(self.env, "mail.activity",
                             {(a.res_model, a.res_id) for a in self.sudo()})

    # ------------------------------------------------------------------
    # done
    # ------------------------------------------------------------------
    def action_done(self) -> bool:
        """Mark done without feedback."""
        self.action_feedback()
        return True

    def action_feedback(self, feedback: str | bool = False,
                        attachment_ids: list[int] | None = None) -> int | bool:
        """Mark done: post the summary and ``feedback`` on each record, remove
        the activities, schedule what their types trigger. Returns the id of
        the (last) message posted."""
        messages = self._action_done(feedback, attachment_ids)
        return messages[-1:].id or False

    def action_feedback_schedule_next(self, feedback: str | bool = False) -> list[dict]:
        """Mark done and return the next activity types to suggest
        ([{"id", "name"}] of the types' suggestions)."""
        suggestions = self.sudo().mapped("activity_type_id.suggested_next_type_ids")
        self._action_done(feedback)
        return [{"id": t.id, "name": t.name} for t in suggestions]

    def _action_done(self, feedback: str | bool = False,
                     attachment_ids: list[int] | None = None) -> Any:
        self._check_own_or_document("write")
        messages = self.env["mail.message"]
        chained = []
        for activity in self.sudo():
            record = self.env[activity.res_model].browse(activity.res_id).exists()
            if record and getattr(type(record), "_mail_thread", False):
                messages |= record.sudo()._message_log(
                    body=activity._done_body(feedback), subtype_xmlid="mail.mt_activities",
                    mail_activity_type_id=activity.activity_type_id.id or False,
                    attachment_ids=[(6, 0, list(attachment_ids or [])
                                     + activity.attachment_ids.ids)])
            next_type = activity.activity_type_id
            if record and next_type.chaining_type == "trigger" and \
                    next_type.triggered_next_type_id:
                chained.append(activity._chained_values(record))
        self._invalidate_documents()
        super(MailActivity, self.sudo()).unlink()
        if chained:
            self.env["mail.activity"].sudo().create(chained)
        return messages

    def _done_body(self, feedback: str | bool) -> Markup:
        name = self.activity_type_id.name or _(self.env, "Activity")
        parts = [Markup("<p><b>{}</b> {}: {}</p>").format(
            name, _(self.env, "done"), self.summary or "")]
        if feedback:
            parts.append(Markup("<p>{}: {}</p>").format(_(self.env, "Feedback"),
                                                         escape(feedback)))
        if self.note:
            parts.append(Markup("<div>{}</div>").format(Markup(self.note)))
        return Markup("").join(parts)

    def _chained_values(self, record: Any) -> dict:
        current = self.activity_type_id
        next_type = current.triggered_next_type_id
        reference = self.date_deadline if next_type.delay_from == "previous_activity" \
            else fields.Date.today()
        return {"res_model": self.res_model, "res_id": record.id,
                "activity_type_id": next_type.id, "summary": next_type.summary or False,
                "note": next_type.default_note or False, "automated": True,
                "user_id": (next_type.default_user_id or self.user_id).id,
                "previous_activity_type_id": current.id,
                "date_deadline": next_type._deadline(reference)}

    # ------------------------------------------------------------------
    # reading for the chatter and "My activities"
    # ------------------------------------------------------------------
    def activity_format(self) -> list[dict]:
        result = []
        for activity in self:
            result.append({
                "id": activity.id, "summary": activity.summary or "",
                "note": activity.note or "", "date_deadline": activity.date_deadline,
                "state": activity.state, "res_model": activity.res_model,
                "res_id": activity.res_id, "res_name": activity.res_name or "",
                "activity_type": activity.activity_type_id.sudo().name or "",
                "icon": activity.sudo().icon or "",
                "user": (activity.user_id.id, activity.user_id.sudo().name),
                "can_write": activity._may("write")})
        return result

    def _may(self, operation: str) -> bool:
        try:
            self._check_own_or_document(operation)
        except UserError:
            return False
        return True

    @api.model
    def my_activities_count(self) -> dict[str, int]:
        """{state: count} of the current user's activities."""
        today = user_today(self.env.user)
        table = self._table_obj
        rows = self.env.transaction.execute(
            sa.select(table.c.date_deadline).where(table.c.user_id == self.env.uid)).all()
        counts = {"overdue": 0, "today": 0, "planned": 0}
        for (deadline,) in rows:
            counts[deadline_state(deadline, today)] += 1
        return counts
