"""The pivot view: cells, subtotals and totals equal to read_group's, expanding and
collapsing headers, flipping, measures, the search, CSV/XLSX export, rights, speed."""

from __future__ import annotations

import csv
import io
import re

from tests.fixtures import QueryCounter
from tests.web import twv_support
from tests.web.conftest import text
from tests.web.twv_support import action_url, add_tasks

views_web = twv_support.views_web


def pivot(web, login: str = "demo", **query):
    return web.client(login).get(action_url(web, view_type="pivot", **query))


def export(web, login: str = "demo", **query) -> list[list[str]]:
    response = pivot(web, login, fragment="pivot_export", format="csv", **query)
    assert response.status_code == 200, text(response)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def sums(web, groupby: list[str], login: str = "demo", domain=None) -> dict:
    """{group values: (count, hours, amount)} from read_group, as the CSV writes them."""
    with web.env(login) as env:
        result = env["twv.task"].read_group(domain or [], ["hours:sum", "amount:sum"],
                                            groupby, lazy=False)
    found = {}
    for group in result:
        key = tuple(_label(env, spec, group[spec]) for spec in groupby)
        found[key] = (group["__count"], group["hours"], group["amount"])
    return found


def _label(env, spec: str, value) -> str:
    if value is False:
        return "None"
    if isinstance(value, tuple):
        return value[1]
    return dict(env["twv.task"]._fields[spec].selection)[value]


def numbers(cells: list[str]) -> list[float | None]:
    return [float(c) if c else None for c in cells]


def test_cells_and_totals_equal_read_group(views_web):
    grid = export(views_web)
    priorities = ["Normal", "Important", "Urgent", "Critical"]
    assert grid[0] == ["", "Normal", "", "", "Important", "", "", "Urgent", "", "",
                       "Critical", "", "", "Total", "", ""]
    assert grid[1] == [""] + ["Count", "Planned hours", "Amount"] * 5
    by_row = {line[0].strip(): numbers(line[1:]) for line in grid[2:]}
    assert list(by_row) == ["Total", "Backlog", "Doing", "Archive", "None"]
    totals = sums(views_web, [])[()]
    assert by_row["Total"][-3:] == [float(v) for v in totals]          # grand total
    for (stage,), values in sums(views_web, ["stage_id"]).items():        # row totals
        assert by_row[stage][-3:] == [float(v) for v in values]
    for (priority,), values in sums(views_web, ["priority"]).items():     # column totals
        index = priorities.index(priority) * 3
        assert by_row["Total"][index:index + 3] == [float(v) for v in values]
    for (stage, priority), values in sums(views_web, ["stage_id", "priority"]).items():
        index = priorities.index(priority) * 3
        assert by_row[stage][index:index + 3] == [float(v) for v in values]
    assert by_row["Doing"][:3] == [None, None, None]                    # an empty cell


def test_the_page_shows_the_same_table(views_web):
    html = text(pivot(views_web))
    assert '<th scope="col">Count</th><th scope="col">Planned hours</th>' in html
    total = html[html.index('o-pivot-depth-0'):html.index('o-pivot-depth-1')]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", total)
    assert cells[-3:] == ["5", "15.00", "185.50"]
    assert "▾ Total" in total                            # expanded: a collapse link


def test_expanding_a_row_level(views_web):
    html = text(pivot(views_web))
    link = re.search(r'<details class="o-dropdown" id="o-pivot-row-options">.*?'
                     r'<a href="([^"]*pivot_row=user_id[^"]*)">Assigned to</a>',
                     html, re.S).group(1).replace("&amp;", "&")
    assert "pivot_row=stage_id&pivot_row=user_id" in link
    grid = export(views_web, **dict(_query(link)))
    labels = [line[0] for line in grid[2:]]
    assert labels[:5] == ["Total", "  Backlog", "    Demo", "    None", "  Doing"]
    expanded = {tuple(line[0].strip() for line in [line]): numbers(line[1:])
                for line in grid[2:]}
    assert expanded[("Backlog",)][-3:] == [2.0, 5.0, 100.0]
    for (stage, user), values in sums(views_web, ["stage_id", "user_id"]).items():
        rows = [numbers(line[1:]) for line in grid[2:] if line[0] == f"    {user}"]
        assert [float(v) for v in values] in [row[-3:] for row in rows], (stage, user)
    # the expanded level's headers collapse it again
    page = text(views_web.client("demo").get(link))
    assert re.search(r'<a href="[^"]*pivot_set=1&amp;pivot_row=stage_id&amp;pivot_col=priority'
                     r'[^"]*" class="o-pivot-collapse"[^>]*>▾ Backlog</a>', page)
    assert 'data-axis="row"><summary aria-expanded="false" title="Expand">Demo' in page


