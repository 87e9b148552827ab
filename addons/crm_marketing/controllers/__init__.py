"""The public and back-office pages of e-mail marketing (imported by the web client at
start-up, see core/http/web/addon_pages.py)."""

from . import campaign_roi, lead_form, mailing  # noqa: F401
