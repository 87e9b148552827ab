from core import fields, models


class TwPurchase(models.Model):
    """Approved by the manager named on the record, then (above 5,000) by two
    board members; its chatter and activities are simulated in text fields."""

    _name = "tw.purchase"
    _description = "Purchase"

    name = fields.Char(required=True)
    amount = fields.Float()
    requester_id = fields.Many2one("res.users", default=lambda self: self.env.uid)
    manager_id = fields.Many2one("res.users")
    state = fields.Selection([("draft", "Draft"), ("submitted", "Submitted"),
                              ("board", "Board approval"), ("approved", "Approved"),
                              ("done", "Done"), ("cancelled", "Cancelled")], default="draft")
    approved_count = fields.Integer()
    log = fields.Text()
    activity_log = fields.Text()

    def _on_approved(self):
        for purchase in self.sudo():
            purchase.approved_count += 1

    def _append(self, name, line):
        for purchase in self.sudo():
            purchase[name] = "\n".join(filter(None, [purchase[name], line]))

    def _workflow_message(self, body):
        """As mail.thread: the message goes to the chatter, not the audit trail."""
        self._append("log", body)
        return None

    def _workflow_activity(self, summary, user, deadline):
        self._append("activity_log", f"{summary}|{user.login}|{deadline.isoformat()}")
