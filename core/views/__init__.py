"""The view layer: XML architectures of forms, lists, kanban boards, search
panels, calendars, graphs and pivot tables, combined with the views that
inherit from them, filtered for a user, validated when a module installs.

    from core.views import get_view, View, ViewError, default_arch
    view = get_view(env, "res.partner", "form")          # as env's user sees it
    view.arch            # lxml Element (a fresh copy)
    view.fields          # {name: fields_get() description}
    view.subviews        # {"child_ids": {"list": View, "form": View}}

    env["res.partner"].get_views([[False, "list"], [False, "form"]])  # Odoo's RPC shape

Modules: ``arch`` (parsing, types), ``inheritance`` (xpath and shorthand
specs), ``combine`` (inheritance order), ``store`` (the views of a
database and the cache), ``postprocess`` (groups and field access),
``conditions`` (``invisible``/``readonly``/``required`` without eval),
``defaults`` (generated views), ``validation`` (checks at install),
``view`` (``get_view``). The grammar is in docs/views.md.
"""

from core.i18n.arch import translate_arch
from core.views.arch import ViewError
from core.views.conditions import Condition, ConditionError, parse_condition
from core.views.defaults import default_arch
from core.views.store import invalidate
from core.views.view import ARCH_POSTPROCESSORS, View, get_view

ARCH_POSTPROCESSORS.append(translate_arch)      # labels and texts in the user's language

__all__ = ["ARCH_POSTPROCESSORS", "Condition", "ConditionError", "View", "ViewError",
           "default_arch", "get_view", "invalidate", "parse_condition"]
