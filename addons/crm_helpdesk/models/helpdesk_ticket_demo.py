"""Demo data that markup cannot express: answers, stage moves and ratings.

    <function model="helpdesk.ticket" name="_demo_progress"
              eval="[ref('helpdesk_ticket_flicker'), ...]"/>   # demo/helpdesk_demo.xml
"""

from __future__ import annotations

from markupsafe import Markup

from core import api, models


class HelpdeskTicketDemo(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _demo_progress(self, waiting_id: int, solved_id: int, rated_id: int,
                       article_id: int) -> None:
        """One ticket answered with an article and waiting for the customer, two
        solved and rated by their customers (5 and 3)."""
        article = self.env["knowledge.article"].browse(article_id)
        waiting = self.browse(waiting_id)
        waiting._demo_answer(Markup(article.body or ""))
        waiting.with_user(waiting.user_id).action_wait()
        for ticket_id, score, comment in ((solved_id, 5, "Corrected within the hour."),
                                          (rated_id, 3, "")):
            ticket = self.browse(ticket_id)
            ticket._demo_answer(Markup("<p>Done: please find it attached.</p>"))
            ticket.with_user(ticket.user_id).action_solve()
            pending = self.env["rating.rating"].search([
                ("res_model", "=", self._name), ("res_id", "=", ticket.id),
                ("consumed", "=", False)], limit=1)
            if pending:
                pending._apply_rating(score, comment)

    def _demo_answer(self, body: Markup) -> None:
        self.ensure_one()
        self.with_user(self.user_id).message_post(body=body, message_type="comment",
                                                  subtype_xmlid="mail.mt_comment")
