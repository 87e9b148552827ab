"""CRM in the web client, on the demo database: every page for a salesperson and a
manager, what a salesperson may see, the dashboard, moving cards, smart buttons,
the lost and conversion wizards."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.addons_crm.web_support import ref
from tests.web.conftest import text

ACTIONS = ("crm.crm_lead_action_pipeline", "crm.crm_lead_all_leads",
           "crm.crm_lead_action_unassigned", "crm.crm_partner_action_customers",
           "crm.crm_partner_document_action", "crm.crm_dashboard_action",
           "crm.crm_lead_action_forecast", "crm.crm_lead_action_analysis",
           "crm.crm_lead_stage_history_action", "crm.crm_stage_action", "crm.crm_tag_action",
           "crm.crm_lost_reason_action", "crm.crm_market_action")


def _deal(web, login: str, **domain):
    with web.env() as env:
        terms = [("user_id.login", "=", login), ("type", "=", "opportunity"),
                 ("won_status", "=", "pending")] + [(k, "=", v) for k, v in domain.items()]
        deal = env["crm.lead"].search(terms, limit=1)
        return deal.id, deal.name


@pytest.mark.parametrize("login", ["mei.chen", "admin"])
def test_every_crm_page_renders_in_each_of_its_views(crm_web, login):
    client = crm_web.client(login)
    manager_only = {"crm.crm_stage_action", "crm.crm_tag_action", "crm.crm_lost_reason_action",
                    "crm.crm_market_action", "crm.crm_lead_action_unassigned"}
    for name in ACTIONS:
        if login == "mei.chen" and name in manager_only:
            continue
        with crm_web.env() as env:
            action = env.ref(name)
            modes = [m for m in action.view_mode.split(",") if m != "form"]
            action_id = action.id
        for mode in modes:
            response = client.get(f"/web/action/{action_id}?view_type={mode}")
            assert response.status_code == 200, (name, mode, text(response)[:400])
    deal_id, _name = _deal(crm_web, "mei.chen")
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    form = client.get(f"/web/action/{pipeline}/{deal_id}")
    assert form.status_code == 200 and "oe_chatter" in text(form) or "o-chatter" in text(form)
    partner = ref(crm_web, "crm.customer_lichtwerk")
    assert client.get(f"/web/model/res.partner/{partner}").status_code == 200


def test_a_salesperson_sees_only_what_the_rules_allow(crm_web):
    client = crm_web.client("mei.chen")
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    page = text(client.get(f"/web/action/{pipeline}?view_type=list&s=1"))
    mine_id, mine = _deal(crm_web, "mei.chen")
    jimmys_id, jimmys = _deal(crm_web, "jimmy.lin")
    assert mine in page and jimmys not in page
    assert client.get(f"/web/action/{pipeline}/{jimmys_id}").status_code == 403
    everything = text(crm_web.client("grace.wang").get(
        f"/web/action/{pipeline}?view_type=list&s=1"))
    assert mine in everything and jimmys in everything


def test_a_user_outside_sales_has_no_crm_menu_nor_pages(crm_web):
    with crm_web.env() as env:
        env["res.users"].create({"name": "Clerk", "login": "clerk", "password": "clerk",
                                 "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
    client = crm_web.client("clerk")
    root = ref(crm_web, "crm.crm_menu_root")
    assert f"menu={root}" not in text(client.get("/web"))
    assert f"menu={root}" in text(crm_web.client("mei.chen").get("/web"))
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    assert client.get(f"/web/action/{pipeline}").status_code == 403


def test_the_dashboard_shows_charts_and_figures(crm_web):
    client = crm_web.client("admin")
    dashboard = ref(crm_web, "crm.crm_dashboard_action")
    response = client.get("/crm/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/web/action/{dashboard}"
                                                 "?view_type=crm_dashboard")
    page = text(client.get(f"/web/action/{dashboard}"))
    assert page.count("<svg") >= 3 and 'class="o-chart o-chart-pie"' in page
    for part in ('data-kpi="forecast"', 'data-kpi="won"', "crm-top-customers",
                 "crm-followups", 'data-by="user"', 'data-by="market"', "crm-movement"):
        assert part in page, part
    with crm_web.env() as env:
        open_count = env["crm.lead"].search_count([("type", "=", "opportunity"),
                                                   ("won_status", "=", "pending")])
    assert f"{open_count} open deals" in page
    mine = text(crm_web.client("mei.chen").get(f"/web/action/{dashboard}?s=1"))
    with crm_web.env(user="mei.chen") as env:
        mine_count = env["crm.lead"].search_count([("type", "=", "opportunity"),
                                                   ("won_status", "=", "pending")])
    assert mine_count < open_count and f"{mine_count} open deals" in mine


def test_dragging_a_card_to_another_stage(crm_web):
    client = crm_web.client("mei.chen")
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    deal_id, _name = _deal(crm_web, "mei.chen", **{"stage_id.name": "New"})
    qualified = ref(crm_web, "crm.stage_lead2")
    response = client.json("/web/json/kanban_move", {
        "action_id": pipeline, "model": "crm.lead", "id": deal_id, "field": "stage_id",
        "value": qualified})
    assert response.status_code == 200, text(response)
    assert response.get_json()["moved"] is True
    with crm_web.env() as env:
        deal = env["crm.lead"].browse(deal_id)
        assert (deal.stage_id.id, deal.probability) == (qualified, 25.0)
        assert deal.stage_history_ids[0].kind == "moved"
    won = ref(crm_web, "crm.stage_lead4")
    response = client.json("/web/json/kanban_move", {
        "action_id": pipeline, "model": "crm.lead", "id": deal_id, "field": "stage_id",
        "value": won})
    with crm_web.env() as env:
        assert env["crm.lead"].browse(deal_id).won_status == "won"


def test_the_partners_smart_button_opens_its_deals(crm_web):
    client = crm_web.client("admin")
    partner = ref(crm_web, "crm.customer_lichtwerk")
    form = text(client.get(f"/web/model/res.partner/{partner}"))
    assert 'value="action_view_opportunity"' in form and "o-stat-value" in form
    response = client.post(f"/web/model/res.partner/{partner}",
                           data={"_button": "action_view_opportunity"})
    assert response.status_code == 302, text(response)[:500]
    target = response.headers["Location"]
    query = parse_qs(urlparse(target).query)
    assert json.loads(query["domain"][0])[0] == ["commercial_partner_id", "=", partner]
    assert query["view_type"] == ["kanban"]
    listing = text(client.get(target.replace("view_type=kanban", "view_type=list")))
    with crm_web.env() as env:
        names = env["crm.lead"].search([("commercial_partner_id", "=", partner),
                                        ("type", "=", "opportunity")]).mapped("name")
        others = env["crm.lead"].search([("commercial_partner_id", "!=", partner),
                                         ("type", "=", "opportunity")], limit=3).mapped("name")
    assert names and all(name in listing for name in names)
    assert not any(name in listing for name in others)
    assert "Opportunities of Lichtwerk Handels GmbH" in listing          # the facet


def test_losing_a_deal_through_the_wizard(crm_web):
    client = crm_web.client("mei.chen")
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    deal_id, _name = _deal(crm_web, "mei.chen")
    response = client.post(f"/web/action/{pipeline}/{deal_id}",
                           data={"_button": "action_open_lost_wizard"})
    assert response.status_code == 302, text(response)[:800]
    wizard_url = response.headers["Location"]
    assert "/web/model/crm.lead.lost/" in wizard_url
    assert client.get(wizard_url).status_code == 200
    reason = ref(crm_web, "crm.lost_reason_lead_time")
    response = client.post(wizard_url, data={"_button": "action_lost_reason_apply",
                                             "lost_reason_id": str(reason),
                                             "lost_reason_id__display": "Lead time too long",
                                             "lost_feedback": "Needs it in two weeks"})
    assert response.status_code == 302, text(response)[:800]
    assert response.headers["Location"].endswith(f"/web/model/crm.lead/{deal_id}")
    with crm_web.env() as env:
        deal = env["crm.lead"].with_context(active_test=False).browse(deal_id)
        assert (deal.active, deal.lost_reason_id.id) == (False, reason)


def test_converting_a_lead_through_the_wizard(crm_web):
    client = crm_web.client("admin")
    leads = ref(crm_web, "crm.crm_lead_all_leads")
    with crm_web.env() as env:
        lead = env["crm.lead"].search([("type", "=", "lead"),
                                       ("partner_name", "=", "Costa Iluminación S.L.")])
        lead_id = lead.id
    response = client.post(f"/web/action/{leads}/{lead_id}",
                           data={"_button": "action_convert_opportunity"})
    wizard_url = response.headers["Location"]
    page = text(client.get(wizard_url))
    assert "Create a new customer" in page
    response = client.post(wizard_url, data={"_button": "action_apply"})
    assert response.status_code == 302, text(response)[:800]
    with crm_web.env() as env:
        lead = env["crm.lead"].browse(lead_id)
        assert lead.type == "opportunity"
        assert lead.partner_id.commercial_partner_id.name == "Costa Iluminación S.L."


def test_the_dashboard_route_answers_404_without_crm(installed_db):
    from werkzeug.test import Client

    from core.http.app import Application
    from tests.web.conftest import WebClient

    db = installed_db(("base",))
    with db.env() as env:
        env.ref("base.user_admin").write({"password": "admin"})
    client = WebClient(Client(Application(db)), None)
    client.login("admin", "admin")
    assert client.get("/crm/dashboard").status_code == 404
    assert re.search(r"<title>", text(client.get("/web")))


def test_the_pipeline_and_dashboard_in_traditional_chinese(crm_web):
    with crm_web.env() as env:
        env["res.users"].search([("login", "=", "jimmy.lin")]).write({"lang": "zh_TW"})
    client = crm_web.client("jimmy.lin")
    dashboard = text(client.get(f"/web/action/{ref(crm_web, 'crm.crm_dashboard_action')}"))
    for word in ("本月成交", "加權銷售管道", "各市場營收", "逾期的跟進", "成交率"):
        assert word in dashboard, word
    pipeline = ref(crm_web, "crm.crm_lead_action_pipeline")
    board = text(client.get(f"/web/action/{pipeline}?view_type=kanban"))
    for word in ("我的銷售管道", "新進", "已確認需求", "議價"):
        assert word in board, word
    deal_id, _name = _deal(crm_web, "jimmy.lin")
    form = text(client.get(f"/web/action/{pipeline}/{deal_id}"))
    for word in ("預期收入", "成交機率", "預計成交日", "業務員", "銷售團隊", "失單"):
        assert word in form, word


def test_every_crm_text_is_translated():
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "addons"
    for module in ("crm", "utm", "sale_crm"):
        with open(root / module / "i18n" / "zh_TW.po", "rb") as handle:
            catalog = read_po(handle)
        with open(root / module / "i18n" / f"{module}.pot", "rb") as handle:
            template = read_po(handle)
        missing = [m.id for m in template if m.id and not (catalog.get(m.id) and
                                                           catalog.get(m.id).string)]
        assert not missing, (module, missing[:5])


def _form_values(response) -> list[tuple[str, str]]:
    """What the browser posts for the record form of a page (lines' templates left out)."""
    from lxml import html

    form = html.fromstring(text(response)).get_element_by_id("o-form")
    return [(name, value) for name, value in form.form_values() if "__INDEX__" not in name]


def test_saving_a_quotation_form_keeps_the_price_typed_on_a_line(crm_web):
    """The form posts every field: only the changed ones are written, so neither
    the price list nor the quantity recomputes a price the salesperson typed."""
    client = crm_web.client("mei.chen")
    with crm_web.env() as env:
        order = env["sale.order"].search([("user_id.login", "=", "mei.chen"),
                                          ("state", "=", "draft"),
                                          ("opportunity_id", "!=", False)], limit=1)
        order_id, deal = order.id, order.opportunity_id
        quantity = order.order_line[0].product_uom_qty
    url = f"/web/model/sale.order/{order_id}"
    values = _form_values(client.get(url))
    price = next(key for key, _value in values if key.endswith(".price_unit"))
    typed = [(key, "99.5" if key == price else value) for key, value in values]
    assert client.post(url, data=[*typed, ("_op", "save")]).status_code == 302
    with crm_web.env() as env:
        line = env["sale.order"].browse(order_id).order_line[0]
        stamp = line.order_id.write_date
        assert (line.price_unit, line.product_uom_qty) == (99.5, quantity)
        assert env["crm.lead"].browse(deal.id).expected_revenue == \
            line.order_id.amount_untaxed == 99.5 * quantity
    values = _form_values(client.get(url))         # saved again, nothing changed
    assert client.post(url, data=[*values, ("_op", "save")]).status_code == 302
    with crm_web.env() as env:
        order = env["sale.order"].browse(order_id)
        assert (order.write_date, order.order_line[0].price_unit) == (stamp, 99.5)
    values = _form_values(client.get(url))
    edited = [(key, "PO-7731" if key == "client_order_ref" else value)
              for key, value in values]
    assert client.post(url, data=[*edited, ("_op", "save")]).status_code == 302
    with crm_web.env() as env:
        order = env["sale.order"].browse(order_id)
        assert (order.client_order_ref, order.order_line[0].price_unit) == ("PO-7731", 99.5)


def test_the_dashboard_page_reads_as_much_with_more_deals(crm_web):
    """The page's statements do not grow with the deals: each panel is a
    read_group or a limited search, whatever the number of deals."""
    from addons.crm.tools import demo
    from tests.fixtures import QueryCounter

    dashboard = ref(crm_web, "crm.crm_dashboard_action")
    url = f"/web/action/{dashboard}?view_type=crm_dashboard"
    clients = {login: crm_web.client(login) for login in ("admin", "mei.chen")}

    def count(login: str) -> int:
        clients[login].get(url)                            # caches warm
        with QueryCounter(crm_web.db.engine) as counter:
            assert clients[login].get(url).status_code == 200
        return counter.count

    before = {login: count(login) for login in clients}
    plan = demo.make_plan(11)
    plan.deals = plan.deals[:300]
    with crm_web.env() as env:
        demo.Loader(env, plan).load()               # 300 more deals, activities, history
        names = [deal.values["name"] for deal in plan.deals]
    try:
        assert {login: count(login) for login in clients} == before
    finally:
        with crm_web.env() as env:
            env["crm.lead"].with_context(active_test=False).search(
                [("name", "in", names)]).unlink()
