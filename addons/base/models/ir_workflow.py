"""Workflows as records: states, transitions, on-enter actions, the audit trail.

These records are written by the ``<workflow>`` element of data files
(``core.workflow.loader``) and read by the engine (``core.workflow.engine``);
see docs/workflows.md.
"""

from __future__ import annotations

from core import fields, models

APPROVALS = [("none", "No approval"), ("group", "Members of a group"),
             ("field", "The user in a field of the record")]
ACTIONS = [("method", "Call a method"), ("message", "Post a message"),
           ("activity", "Schedule an activity"), ("template", "Send an e-mail template")]


class IrWorkflow(models.Model):
    _name = "ir.workflow"
    _description = "Workflow"
    _order = "model, id"

    name = fields.Char(required=True)
    model = fields.Char(required=True, index=True)
    state_field = fields.Char(required=True)
    active = fields.Boolean(default=True)
    state_ids = fields.One2many("ir.workflow.state", "workflow_id", "States")
    transition_ids = fields.One2many("ir.workflow.transition", "workflow_id", "Transitions")
    action_ids = fields.One2many("ir.workflow.action", "workflow_id", "On-enter actions")


class IrWorkflowState(models.Model):
    _name = "ir.workflow.state"
    _description = "Workflow State"
    _order = "workflow_id, sequence, id"

    workflow_id = fields.Many2one("ir.workflow", required=True, ondelete="cascade")
    name = fields.Char(required=True, help="The value of the state field")
    string = fields.Char("Label", translate=True)
    sequence = fields.Integer(default=10)
    initial = fields.Boolean()
    final = fields.Boolean()
    folded = fields.Boolean(help="Folded in kanban views")


class IrWorkflowTransition(models.Model):
    _name = "ir.workflow.transition"
    _description = "Workflow Transition"
    _order = "workflow_id, sequence, id"

    workflow_id = fields.Many2one("ir.workflow", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    from_states = fields.Char(required=True, help="Comma-separated states, or *")
    to_state = fields.Char(required=True)
    trigger = fields.Char(required=True, index=True)
    string = fields.Char("Button label", translate=True)
    group_ids = fields.Many2many("res.groups", "ir_workflow_transition_group_rel",
                                 "transition_id", "group_id", "Allowed groups")
    condition = fields.Char(help="A domain the record must satisfy")
    required_fields = fields.Char(help="Comma-separated fields that must have a value")
    approval = fields.Selection(APPROVALS, default="none", required=True)
    approval_group_id = fields.Many2one("res.groups", "Approving group")
    approval_field = fields.Char(help="The many2one to res.users naming the approver")
    approval_count = fields.Integer(default=1, help="Approvals needed (distinct users)")


class IrWorkflowAction(models.Model):
    _name = "ir.workflow.action"
    _description = "Workflow On-enter Action"
    _order = "workflow_id, sequence, id"

    workflow_id = fields.Many2one("ir.workflow", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    state = fields.Char(required=True)
    kind = fields.Selection(ACTIONS, required=True)
    method = fields.Char()
    message = fields.Text(translate=True)
    user_field = fields.Char(help="For activities: the many2one to res.users to assign")
    summary = fields.Char(translate=True)
    delay_days = fields.Integer()
    template = fields.Char(help="External id of the e-mail template")


class IrWorkflowHistory(models.Model):
    _name = "ir.workflow.history"
    _description = "Workflow Audit Trail"
    _order = "id desc"

    workflow_id = fields.Many2one("ir.workflow", ondelete="set null")
    model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    from_state = fields.Char()
    to_state = fields.Char(required=True)
    trigger = fields.Char()
    user_id = fields.Many2one("res.users", ondelete="set null")
    date = fields.Datetime(default=lambda self: fields.Datetime.now())
    comment = fields.Text()
    approver_ids = fields.Many2many("res.users", "ir_workflow_history_approver_rel",
                                    "history_id", "user_id", "Approved by")


class IrWorkflowApproval(models.Model):
    _name = "ir.workflow.approval"
    _description = "Workflow Approval"
    _order = "id"

    # transitions are re-created when their addon is upgraded: approvals are
    # matched by (record, from_state, trigger, to_state), the link is informative
    transition_id = fields.Many2one("ir.workflow.transition", ondelete="set null")
    model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    from_state = fields.Char(required=True)
    trigger = fields.Char(required=True)
    to_state = fields.Char(required=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    date = fields.Datetime(default=lambda self: fields.Datetime.now())
    consumed = fields.Boolean(help="Used by a transition that has fired")
