"""The owner's dashboard: a view type of ``crm.lead`` actions (``crm_dashboard``).

    /web/action/<crm.crm_dashboard_action>?view_type=crm_dashboard
    /crm/dashboard                       # a stable address: redirects there

The page shows this month's weighted forecast against what was won, won
revenue of the last six months next to the forecast of the next six (an
SVG bar chart), top customers, markets by revenue (an SVG pie), win rates
and sales cycles per salesperson and market, the month's pipeline
movement and the follow-ups that are late. Its search bar narrows the
deals (My Pipeline, a team, a country...). Figures come from
``crm.pipeline.report.dashboard`` read as the user; the charts are drawn
by the graph view's SVG helpers (``core/http/web/graphview.py``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.http.web.addon_pages import addon_route
from core.http.web.graphview import ChartData, draw
from core.http.web.renderers import ViewRenderer, register_route, register_view_type
from core.i18n import _
from core.i18n.format import format_amount, format_date, format_number


class DashboardRenderer(ViewRenderer):
    view_type = "crm_dashboard"
    icon = "◔"
    template = "crm/dashboard.html"

    def render(self) -> Response:
        action = self.action
        env = action.model.env
        data = env["crm.pipeline.report"].dashboard(action.search.domain)
        money = self._money(env, data["currency"])
        values = {"data": data, "money": money, "percent": self._percent(env),
                  "date": lambda day: format_date(day, env.lang),
                  "charts": self._charts(env, data, money),
                  "links": self._links(env)}
        return action.page.render(self.template, **action.frame(), **values)

    @staticmethod
    def _money(env: Any, currency: Any) -> Any:
        return lambda value: format_amount(value or 0.0, currency, env.lang)

    @staticmethod
    def _percent(env: Any) -> Any:
        return lambda value: f"{format_number(value or 0.0, env.lang, 1)} %"

    def _charts(self, env: Any, data: dict, money: Any) -> dict:
        month = data["month"]
        this_month = ChartData(
            [_(env, "Forecast (weighted)"), _(env, "Expected"), _(env, "Won")],
            [month["label"]], [[month["forecast"], month["expected"], month["won"]]],
            _(env, "Revenue"), money)
        months = ChartData([row["label"] for row in data["months"]],
                           [_(env, "Won"), _(env, "Forecast (weighted)")],
                           [[row["won"] for row in data["months"]],
                            [row["forecast"] for row in data["months"]]],
                           _(env, "Revenue"), money)
        markets = [row for row in data["markets"] if row["revenue"] > 0]
        by_market = ChartData([row["label"] for row in markets], [_(env, "Won revenue")],
                              [[row["revenue"] for row in markets]], _(env, "Won revenue"),
                              money)
        empty = _(env, "Nothing won in the last twelve months.")
        return {
            "month": draw("bar", this_month, False, _(env, "This month: forecast and won")),
            "months": draw("bar", months, False, _(env, "Won and forecast by month")),
            "markets": draw("pie", by_market, False, _(env, "Markets by revenue"), empty)
            if markets else None,
        }

    @staticmethod
    def _links(env: Any) -> dict:
        """Pipeline pages filtered on what the dashboard counts."""
        pipeline = env.ref("crm.crm_lead_action_pipeline", raise_if_not_found=False)
        if not pipeline:
            return {}
        base = f"/web/action/{pipeline.id}"

        def url(*filters: str, view_type: str = "list") -> str:
            query = [("s", "1"), ("view_type", view_type)] + [("filter", f) for f in filters]
            return f"{base}?{urlencode(query)}"

        return {"pipeline": url("open_opportunities", view_type="kanban"),
                "rotting": url("rotting", "open_opportunities"),
                "no_activity": url("no_activity"),
                "overdue": url("activities_overdue"),
                "lead": lambda lead_id: f"{base}/{lead_id}"}


register_view_type(DashboardRenderer)


@addon_route("crm")
def dashboard_page(page: Any) -> Response:
    """``/crm/dashboard``: the Dashboard action's page."""
    action = page.env.ref("crm.crm_dashboard_action")
    return redirect(f"/web/action/{action.id}?view_type=crm_dashboard")


register_route("/crm/dashboard", "crm_dashboard", dashboard_page, ("GET",), "page")
