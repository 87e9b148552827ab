"""Password hashing with scrypt (``hashlib``), salted, self-describing.

    stored = hash_password("s3cret")   # 'scrypt$16384$8$1$<salt>$<hash>'
    verify_password("s3cret", stored)  # True
    verify_password("wrong", stored)   # False
    needs_rehash(stored)               # True once the parameters below change

A stored hash names its algorithm and cost parameters, so that the
parameters can be raised later: ``needs_rehash`` tells the login code to
store a fresh hash after the next successful login. Comparisons run in
constant time; a malformed stored value never verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ALGORITHM = "scrypt"
#: scrypt cost parameters: CPU/memory cost, block size, parallelism
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
#: scrypt needs 128 * n * r bytes; leave room above it
_MAXMEM = 128 * N * R * 2


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=max(_MAXMEM, 128 * n * r * 2))


def hash_password(password: str) -> str:
    """A new salted hash of ``password``: ``scrypt$n$r$p$salt_b64$hash_b64``."""
    if not isinstance(password, str) or not password:
        raise ValueError("A password must be a non-empty text")
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(password, salt, N, R, P, HASH_BYTES)
    return f"{ALGORITHM}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != ALGORITHM:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    # refuse absurd parameters from a tampered row rather than hang or exhaust memory
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16
            and salt and 16 <= len(digest) <= 128):
        return None
    return n, r, p, salt, digest


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the ``stored`` hash (constant-time compare)."""
    parsed = _parse(stored) if stored else None
    if not isinstance(password, str) or parsed is None:
        return False
    n, r, p, salt, digest = parsed
    candidate = _scrypt(password, salt, n, r, p, len(digest))
    return hmac.compare_digest(candidate, digest)


def needs_rehash(stored: str | None) -> bool:
    """Whether ``stored`` was made with other parameters than today's (or is not a hash)."""
    parsed = _parse(stored) if stored else None
    if parsed is None:
        return True
    n, r, p, salt, digest = parsed
    return (n, r, p, len(salt), len(digest)) != (N, R, P, SALT_BYTES, HASH_BYTES)
