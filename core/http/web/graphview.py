"""The graph view: bar, line and pie charts drawn on the server as inline SVG.

    renderer = GraphRenderer(action_page)    # registered for view_type "graph"
    renderer.render()                        # web/graph.html
    # ?view_type=graph&graph_type=pie&graph_measure=hours : another chart or measure

The arch's ``<field type="row">`` (the default) and ``type="col"`` give
the group-bys (with ``interval`` for dates), the search bar's group-bys
replace them when there are any; the first groups the x axis (or the pie's
slices), the second makes series. ``type="measure"`` fields give the
measure (else the count). The data is one ``read_group`` as the user over
the search's domain; the chart is SVG written here (no charting library):
every bar, point and slice has a ``<title>`` with its label and value, and
a hidden table repeats the data for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from core.http.web.actions import register_view_params
from core.http.web.formats import FormatContext, display
from core.http.web.i18n import _, translate
from core.http.web.renderers import ViewRenderer, register_view_type
from core.i18n import format as i18n

CHART_TYPES = ("bar", "line", "pie")
NUMERIC = ("integer", "float", "monetary")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a")
WIDTH, HEIGHT = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 18, 86

register_view_params("graph_type", "graph_measure")


@dataclass
class ChartData:
    """Values by x label and series: ``values[series][x]``."""

    labels: list[str]
    series: list[str]
    values: list[list[float]]
    measure_label: str
    format: Any                          # number -> text
    totals: list[float] = field(default_factory=list)


def group_label(desc: dict, spec: str, value: Any, fmt: FormatContext) -> str:
    """The text of a read_group group-by value."""
    if value is False or value is None:
        return translate(fmt.env, _("None"))
    if isinstance(value, tuple):
        return str(value[1])
    if ":" in spec or desc["type"] in ("date", "datetime"):
        return str(value)
    return display(desc, value, fmt) or str(value)


def measure_options(fields: dict, env: Any = None) -> list[tuple[str, str]]:
    """(name, label) of the measures a user may choose: stored numbers, and the count
    (its label in the language of ``env``)."""
    options = sorted(((name, desc["string"]) for name, desc in fields.items()
                      if desc["type"] in NUMERIC and desc.get("store", True)
                      and name not in ("id", "sequence")), key=lambda item: item[1].lower())
    return [("__count", translate(env, _("Count"))), *options]


def measure_spec(fields: dict, name: str) -> str | None:
    """The read_group field spec of a measure (None for the count)."""
    if name == "__count":
        return None
    aggregate = fields[name].get("group_operator") or "sum"
    return f"{name}:{aggregate if aggregate in ('sum', 'avg', 'min', 'max') else 'sum'}"


class GraphRenderer(ViewRenderer):
    view_type = "graph"
    icon = "▮"
    template = "web/graph.html"

    def __init__(self, action: Any):
        super().__init__(action)
        self.view = action.view("graph")
        self.arch = self.view.arch
        self.fields = action.fields
        self.fmt = FormatContext.of(action.env)
        self.params = dict(action.search.state.params)

    # -- what to draw -----------------------------------------------------------------------
    def arch_groupbys(self) -> list[str]:
        rows, cols = [], []
        for node in self.arch.iterchildren("field"):
            name, kind = node.get("name"), node.get("type") or "row"
            if name not in self.fields or kind == "measure":
                continue
            spec = f"{name}:{node.get('interval')}" if node.get("interval") else name
            (cols if kind == "col" else rows).append(spec)
        return rows + cols

    def groupbys(self) -> list[str]:
        specs = list(self.action.search.groupby) or self.arch_groupbys()
        return [s for s in specs if self.fields.get(s.split(":")[0], {}).get("groupable")][:2]

    def chart_type(self) -> str:
        wanted = self.params.get("graph_type") or self.arch.get("type") or "bar"
        return wanted if wanted in CHART_TYPES else "bar"

    def measure(self) -> str:
        options = dict(measure_options(self.fields, self.action.env))
        wanted = self.params.get("graph_measure")
        if wanted in options:
            return wanted
        for node in self.arch.iterchildren("field"):
            if node.get("type") == "measure" and node.get("name") in options:
                return node.get("name")
        return "__count"

    def data(self) -> ChartData:
        """One read_group: x labels, series and values, in the read_group's order."""
        measure, groupbys = self.measure(), self.groupbys()
        spec = measure_spec(self.fields, measure)
        result = self.action.model.read_group(self.action.search.domain,
                                              [spec] if spec else [], groupbys, lazy=False)
        key = measure if spec else "__count"
        labels: dict[Any, str] = {}
        series: dict[Any, str] = {}
        cells: dict[tuple, float] = {}
        for group in result:
            x = self._key(group, groupbys[0]) if groupbys else ()
            s = self._key(group, groupbys[1]) if len(groupbys) > 1 else ()
            labels.setdefault(x, self._label(group, groupbys[0]) if groupbys
                              else translate(self.action.env, _("Total")))
            series.setdefault(s, self._label(group, groupbys[1]) if len(groupbys) > 1
                              else self._measure_label(measure))
            cells[(x, s)] = cells.get((x, s), 0) + float(group.get(key) or 0)
        values = [[cells.get((x, s), 0.0) for x in labels] for s in series]
        data = ChartData(list(labels.values()), list(series.values()), values,
                         self._measure_label(measure), self._formatter(measure))
        self._order(data)
        if self.arch.get("cumulated") in ("1", "true", "True") and self.chart_type() == "line":
            data.values = [_cumulate(row) for row in data.values]
        return data

    def _key(self, group: dict, spec: str) -> Any:
        value = group.get(spec)
        return value[0] if isinstance(value, tuple) else value

    def _label(self, group: dict, spec: str) -> str:
        return group_label(self.fields[spec.split(":")[0]], spec, group.get(spec), self.fmt)

    def _measure_label(self, measure: str) -> str:
        return dict(measure_options(self.fields, self.action.env)).get(measure, measure)

    def _formatter(self, measure: str) -> Any:
        desc = self.fields.get(measure)
        if desc is None or desc["type"] == "integer":
            return lambda value: i18n.format_number(value, self.fmt.lang, 0)
        return lambda value: display({**desc, "type": "float"}, value, self.fmt)

    def _order(self, data: ChartData) -> None:
        order = (self.arch.get("order") or "").lower()
        if order not in ("asc", "desc") or not data.labels:
            return
        totals = [sum(row[i] for row in data.values) for i in range(len(data.labels))]
        index = sorted(range(len(totals)), key=totals.__getitem__, reverse=order == "desc")
        data.labels = [data.labels[i] for i in index]
        data.values = [[row[i] for i in index] for row in data.values]

    # -- the page --------------------------------------------------------------------------------
    def url(self, **changes: str) -> str:
        kept = tuple(p for p in self.action.search.state.params if p[0] not in changes)
        return self.action.list_url(params=(*kept, *changes.items()))

    def values(self) -> dict:
        data = self.data()
        kind = self.chart_type()
        stacked = self.arch.get("stacked", "1") not in ("0", "false", "False")
        title = self.arch.get("string") or self.action.spec.name
        empty = translate(self.action.env, _("Nothing to show: no positive value."))
        svg = draw(kind, data, stacked, title, empty) if data.labels else None
        measure = self.measure()
        return {"svg": svg, "data": data, "chart_type": kind,
                "type_links": [(t, self.url(graph_type=t), t == kind) for t in CHART_TYPES],
                "measure_links": [(label, self.url(graph_measure=name), name == measure)
                                  for name, label in measure_options(self.fields,
                                                                     self.action.env)],
                "measure_label": data.measure_label,
                "legend": [(name, PALETTE[i % 12]) for i, name in enumerate(data.series)]
                if len(data.series) > 1 and kind != "pie" else []}

    def render(self) -> Response:
        return self.action.page.render(self.template, **self.action.frame(), **self.values())


