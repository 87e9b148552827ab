"""Discussion channels (Odoo 17's ``discuss.channel``, formerly ``mail.channel``).

    general = env.ref("mail.channel_general")            # every employee may read it
    general.message_post(body="Office closed on Friday", message_type="comment",
                         subtype_xmlid="mail.mt_comment")
    dm = env["discuss.channel"].channel_get([colleague.partner_id.id])   # a direct chat
    team = env["discuss.channel"].create({"name": "Export team", "channel_type": "group",
                                          "channel_partner_ids": [(4, p.id) for p in ...]})
    general.channel_member_ids.filtered(...).message_unread_counter

``channel_type``: ``channel`` is public to the members of
``group_public_id`` (default: internal users; empty: everyone who logs in);
``group`` is private (its members only); ``chat`` is a direct conversation
of two people. Members (``discuss.channel.member``) have a last seen
message and an unread count. Messages of a channel are readable by
whoever may read the channel (the access of mail.message follows the
document); posting needs membership. Channel messages are not e-mailed.
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models
from core.exceptions import UserError
from core.i18n.translate import _

from .document_access import invalidate_documents


def _default_group(self) -> Any:
    return self.env.ref("base.group_user", raise_if_not_found=False)


class DiscussChannel(models.Model):
    _name = "discuss.channel"
    _description = "Discussion Channel"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _mail_post_access = "read"

    name = fields.Char(required=True)
    description = fields.Text()
    active = fields.Boolean(default=True)
    channel_type = fields.Selection([("channel", "Channel"), ("chat", "Chat"),
                                     ("group", "Group")], "Channel Type", required=True,
                                    default="channel")
    group_public_id = fields.Many2one("res.groups", "Authorized Group", default=_default_group,
                                      ondelete="set null",
                                      help="Public channels: who may read and join it")
    group_ids = fields.Many2many("res.groups", "discuss_channel_res_groups_rel", "channel_id",
                                 "group_id", "Auto Subscription",
                                 help="Members of these groups join the channel")
    channel_member_ids = fields.One2many("discuss.channel.member", "channel_id", "Members")
    channel_partner_ids = fields.Many2many("res.partner", compute="_compute_channel_partner_ids",
                                           inverse="_inverse_channel_partner_ids",
                                           search="_search_channel_partner_ids",
                                           string="Partners")
    is_member = fields.Boolean("Is Member", compute="_compute_is_member",
                               search="_search_is_member")
    member_count = fields.Integer("Member Count", compute="_compute_member_count")
    message_unread_counter = fields.Integer("Unread Messages", compute="_compute_unread",
                                            compute_sudo=False)

    @api.depends("channel_member_ids.partner_id")
    def _compute_channel_partner_ids(self) -> None:
        for channel in self:
            channel.channel_partner_ids = channel.sudo().channel_member_ids.mapped("partner_id")

    def _inverse_channel_partner_ids(self) -> None:
        for channel in self.sudo():
            current = channel.channel_member_ids.mapped("partner_id")
            wanted = channel.channel_partner_ids
            channel._add_members_sudo((wanted - current).ids)
            leaving = [member.id for member in channel.channel_member_ids
                       if member.partner_id not in wanted]
            channel.channel_member_ids.browse(leaving).unlink()

    def _search_channel_partner_ids(self, operator: str, value: Any) -> list:
        members = self.env["discuss.channel.member"].sudo().search(
            [("partner_id", operator, value)])
        return [("id", "in", sorted(set(members.mapped("channel_id").ids)))]

    @api.depends_context("uid")
    def _compute_is_member(self) -> None:
        partner = self.env.user.partner_id
        member_of = set(self.env["discuss.channel.member"].sudo().search([
            ("channel_id", "in", self.ids), ("partner_id", "=", partner.id)])
            .mapped("channel_id").ids) if self.ids else set()
        for channel in self:
            channel.is_member = channel.id in member_of

    def _search_is_member(self, operator: str, value: Any) -> list:
        members = self.env["discuss.channel.member"].sudo().search(
            [("partner_id", "=", self.env.user.partner_id.id)])
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in",
                 sorted(set(members.mapped("channel_id").ids)))]

    def _compute_member_count(self) -> None:
        for channel in self:
            channel.member_count = len(channel.sudo().channel_member_ids)

    @api.depends_context("uid")
    def _compute_unread(self) -> None:
        partner = self.env.user.partner_id
        members = self.env["discuss.channel.member"].sudo().search([
            ("channel_id", "in", self.ids), ("partner_id", "=", partner.id)]) \
            if self.ids else self.env["discuss.channel.member"]
        counts = {member.channel_id.id: member._unread_count() for member in members}
        for channel in self:
            channel.message_unread_counter = counts.get(channel.id, 0)

    # ------------------------------------------------------------------
    # create: the creator (and the auto-subscribed groups) are members
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("channel_type") in ("chat", "group"):
                vals["group_public_id"] = False
        channels = super(DiscussChannel, self.with_context(
            mail_create_nosubscribe=True, mail_create_nolog=True)).create(vals_list)
        partner = self.env.user.partner_id
        for channel in channels.sudo():
            wanted = [partner.id] if partner else []
            wanted += channel.group_ids.mapped("users").mapped("partner_id").ids \
                if "users" in channel.group_ids._fields else []
            channel._add_members_sudo(wanted)
        return channels

    def _add_members_sudo(self, partner_ids: list[int]) -> None:
        Member = self.env["discuss.channel.member"].sudo()
        existing = set(Member.search([("channel_id", "=", self.id),
                                      ("partner_id", "in", partner_ids)])
                       .mapped("partner_id").ids)
        new = [pid for pid in dict.fromkeys(partner_ids) if pid not in existing]
        if new:
            last = self._last_message_id()
            Member.create([{"channel_id": self.id, "partner_id": pid,
                            "seen_message_id": last or False} for pid in new])

    def _last_message_id(self) -> int | bool:
        last = self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "=", self.id)], limit=1, order="id desc")
        return last.id or False

    # ------------------------------------------------------------------
    # membership
    # ------------------------------------------------------------------
    def add_members(self, partner_ids: list[int] | None = None, **_kwargs: Any) -> bool:
        """Add partners to these channels (members may invite others to groups
        and channels; a direct chat keeps its two people)."""
        for channel in self:
            if channel.channel_type == "chat":
                raise UserError(_(self.env, "A direct conversation keeps its two people; "
                                  "start a group instead."))
            channel._check_thread_access("read")
            if not channel.is_member and not self.env.is_superuser():
                raise UserError(_(self.env, "Only members may invite people to %(channel)s.",
                                  channel=channel.name))
            channel.sudo()._add_members_sudo(list(partner_ids or []))
        return True

    def channel_join(self) -> bool:
        """Join these public channels."""
        for channel in self:
            channel._check_thread_access("read")
            if channel.channel_type != "channel":
                raise UserError(_(self.env, "%(channel)s is private: a member must invite "
                                  "you.", channel=channel.name))
            channel.sudo()._add_members_sudo([self.env.user.partner_id.id])
        return True

    def action_unfollow(self) -> bool:
        """Leave these channels."""
        partner = self.env.user.partner_id
        self.env["discuss.channel.member"].sudo().search([
            ("channel_id", "in", self.ids), ("partner_id", "=", partner.id)]).unlink()
        return True

    @api.model
    def channel_get(self, partners_to: list[int]) -> Any:
        """The direct conversation of the current user with one other partner
        (created the first time)."""
        mine = self.env.user.partner_id
        others = [pid for pid in partners_to if pid != mine.id]
        if len(others) != 1:
            raise UserError(_(self.env, "A direct conversation is between two people."))
        other = self.env["res.partner"].browse(others[0])
        other.check_access_rights("read")
        Member = self.env["discuss.channel.member"].sudo()
        mine_chats = Member.search([("partner_id", "=", mine.id),
                                    ("channel_id.channel_type", "=", "chat")]).mapped("channel_id")
        shared = Member.search([("channel_id", "in", mine_chats.ids),
                                ("partner_id", "=", other.id)]).mapped("channel_id")
        if shared:
            return shared[:1].with_env(self.env)
        channel = self.sudo().create({"name": f"{mine.name}, {other.sudo().name}",
                                      "channel_type": "chat"})
        channel._add_members_sudo([other.id])
        return channel.with_env(self.env)

    def channel_seen(self, last_message_id: int | None = None) -> bool:
        """The current user has seen the channel up to ``last_message_id``
        (default: its last message)."""
        for channel in self:
            channel._check_thread_access("read")
            member = channel._my_member()
            if member:
                member._mark_as_read(last_message_id or channel._last_message_id())
        invalidate_documents(self.env, "mail.message", [(self._name, i) for i in self.ids])
        return True

    def _my_member(self) -> Any:
        return self.env["discuss.channel.member"].sudo().search([
            ("channel_id", "=", self.id), ("partner_id", "=", self.env.user.partner_id.id)],
            limit=1)

    # ------------------------------------------------------------------
    # posting: members only, nobody e-mailed, the author has seen it
    # ------------------------------------------------------------------
    def message_post(self, **kwargs: Any) -> Any:
        self.ensure_one()
        if not self.env.is_superuser() and not self._my_member():
            raise UserError(_(self.env, "Join %(channel)s to post in it.", channel=self.name))
        kwargs.setdefault("message_type", "comment")
        kwargs.setdefault("subtype_xmlid", "mail.mt_comment")
        message = super().message_post(**kwargs)
        member = self._my_member()
        if member:
            member._mark_as_read(message.id)
        return message

    def _notify_get_recipients(self, message: Any, partner_ids: list[int]) -> dict:
        """Members read channels in Discuss: only people named are told, in
        their inbox."""
        members = set(self.sudo().channel_member_ids.mapped("partner_id").ids)
        return {pid: "inbox" for pid in partner_ids
                if pid in members and pid != message.author_id.id}

    def channel_fetch_messages(self, limit: int = 30, before_id: int | None = None) -> list:
        """The latest messages, newest first (``before_id``: older pages)."""
        self.ensure_one()
        domain = [("model", "=", self._name), ("res_id", "=", self.id)]
        if before_id:
            domain.append(("id", "<", before_id))
        return self.env["mail.message"].search(domain, limit=limit).message_format()


class DiscussChannelMember(models.Model):
    _name = "discuss.channel.member"
    _description = "Channel Member"
    _rec_name = "partner_id"

    channel_id = fields.Many2one("discuss.channel", "Channel", required=True,
                                 ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Partner", required=True, ondelete="cascade",
                                 index=True)
    seen_message_id = fields.Many2one("mail.message", "Last Seen", ondelete="set null")
    fetched_message_id = fields.Many2one("mail.message", "Last Fetched", ondelete="set null")
    message_unread_counter = fields.Integer("Unread Messages Counter",
                                            compute="_compute_message_unread")
    custom_channel_name = fields.Char("Custom channel name")
    is_pinned = fields.Boolean("Is pinned on the interface", default=True)

    _sql_constraints = [("partner_unique", "unique(channel_id, partner_id)",
                         "A partner is a member of a channel once.")]

    @api.depends("seen_message_id")
    def _compute_message_unread(self) -> None:
        for member in self:
            member.message_unread_counter = member._unread_count()

    def _unread_count(self) -> int:
        domain = [("model", "=", "discuss.channel"), ("res_id", "=", self.channel_id.id)]
        if self.seen_message_id:
            domain.append(("id", ">", self.seen_message_id.id))
        return self.env["mail.message"].sudo().search_count(domain)

    def _mark_as_read(self, last_message_id: int | bool) -> None:
        for member in self.sudo():
            if last_message_id and (not member.seen_message_id
                                    or member.seen_message_id.id < last_message_id):
                member.write({"seen_message_id": last_message_id,
                              "fetched_message_id": last_message_id})
