"""The rating mixin: documents that customers rate (a closed ticket).

    class Ticket(models.Model):
        _name = "helpdesk.ticket"
        _inherit = ["mail.thread", "rating.mixin"]

    ticket.rating_send_request(env.ref("crm_helpdesk.rating_ticket_request_email_template"))
    ticket.rating_request_url      # the link the template puts in the mail
    ticket.rating_last_value       # 4.0 once the customer answered (stored: read_group)

A model says who rates (``_rating_get_partner``: its ``partner_id``), who is
rated (``_rating_get_operator``: the partner of its ``user_id``) and under
which parent the rating is rolled up (``_rating_get_parent``: a team).
When the customer answers, ``_rating_applied`` stores the score on the
document and logs it in the chatter.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from core import fields, models
from core.i18n import _


class RatingMixin(models.AbstractModel):
    _name = "rating.mixin"
    _description = "Rating Mixin"

    rating_ids = fields.Many2many("rating.rating", string="Ratings",
                                  compute="_compute_rating_ids")
    rating_last_value = fields.Float("Rating Last Value", aggregator="avg", copy=False,
                                     readonly=True, index=True)
    rating_last_feedback = fields.Text("Rating Last Feedback", copy=False, readonly=True)
    rating_last_text = fields.Selection(
        [("top", "Satisfied"), ("ok", "Okay"), ("ko", "Dissatisfied"),
         ("none", "No Rating yet")], "Rating Text", compute="_compute_rating_last_text")
    rating_count = fields.Integer("Rating count", compute="_compute_rating_ids")
    rating_avg = fields.Float("Average Rating", compute="_compute_rating_ids")
    rating_request_url = fields.Char("Rating Request Link", compute="_compute_rating_ids",
                                     help="The link of the survey waiting for an answer")

    def _compute_rating_ids(self) -> None:
        Rating = self.env["rating.rating"]  # noqa: N806
        found = Rating.search([("res_model", "=", self._name),
                               ("res_id", "in", self.ids)], order="id desc") \
            if self.ids else Rating
        for record in self:
            mine = found.filtered(lambda r, rid=record.id: r.res_id == rid)
            answered = mine.filtered("consumed")
            pending = mine.filtered(lambda r: not r.consumed)[:1]
            record.rating_ids = mine
            record.rating_count = len(answered)
            record.rating_avg = sum(answered.mapped("rating")) / len(answered) \
                if answered else 0.0
            record.rating_request_url = pending.sudo().rating_url if pending else False

    def _compute_rating_last_text(self) -> None:
        from .rating_rating import rating_text

        for record in self:
            record.rating_last_text = rating_text(record.rating_last_value)

    # ------------------------------------------------------------------
    # hooks a model may override
    # ------------------------------------------------------------------
    def _rating_get_partner(self) -> Any:
        return self.partner_id if "partner_id" in self._fields else self.env["res.partner"]

    def _rating_get_operator(self) -> Any:
        if "user_id" in self._fields and self.user_id:
            return self.user_id.sudo().partner_id
        return self.env["res.partner"]

    def _rating_get_parent(self) -> Any:
        """The record ratings are rolled up under (a team), or None."""
        return None

    # ------------------------------------------------------------------
    # asking and answering
    # ------------------------------------------------------------------
    def _rating_create_request(self) -> Any:
        """A rating waiting for the customer's answer (the previous pending one
        of the record is revoked: one open survey per document)."""
        self.ensure_one()
        Rating = self.env["rating.rating"].sudo()  # noqa: N806
        Rating.search([("res_model", "=", self._name), ("res_id", "=", self.id),
                       ("consumed", "=", False)])._rating_revoke()
        parent = self._rating_get_parent()
        return Rating.create({
            "res_model": self._name, "res_id": self.id,
            "partner_id": self._rating_get_partner().id or False,
            "rated_partner_id": self._rating_get_operator().id or False,
            "parent_res_model": parent._name if parent else False,
            "parent_res_id": parent.id if parent else False,
        })

    def rating_send_request(self, template: Any, force_send: bool = False) -> Any:
        """Send the survey ``template`` (a mail.template of this model) to the
        customer of each record that has one; returns the ratings created."""
        ratings = self.env["rating.rating"]
        for record in self:
            if not record._rating_get_partner():
                continue
            rating = record._rating_create_request()
            record.invalidate_recordset(["rating_request_url", "rating_ids"])
            template.send_mail(record.id, force_send=force_send)
            ratings |= rating
        return ratings

    def _rating_applied(self, rating: Any) -> None:
        """The customer answered ``rating``: keep the score on the document and
        tell its followers in the chatter (the customer is the author)."""
        self.ensure_one()
        record = self.sudo()
        record.write({"rating_last_value": rating.rating,
                      "rating_last_feedback": rating.feedback or False})
        if getattr(type(record), "_mail_thread", False):
            stars = "★" * int(rating.rating) + "☆" * (5 - int(rating.rating))
            body = Markup("<p>{}</p>").format(_(record.env, "Customer rating: %(stars)s "
                                                "(%(value)s/5)", stars=stars,
                                                value=int(rating.rating)))
            if rating.feedback:
                body += Markup("<blockquote>{}</blockquote>").format(escape(rating.feedback))
            record._message_log(body=body, author_id=rating.partner_id.id or None,
                                notify=True)

    def rating_apply(self, rate: int, token: str | None = None,
                     feedback: str | None = None) -> Any:
        """Odoo's name: apply an answer to the pending rating of this record (or
        the one of ``token``)."""
        self.ensure_one()
        Rating = self.env["rating.rating"]  # noqa: N806
        if token:
            rating = Rating._rating_from_token(token)
        else:
            rating = Rating.sudo().search([("res_model", "=", self._name),
                                           ("res_id", "=", self.id),
                                           ("consumed", "=", False)], order="id desc",
                                          limit=1)
        if not rating or rating.res_model != self._name or rating.res_id != self.id:
            return Rating
        rating._apply_rating(int(rate), feedback)
        return rating
