"""What a campaign cost and what it brought: leads, deals, revenue and ROI.

    fair = env["utm.campaign"].create({"name": "Light + Building 2026", "cost": 18000})
    lead.campaign_id = fair                   # leads are attributed by their campaign
    fair.crm_lead_count, fair.opportunity_count, fair.won_count
    fair.won_revenue      # won deals without a confirmed order (company currency)
    fair.order_revenue    # confirmed orders of the campaign's deals (with sale_crm)
    fair.revenue          # the two together: a deal's orders replace its expected revenue
    fair.roi              # (revenue - cost) / cost, in %
    fair.cost_per_lead    # cost / leads
    env["utm.campaign"].roi_report([("stage_id", "=", sent.id)])   # rows and totals

Every figure is in the campaign's company currency. Leads count whatever
their type and state (lost leads are archived, yet the campaign brought
them); revenue is the stored company-currency amount of each won deal
(``crm.lead.company_expected_revenue``, converted by crm at the closing
day's rate) and, where ``sale_crm`` is installed, the untaxed company amount
of each confirmed order of the campaign's deals (``amount_untaxed_company``,
at the order's rate). A won deal with a confirmed order counts by its
orders only, so nothing is counted twice.

The figures of any number of campaigns come from two grouped queries (the
deals, and the confirmed orders), whose conditions are compiled from
domains by the ORM; they are aggregates, read with the superuser's rights
over the companies the user works in, so marketing staff see a campaign's
results without the right to open its deals (docs/campaign-roi.md).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from core import api, fields, models
from core.exceptions import AccessError, ValidationError
from core.i18n import _

#: who sees costs and results: marketing staff and sales managers
ROI_GROUPS = "crm_marketing.group_mass_mailing_user,sales_team.group_sale_manager"
#: the figures of one campaign, before the cost is known
FIGURES = ("crm_lead_count", "opportunity_count", "won_count", "won_revenue",
           "order_revenue")


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    company_id = fields.Many2one("res.company", "Company", index=True,
                                 default=lambda self: self.env.company,
                                 help="The company whose currency the cost and the "
                                      "results are in")
    currency_id = fields.Many2one("res.currency", "Currency", compute="_compute_currency_id")
    cost = fields.Monetary("Cost", currency_field="currency_id", groups=ROI_GROUPS,
                           help="What the campaign cost (fair, printing, advertising, "
                                "mailing), in the company currency")
    crm_lead_count = fields.Integer("Leads", compute="_compute_roi_figures",
                                    groups=ROI_GROUPS,
                                    help="Leads and opportunities of the campaign, lost "
                                         "ones included")
    opportunity_count = fields.Integer("Opportunities", compute="_compute_roi_figures",
                                       groups=ROI_GROUPS,
                                       help="Of those, the ones that became deals")
    won_count = fields.Integer("Won", compute="_compute_roi_figures", groups=ROI_GROUPS)
    won_revenue = fields.Monetary(
        "Won Revenue", currency_field="currency_id", compute="_compute_roi_figures",
        groups=ROI_GROUPS,
        help="Expected revenue of the won deals that have no confirmed order")
    order_revenue = fields.Monetary(
        "Confirmed Orders", currency_field="currency_id", compute="_compute_roi_figures",
        groups=ROI_GROUPS,
        help="Untaxed amount of the confirmed sales orders of the campaign's deals")
    revenue = fields.Monetary("Revenue", currency_field="currency_id",
                              compute="_compute_roi_figures", groups=ROI_GROUPS,
                              help="Won revenue and confirmed orders")
    roi = fields.Float("ROI (%)", digits=(16, 1), compute="_compute_roi_figures",
                       groups=ROI_GROUPS,
                       help="(Revenue - cost) / cost, in percent; 0 without a cost")
    cost_per_lead = fields.Monetary("Cost per Lead", currency_field="currency_id",
                                    compute="_compute_roi_figures", groups=ROI_GROUPS)

    @api.constrains("cost")
    def _check_cost(self) -> None:
        for campaign in self:
            if campaign.cost < 0:
                raise ValidationError(_(self.env, "The cost of the campaign %(name)s cannot "
                                        "be negative (%(cost)s).", name=campaign.name,
                                        cost=campaign.cost))

    @api.depends("company_id")
    def _compute_currency_id(self) -> None:
        for campaign in self:
            campaign.currency_id = (campaign.company_id or self.env.company).currency_id

    @api.depends("cost", "company_id")
    def _compute_roi_figures(self) -> None:
        figures = self._roi_figures()
        for campaign in self:
            values = figures.get(campaign.id) or dict.fromkeys(FIGURES, 0)
            currency = campaign.currency_id
            revenue = currency.round(values["won_revenue"] + values["order_revenue"])
            cost = campaign.cost or 0.0
            leads = values["crm_lead_count"]
            campaign.update({
                **values, "revenue": revenue,
                "roi": round(100.0 * (revenue - cost) / cost, 1) if cost else 0.0,
                "cost_per_lead": currency.round(cost / leads) if leads else 0.0})

    # ------------------------------------------------------------------
    # the figures, in two grouped queries
    # ------------------------------------------------------------------
    def _roi_figures(self) -> dict[int, dict[str, Any]]:
        """{campaign id: counts and amounts (in the campaign's currency)}."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        self.env.flush_all()
        currency_of = {c.id: (c.company_id or self.env.company, c.currency_id)
                       for c in self.browse(ids)}
        result: dict[int, dict[str, Any]] = {
            i: {**dict.fromkeys(FIGURES, 0), "won_revenue": 0.0, "order_revenue": 0.0}
            for i in ids}
        rate = self._rate_memo()
        orders = self._confirmed_orders_model()
        for campaign_id, company_id, leads, opportunities, won, amount in \
                self._lead_rows(ids, orders):
            row = result[campaign_id]
            row["crm_lead_count"] += leads
            row["opportunity_count"] += int(opportunities or 0)
            row["won_count"] += int(won or 0)
            row["won_revenue"] += float(amount or 0.0) * rate(company_id,
                                                              *currency_of[campaign_id])
        if orders is not None:
            for campaign_id, company_id, amount in self._order_rows(ids, orders):
                result[campaign_id]["order_revenue"] += float(amount or 0.0) * rate(
                    company_id, *currency_of[campaign_id])
        for campaign_id, row in result.items():
            currency = currency_of[campaign_id][1]
            row["won_revenue"] = currency.round(row["won_revenue"])
            row["order_revenue"] = currency.round(row["order_revenue"])
        return result

    def _company_scope(self) -> list:
        """Deals and orders of the companies the user works in (or of none)."""
        return ["|", ("company_id", "=", False), ("company_id", "in", self.env.companies.ids)]

    def _confirmed_orders_model(self) -> Any:
        """``sale.order`` when sale_crm links orders to deals in this database, else
        None: crm_marketing does not depend on sale (a soft check on the registry)."""
        if "sale.order" not in self.env.registry:
            return None
        Order = self.env["sale.order"].sudo()  # noqa: N806
        return Order if "opportunity_id" in Order._fields else None

    def _lead_rows(self, ids: list[int], orders: Any) -> list[tuple]:
        """(campaign, company, leads, opportunities, won, won revenue without a
        confirmed order) of the campaigns' deals, lost ones included."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)  # noqa: N806
        leads = Lead._table_obj
        won = leads.c.won_status == "won"
        if orders is not None:
            ordered = sa.select(orders._table_obj.c.opportunity_id).where(
                orders._where([("state", "=", "sale"), ("opportunity_id", "!=", False)]))
            won = sa.and_(won, leads.c.id.not_in(ordered))
        stmt = sa.select(
            leads.c.campaign_id, leads.c.company_id, sa.func.count(leads.c.id),
            sa.func.sum(sa.case((leads.c.type == "opportunity", 1), else_=0)),
            sa.func.sum(sa.case((leads.c.won_status == "won", 1), else_=0)),
            sa.func.sum(sa.case((won, leads.c.company_expected_revenue), else_=0.0)),
        ).where(Lead._where([("campaign_id", "in", ids)] + self._company_scope())) \
            .group_by(leads.c.campaign_id, leads.c.company_id)
        return self.env.transaction.execute(stmt).all()

    def _order_rows(self, ids: list[int], orders: Any) -> list[tuple]:
        """(campaign, company, untaxed amount) of the confirmed orders of the
        campaigns' deals (lost or archived deals included: the order was made)."""
        table, leads = orders._table_obj, self.env["crm.lead"]._table_obj
        stmt = sa.select(leads.c.campaign_id, table.c.company_id,
                         sa.func.sum(table.c.amount_untaxed_company)) \
            .select_from(table.join(leads, leads.c.id == table.c.opportunity_id)) \
            .where(orders._where([("state", "=", "sale")] + self._company_scope()),
                   leads.c.campaign_id.in_(ids)) \
            .group_by(leads.c.campaign_id, table.c.company_id)
        return self.env.transaction.execute(stmt).all()

    def _rate_memo(self) -> Any:
        """rate(company id of an amount, target company, target currency): from the
        amount's company currency, at today's rate; looked up once per pair."""
        memo: dict[tuple[int, int], float] = {}
        Company = self.env["res.company"].sudo()  # noqa: N806

        def rate(company_id: int | None, target: Any, currency: Any) -> float:
            source = Company.browse(company_id).currency_id if company_id else currency
            key = (source.id, currency.id)
            if key not in memo:
                memo[key] = 1.0 if source == currency else \
                    self.env["res.currency"]._get_conversion_rate(source, currency, target)
            return memo[key]
        return rate

    # ------------------------------------------------------------------
    # the report and the buttons
    # ------------------------------------------------------------------
    @api.model
    def roi_report(self, domain: list | None = None) -> dict[str, Any]:
        """The campaigns of ``domain`` (read as the user) with their figures, and
        the totals in the current company's currency: {"currency", "rows",
        "totals"}; rows are {"id", "name", "cost", "leads", "opportunities",
        "won", "won_revenue", "order_revenue", "revenue", "roi", "cost_per_lead"}."""
        self._check_roi_access()
        campaigns = self.search(list(domain or []))
        target = self.env.company.currency_id
        rate = self._rate_memo()
        rows, totals = [], defaultdict(float)
        for campaign in campaigns:
            row = {"id": campaign.id, "name": campaign.name, "cost": float(campaign.cost),
                   "leads": campaign.crm_lead_count,
                   "opportunities": campaign.opportunity_count, "won": campaign.won_count,
                   "won_revenue": campaign.won_revenue, "order_revenue": campaign.order_revenue,
                   "revenue": campaign.revenue, "roi": campaign.roi,
                   "cost_per_lead": campaign.cost_per_lead}
            rows.append(row)
            company = campaign.company_id or self.env.company
            factor = rate(company.id, self.env.company, target)
            for key in ("cost", "won_revenue", "order_revenue", "revenue"):
                totals[key] += row[key] * factor
            for key in ("leads", "opportunities", "won"):
                totals[key] += row[key]
        summary = {key: target.round(totals[key]) for key in
                   ("cost", "won_revenue", "order_revenue", "revenue")}
        summary.update({key: int(totals[key]) for key in ("leads", "opportunities", "won")})
        cost = summary["cost"]
        summary["roi"] = round(100.0 * (summary["revenue"] - cost) / cost, 1) if cost else 0.0
        summary["cost_per_lead"] = target.round(cost / summary["leads"]) \
            if summary["leads"] else 0.0
        summary["count"] = len(rows)
        return {"currency": target, "rows": rows, "totals": summary}

    def _check_roi_access(self) -> None:
        if not self.env.su and not any(self.env.user.has_group(group)
                                       for group in ROI_GROUPS.split(",")):
            raise AccessError(_(self.env, "Campaign costs and results are for marketing "
                                "staff and sales managers."))

    def action_view_leads(self) -> dict:
        """The "Leads" button: every lead and deal of the campaign, lost ones too."""
        return self._leads_action(_(self.env, "Leads of %s", self.name), [])

    def action_view_opportunities(self) -> dict:
        return self._leads_action(_(self.env, "Opportunities of %s", self.name),
                                  [("type", "=", "opportunity")])

    def _leads_action(self, name: str, domain: list) -> dict:
        self.ensure_one()
        # lost deals are archived: the domain names ``active`` to show them too
        return {"type": "ir.actions.act_window", "name": name, "res_model": "crm.lead",
                "view_mode": "list,form",
                "domain": [("campaign_id", "=", self.id), ("active", "in", [True, False])]
                + domain}
