"""A record walked through a nurturing sequence: one per campaign and record.

    participant.state            # 'running' | 'completed' | 'unlinked'
    participant.current_activity_id   # the step whose next steps it waits for
    participant.trace_ids        # the steps it reached, with their outcome

A participant is ``completed`` when no step of it is scheduled any more,
``unlinked`` when its record was deleted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core import api, fields, models
from core.i18n import _

from .marketing_trace import forget

STATES = [("running", "Running"), ("completed", "Completed"), ("unlinked", "Removed")]


class MarketingParticipant(models.Model):
    _name = "marketing.participant"
    _description = "Marketing Participant"
    _order = "id"
    _rec_name = "record_name"

    campaign_id = fields.Many2one("marketing.campaign", "Campaign", required=True,
                                  ondelete="cascade", index=True)
    model_name = fields.Char("Model", related="campaign_id.model_name")
    res_id = fields.Integer("Record ID", required=True, index=True)
    record_name = fields.Char("Record", compute="_compute_record_name")
    state = fields.Selection(STATES, default="running", required=True, index=True)
    trace_ids = fields.One2many("marketing.trace", "participant_id", "Steps")
    current_activity_id = fields.Many2one(
        "marketing.activity", "Current Step", compute="_compute_progress",
        help="The step whose next steps the contact waits for")
    next_date = fields.Datetime("Next Step On", compute="_compute_progress",
                                help="When the next scheduled step runs (empty while "
                                     "it waits for an e-mail event)")

    _sql_constraints = [
        ("campaign_record_unique", "unique(campaign_id, res_id)",
         "A record takes part in a campaign once."),
    ]

    @api.depends("model_name", "res_id")
    def _compute_record_name(self) -> None:
        by_model: dict[str, list[int]] = defaultdict(list)
        for participant in self:
            if participant.model_name in self.env and participant.res_id:
                by_model[participant.model_name].append(participant.res_id)
        names: dict[tuple[str, int], str] = {}
        for model, ids in by_model.items():
            for record in self.env[model].sudo().with_context(active_test=False) \
                    .browse(ids).exists():
                names[(model, record.id)] = record.display_name
        for participant in self:
            participant.record_name = names.get(
                (participant.model_name, participant.res_id)) or \
                _(self.env, "Deleted record #%(id)s", id=participant.res_id)

    def _compute_progress(self) -> None:
        ids = [i for i in self.ids if isinstance(i, int)]
        current: dict[int, int] = {}
        upcoming: dict[int, Any] = {}
        if ids:
            rows = self.env["marketing.trace"].sudo().search_read(
                [("participant_id", "in", ids), ("state", "=", "scheduled")],
                ["participant_id", "parent_id", "schedule_date"], load=None)
            parents = {row["parent_id"] for row in rows if row["parent_id"]}
            activity_of = {row["id"]: row["activity_id"] for row in
                           self.env["marketing.trace"].sudo().browse(sorted(parents))
                           .read(["activity_id"], load=None)}
            for row in rows:
                pid = row["participant_id"]
                if row["parent_id"]:
                    current[pid] = activity_of[row["parent_id"]]
                date = row["schedule_date"]
                if date and (pid not in upcoming or date < upcoming[pid]):
                    upcoming[pid] = date
        for participant in self:
            participant.current_activity_id = current.get(participant.id, False)
            participant.next_date = upcoming.get(participant.id, False)

    @api.model_create_multi
    def create(self, vals_list):
        participants = super().create(vals_list)
        self._invalidate_counts()
        return participants

    def write(self, vals):
        result = super().write(vals)
        self._invalidate_counts()
        return result

    def _invalidate_counts(self) -> None:
        forget(self.env, "marketing.campaign", ("total_participant_count",
                                                "running_participant_count",
                                                "completed_participant_count"))

    # ------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------
    def _check_completed(self) -> None:
        """Running participants without any scheduled step are completed."""
        running = self.filtered(lambda p: p.state == "running")
        if not running:
            return
        waiting = {row["participant_id"][0] for row in self.env["marketing.trace"].read_group(
            [("participant_id", "in", running.ids), ("state", "=", "scheduled")],
            ["participant_id"], ["participant_id"], lazy=False)}
        done = running.filtered(lambda p: p.id not in waiting)
        if done:
            done.write({"state": "completed"})

    def action_set_completed(self) -> bool:
        """Take the contacts out of the sequence: their scheduled steps are canceled."""
        now = fields.Datetime.now()
        self.mapped("trace_ids").filtered(lambda t: t.state == "scheduled")._cancel(
            _(self.env, "Removed from the sequence by %(user)s", user=self.env.user.name),
            now)
        self.write({"state": "completed"})
        return True
