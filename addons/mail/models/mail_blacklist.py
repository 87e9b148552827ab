"""The blacklist: addresses that asked not to receive bulk e-mail, and the
signed unsubscribe links that put them there.

    url = env["mail.blacklist"]._unsubscribe_url("jane@example.com", base_url)
    # https://erp.example.com/mail/unsubscribe?email=jane%40example.com&token=9f2c...
    env["mail.blacklist"]._unsubscribe("jane@example.com", token)   # True: listed

The token is an HMAC-SHA256 of the address with the database secret (the
system parameter ``database.secret``, created on first use), so a link
works for that address only and cannot be forged. Bulk mails
(``is_mass_mailing``) skip listed addresses; other mails do not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from markupsafe import Markup

from core import api, fields, models

from ..tools.mail_utils import append_content_to_html, email_normalize


class MailBlacklist(models.Model):
    _name = "mail.blacklist"
    _description = "Mail Blacklist"
    _rec_name = "email"

    email = fields.Char("Email Address", required=True, index=True)
    active = fields.Boolean(default=True)
    reason = fields.Char()

    _sql_constraints = [("unique_email", "unique(email)", "This address is listed already.")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["email"] = email_normalize(vals.get("email")) or vals.get("email")
        return super().create(vals_list)

    @api.model
    def _blacklisted(self, emails: set[str]) -> set[str]:
        if not emails:
            return set()
        return set(self.sudo().search([("email", "in", sorted(emails))]).mapped("email"))

    @api.model
    def _add(self, email: str, reason: str | bool = False) -> None:
        normalized = email_normalize(email)
        if not normalized:
            return
        found = self.sudo().with_context(active_test=False).search(
            [("email", "=", normalized)], limit=1)
        if found:
            found.write({"active": True})
        else:
            self.sudo().create({"email": normalized, "reason": reason})

    # ------------------------------------------------------------------
    # signed links
    # ------------------------------------------------------------------
    @api.model
    def _database_secret(self) -> str:
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param("database.secret")
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param("database.secret", secret)
        return secret

    @api.model
    def _unsubscribe_token(self, email: str, secret: str | None = None) -> str:
        normalized = email_normalize(email) or ""
        key = (secret or self._database_secret()).encode()
        return hmac.new(key, f"mail.unsubscribe:{normalized}".encode(),
                        hashlib.sha256).hexdigest()

    @api.model
    def _unsubscribe_url(self, email: str, base_url: str, secret: str | None = None) -> str:
        """The signed link that lists ``email`` (``secret``: the database
        secret, when the caller has read it already)."""
        normalized = email_normalize(email) or ""
        query = urlencode({"email": normalized,
                           "token": self._unsubscribe_token(normalized, secret)})
        return f"{base_url.rstrip('/')}/mail/unsubscribe?{query}"

    @api.model
    def _check_token(self, email: str, token: str) -> bool:
        return bool(email and token) and hmac.compare_digest(
            self._unsubscribe_token(email), str(token))

    @api.model
    def _unsubscribe(self, email: str, token: str) -> bool:
        """List ``email`` if ``token`` is its signature; whether it was."""
        if not self._check_token(email, token):
            return False
        self._add(email, reason="Unsubscribed through the link of a bulk e-mail")
        return True

    @api.model
    def _with_unsubscribe_link(self, body: str, link: str) -> str:
        footer = Markup('<p style="font-size: small; color: #888888;">'
                        '<a href="{}">Unsubscribe</a></p>').format(link)
        return append_content_to_html(body, str(footer))
