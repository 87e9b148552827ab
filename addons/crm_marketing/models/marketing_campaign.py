"""Nurturing sequences (Odoo's marketing automation): a campaign enrols the
records of a saved search and walks each of them through a tree of steps,
run by the scheduler.

    campaign = env["marketing.campaign"].create({
        "name": "Fair follow-up", "model_id": env["ir.model"]._get_id("res.partner"),
        "domain": "[('category_id.name', '=', 'Fair 2026')]"})
    welcome = env["marketing.activity"].create({
        "campaign_id": campaign.id, "name": "Welcome", "activity_type": "email",
        "mass_mailing_id": mailing.id, "trigger_type": "begin"})
    env["marketing.activity"].create({
        "campaign_id": campaign.id, "name": "Hand over", "parent_id": welcome.id,
        "activity_type": "create_lead", "trigger_type": "mail_click"})
    campaign.action_start_campaign()                       # enrols, schedules the first steps
    env["marketing.campaign"]._cron_process_campaign()     # what the scheduled job does

Each enrolled record is a ``marketing.participant``; each step a participant
reaches is a ``marketing.trace`` (scheduled, then processed, rejected,
canceled or in error). The rules of the walk are in docs/nurturing.md.
"""

from __future__ import annotations

import logging
from typing import Any

from core import api, fields, models
from core.exceptions import UserError, ValidationError
from core.i18n import _
from core.orm import domain as dom
from core.security import access

from ..tools.domain_text import parse_domain

_logger = logging.getLogger(__name__)

#: the models a sequence may target (mailing.contact comes with the mailing lists)
TARGET_MODELS = ("res.partner", "crm.lead", "mailing.contact")
#: due traces executed per query batch
BATCH_SIZE = 500
#: rounds of a scheduler run: steps due at once after their parent (no delay)
#: run in the same run, down to this depth
MAX_ROUNDS = 20

STATES = [("draft", "New"), ("running", "Running"), ("stopped", "Stopped")]


def _default_model(self) -> int | bool:
    return self.env["ir.model"].sudo()._get_id("res.partner") or False


