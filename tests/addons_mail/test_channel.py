"""discuss.channel: public and private channels, direct chats, members,
unread counts, and who may read and post."""

from __future__ import annotations

import pytest

from core.exceptions import AccessError, UserError


def test_general_channel_is_public_to_employees(env, users):
    general = env.ref("mail.channel_general")
    assert general.channel_type == "channel"
    assert general.with_user(users.sales1).search([("id", "=", general.id)])
    assert not env["discuss.channel"].with_user(users.portal).search([("id", "=", general.id)])
    with pytest.raises(UserError, match="Join"):
        general.with_user(users.sales1).message_post(body="hello")
    general.with_user(users.sales1).channel_join()
    message = general.with_user(users.sales1).message_post(body="Office closed Friday")
    assert message.message_type == "comment"
    assert general.with_user(users.sales1).is_member
    # other members read the messages of the channel; nobody is e-mailed
    general.with_user(users.sales2).channel_join()
    found = env["mail.message"].with_user(users.sales2).search(
        [("model", "=", "discuss.channel"), ("res_id", "=", general.id)])
    assert message in found
    assert not env["mail.mail"].search([("mail_message_id", "=", message.id)])


def test_private_group_is_for_members_only(env, users):
    team = env["discuss.channel"].with_user(users.sales1).create({
        "name": "Export team", "channel_type": "group"})
    assert team.channel_partner_ids == users.sales1.partner_id
    team.add_members([users.sales2.partner_id.id])
    post = team.with_user(users.sales2).message_post(body="Hi team")
    assert set(team.sudo().channel_partner_ids.ids) == {users.sales1.partner_id.id,
                                                        users.sales2.partner_id.id}
    outsider = users.manager
    assert not env["discuss.channel"].with_user(outsider).search([("id", "=", team.id)])
    assert not env["mail.message"].with_user(outsider).search([("id", "=", post.id)])
    with pytest.raises(AccessError):
        post.with_user(outsider).read(["body"])
    with pytest.raises(AccessError):
        team.with_user(outsider).channel_join()
    env.ref("mail.channel_general").with_user(outsider).channel_join()   # public: fine
    with pytest.raises(UserError, match="private"):
        team.with_user(users.sales2).channel_join()
    with pytest.raises(AccessError):
        team.with_user(outsider).write({"name": "Mine now"})


def test_direct_chat_and_unread_counts(env, users):
    Channel = env["discuss.channel"].with_user(users.sales1)
    chat = Channel.channel_get([users.sales2.partner_id.id])
    assert chat.channel_type == "chat"
    assert Channel.channel_get([users.sales2.partner_id.id]) == chat      # the same one
    assert set(chat.sudo().channel_partner_ids.ids) == {users.sales1.partner_id.id,
                                                        users.sales2.partner_id.id}
    chat.message_post(body="Lunch?")
    chat.message_post(body="At noon")
    theirs = chat.with_user(users.sales2)
    assert theirs.message_unread_counter == 2
    assert chat.message_unread_counter == 0          # the author has seen his own
    theirs.channel_seen()
    assert theirs.message_unread_counter == 0
    formatted = theirs.channel_fetch_messages()
    assert [m["body"] for m in formatted] == ["<p>At noon</p>", "<p>Lunch?</p>"]
    with pytest.raises(UserError):
        chat.add_members([users.manager.partner_id.id])
    with pytest.raises(UserError):
        Channel.channel_get([users.sales1.partner_id.id])


def test_mentions_in_a_channel_reach_the_inbox(env, users):
    team = env["discuss.channel"].with_user(users.sales2).create({
        "name": "Quotes", "channel_type": "group"})
    team.add_members([users.sales1.partner_id.id])
    message = team.message_post(body="@Sales1 look", partner_ids=[users.sales1.partner_id.id])
    notification = message.sudo().notification_ids
    assert (notification.res_partner_id, notification.notification_type) == (
        users.sales1.partner_id, "inbox")


def test_leaving_a_channel(env, users):
    general = env.ref("mail.channel_general")
    general.with_user(users.sales1).channel_join()
    general.with_user(users.sales1).action_unfollow()
    assert not general.with_user(users.sales1).is_member
