"""A/B tests: variants of a mailing tried on samples, then the winner to the rest.

    a = env["mailing.mailing"].create({"subject": "New LED panels", ...,
                                       "ab_testing_enabled": True, "ab_testing_pc": 10,
                                       "ab_testing_winner_selection": "opened_ratio",
                                       "ab_testing_schedule_datetime": in_two_days})
    b = a.action_duplicate_ab()           # the variant, in the same campaign
    b.subject = "LED panels: 20% off this month"
    (a | b).action_launch()               # each goes to 10% of the recipients
    # at ab_testing_schedule_datetime the scheduler compares the opened ratios and
    # sends a copy of the better one to the other 80% (or: b.action_select_as_winner())

The variants of a test are the A/B mailings of one campaign (a campaign is
created when an A/B mailing has none). Each variant's sample is drawn at
random among the recipients that no other variant of the campaign reached,
``ab_testing_pc`` % of all the recipients. The winner is the variant with the
best ratio (opened, clicked or replied, over its mails not canceled; ties:
the oldest variant); a copy of it with ``ab_testing_pc`` = 100 goes to every
recipient the variants did not reach.
"""

from __future__ import annotations

import random
from typing import Any

from core import api, fields, models
from core.exceptions import UserError, ValidationError
from core.i18n import _

WINNER_SELECTIONS = [("manual", "Manual"), ("opened_ratio", "Highest Open Rate"),
                     ("clicks_ratio", "Highest Click Rate"),
                     ("replied_ratio", "Highest Reply Rate")]


