"""Security: password hashing (access rights and record rules come next).

    from core.security import hash_password, verify_password
"""

from core.security.passwords import hash_password, needs_rehash, verify_password

__all__ = ["hash_password", "needs_rehash", "verify_password"]
