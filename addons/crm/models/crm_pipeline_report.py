"""Forecasts and sales reports, read as the user with ``read_group`` only.

    Report = env["crm.pipeline.report"]
    Report.forecast("date_deadline:month")    # open deals: expected and weighted revenue
    Report.forecast("user_id", [("team_id", "=", europe.id)])
    Report.won("market_id", date_from, date_to)
    Report.win_rate("user_id", date_from, date_to)   # won / (won + lost), average cycle
    Report.win_rates(["user_id", "market_id"], date_from, date_to)   # both, one query
    Report.pipeline_movement(date_from, date_to)     # entered, moved, won, lost, restored
    Report.dashboard()                               # everything the owner's page shows

Each row is ``{"key", "label", "count", ...amounts}``; group-bys are a
``crm.lead`` field (``user_id``, ``team_id``, ``country_id``, ``market_id``,
``product_categ_id``, ``stage_id``...) or a date with an interval
(``date_deadline:month``). Every figure is in the current company's
currency: stored amounts are in each deal's company currency (converted
when the deal was saved, at the closing date's rate for closed deals), and
the groups of other companies are converted at today's rate. A report is
one or two ``read_group`` queries whatever the number of deals (tested:
the query count does not grow with the deals), so it stays fast at
100,000 deals (bench/crm.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from core import api, models
from core.i18n import _

OPEN = [("type", "=", "opportunity"), ("won_status", "=", "pending")]


class CrmPipelineReport(models.AbstractModel):
    _name = "crm.pipeline.report"
    _description = "Pipeline Reports"

    # ------------------------------------------------------------------
    # building blocks
    # ------------------------------------------------------------------
    def _lead_groups(self, domain: list, measures: list[str], groupby: str,
                     active_test: bool = True) -> list[dict]:
        """read_group by (groupby, company): rows merged per group with the
        measures converted into the current company's currency."""
        Lead = self.env["crm.lead"].with_context(active_test=active_test)  # noqa: N806
        groups = Lead.read_group(domain, [f"{m}:sum" for m in measures],
                                 [groupby, "company_id"], lazy=False)
        return self._merge_companies(groups, measures, groupby)

    def _merge_companies(self, groups: list[dict], measures: list[str],
                         groupby: str) -> list[dict]:
        rows: dict[Any, dict] = {}
        for group in groups:
            value = group[groupby]
            key = value[0] if isinstance(value, (list, tuple)) else value
            row = rows.setdefault(key, {"key": key, "label": self._label(value),
                                        "count": 0, "sort": self._sort_key(group, groupby),
                                        "start": _range_start(group, groupby),
                                        **{m: 0.0 for m in measures}})
            row["count"] += group["__count"]
            rate = self._company_rate(group.get("company_id"))
            for measure in measures:
                row[measure] += (group[measure] or 0.0) * rate
        currency = self.env.company.currency_id
        result = sorted(rows.values(), key=lambda row: row.pop("sort"))
        for row in result:
            for measure in measures:
                row[measure] = currency.round(row[measure])
        return result

    def _company_rate(self, company: Any) -> float:
        """The rate from a group's company currency to the current company's."""
        target = self.env.company
        cache = self.env.transaction.memo.setdefault("crm.report.rates", {})
        company_id = company[0] if company else target.id
        if company_id not in cache:
            source = self.env["res.company"].browse(company_id)
            cache[company_id] = 1.0 if source.currency_id == target.currency_id else \
                self.env["res.currency"]._get_conversion_rate(
                    source.currency_id, target.currency_id, target)
        return cache[company_id]

    def _label(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return str(value[1])
        if value in (False, None):
            return _(self.env, "None")
        return str(value)

    @staticmethod
    def _sort_key(group: dict, groupby: str) -> tuple:
        """Dates in time order; others by their label (unset last)."""
        ranges = group.get("__range") or {}
        if ranges.get(groupby):
            return (0, str(ranges[groupby]["from"]))
        value = group[groupby]
        if value in (False, None):
            return (2, "")
        return (1, str(value[1] if isinstance(value, (list, tuple)) else value).lower())

    # ------------------------------------------------------------------
    # reports
    # ------------------------------------------------------------------
    @api.model
    def forecast(self, groupby: str = "date_deadline:month",
                 domain: list | None = None) -> list[dict]:
        """Open deals by ``groupby``: count, ``expected`` and ``weighted`` revenue."""
        rows = self._lead_groups(list(domain or []) + OPEN,
                                 ["company_expected_revenue", "prorated_revenue"], groupby)
        return [_rename(row, company_expected_revenue="expected",
                        prorated_revenue="weighted") for row in rows]

    @api.model
    def won(self, groupby: str = "date_closed:month", date_from: Any = None,
            date_to: Any = None, domain: list | None = None) -> list[dict]:
        """Deals won between ``date_from`` (included) and ``date_to`` (excluded)
        by ``groupby``: count and ``revenue``."""
        rows = self._lead_groups(list(domain or []) + [("won_status", "=", "won")]
                                 + _period("date_closed", date_from, date_to),
                                 ["company_expected_revenue"], groupby)
        return [_rename(row, company_expected_revenue="revenue") for row in rows]

    @api.model
    def win_rate(self, groupby: str = "user_id", date_from: Any = None, date_to: Any = None,
                 domain: list | None = None) -> list[dict]:
        """Deals closed in the period by ``groupby``: ``won``, ``lost``, ``rate``
        (won / closed, in %), ``won_revenue`` and ``cycle`` (average days from
        conversion, else creation, to winning)."""
        return self.win_rates([groupby], date_from, date_to, domain)[groupby]

    @api.model
    def win_rates(self, groupbys: list[str], date_from: Any = None, date_to: Any = None,
                  domain: list | None = None) -> dict[str, list[dict]]:
        """``win_rate`` by each of ``groupbys`` from one ``read_group``:
        {groupby: rows} (the dashboard's win rates, markets and customers)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)  # noqa: N806
        closed = list(domain or []) + [("type", "=", "opportunity"),
                                       ("won_status", "in", ["won", "lost"])] \
            + _period("date_closed", date_from, date_to)
        groups = Lead.read_group(closed, ["company_expected_revenue:sum", "day_close:avg"],
                                 [*dict.fromkeys(groupbys), "won_status", "company_id"],
                                 lazy=False)
        return {groupby: self._win_rate_rows(groups, groupby) for groupby in groupbys}

    def _win_rate_rows(self, groups: list[dict], groupby: str) -> list[dict]:
        rows: dict[Any, dict] = {}
        cycles: dict[Any, list[tuple[float, int]]] = defaultdict(list)
        for group in groups:
            value = group[groupby]
            key = value[0] if isinstance(value, (list, tuple)) else value
            row = rows.setdefault(key, {"key": key, "label": self._label(value), "won": 0,
                                        "lost": 0, "won_revenue": 0.0,
                                        "sort": self._sort_key(group, groupby)})
            row[group["won_status"]] += group["__count"]
            if group["won_status"] == "won":
                row["won_revenue"] += (group["company_expected_revenue"] or 0.0) * \
                    self._company_rate(group.get("company_id"))
                cycles[key].append((group["day_close"] or 0.0, group["__count"]))
        currency = self.env.company.currency_id
        result = sorted(rows.values(), key=lambda row: row.pop("sort"))
        for row in result:
            closed_count = row["won"] + row["lost"]
            row["count"] = closed_count
            row["rate"] = round(100.0 * row["won"] / closed_count, 1) if closed_count else 0.0
            weights = cycles.get(row["key"], [])
            total = sum(count for _avg, count in weights)
            row["cycle"] = round(sum(avg * count for avg, count in weights) / total, 1) \
                if total else 0.0
            row["won_revenue"] = currency.round(row["won_revenue"])
        return result

    @api.model
    def pipeline_movement(self, date_from: Any = None, date_to: Any = None,
                          groupby: str = "kind", domain: list | None = None) -> list[dict]:
        """What entered, moved, was won, lost or restored in the period, by
        ``groupby`` (a field of ``crm.lead.stage.history``): count and ``amount``."""
        History = self.env["crm.lead.stage.history"]  # noqa: N806
        scope = list(domain or []) + _period("date", date_from, date_to)
        groups = History.read_group(scope, ["amount:sum"], [groupby, "company_id"],
                                    lazy=False)
        labels = dict(History._fields["kind"].get_values(self.env)) if groupby == "kind" \
            else {}
        rows = self._merge_companies(groups, ["amount"], groupby)
        for row in rows:
            row["label"] = labels.get(row["key"], row["label"])
        return rows

    @api.model
    def dashboard(self, domain: list | None = None, today: dt.date | None = None) -> dict:
        """The owner's page: this month's forecast against what was won, the
        last and next months, top customers, markets, win rates, the month's
        movement and what needs a follow-up."""
        from addons.crm.tools.dashboard import dashboard_data

        return dashboard_data(self, list(domain or []), today or _today(self.env))


def _range_start(group: dict, groupby: str) -> str | None:
    """The first day of a date group (ISO), None for other group-bys."""
    ranges = group.get("__range") or {}
    return str(ranges[groupby]["from"])[:10] if ranges.get(groupby) else None


def _rename(row: dict, **names: str) -> dict:
    return {names.get(key, key): value for key, value in row.items()}


def _period(field: str, date_from: Any, date_to: Any) -> list:
    terms = []
    if date_from:
        terms.append((field, ">=", _as_datetime(date_from)))
    if date_to:
        terms.append((field, "<", _as_datetime(date_to)))
    return terms


def _as_datetime(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time.min)
    return value


def _today(env: Any) -> dt.date:
    from addons.mail.models.mail_activity import user_today

    return user_today(env.user)
