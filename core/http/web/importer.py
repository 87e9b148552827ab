"""Importing a CSV file into a list's model, in three steps, as Odoo's base_import.

    GET  /web/action/12/import             the upload form ("Import" on the list)
    POST /web/action/12/import             the file: kept as the user's own attachment
    GET  /web/action/12/import/<file>      preview: first rows, a field for each column
    POST /web/action/12/import/<file>      op=test: a dry run (rolled back), every bad row
                                           op=import: all rows in one transaction, or none

The file is read as UTF-8 (with or without BOM), UTF-16 with a BOM, or, when
UTF-8 fails, as Big5 (CP950, what Excel in Taiwan writes); the separator
(``,`` ``;`` or tab) is the one that splits the first lines into the same
number of columns. Columns are mapped by header: the field's name, its
label in the user's language or in English, ``field/id`` for external ids,
``Label / External ID``, ``lines/field`` for one2many lines. The rows then
go through ``model.load()`` as the user (see core/orm/load.py): nothing is
written unless every row is valid.

The uploaded file is an ``ir.attachment`` of no record (only its creator
sees it), marked ``web import``; it is deleted after a successful import,
and the user's abandoned ones after a day.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.exceptions import UserError
from core.http.web.actions import ListState, load_action, model_action
from core.http.web.controller import Page
from core.http.web.i18n import _, translate
from core.http.web.renderers import ActionPage, register_route
from core.i18n.format import format_number

MARK = "web import"
PREVIEW_ROWS = 10
#: messages shown on the page (all of them are counted)
SHOWN_MESSAGES = 500
ENCODINGS = {"utf-8": "UTF-8", "cp950": "Big5 (CP950)", "utf-16": "UTF-16"}
SEPARATORS = {",": _("Comma"), ";": _("Semicolon"), "\t": _("Tab")}
IMPORTABLE = ("char", "text", "html", "boolean", "integer", "float", "monetary", "date",
              "datetime", "selection", "many2one", "many2many", "one2many")
_FORMULA = re.compile(r"^'[=@+\-]")


class FileError(UserError):
    """A file that cannot be read (its message is a web client ``Message``)."""

    def message_in(self, env: Any) -> str:
        return translate(env, self.args[0])


class _DryRun(Exception):
    def __init__(self, result: dict):
        super().__init__("dry run")
        self.result = result


# ---------------------------------------------------------------------------
# reading the file
# ---------------------------------------------------------------------------
def decode(content: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used): the one asked for, else UTF-8/UTF-16 by BOM,
    UTF-8, then Big5 (CP950)."""
    if encoding:
        try:
            text = content.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except (UnicodeDecodeError, LookupError):
            raise FileError(_("The file cannot be read as %(encoding)s.",
                              encoding=ENCODINGS.get(encoding, encoding))) from None
        return text, encoding
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "utf-16"
    for candidate in ("utf-8", "cp950"):
        try:
            return content.decode("utf-8-sig" if candidate == "utf-8" else candidate), \
                candidate
        except UnicodeDecodeError:
            continue
    raise FileError(_("The file is neither UTF-8 nor Big5 text; save it from the "
                      "spreadsheet as \"CSV UTF-8\"."))


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the same number of columns."""
    sample = "\n".join(text.splitlines()[:30])
    best, best_score = ",", (0.0, 0)
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=separator)
                      if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        score = (widths.count(widths[0]) / len(widths), widths[0])
        if score > best_score:
            best, best_score = separator, score
    return best


@dataclass
class ParsedFile:
    name: str
    encoding: str
    separator: str
    header: list[str]
    rows: list[list[str]]


def parse(name: str, content: bytes, encoding: str | None = None,
          separator: str | None = None) -> ParsedFile:
    text, used = decode(content, encoding or None)
    separator = separator if separator in SEPARATORS else sniff_separator(text)
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
                if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise FileError(_("The file is not a valid CSV file: %(error)s", error=str(exc))) \
            from None
    if not rows:
        raise FileError(_("The file is empty."))
    header = [cell.strip() for cell in rows[0]]
    width = len(header)
    data = [[_unprotect(cell) for cell in (row + [""] * (width - len(row)))[:width]]
            for row in rows[1:]]
    return ParsedFile(name, used, separator, header, data)


def _unprotect(cell: str) -> str:
    """The apostrophe Troika's export puts before formula-like text comes off."""
    return cell[1:] if _FORMULA.match(cell) else cell


