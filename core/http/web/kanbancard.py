"""Kanban cards: the card template of a kanban arch turned into safe HTML, without eval.

    card = CardTemplate.of(view.arch)               # <t t-name="card"> or "kanban-box"
    card.fields()                                   # the fields the card reads
    html = card.render(values, CardContext(...))    # Markup for one record (read() values)

The template is interpreted, never evaluated. What it may hold:

- ``<field name="x"/>``: the value as a person reads it (many2one: the
  name; many2many: tags; ``widget="priority"``: stars; binary or
  ``widget="image"``: an ``<img>`` of ``/web/binary/...``; monetary: the
  amount in its currency);
- ``t-if``/``t-elif``/``t-else`` on ``<t>``, HTML elements and fields,
  with conditions on ``record.<field>.raw_value``, ``record.<field>.value``
  or plain field names (``core.views.qweb``), and ``invisible``;
- ``t-esc``/``t-out`` of ``record.<field>.value`` (the formatted value) or
  ``.raw_value``;
- HTML from a whitelist (``SAFE_TAGS``) with the attributes ``class``,
  ``title``, ``role``, ``alt``, ``colspan``, ``rowspan`` and ``aria-*``;
  ``<img src>`` only from ``/web/``; ``<a href>`` only to a path of this
  site or to http(s)/mailto; ``<a type="open|edit|object|action">`` and
  ``<button>`` become a link to the record's form. Anything else (scripts,
  styles, event handlers, unknown elements) is dropped with its content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from markupsafe import Markup, escape

from core.http.web.formats import FormatContext, condition_value, display
from core.views.conditions import Condition, ConditionError
from core.views.qweb import parse_qweb_condition, value_reference

CARD_NAMES = ("card", "kanban-box")
SAFE_TAGS = frozenset({
    "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u",
    "small", "br", "hr", "img", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td",
    "th", "section", "code", "pre", "blockquote", "main", "footer", "header", "aside"})
VOID_TAGS = frozenset({"br", "hr", "img"})
SAFE_ATTRIBUTES = frozenset({"class", "title", "role", "alt", "colspan", "rowspan"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class CardContext:
    """What rendering a card needs besides the record's values."""

    model: str
    fields: dict                  # fields_get of the model (readable fields)
    fmt: FormatContext
    record_url: Callable[[int], str]
    #: many2many field -> {id: name}
    tags: dict[str, dict[int, str]] = field(default_factory=dict)
    #: binary field -> ids of the records that hold a value
    images: dict[str, set[int]] = field(default_factory=dict)


class CardTemplate:
    """The card of a kanban arch, with its conditions parsed once."""

    def __init__(self, root: etree._Element | None):
        self.root = root
        self._conditions: dict[str, Condition | None] = {}

    @classmethod
    def of(cls, arch: etree._Element) -> CardTemplate:
        found = None
        for node in arch.iter("t"):
            if node.get("t-name") in CARD_NAMES and node.getparent() is not None \
                    and node.getparent().tag == "templates":
                found = node
                break
        return cls(found)

    # -- what the card reads ----------------------------------------------------------
    def fields(self) -> set[str]:
        names: set[str] = set()
        if self.root is None:
            return names
        for node in self.root.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag == "field" and node.get("name"):
                names.add(node.get("name"))
            for attribute in ("t-if", "t-elif", "invisible"):
                condition = self.condition(node, attribute)
                if condition is not None:
                    names |= set(condition.fields())
            for attribute in ("t-esc", "t-out"):
                if node.get(attribute):
                    try:
                        names.add(value_reference(node.get(attribute))[0])
                    except ConditionError:
                        pass
        return names

    def condition(self, node: etree._Element, attribute: str) -> Condition | None:
        text = node.get(attribute)
        if text is None:
            return None
        key = f"{attribute}\0{text}"
        if key not in self._conditions:
            try:
                if attribute == "invisible":
                    from core.views.conditions import parse_condition

                    self._conditions[key] = parse_condition(text)
                else:
                    self._conditions[key] = parse_qweb_condition(text)
            except ConditionError:
                self._conditions[key] = None
        return self._conditions[key]

    # -- rendering ---------------------------------------------------------------------
    def render(self, values: dict, ctx: CardContext) -> Markup:
        if self.root is None:
            return Markup("<strong>{}</strong>").format(values.get("display_name") or "")
        run = _Run(self, values, ctx)
        return Markup("".join(run.children(self.root)))


