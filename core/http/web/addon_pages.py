"""Pages that addons bring to the web client: their controllers and templates.

An addon adds pages, JSON endpoints or view types without a kernel change:

    addons/crm/controllers/__init__.py   imported when the web client starts; it
                                         registers routes (``register_route``) and
                                         view types (``register_view_type``)
    addons/crm/templates/dashboard.html  rendered as ``page.render("crm/dashboard.html")``

    # addons/crm/controllers/__init__.py
    from core.http.web.addon_pages import addon_route
    from core.http.web.renderers import register_route

    @addon_route("crm")
    def forecast(page):                   # 404 where crm is not installed
        return page.render("crm/forecast.html", rows=...)

    register_route("/crm/forecast", "crm_forecast", forecast, ("GET",), "page")

The controllers of every addon of the addons path are imported, installed or
not: the routes are mounted once per process and a database may install the
addon later (from the Apps page). ``addon_route(module)`` answers 404 on a
database where ``module`` is not installed; a view type needs no such guard,
as only the addon's own actions name it. An addon template's texts
(``{{ _("...") }}``) are extracted into the addon's catalog by
``python server.py i18n extract <addon>``.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from werkzeug.exceptions import NotFound

_logger = logging.getLogger("troika.http")
#: addons whose controllers were imported in this process: name -> folder
_IMPORTED: dict[str, Path] = {}


def load_addon_pages(app: Any) -> list[str]:
    """Import the controllers of the addons of ``app.db``'s addons path and let
    ``app.templates`` find their templates; returns the addons that have some."""
    manifests = getattr(app.db, "addons", None) or {}
    folders: dict[str, jinja2.BaseLoader] = {}
    found = []
    for name, manifest in sorted(manifests.items()):
        path = Path(manifest.path)
        if (path / "templates").is_dir():
            folders[name] = jinja2.FileSystemLoader(str(path / "templates"))
        if (path / "controllers" / "__init__.py").is_file() or \
                (path / "controllers.py").is_file():
            _import_controllers(name, path)
            found.append(name)
    if folders:
        app.templates.loader = jinja2.ChoiceLoader(
            [app.templates.loader, jinja2.PrefixLoader(folders)])
    return found


def _import_controllers(name: str, path: Path) -> None:
    from core.modules.manager import import_addon

    if _IMPORTED.get(name) == path:
        return
    import_addon(name, path)
    importlib.import_module(f"addons.{name}.controllers")
    _IMPORTED[name] = path


def installed(env: Any, module: str) -> bool:
    """Whether ``module`` is installed in the database of ``env``."""
    return module in (getattr(env.registry, "installed_modules", None) or ())


def addon_route(module: str) -> Callable[[Callable], Callable]:
    """Make a page or JSON handler answer 404 where ``module`` is not installed."""
    def decorate(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def guarded(page: Any, *args: Any, **kwargs: Any) -> Any:
            if not installed(page.env, module):
                raise NotFound()
            return handler(page, *args, **kwargs)
        return guarded
    return decorate
