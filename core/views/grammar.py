"""The elements and attributes each view type accepts (checked at install).

    allowed_attributes("list", "field")     # frozenset of attribute names
    is_allowed_attribute("list", "field", "decoration-danger")   # True

Every view type has a table ``{tag: attributes}``; elements of any type
also take ``groups``, ``invisible`` and ``class``; ``aria-*`` attributes
are always allowed, and so are ``decoration-*`` on list roots and list
fields. Form views and kanban cards may hold a small set of HTML elements
(``HTML_TAGS``). Inline views inside an x2many ``<field>`` follow the table
of their own type. ``ENUMS`` lists the values a few attributes take and
``BOOLEANS`` the attributes that are flags (``0``/``1``/``true``/``false``).
"""

from __future__ import annotations

COMMON = frozenset({"groups", "invisible", "class"})
HTML_TAGS = frozenset({
    "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u",
    "small", "br", "hr", "img", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td",
    "th", "section", "code", "pre", "blockquote"})
HTML_ATTRIBUTES = frozenset({"style", "title", "role", "id", "name", "alt", "src", "href",
                             "target", "width", "height", "colspan", "rowspan"})

_BUTTON = frozenset({"name", "type", "string", "icon", "confirm", "context", "help", "special",
                     "title", "data-hotkey", "disabled", "default_focus", "column_invisible"})
_FORM_FIELD = frozenset({
    "name", "string", "widget", "options", "readonly", "required", "nolabel", "placeholder",
    "help", "context", "domain", "mode", "colspan", "default_focus", "password", "filename",
    "force_save", "statusbar_visible", "can_create", "can_write", "title"})
_LIST_FIELD = frozenset({
    "name", "string", "widget", "options", "optional", "sum", "avg", "readonly", "required",
    "column_invisible", "width", "nolabel", "context", "domain", "force_save", "password",
    "help", "placeholder"})
_WIDGET = frozenset({"name", "options", "title", "bg_color", "text", "tooltip"})
_CONTROL = {"control": frozenset(), "create": frozenset({"string", "context", "name"})}

GRAMMAR: dict[str, dict[str, frozenset[str]]] = {
    "form": {
        "form": frozenset({"string", "create", "edit", "delete", "duplicate", "js_class",
                           "disable_autofocus"}),
        "header": frozenset(), "sheet": frozenset({"string"}), "footer": frozenset(),
        "group": frozenset({"string", "col", "colspan", "name", "expand"}),
        "notebook": frozenset({"colspan", "name"}),
        "page": frozenset({"string", "name", "autofocus"}),
        "field": _FORM_FIELD, "button": _BUTTON,
        "label": frozenset({"for", "string"}),
        "separator": frozenset({"string", "colspan", "name"}), "newline": frozenset(),
        "widget": _WIDGET,
    },
    "list": {
        "list": frozenset({"string", "editable", "create", "edit", "delete", "import",
                           "duplicate", "default_order", "limit", "multi_edit", "sample",
                           "open_form_view", "js_class", "expand", "default_group_by"}),
        "field": _LIST_FIELD, "button": _BUTTON, "header": frozenset(), **_CONTROL,
        "widget": _WIDGET | {"column_invisible"},
    },
    "kanban": {
        "kanban": frozenset({"string", "default_group_by", "default_order", "create", "edit",
                             "delete", "quick_create", "quick_create_view", "group_create",
                             "group_delete", "group_edit", "records_draggable", "archivable",
                             "sample", "js_class", "on_create", "limit", "can_open"}),
        "field": frozenset({"name", "widget", "options", "string", "readonly", "title", "sum"}),
        "progressbar": frozenset({"field", "colors", "sum_field", "help"}),
        "templates": frozenset(), "t": frozenset({"t-name"}), "button": _BUTTON,
        "widget": _WIDGET,
    },
    "search": {
        "search": frozenset({"string"}),
        "field": frozenset({"name", "string", "filter_domain", "operator", "context",
                            "domain", "widget", "options", "select", "icon",
                            "enable_counters", "expand", "limit", "hierarchize", "depth",
                            "color", "groupby"}),
        "filter": frozenset({"name", "string", "domain", "context", "help", "date",
                             "default_period"}),
        "separator": frozenset(), "group": frozenset({"expand", "string", "name"}),
        "searchpanel": frozenset({"view_types"}),
    },
    "calendar": {
        "calendar": frozenset({"string", "date_start", "date_stop", "date_delay", "all_day",
                               "color", "mode", "quick_create", "quick_create_view_id",
                               "event_open_popup", "create", "delete", "js_class",
                               "event_limit", "hide_time", "hide_date", "form_view_id",
                               "scales", "show_unusual_days", "create_name_field"}),
        "field": frozenset({"name", "avatar_field", "write_model", "write_field", "filters",
                            "color", "options", "string", "widget"}),
    },
    "graph": {
        "graph": frozenset({"string", "type", "stacked", "order", "disable_linking", "sample",
                            "js_class", "cumulated"}),
        "field": frozenset({"name", "type", "interval", "string", "widget"}),
    },
    "pivot": {
        "pivot": frozenset({"string", "disable_linking", "display_quantity", "default_order",
                            "sample", "js_class"}),
        "field": frozenset({"name", "type", "interval", "string", "widget"}),
    },
}
#: attributes of kanban cards' QWeb subset (core.views.qweb)
KANBAN_QWEB = frozenset({"t-if", "t-elif", "t-else", "t-esc", "t-out"})
#: view types whose archs may hold HTML elements
WITH_HTML = frozenset({"form", "kanban"})