class MailingMailingAb(models.Model):
    _inherit = "mailing.mailing"

    ab_testing_enabled = fields.Boolean(
        "Allow A/B Testing", copy=True,
        help="Send this mailing and its variants to samples of the recipients, then the "
             "best one to the rest")
    ab_testing_pc = fields.Integer("A/B Testing percentage", default=10, copy=True,
                                   help="Percentage of the recipients this variant goes to")
    ab_testing_winner_selection = fields.Selection(
        WINNER_SELECTIONS, "Winner Selection", default="opened_ratio", copy=True,
        help="How the winner is chosen at the send date of the winner")
    ab_testing_schedule_datetime = fields.Datetime(
        "Send Final On", copy=True,
        help="When the scheduler chooses the winner and sends it to the other recipients")
    ab_testing_completed = fields.Boolean("A/B Testing Completed", copy=False, readonly=True)
    ab_testing_is_winner_mailing = fields.Boolean("Is the Winner of its A/B Test",
                                                  copy=False, readonly=True)
    ab_testing_mailings_count = fields.Integer("A/B Test Mailings #",
                                               compute="_compute_ab_testing_mailings_count")

    @api.constrains("ab_testing_pc", "ab_testing_enabled")
    def _check_ab_testing_pc(self) -> None:
        for mailing in self.filtered("ab_testing_enabled"):
            if not 1 <= mailing.ab_testing_pc <= 100:
                raise ValidationError(_(self.env, "The A/B testing percentage of %(subject)s "
                                        "must be between 1 and 100, not %(pc)s.",
                                        subject=mailing.subject, pc=mailing.ab_testing_pc))

    def _compute_ab_testing_mailings_count(self) -> None:
        for mailing in self:
            mailing.ab_testing_mailings_count = len(mailing._get_ab_testing_siblings_mailings()) \
                if mailing.ab_testing_enabled and mailing.campaign_id else 0

    def _check_ab_testing_campaign(self) -> None:
        """A/B mailings compare within their campaign: one is created when missing."""
        for mailing in self.filtered(lambda m: m.ab_testing_enabled and not m.campaign_id):
            campaign = self.env["utm.campaign"].create({
                "name": _(self.env, "A/B Test: %(subject)s", subject=mailing.subject)})
            mailing.campaign_id = campaign

    def _get_ab_testing_siblings_mailings(self) -> Any:
        """The A/B mailings of this mailing's campaign (itself included)."""
        self.ensure_one()
        if not self.campaign_id:
            return self
        return self.search([("campaign_id", "=", self.campaign_id.id),
                            ("ab_testing_enabled", "=", True)], order="id")

    def _ab_testing_sample(self, remaining: list[int]) -> list[int]:
        """This variant's sample: ``ab_testing_pc`` % of all the recipients,
        among those no variant of the campaign reached."""
        self.ensure_one()
        siblings = self._get_ab_testing_siblings_mailings()
        reached = {row["res_id"] for row in self.env["mailing.trace"].sudo().search_read(
            [("mailing_id", "in", siblings.ids), ("model", "=", self.mailing_model_real)],
            ["res_id"])}
        candidates = [res_id for res_id in remaining if res_id not in reached]
        if self.ab_testing_pc >= 100:
            return candidates
        total = len(self._get_recipients())
        size = min(len(candidates), int(round(total * self.ab_testing_pc / 100.0)))
        return sorted(random.sample(candidates, size))

    def action_duplicate_ab(self) -> Any:
        """A variant of this A/B mailing (to change its subject or body)."""
        self.ensure_one()
        if not self.ab_testing_enabled:
            raise UserError(_(self.env, "Allow A/B testing on %(subject)s first.",
                              subject=self.subject))
        return self.copy({"subject": self.subject, "campaign_id": self.campaign_id.id})

    def _get_ab_testing_winner(self) -> Any:
        """The variant with the best ratio of the selection (ties: the oldest)."""
        self.ensure_one()
        siblings = self._get_ab_testing_siblings_mailings().filtered(
            lambda m: m.state in ("sending", "done") and not m.ab_testing_pc >= 100)
        field = self.ab_testing_winner_selection
        if field == "manual" or not siblings:
            return self.browse()
        return max(siblings, key=lambda m: (m[field], -m.id))

    def action_select_as_winner(self) -> Any:
        """Manual choice: send this variant to the recipients the test did not reach."""
        self.ensure_one()
        return self._send_winner(self)

    def action_send_winner_mailing(self) -> Any:
        """Send the winner chosen by the selection's ratio now."""
        self.ensure_one()
        winner = self._get_ab_testing_winner()
        if not winner:
            raise UserError(_(self.env, "Choose the winner of the A/B test of %(subject)s "
                              "yourself (Select as winner on a variant).",
                              subject=self.subject))
        return self._send_winner(winner)

    def _send_winner(self, winner: Any, send_now: bool = False) -> Any:
        if not winner.ab_testing_enabled or winner.state not in ("sending", "done"):
            raise UserError(_(self.env, "Only a variant of an A/B test that was sent can "
                              "win it (%(subject)s).", subject=winner.subject))
        siblings = winner._get_ab_testing_siblings_mailings()
        if any(siblings.mapped("ab_testing_completed")):
            raise UserError(_(self.env, "The A/B test of %(subject)s is over already.",
                              subject=winner.subject))
        final = winner.copy({"ab_testing_pc": 100, "schedule_type": "now",
                             "schedule_date": False})
        siblings.sudo().write({"ab_testing_completed": True})
        winner.sudo().write({"ab_testing_is_winner_mailing": True})
        final.sudo().write({"ab_testing_completed": True})
        if send_now:
            final.write({"state": "in_queue"})
            final.action_send_mail()
        else:
            final.action_launch()
        return final

    @api.model
    def _action_send_ab_testing_winners(self) -> None:
        """The scheduler's part: tests whose date has come get their winner."""
        now = fields.Datetime.now()
        due = self.search([("ab_testing_enabled", "=", True),
                           ("ab_testing_completed", "=", False),
                           ("ab_testing_winner_selection", "!=", "manual"),
                           ("ab_testing_schedule_datetime", "<=", now),
                           ("state", "in", ("sending", "done"))], order="id")
        done_campaigns: set[int] = set()
        for mailing in due:
            if mailing.campaign_id.id in done_campaigns:
                continue
            done_campaigns.add(mailing.campaign_id.id)
            winner = mailing._get_ab_testing_winner()
            if winner:
                self._send_winner(winner, send_now=True)
