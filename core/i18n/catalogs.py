"""Translation catalogs: the ``i18n/<lang>.po`` files of addons, read with babel.

    catalog = load_module_catalog("zh_TW", "base")     # one addon, one language
    catalog.get("Contact")                              # '聯絡人' (or None)
    merged = merged_catalog("zh_TW", ["base", "crm"])   # later modules override
    merged.translations.gettext("Save")                 # a babel Translations
    merged.get("State", ("res.partner,state_id",))      # a context first, then plain

A ``.po`` file is read with ``babel.messages.pofile.read_po`` and kept in
memory: no compile step, nothing written next to the addon. Each file is
cached per process with its modification time; a merged catalog checks
its files again at most every ``RECHECK_SECONDS``, so an upgraded addon's
new translations are picked up by running servers without a restart.

Where the catalogs live:

- an addon: ``<addon folder>/i18n/<lang>.po``; a language with a territory
  (``zh_TW``) first reads the plain language's file (``zh.po``) if there is
  one, then its own over it;
- the kernel's web layer (templates, web client): ``core/http/i18n/``, under
  the module name ``core.http`` (``web`` on the command line). It comes
  first in every merged catalog, so that addons can override its words.

Fuzzy entries and empty translations are ignored, as gettext does.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from core.exceptions import UserError

#: the language of the source texts: never translated
SOURCE_LANG = "en_US"
#: the kernel's web catalog (templates and web client) under its module name
WEB = "core.http"
WEB_PATH = Path(__file__).resolve().parent.parent / "http"
#: seconds between two checks of a merged catalog's files
RECHECK_SECONDS = 2.0

_LOCK = threading.RLock()


class CatalogError(UserError):
    """A .po file that cannot be read: the file, the line and the reason."""


@dataclass
class Catalog:
    """The translations of one or several modules in one language."""

    lang: str
    #: (msgctxt or None, msgid) -> msgstr
    messages: dict[tuple[str | None, str], str] = field(default_factory=dict)
    #: the same messages (plurals included) as a babel/gettext translations object
    translations: NullTranslations = field(default_factory=NullTranslations)
    #: the files read, with their (mtime_ns, size) when read
    files: dict[Path, tuple[int, int] | None] = field(default_factory=dict)

    def get(self, text: str, contexts: Iterable[str] = ()) -> str | None:
        """The translation of ``text`` (for the first of ``contexts`` that has
        one, else without context), or None."""
        messages = self.messages
        for context in contexts:
            found = messages.get((context, text))
            if found:
                return found
        return messages.get((None, text)) or None

    def __len__(self) -> int:
        return len(self.messages)


def module_path(module: str) -> Path | None:
    """The folder of an addon (or of the kernel's web layer), None if unknown."""
    if module == WEB:
        return WEB_PATH
    package = sys.modules.get(f"addons.{module}")
    location = getattr(package, "__file__", None)
    if location:
        return Path(location).resolve().parent
    import addons

    for folder in addons.__path__:
        candidate = Path(folder) / module
        if (candidate / "__manifest__.py").is_file():
            return candidate.resolve()
    return None


def po_files(folder: Path, lang: str) -> list[Path]:
    """The .po files of a language in an ``i18n`` folder, the most general first."""
    names = [f"{lang}.po"]
    if "_" in lang:
        names.insert(0, f"{lang.split('_')[0]}.po")
    return [folder / "i18n" / name for name in names]


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------
_FILES: dict[Path, tuple[tuple[int, int], Catalog]] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def read_catalog_file(path: Path, lang: str) -> Catalog:
    """One .po file as a Catalog (cached while the file does not change)."""
    stamp = _stamp(path)
    if stamp is None:
        return Catalog(lang, files={path: None})
    with _LOCK:
        cached = _FILES.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            with path.open("rb") as handle:
                po = read_po(handle, abort_invalid=True)
        except PoFileError as exc:
            raise CatalogError(f"{path}: {exc}") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise CatalogError(f"{path}: not a readable .po file ({exc})") from None
        catalog = _from_po(po, lang)
        catalog.files[path] = stamp
        _FILES[path] = (stamp, catalog)
        return catalog


def _from_po(po, lang: str) -> Catalog:
    messages: dict[tuple[str | None, str], str] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (list, tuple)):   # a plural: its singular too
            msgid = message.id[0]
            strings = message.string if isinstance(message.string, (list, tuple)) else ()
            text = strings[0] if strings else ""
        else:
            msgid, text = message.id, message.string
        if text:
            messages[(message.context, msgid)] = text
    buffer = io.BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    buffer.seek(0)
    return Catalog(lang, messages, Translations(buffer))


def load_module_catalog(lang: str, module: str, path: Path | None = None) -> Catalog:
    """The catalog of one module (its files for ``lang``, merged), maybe empty;
    ``path``: the module's folder when it is not imported yet."""
    folder = path or module_path(module)
    if folder is None:
        return Catalog(lang)
    return _merge(lang, [read_catalog_file(path, lang) for path in po_files(folder, lang)])


def _merge(lang: str, parts: Sequence[Catalog]) -> Catalog:
    if len(parts) == 1:
        return parts[0]
    merged = Catalog(lang, translations=Translations())
    for part in parts:
        merged.messages.update(part.messages)
        merged.files.update(part.files)
        if isinstance(part.translations, Translations):
            merged.translations.merge(part.translations)
            merged.translations.plural = part.translations.plural
    return merged


# ---------------------------------------------------------------------------
# merged catalogs, cached per process
# ---------------------------------------------------------------------------
_MERGED: dict[tuple[str, tuple[str, ...]], list] = {}


def merged_catalog(lang: str, modules: Sequence[str], web: bool = True) -> Catalog:
    """The catalogs of ``modules`` (in dependency order: later ones override)
    merged over the kernel's web catalog (unless ``web=False``)."""
    names = ((WEB,) if web else ()) + tuple(m for m in modules if m != WEB)
    key = (lang, names)
    now = time.monotonic()
    with _LOCK:
        entry = _MERGED.get(key)
        if entry is not None:
            checked, catalog = entry
            if now - checked < RECHECK_SECONDS or not _changed(catalog):
                entry[0] = now
                return catalog
        if lang == SOURCE_LANG:
            catalog = Catalog(lang)
        else:
            parts = [load_module_catalog(lang, name) for name in names]
            catalog = _merge(lang, [Catalog(lang, translations=Translations())] + parts)
        _MERGED[key] = [now, catalog]
        return catalog


def _changed(catalog: Catalog) -> bool:
    return any(_stamp(path) != stamp for path, stamp in catalog.files.items())


def translations(lang: str, modules: Sequence[str], web: bool = True) -> NullTranslations:
    """A babel ``Translations`` of ``modules`` merged in order (later override),
    over the kernel's web catalog: ``gettext``, ``ngettext``, ``pgettext``...
    For the source language, a ``NullTranslations`` (the texts as they are)."""
    return merged_catalog(lang, modules, web).translations


def clear_cache() -> None:
    """Forget every catalog read (the files are read again when next needed)."""
    with _LOCK:
        _FILES.clear()
        _MERGED.clear()
