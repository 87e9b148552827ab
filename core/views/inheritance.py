"""Applying an extension view's inheritance specs to an architecture.

    source = parse("<form><field name='name'/></form>")
    specs = parse('''<data>
        <field name="name" position="after"><field name="email"/></field>
        <xpath expr="//form" position="attributes">
            <attribute name="string">Partner</attribute>
        </xpath>
    </data>''')
    source = apply_specs(source, specs, where="base.view_partner_form_email")

A spec locates one element (``<xpath expr>``, the ``<field name>``
shorthand, or any ``<tag attr=...>`` shorthand: the first element of that
tag with those attributes) and changes it according to ``position``:

- ``inside`` (the default): append the spec's children;
- ``after`` / ``before``: insert them next to it;
- ``replace``: put them in its place (``mode="inner"``: replace its
  content only); an element whose text is ``$0`` receives the replaced
  element; replacing the root makes the spec's first child the new root;
- ``attributes``: ``<attribute name="x">value</attribute>`` sets (an
  empty value removes) an attribute; ``add``/``remove`` with an optional
  ``separator`` (default ``,``) edit a list-valued one (``class``);
- a child spec with ``position="move"`` takes an element from elsewhere in
  the architecture instead of copying the spec's children.

A spec that designates nothing raises a ViewError naming the view (see
``where``) and the spec. The source is changed in place; the returned
element is the (possibly new) root.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from lxml import etree

from core.views.arch import ViewError, describe_spec, locate

POSITIONS = ("inside", "after", "before", "replace", "attributes", "move")


def iter_specs(specs: etree._Element) -> Iterator[etree._Element]:
    """The specs of an extension arch: the root itself, or the children of ``<data>``."""
    if specs.tag == "data":
        for child in specs:
            if isinstance(child.tag, str):
                yield child
    else:
        yield specs


def apply_specs(source: etree._Element, specs: etree._Element, where: str = "") -> etree._Element:
    """Apply every spec of ``specs`` (an extension's parsed arch) to ``source``."""
    for spec in iter_specs(specs):
        source = apply_spec(source, spec, where)
    return source


def apply_spec(source: etree._Element, spec: etree._Element, where: str = "") -> etree._Element:
    position = spec.get("position", "inside")
    if position not in POSITIONS or position == "move":
        raise _error(spec, where, f"invalid position {position!r} (use one of "
                                  f"{', '.join(POSITIONS[:-1])})")
    node = locate(source, spec)
    if node is None:
        raise _error(spec, where, f"the element {describe_spec(spec)} cannot be located in "
                                  "the parent view")
    if position == "replace":
        return _replace(source, node, spec, where)
    if position == "attributes":
        _attributes(node, spec, where)
    elif position == "inside":
        _set_tail_text(node, spec)
        for child in _contents(source, spec, where):
            node.append(child)
    elif position == "after":
        sentinel = etree.Element("sentinel")
        node.addnext(sentinel)
        for child in _contents(source, spec, where):
            sentinel.addprevious(child)
        _remove_keep_tail(sentinel)
    else:  # before
        for child in _contents(source, spec, where):
            node.addprevious(child)
    return source


def _contents(source: etree._Element, spec: etree._Element, where: str) -> list[etree._Element]:
    """The elements a spec inserts: copies of its children, or, for a
    ``position="move"`` child, the element it designates (taken out)."""
    result = []
    for child in spec:
        if not isinstance(child.tag, str):
            continue
        if child.get("position") == "move":
            result.append(_extract(source, child, where))
        else:
            result.append(copy.deepcopy(child))
    return result


def _extract(source: etree._Element, spec: etree._Element, where: str) -> etree._Element:
    node = locate(source, spec)
    if node is None:
        raise _error(spec, where, f"the element {describe_spec(spec)} to move cannot be "
                                  "located in the parent view")
    if node.getparent() is None:
        raise _error(spec, where, "the root element cannot be moved")
    if len(spec) or (spec.text or "").strip():
        raise _error(spec, where, 'a spec with position="move" has no content')
    _remove_keep_tail(node)
    node.tail = None
    return node


def _replace(source: etree._Element, node: etree._Element, spec: etree._Element,
             where: str) -> etree._Element:
    if spec.get("mode", "outer") == "inner":
        for child in list(node):
            node.remove(child)
        node.text = spec.text
        for child in _contents(source, spec, where):
            node.append(child)
        return source
    if spec.get("mode", "outer") != "outer":
        raise _error(spec, where, f"invalid replace mode {spec.get('mode')!r} (outer or inner)")
    original = copy.deepcopy(node)
    for holder in spec.iter():
        if holder is not spec and (holder.text or "").strip() == "$0":
            holder.text = None
            holder.append(copy.deepcopy(original))
    contents = _contents(source, spec, where)
    if node.getparent() is None:
        if len(contents) != 1:
            raise _error(spec, where, "replacing the root element needs exactly one new root")
        return contents[0]
    for child in contents:
        node.addprevious(child)
    _remove_keep_tail(node)
    return source


def _attributes(node: etree._Element, spec: etree._Element, where: str) -> None:
    for child in spec:
        if not isinstance(child.tag, str):
            continue
        if child.tag != "attribute" or not child.get("name"):
            raise _error(child, where, 'position="attributes" holds only '
                                       '<attribute name="..."> elements')
        name = child.get("name")
        if child.get("add") is not None or child.get("remove") is not None:
            separator = child.get("separator", ",")
            split = None if separator.strip() == "" else separator
            joiner = " " if split is None else separator
            remove = {part.strip() for part in child.get("remove", "").split(split)
                      if part.strip()}
            kept = [part.strip() for part in node.get(name, "").split(split)
                    if part.strip() and part.strip() not in remove]
            added = [part.strip() for part in child.get("add", "").split(split)
                     if part.strip() and part.strip() not in kept]
            value = joiner.join(kept + added)
        else:
            value = child.text or ""
        if value:
            node.set(name, value)
        elif name in node.attrib:
            del node.attrib[name]


def _set_tail_text(node: etree._Element, spec: etree._Element) -> None:
    """Text directly inside an ``inside`` spec is appended to the element's text."""
    text = (spec.text or "").strip()
    if not text:
        return
    if len(node):
        last = node[-1]
        last.tail = (last.tail or "") + text
    else:
        node.text = (node.text or "") + text


def _remove_keep_tail(node: etree._Element) -> None:
    """Remove an element, keeping the text that follows it in its parent."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _error(spec: etree._Element, where: str, message: str) -> ViewError:
    """``<where>: line N of its arch: message``; ``arch_line`` holds N."""
    line = spec.sourceline
    text = f"line {line} of its arch: {message}" if line else message
    error = ViewError(f"{where}: {text}" if where else text)
    error.arch_line = line
    error.reason = message
    return error
