"""The kanban view: columns (empty, folded, by selection and workflow), cards, sums, load
more, moving cards (write, workflow transitions, CSRF), quick create, rights, speed."""

from __future__ import annotations

import re

from tests.fixtures import QueryCounter
from tests.web import twv_support
from tests.web.conftest import text
from tests.web.twv_support import action_url, add_tasks, ids, ref

views_web = twv_support.views_web


def columns(html: str) -> list[tuple[str, str, str]]:
    """(title, count, classes) of each column."""
    found = re.findall(r'<section class="o-kanban-column([^"]*)" data-key="[^"]*"\s*'
                       r'aria-label="[^"]*">\s*<header class="o-kanban-header">\s*'
                       r'<h2 class="o-kanban-title">(?:<a [^>]*>)?([^<]*)(?:</a>)?</h2>\s*'
                       r'<span class="o-kanban-count"[^>]*>(\d+)</span>', html)
    return [(title, count, classes.strip()) for classes, title, count in found]


def column_html(html: str, title: str) -> str:
    start = html.index(f'aria-label="{title}"')
    end = html.find('<section class="o-kanban-column', start)
    return html[start:end if end > 0 else len(html)]


def card_names(html: str) -> list[str]:
    return re.findall(r'<strong class="twv-title"><span class="o-field o-field-name">([^<]*)',
                      html)


def kanban(web, login: str = "demo", name: str = "twv_tasks.twv_task_action", **query):
    return web.client(login).get(action_url(web, name, view_type="kanban", **query))


def test_columns_are_the_stages_with_the_empty_and_folded_ones(views_web):
    response = kanban(views_web)
    assert response.status_code == 200
    html = text(response)
    assert columns(html) == [("None", "1", ""), ("Backlog", "2", ""), ("Doing", "1", ""),
                             ("Review", "0", ""), ("Archive", "1", "o-folded")]
    assert card_names(column_html(html, "Backlog")) == ["Write spec", "Order parts"]
    assert card_names(column_html(html, "Review")) == []
    # a folded column shows its count, not its cards, and links to unfold it
    archive = column_html(html, "Archive")
    assert card_names(archive) == [] and "kanban_unfold=" in archive
    assert "Old report" not in html


def test_sums_and_progress_bar_per_column(views_web):
    backlog = column_html(text(kanban(views_web)), "Backlog")
    assert '<span class="o-kanban-sum" title="Amount">100.00</span>' in backlog
    assert '<span class="o-kanban-sum" title="Planned hours">5.00</span>' in backlog
    assert 'class="o-progress-muted" style="width: 50.0%" title="Normal: 1"' in backlog
    assert 'class="o-progress-danger" style="width: 50.0%" title="Critical: 1"' in backlog


def test_unfolding_a_folded_column(views_web):
    archive = ref(views_web, "twv_tasks.stage_archive")
    html = text(kanban(views_web, kanban_unfold=str(archive)))
    assert card_names(column_html(html, "Archive")) == ["Old report"]


def test_cards_follow_the_qweb_subset(views_web):
    html = text(kanban(views_web))
    task = ids(views_web)
    spec = html[html.index(f'data-id="{task["Write spec"]}"'):]
    spec = spec[:spec.index("</article>")]
    assert 'title="Critical" aria-label="Critical">★★★</span>' in spec      # priority
    assert '<div class="twv-user">' in spec and "Unassigned" not in spec    # t-if
    assert '<span class="o-tag">Red</span>' in spec                        # many2many
    assert '<small class="twv-state">New</small>' in spec                   # t-else, t-esc
    assert '<small class="twv-deadline">11/20/2026</small>' in spec         # t-out
    assert "$\xa0100.00" in spec or "$100.00" in spec                       # monetary
    assert f'href="/web/action/{ref(views_web, "twv_tasks.twv_task_action")}/' \
           f'{task["Write spec"]}?' in spec                                  # the form
    parts = html[html.index(f'data-id="{task["Order parts"]}"'):]
    parts = parts[:parts.index("</article>")]
    assert '<div class="twv-nobody">Unassigned</div>' in parts               # t-else
    assert "twv-amount" not in parts                                        # invisible
    build = html[html.index(f'data-id="{task["Build prototype"]}"'):]
    build = build[:build.index("</article>")]
    assert '<em class="twv-busy">Busy</em>' in build and "twv-state" not in build  # t-elif


