"""The one place the web client's Python strings go through for translation.

    from core.http.web.i18n import _, translate
    raise UserError(_("Select at least one record."))
    message = _("No record matches %(text)s.", text=typed)   # a Message (a str)
    translate(env, message)      # in env.lang, from the catalogs (web catalog included)

``_`` returns a ``Message``: the English text, which is a ``str`` and can
go anywhere a str goes, remembering its source and values; pages show
messages through ``translate`` (templates: ``tr(message)``), which looks
the source up in the same catalogs as the templates' ``_()`` and fills
the values in. A translation whose placeholders do not fit falls back to
the English text.
"""

from __future__ import annotations

import logging
from typing import Any

from core.i18n.catalogs import SOURCE_LANG, translations
from core.i18n.translate import installed_modules

_logger = logging.getLogger("troika.http")


class Message(str):
    """An English text marked for translation, with its source and values."""

    source: str
    values: dict

    def __new__(cls, source: str, values: dict) -> Message:
        text = super().__new__(cls, source % values if values else source)
        text.source = source
        text.values = values
        return text


def _(message: str, /, **values: object) -> Message:
    """``message`` marked for translation; ``%(name)s`` placeholders filled from ``values``."""
    return Message(message, values)


def translate(env: Any, text: Any) -> Any:
    """``text`` in the language of ``env`` when it is a ``Message``; else ``text``."""
    if not isinstance(text, Message) or env is None:
        return text
    lang = env.context.get("lang") or SOURCE_LANG
    if lang == SOURCE_LANG:
        return str(text)
    translated = translations(lang, installed_modules(env)).gettext(text.source)
    try:
        return translated % text.values if text.values else translated
    except (KeyError, TypeError, ValueError):
        _logger.warning("The translation of %r does not fit its values", text.source)
        return str(text)
