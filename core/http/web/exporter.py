"""Exporting records of a list to CSV or XLSX, as Odoo's export dialog.

    POST /web/action/12/selection  op=export     the options, for the selected records
    GET  /web/action/12/export?<list state>      the options, for the whole search
    POST /web/action/12/export?<list state>      the file: the ``ids`` posted, else the search

The options page proposes the list's columns (checked) and every other
field the user may read, with the fields of related records one level
down (``partner_id/name``); deeper paths can be typed. Values come from
``export_data`` as the user (display names, selection labels in their
language, datetimes in their time zone).

CSV is UTF-8 with a BOM (Excel then reads Chinese right), comma-separated;
numbers are written without grouping, dates in the user's numeric form.
XLSX (openpyxl) has a bold header row, real numbers and dates. Text that
a spreadsheet would run as a formula (``=``, ``@``, ``+``/``-`` followed
by something else than a number) gets a leading apostrophe in CSV and is
stored as text in XLSX. The file is built in a spooled temporary file
(memory, then disk) and streamed, named ``<model> (<date>).csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from core.http.web.actions import ListState, load_action, model_action
from core.http.web.controller import Page
from core.http.web.i18n import _, translate
from core.http.web.importer import user_model
from core.http.web.renderers import ActionPage, register_route, register_selection_action
from core.i18n.format import format_date, format_datetime

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
EXPORTABLE_SKIP = ("binary",)
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+\-](?![\d\s().,]*$))")
_SPOOL = 8 * 1024 * 1024
#: files up to this size are sent in one piece, larger ones streamed
_IN_ONE_PIECE = 1024 * 1024


@dataclass
class ExportField:
    path: str
    label: str
    children: list[ExportField] | None = None


# ---------------------------------------------------------------------------
# fields
# ---------------------------------------------------------------------------
def _readable_fields(model: Any) -> dict[str, dict]:
    return {name: desc for name, desc in model.fields_get().items()
            if desc["type"] not in EXPORTABLE_SKIP and name != "display_name"}


def field_tree(model: Any) -> list[ExportField]:
    """Every field the user may read, relational ones with their own fields."""
    env = model.env
    result = [ExportField("id", translate(env, _("External ID")))]
    for name, desc in sorted(_readable_fields(model).items(),
                             key=lambda item: item[1]["string"].lower()):
        item = ExportField(name, desc["string"])
        relation = desc.get("relation")
        if relation and env[relation].check_access_rights("read", raise_exception=False):
            item.children = [ExportField(f"{name}/id", translate(env, _("External ID")))] + [
                ExportField(f"{name}/{sub}", f"{desc['string']}/{sdesc['string']}")
                for sub, sdesc in sorted(_readable_fields(env[relation]).items(),
                                         key=lambda i: i[1]["string"].lower())
                if sdesc["type"] not in ("one2many", "many2many")]
        result.append(item)
    return result


def resolve(model: Any, path: str) -> str:
    """The label of a field path (``partner_id/country_id/code``); ValueError if the
    user may not read it or it names no field."""
    labels = []
    current = model
    parts = path.split("/")
    for index, part in enumerate(parts):
        if part in ("id", ".id") and index == len(parts) - 1:
            labels.append(translate(model.env, _("External ID")) if part == "id" else "ID")
            break
        desc = _readable_fields(current).get(part)
        if desc is None:
            raise ValueError(path)
        labels.append(desc["string"])
        if index < len(parts) - 1:
            if not desc.get("relation"):
                raise ValueError(path)
            current = model.env[desc["relation"]]
            current.check_access_rights("read")
    return "/".join(labels)


def default_fields(action: ActionPage) -> list[str]:
    """The list's columns."""
    from core.http.web.listview import ListRenderer

    return [c.name for c in ListRenderer(action).columns if c.type not in EXPORTABLE_SKIP]


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------
class Formatter:
    """export_data values as a person reads them, for CSV (text) or XLSX (typed)."""

    def __init__(self, env: Any, typed: bool):
        self.env = env
        self.lang = env.lang
        self.typed = typed
        self.yes, self.no = translate(env, _("Yes")), translate(env, _("No"))

    def __call__(self, value: Any) -> Any:
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, (dt.datetime, dt.date)):
            if self.typed:
                return value
            if isinstance(value, dt.datetime):
                return format_datetime(value, self.lang, None)
            return format_date(value, self.lang)
        if isinstance(value, (int, float)):
            return value if self.typed else repr(value) if isinstance(value, float) \
                else str(value)
        return "" if value is None else str(value)


def write_csv(header: list[str], rows: list[list], env: Any) -> Any:
    fmt = Formatter(env, typed=False)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_protect(fmt(v)) for v in row])
    text.flush()
    text.detach()
    spool.seek(0)
    return spool


