"""Mailings sent by nurturing sequences: a step's e-mail is a mailing flagged
``use_in_marketing_automation``, sent by the sequence to the contacts who reach
the step, never launched as a mailing of its own.

    step.mass_mailing_id = mailing       # flags it (and gives it the campaign's UTM)
    mailing.action_launch()              # UserError: the sequence sends it

(Loaded after mailing_mailing_send, whose ``action_send_mail`` it guards.)
"""

from __future__ import annotations

from typing import Any

from core import fields, models
from core.exceptions import UserError
from core.i18n import _


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    use_in_marketing_automation = fields.Boolean(
        "Specific mailing used in marketing campaign", default=False, copy=False,
        help="The e-mail of a step of a nurturing sequence: the sequence sends it to "
             "the contacts who reach the step")
    marketing_activity_ids = fields.One2many("marketing.activity", "mass_mailing_id",
                                             "Marketing Activities")

    def _refuse_automation(self) -> None:
        flagged = self.filtered("use_in_marketing_automation")
        if flagged:
            raise UserError(_(self.env, "The mailing %(subject)s is the e-mail of a step of "
                                        "a nurturing sequence: the sequence sends it to the "
                                        "contacts who reach the step.",
                              subject=flagged[0].subject))

    def action_put_in_queue(self) -> bool:
        self._refuse_automation()
        return super().action_put_in_queue()

    def action_send_mail(self, res_ids: list[int] | None = None) -> Any:
        if res_ids is None:
            self._refuse_automation()
        return super().action_send_mail(res_ids=res_ids)
