"""The helpdesk's pages in the web client (imported at start-up, see
core/http/web/addon_pages.py).

    /web/action/<crm_helpdesk.helpdesk_dashboard_action>?view_type=helpdesk_dashboard
    /helpdesk/dashboard                      # a stable address: redirects there
    /helpdesk/kb/<article id>/diff?from=<version id>&to=<version id>

The dashboard is a view type of ``helpdesk.ticket`` actions, so it has the
search bar (My Tickets, a team, a period...): its figures and SVG charts
(the graph view's helpers) come from ``helpdesk.ticket.dashboard_data``,
read as the user. The diff page compares any two versions of an article.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.http.web.addon_pages import addon_route
from core.http.web.graphview import ChartData, draw
from core.http.web.renderers import ViewRenderer, register_route, register_view_type
from core.i18n import _
from core.i18n.format import format_number


class HelpdeskDashboardRenderer(ViewRenderer):
    view_type = "helpdesk_dashboard"
    icon = "◔"

    def render(self) -> Response:
        action = self.action
        env = action.model.env
        data = env["helpdesk.ticket"].dashboard_data(action.search.domain)
        number = lambda value, digits=1: format_number(value or 0.0, env.lang, digits)  # noqa: E731
        return action.page.render("crm_helpdesk/dashboard.html", **action.frame(), data=data,
                                  number=number, charts=self._charts(env, data, number))

    @staticmethod
    def _charts(env: Any, data: dict, number: Any) -> dict:
        def chart(kind: str, rows: list[tuple[str, float]], title: str, label: str) -> Any:
            if not rows:
                return None
            values = ChartData(labels=[r[0] for r in rows], series=[label],
                               values=[[r[1] for r in rows]], measure_label=label,
                               format=lambda v: number(v))
            return draw(kind, values, False, title, _(env, "No data"))

        return {
            "stages": chart("bar", data["by_stage"], _(env, "Open tickets by stage"),
                            _(env, "Tickets")),
            "agents": chart("bar", data["by_agent"], _(env, "Open tickets by agent"),
                            _(env, "Tickets")),
            "sla": chart("bar", data["sla_by_team"], _(env, "SLA success rate by team (%)"),
                         _(env, "Success (%)")),
            "rating": chart("line", data["rating_trend"],
                            _(env, "Satisfaction trend (average rating by month)"),
                            _(env, "Rating")),
            "created": chart("bar", data["created_trend"], _(env, "Tickets created by month"),
                             _(env, "Tickets")),
        }


register_view_type(HelpdeskDashboardRenderer)


@addon_route("crm_helpdesk")
def dashboard(page: Any) -> Response:
    action = page.env.ref("crm_helpdesk.helpdesk_dashboard_action")
    return redirect(f"/web/action/{action.id}?view_type=helpdesk_dashboard")


@addon_route("crm_helpdesk")
def version_diff(page: Any, article_id: int) -> Response:
    """Two versions of an article side by side (default: the last two)."""
    env = page.env
    article = env["knowledge.article"].search([("id", "=", article_id)], limit=1)
    if not article:
        raise NotFound()
    versions = env["knowledge.article.version"].search([("article_id", "=", article.id)])
    if not versions:
        raise NotFound()
    by_id = {v.id: v for v in versions}
    new = by_id.get(_int(page.request.args.get("to"))) or versions[0]
    old = by_id.get(_int(page.request.args.get("from"))) or \
        versions.filtered(lambda v: v.number < new.number)[:1]
    return page.render("crm_helpdesk/version_diff.html", article=article, versions=versions,
                       old=old, new=new, diff=Markup(new.diff_with(old)),
                       breadcrumbs=[(article.name, f"/web/model/knowledge.article/"
                                                   f"{article.id}"), (_(env, "Changes"), None)])


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


register_route("/helpdesk/dashboard", "helpdesk_dashboard", dashboard, ("GET",), "page")
register_route("/helpdesk/kb/<int:article_id>/diff", "helpdesk_kb_diff", version_diff,
               ("GET",), "page")