def _protect(text: str) -> str:
    return f"'{text}" if _FORMULA.match(text) else text


def write_xlsx(header: list[str], rows: list[list], env: Any, title: str) -> Any:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    fmt = Formatter(env, typed=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(name) + 4, 12), 50)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, name, WriteOnlyCell, font=bold) for name in header])
    for row in rows:
        cells = []
        for value in row:
            value = fmt(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cells.append(_cell(sheet, value, WriteOnlyCell))
        sheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    book.save(spool)
    spool.seek(0)
    return spool


def _cell(sheet: Any, value: Any, cell_class: Any, font: Any = None) -> Any:
    cell = cell_class(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"        # never a formula
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def filename(model_name: str, extension: str, env: Any) -> str:
    from core.i18n.format import to_user_time

    today = to_user_time(dt.datetime.now(dt.UTC), env.context.get("tz")).date()
    return f"{model_name} ({today.isoformat()}).{extension}"


def download(spool: Any, name: str, mimetype: str, environ: dict) -> Response:
    """The file as a download: small ones in one piece, larger ones streamed from
    the temporary file (closed with the response)."""
    ascii_name = re.sub(r'[^\x20-\x7e]|["\\]', "_", name)
    if spool.seek(0, 2) <= _IN_ONE_PIECE:
        spool.seek(0)
        response = Response(spool.read(), mimetype=mimetype)
        spool.close()
    else:
        spool.seek(0)
        response = Response(wrap_file(environ, spool), mimetype=mimetype,
                            direct_passthrough=True)
        response.call_on_close(spool.close)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------
def _action(page: Page, action_id: int | None, model: str | None) -> ActionPage:
    spec = load_action(page.env, action_id) if action_id else model_action(page.env, model)
    return ActionPage(page, spec, ListState.from_args(page.request.args))


def options_page(action: ActionPage, ids: list[int] | None, error: str | None = None,
                 status: int = 200) -> Response:
    defaults = default_fields(action)
    tree = field_tree(user_model(action))
    by_path = {item.path: item for item in tree}
    ordered = [by_path[p] for p in defaults if p in by_path] + \
        [item for item in tree if item.path not in defaults]
    count = len(ids) if ids is not None else action.model.search_count(action.search.domain)
    return action.page.render(
        "web/export.html", status=status, **{
            **action.frame(), "breadcrumbs": [*action.breadcrumbs(), (_("Export"), None)]},
        fields=ordered,
        checked=set(defaults), ids=ids or [], selected=ids is not None, count=count,
        export_url=f"{action.spec.base_url}/export?{action.search.state.query()}",
        list_url=action.list_url(), error=error)


def export_selected(action: ActionPage, records: Any) -> Response:
    """The selection action: the options page for these records."""
    return options_page(action, records.ids)


def export(page: Page, action_id: int | None = None, model: str | None = None) -> Response:
    action = _action(page, action_id, model)
    target = user_model(action)
    target.check_access_rights("read")
    if page.request.method == "GET":
        return options_page(action, None)
    form = page.request.form
    ids = [int(v) for v in form.getlist("ids") if v.isdigit()]
    paths = [p for p in form.getlist("fields") if p]
    paths += [p.strip() for p in (form.get("extra") or "").splitlines() if p.strip()]
    paths = list(dict.fromkeys(paths))
    kind = form.get("format", "csv")
    if kind not in FORMATS:
        raise BadRequest(_("Unknown format"))
    selected = ids if form.get("selected") else None
    if not paths:
        message = _("Choose at least one field.")
        return options_page(action, selected, translate(page.env, message), 422)
    try:
        labels = [resolve(target, p) for p in paths]
    except ValueError as exc:
        message = _("%(path)s is not a field you may export.", path=str(exc))
        return options_page(action, selected, translate(page.env, message), 422)
    header = paths if form.get("import_compat") else labels
    records = target.browse(ids).exists() if form.get("selected") else \
        target.search(action.search.domain, order=_order(action))
    rows = records.export_data(paths)["datas"]
    spool = write_csv(header, rows, page.env) if kind == "csv" else \
        write_xlsx(header, rows, page.env, action.spec.name or action.spec.model)
    return download(spool, filename(action.spec.model, kind, page.env), FORMATS[kind],
                    page.request.environ)


def _order(action: ActionPage) -> str | None:
    """The list's order (its sorting, else its default order)."""
    from core.http.web.listview import ListRenderer

    return ListRenderer(action).order()


register_selection_action("export", _("Export"), export_selected)
for _scope in ("/web/action/<int:action_id>", "/web/model/<string:model>"):
    register_route(f"{_scope}/export", "export", export, ("GET", "POST"), "page")
