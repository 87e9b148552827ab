from core import fields, models


class TwTicket(models.Model):
    _name = "tw.ticket"
    _description = "Ticket"

    name = fields.Char(required=True)
    state = fields.Selection([("new", "New"), ("open", "Open"), ("done", "Done")],
                             default="new")
