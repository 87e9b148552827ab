"""The calendar view: month, week and day grids in the user's timezone, navigation, the
search, colours, rescheduling (CSRF, constraints), quick create, rights."""

from __future__ import annotations

import datetime as dt
import re

from tests.web import twv_support
from tests.web.conftest import text
from tests.web.twv_support import action_url, ids, ref

views_web = twv_support.views_web


def calendar(web, login: str = "demo", name: str = "twv_tasks.twv_task_action", **query):
    return web.client(login).get(action_url(web, name, view_type="calendar", **query))


def cells(html: str) -> dict[str, list[str]]:
    """Month grid: day -> the names of the events in its cell."""
    found = {}
    for day, body in re.findall(r'<td class="o-cal-day[^"]*"\s*data-date="([\d-]+)">(.*?)</td>',
                                html, re.S):
        found[day] = re.findall(r'<span class="o-cal-name">([^<]*)</span>', body)
    return found


def event(html: str, name: str) -> str:
    """The <a> of the first event called ``name``."""
    match = re.search(r'<a class="o-cal-event[^>]*>(?:(?!</a>).)*?<span class="o-cal-name">'
                      + re.escape(name) + "</span></a>", html, re.S)
    assert match, name
    return match.group(0)


def test_month_grid_in_the_users_timezone(views_web):
    response = calendar(views_web, date="2026-11-01")
    assert response.status_code == 200
    html = text(response)
    assert '<h2 class="o-calendar-title">November 2026</h2>' in html
    days = cells(html)
    # weeks start on Sunday in English: 1 November 2026 is a Sunday, 5 weeks shown
    assert list(days)[0] == "2026-11-01" and len(days) == 35
    assert days["2026-11-05"] == ["Write spec"]          # 01:30 UTC = 09:30 in Taipei
    assert days["2026-11-12"] == ["Order parts"]
    assert days["2026-11-10"] == ["Loose end"]           # all day, ends at midnight
    assert days["2026-11-11"] == []
    assert days["2026-11-30"] == [] and days["2026-12-01"] == ["Build prototype"]
    assert '<span class="o-cal-time">09:30</span>' in event(html, "Write spec")
    assert '<span class="o-cal-time">01:00</span>' in event(html, "Build prototype")
    assert "o-cal-allday" in event(html, "Loose end")
    assert "Old report" not in html                      # no start: not on the calendar


def test_the_same_month_in_utc(views_web):
    days = cells(text(calendar(views_web, "manager", date="2026-11-15")))
    assert days["2026-11-30"] == ["Build prototype"] and days["2026-12-01"] == []
    assert days["2026-11-05"] == ["Write spec"]
    assert days["2026-11-10"] == ["Loose end"]           # whole days ignore the timezone


def test_navigation_links(views_web):
    html = text(calendar(views_web, date="2026-11-15"))
    assert re.search(r'href="[^"]*date=2026-10-01&amp;mode=month" rel="prev"', html)
    assert re.search(r'href="[^"]*date=2026-12-01&amp;mode=month" rel="next"', html)
    assert re.search(r'href="[^"]*date=2026-11-15&amp;mode=week"', html)
    html = text(calendar(views_web, date="2026-11-05", mode="week"))
    assert re.search(r'href="[^"]*date=2026-10-29&amp;mode=week" rel="prev"', html)
    assert re.search(r'href="[^"]*date=2026-11-12&amp;mode=week" rel="next"', html)
    # the period is kept by the search bar and the view switcher
    assert '<input type="hidden" name="date" value="2026-11-05">' in html


def test_week_grid_places_events_by_hour(views_web):
    html = text(calendar(views_web, date="2026-11-05", mode="week"))
    assert "o-calendar-week" in html
    heads = re.findall(r'<div class="o-cal-dayhead[^"]*">([^<]*)</div>', html)
    assert heads == ["Sun 1", "Mon 2", "Tue 3", "Wed 4", "Thu 5", "Fri 6", "Sat 7"]
    column = html[html.index('<div class="o-cal-column" data-date="2026-11-05">'):]
    column = column[:column.index('<div class="o-cal-column"', 10)]
    spec = event(column, "Write spec")
    # 09:30 to 11:30: 39.583% from the top, 2 hours = 8.333% of the day
    assert 'style="top: 39.583%; height: 8.333%"' in spec
    assert 'data-date="2026-11-05T09:00"' in column
    week = text(calendar(views_web, date="2026-11-10", mode="week"))
    allday = re.search(r'<div class="o-cal-allday-cell o-cal-drop" data-date="2026-11-10">(.*?)'
                       r'</div>', week, re.S).group(1)
    assert "Loose end" in allday


