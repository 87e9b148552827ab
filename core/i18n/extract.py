"""Extracting an addon's texts into a template (``.pot``), and merging it into
a language's ``.po``.

    pot = extract("crm")                       # writes addons/crm/i18n/crm.pot
    update("crm", "zh_TW")                     # merges it into addons/crm/i18n/zh_TW.po

What an addon's template holds:

- Python: ``_(env, "text")`` and ``_lt("text")`` calls (babel's Python
  extractor; a ``# TRANSLATORS:`` comment above a call reaches the
  translator); for ``base``, the kernel's Python code too (``core/``
  outside ``core/http``), as Odoo's kernel texts live in ``base``;
- models (the addon's classes are imported): ``_description``, the labels
  of the fields it declares (explicit, or derived from the name), help
  texts, selection labels;
- data files (the manifest's ``data`` and ``demo``): the values of
  translated fields (``translate=True``) in ``<record>``\\s and CSV files,
  ``<menuitem name>``, the terms of view architectures (``core.i18n.arch``
  rules), workflow state, transition and message texts;
- the manifest's name, summary and description (the Apps page).

The kernel's web catalog (``web`` on the command line, ``core/http/i18n``)
holds the jinja2 templates' texts (``jinja2.ext.babel_extract``:
``_()``, ``gettext``, ``ngettext``, ``{% trans %}``), ``_``/``_lt`` calls of
``core/http``, the common words of ``core.i18n.vocabulary`` and ``_t("...")``
calls of its JavaScript.

Each entry is a plain ``msgid`` (the English text) with its locations and
a comment saying what it labels (``res.partner,state_id`` ...): the
contexts a translator may use to give one meaning its own translation.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.extract import extract as babel_extract
from babel.messages.pofile import read_po, write_po
from lxml import etree

from core.exceptions import UserError
from core.i18n import arch as arch_terms
from core.i18n.catalogs import WEB, WEB_PATH, clear_cache

Progress = Callable[[str], None]
#: ``_(env, "text", ...)`` (core.i18n) and ``_("text", **values)`` (markers that
#: take the text first) are both found: by arity, the first string argument
PYTHON_KEYWORDS = {"_": {None: (1,), **{arity: (2,) for arity in range(2, 16)}},
                   "_lt": None}
JS_KEYWORDS = {"_t": None}
JINJA_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
KERNEL = Path(__file__).resolve().parent.parent
ROOT = KERNEL.parent
WIDTH = 100
_PARSER = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True)


class Collector:
    """The messages of one template, in the order they are found."""

    def __init__(self, project: str, version: str):
        self.catalog = PoCatalog(project=project, version=version,
                                 header_comment=f"# Texts of {project} to translate (Troika).\n#",
                                 copyright_holder="Troika", charset="utf-8",
                                 creation_date=dt.datetime.now(dt.UTC), fuzzy=False)

    def add(self, text: Any, path: Path | str | None, line: int | None,
            comment: str | None = None) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        locations = [(_relative(path), line or 0)] if path else []
        self.catalog.add(text, locations=locations,
                         auto_comments=[comment] if comment else [])

    def __len__(self) -> int:
        return len(self.catalog)


def _relative(path: Path | str) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# sources
# ---------------------------------------------------------------------------
def _python_files(folder: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    files = []
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).parts
        if path.name == "__manifest__.py" or {"tests", "migrations", "__pycache__"} & set(parts):
            continue
        if any(path.is_relative_to(folder / s) for s in skip):
            continue
        files.append(path)
    return files


def extract_code(collector: Collector, path: Path, method: Any = "python",
                 keywords: dict | None = None) -> int:
    """Add the marked texts of one source file; how many were found."""
    count = 0
    with path.open("rb") as handle:
        for line, message, comments, _context in babel_extract(
                method, handle, keywords=keywords or PYTHON_KEYWORDS,
                comment_tags=COMMENT_TAGS, strip_comment_tags=True):
            texts = message if isinstance(message, tuple) else (message,)
            for text in texts:
                if text:
                    collector.add(text, path, line, " ".join(comments) or None)
                    count += 1
    return count


def extract_models(collector: Collector, module: str, registry: Any, classes: list) -> int:
    """Descriptions, field labels, help texts and selection labels of the
    model classes an addon declares."""
    from core.orm.fields import Field, _default_string

    count = 0
    for cls in classes:
        own = vars(cls)
        name = getattr(cls, "_declared_name", None) or own.get("_name") or own.get("_inherit")
        if not isinstance(name, str) or name not in registry.models:
            continue
        path, line = _source_of(cls)
        if own.get("_description"):
            collector.add(own["_description"], path, line, f"model: {name}")
            count += 1
        composed = registry.models[name]._fields
        for field_name, value in own.items():
            if not isinstance(value, Field) or field_name not in composed:
                continue
            args = value.args
            where = f"{name},{field_name}"
            label = args.get("string")
            if label is None and composed[field_name].module == module \
                    and not args.get("related"):
                label = _default_string(field_name)
            texts = [label, args.get("help")]
            for key in ("selection", "selection_add"):
                if isinstance(args.get(key), (list, tuple)):
                    texts += [item[1] for item in args[key]
                              if isinstance(item, (list, tuple)) and len(item) == 2]
            for text in texts:
                if text:
                    collector.add(text, path, line, f"field: {where}")
                    count += 1
    return count


def _source_of(cls: type) -> tuple[Path | None, int | None]:
    try:
        return Path(inspect.getsourcefile(cls) or ""), inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return None, None


def extract_data(collector: Collector, path: Path, registry: Any) -> int:
    """The translatable texts of one data file (XML or CSV)."""
    if path.suffix == ".csv":
        return _extract_csv(collector, path, registry)
    if path.suffix != ".xml":
        return 0
    try:
        root = etree.parse(str(path), _PARSER).getroot()
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{path}:{exc.lineno}: invalid XML: {exc.msg}") from None
    count = 0
    for element in root.iter("record", "menuitem", "state", "transition", "on_enter"):
        for text, line, comment in _element_texts(element, registry):
            collector.add(text, path, line, comment)
            count += 1
    return count


def _element_texts(element: Any, registry: Any) -> Iterator[tuple[str, int, str]]:
    line = element.sourceline
    if element.tag == "menuitem":
        yield element.get("name") or "", line, "record: ir.ui.menu,name"
        return
    if element.tag != "record":
        for attribute in ("string", "message"):
            if element.get(attribute):
                yield element.get(attribute), line, f"workflow {element.tag} {attribute}"
        return
    model_name = element.get("model")
    if model_name not in registry.models:
        return
    fields = registry.models[model_name]._fields
    for field_el in element.iterchildren("field"):
        field = fields.get(field_el.get("name") or "")
        if field is None:
            continue
        if model_name == "ir.ui.view" and field.name in ("arch", "arch_db"):
            view_model = element.findtext("field[@name='model']") or ""
            for child in field_el:
                for text, term_line in arch_terms.terms(child):
                    yield text, term_line or line, f"view: {view_model}".strip()
        elif field.translate and not any(field_el.get(a) for a in ("ref", "eval", "search")):
            text = _field_text(field, field_el)
            if text:
                yield text, field_el.sourceline, f"record: {model_name},{field.name}"


def _field_text(field: Any, element: Any) -> str:
    """The text a data file gives a translated field, as the field stores it."""
    if element.get("type") in ("xml", "html") or field.type == "html":
        parts = [etree.tostring(child, encoding="unicode") for child in element]
        text = ((element.text or "") + "".join(parts)).strip()
    else:
        text = element.text or ""
    if field.type == "html" and field.args.get("sanitize", True):
        from core.orm import html_sanitizer

        return html_sanitizer.sanitize(text)
    if field.type == "char" and getattr(field, "trim", True):
        return text.strip()
    return text


def _extract_csv(collector: Collector, path: Path, registry: Any) -> int:
    import csv

    model_name = path.stem
    if model_name not in registry.models:
        return 0
    fields = registry.models[model_name]._fields
    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = [(index, fields[title.strip()]) for index, title in enumerate(header)
                   if title.strip() in fields and fields[title.strip()].translate]
        for row in reader:
            for index, field in columns:
                if index < len(row) and row[index].strip():
                    collector.add(row[index].strip(), path, reader.line_num,
                                  f"record: {model_name},{field.name}")
                    count += 1
    return count


# ---------------------------------------------------------------------------
# one addon, or the kernel's web catalog
# ---------------------------------------------------------------------------
def _addon(module: str, addons_path: Any) -> tuple[Any, dict]:
    from core.modules import graph

    paths = graph.addons_paths(addons_path)
    import addons as addons_package

    for path in paths:
        if str(path) not in addons_package.__path__:
            addons_package.__path__.append(str(path))
    found = graph.discover(paths)
    if module not in found:
        raise UserError(f"No addon {module!r} in the addons path "
                        f"({', '.join(str(p) for p in paths)})")
    return found[module], found


def _compose(module: str, addons: dict) -> tuple[Any, list]:
    """The registry of the addon and its dependencies, and the addon's classes."""
    from core.modules import graph
    from core.modules.manager import model_classes
    from core.orm.registry import Registry

    registry = Registry()
    own: list = []
    for name in graph.install_order([module], addons):
        classes = model_classes(name, addons[name].path)
        for cls in classes:
            registry.add(cls, module=name)
        if name == module:
            own = classes
    registry.setup()
    return registry, own


