"""The workflow and job methods every model has (a mixin of ``BaseModel``).

    expense.workflow_trigger("action_approve", comment="OK")
    expense.workflow_buttons()          # what the current user may do now
    partners.with_delay().send_newsletter(campaign_id)   # run later, as a job
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import api
from core.exceptions import UserError
from core.workflow import engine as workflow

if TYPE_CHECKING:
    from core.orm.models import BaseModel


class WorkflowMixin:
    __slots__ = ()

    def workflow_trigger(self, name: str, values: dict | None = None,
                         comment: str | None = None) -> bool:
        """Take the transition of trigger ``name`` (see docs/workflows.md)."""
        return workflow.trigger(self, name, values=values, comment=comment)

    def with_delay(self, priority: int = 10, eta: Any = None,
                   max_attempts: int = 5) -> Any:
        """``records.with_delay().method(args)``: run the call later, as a job
        that exists only if this transaction commits (core.workflow.jobs)."""
        from core.workflow.jobs import DelayedCall

        return DelayedCall(self, priority=priority, eta=eta, max_attempts=max_attempts)

    def workflow_buttons(self) -> list[dict]:
        """The workflow actions the current user may take on this record now."""
        return workflow.buttons(self)

    @api.model
    def workflow_states(self) -> list[dict]:
        """The states of the model's workflow, in order (for the status bar)."""
        return workflow.states(self)

    def _workflow_message(self, body: str) -> str | None:
        """An on-enter message; without a chatter it goes to the audit trail."""
        return body

    def _workflow_activity(self, summary: str, user: BaseModel, deadline: Any) -> None:
        """An on-enter activity: mail.activity.mixin schedules it."""
        raise UserError(f"{self._description} cannot hold activities (the mail addon "
                        "provides them).")

    def _workflow_template(self, xmlid: str) -> None:
        """An on-enter e-mail template: mail.thread sends it."""
        raise UserError(f"{self._description} cannot send e-mail templates (the mail addon "
                        "provides them).")
