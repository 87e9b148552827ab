"""Access rights of e-mail marketing: a marketing user works with lists,
contacts, mailings and their statistics; a plain internal user does not
(both backends)."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError
from tests.addons_marketing.conftest import make_user, model_id


def test_marketing_user_builds_and_sends_a_mailing(env, mk):
    marketer_env = env(user=mk.marketer.id, su=False)
    news = marketer_env["mailing.list"].create({"name": "Distributors"})
    contact = marketer_env["mailing.contact"].create({
        "name": "Eva", "email": "eva@distri.example", "list_ids": [(6, 0, [news.id])]})
    mailing = marketer_env["mailing.mailing"].create({
        "subject": "Hi {{ object.name }}", "body_html": "<p>Hello</p>",
        "contact_list_ids": [(6, 0, [news.id])]})
    traces = mailing.action_send_mail()
    assert traces.res_id == contact.id and traces.trace_status == "outgoing"
    assert traces.env.uid == mk.marketer.id
    assert mailing.expected == 1 and news.contact_count == 1
    # the queue itself stays the administrators'
    with pytest.raises(AccessError):
        marketer_env["mail.mail"].search([])
    with pytest.raises(AccessError):
        marketer_env["mail.blacklist"].search([])


@pytest.mark.parametrize("model", ["mailing.list", "mailing.contact", "mailing.subscription",
                                   "mailing.mailing", "mailing.trace", "link.tracker",
                                   "link.tracker.click"])
def test_plain_internal_user_has_no_access(env, mk, model):
    employee_env = env(user=mk.employee.id, su=False)
    with pytest.raises(AccessError):
        employee_env[model].search([])
    with pytest.raises(AccessError):
        employee_env[model].create({})


def test_plain_user_cannot_send_or_read_statistics(env, mk):
    mailing = mk.mailing(mk.news)
    as_employee = mailing.with_user(mk.employee)
    with pytest.raises(AccessError):
        as_employee.action_send_mail()
    with pytest.raises(AccessError):
        as_employee.read(["opened_ratio"])


def test_recipients_are_read_with_the_senders_rights(env, mk):
    """A marketing user without sales rights cannot mail leads they may not read."""
    env["crm.lead"].create({"name": "Fair visitor", "email_from": "v@fair.example"})
    marketer_only = make_user(env, "marketer_only", "crm_marketing.group_mass_mailing_user")
    mailing = mk.mailing(mailing_model_id=model_id(env, "crm.lead"))
    with pytest.raises(AccessError):
        mailing.with_user(marketer_only).action_send_mail()
    # a salesperson who markets too reads and mails them
    assert mailing.with_user(mk.marketer).action_send_mail().email == "v@fair.example"


def test_a_mailing_the_scheduler_cannot_send_does_not_stop_the_others(env, mk, caplog):
    marketer_only = make_user(env, "marketer_only", "crm_marketing.group_mass_mailing_user")
    env["crm.lead"].create({"name": "Fair visitor", "email_from": "v@fair.example"})
    leads = mk.mailing(mailing_model_id=model_id(env, "crm.lead"), user_id=marketer_only.id)
    news = mk.mailing(mk.news, user_id=mk.marketer.id)
    (leads | news).write({"state": "in_queue"})
    env["mailing.mailing"]._process_mass_mailing_queue()
    assert leads.state == "in_queue" and not leads.mailing_trace_ids
    assert news.state == "sending" and news.mailing_trace_ids
    assert "could not be sent" in caplog.text
