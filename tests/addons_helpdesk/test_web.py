"""The helpdesk in the web client, for an agent (mei) and a manager (grace) of the
demo data: the ticket board with SLA colours, list, form with chatter and
workflow buttons, calendar, graph, pivot, the dashboard, replying with a
knowledge-base article, the knowledge base's versions and diff page; the
public knowledge base and survey pages without login."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import lxml.html
import pytest

from tests.fixtures import fresh_database_url
from tests.web.conftest import WebDatabase, text


@pytest.fixture(scope="module")
def web(backend, tmp_path_factory) -> Iterator[WebDatabase]:
    from core.http.app import Application
    from core.modules.manager import open_database

    directory = str(tmp_path_factory.mktemp("helpdesk_web"))
    with fresh_database_url(backend, directory) as url:
        db = open_database(url, demo=True)
        try:
            db.install(["crm_helpdesk"], demo=True)
            with db.env() as env:
                for xmlid, login in (("crm_helpdesk.user_mei", "mei"),
                                     ("crm_helpdesk.user_grace", "grace"),
                                     ("crm_helpdesk.user_tom", "tom")):
                    env.ref(xmlid).password = login
                env.ref("base.user_admin").password = "admin"
                env["res.users"].create({"name": "Clerk", "login": "clerk",
                                         "password": "clerk", "groups_id": [
                                             (6, 0, [env.ref("base.group_user").id])]})
            yield WebDatabase(db=db, url=url, backend=backend, app=Application(db))
        finally:
            db.close()


def ref(web, xmlid: str) -> int:
    with web.env() as env:
        return env.ref(xmlid).id


def action(web, name: str = "crm_helpdesk.helpdesk_ticket_action_main_tree") -> str:
    return f"/web/action/{ref(web, name)}"


def apps(page: str) -> list[str]:
    """The names on the home page's app tiles."""
    return re.findall(r'class="o-app-tile"[^>]*>\s*<span[^>]*>[^<]*</span>\s*<span>([^<]+)'
                      r'</span>', page)


def form_values(page: str, button: str) -> list[tuple[str, str]]:
    """What a browser posts with the form holding ``button`` (lxml's form_values)."""
    root = lxml.html.fromstring(page)
    (form,) = root.xpath(f"//form[.//button[@value='{button}']]")
    return form.form_values()


@pytest.mark.parametrize("login", ["mei", "grace"])
def test_ticket_views_render(web, login):
    client = web.client(login)
    base = action(web)
    board = client.get(f"{base}?view_type=kanban")
    assert board.status_code == 200
    page = text(board)
    assert "Cracked diffusers on 40 panels" in page and "o-sla-on-track" in page
    for view_type in ("list", "calendar", "graph", "pivot"):
        response = client.get(f"{base}?view_type={view_type}&s=1")
        assert response.status_code == 200, (view_type, text(response)[:300])
    listing = text(client.get(f"{base}?view_type=list&s=1"))
    assert "Panels flicker with our dimmers" in listing
    ticket = ref(web, "crm_helpdesk.helpdesk_ticket_cracked")
    form = text(client.get(f"{base}/{ticket}"))
    assert "o-chatter" in form and "action_reply" in form
    assert "action_start" in form and "action_solve" in form      # workflow buttons
    assert "40 of the 600 panels" in form


def card(page: str, record_id: int) -> str:
    start = page.index(f'<article class="o-kanban-card" data-id="{record_id}"')
    return page[start:page.index("</article>", start)]


def test_sla_colours_on_the_board(web):
    with web.env() as env:
        ticket = env.ref("crm_helpdesk.helpdesk_ticket_cracked")
        ticket_id = ticket.id
        # make its first-response SLA overdue (a data fix, as superuser)
        ticket.sla_status_ids.write({"deadline": "2020-01-01 00:00:00",
                                     "risk_date": "2019-12-31 00:00:00"})
    page = text(web.client("mei").get(f"{action(web)}?view_type=kanban"))
    assert "o-sla-failed" in card(page, ticket_id)
    assert "o-sla-on-track" in card(page, ref(web, "crm_helpdesk.helpdesk_ticket_return_zh"))


def test_dashboard_for_agent_and_manager(web):
    for login in ("mei", "grace"):
        response = web.client(login).get("/helpdesk/dashboard", follow_redirects=True)
        assert response.status_code == 200
        page = text(response)
        assert 'data-kpi="open"' in page and "<svg" in page
        assert 'data-chart="rating"' in page


def test_reply_with_an_article_from_the_form(web):
    client = web.client("mei")
    base = action(web)
    ticket = ref(web, "crm_helpdesk.helpdesk_ticket_return_zh")
    fields = form_values(text(client.get(f"{base}/{ticket}")), "action_reply")
    opened = client.post(f"{base}/{ticket}", data=[*fields, ("_button", "action_reply")],
                         csrf=False)
    assert opened.status_code == 302
    wizard_url = opened.headers["Location"]
    assert "/web/model/helpdesk.ticket.reply/" in wizard_url
    wizard_id = int(wizard_url.rstrip("/").rsplit("/", 1)[1].split("?")[0])
    article = ref(web, "crm_helpdesk.knowledge_article_returns_zh")
    filled = client.json("/web/json/onchange", {
        "model": "helpdesk.ticket.reply", "id": wizard_id,
        "values": {"article_id": str(article), "body": ""}, "changed": "article_id"})
    assert filled.status_code == 200, text(filled)
    body = json.loads(text(filled))["value"]["body"]["input"]
    assert "30 天內" in body
    sent = client.post(f"/web/model/helpdesk.ticket.reply/{wizard_id}", data={
        "article_id": str(article), "article_id.text": "退貨與換貨政策", "body": body,
        "_button": "action_send"})
    assert sent.status_code == 302 and f"/helpdesk.ticket/{ticket}" in sent.headers["Location"]
    with web.env() as env:
        record = env["helpdesk.ticket"].browse(ticket)
        assert record.first_response_date
        assert "30 天內" in record.message_ids.filtered(
            lambda m: m.message_type == "comment")[0].body