def test_columns_by_a_selection_follow_the_workflow_folds(views_web):
    html = text(kanban(views_web, name="twv_tasks.twv_task_state_action"))
    assert columns(html) == [("New", "4", ""), ("In progress", "1", ""), ("Done", "0", ""),
                             ("Cancelled", "0", "o-folded")]
    assert 'data-draggable="1"' in html and 'data-field="state"' in html
    # the state field moves through the workflow: no quick create on it
    assert "kanban_quick_create" not in html


def test_search_group_by_replaces_the_default_columns(views_web):
    html = text(kanban(views_web, groupby="user_id"))
    assert [c[:2] for c in columns(html)] == [("None", "2"), ("Demo", "2"), ("Manager", "1")]
    html = text(kanban(views_web, q="name:spec"))
    assert [c[:2] for c in columns(html)] == [("Backlog", "1"), ("Doing", "0"),
                                              ("Review", "0"), ("Archive", "0")]


def test_a_sanitised_card(views_web):
    with views_web.env() as env:
        view = env["ir.ui.view"].create({"name": "evil", "model": "twv.task", "priority": 99,
                                         "arch": """
            <kanban default_group_by="stage_id"><templates><t t-name="card">
              <div class="ok" onclick="steal()" style="position:fixed">
                <script>alert(1)</script><iframe src="https://evil.example"/>
                <a href="javascript:alert(1)">bad link</a><a href="https://example.com">good</a>
                <img src="https://evil.example/x.png"/><img src="/web/static/x.png"/>
                <field name="name"/><t t-esc="__import__('os')"/>
                <span t-if="open('x')">never</span>
              </div></t></templates></kanban>"""})
        action = env["ir.actions.act_window"].create({
            "name": "Evil", "res_model": "twv.task", "view_mode": "kanban",
            "view_id": view.id})
    html = text(views_web.client("demo").get(f"/web/action/{action.id}"))
    body = html[html.index('class="o-kanban-body"'):]
    assert '<div class="ok">' in body
    for bad in ("onclick", "position:fixed", "<script", "alert", "iframe", "evil.example",
                "never", "__import__"):
        assert bad not in body, bad
    assert '<a href="https://example.com" rel="noopener noreferrer">good</a>' in body
    assert '<img src="/web/static/x.png">' in body
    assert "Write spec" in body


def test_load_more_cards_of_a_column(views_web):
    review = ref(views_web, "twv_tasks.stage_review")
    with views_web.env() as env:
        env["twv.task"].create([{"name": f"Review {i:02d}", "stage_id": review}
                                for i in range(45)])
    try:
        html = text(kanban(views_web))
        column = column_html(html, "Review")
        assert len(card_names(column)) == 40
        assert ">Load more (5)</a>" in column
        more = text(views_web.client("demo").get(action_url(
            views_web, view_type="kanban", fragment="kanban_cards", column=str(review),
            offset="40")))
        assert card_names(more) == [f"Review {i}" for i in range(40, 45)]
        # without the script: the link asks for 40 more
        html = text(kanban(views_web, kanban_more=str(review)))
        assert len(card_names(column_html(html, "Review"))) == 45
    finally:
        with views_web.env() as env:
            env["twv.task"].search([("name", "like", "Review %")]).unlink()


def move(web, login: str, task: str, field: str, value, csrf: str | None = None,
         action: str = "twv_tasks.twv_task_action"):
    client = web.client(login)
    return client.json("/web/json/kanban_move", {
        "action_id": ref(web, action), "model": "twv.task", "id": ids(web)[task],
        "field": field, "value": value}, csrf=csrf)


def stage_of(web, task: str) -> str:
    with web.env() as env:
        return env["twv.task"].search([("name", "=", task)]).stage_id.name or ""


def state_of(web, task: str) -> str:
    with web.env() as env:
        return env["twv.task"].search([("name", "=", task)]).state


def test_moving_a_card_writes_the_column_field(views_web):
    doing = ref(views_web, "twv_tasks.stage_doing")
    response = move(views_web, "demo", "Order parts", "stage_id", doing)
    assert response.status_code == 200, text(response)
    assert response.json == {"id": ids(views_web)["Order parts"], "field": "stage_id",
                             "value": doing, "moved": True, "message": None}
    assert stage_of(views_web, "Order parts") == "Doing"
    assert move(views_web, "demo", "Order parts", "stage_id",
                ref(views_web, "twv_tasks.stage_backlog")).status_code == 200
    assert stage_of(views_web, "Order parts") == "Backlog"