class _Run:
    """One card being rendered."""

    def __init__(self, template: CardTemplate, values: dict, ctx: CardContext):
        self.template = template
        self.values = values
        self.ctx = ctx
        self.cond_values = {name: condition_value(ctx.fields.get(name), value)
                            for name, value in values.items()}

    def holds(self, node: etree._Element, attribute: str) -> bool:
        condition = self.template.condition(node, attribute)
        if condition is None:
            # an unreadable t-if hides its branch; an unreadable invisible hides nothing
            return False
        try:
            return bool(condition.evaluate(self.cond_values))
        except (KeyError, ValueError, TypeError):
            return False

    def children(self, parent: etree._Element) -> list[str]:
        out = [str(escape(parent.text))] if parent.text else []
        chain: bool | None = None      # None: no t-if chain open; True: a branch was taken
        for child in parent:
            if isinstance(child.tag, str):
                show, chain = self.branch(child, chain)
                if show and not (child.get("invisible") is not None
                                 and self.holds(child, "invisible")):
                    out.append(self.node(child))
            if child.tail:
                out.append(str(escape(child.tail)))
        return out

    def branch(self, node: etree._Element, chain: bool | None) -> tuple[bool, bool | None]:
        """(shown, chain state after it) of a node in a t-if/t-elif/t-else chain."""
        if node.get("t-if") is not None:
            taken = self.holds(node, "t-if")
            return taken, taken
        if node.get("t-elif") is not None:
            if chain is None or chain:
                return False, chain
            taken = self.holds(node, "t-elif")
            return taken, taken
        if node.get("t-else") is not None:
            return chain is False, None
        return True, None

    def node(self, node: etree._Element) -> str:
        tag = node.tag
        if tag == "t":
            value = self.output(node)
            return value if value is not None else "".join(self.children(node))
        if tag == "field":
            return self.field(node)
        if tag == "button" or (tag == "a" and node.get("type")):
            return self.open_link(node)
        if tag not in SAFE_TAGS:
            return ""
        attributes = self.attributes(node)
        if tag in VOID_TAGS:
            return f"<{tag}{attributes}>"
        value = self.output(node)
        inner = value if value is not None else "".join(self.children(node))
        return f"<{tag}{attributes}>{inner}</{tag}>"

    def attributes(self, node: etree._Element) -> str:
        kept = []
        for name, value in node.attrib.items():
            if name in SAFE_ATTRIBUTES or name.startswith("aria-"):
                kept.append((name, value))
            elif name == "src" and node.tag == "img" and value.startswith("/web/"):
                kept.append((name, value))
            elif name == "href" and node.tag == "a" and (
                    _local(value) or value.lower().startswith(_LINK_SCHEMES)):
                kept.append((name, value))
                if not _local(value):
                    kept.append(("rel", "noopener noreferrer"))
        return "".join(f' {name}="{escape(value)}"' for name, value in kept)

    def output(self, node: etree._Element) -> str | None:
        expression = node.get("t-esc") or node.get("t-out")
        if expression is None:
            return None
        try:
            name, kind = value_reference(expression)
        except ConditionError:
            return ""
        desc = self.ctx.fields.get(name)
        if desc is None:
            return ""
        if kind == "raw_value":
            raw = self.cond_values.get(name)
            return str(escape("" if raw is None or raw is False else raw))
        return str(escape(display(desc, self.values.get(name), self.ctx.fmt, self.values)))

    def open_link(self, node: etree._Element) -> str:
        label = "".join(self.children(node)) or str(escape(node.get("string") or ""))
        url = self.ctx.record_url(self.values["id"])
        classes = escape(" ".join(filter(None, ["o-card-action", node.get("class")])))
        return f'<a href="{escape(url)}" class="{classes}">{label}</a>'

    def field(self, node: etree._Element) -> str:
        name = node.get("name") or ""
        desc = self.ctx.fields.get(name)
        if desc is None:
            return ""
        value = self.values.get(name)
        kind, widget = desc["type"], node.get("widget")
        css = f'o-field o-field-{escape(name)}'
        if kind == "binary" or widget in ("image", "image_url"):
            return self.image(name, desc)
        if widget == "priority" and kind == "selection":
            return self.stars(desc, value, css)
        if kind == "many2many":
            names = self.ctx.tags.get(name, {})
            tags = "".join(f'<span class="o-tag">{escape(names.get(i, ""))}</span>'
                           for i in value or [])
            return f'<span class="{css} o-tags-ro">{tags}</span>' if tags else ""
        if kind == "boolean":
            mark = "☑" if value else "☐"
            return f'<span class="{css}" title="{escape(desc["string"])}">{mark}</span>'
        text = display(desc, value, self.ctx.fmt, self.values)
        return f'<span class="{css}">{escape(text)}</span>' if text else ""

    def stars(self, desc: dict, value: Any, css: str) -> str:
        options = desc.get("selection") or []
        keys = [key for key, _label in options]
        level = keys.index(value) if value in keys else 0
        label = dict(options).get(value, "")
        stars = "".join("★" if index <= level else "☆" for index in range(1, len(keys)))
        return (f'<span class="{css} o-priority" title="{escape(label)}" '
                f'aria-label="{escape(label)}">{stars}</span>')

    def image(self, name: str, desc: dict) -> str:
        record_id = self.values["id"]
        if desc["type"] == "binary" and record_id not in self.ctx.images.get(name, set()):
            return ""
        if desc["type"] != "binary":
            url = self.values.get(name)
            if not isinstance(url, str) or not _local(url):
                return ""
            src = url
        else:
            src = f"/web/binary/{self.ctx.model}/{record_id}/{name}"
        return f'<img class="o-kanban-image" src="{escape(src)}" alt="" loading="lazy">'


def _local(url: str) -> bool:
    """A path of this site (not protocol-relative, no scheme)."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url
