"""Pages in the reader's language: jinja2 gettext per language, and which
language a request asks for.

    templates = jinja_environment(app.templates, "zh_TW", registry)
    templates.get_template("login.html").render(...)    # {{ _("Log in") }} -> 登入

    lang = request_lang(request, ["en_US", "zh_TW"])    # ?lang=, then Accept-Language
    lang = login_lang(db, request)                      # the same, with the database's
                                                        # active languages

jinja2's i18n extension keeps its ``gettext`` in the environment's
globals, so one environment cannot serve two languages at once: each
language gets its own environment, built like the application's (same
loader, autoescape, filters, tests and globals) and cached per process,
with babel translations installed in newstyle mode (``_("%(n)s records",
n=3)`` formats and escapes its arguments). The translations are the
kernel's web catalog (``core/http/i18n``) under the installed modules'
catalogs; when they change (an install, an upgraded ``.po``), the
environment is rebuilt.

A logged-in user reads their own language (``res.users.lang``). Before
logging in, the page follows ``?lang=zh_TW`` (also ``zh-TW``), else the
browser's ``Accept-Language`` (``zh-Hant``, ``zh-TW`` and ``zh-HK`` choose
Traditional Chinese), else English; only active languages are chosen.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any

import jinja2
import jinja2.ext

from core.i18n.catalogs import SOURCE_LANG, translations

_LOCK = threading.Lock()
_ENVIRONMENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COPIED = ("block_start_string", "block_end_string", "variable_start_string",
           "variable_end_string", "comment_start_string", "comment_end_string",
           "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
           "newline_sequence", "keep_trailing_newline", "undefined", "finalize",
           "autoescape", "loader", "auto_reload")
_GETTEXT_GLOBALS = ("gettext", "ngettext", "pgettext", "npgettext", "_")


def _modules(registry_or_modules: Any) -> tuple[str, ...]:
    if registry_or_modules is None:
        return ()
    if isinstance(registry_or_modules, (list, tuple)):
        return tuple(registry_or_modules)
    return tuple(getattr(registry_or_modules, "installed_modules", None) or ())


def jinja_environment(templates: jinja2.Environment, lang: str | None,
                      modules: Any = None) -> jinja2.Environment:
    """An environment like ``templates`` whose ``_``/``gettext``/``ngettext``
    speak ``lang`` (``zh_TW`` or ``zh-TW``), with the catalogs of ``modules``
    (names in dependency order, or a registry: its installed modules)."""
    lang = normalize_lang(lang) or SOURCE_LANG
    names = _modules(modules)
    current = translations(lang, names)
    with _LOCK:
        # one environment per language: the one of the current modules and catalogs
        per_base = _ENVIRONMENTS.setdefault(templates, {})
        cached = per_base.get(lang)
        if cached is not None and cached[0] is current and cached[1] == names:
            return cached[2]
        environment = _copy(templates)
        environment.install_gettext_translations(current, newstyle=True)
        per_base[lang] = (current, names, environment)
        return environment


def _copy(templates: jinja2.Environment) -> jinja2.Environment:
    """A new environment configured as ``templates`` (not an overlay: an
    overlay shares its globals, where jinja2 keeps gettext)."""
    options = {name: getattr(templates, name) for name in _COPIED}
    extensions = [type(extension) for extension in templates.extensions.values()]
    if jinja2.ext.InternationalizationExtension not in extensions:
        extensions.append(jinja2.ext.InternationalizationExtension)
    environment = jinja2.Environment(extensions=extensions, **options)
    environment.filters.update(templates.filters)
    environment.tests.update(templates.tests)
    environment.policies.update(templates.policies)
    environment.globals.update({key: value for key, value in templates.globals.items()
                                if key not in _GETTEXT_GLOBALS})
    return environment


# ---------------------------------------------------------------------------
# the language of a request
# ---------------------------------------------------------------------------
def normalize_lang(code: str | None) -> str:
    """``zh-tw`` / ``zh_TW`` -> ``zh_TW``; ``en`` stays ``en``."""
    parts = (code or "").strip().replace("-", "_").split("_")
    if not parts[0]:
        return ""
    head = parts[0].lower()
    tail = [part.title() if len(part) == 4 else part.upper() for part in parts[1:] if part]
    return "_".join([head, *tail])


def _match(wanted: str, languages: Sequence[str]) -> str | None:
    """The language of ``languages`` that fits a code a browser or URL names."""
    code = normalize_lang(wanted)
    if not code:
        return None
    if code in languages:
        return code
    parts = code.split("_")
    head = parts[0]
    if head == "zh" and any(part in ("Hant", "TW", "HK", "MO") for part in parts[1:]):
        return "zh_TW" if "zh_TW" in languages else None
    if len(parts) >= 2 and f"{head}_{parts[-1]}" in languages:      # zh_Hant_TW -> zh_TW
        return f"{head}_{parts[-1]}"
    same = [lang for lang in languages if lang.split("_")[0] == head]
    return same[0] if same else None


def request_lang(request: Any, languages: Sequence[str], user_lang: str | None = None,
                 param: str = "lang") -> str:
    """The language to answer ``request`` in, among ``languages`` (active codes):
    the user's, else ``?lang=``, else the best of ``Accept-Language``, else English."""
    languages = list(languages) or [SOURCE_LANG]
    if user_lang and user_lang in languages:
        return user_lang
    asked = request.args.get(param) if hasattr(request, "args") else None
    found = _match(asked, languages) if asked else None
    if found:
        return found
    for value, _quality in getattr(request, "accept_languages", ()):
        found = _match(value, languages)
        if found:
            return found
    return SOURCE_LANG if SOURCE_LANG in languages else languages[0]


def active_languages(db: Any) -> list[str]:
    """The codes of the database's active languages."""
    with db.env() as env:
        if "res.lang" not in env:
            return [SOURCE_LANG]
        return [code for code, _name in env["res.lang"].get_installed()]


def login_lang(db: Any, request: Any) -> str:
    """The language of a page shown before logging in (the login page)."""
    return request_lang(request, active_languages(db))
