import os
import time

from core import api, fields, models
from core.exceptions import UserError


class TwTask(models.Model):
    """The target of the scheduled jobs, deferred jobs and automated actions tests."""

    _name = "tw.task"
    _description = "Task"

    name = fields.Char(required=True)
    priority = fields.Selection([("0", "Normal"), ("1", "High")], default="0")
    date_deadline = fields.Date()
    deadline_at = fields.Datetime()
    note = fields.Char()
    counter = fields.Integer()
    user_id = fields.Many2one("res.users")

    def action_bump(self):
        for task in self.sudo():
            task.counter += 1
        return True

    @api.model
    def _cron_tick(self, key="tick"):
        self.env["tw.job.log"].sudo().create({"key": key, "pid": os.getpid()})

    @api.model
    def _cron_fail(self):
        self.env["tw.job.log"].sudo().create({"key": "rolled back"})
        raise UserError("the tick failed on purpose")

    def job_log(self, key, sleep=0.0):
        """A deferred job: one row in tw.job.log per run."""
        if sleep:
            time.sleep(sleep)
        self.env["tw.job.log"].sudo().create({"key": key, "pid": os.getpid(),
                                              "task_ids": len(self)})

    def job_whoami(self):
        self.env["tw.job.log"].sudo().create({
            "key": f"uid={self.env.uid} su={self.env.su} lang={self.env.lang}"})

    def job_fail(self, message):
        self.env["tw.job.log"].sudo().create({"key": "rolled back"})
        raise ValueError(message)


class TwJobLog(models.Model):
    _name = "tw.job.log"
    _description = "Job log"
    _order = "id"

    key = fields.Char()
    pid = fields.Integer()
    task_ids = fields.Integer(help="How many records the job ran on")