def test_moving_a_card_needs_the_csrf_token(views_web):
    doing = ref(views_web, "twv_tasks.stage_doing")
    response = move(views_web, "demo", "Order parts", "stage_id", doing, csrf="forged")
    assert response.status_code == 403 and response.json["error"]["type"] == "csrf"
    assert stage_of(views_web, "Order parts") == "Backlog"


def test_moving_a_card_to_an_unknown_column_or_by_another_field(views_web):
    assert move(views_web, "demo", "Order parts", "stage_id", 99999).status_code == 404
    assert move(views_web, "demo", "Order parts", "name", "x").status_code == 403
    assert move(views_web, "demo", "Order parts", "priority", "9").status_code == 404
    assert stage_of(views_web, "Order parts") == "Backlog"


def test_moving_a_card_on_the_workflow_state_takes_the_transition(views_web):
    action = "twv_tasks.twv_task_state_action"
    response = move(views_web, "demo", "Order parts", "state", "progress", action=action)
    assert response.status_code == 200 and response.json["moved"] is True
    assert state_of(views_web, "Order parts") == "progress"
    task = ids(views_web)["Order parts"]
    with views_web.env() as env:
        history = env["ir.workflow.history"].search([("res_id", "=", task),
                                                     ("model", "=", "twv.task")])
        assert history.mapped("trigger") == ["action_start"]


def test_refused_workflow_moves_come_back_with_the_reason(views_web):
    action = "twv_tasks.twv_task_state_action"
    # no transition from New to Done
    response = move(views_web, "demo", "Write spec", "state", "done", action=action)
    assert response.status_code == 422
    assert "no action of its workflow leads there" in response.json["error"]["message"]
    # Finish is for task managers only
    response = move(views_web, "demo", "Build prototype", "state", "done", action=action)
    assert response.status_code == 403
    assert "not allowed" in response.json["error"]["message"]
    # Cancel needs a description
    response = move(views_web, "demo", "Build prototype", "state", "cancel", action=action)
    assert response.status_code == 422 and "Description" in response.json["error"]["message"]
    assert state_of(views_web, "Write spec") == "draft"
    assert state_of(views_web, "Build prototype") == "progress"
    # a manager may finish it
    response = move(views_web, "manager", "Build prototype", "state", "done", action=action)
    assert response.status_code == 200 and state_of(views_web, "Build prototype") == "done"


def test_quick_create_in_a_column(views_web):
    client = views_web.client("demo")
    action = ref(views_web, "twv_tasks.twv_task_action")
    review = ref(views_web, "twv_tasks.stage_review")
    url = f"/web/action/{action}/kanban_quick_create?view_type=kanban"
    refused = client.post(url, {"name": "Forged", "column": str(review)}, csrf=False)
    assert refused.status_code == 403
    response = client.post(url, {"name": "Quick one", "column": str(review)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/web/action/{action}?view_type=kanban&s=1")
    assert stage_of(views_web, "Quick one") == "Review"
    assert "Forged" not in ids(views_web)
    assert client.post(url, {"name": " ", "column": str(review)}).status_code == 400


def test_no_read_right_no_board(views_web):
    outsider = views_web.client("outsider")
    assert kanban(views_web, "outsider").status_code == 403
    response = outsider.json("/web/json/kanban_move", {
        "action_id": ref(views_web, "twv_tasks.twv_task_action"), "model": "twv.task",
        "id": ids(views_web)["Order parts"], "field": "stage_id",
        "value": ref(views_web, "twv_tasks.stage_doing")})
    assert response.status_code == 403
    assert stage_of(views_web, "Order parts") == "Backlog"


def test_queries_do_not_grow_with_the_cards(views_web):
    add_tasks(views_web, 4, prefix="Seed")              # a card in every stage
    client = views_web.client("demo")
    url = action_url(views_web, view_type="kanban", kanban_unfold=str(
        ref(views_web, "twv_tasks.stage_archive")))
    assert client.get(url).status_code == 200          # warm the caches
    with QueryCounter(views_web.db.engine) as few:
        assert client.get(url).status_code == 200
    add_tasks(views_web, 60)
    client.get(url)
    with QueryCounter(views_web.db.engine) as many:
        html = text(client.get(url))
    assert "Bulk 0" in column_html(html, "Backlog")
    assert many.count == few.count, "\n".join(
        [*few.statements, "-- with 60 more --", *many.statements])
