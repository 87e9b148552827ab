"""Text helpers of the knowledge base.

    html_to_text("<p>退貨<b>政策</b></p><p>30 days</p>")   # '退貨政策\\n30 days'
    slugify("Return Policy: 30 days!")                     # 'return-policy-30-days'
    slugify("退貨政策")                                      # '退貨政策' (URLs may hold it)
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree, html

_BLOCKS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
           "table", "ul", "ol", "section", "article", "header", "footer")


def html_lines(value: str | None) -> list[str]:
    """The text of an HTML fragment, one line per block (paragraph, item, row...)."""
    if not value or not value.strip():
        return []
    try:
        root = html.fragment_fromstring(value, create_parent="div")
    except etree.ParserError:
        return []
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
        if block.text:
            block.text = "\n" + block.text
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip()
             for line in root.text_content().splitlines())
    return [line for line in lines if line]


def html_to_text(value: str | None) -> str:
    """The text of an HTML fragment (lines joined with newlines)."""
    return "\n".join(html_lines(value))


def slugify(text: str, max_length: int = 60) -> str:
    """Words of ``text`` joined by ``-``, lower case; letters of any script are kept."""
    normalized = unicodedata.normalize("NFKC", text or "").lower()
    words = re.findall(r"\w+", normalized)
    slug = "-".join(words).replace("_", "-")
    return slug[:max_length].strip("-")
