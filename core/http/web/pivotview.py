"""The pivot view: measures by row and column groups, with totals, expandable headers,
flipped axes and CSV/XLSX export.

    renderer = PivotRenderer(action_page)     # registered for view_type "pivot"
    renderer.render()                         # web/pivot.html
    # ?view_type=pivot&pivot_set=1&pivot_row=stage_id&pivot_row=user_id
    #     &pivot_col=deadline:month&pivot_measure=hours   : the table's state
    # ?...&fragment=pivot_export&format=csv|xlsx            : the table as a file

Rows and columns are lists of group-bys (the arch's ``type="row"`` and
``type="col"`` fields at first; the search bar's group-bys become the
rows). Expanding a header adds a group-by to its axis (every header of
that level is split: the axes are levels, kept in the URL), clicking an
expanded header collapses its level. One ``read_group`` (``lazy=False``)
per combination of row level and column level gives every cell, subtotal
and total: (rows + 1) x (columns + 1) queries whatever the number of
records.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from core.http.web.actions import register_view_params
from core.http.web.formats import FormatContext, display
from core.http.web.graphview import group_label, measure_options, measure_spec
from core.http.web.i18n import _, translate
from core.http.web.renderers import ViewRenderer, register_view_type
from core.i18n import format as i18n

MAX_LEVELS = 4
_PARAMS = ("pivot_set", "pivot_row", "pivot_col", "pivot_measure")

register_view_params(*_PARAMS)


@dataclass
class Header:
    path: tuple                   # the group values from the root (ids for relations)
    label: str
    depth: int
    count: int = 0
    url: str | None = None        # collapse (an expanded header)
    expandable: bool = False      # a header of the deepest level: it may be split
    span: int = 1                 # columns under it (column headers)


@dataclass
class Table:
    rows: list[str]
    cols: list[str]
    measures: list[tuple[str, str]]            # (name, label)
    row_headers: list[Header]
    col_levels: list[list[Header]]             # headers of each column level (1..n)
    col_leaves: list[Header]                   # the deepest column headers
    root: Header                               # the column total
    cells: list[list[Any]] = field(default_factory=list)   # per row: values per leaf+total
    #: (label, url) of the group-bys that split the deepest row / column level
    row_options: list[tuple[str, str]] = field(default_factory=list)
    col_options: list[tuple[str, str]] = field(default_factory=list)


def openpyxl_available() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


class PivotRenderer(ViewRenderer):
    view_type = "pivot"
    icon = "⊞"
    template = "web/pivot.html"

    def __init__(self, action: Any):
        super().__init__(action)
        self.view = action.view("pivot")
        self.arch = self.view.arch
        self.fields = action.fields
        self.fmt = FormatContext.of(action.env)
        self.params = action.search.state.params

    # -- the axes ---------------------------------------------------------------------------
    def _valid(self, spec: str) -> bool:
        name, _sep, interval = spec.partition(":")
        desc = self.fields.get(name)
        if not desc or not desc.get("groupable"):
            return False
        dated = desc["type"] in ("date", "datetime")
        return (not interval and not dated) or (dated and interval in (
            "", "day", "week", "month", "quarter", "year"))

    def arch_axes(self) -> tuple[list[str], list[str], list[str]]:
        rows, cols, measures = [], [], []
        for node in self.arch.iterchildren("field"):
            name, kind = node.get("name"), node.get("type") or "row"
            if name not in self.fields:
                continue
            if kind == "measure":
                measures.append(name)
                continue
            spec = f"{name}:{node.get('interval')}" if node.get("interval") else name
            (cols if kind == "col" else rows).append(spec)
        if self.arch.get("display_quantity") in ("1", "true", "True") or not measures:
            measures = ["__count", *measures]
        return rows, cols, measures

    def axes(self) -> tuple[list[str], list[str], list[str]]:
        """(row group-bys, column group-bys, measures) of the URL, else of the arch."""
        values = {key: [v for k, v in self.params if k == key] for key in _PARAMS}
        if values["pivot_set"]:
            rows, cols, measures = values["pivot_row"], values["pivot_col"], \
                values["pivot_measure"]
        else:
            rows, cols, measures = self.arch_axes()
        if self.action.search.groupby:
            rows = list(self.action.search.groupby)
        options = dict(measure_options(self.fields, self.action.env))
        rows = [s for s in dict.fromkeys(rows) if self._valid(s)][:MAX_LEVELS]
        cols = [s for s in dict.fromkeys(cols) if self._valid(s) and s not in rows][:MAX_LEVELS]
        measures = [m for m in dict.fromkeys(measures) if m in options] or ["__count"]
        return rows, cols, measures

    def url(self, rows: list[str], cols: list[str], measures: list[str],
            **extra: str) -> str:
        kept = tuple(p for p in self.params if p[0] not in _PARAMS)
        params = (*kept, ("pivot_set", "1"), *(("pivot_row", r) for r in rows),
                  *(("pivot_col", c) for c in cols), *(("pivot_measure", m) for m in measures))
        url = self.action.list_url(params=params, groupby=())
        return url + "".join(f"&{k}={quote(v)}" for k, v in extra.items())

    def groupby_options(self, used: list[str]) -> list[tuple[str, str]]:
        """(label, spec) a header can be split by: the search view's group-bys, then
        every groupable field (dates by month)."""
        found: dict[str, str] = {}
        for item in self.action.search.groupbys:
            if item.groupby and self._valid(item.groupby[0]):
                found.setdefault(item.groupby[0], item.string)
        for name, label in self.action.search.groupable_fields():
            kind = self.fields[name]["type"]
            spec = f"{name}:month" if kind in ("date", "datetime") else name
            if self._valid(spec) and kind not in ("integer", "float", "monetary", "text",
                                                  "html", "binary"):
                found.setdefault(spec, label)
        return [(label, spec) for spec, label in found.items()
                if spec not in used and spec.split(":")[0] not in
                {u.split(":")[0] for u in used}]

    # -- the data ----------------------------------------------------------------------------
    def _key(self, group: dict, specs: list[str]) -> tuple:
        values = []
        for spec in specs:
            value = group.get(spec)
            values.append(value[0] if isinstance(value, tuple) else value)
        return tuple(values)

    def _read(self, rows: list[str], cols: list[str], measures: list[str]) -> dict:
        """{(row level, col level): {key: group}}: one read_group per pair of levels."""
        specs = [s for s in (measure_spec(self.fields, m) for m in measures) if s]
        domain = self.action.search.domain
        found: dict[tuple[int, int], dict[tuple, dict]] = {}
        for i in range(len(rows) + 1):
            for j in range(len(cols) + 1):
                groupby = rows[:i] + cols[:j]
                result = self.action.model.read_group(domain, specs, groupby, lazy=False)
                found[(i, j)] = {self._key(g, groupby): g for g in result}
        return found

    def _tree(self, levels: list[dict], specs: list[str]) -> list[Header]:
        """Headers in depth-first order (a parent before its children)."""
        children: dict[tuple, list[tuple[tuple, dict]]] = {}
        for depth in range(1, len(specs) + 1):
            for key, group in levels[depth].items():
                children.setdefault(key[:-1], []).append((key, group))
        root_group = next(iter(levels[0].values()), {"__count": 0})
        ordered: list[Header] = []

        def walk(key: tuple, group: dict, depth: int) -> None:
            spec = specs[depth - 1] if depth else None
            label = group_label(self.fields[spec.split(":")[0]], spec, group.get(spec),
                                self.fmt) if spec else translate(self.action.env, _("Total"))
            ordered.append(Header(path=key, label=label, depth=depth,
                                  count=group.get("__count", 0)))
            for child, child_group in children.get(key, []):
                walk(child, child_group, depth + 1)

        walk((), root_group, 0)
        return ordered

    def table(self) -> Table:
        rows, cols, measures = self.axes()
        data = self._read(rows, cols, measures)
        row_headers = self._tree([data[(i, 0)] for i in range(len(rows) + 1)], rows)
        col_tree = self._tree([data[(0, j)] for j in range(len(cols) + 1)], cols)
        root, col_headers = col_tree[0], col_tree[1:]
        leaves = [h for h in col_headers if h.depth == len(cols)]
        for header in col_headers:
            header.span = sum(1 for leaf in leaves if leaf.path[:header.depth] == header.path)
        levels = [[h for h in col_headers if h.depth == d] for d in range(1, len(cols) + 1)]
        labels = dict(measure_options(self.fields, self.action.env))
        table = Table(rows=rows, cols=cols, measures=[(m, labels[m]) for m in measures],
                      row_headers=row_headers, col_levels=levels, col_leaves=leaves,
                      root=root)
        for header in row_headers:
            values = []
            for column in [*leaves, root]:
                group = data[(header.depth, column.depth)].get(header.path + column.path)
                for measure in measures:
                    values.append((group.get(measure) or 0) if group else None)
            table.cells.append(values)
        self._links(table, measures)
        return table

    def _links(self, table: Table, measures: list[str]) -> None:
        """Collapse links of expanded headers; the split menus of the deepest levels."""
        rows, cols = table.rows, table.cols
        options = self.groupby_options(rows + cols)
        table.row_options = [(label, self.url([*rows, spec], cols, measures))
                             for label, spec in options]
        table.col_options = [(label, self.url(rows, [*cols, spec], measures))
                             for label, spec in options]
        for header in table.row_headers:
            if header.depth < len(rows):
                header.url = self.url(rows[:header.depth], cols, measures)
            header.expandable = header.depth == len(rows) and bool(options)
        for header in [table.root, *(h for level in table.col_levels for h in level)]:
            if header.depth < len(cols):
                header.url = self.url(rows, cols[:header.depth], measures)
            header.expandable = header.depth == len(cols) and bool(options)

    def text(self, measure: str, value: Any) -> str:
        if value is None:
            return ""
        desc = self.fields.get(measure)
        if desc is None or desc["type"] == "integer":
            return i18n.format_number(value, self.fmt.lang, 0)
        return display({**desc, "type": "float"}, value, self.fmt)

    # -- the page and the file -------------------------------------------------------------------
    def values(self) -> dict:
        table = self.table()
        rows, cols, measures = table.rows, table.cols, [m for m, _label in table.measures]
        base = self.url(rows, cols, measures)
        toggles = [(label, self.url(rows, cols, [m for m in measures if m != name]
                                    if name in measures else [*measures, name]),
                    name in measures)
                   for name, label in measure_options(self.fields, self.action.env)]
        return {"table": table, "fmt_cell": self.text,
                "flip_url": self.url(cols, rows, measures), "measure_toggles": toggles,
                "csv_url": base + "&fragment=pivot_export&format=csv",
                "xlsx_url": base + "&fragment=pivot_export&format=xlsx"
                if openpyxl_available() else None}

    def render(self) -> Response:
        return self.action.page.render(self.template, **self.action.frame(), **self.values())

    def grid(self, table: Table) -> list[list[Any]]:
        """The table as rows of plain values (headers as text, numbers as numbers)."""
        measures = table.measures
        lines: list[list[Any]] = []
        for level in table.col_levels:
            line: list[Any] = [""]
            for header in level:
                line += [header.label] + [""] * (header.span * len(measures) - 1)
            lines.append(line + [table.root.label] + [""] * (len(measures) - 1))
        columns = [*table.col_leaves, table.root]
        lines.append([""] + [label for _column in columns for _name, label in measures])
        for header, values in zip(table.row_headers, table.cells, strict=True):
            lines.append(["  " * header.depth + header.label, *values])
        return lines

    def fragment(self) -> Response | None:
        args = self.action.page.request.args
        if args.get("fragment") != "pivot_export":
            return None
        kind = args.get("format") or "csv"
        grid = self.grid(self.table())
        name = (self.arch.get("string") or self.action.spec.name or "pivot").replace("/", "-")
        if kind == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerows([["" if v is None else v for v in line]
                                          for line in grid])
            body, mimetype, extension = buffer.getvalue().encode("utf-8-sig"), \
                "text/csv", "csv"
        elif kind == "xlsx" and openpyxl_available():
            body, mimetype, extension = _xlsx(grid), \
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        else:
            raise BadRequest(_("Unknown export format"))
        response = Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = \
            f"attachment; filename*=UTF-8''{quote(name)}.{extension}"
        return response


def _xlsx(grid: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in grid:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


register_view_type(PivotRenderer)