def extract(module: str, addons_path: Any = None, progress: Progress | None = None,
            write: bool = True) -> tuple[Path, PoCatalog]:
    """Build (and write, unless ``write=False``) the template of ``module``
    (an addon's name, or ``web`` for the kernel's web catalog)."""
    say = progress or (lambda message: None)
    if module in ("web", WEB):
        return _extract_web(say, write)
    manifest, addons = _addon(module, addons_path)
    collector = Collector(module, manifest.version)
    folder = manifest.path
    say(f"{module}: Python code")
    sources = _python_files(folder)
    if module == "base":
        sources += _python_files(KERNEL, skip=("http", "i18n/vocabulary.py"))
    found = sum(extract_code(collector, path) for path in sources)
    say(f"    {found} texts in {len(sources)} files")
    templates = sorted((folder / "templates").rglob("*.html"))
    if templates:       # pages the addon adds (core/http/web/addon_pages.py)
        found = sum(extract_code(collector, path, _jinja_extract(), JINJA_KEYWORDS)
                    for path in templates)
        say(f"{module}: {found} texts in {len(templates)} templates")
    say(f"{module}: models")
    registry, classes = _compose(module, addons)
    say(f"    {extract_models(collector, module, registry, classes)} texts in "
        f"{len(classes)} classes")
    files = list(dict.fromkeys(manifest.data + manifest.demo))
    for index, relative in enumerate(files, 1):
        count = extract_data(collector, folder / relative, registry)
        say(f"{module}: {relative} ({index}/{len(files)}): {count} texts")
    manifest_file = folder / "__manifest__.py"
    for key, text in (("name", manifest.title), ("summary", manifest.summary),
                      ("description", manifest.description)):
        collector.add(text, manifest_file, None, f"module {key}")
    target = folder / "i18n" / f"{module}.pot"
    if write:
        _write(collector.catalog, target)
    say(f"{module}: {len(collector)} messages -> {_relative(target)}")
    return target, collector.catalog


