"""Ticket types: question, issue, return, complaint...

    complaint = env.ref("crm_helpdesk.type_complaint")
    env["helpdesk.ticket"].search([("ticket_type_id", "=", complaint.id)])
"""

from __future__ import annotations

from core import fields, models


class HelpdeskTicketType(models.Model):
    _name = "helpdesk.ticket.type"
    _description = "Helpdesk Ticket Type"
    _order = "sequence, name, id"

    name = fields.Char("Type", required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_complaint = fields.Boolean("Complaint",
                                  help="Tickets of this type are customer complaints: they "
                                       "count in the customer's and the order's complaints")
