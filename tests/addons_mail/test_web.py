"""The chatter in the web client (core/http/web/chatter.py): the panel under
forms of mail.thread models, its form and JSON endpoints with CSRF and
access checks, Discuss, "My activities", the unsubscribe page."""

from __future__ import annotations

import re

import pytest

from tests.addons_mail.conftest import ADDONS, MODULES
from tests.web.conftest import WebDatabase, text

USERS = {"sales1": [], "sales2": []}


@pytest.fixture(scope="module")
def web(installed_db, backend):
    from core.http.app import Application

    database = installed_db(MODULES, addons_path=ADDONS)
    with database.env() as env:
        env.ref("base.user_admin").write({"password": "admin"})
        for login in USERS:
            if not env["res.users"].search([("login", "=", login)]):
                env["res.users"].create({"name": login.title(), "login": login,
                                         "password": login, "email": f"{login}@example.com"})
    return WebDatabase(db=database, url=str(database.url), backend=backend,
                       app=Application(database))


@pytest.fixture
def lead(web):
    with web.env() as env:
        sales1 = env["res.users"].search([("login", "=", "sales1")])
        record = env["tm.lead"].with_user(sales1).create({"name": "Web lead",
                                                          "user_id": sales1.id})
        record.message_post(body="First <note>")
        record_id = record.id
    yield record_id
    with web.env() as env:
        env["tm.lead"].browse(record_id).unlink()


def test_form_shows_the_chatter(web, lead):
    client = web.client("sales1")
    page = text(client.get(f"/web/model/tm.lead/{lead}"))
    assert 'class="o-card o-chatter"' in page
    assert "First &lt;note&gt;" in page                # escaped text body
    assert "Test Lead created" in page
    assert "Unfollow" in page                          # the creator follows
    # the fields inside div.oe_chatter are not drawn as fields of the form
    assert 'data-row-for="message_ids"' not in page and 'name="message_ids"' not in page