def _jinja_extract() -> Any:
    from jinja2.ext import babel_extract

    return babel_extract


def _extract_web(say: Progress, write: bool) -> tuple[Path, PoCatalog]:
    from jinja2.ext import babel_extract as jinja_extract

    collector = Collector("web", "1.0")
    templates = sorted(p for p in WEB_PATH.rglob("*.html") if "i18n" not in p.parts)
    for path in templates:
        count = extract_code(collector, path, jinja_extract, keywords=JINJA_KEYWORDS)
        say(f"web: {_relative(path)}: {count} texts")
    python = [Path(__file__).with_name("vocabulary.py"), *_python_files(WEB_PATH)]
    found = sum(extract_code(collector, path) for path in python)
    say(f"web: {found} texts in {len(python)} Python files")
    scripts = sorted(WEB_PATH.rglob("*.js"))
    found = sum(extract_code(collector, path, "javascript", JS_KEYWORDS) for path in scripts)
    say(f"web: {found} texts in {len(scripts)} JavaScript files")
    target = WEB_PATH / "i18n" / "web.pot"
    if write:
        _write(collector.catalog, target)
    say(f"web: {len(collector)} messages -> {_relative(target)}")
    return target, collector.catalog


def _write(catalog: PoCatalog, target: Path, keep_obsolete: bool = False) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, ignore_obsolete=not keep_obsolete)
    target.write_bytes(buffer.getvalue())


