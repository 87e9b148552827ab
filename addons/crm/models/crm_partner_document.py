"""A customer's documents and contracts: a file with a type and an expiry date.

    doc = env["crm.partner.document"].create({
        "partner_id": acme.id, "name": "Distribution agreement 2026",
        "document_type": "contract", "expiry_date": "2026-12-31", "reminder_days": 30,
        "datas": base64.b64encode(pdf)})
    doc.state                         # 'valid', 'expiring' (within the reminder), 'expired'
    env["crm.partner.document"]._cron_expiry_reminders()
    # a To-Do on the customer for the responsible, 30 days before the expiry

The file is kept as an attachment (``Binary(attachment=True)``). The
reminder is an activity on the customer (their chatter is where the
customer 360 is read), scheduled once per document and expiry date.
"""

from __future__ import annotations

import datetime as dt

from core import api, fields, models
from core.i18n import _

DOCUMENT_TYPES = [("contract", "Contract"), ("agreement", "Distribution Agreement"),
                  ("nda", "NDA"), ("price", "Price Agreement"),
                  ("certificate", "Certificate"), ("quality", "Quality Agreement"),
                  ("other", "Other")]
STATES = [("valid", "Valid"), ("expiring", "Expiring Soon"), ("expired", "Expired"),
          ("none", "No Expiry")]
#: how far ahead the scheduled job looks (the longest reminder it honours)
MAX_REMINDER_DAYS = 366


class CrmPartnerDocument(models.Model):
    _name = "crm.partner.document"
    _description = "Customer Document"
    _order = "expiry_date asc, id desc"

    name = fields.Char("Document", required=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 ondelete="cascade")
    document_type = fields.Selection(DOCUMENT_TYPES, "Type", required=True, default="contract")
    datas = fields.Binary("File", attachment=True)
    file_name = fields.Char("File Name")
    date_start = fields.Date("Valid From")
    expiry_date = fields.Date("Expires On", index=True)
    reminder_days = fields.Integer("Remind Before (days)", default=30,
                                   help="An activity is scheduled this many days before "
                                        "the expiry")
    user_id = fields.Many2one("res.users", "Responsible", index=True,
                              default=lambda self: self.env.uid,
                              help="Reminded before the document expires")
    company_id = fields.Many2one("res.company", "Company", index=True,
                                 related="partner_id.company_id", store=True)
    notes = fields.Text()
    reminder_date = fields.Date("Reminded For", readonly=True, copy=False,
                                help="The expiry date a reminder was scheduled for")
    state = fields.Selection(STATES, "Status", compute="_compute_state")

    @api.depends("expiry_date", "reminder_days")
    def _compute_state(self) -> None:
        today = fields.Date.today()
        for document in self:
            expiry = document.expiry_date
            if not expiry:
                document.state = "none"
            elif expiry < today:
                document.state = "expired"
            elif expiry <= today + dt.timedelta(days=document.reminder_days or 0):
                document.state = "expiring"
            else:
                document.state = "valid"

    @api.model
    def _cron_expiry_reminders(self) -> int:
        """Schedule a To-Do on the customer for each document entering its
        reminder period (once per expiry date); returns how many."""
        today = fields.Date.today()
        documents = self.search([("expiry_date", ">=", today),
                                 ("expiry_date", "<=",
                                  today + dt.timedelta(days=MAX_REMINDER_DAYS))])
        due = documents.filtered(
            lambda d: d.reminder_date != d.expiry_date
            and d.expiry_date <= today + dt.timedelta(days=d.reminder_days or 0))
        for document in due:
            partner = document.partner_id
            user = document.user_id or partner.user_id or self.env.user
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=max(today, document.expiry_date - dt.timedelta(days=7)),
                summary=_(self.env, "%(document)s expires on %(date)s",
                          document=document.name, date=document.expiry_date.isoformat()),
                user_id=user.id, automated=True)
            document.reminder_date = document.expiry_date
        return len(due)
