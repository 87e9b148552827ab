"""The public lead form over HTTP: the link's UTM names in hidden inputs, CSRF refused
without the page's token, the honeypot, errors shown next to their fields with the
input kept, the rate limit shared by two workers, the thank-you page, zh_TW."""

from __future__ import annotations

import re

from werkzeug.test import Client

from tests.addons_marketing.roi_support import csrf_of, text

FORM = {"name": "Anna Berg", "email": "anna@lichtwerk.example", "company": "Lichtwerk GmbH",
        "phone": "+49 30 1234 567", "message": "500 panels for a school, please."}


def visitor(roi_web, address: str):
    """A browser without a session, from ``address``; returns (client, environ)."""
    return Client(roi_web.app), {"REMOTE_ADDR": address}


def open_form(client, environ, query: str = "") -> str:
    response = client.get(f"/contactus{query}", environ_base=environ)
    assert response.status_code == 200, text(response)[:300]
    return text(response)


def leads(roi_web, **domain) -> list:
    with roi_web.env() as env:
        found = env["crm.lead"].search([(k, "=", v) for k, v in domain.items()])
        return [(lead.name, lead.campaign_id.name, lead.medium_id.name, lead.source_id.name)
                for lead in found]


def test_the_form_carries_the_links_campaign_and_a_csrf_token(roi_web):
    client, environ = visitor(roi_web, "192.0.2.1")
    response = client.get("/contactus?utm_campaign=Spring+Fair&utm_medium=Email"
                          "&utm_source=%3Cscript%3E", environ_base=environ)
    html = text(response)
    assert response.status_code == 200 and "HttpOnly" in response.headers["Set-Cookie"]
    assert 'name="utm_campaign" value="Spring Fair"' in html
    assert 'name="utm_medium" value="Email"' in html
    assert 'name="utm_source" value="&lt;script&gt;"' in html
    assert re.search(r'name="csrf_token" value="[0-9a-f]{64}"', html)
    assert 'name="website"' in html and 'tabindex="-1"' in html         # the honeypot
    assert '<meta name="robots" content="noindex">' in html
    with roi_web.env() as env:
        germany = env.ref("base.de")
        assert f'<option value="{germany.id}">Germany</option>' in html


def test_a_post_without_the_pages_token_is_refused(roi_web):
    client, environ = visitor(roi_web, "192.0.2.2")
    assert client.post("/contactus", data=FORM, environ_base=environ).status_code == 403
    other, _environ = visitor(roi_web, "192.0.2.2")
    foreign = csrf_of(open_form(other, environ))          # another visitor's token
    assert client.post("/contactus", data={**FORM, "csrf_token": foreign},
                       environ_base=environ).status_code == 403
    open_form(client, environ)
    refused = client.post("/contactus", data={**FORM, "csrf_token": "0" * 64},
                          environ_base=environ)
    assert refused.status_code == 403 and "reload the page" in text(refused)
    assert leads(roi_web, email_from="anna@lichtwerk.example", contact_name="Anna Berg") == []


def test_a_submission_makes_a_lead_of_the_campaign_and_thanks(roi_web):
    with roi_web.env() as env:
        env["utm.campaign"].create({"name": "Spring Fair 2026"})
        env["utm.source"].create({"name": "Newsletter April"})
    client, environ = visitor(roi_web, "192.0.2.3")
    html = open_form(client, environ, "?utm_campaign=spring+fair+2026&utm_medium=email"
                                      "&utm_source=Newsletter+April")
    posted = {**FORM, "email": "anna@spring.example", "csrf_token": csrf_of(html),
              "utm_campaign": "spring fair 2026", "utm_medium": "email",
              "utm_source": "Newsletter April"}
    response = client.post("/contactus", data=posted, environ_base=environ)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/contactus/thank-you?lang=en_US")
    thanks = client.get("/contactus/thank-you?lang=en_US", environ_base=environ)
    assert thanks.status_code == 200 and "Thank you!" in text(thanks)
    assert leads(roi_web, email_from="anna@spring.example") == [
        ("Web inquiry from Lichtwerk GmbH", "Spring Fair 2026", "Email", "Newsletter April")]


def test_errors_show_the_form_again_with_what_was_typed(roi_web):
    client, environ = visitor(roi_web, "192.0.2.4")
    html = open_form(client, environ, "?utm_campaign=Spring+Fair+2026")
    response = client.post("/contactus", environ_base=environ, data={
        **FORM, "name": "<b>Anna</b>", "email": "anna@", "message": "",
        "csrf_token": csrf_of(html), "utm_campaign": "Spring Fair 2026"})
    page = text(response)
    assert response.status_code == 400
    assert "E-mail: anna@ is not an e-mail address; enter one such as name@example.com." \
        in page
    assert "Message: this field is required." in page
    assert 'value="&lt;b&gt;Anna&lt;/b&gt;"' in page and "<b>Anna</b>" not in page
    assert 'id="lf-email" class="o-input" name="email" type="email" value="anna@"' in page
    assert 'aria-invalid="true" aria-describedby="lf-email-error"' in page
    assert 'name="utm_campaign" value="Spring Fair 2026"' in page
    assert leads(roi_web, email_from="anna@") == []


