"""The Campaign ROI report in the web client: its page with totals, charts and a row per
campaign for marketing staff (Email Marketing > Reporting) and sales managers (CRM >
Reporting), refused to salespeople; the campaign's list and form with its cost and
results; zh_TW."""

from __future__ import annotations

import re

import pytest

from tests.addons_marketing.roi_support import text


@pytest.fixture(scope="module")
def campaigns(roi_web):
    """Two campaigns: a fair (cost 1,000; a lead and a deal won for 3,000) and a mailing
    (cost 200, nothing yet)."""
    with roi_web.env() as env:
        fair = env["utm.campaign"].create({"name": "Hong Kong Lighting Fair", "cost": 1000.0})
        mailing = env["utm.campaign"].create({"name": "High bay mailing", "cost": 200.0})
        env["crm.lead"].create({"name": "Booth visitor", "type": "lead",
                                "campaign_id": fair.id})
        env["crm.lead"].create({"name": "Kowloon order", "campaign_id": fair.id,
                                "expected_revenue": 3000.0}).action_set_won()
        action = env.ref("crm_marketing.utm_campaign_action_roi").id
        return {"fair": fair.id, "mailing": mailing.id, "action": action}


def kpis(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="(\w+)"><span class="mk-kpi-value[^"]*">([^<]*)<', html))


def cells(html: str, campaign_id: int) -> dict[str, str]:
    row = re.search(rf'<tr data-campaign="{campaign_id}">(.*?)</tr>', html, re.S).group(1)
    return {key: re.sub(r"<[^>]+>", "", value).strip()
            for key, value in re.findall(r'data-col="(\w+)">(.*?)</td>', row, re.S)}


def test_marketing_staff_see_totals_charts_and_campaigns(roi_web, campaigns):
    client = roi_web.client("marketer")
    response = client.get(f"/web/action/{campaigns['action']}")
    html = text(response)
    assert response.status_code == 200
    assert kpis(html) == {"cost": "$1,200.00", "leads": "2", "opportunities": "1", "won": "1",
                          "revenue": "$3,000.00", "roi": "150.0 %",
                          "cost_per_lead": "$600.00"}
    assert cells(html, campaigns["fair"]) == {
        "cost": "$1,000.00", "leads": "2", "opportunities": "1", "won": "1",
        "won_revenue": "$3,000.00", "order_revenue": "$0.00", "revenue": "$3,000.00",
        "roi": "200.0 %", "cost_per_lead": "$500.00"}
    assert cells(html, campaigns["mailing"])["roi"] == "-100.0 %"
    charts = re.findall(r'<svg [^>]*aria-label="([^"]+)"', html)
    assert charts == ["Cost and revenue by campaign", "ROI by campaign",
                      "Cost per lead by campaign",
                      "Leads, opportunities and won deals by campaign"]
    assert 'data-value="3000.0"' in html and 'data-value="-100.0"' in html
    assert "/web/model/crm.lead?" not in html          # no right to read the leads
    with roi_web.env() as env:
        marketing = env.ref("crm_marketing.mass_mailing_menu_root").id
    assert f"menu={marketing}" in text(client.get("/web"))
    assert re.search(rf'href="/web/action/{campaigns["action"]}[^"]*"[^>]*>Campaign ROI<',
                     text(client.get(f"/web?menu={marketing}")))


def test_the_search_narrows_the_report(roi_web, campaigns):
    client = roi_web.client("marketer")
    html = text(client.get(f"/web/action/{campaigns['action']}?s=1&q=name:mailing"))
    assert kpis(html)["cost"] == "$200.00" and kpis(html)["leads"] == "0"
    assert f'data-campaign="{campaigns["fair"]}"' not in html


def test_sales_managers_open_it_from_crm_with_links_to_the_leads(roi_web, campaigns):
    client = roi_web.client("boss")
    with roi_web.env() as env:
        crm, marketing = env.ref("crm.crm_menu_root").id, \
            env.ref("crm_marketing.mass_mailing_menu_root").id
    home = text(client.get("/web"))
    assert f"menu={crm}" in home and f"menu={marketing}" not in home
    pipeline = text(client.get(f"/web?menu={crm}"))
    assert re.search(rf'href="/web/action/{campaigns["action"]}[^"]*"[^>]*>Campaign ROI<',
                     pipeline), "no Campaign ROI menu under CRM"
    html = text(client.get(f"/web/action/{campaigns['action']}"))
    assert kpis(html)["revenue"] == "$3,000.00"
    link = re.search(rf'<tr data-campaign="{campaigns["fair"]}">.*?href="(/web/model/crm\.lead'
                     r'\?[^"]+)"', html, re.S).group(1)
    leads = text(client.get(link.replace("&amp;", "&")))
    assert "Booth visitor" in leads and "Kowloon order" in leads


def test_salespeople_may_not_open_it(roi_web, campaigns):
    client = roi_web.client("seller")
    response = client.get(f"/web/action/{campaigns['action']}")
    assert response.status_code == 403
    assert "Campaign ROI" not in text(client.get("/web"))


def test_the_list_and_the_form_show_cost_and_results(roi_web, campaigns):
    client = roi_web.client("marketer")
    listing = text(client.get(f"/web/action/{campaigns['action']}?view_type=list"))
    for label in ("Cost", "Leads", "Opportunities", "Revenue", "ROI (%)", "Cost per Lead"):
        assert label in listing, label
    assert "$3,000.00" in listing and "200.0" in listing
    form = text(client.get(f"/web/action/{campaigns['action']}/{campaigns['fair']}"))
    assert "Cost and Results" in form and 'name="cost"' in form
    assert "$500.00" in form


def test_a_stable_address(roi_web, campaigns):
    response = roi_web.client("marketer").get("/marketing/campaign-roi")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/web/action/{campaigns['action']}?view_type=campaign_roi")


def test_the_report_in_traditional_chinese(roi_web, campaigns):
    with roi_web.env() as env:
        env["res.users"].search([("login", "=", "marketer")]).write({"lang": "zh_TW"})
    try:
        html = text(roi_web.client("marketer").get(f"/web/action/{campaigns['action']}"))
        for word in ("成本", "潛在客戶", "商機", "營收", "投資報酬率", "每筆潛在客戶成本"):
            assert word in html, word
    finally:
        with roi_web.env() as env:
            env["res.users"].search([("login", "=", "marketer")]).write({"lang": "en_US"})


def test_every_text_of_the_roi_report_and_the_lead_form_is_translated():
    """The zh_TW catalog has a translation for each text of these files."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    addon = Path(__file__).resolve().parents[2] / "addons" / "crm_marketing"
    ours = ("campaign_roi", "lead_form", "utm_campaign", "crm_lead_form_submission")
    with open(addon / "i18n" / "zh_TW.po", "rb") as handle:
        catalog = read_po(handle)
    texts = [message for message in catalog if message.id and any(
        any(name in path for name in ours) for path, _line in message.locations)]
    assert len(texts) > 60
    assert [message.id for message in texts if not message.string] == []
