from core import fields, models


class TwExpense(models.Model):
    _name = "tw.expense"
    _description = "Expense"

    name = fields.Char(required=True)
    amount = fields.Float()
    employee_id = fields.Many2one("res.users", default=lambda self: self.env.uid)
    manager_id = fields.Many2one("res.users")
    reject_reason = fields.Text()
    paid = fields.Boolean()
    state = fields.Selection([("draft", "Draft"), ("manager", "Manager approval"),
                              ("finance", "Finance approval"), ("approved", "Approved"),
                              ("rejected", "Rejected")], default="draft")

    def action_submit(self):
        for expense in self:
            if not expense.manager_id:
                expense.manager_id = expense.sudo().employee_id.id
        return super().action_submit()

    def _on_approved(self):
        self.sudo().write({"paid": True})