ENUMS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("graph", "graph", "type"): ("bar", "line", "pie"),
    ("graph", "field", "type"): ("row", "col", "measure"),
    ("pivot", "field", "type"): ("row", "col", "measure"),
    ("graph", "field", "interval"): ("day", "week", "month", "quarter", "year"),
    ("pivot", "field", "interval"): ("day", "week", "month", "quarter", "year"),
    ("calendar", "calendar", "mode"): ("day", "week", "month", "year"),
    ("list", "list", "editable"): ("top", "bottom"),
    ("list", "field", "optional"): ("show", "hide"),
    ("search", "filter", "default_period"): ("this_month", "last_month", "this_quarter",
                                             "this_year", "last_year", "month", "quarter",
                                             "year"),
}
BOOLEANS = frozenset({
    "create", "edit", "delete", "duplicate", "import", "multi_edit", "sample", "nolabel",
    "password", "force_save", "stacked", "disable_linking", "display_quantity",
    "quick_create", "records_draggable", "archivable", "group_create", "group_delete",
    "group_edit", "event_open_popup", "hide_time", "hide_date", "expand", "default_focus",
    "autofocus", "open_form_view", "disable_autofocus", "can_open", "can_create", "can_write",
    "cumulated", "enable_counters", "hierarchize", "show_unusual_days"})
BOOLEAN_VALUES = ("0", "1", "true", "false", "True", "False")
#: root attributes that name a field of the model
FIELD_NAME_ATTRIBUTES = frozenset({
    ("calendar", "date_start"), ("calendar", "date_stop"), ("calendar", "date_delay"),
    ("calendar", "all_day"), ("calendar", "color"), ("kanban", "default_group_by"),
    ("list", "default_group_by")})


def tags(view_type: str) -> frozenset[str]:
    known = frozenset(GRAMMAR[view_type])
    return known | HTML_TAGS if view_type in WITH_HTML else known


def allowed_attributes(view_type: str, tag: str) -> frozenset[str]:
    table = GRAMMAR[view_type]
    if tag in table:
        return table[tag] | COMMON
    if tag in HTML_TAGS and view_type in WITH_HTML:
        extra = frozenset({"type"}) if tag == "a" else frozenset()
        return HTML_ATTRIBUTES | COMMON | extra
    return frozenset()


def is_allowed_attribute(view_type: str, tag: str, attribute: str) -> bool:
    if attribute in allowed_attributes(view_type, tag) or attribute.startswith("aria-"):
        return True
    if view_type == "kanban" and attribute in KANBAN_QWEB:
        return True     # the card's QWeb subset (core.views.qweb)
    return (attribute.startswith("decoration-") and view_type == "list"
            and tag in ("list", "field"))
