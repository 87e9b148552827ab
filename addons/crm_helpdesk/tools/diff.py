"""The difference between two versions of an article, as a sanitised HTML table.

    diff_html("<p>30 days</p>", "<p>45 days</p>", "Version 1", "Version 2")
    # '<table class="diff" ...>...<span class="diff_chg" style="...">30</span>...'

The bodies are compared line by line (one line per paragraph, list item or
table row, without markup) with ``difflib.HtmlDiff``, two lines of context
around each change; long lines wrap in the browser. difflib escapes the text; its classes get inline
colours and the table goes through the HTML sanitiser before it is shown.
"""

from __future__ import annotations

import difflib

from lxml import html

from core.orm.html_sanitizer import sanitize

from .text import html_lines

STYLES = {
    'class="diff_add"': 'class="diff_add" style="background:#d4f4d2"',
    'class="diff_chg"': 'class="diff_chg" style="background:#fcefb4"',
    'class="diff_sub"': 'class="diff_sub" style="background:#f9d0d0;text-decoration:line-through"',
    'class="diff_header"': 'class="diff_header" style="color:#888;text-align:right"',
}


def diff_html(old: str | None, new: str | None, old_label: str, new_label: str,
              context_lines: int = 2) -> str:
    """An HTML table of the changes from ``old`` to ``new`` (HTML bodies)."""
    old_lines, new_lines = html_lines(old), html_lines(new)
    if old_lines == new_lines:
        return ""
    table = difflib.HtmlDiff().make_table(
        old_lines, new_lines, old_label, new_label, context=True, numlines=context_lines)
    # difflib keeps lines on one row with no-break spaces; let the browser wrap them
    table = table.replace("&nbsp;", " ")
    for plain, styled in STYLES.items():
        table = table.replace(plain, styled)
    return sanitize(_without_navigation(table))


def _without_navigation(table: str) -> str:
    """difflib's "next change" links point to anchors the sanitiser removes: drop them."""
    root = html.fragment_fromstring(table)
    for cell in root.xpath("//*[@class='diff_next']"):
        cell.drop_tree()
    for group in root.xpath("//colgroup"):
        group.drop_tree()
    return html.tostring(root, encoding="unicode")


def changed_lines(old: str | None, new: str | None) -> tuple[list[str], list[str]]:
    """(lines removed, lines added): what a test or a summary reads."""
    removed, added = [], []
    for line in difflib.ndiff(html_lines(old), html_lines(new)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added
