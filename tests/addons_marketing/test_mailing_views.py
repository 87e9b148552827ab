"""The back office of mailings in the web client (server side, both backends):
the kanban by state, the form with its statistics buttons, the lists of who
opened and which leads came, the list and contact forms."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from tests.addons_marketing.conftest import build
from tests.web.conftest import WebDatabase, text


@pytest.fixture
def web(mailing_db, backend):
    from core.http.app import Application

    with mailing_db.env() as env:
        mk = build(env)
        mk.marketer.password = "marketer"
        mk.employee.password = "employee"
        mailing = mk.mailing(mk.news, subject="Spring LED range")
        mk.mailing(mk.news, subject="Step two of a sequence").use_in_marketing_automation = True
        traces = mailing.action_send_mail()
        traces.set_sent()
        traces.filtered(lambda t: t.email == "anna@lichtwerk.example").set_opened()
        env["crm.lead"].create({"name": "500 panels for Lichtwerk", "source_id":
                                mailing.source_id.id, "email_from": "anna@lichtwerk.example"})
        ids = {"mailing": mailing.id, "list": mk.news.id, "contact": mk.contacts[0].id,
               "action": env.ref("crm_marketing.mailing_mailing_action_mail").id}
    return WebDatabase(db=mailing_db, url=str(mailing_db.url), backend=backend,
                       app=Application(mailing_db)), ids


def test_kanban_by_state_and_form_with_statistics(web):
    web, ids = web
    client = web.client("marketer")
    board = text(client.get(f"/web/action/{ids['action']}?view_type=kanban"))
    assert "Spring LED range" in board
    assert "Step two of a sequence" not in board  # edited from its sequence
    for state in ("Draft", "In Queue", "Sending", "Sent"):
        assert state in board
    form = text(client.get(f"/web/action/{ids['action']}/{ids['mailing']}"))
    assert "Spring LED range" in form and "A/B Tests" in form and "Mail Body" in form
    assert re.search(r'o-stat-value[^>]*>1</span> <span class="o-stat-text">Opened', form)
    assert re.search(r'o-stat-value[^>]*>1</span> <span class="o-stat-text">Leads', form)


def test_who_opened_and_who_became_a_lead(web):
    """Where the smart buttons lead (their window actions' domains)."""
    web, ids = web
    client = web.client("marketer")
    with web.env() as env:
        mailing = env["mailing.mailing"].browse(ids["mailing"])
        opened, leads = mailing.action_view_opened(), mailing.action_redirect_to_leads()
    page = text(client.get("/web/model/mailing.trace?" + urlencode(
        {"s": 1, "domain": json.dumps(opened["domain"]), "domain_label": "Opened"})))
    assert "Anna Weber" in page and "Bruno Rossi" not in page
    page = text(client.get("/web/model/crm.lead?" + urlencode(
        {"s": 1, "domain": json.dumps(leads["domain"], default=str)})))
    assert "500 panels for Lichtwerk" in page


def test_lists_and_contacts_pages(web):
    web, ids = web
    client = web.client("marketer")
    page = text(client.get(f"/web/model/mailing.list/{ids['list']}"))
    assert "LED news" in page and "Anna Weber" in page
    page = text(client.get(f"/web/model/mailing.contact/{ids['contact']}"))
    assert "anna@lichtwerk.example" in page and "Trade fair invitations" in page
    # an internal user without the marketing group
    assert web.client("employee").get(f"/web/model/mailing.mailing/{ids['mailing']}"
                                      ).status_code == 403


def test_back_office_and_public_pages_in_traditional_chinese(web):
    web, ids = web
    with web.env() as env:
        env["res.users"].search([("login", "=", "marketer")]).write({"lang": "zh_TW"})
        trace = env["mailing.mailing"].browse(ids["mailing"]).mailing_trace_ids[:1]
        unsubscribe = trace._tracking_urls("", env["mail.blacklist"]._database_secret())[
            "unsubscribe"]
    client = web.client("marketer")
    form = text(client.get(f"/web/action/{ids['action']}/{ids['mailing']}"))
    for label in ("主旨", "收件人", "郵件內文", "A/B 測試", "已開啟", "潛在客戶"):
        assert label in form, label
    page = text(client.get(unsubscribe + "?lang=zh_TW"))
    assert "取消訂閱" in page and "停止寄送" in page


def test_every_text_of_mailings_is_translated():
    """The zh_TW catalog has a translation for each text of the mailing files."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    addon = Path(__file__).resolve().parents[2] / "addons" / "crm_marketing"
    ours = ("models/mailing_list", "models/mailing_contact", "models/mailing_subscription",
            "models/mailing_mailing.py", "models/mailing_mailing_ab", "models/mailing_mailing_send",
            "models/mailing_trace.py", "models/link_tracker", "controllers/mailing",
            "templates/unsubscribe", "templates/subscribe", "templates/confirm",
            "data/mailing_data", "views/mailing_")
    with open(addon / "i18n" / "zh_TW.po", "rb") as handle:
        catalog = read_po(handle)
    texts = [message for message in catalog if message.id and any(
        any(name in path for name in ours) for path, _line in message.locations)]
    assert len(texts) > 150
    assert [message.id for message in texts if not message.string] == []