def _cumulate(row: list[float]) -> list[float]:
    total, result = 0.0, []
    for value in row:
        total += value
        result.append(total)
    return result


# -- SVG --------------------------------------------------------------------------------------
def draw(kind: str, data: ChartData, stacked: bool, title: str, empty: str = "") -> Markup:
    """The chart as an <svg> element (``empty``: the text of a pie without a slice)."""
    if kind == "pie":
        body = _pie(data, empty)
    else:
        low, high, ticks = _scale(data, stacked and kind == "bar")
        body = _axes(data, low, high, ticks)
        body += _bars(data, low, high, stacked) if kind == "bar" else _lines(data, low, high)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{escape(title)}" class="o-chart o-chart-{kind}">'
            f'<title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def _scale(data: ChartData, stacked: bool) -> tuple[float, float, list[float]]:
    if stacked:
        sums = [[sum(v for v in col if v > 0), sum(v for v in col if v < 0)]
                for col in zip(*data.values, strict=True)]
        high, low = max(s[0] for s in sums), min(s[1] for s in sums)
    else:
        flat = [v for row in data.values for v in row]
        high, low = max(flat), min(flat)
    high, low = max(high, 0.0), min(low, 0.0)
    if high == low:
        high = low + 1
    step = _nice((high - low) / 5)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    ticks = [low + i * step for i in range(int(round((high - low) / step)) + 1)]
    return low, high, ticks


def _nice(raw: float) -> float:
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10 ** exponent
    nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10 ** exponent


def _y(value: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)


def _axes(data: ChartData, low: float, high: float, ticks: list[float]) -> list[str]:
    out = []
    for tick in ticks:
        y = _y(tick, low, high)
        out.append(f'<line class="o-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
                   f'y2="{y:.1f}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(data.format(tick))}</text>')
    out.append(f'<line class="o-axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" '
               f'y2="{HEIGHT - BOTTOM}"/>')
    zero = _y(0, low, high)
    out.append(f'<line class="o-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{zero:.1f}" '
               f'y2="{zero:.1f}"/>')
    slot = (WIDTH - LEFT - RIGHT) / len(data.labels)
    rotate = len(data.labels) > 6
    for index, label in enumerate(data.labels):
        x = LEFT + slot * (index + 0.5)
        y = HEIGHT - BOTTOM + 16
        text = label if len(label) <= 18 else label[:17] + "…"
        transform = f' transform="rotate(-35 {x:.1f} {y})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        out.append(f'<text class="o-label" x="{x:.1f}" y="{y}" text-anchor="{anchor}"'
                   f'{transform}>{escape(text)}</text>')
    return out


