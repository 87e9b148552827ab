"""The figures of the owner's dashboard, from ``crm.pipeline.report``.

    data = env["crm.pipeline.report"].dashboard([("team_id", "=", europe.id)])
    data["month"]          # {"label", "forecast", "expected", "won", "won_count", ...}
    data["months"]         # six months back (won) and six ahead (weighted forecast)
    data["top_customers"], data["markets"], data["win_rates"], data["movement"]
    data["followups"]      # overdue activities on deals, the most late first

``domain`` narrows the deals (the dashboard's search bar): a salesperson's
or a team's page. Everything is read as the user, so record rules apply;
the number of queries does not depend on the number of deals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_skeleton

from addons.crm.models.crm_pipeline_report import OPEN
from core.i18n.format import babel_locale

TOP_CUSTOMERS = 10
FOLLOWUPS = 10


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def dashboard_data(report: Any, domain: list, today: dt.date) -> dict:
    env = report.env
    month_start = add_months(today, 0)
    next_month = add_months(today, 1)
    year_ago = add_months(today, -11)
    ahead = report.forecast("date_deadline:month", domain)     # every open deal
    months = _months(report, domain, month_start, ahead)
    # the year's closed deals, one query: win rates, markets and customers
    year = report.win_rates(["user_id", "market_id", "commercial_partner_id"], year_ago,
                            next_month, domain)
    return {
        "today": today, "currency": env.company.currency_id,
        "month": _month(report, months, month_start),
        "months": months,
        "pipeline": _pipeline(report, ahead),
        "top_customers": _won_revenue(year["commercial_partner_id"])[:TOP_CUSTOMERS],
        "markets": _won_revenue(year["market_id"]),
        "win_rates": {"user": year["user_id"], "market": year["market_id"]},
        "movement": report.pipeline_movement(month_start, next_month,
                                             domain=_history_domain(domain)),
        "followups": _followups(env, domain, today),
        "rotting_count": env["crm.lead"].search_count(domain + OPEN +
                                                      [("is_rotting", "=", True)]),
        "no_activity_count": env["crm.lead"].search_count(domain + OPEN +
                                                          [("activity_ids", "=", False)]),
        "period": {"year_from": year_ago, "month_from": month_start, "month_to": next_month},
    }


def _month(report: Any, months: list[dict], start: dt.date) -> dict:
    """This month's figures, taken from the months' axis (no query of its own)."""
    row = next(row for row in months if row["start"] == start)
    return {"label": row["label"], "forecast": row["forecast"], "expected": row["expected"],
            "open_count": row["open_count"], "won": row["won"], "won_count": row["won_count"]}


def _months(report: Any, domain: list, month_start: dt.date, ahead: list[dict]
            ) -> list[dict]:
    """Won revenue of the last six months (this one included) and the weighted
    forecast of this month and the next five (``ahead``: the open deals by
    expected closing month), on one axis of months."""
    first = add_months(month_start, -5)
    won = report.won("date_closed:month", first, add_months(month_start, 1), domain)
    by_start: dict[str, dict] = {}
    for row in won:
        by_start.setdefault(row["start"], {}).update(won=row["revenue"], won_count=row["count"])
    for row in ahead:            # late deals and those without a date are not ahead
        if row["start"] and row["start"] >= month_start.isoformat():
            by_start.setdefault(row["start"], {}).update(
                forecast=row["weighted"], expected=row["expected"], open_count=row["count"])
    months = []
    for offset in range(-5, 6):
        start = add_months(month_start, offset)
        values = by_start.get(start.isoformat(), {})
        months.append({"start": start, "label": _month_label(report.env, start),
                       "won": values.get("won", 0.0), "won_count": values.get("won_count", 0),
                       "forecast": values.get("forecast", 0.0),
                       "expected": values.get("expected", 0.0),
                       "open_count": values.get("open_count", 0)})
    return months


def _pipeline(report: Any, ahead: list[dict]) -> dict:
    """Every open deal: the forecast's months added up."""
    currency = report.env.company.currency_id
    return {"count": sum(row["count"] for row in ahead),
            "expected": currency.round(sum(row["expected"] for row in ahead)),
            "weighted": currency.round(sum(row["weighted"] for row in ahead))}


def _won_revenue(rows: list[dict]) -> list[dict]:
    """Win-rate rows as won revenue ("revenue", "count"), the largest first."""
    won = [{"key": row["key"], "label": row["label"], "count": row["won"],
            "revenue": row["won_revenue"]} for row in rows if row["key"] and row["won"]]
    return sorted(won, key=lambda row: -row["revenue"])


def _history_domain(domain: list) -> list:
    """The movement rows of the deals ``domain`` selects."""
    return [("lead_id", "any", domain)] if domain else []


def _followups(env: Any, domain: list, today: dt.date) -> dict:
    """Overdue activities on the deals of ``domain`` (the most late first)."""
    Activity = env["mail.activity"]  # noqa: N806
    scope = [("res_model", "=", "crm.lead"), ("date_deadline", "<", today)]
    if domain:
        late = env["crm.lead"].search(domain + [("activity_state", "=", "overdue")])
        scope.append(("res_id", "in", late.ids))
    activities = Activity.search(scope, order="date_deadline asc, id asc", limit=FOLLOWUPS)
    names = dict(env["crm.lead"].browse(activities.mapped("res_id")).exists()
                 .mapped(lambda lead: (lead.id, lead.name))) if activities else {}
    return {"count": Activity.search_count(scope),
            "activities": [{"id": a.id, "lead_id": a.res_id, "lead": names.get(a.res_id, ""),
                            "summary": a.summary or a.activity_type_id.name or "",
                            "user": a.user_id.name or "", "deadline": a.date_deadline,
                            "late": (today - a.date_deadline).days} for a in activities]}


def _month_label(env: Any, day: dt.date) -> str:
    return format_skeleton("yMMM", day, locale=babel_locale(env.lang))
