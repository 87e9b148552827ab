"""View architectures: parsing, view types and the errors of the view layer.

    root = parse("<form><field name='name'/></form>")   # lxml Element, lines kept
    normalise_type("tree")                                  # "list"
    locate(root, spec)          # the element an inheritance spec points at

Archs are parsed without entity resolution, network access or comments
(lxml keeps each element's ``sourceline``, counted from the arch's first
line). ``tree`` is Odoo's older name of ``list``: the view layer speaks of
``list`` everywhere and renames ``<tree>`` elements to ``<list>``.
"""

from __future__ import annotations

from lxml import etree

from core.exceptions import UserError

VIEW_TYPES = ("form", "list", "kanban", "search", "calendar", "graph", "pivot")
#: database value(s) of a view type (``tree`` is stored by Odoo-style data files)
STORED_TYPES = {"list": ("list", "tree")}
#: attributes of a spec element that are not matched by the shorthand
SPEC_ONLY_ATTRIBUTES = frozenset({"position", "version", "mode"})
#: set on every element while validating: the id of the view it came from
ORIGIN = "data-troika-view"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)


class ViewError(UserError):
    """A view that cannot be combined or is invalid; the message says which,
    where (external id, data file and line) and why."""


def parse(arch: str | bytes) -> etree._Element:
    """The root element of an architecture; ViewError with the line if malformed."""
    try:
        return etree.fromstring(arch.encode() if isinstance(arch, str) else arch, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ViewError(f"line {exc.lineno}: {exc.msg}") from None


def normalise_type(view_type: str) -> str:
    """``tree`` -> ``list``; ValueError for an unknown view type."""
    view_type = "list" if view_type == "tree" else view_type
    if view_type not in VIEW_TYPES:
        raise ViewError(f"Unknown view type {view_type!r}: use one of {', '.join(VIEW_TYPES)}")
    return view_type


def stored_types(view_type: str) -> tuple[str, ...]:
    return STORED_TYPES.get(view_type, (view_type,))


def rename_trees(root: etree._Element) -> etree._Element:
    """Rename every ``<tree>`` element to ``<list>`` (in place); returns ``root``."""
    for element in root.iter("tree"):
        element.tag = "list"
    return root


def _hasclass(context: object, *classes: str) -> bool:
    """XPath ``hasclass('a', 'b')``: the node's class attribute has them all (Odoo's)."""
    return set(classes) <= set(context.context_node.get("class", "").split())


_XPATH_FUNCTIONS = {(None, "hasclass"): _hasclass}


def locate(source: etree._Element, spec: etree._Element) -> etree._Element | None:
    """The element of ``source`` an inheritance spec designates, or None.

    ``<xpath expr="...">``: the first match of the expression (which may use
    Odoo's ``hasclass('name', ...)``);
    ``<field name="x">``: the first field named x; any other element: the
    first element of that tag whose attributes equal the spec's (except
    ``position``), e.g. ``<page name="notes" position="inside">``.
    """
    if spec.tag == "xpath":
        expr = spec.get("expr")
        if not expr:
            raise ViewError("<xpath> needs an expr attribute")
        try:
            found = etree.XPath(expr, extensions=_XPATH_FUNCTIONS)(source)
        except etree.XPathError as exc:
            raise ViewError(f"invalid xpath expression {expr!r}: {exc}") from None
        for node in found if isinstance(found, list) else ():
            if isinstance(node, etree._Element):
                return node
        return None
    if spec.tag == "field":
        name = spec.get("name")
        for node in source.iter("field"):
            if node.get("name") == name:
                return node
        return None
    wanted = {key: value for key, value in spec.attrib.items()
              if key not in SPEC_ONLY_ATTRIBUTES and key != ORIGIN}
    tags = ("list", "tree") if spec.tag in ("list", "tree") else (spec.tag,)
    for node in source.iter(*tags):
        if all(node.get(key) == value for key, value in wanted.items()):
            return node
    return None


def describe_spec(spec: etree._Element) -> str:
    """``<xpath expr="//field[@name='x']" position="after">`` for messages."""
    attrs = " ".join(f'{key}="{value}"' for key, value in spec.attrib.items() if key != ORIGIN)
    return f"<{spec.tag} {attrs}>" if attrs else f"<{spec.tag}>"
