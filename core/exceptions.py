"""Exceptions that Troika raises to its callers.

Every error a user or an integrator can cause is one of these, with a
message a person can read; raw database errors never leave the kernel.

    from core.exceptions import ValidationError
    raise ValidationError("The probability must lie between 0 and 100.")
"""

from __future__ import annotations


class UserError(Exception):
    """A business error shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)

    @property
    def message(self) -> str:
        return self.args[0]


class ValidationError(UserError):
    """A value breaks a constraint (required, unique, type, @api.constrains)."""


class AccessError(UserError):
    """The user may not do this operation on these records."""


class MissingError(UserError):
    """The records do not exist (any more)."""


class AccessDenied(Exception):
    """Authentication failed: wrong login, wrong password or inactive user."""

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)
