"""API keys: secrets a user creates for scripts and integrations (RPC).

    key = env["res.users.apikeys"]._generate("Shop sync")   # shown once
    env["res.users"].authenticate("mei", key, api_key=True)  # as the password over RPC

Only a SHA-256 of the key is stored, with its first 8 characters to find
it; keys are revoked by deleting them. A key is as strong as a 160-bit
random number, so a fast hash is enough (unlike passwords).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import sqlalchemy as sa

from core import api, fields, models

INDEX_SIZE = 8


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ResUsersApikeys(models.Model):
    _name = "res.users.apikeys"
    _description = "Users API Keys"
    _order = "id desc"

    name = fields.Char("Description", required=True, readonly=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade",
                              index=True)
    index = fields.Char(size=INDEX_SIZE, readonly=True, index=True)
    key = fields.Char(readonly=True, groups="base.group_system",
                      help="SHA-256 of the key; the key itself is never stored")

    @api.model
    def _generate(self, name: str) -> str:
        """Create a key for the current user and return it (the only time it is seen)."""
        key = secrets.token_hex(20)
        self.sudo().create({"name": name, "user_id": self.env.uid,
                            "index": key[:INDEX_SIZE], "key": _digest(key)})
        return key

    @api.model
    def _check_key(self, uid: int, key: str) -> bool:
        """Whether ``key`` is one of the user's keys (constant-time comparison)."""
        if not isinstance(key, str) or len(key) < INDEX_SIZE:
            return False
        table = self._table_obj
        rows = self.env.transaction.execute(sa.select(table.c.key).where(
            table.c.user_id == uid, table.c.index == key[:INDEX_SIZE])).scalars().all()
        digest = _digest(key)
        return any(hmac.compare_digest(digest, stored or "") for stored in rows)

    def action_revoke(self) -> bool:
        """Delete the keys (their owner, or an administrator)."""
        self.unlink()
        return True
