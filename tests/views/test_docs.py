"""The examples of docs/views.md follow the grammar they document: every
element and attribute is in the tables of core.views.grammar and every
condition parses (the models they name are not installed here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from core.views import grammar
from core.views.arch import VIEW_TYPES
from core.views.conditions import CONDITION_ATTRIBUTES, parse_condition
from core.views.postprocess import SUBVIEW_TAGS

DOC = Path(__file__).resolve().parents[2] / "docs" / "views.md"


def examples() -> list[etree._Element]:
    found = []
    for block in re.findall(r"```xml\n(.*?)```", DOC.read_text(), re.DOTALL):
        root = etree.fromstring(f"<doc>{block}</doc>")
        found.extend(element for element in root.iter()
                     if element.tag in VIEW_TYPES + ("tree",)
                     and (element.getparent().tag in ("doc", "field")))
    return found


def check(element: etree._Element, view_type: str, problems: list[str]) -> None:
    if element.tag not in grammar.tags(view_type):
        problems.append(f"<{element.tag}> in a {view_type} view")
        return
    for name, value in element.attrib.items():
        if not grammar.is_allowed_attribute(view_type, element.tag, name):
            problems.append(f"<{element.tag} {name}> in a {view_type} view")
        if name in CONDITION_ATTRIBUTES or name.startswith("decoration-"):
            parse_condition(value)
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if element.tag == "field" and child.tag in SUBVIEW_TAGS:
            check(child, "list" if child.tag == "tree" else child.tag, problems)
        else:
            check(child, view_type, problems)


def test_there_are_examples_of_every_view_type():
    assert {root.tag for root in examples()} >= set(VIEW_TYPES)


@pytest.mark.parametrize("root", examples(), ids=lambda root: f"{root.tag}@{root.sourceline}")
def test_example_follows_the_grammar(root):
    problems: list[str] = []
    check(root, "list" if root.tag == "tree" else root.tag, problems)
    assert problems == []
