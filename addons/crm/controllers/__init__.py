"""The web pages of CRM (imported by the web client at start-up, see
core/http/web/addon_pages.py): the owner's dashboard."""

from . import dashboard  # noqa: F401