def _query(url: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl, urlsplit

    pairs = parse_qsl(urlsplit(url).query)
    merged: dict[str, list[str]] = {}
    for key, value in pairs:
        merged.setdefault(key, []).append(value)
    return [(k, v if len(v) > 1 else v[0]) for k, v in merged.items() if k != "view_type"]


def test_flip_and_collapse_the_columns(views_web):
    html = text(pivot(views_web))
    flip = re.search(r'<a class="o-btn o-btn-small o-pivot-flip" href="([^"]*)"', html)
    grid = export(views_web, **dict(_query(flip.group(1).replace("&amp;", "&"))))
    assert [line[0].strip() for line in grid[2:]] == ["Total", "Normal", "Important",
                                                      "Urgent", "Critical"]
    assert grid[0][1::3][:5] == ["Backlog", "Doing", "Archive", "None", "Total"]
    flat = export(views_web, pivot_set="1", pivot_row="stage_id",
                  pivot_measure=["hours"])
    assert flat[0] == ["", "Planned hours"]
    assert [line[0] for line in flat[1:]] == ["Total", "  Backlog", "  Doing", "  Archive",
                                              "  None"]


def test_the_search_applies_and_its_group_bys_are_the_rows(views_web):
    grid = export(views_web, groupby="user_id", q="name:e")
    rows = {line[0].strip(): numbers(line[-3:]) for line in grid[2:]}
    for (user,), values in sums(views_web, ["user_id"],
                                domain=[("name", "ilike", "e")]).items():
        assert rows[user] == [float(v) for v in values]


def test_xlsx_export_when_openpyxl_is_there(views_web):
    response = pivot(views_web, fragment="pivot_export", format="xlsx")
    try:
        import openpyxl
    except ImportError:
        assert response.status_code == 400
        assert "Download Excel" not in text(pivot(views_web))
        return
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.active.cell(row=3, column=1).value == "Total"


def test_no_read_right_no_pivot(views_web):
    assert pivot(views_web, "outsider").status_code == 403
    assert pivot(views_web, "outsider", fragment="pivot_export").status_code == 403


def test_queries_do_not_grow_with_the_records(views_web):
    client = views_web.client("demo")
    url = action_url(views_web, view_type="pivot", pivot_set="1",
                     pivot_row=["stage_id", "user_id"], pivot_col="priority",
                     pivot_measure=["hours", "amount"])
    client.get(url)
    with QueryCounter(views_web.db.engine) as few:
        assert client.get(url).status_code == 200
    add_tasks(views_web, 60, prefix="Pivot")
    client.get(url)
    with QueryCounter(views_web.db.engine) as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count, (few.count, many.count)
    assert len(many.matching("SELECT")) >= 6          # (2 + 1) x (1 + 1) read_groups


def test_in_traditional_chinese(views_web):
    with views_web.env() as env:
        env["res.users"].search([("login", "=", "manager")]).write({"lang": "zh_TW"})
    try:
        html = text(pivot(views_web, "manager"))
        assert "交換軸" in html and "下載 CSV" in html and ">合計</th>" not in html
        assert "▾ 合計" in html
        graph = text(views_web.client("manager").get(action_url(
            views_web, view_type="graph", graph_type="pie")))
        assert "圓餅圖" in graph and "量值" in graph
        kanban = text(views_web.client("manager").get(action_url(views_web,
                                                                 view_type="kanban")))
        assert "無</h2>" in kanban or ">無<" in kanban
    finally:
        with views_web.env() as env:
            env["res.users"].search([("login", "=", "manager")]).write({"lang": "en_US"})
