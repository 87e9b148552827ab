"""The customer 360: market, revenue, last contact, documents with reminders, duplicates."""

from __future__ import annotations

import datetime as dt

from tests.addons_crm.conftest import set_rate


def _company(env, name="Lichtwerk Handels GmbH", **values):
    return env["res.partner"].create({"name": name, "is_company": True, **values})


def test_market_follows_the_country_unless_chosen(env):
    partner = _company(env, country_id=env.ref("base.ae").id)
    assert partner.market_id == env.ref("crm.market_middle_east")
    partner.country_id = env.ref("base.br")
    assert partner.market_id == env.ref("crm.market_latin_america")
    partner.market_id = env.ref("crm.market_europe")
    assert partner.market_id == env.ref("crm.market_europe")


def test_revenue_and_deals_of_the_company_and_its_contacts(env, stages):
    eur = set_rate(env, "EUR", 0.8)
    acme = _company(env, "Acme")
    jane = env["res.partner"].create({"name": "Jane", "parent_id": acme.id})
    Lead = env["crm.lead"]  # noqa: N806
    won_eur, won_usd, open_deal, other = Lead.create([
        {"name": "W1", "partner_id": jane.id, "currency_id": eur.id, "expected_revenue": 800},
        {"name": "W2", "partner_id": acme.id, "expected_revenue": 500},
        {"name": "Open", "partner_id": jane.id, "expected_revenue": 9999},
        {"name": "Other", "expected_revenue": 1}])
    (won_eur | won_usd).action_set_won()
    assert (acme.total_revenue, acme.opportunity_count) == (1500.0, 3)
    assert (jane.total_revenue, jane.opportunity_count) == (1500.0, 3)
    action = acme.action_view_opportunity()
    assert action["id"] == env.ref("crm.crm_lead_action_pipeline").id
    assert Lead.search(action["domain"]) == won_eur | won_usd | open_deal


def test_last_contact_is_the_latest_mail_note_or_done_activity(env, users):
    acme = _company(env, "Acme")
    jane = env["res.partner"].create({"name": "Jane", "parent_id": acme.id})
    lead = env["crm.lead"].create({"name": "Deal", "partner_id": jane.id})
    assert not acme.last_contact_date
    message = lead.message_post(body="Sent the price list", message_type="comment")
    message.date = dt.datetime(2026, 5, 4, 8, 0)
    note = jane.message_post(body="Called her", message_type="comment")
    note.date = dt.datetime(2026, 3, 1, 8, 0)
    acme.invalidate_recordset(["last_contact_date"])
    assert acme.last_contact_date == dt.datetime(2026, 5, 4, 8, 0)
    activity = lead.activity_schedule("mail.mail_activity_data_call", summary="Call",
                                      user_id=users.sales1.id)
    activity.action_feedback("Wants samples")
    acme.invalidate_recordset(["last_contact_date"])
    assert acme.last_contact_date.date() == dt.date.today()


def test_documents_remind_once_before_they_expire(env, users):
    today = dt.date.today()
    acme = _company(env, "Acme", user_id=users.sales1.id)
    Document = env["crm.partner.document"]  # noqa: N806
    soon, later, expired, never = Document.create([
        {"partner_id": acme.id, "name": "Agreement", "expiry_date": today + dt.timedelta(20),
         "reminder_days": 30, "user_id": users.sales2.id},
        {"partner_id": acme.id, "name": "NDA", "expiry_date": today + dt.timedelta(90)},
        {"partner_id": acme.id, "name": "Old", "expiry_date": today - dt.timedelta(1)},
        {"partner_id": acme.id, "name": "Certificate"}])
    assert [d.state for d in (soon, later, expired, never)] == \
        ["expiring", "valid", "expired", "none"]
    assert acme.document_count == 4
    assert Document._cron_expiry_reminders() == 1
    activity = acme.activity_ids
    assert (activity.user_id, activity.summary) == (
        users.sales2, f"Agreement expires on {soon.expiry_date.isoformat()}")
    assert activity.date_deadline == soon.expiry_date - dt.timedelta(days=7)
    assert Document._cron_expiry_reminders() == 0           # once per expiry date
    soon.expiry_date = today + dt.timedelta(10)             # renewed late: remind again
    assert Document._cron_expiry_reminders() == 1


def test_duplicates_by_name_tax_id_and_company_domain(env):
    original = _company(env, "Lichtwerk Handels GmbH", vat="DE 811.224.567",
                        email="info@lichtwerk.example")
    Partner = env["res.partner"]  # noqa: N806
    assert Partner._find_duplicates({"name": "LICHTWERK handels gmbh."}) == original
    assert Partner._find_duplicates({"name": "Other", "vat": "de811224567"}) == original
    assert Partner._find_duplicates({"name": "Other",
                                     "email": "anna@lichtwerk.example"}) == original
    assert not Partner._find_duplicates({"name": "Other", "email": "anna@gmail.com"})
    assert not Partner._find_duplicates({"name": "Nordlicht GmbH"})
    copy = _company(env, "Lichtwerk Handels", email="sales@lichtwerk.example")
    assert original in copy.duplicate_partner_ids
    bodies = env["mail.message"].search([("model", "=", "res.partner"),
                                         ("res_id", "=", copy.id)]).mapped("body")
    assert any("Possible duplicate of Lichtwerk Handels GmbH" in body for body in bodies)
    contact = env["res.partner"].create({"name": "Anna", "parent_id": original.id,
                                         "email": "anna@lichtwerk.example"})
    assert not contact.duplicate_partner_ids.filtered(lambda p: p == original)


def test_the_form_warns_about_duplicates_while_typing(env):
    _company(env, "Al Noor Lighting Trading LLC")
    result = env["res.partner"].onchange({"name": "AL NOOR lighting trading", "is_company": True},
                                         ["name"])
    assert "Al Noor Lighting Trading LLC" in result["warning"]["message"]


def test_a_factory_address_is_named_after_its_company(env):
    hikari = _company(env, "Hikari Shoji")
    factory = env["res.partner"].create({"parent_id": hikari.id, "type": "factory",
                                         "city": "Sakai"})
    assert factory.display_name == "Hikari Shoji, Factory Address"
    assert hikari.address_get(["factory"])["factory"] == factory.id
