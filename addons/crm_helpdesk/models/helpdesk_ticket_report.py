"""The helpdesk dashboard's figures, from read_group as the user.

    data = env["helpdesk.ticket"].dashboard_data([("team_id", "=", support.id)])
    data["open"], data["unassigned"], data["sla_failed"]           # counts
    data["sla_success_rate"]          # % of the decided SLAs reached in time
    data["avg_first_response_hours"], data["avg_close_hours"]      # working hours
    data["avg_rating"]                # of the answered surveys
    data["by_stage"], data["by_agent"], data["sla_by_team"]        # [(label, value)]
    data["rating_trend"], data["created_trend"]                    # by month

Every figure is a ``read_group`` (or a count) over the tickets of
``domain``, run as the user, so record rules apply and the cost does not
grow with the number of tickets read into Python.
"""

from __future__ import annotations

from typing import Any

from core import api, models
from core.i18n import _
from core.orm import domain as dom

TREND_MONTHS = 12


class HelpdeskTicketReport(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def dashboard_data(self, domain: list | None = None) -> dict[str, Any]:
        scope = list(domain or [])
        opened = dom.AND([scope, [("is_closed", "=", False)]])
        data: dict[str, Any] = {
            "open": self.search_count(opened),
            "unassigned": self.search_count(dom.AND([opened, [("user_id", "=", False)]])),
            "sla_failed": self.search_count(dom.AND([opened, [("sla_fail", "=", True)]])),
            "closed": self.search_count(dom.AND([scope, [("is_closed", "=", True)]])),
            "complaints": self.search_count(dom.AND([scope, [("is_complaint", "=", True)]])),
        }
        data["avg_first_response_hours"] = self._average(
            scope, "first_response_hours", [("first_response_date", "!=", False)])
        data["avg_close_hours"] = self._average(scope, "close_hours",
                                                [("close_date", "!=", False)])
        data["avg_rating"] = self._average(scope, "rating_last_value",
                                           [("rating_last_value", ">", 0)])
        data["by_stage"] = self._counts(opened, "stage_id")
        data["by_agent"] = self._counts(opened, "user_id")
        data.update(self._sla_figures(scope))
        data["rating_trend"] = self._rating_trend(scope)
        data["created_trend"] = [(g["create_date:month"], g["__count"]) for g in self.read_group(
            scope, ["__count"], ["create_date:month"], lazy=False)][-TREND_MONTHS:]
        return data

    def _average(self, scope: list, field: str, extra: list) -> float:
        groups = self.read_group(dom.AND([scope, extra]), [f"{field}:avg"], [])
        return round(groups[0][field] or 0.0, 2) if groups else 0.0

    def _counts(self, scope: list, field: str) -> list[tuple[str, int]]:
        none = _(self.env, "Unassigned") if field == "user_id" else _(self.env, "None")
        return [(g[field][1] if g[field] else none, g[f"{field}_count"])
                for g in self.read_group(scope, [field], [field])]

    def _sla_figures(self, scope: list) -> dict[str, Any]:
        Status = self.env["helpdesk.sla.status"]  # noqa: N806
        decided = [("status", "in", ["reached", "failed"])]
        if scope:
            decided.append(("ticket_id", "any", scope))
        total = Status.read_group(decided, ["success:avg"], [])
        by_team = Status.read_group(decided, ["success:avg"], ["team_id"])
        return {"sla_success_rate": round(total[0]["success"] or 0.0, 1) if total and
                total[0]["__count"] else 0.0,
                "sla_by_team": [(g["team_id"][1] if g["team_id"] else _(self.env, "None"),
                                 round(g["success"] or 0.0, 1)) for g in by_team]}

    def _rating_trend(self, scope: list) -> list[tuple[str, float]]:
        Rating = self.env["rating.rating"]  # noqa: N806
        domain = [("res_model", "=", self._name), ("consumed", "=", True)]
        if scope:
            domain.append(("res_id", "in", self.search(scope).ids))
        groups = Rating.read_group(domain, ["rating:avg"], ["rating_date:month"], lazy=False)
        return [(g["rating_date:month"], round(g["rating"] or 0.0, 2))
                for g in groups if g["rating_date:month"]][-TREND_MONTHS:]
