"""Campaign ROI: a view type of ``utm.campaign`` actions (``campaign_roi``).

    /web/action/<crm_marketing.utm_campaign_action_roi>       # Reporting > Campaign ROI
    /marketing/campaign-roi                                   # a stable address: redirects

The page shows, for the campaigns of the search (stage, tags, responsible,
"My Campaigns"...), the totals (cost, leads, opportunities, won deals,
revenue, ROI, cost per lead) and SVG charts drawn by the graph view's
helpers (``core/http/web/graphview.py``): cost against revenue, ROI and cost
per lead of the campaigns with the most at stake, and their leads,
opportunities and won deals; then a table of every campaign, linked to its
form (and to its leads, for those who may read them). The figures are
``utm.campaign.roi_report`` (models/utm_campaign.py), in the company currency.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.http.web.addon_pages import addon_route
from core.http.web.graphview import ChartData, draw
from core.http.web.renderers import ViewRenderer, register_route, register_view_type
from core.i18n import _
from core.i18n.format import format_amount, format_number

#: campaigns shown in the charts (those with the most cost and revenue)
CHART_CAMPAIGNS = 12


class CampaignRoiRenderer(ViewRenderer):
    view_type = "campaign_roi"
    icon = "¤"
    template = "crm_marketing/campaign_roi.html"

    def render(self) -> Response:
        action = self.action
        env = action.model.env
        report = action.model.roi_report(action.search.domain)
        lang = env.lang
        currency = report["currency"]

        def money(value: float) -> str:
            return format_amount(value or 0.0, currency, lang)

        def percent(value: float) -> str:
            return f"{format_number(value or 0.0, lang, 1)} %"

        values = {"report": report, "money": money, "percent": percent,
                  "charts": self._charts(env, report["rows"], money, percent),
                  "leads_url": self._leads_url(env),
                  "record_url": action.record_url}
        return action.page.render(self.template, **action.frame(), **values)

    @staticmethod
    def _charts(env: Any, rows: list[dict], money: Any, percent: Any) -> dict:
        top = sorted((row for row in rows if row["cost"] or row["revenue"]),
                     key=lambda row: (-(row["cost"] + row["revenue"]), row["id"]))
        top = top[:CHART_CAMPAIGNS]
        charts: dict[str, Any] = {}
        if top:
            labels = [row["name"] for row in top]
            charts["money"] = draw("bar", ChartData(
                labels, [_(env, "Cost"), _(env, "Revenue")],
                [[row["cost"] for row in top], [row["revenue"] for row in top]],
                _(env, "Amount"), money), False, _(env, "Cost and revenue by campaign"))
        costly = [row for row in top if row["cost"]]
        if costly:
            charts["roi"] = draw("bar", ChartData(
                [row["name"] for row in costly], [_(env, "ROI")],
                [[row["roi"] for row in costly]], _(env, "ROI"), percent), False,
                _(env, "ROI by campaign"))
        with_leads = [row for row in costly if row["leads"]]
        if with_leads:
            charts["cost_per_lead"] = draw("bar", ChartData(
                [row["name"] for row in with_leads], [_(env, "Cost per lead")],
                [[row["cost_per_lead"] for row in with_leads]], _(env, "Cost per lead"),
                money), False, _(env, "Cost per lead by campaign"))
        busy = sorted((row for row in rows if row["leads"]),
                      key=lambda row: (-row["leads"], row["id"]))[:CHART_CAMPAIGNS]
        if busy:
            charts["funnel"] = draw("bar", ChartData(
                [row["name"] for row in busy],
                [_(env, "Leads"), _(env, "Opportunities"), _(env, "Won")],
                [[row[key] for row in busy] for key in ("leads", "opportunities", "won")],
                _(env, "Count"), lambda value: format_number(
                    value, env.lang, 0 if float(value).is_integer() else 1)), False,
                _(env, "Leads, opportunities and won deals by campaign"))
        return charts

    @staticmethod
    def _leads_url(env: Any) -> Any:
        """The list of a campaign's leads (lost ones too), for users who may read leads."""
        if not env["crm.lead"].check_access_rights("read", raise_exception=False):
            return None

        def url(row: dict) -> str:
            domain = [("campaign_id", "=", row["id"]), ("active", "in", [True, False])]
            return "/web/model/crm.lead?" + urlencode(
                [("s", "1"), ("domain", json.dumps(domain)),
                 ("domain_label", _(env, "Leads of %s", row["name"]))])
        return url


register_view_type(CampaignRoiRenderer)


@addon_route("crm_marketing")
def campaign_roi_page(page: Any) -> Response:
    """``/marketing/campaign-roi``: the Campaign ROI action's page."""
    action = page.env.ref("crm_marketing.utm_campaign_action_roi")
    return redirect(f"/web/action/{action.id}?view_type=campaign_roi")


register_route("/marketing/campaign-roi", "crm_marketing_campaign_roi", campaign_roi_page,
               ("GET",), "page")
