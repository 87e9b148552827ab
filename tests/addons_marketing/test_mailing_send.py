"""Mailings: recipients from lists and segments, opt-out, blacklist and
duplicates skipped with their reason, mails queued with their traces, trace
events, statistics (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ValidationError
from tests.addons_marketing.conftest import NOW, model_id


def outcomes(traces):
    return {t.res_id: (t.trace_status, t.failure_type or False) for t in traces}


def test_list_mailing_skips_opted_out_blacklisted_and_duplicates(env, mk):
    anna, bruno, chen, _dana = mk.contacts
    chen.subscription_ids.opt_out = True
    env["mail.blacklist"]._add("bruno.rossi@luce.example")
    twin = env["mailing.contact"].create({"name": "Anna again", "email": "ANNA@lichtwerk.example",
                                          "list_ids": [(6, 0, [mk.news.id])]})
    unsure = env["mailing.contact"].create({"name": "Pending", "email": "p@x.example"})
    env["mailing.subscription"].create({"contact_id": unsure.id, "list_id": mk.news.id,
                                        "is_pending": True})
    mailing = mk.mailing(mk.news)
    assert mailing.mailing_model_real == "mailing.contact"
    traces = mailing.action_send_mail()
    assert outcomes(traces) == {
        anna.id: ("outgoing", False),
        bruno.id: ("cancel", "mail_bl"),
        chen.id: ("cancel", "mail_optout"),
        twin.id: ("cancel", "mail_dup"),
    }
    assert unsure.id not in traces.mapped("res_id")        # not confirmed: not a recipient
    sent = traces.filtered(lambda t: t.trace_status == "outgoing")
    mail = sent.mail_mail_id
    assert mail.is_mass_mailing and mail.mailing_id == mailing and mail.state == "outgoing"
    assert mail.subject == "New LED panels for Anna Weber"
    assert mail.email_to == "Anna Weber <anna@lichtwerk.example>"
    assert mail.message_id == sent.message_id and sent.mail_mail_id_int == mail.id
    assert "Dear Anna Weber" in mail.body_html
    assert f"/mail/track/{sent.id}/" in mail.body_html
    assert f"/r/{mailing.link_tracker_ids.code}/m/{sent.id}/" in mail.body_html
    assert mailing.state == "sending" and mailing.sent_date
    assert (mailing.expected, mailing.canceled, mailing.scheduled, mailing.total) == (4, 3, 1, 1)
    # a second run finds nobody left
    assert not mailing.action_send_mail()


def test_explicit_records_and_the_return_value(env, mk):
    anna, bruno, _chen, dana = mk.contacts
    mailing = mk.mailing(mk.news)
    traces = mailing.action_send_mail(res_ids=[anna.id, bruno.id])
    assert traces._name == "mailing.trace" and sorted(traces.mapped("res_id")) == \
        sorted([anna.id, bruno.id])
    assert set(traces.mapped("trace_status")) == {"outgoing"}
    # dana is not on the mailing's list: opted out of it as far as it knows
    assert mailing.action_send_mail(res_ids=[dana.id]).failure_type == "mail_optout"
    # anna was mailed: a second time is a duplicate
    assert mailing.action_send_mail(res_ids=[anna.id]).failure_type == "mail_dup"


def test_partner_segment_german_distributors_not_contacted_lately(env, mk, clock):
    """German distributors who bought LED panels last year and were not contacted
    in the last 90 days, as a saved domain on partners."""
    Partner = env["res.partner"]  # noqa: N806
    de = env.ref("base.de")
    distributor = env["res.partner.category"].create({"name": "Distributor"})
    panels = env["product.category"].create({"name": "LED Panels"})
    tubes = env["product.category"].create({"name": "LED Tubes"})

    def company(name, country=de, tags=(distributor,), email=None):
        return Partner.create({"name": name, "is_company": True, "country_id": country.id,
                               "email": email or f"buyer@{name.split()[0].lower()}.example",
                               "category_id": [(6, 0, [t.id for t in tags])]})

    def won_deal(partner, category, closed):
        lead = env["crm.lead"].create({"name": f"{partner.name} order", "type": "opportunity",
                                       "partner_id": partner.id, "product_categ_id": category.id})
        lead.action_set_won()
        lead.date_closed = closed
        return lead

    target = company("Lichtwerk Handels GmbH")
    contacted = company("Leuchten Nord GmbH")
    tubes_only = company("Röhren Süd GmbH")
    french = company("Lumière SARL", country=env.ref("base.fr"))
    retailer = company("Licht Markt GmbH", tags=())
    old_buyer = company("Alt Licht GmbH")
    last_year = dt.datetime(2025, 6, 1)
    for partner in (target, contacted, french, retailer):
        won_deal(partner, panels, last_year)
    won_deal(tubes_only, tubes, last_year)
    won_deal(old_buyer, panels, dt.datetime(2023, 6, 1))
    # contacted 30 days ago (an e-mail in its chatter); the target 200 days ago
    for partner, days in ((contacted, 30), (target, 200)):
        message = partner.message_post(body="Price list", message_type="email")
        message.date = NOW - dt.timedelta(days=days)
    mailing = mk.mailing(
        mailing_model_id=model_id(env, "res.partner"),
        mailing_domain="""[
            ('country_id.code', '=', 'DE'),
            ('category_id.name', '=', 'Distributor'),
            ('opportunity_ids', 'any', [
                ('won_status', '=', 'won'),
                ('product_categ_id.name', '=', 'LED Panels'),
                ('date_closed', '>=', context_today().replace(month=1, day=1)
                                      - relativedelta(years=1)),
                ('date_closed', '<', context_today().replace(month=1, day=1)),
            ]),
            '|', ('last_contact_date', '=', False),
                 ('last_contact_date', '<', now() - relativedelta(days=90)),
        ]""")
    assert mailing.mailing_model_real == "res.partner"
    assert env["res.partner"].browse(mailing._get_recipients()) == target
    traces = mailing.action_send_mail()
    assert traces.mapped("email") == ["buyer@lichtwerk.example"]
    assert traces.mail_mail_id.email_to == "Lichtwerk Handels GmbH <buyer@lichtwerk.example>"


def test_lead_mailing_and_blacklist(env, mk):
    Lead = env["crm.lead"]  # noqa: N806
    leads = Lead.create([{"name": "Trade fair visitor", "email_from": "visitor@fair.example",
                          "contact_name": "Visitor"},
                         {"name": "Unsubscribed", "email_from": "gone@fair.example"},
                         {"name": "No address"}])
    env["mail.blacklist"]._add("gone@fair.example")
    assert Lead.search([("is_blacklisted", "=", True), ("id", "in", leads.ids)]) == leads[1]
    mailing = mk.mailing(mailing_model_id=model_id(env, "crm.lead"),
                         mailing_domain=f"[('id', 'in', {leads.ids})]")
    traces = mailing.action_send_mail()
    assert sorted(t.failure_type or t.trace_status for t in traces) == \
        ["mail_bl", "mail_email_missing", "outgoing"]


def test_domain_text_is_parsed_never_evaluated(env, mk):
    partners = model_id(env, "res.partner")
    for bad in ("__import__('os').system('true')", "[('name', '=', open('/etc/passwd'))]",
                "[('create_date', '>', context_today().__class__)]", "[('name', '=', x)]",
                "[('nope', '=', 1)]", "{'a': 1}", "[('name', '=']"):
        with pytest.raises(ValidationError, match="Domain"):
            mk.mailing(mailing_model_id=partners, mailing_domain=bad)
    mailing = mk.mailing(mailing_model_id=partners, mailing_domain="[('name', '=', 'x')]")
    with pytest.raises(ValidationError, match="Domain"):
        mailing.mailing_domain = "[('name', '=', lambda: 1)]"
    assert mailing.mailing_domain == "[('name', '=', 'x')]"


def test_mailings_only_go_to_known_models(env, mk):
    with pytest.raises(ValidationError, match="cannot be sent to res.users"):
        mk.mailing(mailing_model_id=model_id(env, "res.users"))


def test_source_one_per_mailing_and_email_medium(env, mk):
    first, second = mk.mailing(mk.news), mk.mailing(mk.news)
    assert first.source_id != second.source_id
    assert first.source_id.name == "New LED panels for {{ object.name }}"
    assert second.source_id.name == "New LED panels for {{ object.name }} [2]"
    assert first.medium_id == env.ref("utm.utm_medium_email")


def test_trace_events_and_statistics(env, mk, clock):
    mailing = mk.mailing(mk.news)
    traces = mailing.action_send_mail().filtered(lambda t: t.trace_status == "outgoing")
    anna, bruno, chen = traces.sorted("res_id")
    traces.set_sent()
    assert set(traces.mapped("trace_status")) == {"sent"} and anna.sent_datetime == NOW
    clock.advance(hours=1)
    anna.set_opened()
    bruno.set_opened()
    bruno.set_clicked()
    chen.set_replied()
    assert chen.trace_status == "reply" and chen.open_datetime == clock.now
    assert not chen.set_opened()                 # a reply stays a reply
    assert not anna.set_opened()                 # opened once
    assert bruno.links_click_datetime == clock.now
    mailing.invalidate_recordset()
    assert (mailing.sent, mailing.delivered, mailing.opened, mailing.clicked,
            mailing.replied) == (3, 3, 3, 1, 1)
    assert mailing.opened_ratio == 100.0 and mailing.clicks_ratio == pytest.approx(33.33)
    anna.set_bounced()
    env["mailing.trace"].set_canceled(domain=[("id", "=", bruno.id)], failure_type="mail_bl")
    mailing.invalidate_recordset()
    assert (mailing.bounced, mailing.canceled, mailing.delivered) == (1, 1, 1)
    assert mailing.bounced_ratio == 50.0


def test_template_mistakes_are_refused_when_saved(env, mk):
    with pytest.raises(ValidationError, match="Body of the mailing .* not a valid template"):
        mk.mailing(mk.news, body_html="<p>Dear {{ object.name </p>")
    with pytest.raises(ValidationError, match="Subject"):
        mk.mailing(mk.news, subject="Hi {% if %}")


def test_preview_text_and_sandbox(env, mk):
    mailing = mk.mailing(mk.news, preview="Offer for {{ object.company_name or object.name }}",
                         body_html="<p>{{ object.name }} {{ object.env }} "
                                   "{{ ''.__class__ }}</p>")
    trace = mailing.action_send_mail().filtered(lambda t: t.email == "anna@lichtwerk.example")
    body = trace.mail_mail_id.body_html
    assert "display:none" in body and "Offer for Anna Weber" in body
    assert "Anna Weber" in body and "Environment" not in body and "class" not in body.split(
        "<p>")[1]
