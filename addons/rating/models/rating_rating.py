"""Ratings: a customer's 1-5 score and comment on a document, asked by e-mail.

    rating = ticket.rating_send_request(template)[0]   # a rating.rating waiting for an answer
    rating.rating_url          # 'https://.../rate/17.740312.5f0c...': signed, expiring
    env["rating.rating"]._rating_from_token(token)     # the rating, or RatingLinkError
    rating._apply_rating(4, "Quick and friendly")      # once; the document hears of it

The token is ``<rating id>.<expiry day>.<signature>``: an HMAC-SHA256 keyed
with the database secret (system parameter ``database.secret``) of the id,
the expiry day and the rating's random ``access_token``, so a link can be
neither forged, extended nor reused for another rating. A link expires at
the end of its expiry day, ``rating.link_days`` (system parameter, default
30) after it was made, and is answered once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from core import api, fields, models
from core.exceptions import UserError, ValidationError
from core.i18n import _

RATING_PATH = "/rate/"
#: scores from this value up count as satisfied, from RATING_LIMIT_OK as okay (Odoo's)
RATING_LIMIT_SATISFIED = 4
RATING_LIMIT_OK = 3
RATING_TEXT = [("top", "Satisfied"), ("ok", "Okay"), ("ko", "Dissatisfied"),
               ("none", "No Rating yet")]
DEFAULT_LINK_DAYS = 30


class RatingLinkError(UserError):
    """A link that is not (or no longer) valid; ``reason``: invalid, expired, closed."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def rating_text(value: float) -> str:
    if value >= RATING_LIMIT_SATISFIED:
        return "top"
    if value >= RATING_LIMIT_OK:
        return "ok"
    return "ko" if value >= 1 else "none"


class RatingRating(models.Model):
    _name = "rating.rating"
    _description = "Rating"
    _order = "write_date desc, id desc"
    _rec_name = "res_name"

    res_model = fields.Char("Document Model", required=True, index=True)
    res_id = fields.Integer("Document", required=True, index=True)
    res_name = fields.Char("Resource name", readonly=True)
    parent_res_model = fields.Char("Parent Document Model", index=True)
    parent_res_id = fields.Integer("Parent Document", index=True)
    parent_res_name = fields.Char("Parent Document Name", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", index=True, ondelete="set null")
    rated_partner_id = fields.Many2one("res.partner", "Rated Operator", index=True,
                                       ondelete="set null")
    rating = fields.Float("Rating Value", aggregator="avg", default=0.0,
                          help="1 (very dissatisfied) to 5 (very satisfied); 0: no answer yet")
    rating_text = fields.Selection(RATING_TEXT, "Rating", compute="_compute_rating_text",
                                   store=True, readonly=True)
    feedback = fields.Text("Comment")
    consumed = fields.Boolean("Filled Rating", help="The customer answered; the link is spent")
    rating_date = fields.Datetime("Rated On", readonly=True, index=True)
    access_token = fields.Char("Security Token", copy=False, groups="base.group_system")
    rating_url = fields.Char("Rating Link", compute="_compute_rating_url")

    @api.depends("rating")
    def _compute_rating_text(self) -> None:
        for rating in self:
            rating.rating_text = rating_text(rating.rating)

    def _compute_rating_url(self) -> None:
        base = (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "")
        for rating in self:
            rating.rating_url = base.rstrip("/") + RATING_PATH + rating._rating_token() \
                if rating.id else False

    @api.constrains("rating")
    def _check_rating(self) -> None:
        for rating in self:
            if rating.rating and not 1 <= rating.rating <= 5:
                raise ValidationError(_(self.env, "A rating is a score from 1 to 5."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("access_token", secrets.token_urlsafe(24))
        ratings = super().create(vals_list)
        ratings._fill_names()
        return ratings

    def _fill_names(self) -> None:
        for rating in self.sudo():
            values = {}
            if rating.res_model in self.env and rating.res_id:
                values["res_name"] = self.env[rating.res_model].sudo().browse(
                    rating.res_id).display_name
            if rating.parent_res_model in self.env and rating.parent_res_id:
                values["parent_res_name"] = self.env[rating.parent_res_model].sudo().browse(
                    rating.parent_res_id).display_name
            if values:
                rating.write(values)

    def _document(self):
        """The rated record (superuser record set: the token authenticated the call)."""
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        return self.env[self.res_model].sudo().browse(self.res_id).exists() or None

    # ------------------------------------------------------------------
    # tokens
    # ------------------------------------------------------------------
    def _rating_secret(self) -> bytes:
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param("database.secret")
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param("database.secret", secret)
        return secret.encode()

    def _rating_link_days(self) -> int:
        value = self.env["ir.config_parameter"].sudo().get_param("rating.link_days")
        try:
            return max(1, int(value)) if value else DEFAULT_LINK_DAYS
        except ValueError:
            return DEFAULT_LINK_DAYS

    def _rating_signature(self, expiry: int) -> str:
        token = self.sudo().access_token or ""
        message = f"rating.rating:{self.id}:{expiry}:{token}".encode()
        return hmac.new(self._rating_secret(), message, hashlib.sha256).hexdigest()[:40]

    def _rating_token(self, today: dt.date | None = None) -> str:
        self.ensure_one()
        start = today or (self.create_date.date() if self.create_date
                          else fields.Date.today())
        expiry = (start + dt.timedelta(days=self._rating_link_days())).toordinal()
        return f"{self.id}.{expiry}.{self._rating_signature(expiry)}"

    @api.model
    def _rating_from_token(self, token: str, today: dt.date | None = None):
        """The rating a link opens (superuser record set: the token is the
        customer's authentication); RatingLinkError when it is not valid, has
        expired, or was answered already."""
        invalid = RatingLinkError(_(self.env, "This link is not valid."), "invalid")
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise invalid
        rating = self.sudo().browse(int(parts[0])).exists()
        if not rating or not rating.access_token:
            raise invalid
        if not hmac.compare_digest(rating._rating_signature(int(parts[1])), parts[2]):
            raise invalid
        if dt.date.fromordinal(int(parts[1])) < (today or fields.Date.today()):
            raise RatingLinkError(_(self.env, "This link has expired."), "expired")
        if rating.consumed:
            raise RatingLinkError(_(self.env, "Thank you: you answered this survey already."),
                                  "closed")
        return rating

    def _rating_revoke(self) -> None:
        """Invalidate every link of these ratings sent so far."""
        for rating in self.sudo():
            rating.access_token = secrets.token_urlsafe(24)

    # ------------------------------------------------------------------
    # answering
    # ------------------------------------------------------------------
    def _apply_rating(self, value: int, feedback: str | None = None) -> None:
        """The customer's answer (once): the score, the comment, and the rated
        document updated (``_rating_applied``)."""
        self.ensure_one()
        rating = self.sudo()
        if rating.consumed:
            raise RatingLinkError(_(self.env, "Thank you: you answered this survey already."),
                                  "closed")
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationError(_(self.env, "A rating is a score from 1 to 5."))
        rating.write({"rating": float(value), "feedback": (feedback or "").strip()[:5000]
                      or False, "consumed": True, "rating_date": fields.Datetime.now()})
        document = rating._document()
        if document is not None and hasattr(document, "_rating_applied"):
            document._rating_applied(rating)
