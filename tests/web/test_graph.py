"""The graph view: SVG bars, lines and pies whose values are read_group's, measures and
chart types from the page, the search's group-bys and domain, escaping, rights."""

from __future__ import annotations

import re

from tests.web import twv_support
from tests.web.conftest import text
from tests.web.twv_support import action_url

views_web = twv_support.views_web


def graph(web, login: str = "demo", **query):
    return web.client(login).get(action_url(web, view_type="graph", **query))


def shapes(html: str, tag: str) -> list[tuple[str, float]]:
    """(title, value) of the bars (rect), points (circle) or slices (path/circle)."""
    svg = html[html.index("<svg"):html.index("</svg>")]
    return [(title, float(value)) for value, title in re.findall(
        rf'<{tag} class="o-(?:bar|point|slice)"[^>]*data-value="([-\d.e]+)"><title>([^<]*)'
        rf'</title>', svg)]


def expected(web, login: str, measure: str, groupby: list[str], domain=None) -> dict:
    with web.env(login) as env:
        result = env["twv.task"].read_group(domain or [], [f"{measure}:sum"], groupby,
                                            lazy=False)
    found = {}
    for group in result:
        label = group[groupby[0]][1] if group[groupby[0]] else "None"
        found[label] = group[measure]
    return found


def test_bars_hold_the_read_group_values(views_web):
    response = graph(views_web)
    assert response.status_code == 200
    html = text(response)
    bars = shapes(html, "rect")
    want = expected(views_web, "demo", "hours", ["stage_id"])
    assert {title.split(":")[0]: value for title, value in bars} == want
    assert ("Backlog: 5.00", 5.0) in bars
    assert 'role="img" aria-label="Hours by stage"' in html
    assert '<text class="o-label" x="161.0" y="330" text-anchor="middle">Backlog</text>' in html
    # the hidden table repeats the data
    assert '<tr><th scope="row">Backlog</th><td>5.00</td></tr>' in html


def test_another_measure_from_the_page(views_web):
    html = text(graph(views_web))
    link = re.search(r'<a href="([^"]*graph_measure=amount[^"]*)"', html).group(1)
    html = text(views_web.client("demo").get(link.replace("&amp;", "&")))
    bars = dict(shapes(html, "rect"))
    assert bars == {f"{label}: {value:,.2f}": value for label, value in
                    expected(views_web, "demo", "amount", ["stage_id"]).items()}
    counts = dict(shapes(text(graph(views_web, graph_measure="__count")), "rect"))
    assert counts == {"Backlog: 2": 2.0, "Doing: 1": 1.0, "Archive: 1": 1.0, "None: 1": 1.0}


def test_pie(views_web):
    html = text(graph(views_web, graph_type="pie"))
    slices = shapes(html, "path")
    total = sum(expected(views_web, "demo", "hours", ["stage_id"]).values())
    assert [title for title, _value in slices] == [
        "Backlog: 5.00 (33.3%)", "Doing: 5.00 (33.3%)", "Archive: 1.00 (6.7%)",
        "None: 4.00 (26.7%)"]
    assert sum(value for _title, value in slices) == total
    assert html.count('class="o-legend"') == 4
    assert 'aria-current="true">Pie</a>' in html


def test_line_by_the_search_group_by(views_web):
    html = text(graph(views_web, graph_type="line", groupby="user_id"))
    points = shapes(html, "circle")
    assert points == [(f"{label}: {value:,.2f}", value) for label, value in
                      expected(views_web, "demo", "hours", ["user_id"]).items()]
    assert '<polyline class="o-line"' in html


def test_two_group_bys_make_stacked_series(views_web):
    html = text(graph(views_web, groupby=["stage_id", "user_id"]))
    bars = shapes(html, "rect")
    assert ("Backlog / Demo: 2.00", 2.0) in bars and ("Backlog / None: 3.00", 3.0) in bars
    assert '<ul class="o-cal-legend" aria-label="Series">' in html
    # the stack's total is written above it
    assert '<text class="o-value" x="161.0" y="14.0" text-anchor="middle">5.00</text>' in html


def test_the_search_domain_applies(views_web):
    bars = shapes(text(graph(views_web, q="name:spec")), "rect")
    assert bars == [("Backlog: 2.00", 2.0)]
    assert "No data to show." in text(graph(views_web, q="name:nothing like this"))


def test_labels_are_escaped(views_web):
    with views_web.env() as env:
        stage = env["twv.stage"].create({"name": "<script>x</script>", "sequence": 5})
        env["twv.task"].create({"name": "Escaped", "stage_id": stage.id, "hours": 1})
    html = text(graph(views_web))
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;: 1.00" in html


def test_no_read_right_no_graph(views_web):
    assert graph(views_web, "outsider").status_code == 403
