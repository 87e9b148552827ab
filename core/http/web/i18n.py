"""The one place the web client's Python strings go through for translation.

    from core.http.web.i18n import _
    raise UserError(_("Select at least one record."))

Messages made in Python are marked here and translated when a template
shows them (``{{ _(message) }}``), in the language of the request: the
jinja environment of the application carries the per-request gettext.
"""

from __future__ import annotations


def _(message: str, /, **values: object) -> str:
    """``message`` marked for translation; ``%(name)s`` placeholders filled from ``values``."""
    return message % values if values else message