def test_kanban_move_follows_the_workflow(web):
    client = web.client("mei")
    ticket = ref(web, "crm_helpdesk.helpdesk_ticket_catalogue")
    in_progress = ref(web, "crm_helpdesk.stage_in_progress")
    moved = client.json("/web/json/kanban_move", {
        "action_id": ref(web, "crm_helpdesk.helpdesk_ticket_action_main_tree"),
        "model": "helpdesk.ticket", "id": ticket, "field": "stage_id",
        "value": in_progress})
    assert moved.status_code == 200 and json.loads(text(moved))["moved"]     # reopened
    new = ref(web, "crm_helpdesk.stage_new")
    refused = client.json("/web/json/kanban_move", {
        "action_id": ref(web, "crm_helpdesk.helpdesk_ticket_action_main_tree"),
        "model": "helpdesk.ticket", "id": ticket, "field": "stage_id", "value": new})
    assert refused.status_code >= 400


def test_agents_of_another_team_and_employees_are_kept_out(web):
    base = action(web)
    taiwan_ticket = ref(web, "crm_helpdesk.helpdesk_ticket_return_zh")
    assert web.client("tom").get(f"{base}/{taiwan_ticket}").status_code in (403, 404)
    clerk = web.client("clerk")
    assert clerk.get(f"{base}?view_type=list").status_code == 403
    assert "Helpdesk" not in apps(text(clerk.get("/web")))
    assert "Helpdesk" in apps(text(web.client("mei").get("/web")))


def test_knowledge_base_pages(web):
    client = web.client("mei")
    article = ref(web, "crm_helpdesk.knowledge_article_returns_en")
    kb = action(web, "crm_helpdesk.knowledge_article_action")
    assert "Return and replacement policy" in text(client.get(f"{kb}?s=1"))
    found = text(client.get(f"{kb}?s=1&q=name:退貨"))
    assert "退貨與換貨政策" in found and "Return and replacement policy" not in found
    with web.env() as env:
        record = env["knowledge.article"].browse(article)
        record.write({"body": record.body.replace("30 days", "45 days")})
        version, first = record.version_ids[0].id, record.version_ids[-1].id
    form = text(client.get(f"{kb}/{article}"))
    assert "action_view_versions" in form
    version_page = text(client.get(f"/web/model/knowledge.article.version/{version}"))
    assert "diff_chg" in version_page and "action_restore" not in version_page   # current
    assert "action_restore" in text(client.get(f"/web/model/knowledge.article.version/{first}"))
    diff = client.get(f"/helpdesk/kb/{article}/diff")
    assert diff.status_code == 200 and ">45</span> days" in text(diff)


def test_public_knowledge_base_without_login(web):
    client = web.client(None)
    index = client.get("/kb")
    assert index.status_code == 200
    page = text(index)
    assert "Return and replacement policy" in page and "退貨與換貨政策" in page
    assert "Freight claims" not in page                    # internal
    results = text(client.get("/kb?q=" + quote("退貨")))
    assert "退貨與換貨政策" in results and "出口報關" in results
    assert "Freight claims" not in text(client.get("/kb?q=freight"))
    with web.env() as env:
        public = env.ref("crm_helpdesk.knowledge_article_returns_zh")
        internal = env.ref("crm_helpdesk.knowledge_article_claims_en")
        slug, internal_slug = public.slug(), internal.slug()
    article = client.get("/kb/" + quote(slug))
    assert article.status_code == 200 and "30 天內" in text(article)
    assert client.get("/kb/" + quote(internal_slug)).status_code == 404
    assert client.get(f"/kb/{slug.split('-')[0]}-old-title").status_code == 301
    assert client.get("/kb/999999-nothing").status_code == 404


def test_survey_page_answers_and_errors(web):
    with web.env() as env:
        rating = env["rating.rating"].search([("consumed", "=", False)], limit=1)
        if not rating:
            ticket = env.ref("crm_helpdesk.helpdesk_ticket_cracked")
            template = env.ref("crm_helpdesk.rating_ticket_request_email_template")
            rating = ticket.rating_send_request(template)
        token = rating.rating_url.rsplit("/", 1)[1]
        import datetime as dt

        expired = rating._rating_token(today=dt.date(2020, 1, 1))
        done = env["rating.rating"].search([("consumed", "=", True)], limit=1)
        done_token = done.rating_url.rsplit("/", 1)[1]
    client = web.client(None)
    assert client.get("/rate/1.2.3").status_code == 404
    assert client.get(f"/rate/{expired}").status_code == 410
    assert client.get(f"/rate/{done_token}").status_code == 409
    page = client.get(f"/rate/{token}/4")
    assert page.status_code == 200 and 'value="4" required checked' in text(page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)
    assert client.post(f"/rate/{token}", data={"rating": "9",
                                               "csrf_token": csrf}).status_code == 400
    answered = client.post(f"/rate/{token}", data={"rating": "4", "csrf_token": csrf})
    assert answered.status_code == 200
    assert client.post(f"/rate/{token}", data={"rating": "1",
                                               "csrf_token": csrf}).status_code == 409