def test_post_log_note_and_attach(web, lead):
    client = web.client("sales1")
    import io

    response = client.post(f"/web/chatter/tm.lead/{lead}/post", data={
        "body": "Samples sent", "note": "0", "back": f"/web/model/tm.lead/{lead}",
        "files": (io.BytesIO(b"spec sheet"), "spec.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/web/model/tm.lead/{lead}")
    client.post(f"/web/chatter/tm.lead/{lead}/post", data={"body": "Margin ok", "note": "1"})
    with web.env() as env:
        messages = env["mail.message"].search([("model", "=", "tm.lead"), ("res_id", "=", lead)])
        by_body = {m.body: m for m in messages}
        sent = by_body["<p>Samples sent</p>"]
        assert sent.subtype_id == env.ref("mail.mt_comment")
        assert sent.attachment_ids.name == "spec.txt"
        assert by_body["<p>Margin ok</p>"].subtype_id == env.ref("mail.mt_note")
    page = text(client.get(f"/web/model/tm.lead/{lead}"))
    assert "spec.txt" in page and "Margin ok" in page


def test_posts_need_csrf_and_rights(web, lead):
    client = web.client("sales1")
    refused = client.post(f"/web/chatter/tm.lead/{lead}/post", data={"body": "x"}, csrf=False)
    assert refused.status_code == 403
    outsider = web.client("sales2")                      # not his lead
    assert outsider.post(f"/web/chatter/tm.lead/{lead}/post",
                         data={"body": "sneaky"}).status_code == 403
    json_refused = client.json(f"/web/chatter/json/tm.lead/{lead}/post", {"body": "x"},
                               csrf="wrong")
    assert json_refused.status_code == 403
    assert outsider.json(f"/web/chatter/json/tm.lead/{lead}/post",
                         {"body": "sneaky"}).status_code == 403
    assert client.get("/web/chatter/tm.lead/999999/post").status_code == 405
    with web.env() as env:
        assert not env["mail.message"].search([("body", "ilike", "sneaky")])
        assert not env["mail.message"].search([("body", "=", "<p>x</p>")])


def test_json_endpoints(web, lead):
    client = web.client("sales1")
    posted = client.json(f"/web/chatter/json/tm.lead/{lead}/post",
                         {"body": "Via JSON <b>", "note": False})
    assert posted.status_code == 200, text(posted)
    data = posted.get_json()
    assert data["messages"][0]["body"] == "<p>Via JSON &lt;b&gt;</p>"
    listed = client.json(f"/web/chatter/json/tm.lead/{lead}/messages", {}).get_json()
    assert [m["id"] for m in listed["messages"]] == [m["id"] for m in data["messages"]]
    assert client.json(f"/web/chatter/json/tm.lead/{lead}/follow",
                       {"follow": False}).get_json() == {"is_follower": False}
    assert client.json(f"/web/chatter/json/tm.lead/{lead}/follow",
                       {"follow": True}).get_json() == {"is_follower": True}
    scheduled = client.json(f"/web/chatter/json/tm.lead/{lead}/activity", {
        "summary": "Call back", "date_deadline": "2030-01-02"}).get_json()
    assert scheduled["activities"][0]["summary"] == "Call back"
    assert scheduled["activities"][0]["date_deadline"] == "2030-01-02"
    done = client.json(f"/web/chatter/json/activity/{scheduled['id']}/done",
                       {"feedback": "Reached him"}).get_json()
    assert done["message_id"]
    bad = client.json(f"/web/chatter/json/tm.lead/{lead}/activity",
                      {"summary": "x", "date_deadline": "tomorrow"})
    assert bad.status_code == 422


def test_json_post_with_attachments_and_mentions(web, lead):
    import base64

    client = web.client("sales1")
    posted = client.json(f"/web/chatter/json/tm.lead/{lead}/post", {
        "body": "@Sales2 please check the drawing",
        "attachments": [{"name": "drawing.txt",
                         "datas": base64.b64encode(b"30x30 cm").decode()}]})
    assert posted.status_code == 200, text(posted)
    message = posted.get_json()["messages"][0]
    assert [a["name"] for a in message["attachments"]] == ["drawing.txt"]
    with web.env() as env:
        sales2 = env["res.users"].search([("login", "=", "sales2")])
        record = env["mail.message"].browse(message["id"])
        assert sales2.partner_id in record.notification_ids.mapped("res_partner_id")
        assert record.attachment_ids.raw == b"30x30 cm"
    bad = client.json(f"/web/chatter/json/tm.lead/{lead}/post", {
        "body": "x", "attachments": [{"name": "a.bin", "datas": "not base64!"}]})
    assert bad.status_code == 422


def test_follow_schedule_and_done_forms(web, lead):
    client = web.client("sales1")
    client.post(f"/web/chatter/tm.lead/{lead}/follow", data={"follow": "0"})
    assert "Follow</button>" in text(client.get(f"/web/model/tm.lead/{lead}"))
    with web.env() as env:
        call = env.ref("mail.mail_activity_data_call").id
        sales1 = env["res.users"].search([("login", "=", "sales1")]).id
    client.post(f"/web/chatter/tm.lead/{lead}/activity", data={
        "activity_type_id": str(call), "summary": "Ring the buyer",
        "date_deadline": "2030-05-06", "user_id": str(sales1)})
    page = text(client.get(f"/web/model/tm.lead/{lead}"))
    assert "Ring the buyer" in page
    activity_id = re.search(r'class="o-activity o-activity-planned" data-id="(\d+)"',
                            page).group(1)
    activities = text(client.get("/web/activities"))
    assert "Ring the buyer" in activities and "Web lead" in activities
    client.post(f"/web/chatter/activity/{activity_id}/done", data={"feedback": "Done!"})
    page = text(client.get(f"/web/model/tm.lead/{lead}"))
    assert "Ring the buyer" in page and "Feedback: Done!" in page
    assert 'class="o-activity o-activity-planned"' not in page


def test_discuss_page(web):
    client = web.client("sales1")
    with web.env() as env:
        general = env.ref("mail.channel_general").id
    page = text(client.get(f"/web/discuss/{general}"))
    assert "general" in page and "Join" in page
    form = text(client.get(f"/web/model/discuss.channel/{general}"))
    assert f'href="/web/discuss/{general}"' in form
    client.post(f"/web/discuss/{general}/join")
    other = web.client("sales2")
    other.post(f"/web/discuss/{general}/join")
    response = client.post(f"/web/discuss/{general}", data={"body": "Hello <all>"})
    assert response.status_code == 302
    page = text(client.get(f"/web/discuss/{general}"))
    assert "Hello &lt;all&gt;" in page
    assert re.search(r'class="o-badge o-unread">1<', text(other.get("/web/discuss")))
    assert client.post(f"/web/discuss/{general}", data={"body": "x"},
                       csrf=False).status_code == 403


def test_unsubscribe_page(web):
    client = web.client(None)
    with web.env() as env:
        url = env["mail.blacklist"]._unsubscribe_url("news@example.com", "")
    path = url[url.index("/mail/unsubscribe"):]
    page = client.get(path)
    assert page.status_code == 200 and "news@example.com" in text(page)
    assert client.get(path.replace("token=", "token=00")).status_code == 400
    query = dict(part.split("=", 1) for part in path.split("?", 1)[1].split("&"))
    one_click = client.client.post(f"/mail/unsubscribe?{path.split('?', 1)[1]}",
                                   data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    with web.env() as env:
        assert env["mail.blacklist"].search([("email", "=", "news@example.com")])
        env["mail.blacklist"].search([]).unlink()
    assert query["email"] == "news%40example.com"
