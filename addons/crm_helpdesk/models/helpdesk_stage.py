"""The stages of a ticket: the states of the ticket workflow.

    env.ref("crm_helpdesk.stage_new")           # where every ticket starts
    env.ref("crm_helpdesk.stage_solved").fold   # True: a closing stage, folded in kanban

The stages are data of the addon, moved through by the workflow
(data/helpdesk_ticket_workflow.xml); ``sequence`` orders them, and an SLA
whose target is a stage is reached when the ticket gets to that stage or a
later one. ``is_close`` marks the stages that close a ticket (close date,
satisfaction survey).
"""

from __future__ import annotations

from core import fields, models


class HelpdeskStage(models.Model):
    _name = "helpdesk.stage"
    _description = "Helpdesk Stage"
    _order = "sequence, id"

    name = fields.Char("Stage Name", required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean("Folded in Kanban",
                          help="Tickets in a folded stage are hidden from the board's columns")
    is_close = fields.Boolean("Closing Stage",
                              help="Tickets in this stage are considered closed")
    is_cancel = fields.Boolean("Cancelled Stage",
                               help="Closed without an answer (spam, duplicates): no survey")
