"""The public pages of mailings (werkzeug's test client against the
application, both backends): the open pixel, tracked links with the utm
parameters, the unsubscribe page, signing up with double opt-in. Tokens made
for one recipient or one purpose are refused for another, forged ones too."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.test import Client

from tests.addons_marketing.conftest import build

BASE = "https://erp.troika.example"


@pytest.fixture
def web(mailing_db):
    from core.http.app import Application

    return Application(mailing_db)


@pytest.fixture
def sent(mailing_db):
    """A mailing of the LED news list in a campaign, queued: {email: trace id}."""
    with mailing_db.env() as env:
        mk = build(env)
        campaign = env["utm.campaign"].create({"name": "Spring LED push"})
        mailing = mk.mailing(mk.news, campaign_id=campaign.id)
        traces = mailing.action_send_mail()
        secret = env["mail.blacklist"]._database_secret()
        links = {}
        for trace in traces:
            urls = trace._tracking_urls(BASE, secret)
            urls["click"] = trace._click_url(mailing.link_tracker_ids.short_url, secret)
            urls["token"] = {p: trace._tracking_token(p, secret)
                             for p in ("open", "click", "unsubscribe")}
            links[trace.email] = (trace.id, urls)
        return mailing.id, links


def read_trace(db, trace_id, *names):
    with db.env() as env:
        trace = env["mailing.trace"].browse(trace_id)
        return tuple(trace[name] for name in names)


def path(url: str) -> str:
    return url[len(BASE):]


def test_open_pixel_needs_the_recipients_token(web, mailing_db, sent):
    _mailing_id, links = sent
    anna_id, anna = links["anna@lichtwerk.example"]
    bruno_id, bruno = links["bruno.rossi@luce.example"]
    client = Client(web)
    forged = f"/mail/track/{anna_id}/{'0' * 64}/blank.gif"
    foreign = f"/mail/track/{bruno_id}/{anna['token']['open']}/blank.gif"
    wrong_purpose = f"/mail/track/{anna_id}/{anna['token']['click']}/blank.gif"
    for url in (forged, foreign, wrong_purpose):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/gif"
    assert read_trace(mailing_db, anna_id, "trace_status") == ("outgoing",)
    assert read_trace(mailing_db, bruno_id, "trace_status") == ("outgoing",)
    response = client.get(path(anna["open"]))
    assert response.data.startswith(b"GIF89a") and response.headers["Cache-Control"] == \
        "no-store"
    status, opened = read_trace(mailing_db, anna_id, "trace_status", "open_datetime")
    assert status == "open" and opened


def test_tracked_link_redirects_with_utm_names_and_counts_the_click(web, mailing_db, sent):
    mailing_id, links = sent
    anna_id, anna = links["anna@lichtwerk.example"]
    bruno_id, _bruno = links["bruno.rossi@luce.example"]
    client = Client(web)
    response = client.get(path(anna["click"]))
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert (target.netloc, target.path) == ("shop.troika.example", "/led")
    with mailing_db.env() as env:
        mailing = env["mailing.mailing"].browse(mailing_id)
        assert parse_qs(target.query) == {
            "ref": ["news"], "utm_campaign": ["Spring LED push"], "utm_medium": ["Email"],
            "utm_source": [mailing.source_id.name]}
        trace = env["mailing.trace"].browse(anna_id)
        assert trace.trace_status == "open" and trace.links_click_datetime
        click = trace.links_click_ids
        assert click.link_id == mailing.link_tracker_ids and click.mass_mailing_id == mailing
        assert mailing.link_tracker_ids.count == 1 and mailing.clicked == 1
    # anna's click token on bruno's trace, or a forged one: redirected, not counted for him
    code = path(anna["click"]).split("/")[2]
    for url in (f"/r/{code}/m/{bruno_id}/{anna['token']['click']}",
                f"/r/{code}/m/{bruno_id}/{'f' * 64}",
                f"/r/{code}/m/{bruno_id}/{anna['token']['open']}"):
        assert client.get(url).status_code == 302
    assert read_trace(mailing_db, bruno_id, "links_click_datetime") == (False,)
    assert client.get("/r/nosuchcode").status_code == 404
    assert client.get(f"/r/{code}").status_code == 302          # the bare short link


def test_unsubscribe_page_opts_out_of_the_lists(web, mailing_db, sent):
    mailing_id, links = sent
    anna_id, anna = links["anna@lichtwerk.example"]
    bruno_id, _bruno = links["bruno.rossi@luce.example"]
    client = Client(web)
    page = client.get(path(anna["unsubscribe"])).get_data(as_text=True)
    assert "anna@lichtwerk.example" in page and "LED news" in page
    # another recipient's id with anna's token, a forged token: nothing to see or do
    for url in (f"/mailing/unsubscribe/{bruno_id}/{anna['token']['unsubscribe']}",
                f"/mailing/unsubscribe/{anna_id}/{'0' * 64}",
                f"/mailing/unsubscribe/{anna_id}/{anna['token']['open']}"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"choice": "blacklist"}).status_code == 404
    done = client.post(path(anna["unsubscribe"]), data={"choice": "lists"})
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    with mailing_db.env() as env:
        anna_contact = env["mailing.contact"].search(
            [("email_normalized", "=", "anna@lichtwerk.example")])
        by_list = {s.list_id.name: s.opt_out for s in anna_contact.subscription_ids}
        assert by_list == {"LED news": True, "Trade fair invitations": False}
        assert env["mailing.trace"].browse(anna_id).unsubscribed_datetime
        assert not env["mail.blacklist"].search([])
        mailing = env["mailing.mailing"].browse(mailing_id)
        assert mailing.unsubscribed == 1
        # the next mailing to the list skips her; the fair invitations still reach her
        again = mailing.copy()
        assert {t.email: t.failure_type for t in again.action_send_mail()}[
            "anna@lichtwerk.example"] == "mail_optout"
        fairs = mailing.copy({"contact_list_ids": [(6, 0, env["mailing.list"].search(
            [("name", "=", "Trade fair invitations")]).ids)]})
        assert "anna@lichtwerk.example" in fairs.action_send_mail().filtered(
            lambda t: t.trace_status == "outgoing").mapped("email")


def test_unsubscribe_from_everything_and_one_click(web, mailing_db, sent):
    _mailing_id, links = sent
    _anna_id, anna = links["anna@lichtwerk.example"]
    _bruno_id, bruno = links["bruno.rossi@luce.example"]
    client = Client(web)
    client.post(path(anna["unsubscribe"]), data={"choice": "blacklist"})
    # RFC 8058: the mail client posts without a session
    response = client.post(path(bruno["unsubscribe"]),
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.data == b""
    with mailing_db.env() as env:
        assert env["mail.blacklist"].search([]).mapped("email") == ["anna@lichtwerk.example"]
        bruno_contact = env["mailing.contact"].search(
            [("email_normalized", "=", "bruno.rossi@luce.example")])
        assert bruno_contact.subscription_ids.opt_out


def test_double_opt_in(web, mailing_db):
    with mailing_db.env() as env:
        mk = build(env)
        news_id, fairs_id = mk.news.id, mk.fairs.id
    client = Client(web)
    assert client.get(f"/mailing/list/{fairs_id}/subscribe").status_code == 404   # private
    page = client.get(f"/mailing/list/{news_id}/subscribe").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"name": "Eva Novak", "email": "eva@svetlo.example"}
    assert client.post(f"/mailing/list/{news_id}/subscribe", data=form).status_code == 403
    assert Client(web).post(f"/mailing/list/{news_id}/subscribe",
                            data={**form, "csrf_token": csrf}).status_code == 403
    bad = client.post(f"/mailing/list/{news_id}/subscribe",
                      data={"email": "not an address", "csrf_token": csrf})
    assert bad.status_code == 400
    done = client.post(f"/mailing/list/{news_id}/subscribe", data={**form, "csrf_token": csrf})
    assert "We sent a confirmation link to eva@svetlo.example" in done.get_data(as_text=True)
    with mailing_db.env() as env:
        subscription = env["mailing.subscription"].search(
            [("contact_id.email", "=", "eva@svetlo.example")])
        assert subscription.is_pending and subscription.list_id.id == news_id
        mail = env["mail.mail"].search([("email_to", "=", "eva@svetlo.example")])
        assert "Please confirm your subscription to LED news" == mail.subject
        link = re.search(r'href="([^"]+/mailing/confirm/[^"]+)"', mail.body_html).group(1)
        link = link.replace("&amp;", "&")
        # pending: not a recipient of the list's mailings
        mailing = mk_mailing(env, news_id)
        assert "eva@svetlo.example" not in mailing.action_send_mail().mapped("email")
        sub_id = subscription.id
    assert client.get(f"/mailing/confirm/{sub_id}?token={'0' * 64}").status_code == 404
    page = client.get(path(link)).get_data(as_text=True)
    assert "Subscribe eva@svetlo.example to LED news?" in page
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert client.post(f"/mailing/confirm/{sub_id}", data={"token": token}).status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    confirmed = client.post(f"/mailing/confirm/{sub_id}", data={"token": token,
                                                                "csrf_token": csrf})
    assert "eva@svetlo.example is subscribed to LED news" in confirmed.get_data(as_text=True)
    with mailing_db.env() as env:
        subscription = env["mailing.subscription"].browse(sub_id)
        assert not subscription.is_pending and subscription.confirmation_datetime
        mailing = mk_mailing(env, news_id)
        assert "eva@svetlo.example" in mailing.action_send_mail().mapped("email")


def mk_mailing(env, list_id):
    return env["mailing.mailing"].create({
        "subject": "News", "body_html": "<p>News</p>", "email_from": "m@troika.example",
        "contact_list_ids": [(6, 0, [list_id])]})