# ---------------------------------------------------------------------------
# merging a template into a language
# ---------------------------------------------------------------------------
def catalog_folder(module: str, addons_path: Any = None) -> tuple[Path, str]:
    """(the folder holding ``i18n/``, the template's name) of a module or ``web``."""
    if module in ("web", WEB):
        return WEB_PATH, "web"
    manifest, _found = _addon(module, addons_path)
    return manifest.path, module


def update(module: str, lang: str, addons_path: Any = None,
           progress: Progress | None = None) -> Path:
    """Merge ``i18n/<module>.pot`` into ``i18n/<lang>.po`` (created if needed):
    new texts are added untranslated, translations are kept; the translation
    of a text gone from the template stays in the file as an obsolete entry
    (``#~``, unused) and comes back if the text does; entries with a msgctxt a
    translator added stay while their text is in the template."""
    say = progress or (lambda message: None)
    folder, name = catalog_folder(module, addons_path)
    pot = folder / "i18n" / f"{name}.pot"
    if not pot.is_file():
        raise UserError(f"{_relative(pot)} does not exist; run: python server.py i18n "
                        f"extract {module}")
    with pot.open("rb") as handle:
        template = read_po(handle)
    target = folder / "i18n" / f"{lang}.po"
    catalog = _read_or_new(target, lang, template)
    known = {m.id for m in template if m.id}
    _revive(catalog, {(m.context, m.id) for m in template if m.id})
    before = {(m.context, m.id) for m in catalog if m.id}
    contextual = [m for m in catalog if m.id and m.context and m.string]
    catalog.update(template, no_fuzzy_matching=True)
    for message in contextual:
        if message.id in known and catalog.get(message.id, context=message.context) is None:
            catalog[message.id] = message
            catalog.obsolete.pop((message.id, message.context), None)
    # untranslated texts that left are forgotten; translations are kept, unused
    catalog.obsolete = {key: m for key, m in catalog.obsolete.items() if m.string}
    _write(catalog, target, keep_obsolete=True)
    clear_cache()
    added = sum(1 for m in catalog if m.id and (m.context, m.id) not in before)
    dropped = sum(1 for key in before if key[1] not in known)
    missing = sum(1 for m in catalog if m.id and not m.string)
    say(f"{name}: {len(catalog)} messages in {_relative(target)}: {added} new, {dropped} "
        f"dropped, {missing} untranslated, {len(catalog.obsolete)} obsolete translations "
        "kept (#~)")
    return target


def _read_or_new(target: Path, lang: str, template: PoCatalog) -> PoCatalog:
    if target.is_file():
        with target.open("rb") as handle:
            return read_po(handle, locale=_po_locale(lang))
    return PoCatalog(locale=_po_locale(lang), project=template.project,
                     version=template.version, charset="utf-8", fuzzy=False,
                     copyright_holder="Troika",
                     header_comment=f"# {lang} translations of {template.project} (Troika).\n#")


def _revive(catalog: PoCatalog, wanted: set) -> None:
    """Bring back the obsolete translations of texts the template has again."""
    for key, message in list(catalog.obsolete.items()):
        if (message.context, message.id) in wanted and message.string and \
                catalog.get(message.id, context=message.context) is None:
            catalog.add(message.id, message.string, context=message.context,
                        user_comments=message.user_comments, flags=message.flags)
            del catalog.obsolete[key]


def _po_locale(lang: str) -> str:
    from core.i18n.format import LOCALES

    return LOCALES.get(lang, lang)