def _bars(data: ChartData, low: float, high: float, stacked: bool) -> list[str]:
    out = []
    slot = (WIDTH - LEFT - RIGHT) / len(data.labels)
    count = len(data.series)
    width = slot * 0.7 / (1 if stacked else count)
    for x_index, label in enumerate(data.labels):
        base_pos, base_neg = 0.0, 0.0
        for s_index, series in enumerate(data.series):
            value = data.values[s_index][x_index]
            if stacked:
                start = base_pos if value >= 0 else base_neg
                end = start + value
                base_pos, base_neg = (end, base_neg) if value >= 0 else (base_pos, end)
                x = LEFT + slot * x_index + slot * 0.15
            else:
                start, end = 0.0, value
                x = LEFT + slot * x_index + slot * 0.15 + width * s_index
            y1, y2 = _y(max(start, end), low, high), _y(min(start, end), low, high)
            name = label if count == 1 else f"{label} / {series}"
            text = data.format(value)
            out.append(f'<rect class="o-bar" x="{x:.1f}" y="{y1:.1f}" width="{width:.1f}" '
                       f'height="{max(y2 - y1, 0):.1f}" fill="{PALETTE[s_index % 12]}" '
                       f'data-value="{value}"><title>{escape(name)}: {escape(text)}</title>'
                       f'</rect>')
            if not stacked and value:
                ty = y1 - 4 if value >= 0 else y2 + 12
                out.append(f'<text class="o-value" x="{x + width / 2:.1f}" y="{ty:.1f}" '
                           f'text-anchor="middle">{escape(text)}</text>')
        if stacked:
            total = sum(data.values[s][x_index] for s in range(count))
            ty = _y(max(base_pos, 0), low, high) - 4
            out.append(f'<text class="o-value" x="{LEFT + slot * (x_index + 0.5):.1f}" '
                       f'y="{ty:.1f}" text-anchor="middle">{escape(data.format(total))}</text>')
    return out


def _lines(data: ChartData, low: float, high: float) -> list[str]:
    out = []
    slot = (WIDTH - LEFT - RIGHT) / len(data.labels)
    for s_index, series in enumerate(data.series):
        color = PALETTE[s_index % 12]
        points = [(LEFT + slot * (i + 0.5), _y(v, low, high))
                  for i, v in enumerate(data.values[s_index])]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline class="o-line" points="{path}" stroke="{color}"/>')
        for (x, y), label, value in zip(points, data.labels, data.values[s_index],
                                        strict=True):
            name = label if len(data.series) == 1 else f"{label} / {series}"
            text = escape(data.format(value))
            out.append(f'<circle class="o-point" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                       f'fill="{color}" data-value="{value}"><title>{escape(name)}: {text}'
                       f'</title></circle>')
            if len(data.series) == 1:
                out.append(f'<text class="o-value" x="{x:.1f}" y="{y - 8:.1f}" '
                           f'text-anchor="middle">{text}</text>')
    return out


def _pie(data: ChartData, empty: str) -> list[str]:
    """Slices of the first group-by (series added up); negative values left out."""
    totals = [sum(row[i] for row in data.values) for i in range(len(data.labels))]
    items = [(label, value) for label, value in zip(data.labels, totals, strict=True)
             if value > 0]
    whole = sum(value for _label, value in items)
    if not whole:
        return [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
                f'{escape(empty)}</text>']
    cx, cy, radius = 210.0, HEIGHT / 2, 170.0
    out, angle = [], -math.pi / 2
    for index, (label, value) in enumerate(items):
        share = value / whole
        title = f"{escape(label)}: {escape(data.format(value))} ({share:.1%})"
        color = PALETTE[index % 12]
        if share >= 0.9999:
            out.append(f'<circle class="o-slice" cx="{cx}" cy="{cy}" r="{radius}" '
                       f'fill="{color}" data-value="{value}"><title>{title}</title></circle>')
        else:
            end = angle + share * 2 * math.pi
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
            large = 1 if share > 0.5 else 0
            out.append(f'<path class="o-slice" d="M{cx},{cy} L{x1:.2f},{y1:.2f} '
                       f'A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" fill="{color}" '
                       f'data-value="{value}"><title>{title}</title></path>')
            angle = end
        ly = 40 + index * 24
        out.append(f'<rect class="o-legend" x="430" y="{ly - 11}" width="14" height="14" '
                   f'fill="{color}"/><text x="452" y="{ly}">{title}</text>')
    return out


register_view_type(GraphRenderer)
