"""Leads becoming opportunities: the customer created or linked, duplicates found."""

from __future__ import annotations


def _lead(env, **values):
    return env["crm.lead"].create({"type": "lead", "name": "Inquiry", **values})


def test_converting_creates_the_company_and_its_contact(env, users, teams, stages):
    lead = _lead(env, partner_name="Lichtwerk Handels GmbH", contact_name="Anna Berg",
                 email_from="anna.berg@lichtwerk.example", phone="+49 89 1",
                 country_id=env.ref("base.de").id, city="München", user_id=False)
    assert lead.stage_history_ids.mapped("kind") == []
    wizard = env["crm.lead2opportunity.partner"].create({"lead_id": lead.id,
                                                         "user_id": users.sales2.id})
    assert (wizard.name, wizard.action, wizard.team_id) == ("convert", "create", teams.europe)
    result = wizard.action_apply()
    assert result["res_id"] == lead.id
    contact = lead.partner_id
    company = contact.parent_id
    assert (lead.type, lead.user_id, lead.team_id, lead.stage_id) == \
        ("opportunity", users.sales2, teams.europe, stages.new)
    assert (contact.name, contact.email, contact.is_company) == \
        ("Anna Berg", "anna.berg@lichtwerk.example", False)
    assert (company.name, company.is_company, company.city, company.country_id) == \
        ("Lichtwerk Handels GmbH", True, "München", env.ref("base.de"))
    assert company.market_id == env.ref("crm.market_europe")
    assert lead.date_conversion
    assert lead.stage_history_ids.mapped("kind") == ["entered"]


def test_converting_links_an_existing_company_despite_a_different_spelling(env, users):
    company = env["res.partner"].create({"name": "LICHTWERK Handels GmbH & Co. KG",
                                         "is_company": True})
    lead = _lead(env, partner_name="Lichtwerk Handels gmbh.", contact_name="Tobias Lang",
                 email_from="t.lang@lichtwerk.example")
    wizard = env["crm.lead2opportunity.partner"].create({"lead_id": lead.id})
    assert (wizard.action, wizard.partner_id) == ("exist", company)
    wizard.action_apply()
    assert lead.partner_id.parent_id == company
    assert lead.partner_id.name == "Tobias Lang"
    assert env["res.partner"].search_count([("name_normalized", "=", "lichtwerk handels")]) == 1


def test_a_matching_email_links_the_contact_itself(env):
    company = env["res.partner"].create({"name": "Acme", "is_company": True})
    jane = env["res.partner"].create({"name": "Jane", "parent_id": company.id,
                                      "email": "Jane@Acme.example"})
    lead = _lead(env, email_from="jane@acme.example", contact_name="Jane D.")
    assert lead._find_matching_partner() == jane
    lead._handle_partner_assignment()
    lead.convert_opportunity(lead.partner_id)
    assert lead.partner_id == jane and lead.type == "opportunity"


def test_the_same_company_domain_links_to_the_company(env):
    company = env["res.partner"].create({"name": "Nordlicht Beleuchtung", "is_company": True,
                                         "email": "info@nordlicht.example"})
    lead = _lead(env, partner_name="Nordlicht (Hamburg office)", contact_name="Jonas",
                 email_from="jonas@nordlicht.example")
    assert lead._find_matching_partner() == company
    public = _lead(env, partner_name="Someone Else", email_from="x@gmail.com")
    assert not public._find_matching_partner()


def test_duplicate_leads_are_proposed_and_merged_at_conversion(env, users, stages):
    first = env["crm.lead"].create({"name": "Panels for Acme", "partner_name": "Acme GmbH",
                                    "email_from": "buyer@acme.example",
                                    "stage_id": stages.qualified.id, "expected_revenue": 5000})
    again = _lead(env, name="Acme again", partner_name="ACME gmbh",
                  email_from="other@acme.example")
    unrelated = _lead(env, name="Other", partner_name="Globex", email_from="a@globex.example")
    assert first in again.duplicate_lead_ids and unrelated not in again.duplicate_lead_ids
    assert again.duplicate_lead_count >= 1
    wizard = env["crm.lead2opportunity.partner"].create({"lead_id": again.id})
    assert wizard.name == "merge" and wizard.duplicated_lead_ids == first | again
    result = wizard.action_apply()
    kept = env["crm.lead"].browse(result["res_id"])
    assert kept == first and not again.exists()
    assert kept.partner_id.commercial_partner_id.name == "Acme GmbH"


def test_mass_conversion_shares_leads_out_in_turn(env, users, teams):
    leads = env["crm.lead"].create([{"type": "lead", "name": f"L{i}", "user_id": False}
                                    for i in range(4)])
    leads.convert_opportunity(None, user_ids=[users.sales1.id, users.sales2.id],
                              team_id=teams.europe.id)
    assert [lead.user_id.login for lead in leads] == ["sales1", "sales2", "sales1", "sales2"]
    assert set(leads.mapped("type")) == {"opportunity"}
    assert leads.mapped("team_id") == teams.europe


def test_won_and_lost_leads_are_not_converted(env, stages):
    lost = _lead(env, name="Gone")
    lost.action_set_lost()
    lost.convert_opportunity(None)
    assert lost.type == "lead"