def test_a_filled_honeypot_gets_thanks_and_makes_nothing(roi_web):
    client, environ = visitor(roi_web, "192.0.2.5")
    html = open_form(client, environ)
    response = client.post("/contactus", environ_base=environ, data={
        **FORM, "email": "robot@spam.example", "website": "http://spam.example",
        "csrf_token": csrf_of(html)})
    assert response.status_code == 303 and "thank-you" in response.headers["Location"]
    assert leads(roi_web, email_from="robot@spam.example") == []


def test_the_rate_limit_holds_across_two_workers(roi_web):
    """Two applications on two connections pools (as two server processes) share the
    count, kept in the database."""
    from core.http.app import Application
    from core.modules.manager import open_database

    with roi_web.env() as env:
        env["ir.config_parameter"].set_param("crm_marketing.lead_form_limit", "2")
    second_db = open_database(roi_web.url)
    try:
        workers = [roi_web.app, Application(second_db)]
        address = {"REMOTE_ADDR": "192.0.2.6"}
        statuses = []
        for index in range(3):
            client = Client(workers[index % 2])
            html = open_form(client, address)
            statuses.append(client.post("/contactus", environ_base=address, data={
                **FORM, "email": f"limit{index}@lichtwerk.example",
                "csrf_token": csrf_of(html)}).status_code)
        assert statuses == [303, 303, 429]
        client = Client(workers[1])
        html = open_form(client, address)
        limited = client.post("/contactus", environ_base=address,
                              data={**FORM, "csrf_token": csrf_of(html)})
        assert limited.status_code == 429
        assert 0 < int(limited.headers["Retry-After"]) <= 3601
        assert "Too many messages were sent from your network" in text(limited)
        assert 'value="Anna Berg"' in text(limited)
        other = {"REMOTE_ADDR": "192.0.2.7"}
        html = open_form(client, other)
        assert client.post("/contactus", environ_base=other, data={
            **FORM, "email": "other@lichtwerk.example",
            "csrf_token": csrf_of(html)}).status_code == 303
    finally:
        second_db.close()
        with roi_web.env() as env:
            env["ir.config_parameter"].set_param("crm_marketing.lead_form_limit", "5")


def test_the_form_and_its_thanks_in_traditional_chinese(roi_web):
    client, environ = visitor(roi_web, "192.0.2.8")
    html = open_form(client, environ, "?lang=zh_TW")
    for word in ("聯絡我們", "您的姓名", "電子郵件", "公司", "國家", "電話", "留言", "送出"):
        assert word in html, word
    assert 'action="/contactus?lang=zh_TW"' in html
    response = client.post("/contactus?lang=zh_TW", environ_base=environ,
                           data={**FORM, "email": "", "csrf_token": csrf_of(html)})
    assert "電子郵件：此欄位為必填。" in text(response)
    thanks = client.get("/contactus/thank-you?lang=zh_TW", environ_base=environ)
    assert "謝謝您！" in text(thanks)


def test_a_mailings_tracked_link_leads_to_a_lead_of_its_campaign(roi_web):
    """The mailing's link carries the names of its campaign, medium and source; the
    visitor who lands on the form and sends it is a lead of the mailing and of the
    campaign, whose ROI follows."""
    from urllib.parse import urlsplit

    with roi_web.env() as env:
        campaign = env["utm.campaign"].create({"name": "Stadium lighting push",
                                               "cost": 900.0})
        mailing = env["mailing.mailing"].create({
            "subject": "Floodlights for stadiums", "campaign_id": campaign.id,
            "email_from": "marketing@troika.example", "body_html": "<p>Hi</p>"})
        link = env["link.tracker"]._find_or_create(["https://troika.example/contactus"],
                                                   mailing)["https://troika.example/contactus"]
        query = urlsplit(link.redirected_url).query
        mailing_id, campaign_id = mailing.id, campaign.id
    assert "utm_campaign=Stadium+lighting+push" in query and "utm_medium=Email" in query
    client, environ = visitor(roi_web, "192.0.2.9")
    html = open_form(client, environ, f"?{query}")
    hidden = dict(re.findall(r'name="(utm_\w+)" value="([^"]*)"', html))
    response = client.post("/contactus", environ_base=environ, data={
        **FORM, "email": "coach@stadium.example", "csrf_token": csrf_of(html), **hidden})
    assert response.status_code == 303
    with roi_web.env() as env:
        lead = env["crm.lead"].search([("email_from", "=", "coach@stadium.example")])
        mailing = env["mailing.mailing"].browse(mailing_id)
        assert (lead.campaign_id.id, lead.medium_id, lead.source_id) == \
            (campaign_id, mailing.medium_id, mailing.source_id)
        assert mailing.crm_lead_count == 1
        campaign = env["utm.campaign"].browse(campaign_id)
        assert (campaign.crm_lead_count, campaign.cost_per_lead) == (1, 900.0)
