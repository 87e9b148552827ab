"""Deferred jobs: work enqueued now, run later by the job runner.

    env["res.partner"].browse(ids).with_delay(priority=20).send_newsletter(campaign_id)

The job row is written in the caller's transaction, so it exists only if
that transaction commits. The runner claims pending jobs (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL), runs each as the user who enqueued it,
retries a failing job with an exponential back-off and, after
``max_attempts``, leaves it ``failed`` with the error (core.workflow.jobs).
"""

from __future__ import annotations

from core import fields, models

STATES = [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")]


class IrJob(models.Model):
    _name = "ir.job"
    _description = "Deferred Job"
    _order = "id desc"

    name = fields.Char(required=True)
    model = fields.Char(required=True, index=True)
    method = fields.Char(required=True)
    record_ids = fields.Json(help="The ids of the records the method is called on")
    args = fields.Json()
    kwargs = fields.Json()
    context = fields.Json()
    user_id = fields.Many2one("res.users", ondelete="set null")
    state = fields.Selection(STATES, default="pending", required=True, index=True)
    priority = fields.Integer(default=10)
    eta = fields.Datetime("Not Before", index=True)
    attempts = fields.Integer(readonly=True)
    max_attempts = fields.Integer(default=5)
    last_error = fields.Text(readonly=True)
    date_done = fields.Datetime(readonly=True)

    def action_requeue(self) -> bool:
        """Run failed jobs again."""
        self.sudo().write({"state": "pending", "attempts": 0, "eta": False})
        return True
