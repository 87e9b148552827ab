"""Translating view architectures: labels, help texts and plain text nodes.

    from lxml import etree
    arch = etree.fromstring('<form><group string="Address">'
                            '<field name="street" placeholder="Street..."/></group></form>')
    translate_arch(arch, env.with_context(lang="zh_TW"), "res.partner")
    # <group string="地址"><field name="street" placeholder="街道..."/>

``translate_arch`` is one of ``core.views.ARCH_POSTPROCESSORS``: it runs on
every combined architecture, in the environment's language, with the
catalogs of the installed modules (a msgctxt equal to the view's model
wins over the plain entry).

What is translated: the attributes in ``ATTRIBUTES`` (``string``,
``help``, ``placeholder``, ``title``, ``confirm``, ``sum``, ``avg``,
``aria-label``, ``alt``) and the text of elements: labels, separators,
the plain text of kanban cards. The whitespace around a text is kept.
Texts without a letter (``:``, ``-``, numbers) and the content of
``<script>``, ``<style>`` and ``<pre>`` are not terms, nor are the values
of QWeb expressions (``t-esc``, ``t-out``... are attributes, not text).
The same rules drive extraction (``terms``), so what is extracted is what
gets translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from core.i18n.translate import Translator

if TYPE_CHECKING:
    from core.orm.environment import Environment

ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "sum", "avg",
              "aria-label", "alt")
#: elements whose text is code or preformatted, not words
SKIPPED = frozenset({"script", "style", "pre", "code"})


def is_term(text: str | None) -> bool:
    """Whether a text is something to translate (it has a letter)."""
    return bool(text) and any(char.isalpha() for char in text)


def terms(arch: Any) -> Iterator[tuple[str, int | None]]:
    """The translatable texts of an architecture, with their lines."""
    for element, where in _slots(arch):
        value = element.get(where[1:]) if where.startswith("@") else getattr(element, where)
        text = value.strip() if value else ""
        if is_term(text):
            yield text, element.sourceline


def _slots(arch: Any) -> Iterator[tuple[Any, str]]:
    """(element, '@attribute' | 'text' | 'tail') of each place a term may be."""
    skipped: set = set()
    for element in arch.iter():
        tag = element.tag if isinstance(element.tag, str) else None
        parent = element.getparent()
        inside_skipped = parent is not None and parent in skipped
        if tag is None:      # a comment or a processing instruction: only its tail
            if not inside_skipped:
                yield element, "tail"
            continue
        if tag in SKIPPED or inside_skipped:
            skipped.add(element)
        if element is not arch and not inside_skipped:
            yield element, "tail"
        if element in skipped:
            continue
        for name in ATTRIBUTES:
            if element.get(name):
                yield element, "@" + name
        yield element, "text"


def _rewrite(value: str, translate: Callable[[str], str]) -> str:
    text = value.strip()
    if not is_term(text):
        return value
    translated = translate(text)
    if translated == text:
        return value
    start = value.index(text)
    return value[:start] + translated + value[start + len(text):]


def apply(arch: Any, translate: Callable[[str], str]) -> None:
    """Replace every term of ``arch`` by ``translate(term)``, in place."""
    for element, where in list(_slots(arch)):
        if where.startswith("@"):
            name = where[1:]
            element.set(name, _rewrite(element.get(name), translate))
        elif where == "text" and element.text:
            element.text = _rewrite(element.text, translate)
        elif where == "tail" and element.tail:
            element.tail = _rewrite(element.tail, translate)


def translate_arch(arch: Any, env: Environment, model_name: str | None) -> None:
    """The ARCH_POSTPROCESSORS hook: translate ``arch`` into ``env.lang``."""
    translator = Translator.of(env)
    if translator is None:
        return
    contexts = (model_name,) if model_name else ()
    # the merged catalog alone: the last module that translates a word of a
    # combined view wins, as its extensions are applied last
    apply(arch, lambda text: translator.get(text, contexts))