# ---------------------------------------------------------------------------
# fields a column may go to, and guessing them from the header
# ---------------------------------------------------------------------------
@dataclass
class FieldOption:
    path: str
    label: str
    words: frozenset[str]


def _norm(text: str) -> str:
    text = re.sub(r"\s*/\s*", "/", text.strip().lower())
    return re.sub(r"\s+", " ", text)


def _importable(desc: dict, name: str) -> bool:
    return desc["type"] in IMPORTABLE and not desc.get("readonly") and name not in (
        "id", "display_name", "create_uid", "create_date", "write_uid", "write_date")


def field_options(model: Any) -> list[FieldOption]:
    """What a column may be imported into, with the words that name each."""
    env = model.env
    ext = translate(env, _("External ID"))
    ext_words = {ext.lower(), "external id", "id"}
    options = [FieldOption("id", ext, frozenset({"id", "external id", ext.lower()}))]
    user, english = model.fields_get(), model.with_context(lang="en_US").fields_get()
    for name, desc in sorted(user.items(), key=lambda item: item[1]["string"].lower()):
        if not _importable(desc, name):
            continue
        label, en = desc["string"], english.get(name, desc)["string"]
        options.append(FieldOption(name, label, frozenset(_norm(w) for w in (name, label, en))))
        if desc["type"] in ("many2one", "many2many", "one2many"):
            words = {f"{base}/{word}" for base in (name, label, en) for word in ext_words}
            options.append(FieldOption(f"{name}/id", f"{label} / {ext}",
                                       frozenset(_norm(w) for w in words)))
        if desc["type"] == "one2many":
            options.extend(_line_options(model, name, desc, label, en))
    return options


def _line_options(model: Any, name: str, desc: dict, label: str, en: str
                  ) -> list[FieldOption]:
    comodel = model.env[desc["relation"]]
    if not comodel.check_access_rights("create", raise_exception=False):
        return []
    parent = desc.get("relation_field")
    user, english = comodel.fields_get(), comodel.with_context(lang="en_US").fields_get()
    options = []
    for sub, sdesc in sorted(user.items(), key=lambda item: item[1]["string"].lower()):
        if sub == parent or not _importable(sdesc, sub) or sdesc["type"] == "one2many":
            continue
        slabel, sen = sdesc["string"], english.get(sub, sdesc)["string"]
        words = {f"{a}/{b}" for a in (name, label, en) for b in (sub, slabel, sen)}
        options.append(FieldOption(f"{name}/{sub}", f"{label} / {slabel}",
                                   frozenset(_norm(w) for w in words)))
    return options


def guess_mapping(header: list[str], options: list[FieldOption]) -> list[str]:
    """The field path of each column ('' for none); a field takes the first column."""
    taken: set[str] = set()
    result = []
    for title in header:
        wanted = _norm(title)
        found = next((o.path for o in options if wanted in o.words and o.path not in taken), "")
        if found:
            taken.add(found)
        result.append(found)
    return result


# ---------------------------------------------------------------------------
# running it
# ---------------------------------------------------------------------------
def run_import(model: Any, fields: list[str], rows: list[list[str]], dryrun: bool) -> dict:
    """``model.load()`` in a savepoint; a dry run (or a failed load) leaves nothing."""
    try:
        with model.env.transaction.atomic(savepoint=True):
            result = model.load(fields, rows)
            if dryrun:
                raise _DryRun(result)
    except _DryRun as done:
        result = done.result
    return result


