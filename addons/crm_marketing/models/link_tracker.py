"""Tracked links: the redirects that count the clicks of a mailing's links.

    link = env["link.tracker"]._find_or_create("https://shop.example.com/led",
                                                 mailing=mailing)
    link.short_url        # https://erp.example.com/r/aB3dE9xZ
    link.redirected_url   # https://shop.example.com/led?utm_campaign=...&utm_medium=Email&...

The target gets ``utm_campaign``, ``utm_medium`` and ``utm_source`` with the
names of the mailing's campaign, medium and source, so that the landing page
(a web form that creates leads) knows where the visitor came from.
"""

from __future__ import annotations

import secrets
import string
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 8


class LinkTracker(models.Model):
    _name = "link.tracker"
    _description = "Link Tracker"
    _order = "count desc, id desc"
    _rec_name = "url"

    url = fields.Char("Target URL", required=True)
    title = fields.Char("Page Title")
    code = fields.Char("Short URL code", required=True, index=True, copy=False,
                       default=lambda self: self._new_code())
    short_url = fields.Char("Tracked URL", compute="_compute_short_url")
    redirected_url = fields.Char("Redirected URL", compute="_compute_redirected_url")
    campaign_id = fields.Many2one("utm.campaign", "Campaign", ondelete="set null")
    medium_id = fields.Many2one("utm.medium", "Medium", ondelete="set null")
    source_id = fields.Many2one("utm.source", "Source", ondelete="set null")
    mass_mailing_id = fields.Many2one("mailing.mailing", "Mass Mailing", index=True,
                                      ondelete="cascade")
    link_click_ids = fields.One2many("link.tracker.click", "link_id", "Clicks")
    count = fields.Integer("Number of Clicks", compute="_compute_count", store=True)

    _sql_constraints = [("unique_code", "unique(code)", "The short URL code must be unique.")]

    @api.model
    def _new_code(self) -> str:
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))

    @api.constrains("url")
    def _check_url(self) -> None:
        for link in self:
            parts = urlsplit(link.url or "")
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError(_(self.env, "The link %(url)s is not an http(s) URL.",
                                        url=link.url))

    def _compute_short_url(self) -> None:
        base_url = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "http://localhost:8069").rstrip("/")
        for link in self:
            link.short_url = f"{base_url}/r/{link.code}" if link.code else False

    @api.depends("url", "campaign_id.name", "medium_id.name", "source_id.name")
    def _compute_redirected_url(self) -> None:
        for link in self:
            link.redirected_url = link._redirect_target()

    def _redirect_target(self) -> str:
        """The URL with the names of the campaign, medium and source as
        ``utm_*`` parameters (replacing any the URL had)."""
        parts = urlsplit(self.url or "")
        utm = {"utm_campaign": self.campaign_id.name, "utm_medium": self.medium_id.name,
               "utm_source": self.source_id.name}
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                 if not (key in utm and utm[key])]
        query += [(key, value) for key, value in utm.items() if value]
        return urlunsplit(parts._replace(query=urlencode(query)))

    @api.depends("link_click_ids")
    def _compute_count(self) -> None:
        counts: dict[int, int] = {}
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            for group in self.env["link.tracker.click"].sudo().read_group(
                    [("link_id", "in", ids)], ["link_id"], ["link_id"]):
                counts[group["link_id"][0]] = group["link_id_count"]
        for link in self:
            link.count = counts.get(link.id, 0)

    @api.model
    def _find_or_create(self, urls: list[str], mailing: Any) -> dict[str, Any]:
        """{url: link tracker} of ``mailing`` for these URLs (two queries)."""
        wanted = sorted(set(urls))
        if not wanted:
            return {}
        found = self.search([("url", "in", wanted), ("mass_mailing_id", "=", mailing.id)])
        result = {link.url: link for link in found}
        missing = [url for url in wanted if url not in result]
        if missing:
            created = self.create([{
                "url": url, "mass_mailing_id": mailing.id, "campaign_id": mailing.campaign_id.id,
                "medium_id": mailing.medium_id.id, "source_id": mailing.source_id.id}
                for url in missing])
            result.update({link.url: link for link in created})
        return result


class LinkTrackerClick(models.Model):
    _name = "link.tracker.click"
    _description = "Link Tracker Click"
    _order = "id desc"
    _rec_name = "link_id"

    link_id = fields.Many2one("link.tracker", "Link", required=True, index=True,
                              ondelete="cascade")
    campaign_id = fields.Many2one("utm.campaign", "UTM Campaign",
                                  related="link_id.campaign_id", store=True, index=True)
    ip = fields.Char("Internet Protocol")
    country_id = fields.Many2one("res.country", "Country")
    mailing_trace_id = fields.Many2one("mailing.trace", "Mail Statistics", index=True,
                                       ondelete="set null")
    mass_mailing_id = fields.Many2one("mailing.mailing", "Mass Mailing", index=True,
                                      ondelete="set null")

    @api.model
    def add_click(self, code: str, ip: str | None = None, trace: Any = None) -> Any:
        """Count a click on the link ``code`` (as superuser); with a trace, the
        recipient's trace is marked opened and clicked. The link, or None when
        the code is unknown."""
        link = self.env["link.tracker"].sudo().search([("code", "=", code)], limit=1)
        if not link:
            return None
        if trace and link.mass_mailing_id and trace.mailing_id != link.mass_mailing_id:
            trace = None        # a recipient of another mailing: counted, not attributed
        values = {"link_id": link.id, "ip": ip or False}
        if trace:
            values.update(mailing_trace_id=trace.id, mass_mailing_id=trace.mailing_id.id)
        elif link.mass_mailing_id:
            values["mass_mailing_id"] = link.mass_mailing_id.id
        self.sudo().create(values)
        if trace:
            trace.set_opened()
            trace.set_clicked()
        return link
