"""Sanitising of ``Html`` field values: a whitelist of tags and attributes.

    >>> sanitize('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'

Scripts, styles, frames, forms and event handlers go; links keep only
http(s), mailto and relative targets.
"""

from __future__ import annotations

import re

from lxml import etree, html

ALLOWED_TAGS = frozenset("""
a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption figure
h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strike strong sub sup
table tbody td tfoot th thead tr u ul font center section article header footer
""".split())
#: dropped with their content
DROPPED_TAGS = frozenset("script style iframe object embed frame frameset applet "
                         "noscript template form input button select textarea meta link "
                         "base svg math".split())
ALLOWED_ATTRS = frozenset("href src alt title width height colspan rowspan align valign "
                          "class style target rel name border cellpadding cellspacing "
                          "color size face data-oe-model data-oe-id".split())
_SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|/|#|\.|[^:]*$)", re.IGNORECASE)
_BAD_STYLE = re.compile(r"expression|javascript:|url\s*\(", re.IGNORECASE)


def sanitize(text: str) -> str:
    if not text or not text.strip():
        return text
    try:
        root = html.fragment_fromstring(text, create_parent="div")
    except etree.ParserError:
        return ""
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            if element is not root and element.getparent() is not None:
                element.drop_tree()  # comments and processing instructions
            continue
        tag = element.tag.lower()
        if tag in DROPPED_TAGS:
            element.drop_tree()
        elif tag not in ALLOWED_TAGS:
            element.drop_tag()
        else:
            _clean_attributes(element)
    result = html.tostring(root, encoding="unicode")
    return result[len("<div>"):-len("</div>")]


def _clean_attributes(element) -> None:
    for name, value in list(element.attrib.items()):
        key = name.lower()
        if key not in ALLOWED_ATTRS:
            del element.attrib[name]
        elif key in ("href", "src") and not _SAFE_URL.match(value.strip()):
            del element.attrib[name]
        elif key == "style" and _BAD_STYLE.search(value):
            del element.attrib[name]
