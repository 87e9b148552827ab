"""Helpdesk: tickets with SLAs in working hours, e-mail to ticket, a knowledge
base with versions and public pages, satisfaction surveys (docs/helpdesk.md)."""

from . import controllers, models, wizard
from .hooks import post_init_hook

__all__ = ["post_init_hook"]
