"""Troika's web client: server-rendered pages for end users, a little script on top.

    app = Application(db)          # creates WebClient(app): the routes below are mounted
    # /web                      home: the apps
    # /web/action/<id>          an action's list (or another registered view type)
    # /web/action/<id>/<rec>    a record in the action's form; /new for a new one
    # /web/model/<model>[/...]  the same without an action
    # /web/json/...             name_search, onchange, save_row (X-CSRF-Token)

Modules: ``controller`` (routes, the user's environment, CSRF, errors),
``pages`` and ``json_api`` (the handlers), ``shell`` (menus), ``actions``
(window actions, URL state), ``search`` (search bar, facets, favourites'
domains), ``renderers`` (view types as plug-ins: ``register_view_type``,
``register_selection_action``), ``listview`` and ``formview`` (the two
built-in renderers), ``records``, ``inputs`` and ``x2many`` (saving a
form), ``formats`` (values as a person reads them), ``conditions``,
``favorites``, ``i18n``. See docs/webclient.md.
"""

from core.http.web.controller import WebClient
from core.http.web.renderers import (
    SELECTION_ACTIONS,
    VIEW_RENDERERS,
    ActionPage,
    ViewRenderer,
    register_selection_action,
    register_view_type,
)

__all__ = ["SELECTION_ACTIONS", "VIEW_RENDERERS", "ActionPage", "ViewRenderer", "WebClient",
           "register_selection_action", "register_view_type"]
