"""Security: password hashing, access rights and record rules, login throttling.

    from core.security import hash_password, verify_password
    from core.security import access       # check_rights, rule_condition, check_rules
"""

from core.security.passwords import hash_password, needs_rehash, verify_password

__all__ = ["hash_password", "needs_rehash", "verify_password"]
