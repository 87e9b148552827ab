"""Messages, followers and activities follow their document's access: a user
sees them exactly when they may read the record (plus their own messages),
on every path — search, search_read, search_count, read, browse, read_group."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError


@pytest.fixture
def leads(env, users):
    customer = env["res.partner"].create({"name": "Portal Co", "email": "p@example.com"})
    users.portal.partner_id.write({"name": "Portal Co contact"})
    mine = env["tm.lead"].with_user(users.sales1).create({
        "name": "Mine", "user_id": users.sales1.id, "partner_id": users.portal.partner_id.id})
    theirs = env["tm.lead"].with_user(users.sales2).create({
        "name": "Theirs", "user_id": users.sales2.id, "partner_id": customer.id})
    mine.with_user(users.sales1).message_post(body="public reply", message_type="comment",
                                              subtype_xmlid="mail.mt_comment")
    mine.with_user(users.sales1).message_post(body="internal note")
    theirs.with_user(users.sales2).message_post(body="secret deal", message_type="comment",
                                                subtype_xmlid="mail.mt_comment")
    mine.with_user(users.sales1).activity_schedule(summary="call mine")
    theirs.with_user(users.sales2).activity_schedule(summary="call theirs")
    return mine, theirs


def _bodies(messages):
    return sorted(m["body"] for m in messages)


def test_messages_of_unreadable_documents_are_invisible(env, users, leads):
    mine, theirs = leads
    Message = env["mail.message"].with_user(users.sales1)
    domain = [("model", "=", "tm.lead")]
    found = Message.search(domain)
    assert {m.res_id for m in found.sudo()} == {mine.id}
    assert Message.search_count([("body", "ilike", "secret")]) == 0
    rows = Message.search_read(domain, ["body", "res_id"])
    assert "<p>secret deal</p>" not in _bodies(rows)
    hidden = env["mail.message"].search([("body", "ilike", "secret")])
    with pytest.raises(AccessError):
        hidden.with_user(users.sales1).read(["body"])
    hidden.invalidate_recordset()
    with pytest.raises(AccessError):
        hidden.with_user(users.sales1).body             # noqa: B018 - a fetch
    groups = Message.read_group(domain, ["res_id"], ["res_id"])
    assert [g["res_id"] for g in groups] == [mine.id]
    # the manager reads every lead, so every message
    assert {m.res_id for m in env["mail.message"].with_user(users.manager).search(domain)} \
        == {mine.id, theirs.id}


def test_writing_and_deleting_messages_needs_write_on_the_document(env, users, leads):
    mine, theirs = leads
    hidden = env["mail.message"].search([("body", "ilike", "secret")])
    with pytest.raises(AccessError):
        hidden.with_user(users.sales1).write({"body": "changed"})
    with pytest.raises(AccessError):
        hidden.with_user(users.sales1).unlink()
    own = env["mail.message"].search([("body", "ilike", "public reply")])
    own.with_user(users.sales1).write({"body": "<p>edited</p>"})
    assert own.body == "<p>edited</p>"


def test_portal_users_see_their_documents_without_internal_notes(env, users, leads):
    mine, _theirs = leads
    Message = env["mail.message"].with_user(users.portal)
    bodies = [m.body for m in Message.search([("model", "=", "tm.lead")]).sudo()]
    assert "<p>public reply</p>" in bodies
    assert "<p>internal note</p>" not in bodies
    assert all(not m.is_internal for m in Message.search([]).sudo())


def test_authors_and_recipients_read_their_messages(env, users, leads):
    _mine, theirs = leads
    # sales1 is named on a message of a lead he cannot read: he may read it
    message = theirs.with_user(users.sales2).message_post(
        body="FYI", message_type="comment", subtype_xmlid="mail.mt_comment",
        partner_ids=[users.sales1.partner_id.id])
    assert message.with_user(users.sales1).read(["body"])[0]["body"] == "<p>FYI</p>"
    assert not env["tm.lead"].with_user(users.sales1).search([("id", "=", theirs.id)])


def test_followers_follow_the_document(env, users, leads):
    mine, theirs = leads
    Followers = env["mail.followers"].with_user(users.sales1)
    found = Followers.search([("res_model", "=", "tm.lead")])
    assert set(found.sudo().mapped("res_id")) == {mine.id}
    with pytest.raises(AccessError):
        Followers.create({"res_model": "tm.lead", "res_id": theirs.id,
                          "partner_id": users.sales1.partner_id.id})
    follower = env["mail.followers"].search([("res_model", "=", "tm.lead"),
                                             ("res_id", "=", theirs.id)])
    with pytest.raises(AccessError):
        follower.with_user(users.sales1).unlink()


def test_activities_follow_the_document_and_their_assignee(env, users, leads):
    mine, theirs = leads
    Activity = env["mail.activity"].with_user(users.sales1)
    assert Activity.search([]).mapped("summary") == ["call mine"]
    with pytest.raises(AccessError):
        Activity.create({"res_model": "tm.lead", "res_id": theirs.id, "summary": "no",
                         "user_id": users.sales1.id})
    # an activity on theirs assigned to sales1: he sees it and may close it
    assigned = theirs.activity_schedule(summary="help sales2", user_id=users.sales1.id)
    assert set(Activity.search([]).mapped("summary")) == {"call mine", "help sales2"}
    assigned.with_user(users.sales1).write({"summary": "helping sales2"})
    other = env["mail.activity"].search([("summary", "=", "call theirs")])
    with pytest.raises(AccessError):
        other.with_user(users.sales1).action_feedback("done?")
    with pytest.raises(AccessError):
        other.with_user(users.sales1).read(["summary"])


def test_thread_fields_read_as_the_user(env, users, leads):
    mine, _theirs = leads
    as_portal = mine.with_user(users.portal)
    bodies = as_portal.message_ids.sudo().mapped("body")
    assert "<p>internal note</p>" not in bodies and "<p>public reply</p>" in bodies
    assert "<p>internal note</p>" in mine.with_user(users.sales1).message_ids.mapped("body")
