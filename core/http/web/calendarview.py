"""The calendar view: a month, week or day of events, drawn on the server.

    renderer = CalendarRenderer(action_page)   # registered for view_type "calendar"
    renderer.render()                          # web/calendar.html
    # ?view_type=calendar&date=2026-11-01&mode=month|week|day : the period shown
    renderer.reschedule(record, date(2026, 11, 5))   # what POST /web/json/calendar_move does

The arch names the fields: ``date_start`` (date or datetime), ``date_stop``
or ``date_delay`` (hours), ``all_day`` (a boolean), ``color`` (one of
``COLORS`` colours per value), ``mode`` (the first period shown). Datetimes
are stored in UTC and shown in the user's timezone: the period's bounds
are converted to UTC for the search, and each event is placed by its
local start. The search bar's domain applies. Weeks start on the user's
language's first day (CLDR). One search and one read per page.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date, format_skeleton
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.http.web.actions import ListState, load_action, model_action, register_view_params
from core.http.web.formats import FormatContext, display, to_local, to_utc
from core.http.web.i18n import _
from core.http.web.renderers import ActionPage, ViewRenderer, register_route, register_view_type
from core.i18n.format import babel_locale
from core.orm import domain as dom

MODES = ("month", "week", "day")
COLORS = 12
DEFAULT_HOURS = 1.0

register_view_params("date", "mode")


@dataclass
class Event:
    id: int
    title: str
    url: str
    start: dt.datetime            # local (naive)
    end: dt.datetime              # local (naive), exclusive
    all_day: bool
    color: int
    color_label: str = ""
    time: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return max((self.end - dt.timedelta(seconds=1)).date(), self.start.date())


class CalendarRenderer(ViewRenderer):
    view_type = "calendar"
    icon = "▦"
    template = "web/calendar.html"

    def __init__(self, action: Any):
        super().__init__(action)
        self.view = action.view("calendar")
        self.arch = self.view.arch
        self.fields = action.fields
        self.fmt = FormatContext.of(action.env)
        self.date_start = self.arch.get("date_start")
        if self.date_start not in self.fields:
            raise Forbidden(_("This calendar's start field cannot be read."))
        self.date_stop = self._field("date_stop")
        self.date_delay = self._field("date_delay")
        self.all_day = self._field("all_day")
        self.color = self._field("color")

    def _field(self, attribute: str) -> str | None:
        name = self.arch.get(attribute)
        return name if name in self.fields else None

    @property
    def timed(self) -> bool:
        return self.fields[self.date_start]["type"] == "datetime"

    # -- the period ------------------------------------------------------------------------
    def today(self) -> dt.date:
        return dt.datetime.now(self.fmt.zone()).date()

    def period(self) -> tuple[str, dt.date, list[dt.date]]:
        """(mode, anchor, the days shown) of the URL's ``date`` and ``mode``."""
        params = dict(self.action.search.state.params)
        mode = params.get("mode") or self.arch.get("mode") or "month"
        mode = mode if mode in MODES else "month"
        try:
            anchor = dt.date.fromisoformat(params["date"]) if params.get("date") \
                else self.today()
        except ValueError:
            anchor = self.today()
        if mode == "day":
            return mode, anchor, [anchor]
        first_weekday = babel_locale(self.fmt.lang).first_week_day
        if mode == "week":
            start = anchor - dt.timedelta(days=(anchor.weekday() - first_weekday) % 7)
            return mode, anchor, [start + dt.timedelta(days=i) for i in range(7)]
        first = anchor.replace(day=1)
        start = first - dt.timedelta(days=(first.weekday() - first_weekday) % 7)
        following = _add_months(first, 1)
        weeks = -(-(following - start).days // 7)
        return mode, anchor, [start + dt.timedelta(days=i) for i in range(weeks * 7)]

    def bounds(self, days: list[dt.date]) -> tuple[Any, Any]:
        """The period as stored values: UTC datetimes, or dates."""
        begin = days[0]
        end = days[-1] + dt.timedelta(days=1)
        if not self.timed:
            return begin, end
        return (to_utc(dt.datetime.combine(begin, dt.time()), self.fmt),
                to_utc(dt.datetime.combine(end, dt.time()), self.fmt))

    def period_domain(self, days: list[dt.date]) -> list:
        begin, end = self.bounds(days)
        start = self.date_start
        if self.date_stop:
            return ["&", (start, "<", end), "|", (self.date_stop, ">=", begin),
                    "&", (self.date_stop, "=", False), (start, ">=", begin)]
        earliest = begin
        if self.date_delay and self.timed:      # events that began the day before
            earliest = begin - dt.timedelta(days=1)
        return [(start, "<", end), (start, ">=", earliest)]

    # -- events ------------------------------------------------------------------------------
    def _shown_fields(self) -> list[str]:
        return [node.get("name") for node in self.arch.iterchildren("field")
                if node.get("name") in self.fields
                and node.get("invisible") not in ("1", "True")]

    def events(self, days: list[dt.date]) -> list[Event]:
        domain = dom.AND([self.action.search.domain, self.period_domain(days)])
        records = self.action.model.search(domain, order=f"{self.date_start}, id")
        shown = self._shown_fields()
        names = {"display_name", self.date_start, *shown}
        names |= {n for n in (self.date_stop, self.date_delay, self.all_day, self.color) if n}
        for name in list(names):
            if self.fields[name]["type"] == "monetary":
                names.add(self.fields[name].get("currency_field") or "currency_id")
        names = {n for n in names if n in self.fields}
        rows = records.read(sorted(names)) if records else []
        events = [self._event(row, shown) for row in rows if row.get(self.date_start)]
        return [e for e in events if e.last_day >= days[0] and e.first_day <= days[-1]]

    def _event(self, row: dict, shown: list[str]) -> Event:
        start_value = row[self.date_start]
        stop_value = row.get(self.date_stop) if self.date_stop else None
        all_day = self._is_all_day(row)
        if all_day:
            start, end = self._day_span(start_value, stop_value)
        else:
            start = self._local(start_value)
            if stop_value:
                end = self._local(stop_value)
            elif self.date_delay and row.get(self.date_delay):
                end = start + dt.timedelta(hours=float(row[self.date_delay]))
            else:
                end = start + dt.timedelta(hours=DEFAULT_HOURS)
        end = max(end, start + dt.timedelta(minutes=1))
        details = []
        for name in shown:
            text = display(self.fields[name], row.get(name), self.fmt, row)
            if text and name not in ("display_name", self.action.model._rec_name):
                details.append(f"{self.fields[name]['string']}: {text}")
        color, label = self._color(row)
        return Event(id=row["id"], title=row.get("display_name") or "", start=start, end=end,
                     all_day=all_day, color=color, color_label=label,
                     time="" if all_day else start.strftime("%H:%M"),
                     url=self.action.record_url(row["id"]), details=details)

    def _is_all_day(self, row: dict) -> bool:
        return not self.timed or bool(self.all_day and row.get(self.all_day))

    @staticmethod
    def _day_span(start: Any, stop: Any) -> tuple[dt.datetime, dt.datetime]:
        """Whole days, without timezone (as stored): a stop at midnight ends before its
        day, any other stop (or a date) includes its day."""
        first = dt.datetime.combine(_day(start), dt.time())
        if not stop:
            return first, first + dt.timedelta(days=1)
        last = _day(stop)
        if isinstance(stop, dt.datetime) and stop.time() == dt.time() and last > first.date():
            return first, dt.datetime.combine(last, dt.time())
        return first, dt.datetime.combine(last, dt.time()) + dt.timedelta(days=1)

    def _local(self, value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return to_local(value, self.fmt)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time())
        text = str(value)
        return to_local(dt.datetime.fromisoformat(text), self.fmt) if len(text) > 10 \
            else dt.datetime.combine(dt.date.fromisoformat(text), dt.time())

    def _color(self, row: dict) -> tuple[int, str]:
        """(colour index, the value's label) of an event."""
        if not self.color:
            return 0, ""
        value = row.get(self.color)
        desc = self.fields[self.color]
        label = display(desc, value, self.fmt, row)
        if value in (False, None):
            return 0, label
        if isinstance(value, tuple):
            return value[0] % COLORS, label
        if desc["type"] == "selection":
            keys = [key for key, _label in desc.get("selection") or []]
            return ((keys.index(value) + 1) % COLORS if value in keys else 0), label
        return zlib.crc32(str(value).encode()) % COLORS, label

    @staticmethod
    def legend(events: list[Event]) -> list[tuple[str, int]]:
        seen: dict[str, int] = {}
        for event in events:
            if event.color_label:
                seen.setdefault(event.color_label, event.color)
        return sorted(seen.items())

    # -- rescheduling -------------------------------------------------------------------------
    def editable(self) -> bool:
        return self.action.can("write") and not self.fields[self.date_start].get("readonly")

    def reschedule(self, record: Any, target: dt.date | dt.datetime) -> dict:
        """Move ``record`` to ``target`` (a day keeps the time of day; a datetime is the
        new local start); the stop moves by as much. Constraints may refuse it."""
        names = [n for n in (self.date_start, self.date_stop) if n]
        current = record.read(names)[0]
        start = current[self.date_start]
        if not start:
            raise BadRequest(_("This event has no start."))
        values: dict[str, Any] = {}
        if self.timed and self.all_day and record.read([self.all_day])[0][self.all_day]:
            new_day = target.date() if isinstance(target, dt.datetime) else target
            values[self.date_start] = dt.datetime.combine(new_day, start.time())
        elif self.timed:
            local = self._local(start)
            new_local = target if isinstance(target, dt.datetime) else \
                dt.datetime.combine(target, local.time())
            values[self.date_start] = to_utc(new_local, self.fmt)
        else:
            new_day = target.date() if isinstance(target, dt.datetime) else target
            values[self.date_start] = new_day
        delta = values[self.date_start] - start
        stop = current.get(self.date_stop) if self.date_stop else None
        if stop:
            values[self.date_stop] = stop + delta
        record.write(values)
        return values

    # -- the page ---------------------------------------------------------------------------------
    def _nav(self, mode: str, anchor: dt.date) -> dict:
        if mode == "month":
            previous, following = _add_months(anchor, -1), _add_months(anchor, 1)
        else:
            step = dt.timedelta(days=7 if mode == "week" else 1)
            previous, following = anchor - step, anchor + step
        return {"prev": self.url(previous, mode), "next": self.url(following, mode),
                "today": self.url(self.today(), mode),
                "modes": [(m, self.url(anchor, m), m == mode) for m in MODES]}

    def url(self, anchor: dt.date, mode: str) -> str:
        params = tuple(p for p in self.action.search.state.params
                       if p[0] not in ("date", "mode"))
        return self.action.list_url(params=(*params, ("date", anchor.isoformat()),
                                            ("mode", mode)))

    def title(self, mode: str, anchor: dt.date, days: list[dt.date]) -> str:
        locale = babel_locale(self.fmt.lang)
        if mode == "month":
            return format_skeleton("yMMMM", anchor, locale=locale)
        if mode == "day":
            return format_date(anchor, "full", locale=locale)
        return (f"{format_skeleton('yMMMd', days[0], locale=locale)} – "
                f"{format_skeleton('yMMMd', days[-1], locale=locale)}")

    def values(self) -> dict:
        mode, anchor, days = self.period()
        events = self.events(days)
        locale = babel_locale(self.fmt.lang)
        by_day: dict[dt.date, list[Event]] = {day: [] for day in days}
        for event in events:
            day = max(event.first_day, days[0])
            while day <= min(event.last_day, days[-1]):
                if mode == "month" or event.all_day or event.first_day != event.last_day:
                    by_day[day].append(event)
                day += dt.timedelta(days=1)
        timed = {day: [_slot(e, day) for e in events if not e.all_day
                       and e.first_day == e.last_day == day] for day in days}
        return {
            "mode": mode, "anchor": anchor, "days": days, "today": self.today(),
            "period_title": self.title(mode, anchor, days), "nav": self._nav(mode, anchor),
            "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
            "day_names": [format_date(d, "EEE", locale=locale) for d in days[:7]],
            "day_labels": {d: format_date(d, "EEE d", locale=locale) for d in days},
            "by_day": by_day, "timed": timed, "hours": list(range(24)),
            "editable": self.editable(), "timed_field": self.timed,
            "model_name": self.action.spec.model, "view_id": self.view.id,
            "legend": self.legend(events),
            "quick_create": self.quick_create()}

    def quick_create(self) -> bool:
        name = self.action.model._rec_name or "name"
        return (self.arch.get("quick_create") not in ("0", "false", "False")
                and self.arch.get("create") not in ("0", "false", "False")
                and self.action.can("create") and name in self.fields
                and self.fields[name]["type"] == "char")

    def render(self) -> Response:
        return self.action.page.render(self.template, **self.action.frame(), **self.values())


def _slot(event: Event, day: dt.date) -> dict:
    """Where a timed event sits in its day column: top and height in % of the day."""
    minutes = event.start.hour * 60 + event.start.minute
    length = max((event.end - event.start).total_seconds() / 60, 30)
    length = min(length, 24 * 60 - minutes)
    return {"event": event, "top": round(100 * minutes / 1440, 3),
            "height": round(100 * length / 1440, 3)}


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return dt.date(year, month % 12 + 1, 1)


def calendar_quick_create(page: Any, action_id: int | None = None,
                          model: str | None = None) -> Response:
    """A new event from the calendar's quick create form (name and start)."""
    spec = load_action(page.env, action_id) if action_id else model_action(page.env, model)
    action = ActionPage(page, spec, ListState.from_args(page.request.args))
    renderer = CalendarRenderer(action)
    if not renderer.quick_create():
        raise Forbidden(_("Records cannot be quickly created here."))
    form = page.request.form
    name = (form.get("name") or "").strip()
    try:
        start = dt.datetime.fromisoformat(form.get("start") or "")
    except ValueError:
        raise BadRequest(_("start must be a date (YYYY-MM-DD) or a date and time.")) from None
    if not name:
        raise BadRequest(_("Give it a name."))
    values: dict[str, Any] = {action.model._rec_name or "name": name}
    if renderer.timed:
        values[renderer.date_start] = to_utc(start, renderer.fmt)
        if renderer.date_stop:
            values[renderer.date_stop] = values[renderer.date_start] + dt.timedelta(
                hours=DEFAULT_HOURS)
    else:
        values[renderer.date_start] = start.date()
    action.model.create(values)
    return redirect(action.list_url(view_type="calendar"), 303)


register_view_type(CalendarRenderer)
for _scope in ("/web/action/<int:action_id>", "/web/model/<string:model>"):
    register_route(f"{_scope}/calendar_quick_create", "calendar_quick_create",
                   calendar_quick_create, kind="page")
