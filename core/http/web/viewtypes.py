"""Registers the kanban, calendar, graph and pivot views and their endpoints.

    from core.http.web import viewtypes   # noqa: F401 (pages.py does it)
    # VIEW_RENDERERS now has "kanban", "calendar", "graph" and "pivot";
    # /web/json/kanban_move, /web/json/calendar_move and the quick create forms are routed

See docs/webclient.md, section "Kanban, calendar, graph and pivot".
"""

from core.http.web import calendarview, graphview, kanbanview, pivotview, view_api

__all__ = ["calendarview", "graphview", "kanbanview", "pivotview", "view_api"]
