"""Users: people who log in. A user *is* a partner: its name and e-mail live there.

    user = env["res.users"].create({"name": "Mei Chen", "login": "mei",
                                    "password": "correct horse battery"})
    user.partner_id.name                    # 'Mei Chen': created with the user
    env["res.users"].authenticate("mei", "correct horse battery")   # user.id
    user.has_group("base.group_user")       # True: new users are internal users

Passwords are stored only as salted scrypt hashes (``core.security``):
writing ``password`` stores the hash, reading it back gives the hash to
the superuser and an empty string to everyone else. ``authenticate``
answers a wrong login, a wrong password and an archived user with the
same ``AccessDenied`` and in about the same time.

Groups imply groups; as in Odoo, a user's ``groups_id`` holds the
implied groups too, so that ``groups_id`` alone answers "may they?".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from functools import cache

from core import api, fields, models
from core.exceptions import AccessDenied, AccessError, UserError, ValidationError
from core.orm import domain as dom
from core.orm.environment import SUPERUSER_ID
from core.security import access, hash_password, needs_rehash, verify_password
from core.security.throttle import LOGIN_THROTTLE

#: user fields kept on the user's partner (given at creation, they make the partner)
PARTNER_FIELDS = ("name", "email", "lang", "tz")
#: what users may change on their own user without the right to write users
SELF_WRITEABLE_FIELDS = frozenset({"name", "email", "lang", "tz", "signature"})
_logger = logging.getLogger("troika.security")
NEGATIVE_OPERATORS = ("!=", "not like", "not ilike", "not in")


@cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no user, so that timing tells nothing."""
    return hash_password("not the password of anyone")


def _default_company(self):
    company = self.env.company
    if not company:
        company = self.env["res.company"].sudo().search([], limit=1)
    return company.id or False


def _default_companies(self):
    company_id = _default_company(self)
    return [(6, 0, [company_id])] if company_id else []


def _default_groups(self):
    groups = [self.env.ref(xmlid, raise_if_not_found=False)
              for xmlid in ("base.group_user", "base.group_partner_manager")]
    return [(6, 0, [group.id for group in groups if group])]


