"""mail.thread: posting, tracking, followers and who is notified."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from core.exceptions import AccessError, UserError
from tests.addons_mail.conftest import messages_of


@pytest.fixture
def lead(env, users):
    customer = env["res.partner"].create({"name": "Buyer GmbH", "email": "buyer@example.de"})
    return env["tm.lead"].with_user(users.sales1).create({
        "name": "500 LED panels", "partner_id": customer.id, "user_id": users.sales1.id,
        "expected_revenue": 1000.0})


def test_creation_is_logged_and_the_creator_follows(env, users, lead):
    first = messages_of(lead)[0]
    assert first.body == "<p>Test Lead created</p>"
    assert (first.message_type, first.subtype_id) == ("notification", env.ref("mail.mt_note"))
    assert first.author_id == users.sales1.partner_id
    assert lead.message_partner_ids == users.sales1.partner_id
    assert lead.message_is_follower is True
    assert lead.with_user(users.manager).message_is_follower is False
    quiet = env["tm.lead"].with_context(tracking_disable=True).create({"name": "Quiet"})
    assert not messages_of(quiet) and not quiet.message_follower_ids


def test_tracking_writes_one_message_with_every_changed_field(env, users, lead):
    won_tag = env["res.partner.category"].create({"name": "Key account"})
    before = len(messages_of(lead))
    lead.write({"stage": "qualified", "expected_revenue": 2500.0, "priority": True,
                "tag_ids": [(4, won_tag.id)], "description": "untracked"})
    messages = messages_of(lead)
    assert len(messages) == before + 1
    tracking = messages[-1].message_format()[0]["tracking"]
    assert [(t["label"], t["old"], t["new"]) for t in tracking] == [
        ("Stage", "New", "Qualified"),
        ("Expected Revenue", "1000", "2500"),
        ("Priority", "No", "Yes"),
        ("Tags", "", "Key account")]
    # the stage has its own subtype (tm_lead._track_subtype), which followers get
    assert messages[-1].subtype_id == env.ref("tm_lead.mt_lead_stage")
    lead.write({"stage": "qualified"})                 # no change, no message
    lead.write({"description": "still untracked"})
    assert len(messages_of(lead)) == before + 1
    lead.with_context(mail_notrack=True).write({"stage": "won"})
    assert len(messages_of(lead)) == before + 1


def test_tracking_many2one_keeps_names_and_ids(env, users, lead):
    other = env["res.partner"].create({"name": "Other AG"})
    old_customer = lead.partner_id
    lead.write({"partner_id": other.id, "user_id": users.sales2.id})
    values = messages_of(lead)[-1].tracking_value_ids
    customer = values.filtered(lambda v: v.field_id.name == "partner_id")
    assert (customer.old_value_char, customer.new_value_char) == ("Buyer GmbH", "Other AG")
    assert (customer.old_value_integer, customer.new_value_integer) == (old_customer.id,
                                                                        other.id)
    # the new salesperson follows the lead
    assert users.sales2.partner_id in lead.message_partner_ids


def test_post_escapes_text_and_sanitises_html(env, users, lead):
    text = lead.message_post(body="1 < 2 & <script>x</script>\nsecond line")
    assert text.body == "<p>1 &lt; 2 &amp; &lt;script&gt;x&lt;/script&gt;<br>second line</p>"
    html = lead.message_post(body=Markup('<p onclick="steal()">Hi <b>there</b>'
                                         '<script>alert(1)</script></p>'))
    assert html.body == "<p>Hi <b>there</b></p>"


def test_post_with_attachments(env, users, lead):
    message = lead.with_user(users.sales1).message_post(
        body="Catalogue attached", attachments=[("catalogue.pdf", b"%PDF-1.4 fake")],
        message_type="comment", subtype_xmlid="mail.mt_comment")
    attachment = message.sudo().attachment_ids
    assert attachment.name == "catalogue.pdf" and attachment.raw == b"%PDF-1.4 fake"
    assert (attachment.res_model, attachment.res_id) == ("tm.lead", lead.id)
    assert lead.message_attachment_count == 1


def test_followers_are_notified_by_subtype(env, users, lead):
    outsider = env["res.partner"].create({"name": "Agent", "email": "agent@example.com"})
    lead.message_subscribe(partner_ids=[users.sales2.partner_id.id, outsider.id])
    env["mail.mail"].search([]).unlink()
    # a comment: every follower but the author; sales1 reads in the inbox, the
    # others get one queued e-mail
    comment = lead.with_user(users.sales1).message_post(
        body="Samples shipped", message_type="comment", subtype_xmlid="mail.mt_comment")
    notifications = comment.sudo().notification_ids
    assert {(n.res_partner_id, n.notification_type) for n in notifications} == {
        (users.sales2.partner_id, "email"), (outsider, "email")}
    mail = env["mail.mail"].search([("mail_message_id", "=", comment.id)])
    assert mail.recipient_ids == users.sales2.partner_id | outsider
    assert mail.state == "outgoing" and mail.subject == "500 LED panels"
    assert f"/web/model/tm.lead/{lead.id}" in mail.body_html
    # the manager posts: sales1 gets an unread inbox notification
    message = lead.with_user(users.manager).message_post(
        body="Well done", message_type="comment", subtype_xmlid="mail.mt_comment")
    inbox = message.sudo().notification_ids.filtered(lambda n: n.notification_type == "inbox")
    assert inbox.res_partner_id == users.sales1.partner_id and not inbox.is_read
    assert lead.with_user(users.sales1).message_needaction_counter == 1
    env["mail.message"].with_user(users.sales1).mark_all_as_read()
    assert inbox.is_read


def test_notes_reach_employees_and_mentions_only(env, users, lead):
    customer = lead.partner_id
    lead.message_subscribe(partner_ids=[customer.id, users.sales2.partner_id.id],
                           subtype_ids=[env.ref("mail.mt_note").id,
                                        env.ref("mail.mt_comment").id])
    note = lead.with_user(users.sales1).message_post(body="Internal: margin is thin",
                                                     subtype_xmlid="mail.mt_note")
    assert note.is_internal
    told = note.sudo().notification_ids.mapped("res_partner_id")
    assert told == users.sales2.partner_id              # not the customer
    mention = lead.with_user(users.sales1).message_post(
        body="@Manager please check", subtype_xmlid="mail.mt_note",
        partner_ids=[users.manager.partner_id.id])
    assert users.manager.partner_id in mention.sudo().notification_ids.mapped("res_partner_id")


def test_stage_subtype_notifies_followers(env, users, lead):
    lead.message_subscribe(partner_ids=[users.sales2.partner_id.id])
    assert env.ref("tm_lead.mt_lead_stage") in env["mail.followers"].search([
        ("res_model", "=", "tm.lead"), ("res_id", "=", lead.id),
        ("partner_id", "=", users.sales2.partner_id.id)]).subtype_ids
    lead.with_user(users.sales1).write({"stage": "won"})
    message = messages_of(lead)[-1]
    assert message.sudo().notification_ids.mapped("res_partner_id") == \
        users.sales2.partner_id


def test_subscribing_others_needs_write_access(env, users, lead):
    readonly = env["tm.lead"].create({"name": "Unassigned"})
    # sales2 may read an unassigned lead, and so follow it himself
    readonly.with_user(users.sales2).message_subscribe(
        partner_ids=[users.sales2.partner_id.id])
    assert users.sales2.partner_id in readonly.message_partner_ids
    readonly.with_user(users.sales2).message_unsubscribe(
        partner_ids=[users.sales2.partner_id.id])
    assert users.sales2.partner_id not in readonly.message_partner_ids
    with pytest.raises(AccessError):                  # not his lead at all
        lead.with_user(users.sales2).message_subscribe(
            partner_ids=[users.sales2.partner_id.id])
    with pytest.raises(AccessError):                  # portal: read only
        readonly.with_user(users.portal).message_subscribe(
            partner_ids=[users.manager.partner_id.id])


def test_posting_needs_the_documents_post_access(env, users, lead):
    with pytest.raises(AccessError):
        lead.with_user(users.sales2).message_post(body="Not my lead")
    with pytest.raises(AccessError):
        env["mail.message"].with_user(users.sales2).create({
            "model": "tm.lead", "res_id": lead.id, "body": "sneaky",
            "message_type": "comment"})
    with pytest.raises(UserError):
        lead.message_post(body="x", message_type="user_notification")


def test_unlinking_a_record_removes_its_chatter(env, users, lead):
    lead.message_post(body="bye")
    lead.activity_schedule(summary="never")
    lead_id = lead.id
    lead.unlink()
    assert not env["mail.message"].search([("model", "=", "tm.lead"), ("res_id", "=", lead_id)])
    assert not env["mail.followers"].search([("res_model", "=", "tm.lead"),
                                             ("res_id", "=", lead_id)])
    assert not env["mail.activity"].search([("res_model", "=", "tm.lead"),
                                            ("res_id", "=", lead_id)])


def test_search_on_thread_fields(env, users, lead):
    other = env["tm.lead"].create({"name": "Other"})
    Lead = env["tm.lead"].with_user(users.manager)
    assert Lead.search([("message_partner_ids", "in", [users.sales1.partner_id.id])]) == lead
    lead.message_subscribe(partner_ids=[users.manager.partner_id.id])
    assert Lead.search([("message_is_follower", "=", True)]) == lead
    assert other in Lead.search([("message_is_follower", "=", False)])
    assert lead in Lead.search([("has_message", "=", True)])


def test_partner_is_a_thread(env, users):
    partner = env["res.partner"].create({"name": "Jane", "email": "jane@example.com"})
    partner.write({"email": "jane@example.org"})
    tracking = messages_of(partner)[-1].message_format()[0]["tracking"]
    assert [(t["field"], t["old"], t["new"]) for t in tracking] == [
        ("email", "jane@example.com", "jane@example.org")]
    assert partner.message_bounce == 0