def test_day_view(views_web):
    html = text(calendar(views_web, date="2026-12-01", mode="day"))
    assert "Tuesday, December 1, 2026" in html
    assert "Build prototype" in html and "Write spec" not in html


def test_the_search_applies(views_web):
    days = cells(text(calendar(views_web, date="2026-11-01", q="name:spec")))
    assert [name for names in days.values() for name in names] == ["Write spec"]


def test_colours_and_legend_by_field_value(views_web):
    html = text(calendar(views_web, date="2026-11-01"))
    demo = re.search(r'o-cal-color-(\d+)', event(html, "Write spec")).group(1)
    assert demo == re.search(r'o-cal-color-(\d+)', event(html, "Loose end")).group(1)
    assert "o-cal-color-0" in event(html, "Order parts")             # nobody
    legend = re.findall(r'<li><span class="o-cal-swatch o-cal-color-(\d+)"></span>([^<]*)</li>',
                        html)
    assert (demo, "Demo") in legend and ("0", "") not in legend


def test_a_date_calendar(views_web):
    html = text(calendar(views_web, name="twv_tasks.twv_task_deadline_action",
                         date="2026-11-20"))
    assert "o-calendar-week" in html                       # the arch's mode
    allday = re.search(r'<div class="o-cal-allday-cell o-cal-drop" data-date="2026-11-20">(.*?)'
                       r'</div>', html, re.S).group(1)
    assert "Write spec" in allday and "o-cal-color-4" in allday   # priority 3: 4th colour


def move(web, task: str, start: str, login: str = "demo", csrf: str | None = None):
    return web.client(login).json("/web/json/calendar_move", {
        "action_id": ref(web, "twv_tasks.twv_task_action"), "model": "twv.task",
        "id": ids(web)[task], "start": start}, csrf=csrf)


def dates(web, task: str) -> tuple:
    with web.env() as env:
        record = env["twv.task"].search([("name", "=", task)])
        return record.start, record.stop


def test_moving_an_event_to_another_day_keeps_its_time(views_web):
    response = move(views_web, "Write spec", "2026-11-06")
    assert response.status_code == 200, text(response)
    assert response.json == {"id": ids(views_web)["Write spec"],
                             "start": "2026-11-06 01:30:00", "stop": "2026-11-06 03:30:00"}
    assert dates(views_web, "Write spec") == (dt.datetime(2026, 11, 6, 1, 30),
                                              dt.datetime(2026, 11, 6, 3, 30))
    assert cells(text(calendar(views_web, date="2026-11-01")))["2026-11-06"] == ["Write spec"]


def test_moving_an_event_to_an_hour_of_the_users_day(views_web):
    response = move(views_web, "Write spec", "2026-11-06T14:00")     # Taipei
    assert response.status_code == 200
    assert dates(views_web, "Write spec") == (dt.datetime(2026, 11, 6, 6, 0),
                                              dt.datetime(2026, 11, 6, 8, 0))


def test_a_constraint_refuses_the_move(views_web):
    before = dates(views_web, "Write spec")
    response = move(views_web, "Write spec", "2026-11-25")           # after its deadline
    assert response.status_code == 422
    assert response.json["error"]["message"] == "A task cannot start after its deadline."
    assert dates(views_web, "Write spec") == before


def test_moving_needs_the_csrf_token_and_the_right(views_web):
    before = dates(views_web, "Order parts")
    assert move(views_web, "Order parts", "2026-11-13", csrf="forged").status_code == 403
    assert move(views_web, "Order parts", "2026-11-13", login="outsider").status_code == 403
    assert move(views_web, "Order parts", "next week").status_code == 400
    assert dates(views_web, "Order parts") == before


def test_quick_create_an_event(views_web):
    client = views_web.client("demo")
    url = f"/web/action/{ref(views_web, 'twv_tasks.twv_task_action')}/calendar_quick_create" \
          "?view_type=calendar&date=2026-11-01"
    assert client.post(url, {"name": "Forged", "start": "2026-11-20T10:00"},
                       csrf=False).status_code == 403
    response = client.post(url, {"name": "Call the client", "start": "2026-11-20T10:00"})
    assert response.status_code == 303
    assert "date=2026-11-01" in response.headers["Location"]
    assert dates(views_web, "Call the client") == (dt.datetime(2026, 11, 20, 2, 0),
                                                   dt.datetime(2026, 11, 20, 3, 0))


def test_no_read_right_no_calendar(views_web):
    assert calendar(views_web, "outsider").status_code == 403