class ResUsers(models.Model):
    _name = "res.users"
    _description = "User"
    _order = "login"

    partner_id = fields.Many2one("res.partner", "Related Partner", required=True,
                                 ondelete="restrict", index=True,
                                 help="The partner holding the user's name, e-mail and address")
    name = fields.Char(related="partner_id.name", readonly=False, string="Name")
    email = fields.Char(related="partner_id.email", readonly=False, string="Email")
    lang = fields.Selection(related="partner_id.lang", readonly=False, string="Language")
    tz = fields.Selection(related="partner_id.tz", readonly=False, string="Timezone")
    login = fields.Char(required=True, index=True, help="Used to log in")
    password = fields.Char(copy=False, help="The salted hash of the password; write the "
                                            "password itself to change it")
    login_date = fields.Datetime("Latest Login", readonly=True, copy=False)
    active = fields.Boolean(default=True)
    signature = fields.Html()
    company_id = fields.Many2one("res.company", "Company", required=True,
                                 default=_default_company,
                                 help="The company the user works in by default")
    company_ids = fields.Many2many("res.company", "res_company_users_rel", "user_id", "cid",
                                   "Companies", default=_default_companies)
    groups_id = fields.Many2many("res.groups", "res_groups_users_rel", "uid", "gid", "Groups",
                                 default=_default_groups)
    share = fields.Boolean("Share User", compute="_compute_share", store=True,
                           help="External user (portal, public): not an internal user")

    _sql_constraints = [
        ("login_key", "unique(login)", "You cannot have two users with the same login."),
    ]

    # ------------------------------------------------------------------
    # computed fields and constraints
    # ------------------------------------------------------------------
    @api.depends("groups_id")
    def _compute_share(self) -> None:
        internal = self.env.ref("base.group_user", raise_if_not_found=False)
        for user in self:
            groups = user.with_context(active_test=False).groups_id
            user.share = not internal or internal not in groups

    @api.constrains("company_id", "company_ids")
    def _check_company(self) -> None:
        for user in self.with_context(active_test=False):
            if user.company_id not in user.company_ids:
                raise ValidationError(
                    f"Company {user.company_id.name} is not in the allowed companies of "
                    f"user {user.name} ({user.login}).")

    def _display_name_domain(self, operator: str, value) -> list:
        leaves = [[("name", operator, value)], [("login", operator, value)]]
        return dom.AND(leaves) if operator in NEGATIVE_OPERATORS else dom.OR(leaves)

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # before the partners are made: the refusal names res.users, not res.partner
        access.check_rights(self, "create")
        vals_list = [self._hash_password_value(dict(vals)) for vals in vals_list]
        without_partner = [vals for vals in vals_list if not vals.get("partner_id")]
        if without_partner:
            partners = self.env["res.partner"].create([
                {**{name: vals.pop(name) for name in PARTNER_FIELDS if name in vals},
                 "active": vals.get("active", True)}
                for vals in without_partner])
            for vals, partner in zip(without_partner, partners, strict=True):
                vals["partner_id"] = partner.id
        for vals in vals_list:
            if vals.get("company_id") and "company_ids" not in vals:
                company_id = getattr(vals["company_id"], "id", vals["company_id"])
                vals["company_ids"] = [(6, 0, [company_id])]
        users = super().create(vals_list)
        users._add_implied_groups()
        return users

    def write(self, vals):
        if self._is_own_preferences(vals):
            return super(ResUsers, self.sudo()).write(vals)
        vals = self._hash_password_value(dict(vals))
        if vals.get("active") is False and self.env.uid in self._ids and \
                self.browse(self.env.uid).active:
            raise UserError("You cannot archive the user you are logged in as.")
        if vals.get("active") and SUPERUSER_ID in self._ids:
            raise UserError("You cannot activate the superuser.")
        result = super().write(vals)
        if "groups_id" in vals:
            self._add_implied_groups()
        return result

    def unlink(self):
        if SUPERUSER_ID in self._ids:
            raise UserError("You cannot delete the superuser: records created by the "
                            "system refer to it. Archive users instead.")
        return super().unlink()

    def copy(self, default: dict | None = None):
        self.ensure_one()
        default = dict(default or {})
        default.setdefault("login", f"{self.login} (copy)")
        if "partner_id" not in default:
            default["partner_id"] = self.partner_id.copy(
                {"name": default.pop("name", f"{self.name} (copy)")}).id
        return super().copy(default)

    def _is_own_preferences(self, vals: dict) -> bool:
        """A user changing their own name, e-mail, language, timezone or signature
        (allowed without the right to write users, as in Odoo)."""
        env = self.env
        return (not env.su and self._ids == (env.uid,) and bool(vals)
                and set(vals) <= SELF_WRITEABLE_FIELDS
                and not access.check_rights(self, "write", raise_exception=False))

    def change_password(self, old_password: str, new_password: str) -> bool:
        """Change the current user's own password, given the old one."""
        if not new_password:
            raise UserError("Setting an empty password is not allowed.")
        user = self.env["res.users"].sudo().browse(self.env.uid)
        user._check_credentials(old_password)
        user.write({"password": new_password})
        return True

    @staticmethod
    def _hash_password_value(vals: dict) -> dict:
        if "password" in vals:
            password = vals["password"]
            vals["password"] = hash_password(password) if password else False
        return vals

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        if not self.env.is_superuser():
            for row in result:
                if "password" in row:
                    row["password"] = ""
        return result

    def _where(self, domain, table=None):
        if not self.env.is_superuser() and dom.mentions(dom.parse(domain), "password"):
            raise AccessError("Only the superuser may search users by password hash.")
        return super()._where(domain, table)

    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=None,
                   lazy=True):
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
        specs = [*fields, *groupbys, orderby or ""]
        if not self.env.is_superuser() and any("password" in spec for spec in specs):
            # grouping by the hash would hand it out
            raise AccessError("Only the superuser may group users by password hash.")
        return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)

    # ------------------------------------------------------------------
    # groups
    # ------------------------------------------------------------------
    def _add_implied_groups(self) -> None:
        """Give each user the groups its groups imply (Odoo keeps them in groups_id)."""
        by_groups: dict = defaultdict(list)
        for user in self.with_context(active_test=False):
            by_groups[user.groups_id].append(user.id)
        for groups, ids in by_groups.items():
            missing = groups.mapped("trans_implied_ids") - groups
            if missing:
                super(ResUsers, self.browse(ids)).write(
                    {"groups_id": [(4, group_id) for group_id in missing.ids]})

    def _get_group_ids(self) -> list[int]:
        """The ids of the user's groups and of every group they imply."""
        self.ensure_one()
        groups = self.sudo().with_context(active_test=False).groups_id
        return (groups | groups.mapped("trans_implied_ids")).ids

    def has_group(self, group_ext_id: str) -> bool:
        """Whether the user (this one, or the environment's) is in the group
        ``module.name``, directly or through an implying group."""
        if "." not in group_ext_id:
            raise ValueError(f"External ID {group_ext_id!r} must be fully qualified "
                             "(module.name)")
        uid = self.id if self else self.env.uid
        if not uid:
            return False
        group = self.env.ref(group_ext_id, raise_if_not_found=False)
        if not group:
            return False
        return group.id in self.browse(uid)._get_group_ids()

    def _is_internal(self) -> bool:
        self.ensure_one()
        return not self.sudo().share

    def _is_system(self) -> bool:
        self.ensure_one()
        return self.has_group("base.group_system")

    @api.model
    def context_get(self) -> dict:
        """The context a user's requests start with: language and timezone."""
        user = self.env.user.sudo()
        context = {"uid": self.env.uid}
        if user:
            context["lang"] = user.lang or "en_US"
            context["tz"] = user.tz or False
        return context

    # ------------------------------------------------------------------
    # authentication
    # ------------------------------------------------------------------
    @api.model
    def authenticate(self, login: str, password: str, remote_addr: str | None = None,
                     api_key: bool = False) -> int:
        """The id of the active user with this login and password.

        Raises ``AccessDenied`` with one message for every failure (unknown
        login, wrong password, archived user), after the same amount of
        hashing, so that neither tells whether a login exists. A hash made
        with older parameters is replaced by a fresh one.
        """
        try:
            LOGIN_THROTTLE.check(login, remote_addr)
        except AccessDenied:
            _logger.warning("Login refused for %r from %s: too many failures", login,
                            remote_addr or "-")
            raise
        Users = self.sudo().with_context(active_test=False)  # noqa: N806
        user = Users.browse()
        if isinstance(login, str) and login:
            user = Users.search([("login", "=", login)], limit=1)
        try:
            if not user or not user.active:
                verify_password(password if isinstance(password, str) else "", _dummy_hash())
                raise AccessDenied()
            method = user._check_credentials(password, {"api_key": api_key})
        except AccessDenied:
            LOGIN_THROTTLE.failed(login, remote_addr)
            _logger.warning("Login failed for %r from %s", login, remote_addr or "-")
            raise
        LOGIN_THROTTLE.succeeded(login, remote_addr)
        _logger.info("Login successful for %r from %s", login, remote_addr or "-")
        values = {"login_date": fields.Datetime.now()}
        if method == "password" and needs_rehash(user.password):
            values["password"] = password
        user.write(values)
        return user.id

    def _has_password(self) -> bool:
        """Whether the user has a password at all (a new admin has none)."""
        self.ensure_one()
        return bool(self.sudo().password)

    def _check_credentials(self, password: str, env: dict | None = None) -> str:
        """Raise ``AccessDenied`` unless ``password`` is this user's password (or,
        with ``{"api_key": True}``, one of their API keys); returns which matched."""
        self.ensure_one()
        stored = self.sudo().password
        if not isinstance(password, str) or not password:
            raise AccessDenied()
        if (env or {}).get("api_key") and \
                self.env["res.users.apikeys"].sudo()._check_key(self.id, password):
            return "api_key"
        if not stored:
            verify_password(password, _dummy_hash())
            raise AccessDenied()
        if not verify_password(password, stored):
            raise AccessDenied()
        return "password"
