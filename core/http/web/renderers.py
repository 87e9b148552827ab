"""View types as pluggable renderers, and what a renderer gets to work with.

    class KanbanRenderer(ViewRenderer):
        view_type = "kanban"
        def render(self) -> Response:
            view = self.action.view("kanban")
            records = self.action.model.search(self.action.search.domain, limit=...)
            return self.action.page.render("web/kanban.html", **self.action.frame(),
                                           records=records)

    register_view_type(KanbanRenderer)

``/web/action/<id>?view_type=kanban`` then renders with it. A renderer
of a multi-record view gets an ``ActionPage``: the action (``spec``), the
URL state (``state``), the search bar (``search``: domain, group-bys,
facets), the model as the user (``model``), ``view(view_type)``,
``record_url(id)`` and ``frame()`` (the values the control panel of
web/action.html needs: breadcrumbs, search bar, view switcher).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from werkzeug.wrappers import Response

from core.http.web.actions import ActionSpec, ListState
from core.http.web.controller import Page
from core.http.web.i18n import _
from core.http.web.search import SearchModel

#: view type -> renderer class (list and form are built in; others register)
VIEW_RENDERERS: dict[str, type[ViewRenderer]] = {}
#: list selection operations: name -> (label, handler(action_page, records) -> str | None,
#: confirm text or None); "export" is registered by the export feature
SELECTION_ACTIONS: dict[str, tuple[str, Any, str | None]] = {}


class ViewRenderer:
    """Renders one view type of an action page (subclass, then register)."""

    view_type: str = ""
    #: whether the view shows many records (it then gets the search bar and a
    #: place in the view switcher); the form is the one single-record view
    multi_record: bool = True
    #: icon text shown in the view switcher
    icon: str = "▦"

    def __init__(self, action: ActionPage):
        self.action = action

    def render(self) -> Response:
        raise NotImplementedError

    def fragment(self) -> Response | None:
        """A partial update asked for by the page's script (``?fragment=...``)."""
        return None


def register_view_type(renderer: type[ViewRenderer]) -> type[ViewRenderer]:
    """Make ``renderer`` serve its ``view_type`` (also usable as a class decorator)."""
    if not renderer.view_type:
        raise ValueError(f"{renderer.__name__} has no view_type")
    VIEW_RENDERERS[renderer.view_type] = renderer
    return renderer


#: routes of view plug-ins: (path, name, handler, methods, kind); a "page" handler is
#: called as ``handler(page, **url_values)``, a "json" one as ``handler(page, payload,
#: **url_values)`` (JSON body, X-CSRF-Token checked by the controller)
VIEW_ROUTES: list[tuple[str, str, Any, list[str], str]] = []


def register_route(path: str, name: str, handler: Any, methods: tuple[str, ...] = ("POST",),
                   kind: str = "json") -> None:
    """Serve ``path`` with ``handler`` (registered at import, before the client mounts)."""
    if kind not in ("page", "json"):
        raise ValueError(f"route kind {kind!r}: use page or json")
    VIEW_ROUTES.append((path, name, handler, list(methods), kind))


def register_selection_action(name: str, label: str, handler: Any,
                              confirm: str | None = None) -> None:
    """Add a button to the action bar of list selections: ``handler(action_page,
    records)`` returns a URL to go to, or None to come back to the list."""
    SELECTION_ACTIONS[name] = (label, handler, confirm)


class ActionPage:
    """A page of an action (or of a bare model) for one request."""

    def __init__(self, page: Page, spec: ActionSpec, state: ListState):
        self.page = page
        self.env = page.env
        self.spec = spec
        self.state = state
        self._views: dict[str, Any] = {}

    @cached_property
    def model(self) -> Any:
        """The model as the user, with the action's context."""
        return self.env[self.spec.model].with_context({**self.env.context, **self.spec.context})

    @cached_property
    def fields(self) -> dict:
        return self.model.fields_get()

    def view(self, view_type: str) -> Any:
        from core.views import get_view

        if view_type not in self._views:
            view_id = self.spec.view_ids.get(view_type)
            if view_type == "search":
                view_id = self.spec.search_view_id
            self._views[view_type] = get_view(self.model.env, self.spec.model, view_type,
                                              view_id=view_id)
        return self._views[view_type]

    @cached_property
    def search(self) -> SearchModel:
        return SearchModel(self.model.env, self.spec, self.view("search"), self.state,
                           self.fields)

    @property
    def view_types(self) -> list[str]:
        return [t for t in self.spec.multi_views
                if t in VIEW_RENDERERS and VIEW_RENDERERS[t].multi_record]

    def list_url(self, **changes: Any) -> str:
        return self.spec.url(self.search.state.query(**changes))

    def record_url(self, record_id: int | str) -> str:
        return f"{self.spec.base_url}/{record_id}?{self._state_query}"

    @cached_property
    def _state_query(self) -> str:
        return self.search.state.query()

    def breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(self.spec.name, self.list_url())]

    def frame(self) -> dict:
        """Values of the control panel (web/action.html)."""
        search = self.search
        switcher = [(t, VIEW_RENDERERS[t].icon, self.list_url(view_type=t, page=1),
                     t == self.current_view_type) for t in self.view_types]
        return {"spec": self.spec, "state": search.state, "search": search,
                "breadcrumbs": self.breadcrumbs(), "switcher": switcher,
                "can_create": self.can("create") and "form" in self.spec.view_modes,
                "new_url": self.record_url("new"), "action_url": self.spec.base_url,
                "title": self.spec.name}

    @property
    def current_view_type(self) -> str:
        wanted = self.state.view_type
        types = self.view_types
        return wanted if wanted in types else (types[0] if types else "list")

    def can(self, operation: str) -> bool:
        return bool(self.model.check_access_rights(operation, raise_exception=False))

    def renderer(self) -> ViewRenderer:
        return VIEW_RENDERERS[self.current_view_type](self)

    def not_found_message(self) -> str:
        return _("No records yet.")
