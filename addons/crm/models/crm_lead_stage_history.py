"""The pipeline's moves: every deal entering, moving, won, lost or restored.

    env["crm.lead.stage.history"].read_group(
        [("date", ">=", "2026-11-01"), ("date", "<", "2026-12-01")],
        ["amount:sum"], ["kind", "stage_id"], lazy=False)
    # [{"kind": "moved", "stage_id": (3, "Quotation"), "amount": 52000.0, "__count": 4}, ...]

The deals' write() adds the rows (as superuser); nobody edits them. They
keep the salesperson, team and amount (company currency) of the moment,
so "what entered, left or moved in November" is one ``read_group`` over
an indexed date, whatever the number of deals. Decision: a table of its
own rather than ``mail.tracking.value``, which only administrators read
and which holds names rather than the ids and amounts a report groups by.
"""

from __future__ import annotations

from core import fields, models

KINDS = [("entered", "Entered the pipeline"), ("moved", "Changed stage"), ("won", "Won"),
         ("lost", "Lost"), ("restored", "Restored")]


class CrmLeadStageHistory(models.Model):
    _name = "crm.lead.stage.history"
    _description = "Pipeline Movement"
    _order = "date desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", "Opportunity", required=True, index=True,
                              ondelete="cascade")
    kind = fields.Selection(KINDS, "Movement", required=True, index=True)
    date = fields.Datetime(required=True, index=True, default=lambda self: fields.Datetime.now())
    from_stage_id = fields.Many2one("crm.stage", "From Stage", ondelete="set null", index=True)
    stage_id = fields.Many2one("crm.stage", "Stage", ondelete="set null", index=True)
    user_id = fields.Many2one("res.users", "Salesperson", index=True, ondelete="set null")
    team_id = fields.Many2one("crm.team", "Sales Team", index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", "Company", index=True, ondelete="set null")
    company_currency = fields.Many2one("res.currency", related="company_id.currency_id",
                                       string="Currency")
    amount = fields.Monetary("Expected Revenue", currency_field="company_currency",
                             help="The deal's expected revenue (company currency) then")