def error_rows(result: dict, fields: list[str], header: list[str], columns: list[int]
               ) -> list[dict]:
    """The messages of a load as table rows: spreadsheet row, column title, text."""
    titles = {path: header[columns[i]] for i, path in enumerate(fields)}
    rows = []
    for message in result["messages"]:
        span = message.get("rows")
        row = f"{span['from'] + 2}" if span and span["from"] == span["to"] else \
            f"{span['from'] + 2}–{span['to'] + 2}" if span else ""
        path = message.get("field_path")
        column = titles.get(path, message.get("field_name", "")) if path else ""
        rows.append({"row": row, "column": column, "message": message["message"],
                     "type": message["type"]})
    return rows


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------
def _action(page: Page, action_id: int | None, model: str | None) -> ActionPage:
    spec = load_action(page.env, action_id) if action_id else model_action(page.env, model)
    return ActionPage(page, spec, ListState.from_args(page.request.args))


def user_model(action: ActionPage) -> Any:
    """The action's model as the user, in their language and time zone (the
    action's context added to the user's, not in place of it)."""
    return action.env[action.spec.model].with_context(**action.spec.context)


def _frame(action: ActionPage) -> dict:
    return {**action.frame(), "breadcrumbs": [*action.breadcrumbs(), (_("Import"), None)],
            "title": _("Import")}


def _upload_limit(env: Any) -> int:
    from core.http.web.attachments import max_upload_size

    return max_upload_size(env)


def upload(page: Page, action_id: int | None = None, model: str | None = None) -> Response:
    action = _action(page, action_id, model)
    user_model(action).check_access_rights("create")
    values = {**_frame(action), "encodings": ENCODINGS, "separators": SEPARATORS}
    if page.request.method == "GET":
        return page.render("web/import_upload.html", **values)
    upload = page.request.files.get("file")
    if not isinstance(upload, FileStorage) or not upload.filename:
        return page.render("web/import_upload.html", status=422, **values,
                           error=_("Choose a CSV file to import."))
    limit = _upload_limit(page.env)
    content = upload.read(limit + 1)
    if len(content) > limit:
        message = _("The file is larger than %(size)s.", size=_size(limit))
        return page.render("web/import_upload.html", status=413, **values,
                           error=translate(page.env, message))
    attachments = page.env["ir.attachment"]
    stale = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=1)
    attachments.search([("description", "=", MARK), ("create_uid", "=", page.env.uid),
                        ("create_date", "<", stale)]).unlink()
    stored = attachments.create({"name": upload.filename, "raw": content, "description": MARK,
                                 "mimetype": "text/csv"})
    query = urlencode([(k, page.request.form[k]) for k in ("encoding", "separator")
                       if page.request.form.get(k) in (*ENCODINGS, "tab", ",", ";")])
    return redirect(f"{action.spec.base_url}/import/{stored.id}" + (f"?{query}" if query
                                                                      else ""))


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} B"


def preview(page: Page, file_id: int, action_id: int | None = None,
            model: str | None = None) -> Response:
    action = _action(page, action_id, model)
    target = user_model(action)
    target.check_access_rights("create")
    stored = page.env["ir.attachment"].search([("id", "=", file_id),
                                               ("description", "=", MARK)])
    if not stored:
        raise NotFound(_("This import file is gone; upload it again."))
    source = page.request.form if page.request.method == "POST" else page.request.args
    encoding = source.get("encoding") if source.get("encoding") in ENCODINGS else None
    separator = {"tab": "\t"}.get(source.get("separator", ""), source.get("separator"))
    try:
        parsed = parse(stored.name, stored.raw or b"", encoding, separator)
    except FileError as exc:
        return _render(page, action, stored, None, [], error=exc.message_in(page.env),
                       status=422)
    options = field_options(target)
    mapping = guess_mapping(parsed.header, options)
    op = page.request.form.get("op") if page.request.method == "POST" else None
    if op in ("test", "import"):
        known = {o.path for o in options}
        mapping = [v if v in known else "" for v in
                   (page.request.form.get(f"col_{i}", "") for i in range(len(parsed.header)))]
        return _execute(page, action, stored, parsed, options, mapping, dryrun=op == "test")
    if op not in (None, "reload"):
        raise BadRequest(_("Unknown operation %(op)s", op=op))
    return _render(page, action, stored, parsed, options, mapping=mapping)


