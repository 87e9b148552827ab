"""A lead with a chatter: tracked fields, activities, a workflow, a template."""

from core import fields, models


class TmLead(models.Model):
    _name = "tm.lead"
    _description = "Test Lead"
    _inherit = ["mail.thread", "mail.activity.mixin"]

    name = fields.Char(required=True)
    email_from = fields.Char("Email")
    partner_id = fields.Many2one("res.partner", "Customer", tracking=True)
    user_id = fields.Many2one("res.users", "Salesperson", tracking=True)
    stage = fields.Selection([("new", "New"), ("qualified", "Qualified"), ("won", "Won")],
                             default="new", tracking=1)
    expected_revenue = fields.Float(tracking=True)
    priority = fields.Boolean(tracking=True)
    tag_ids = fields.Many2many("res.partner.category", string="Tags", tracking=True)
    description = fields.Text()
    state = fields.Selection([("draft", "Draft"), ("open", "Open"), ("done", "Done")],
                             default="draft", tracking=True)

    def _track_subtype(self, init_values):
        if "stage" in init_values:
            return self.env.ref("tm_lead.mt_lead_stage")
        return super()._track_subtype(init_values)

    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        values.setdefault("description", "via e-mail")
        return super().message_new(msg_dict, values)
