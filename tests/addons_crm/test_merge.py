"""Merging deals and contacts: every linked record moves to the one kept, with an audit note."""

from __future__ import annotations

import base64

import pytest

from core.exceptions import AccessError, UserError


def _messages(record):
    return record.env["mail.message"].search([("model", "=", record._name),
                                              ("res_id", "=", record.id)])


def test_merging_deals_keeps_the_most_advanced_and_moves_everything(env, users, stages):
    Lead = env["crm.lead"]  # noqa: N806
    tag_a, tag_b = env["crm.tag"].create([{"name": "A"}, {"name": "B"}])
    lead = Lead.create({"name": "Early", "type": "lead", "email_from": "a@acme.example",
                        "phone": "123", "tag_ids": [(6, 0, tag_a.ids)],
                        "description": "<p>first notes</p>"})
    deal = Lead.create({"name": "Advanced", "stage_id": stages.negotiation.id,
                        "tag_ids": [(6, 0, tag_b.ids)], "description": "<p>second notes</p>",
                        "collaborator_ids": [(6, 0, [users.sales2.id])]})
    lead.message_post(body="Asked for a catalogue")
    lead.activity_schedule("mail.mail_activity_data_call", summary="Call Anna",
                           user_id=users.sales1.id)
    attachment = env["ir.attachment"].create({"name": "spec.pdf", "res_model": "crm.lead",
                                              "res_id": lead.id,
                                              "datas": base64.b64encode(b"%PDF-1.4")})
    lead.message_subscribe(partner_ids=[users.sales3.partner_id.id])
    kept = (lead | deal).merge_opportunity()
    assert kept == deal and not lead.exists()
    assert (kept.email_from, kept.phone) == ("a@acme.example", "123")
    assert kept.tag_ids == tag_a | tag_b
    assert "first notes" in kept.description and "second notes" in kept.description
    assert "Asked for a catalogue" in " ".join(_messages(kept).mapped("body"))
    assert kept.activity_ids.summary == "Call Anna"
    assert attachment.res_id == kept.id
    assert users.sales3.partner_id in kept.message_partner_ids
    assert kept.stage_history_ids.filtered(lambda h: h.kind == "entered")
    note = _messages(kept).filtered(lambda m: "Merged with" in (m.body or ""))
    assert note and f"#{lead.id}" in note.body


def test_merging_needs_two_deals_and_the_right_to_change_them(env, users):
    Lead = env["crm.lead"]  # noqa: N806
    mine = Lead.create({"name": "Mine", "user_id": users.sales1.id})
    theirs = Lead.create({"name": "Theirs", "user_id": users.sales2.id})
    with pytest.raises(UserError):
        mine.merge_opportunity()
    with pytest.raises(AccessError):
        (mine | theirs).with_user(users.sales1).merge_opportunity()
    assert theirs.exists()


def test_merging_contacts_moves_every_reference_found_in_the_registry(env, users):
    Partner = env["res.partner"]  # noqa: N806
    kept = Partner.create({"name": "Lichtwerk Handels GmbH", "is_company": True})
    dup = Partner.create({"name": "LICHTWERK handels", "is_company": True,
                          "email": "info@lichtwerk.example", "vat": "DE811224567",
                          "category_id": [(0, 0, {"name": "Distributor"})]})
    anna = Partner.create({"name": "Anna", "parent_id": dup.id})
    lead = env["crm.lead"].create({"name": "Panels", "partner_id": dup.id})
    document = env["crm.partner.document"].create({"name": "Agreement", "partner_id": dup.id})
    dup.message_post(body="Met at the fair")
    message = _messages(lead)[:1]
    message.partner_ids = [(4, dup.id)]                      # a many2many to res.partner
    dup.message_subscribe(partner_ids=[users.sales1.partner_id.id])
    kept.message_subscribe(partner_ids=[users.sales1.partner_id.id])
    assert dup in kept.duplicate_partner_ids
    action = kept.action_merge_duplicates()
    wizard = env["base.partner.merge.automatic.wizard"].browse(action["res_id"])
    assert wizard.partner_ids == kept | dup and wizard.dst_partner_id == kept
    wizard.action_merge()
    assert not dup.exists()
    assert (anna.parent_id, lead.partner_id, document.partner_id) == (kept, kept, kept)
    assert lead.commercial_partner_id == kept
    assert kept in message.partner_ids
    assert (kept.email, kept.vat) == ("info@lichtwerk.example", "DE811224567")
    assert kept.category_id.name == "Distributor"
    followers = env["mail.followers"].search([("res_model", "=", "res.partner"),
                                              ("res_id", "=", kept.id),
                                              ("partner_id", "=", users.sales1.partner_id.id)])
    assert len(followers) == 1
    bodies = " ".join(_messages(kept).mapped("body"))
    assert "Met at the fair" in bodies and "Merged with" in bodies and "Opportunit" in bodies


def test_the_partner_of_a_user_is_never_merged_away(env, users):
    other = env["res.partner"].create({"name": "Sales1 Again"})
    wizard = env["base.partner.merge.automatic.wizard"].create({
        "partner_ids": [(6, 0, [other.id, users.sales1.partner_id.id])],
        "dst_partner_id": other.id})
    with pytest.raises(UserError, match="contact of a user"):
        wizard.action_merge()


def test_only_sales_managers_merge_contacts(env, users):
    a, b = env["res.partner"].create([{"name": "A"}, {"name": "B"}])
    with pytest.raises(AccessError):
        env["base.partner.merge.automatic.wizard"].with_user(users.sales1).create({
            "partner_ids": [(6, 0, [a.id, b.id])], "dst_partner_id": a.id})
    wizard = env["base.partner.merge.automatic.wizard"].with_user(users.manager).create({
        "partner_ids": [(6, 0, [a.id, b.id])], "dst_partner_id": a.id})
    wizard.action_merge()
    assert not b.exists()