def _execute(page: Page, action: ActionPage, stored: Any, parsed: ParsedFile,
             options: list[FieldOption], mapping: list[str], dryrun: bool) -> Response:
    env = page.env
    columns = [i for i, path in enumerate(mapping) if path]
    fields = [mapping[i] for i in columns]
    if not fields:
        return _render(page, action, stored, parsed, options, mapping=mapping, status=422,
                       error=_("Choose the field of at least one column."))
    doubles = sorted({p for p in fields if fields.count(p) > 1})
    if doubles:
        labels = {o.path: o.label for o in options}
        message = _("Several columns go to %(fields)s; choose one.",
                    fields=", ".join(labels[p] for p in doubles))
        return _render(page, action, stored, parsed, options, mapping=mapping, status=422,
                       error=message)
    rows = [[row[i] for i in columns] for row in parsed.rows]
    started = time.monotonic()
    result = run_import(user_model(action), fields, rows, dryrun)
    seconds = f"{time.monotonic() - started:.1f}"
    problems = error_rows(result, fields, parsed.header, columns)
    count = format_number(len(parsed.rows), env.lang, 0)
    if result["ids"] is False:
        errors = sum(1 for p in problems if p["type"] == "error")
        summary = _("%(errors)s problems in %(rows)s rows; nothing was imported.",
                    errors=errors, rows=count)
        return _render(page, action, stored, parsed, options, mapping=mapping, status=422,
                       problems=problems, error=translate(env, summary))
    if dryrun:
        summary = _("All %(rows)s rows can be imported (checked in %(seconds)s s); nothing "
                    "was written yet.", rows=count, seconds=seconds)
        return _render(page, action, stored, parsed, options, mapping=mapping,
                       problems=problems, success=translate(env, summary))
    stored.unlink()
    done = _("%(count)s records were imported from %(rows)s rows in %(seconds)s s.",
             count=format_number(len(result["ids"]), env.lang, 0), rows=count,
             seconds=seconds)
    return page.render("web/import_done.html", **_frame(action), message=translate(env, done),
                       problems=problems, list_url=action.list_url())


def _render(page: Page, action: ActionPage, stored: Any, parsed: ParsedFile | None,
            options: list[FieldOption], status: int = 200, **values: Any) -> Response:
    problems = values.pop("problems", [])
    return page.render(
        "web/import_preview.html", status=status, **_frame(action), file=stored,
        parsed=parsed, options=options, encodings=ENCODINGS,
        separators=SEPARATORS, preview_rows=parsed.rows[:PREVIEW_ROWS] if parsed else [],
        row_count=format_number(len(parsed.rows), page.env.lang, 0) if parsed else "0",
        problems=problems[:SHOWN_MESSAGES], more=max(0, len(problems) - SHOWN_MESSAGES),
        import_url=f"{action.spec.base_url}/import/{stored.id}",
        upload_url=f"{action.spec.base_url}/import", list_url=action.list_url(),
        mapping=values.pop("mapping", []), **values)


_SCOPES = ("/web/action/<int:action_id>", "/web/model/<string:model>")
for _scope in _SCOPES:
    register_route(f"{_scope}/import", "import_upload", upload, ("GET", "POST"), "page")
    register_route(f"{_scope}/import/<int:file_id>", "import_preview", preview,
                   ("GET", "POST"), "page")
