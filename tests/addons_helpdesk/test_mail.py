"""E-mail to ticket and back, through the real paths: a raw RFC 822 message fed to
the mail gateway (``mail-in``), the agent's answer sent by SMTP to a local
server, the customer's reply threaded back by its In-Reply-To, and the
satisfaction survey's link answered on the public page."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from addons.mail.tools.mail_in import deliver
from tests.addons_mail.conftest import smtp_controller, smtp_server  # noqa: F401

DOMAIN = "troika.example"


def raw_mail(subject, body, sender="Anna Weber <anna@mueller.example>",
             to=f"support@{DOMAIN}", message_id="<q1@mueller.example>", in_reply_to=None):
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {subject}",
               f"Message-ID: {message_id}", "Date: Wed, 25 Nov 2026 16:00:00 +0800",
               "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


@pytest.fixture(scope="module")
def hd_db(installed_db):
    """A committed database with crm_helpdesk, two agents and the support team."""
    database = installed_db(("crm_helpdesk",))
    with database.env() as env:
        env["ir.cron"].with_context(active_test=False).search([]).write({"active": False})
        params = env["ir.config_parameter"]
        params.set_param("mail.catchall.domain", DOMAIN)
        params.set_param("mail.catchall.alias", "catchall")
        params.set_param("web.base.url", "http://helpdesk.test")
        group = env.ref("crm_helpdesk.group_helpdesk_user")
        agents = env["res.users"].create([
            {"name": f"Agent {n}", "login": f"mail_agent{n}", "email": f"agent{n}@{DOMAIN}",
             "groups_id": [(6, 0, [group.id])]} for n in (1, 2)])
        env["helpdesk.team"].create({
            "name": "Export Support", "alias_name": "support", "auto_assignment": True,
            "member_ids": [(6, 0, agents.ids)], "use_rating": True})
    return database


def ticket_of(env, ticket_id):
    return env["helpdesk.ticket"].browse(ticket_id)


def test_mail_to_the_alias_opens_a_ticket(hd_db):
    ticket_id = deliver(hd_db, raw_mail("退貨: cracked diffusers", "Two panels arrived broken.",
                                        message_id="<open-1@mueller.example>"))
    with hd_db.env() as env:
        ticket = ticket_of(env, ticket_id)
        assert ticket.name == "退貨: cracked diffusers"
        assert ticket.team_id.name == "Export Support" and ticket.user_id
        assert ticket.partner_email == "anna@mueller.example"
        assert ticket.partner_id.email == "anna@mueller.example"    # a contact was made
        assert ticket.partner_id.name == "Anna Weber"
        assert "Two panels arrived broken." in ticket.description
        assert ticket.partner_id in ticket.message_partner_ids      # the customer follows
        assert ticket.stage_id == env.ref("crm_helpdesk.stage_new")
        assert not ticket.first_response_date                       # the mail is no answer
    # the same message again (a retried delivery) opens nothing new
    assert deliver(hd_db, raw_mail("退貨: cracked diffusers", "Two panels arrived broken.",
                                   message_id="<open-1@mueller.example>")) == ticket_id


def test_mail_to_an_unknown_address_is_dropped(hd_db):
    assert deliver(hd_db, raw_mail("Hello", "?", to=f"nobody@{DOMAIN}",
                                   message_id="<lost@x.example>")) is False


def test_answer_by_smtp_and_threaded_reply(hd_db, smtp_server):  # noqa: F811
    ticket_id = deliver(hd_db, raw_mail("LED driver flickers", "The driver flickers at 30%.",
                                        message_id="<flicker-1@mueller.example>"))
    with hd_db.env() as env:
        ticket = ticket_of(env, ticket_id)
        agent = ticket.user_id
        ticket.with_user(agent).message_post(
            body="Please send a video; we ship a new driver.", message_type="comment",
            subtype_xmlid="mail.mt_comment")
        ticket.with_user(agent).action_wait()
        assert ticket.first_response_date                      # the first response
        env["mail.mail"].search([("model", "=", "helpdesk.ticket"),
                                 ("res_id", "=", ticket_id)]).send()
    to_customer = [m for m in smtp_server.messages if "anna@mueller.example" in m["To"]]
    assert len(to_customer) == 1
    sent = to_customer[0]
    assert "Please send a video" in sent.get_body(("html", "plain")).get_content()
    assert sent["Reply-To"] == f"catchall@{DOMAIN}"
    # the customer answers from their mail client: In-Reply-To the message received
    reply = raw_mail("Re: LED driver flickers", "Video attached.", to=sent["Reply-To"],
                     message_id="<flicker-2@mueller.example>", in_reply_to=sent["Message-Id"])
    assert deliver(hd_db, reply) == ticket_id
    with hd_db.env() as env:
        ticket = ticket_of(env, ticket_id)
        last = env["mail.message"].search([("model", "=", "helpdesk.ticket"),
                                           ("res_id", "=", ticket_id),
                                           ("message_type", "=", "email")], limit=1)
        assert "Video attached." in last.body and last.author_id == ticket.partner_id
        # it waited for the customer: back to In Progress
        assert ticket.stage_id == env.ref("crm_helpdesk.stage_in_progress")


def test_from_mail_to_a_rated_close(hd_db, smtp_server):  # noqa: F811
    from core.http.app import Application

    ticket_id = deliver(hd_db, raw_mail("Wrong HS code on invoice", "Please correct it.",
                                        message_id="<hs-1@mueller.example>"))
    with hd_db.env() as env:
        ticket = ticket_of(env, ticket_id)
        agent = ticket.user_id
        ticket.with_user(agent).message_post(body="Corrected invoice attached.",
                                             message_type="comment",
                                             subtype_xmlid="mail.mt_comment")
        ticket.with_user(agent).action_solve()                 # the survey is queued
        env["mail.mail"].search([("state", "=", "outgoing")]).send()
    survey = next(m for m in smtp_server.messages if m["Subject"].startswith("How was"))
    html = survey.get_body(("html",)).get_content()
    link = re.search(r'href="http://helpdesk\.test(/rate/[^"]+)"', html).group(1)
    client = Client(Application(hd_db))
    page = client.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Wrong HS code on invoice" in text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    # without the page's token the answer is refused
    assert client.post(link, data={"rating": "5"}).status_code == 403
    done = client.post(link, data={"rating": "4", "feedback": "Fast and right",
                                   "csrf_token": csrf})
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
    with hd_db.env() as env:
        ticket = ticket_of(env, ticket_id)
        assert (ticket.rating_last_value, ticket.rating_last_feedback) == (4.0,
                                                                          "Fast and right")
        note = env["mail.message"].search([("model", "=", "helpdesk.ticket"),
                                           ("res_id", "=", ticket_id),
                                           ("body", "ilike", "Customer rating")])
        assert note and "Fast and right" in note.body
    # once only: the link is spent
    again = client.post(link, data={"rating": "1", "csrf_token": csrf})
    assert again.status_code == 409
    assert client.get(link).status_code == 409
    with hd_db.env() as env:
        assert ticket_of(env, ticket_id).rating_last_value == 4.0