class MarketingCampaign(models.Model):
    _name = "marketing.campaign"
    _description = "Marketing Campaign"
    _order = "id desc"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.uid,
                              help="Contacts are enrolled as this user (their access rights "
                                   "apply); leads nobody else takes are theirs")
    utm_campaign_id = fields.Many2one("utm.campaign", "UTM Campaign", ondelete="restrict",
                                      help="Leads and mailings of the sequence carry this "
                                           "campaign (created from the name when empty)")
    model_id = fields.Many2one("ir.model", "Target", required=True, ondelete="cascade",
                               default=_default_model,
                               domain=[("model", "in", list(TARGET_MODELS))],
                               help="The kind of records walked through the sequence")
    model_name = fields.Char("Target Model", related="model_id.model", store=True)
    domain = fields.Char("Filter", default="[]",
                         help="The records enrolled, e.g. [('country_id.code', '=', 'DE')]; "
                              "records matching it later are enrolled at the next run")
    marketing_activity_ids = fields.One2many("marketing.activity", "campaign_id", "Steps",
                                             copy=True)
    participant_ids = fields.One2many("marketing.participant", "campaign_id", "Participants")
    last_sync_date = fields.Datetime("Last Enrolment", readonly=True, copy=False)
    total_participant_count = fields.Integer("Participants",
                                             compute="_compute_participant_counts")
    running_participant_count = fields.Integer("Running",
                                               compute="_compute_participant_counts")
    completed_participant_count = fields.Integer("Completed",
                                                 compute="_compute_participant_counts")
    lead_count = fields.Integer("Leads", compute="_compute_lead_count")

    # ------------------------------------------------------------------
    # computed fields
    # ------------------------------------------------------------------
    def _compute_participant_counts(self) -> None:
        counts: dict[tuple[int, str], int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            for group in self.env["marketing.participant"].read_group(
                    [("campaign_id", "in", ids)], ["campaign_id"], ["campaign_id", "state"],
                    lazy=False):
                counts[(group["campaign_id"][0], group["state"])] = group["__count"]
        for campaign in self:
            running = counts.get((campaign.id, "running"), 0)
            completed = counts.get((campaign.id, "completed"), 0)
            campaign.running_participant_count = running
            campaign.completed_participant_count = completed
            campaign.total_participant_count = running + completed + \
                counts.get((campaign.id, "unlinked"), 0)

    def _compute_lead_count(self) -> None:
        counts: dict[int, int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            for group in self.env["marketing.trace"].read_group(
                    [("campaign_id", "in", ids), ("lead_id", "!=", False)],
                    ["campaign_id"], ["campaign_id"], lazy=False):
                counts[group["campaign_id"][0]] = group["__count"]
        for campaign in self:
            campaign.lead_count = counts.get(campaign.id, 0)

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("model_id", "domain")
    def _check_target(self) -> None:
        for campaign in self:
            if campaign.model_name not in TARGET_MODELS or campaign.model_name not in self.env:
                raise ValidationError(_(
                    self.env, "Campaign %(name)s: a sequence targets contacts, customers or "
                    "leads, not %(model)s.", name=campaign.name,
                    model=campaign.model_id.name or campaign.model_name))
            try:
                campaign._get_domain()
            except (ValueError, SyntaxError, TypeError) as exc:
                raise ValidationError(_(
                    self.env, "The filter of campaign %(name)s is not valid: %(error)s",
                    name=campaign.name, error=str(exc))) from None

    def _get_domain(self) -> list:
        """The campaign's filter as a domain, read as mailings' filters are (literals
        and relative dates, never evaluated), checked against the target model."""
        self.ensure_one()
        now = fields.Datetime.now()
        domain = parse_domain(self.domain, today=now.date(), now=now)
        self.env[self.model_name].sudo()._where(dom.parse(domain))
        return domain

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("utm_campaign_id") and vals.get("name"):
                vals["utm_campaign_id"] = self.env["utm.campaign"].create({
                    "name": vals["name"],
                    "user_id": vals.get("user_id", self.env.uid)}).id
        return super().create(vals_list)

    def write(self, vals):
        if "model_id" in vals and self.env["marketing.participant"].sudo().search_count(
                [("campaign_id", "in", self.ids)], limit=1):
            raise UserError(_(self.env, "The target of a campaign that has participants "
                                        "cannot change; duplicate the campaign instead."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def action_start_campaign(self) -> bool:
        """Start (or resume) the sequence: enrol the records of the filter and
        schedule their first steps."""
        for campaign in self:
            if not campaign.marketing_activity_ids:
                raise UserError(_(self.env, "Campaign %(name)s has no step to run.",
                                  name=campaign.name))
        self.write({"state": "running"})
        self.sync_participants()
        return True

    def action_stop_campaign(self) -> bool:
        """Pause the sequence: nothing runs until it is started again; what the
        contacts do meanwhile (opens, clicks, replies) is still recorded."""
        self.write({"state": "stopped"})
        return True

    def action_view_participants(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Participants"),
                "res_model": "marketing.participant", "view_mode": "list,form",
                "domain": [("campaign_id", "=", self.id)]}

    def action_view_leads(self) -> dict:
        self.ensure_one()
        traces = self.env["marketing.trace"].search([("campaign_id", "=", self.id),
                                                     ("lead_id", "!=", False)])
        return {"type": "ir.actions.act_window", "name": _(self.env, "Leads"),
                "res_model": "crm.lead", "view_mode": "list,form",
                "domain": [("id", "in", traces.mapped("lead_id").ids)]}

    # ------------------------------------------------------------------
    # the scheduler
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_campaign(self) -> None:
        """The scheduled job: enrol newly matching records, then run the due steps
        of every running campaign."""
        campaigns = self.sudo().search([("state", "=", "running")])
        for campaign in campaigns:
            # a campaign whose filter no longer works does not hold the others back
            try:
                with self.env.transaction.atomic(savepoint=True):
                    campaign.sync_participants()
            except Exception:  # noqa: BLE001 - logged, retried at the next run
                _logger.exception("Enrolment of campaign %s failed", campaign.id)
        campaigns.execute_activities()

    def _check_can_run(self) -> None:
        """Marketing users (and the scheduler) drive sequences; the work itself is
        done as superuser, so the caller's right to change the campaigns is checked
        first."""
        if not self.env.is_superuser():
            self.check_access_rights("write")
            access.check_rules(self, "write")

    def sync_participants(self) -> int:
        """Enrol the records of each running campaign's filter that are not enrolled
        yet, mark those whose record was deleted, and schedule the first steps
        (``begin``) each running participant lacks. Returns how many were enrolled."""
        self._check_can_run()
        now = fields.Datetime.now()
        enrolled = 0
        for campaign in self.sudo().filtered(lambda c: c.state == "running"):
            enrolled += campaign._enrol(now)
            campaign._unlink_missing(now)
            campaign.marketing_activity_ids.filtered(
                lambda a: a.trigger_type == "begin")._schedule_begin(now)
            campaign.last_sync_date = now
        return enrolled

    def _enrol(self, now: Any) -> int:
        self.ensure_one()
        target = self.env[self.model_name]
        if self.user_id and self.user_id.active:
            target = target.with_user(self.user_id)      # the audience the responsible sees
        matching = target.search(self._get_domain()).ids
        Participant = self.env["marketing.participant"].sudo()  # noqa: N806
        known = {row["res_id"] for row in Participant.search_read(
            [("campaign_id", "=", self.id)], ["res_id"])}
        new_ids = [res_id for res_id in matching if res_id not in known]
        if new_ids:
            Participant.create([{"campaign_id": self.id, "res_id": res_id}
                                for res_id in new_ids])
        return len(new_ids)

    def _unlink_missing(self, now: Any) -> None:
        """Participants whose record was deleted leave the sequence."""
        Participant = self.env["marketing.participant"].sudo()  # noqa: N806
        rows = Participant.search_read([("campaign_id", "=", self.id),
                                        ("state", "=", "running")], ["res_id"])
        if not rows:
            return
        existing = set(self.env[self.model_name].sudo().with_context(active_test=False)
                       .browse([row["res_id"] for row in rows]).exists().ids)
        gone = Participant.browse([row["id"] for row in rows
                                   if row["res_id"] not in existing])
        if gone:
            gone.write({"state": "unlinked"})
            gone.mapped("trace_ids").filtered(lambda t: t.state == "scheduled")._cancel(
                _(self.env, "The record was deleted"), now)

    def execute_activities(self) -> int:
        """Run the steps that are due, in batches, until none is left (steps due at
        once after their parent run in the same call). Idempotent: a processed step
        is never run again. Returns how many steps were run."""
        self._check_can_run()
        campaigns = self.sudo().filtered(lambda c: c.state == "running")
        total = 0
        for _round in range(MAX_ROUNDS):
            ran = 0
            for activity in campaigns.mapped("marketing_activity_ids").sorted(
                    lambda a: (a.campaign_id.id, not a._is_leaf(), a.interval_standardized,
                               a.id)):
                ran += activity._execute_due()
            total += ran
            if not ran:
                break
        return total
