"""Replying to a customer with a knowledge-base article (canned responses).

    reply = env["helpdesk.ticket.reply"].create({"ticket_id": ticket.id})
    reply.article_id = article            # the composer gets the article's content
    reply._onchange_article_id()          # (the form does it when the article is picked)
    reply.action_send()                   # posted in the chatter, e-mailed to the customer

The "Reply" button of a ticket opens this composer. Picking an article
(searched by title and text, title matches first) puts its content under
what was typed, with a link to its public page when it has one; the agent
edits and sends. Sending posts a message on the ticket as the agent (the
first response, when it is one) and counts the article's use. "Log note" keeps it internal.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _


class HelpdeskTicketReply(models.TransientModel):
    _name = "helpdesk.ticket.reply"
    _description = "Reply to a ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", "Ticket", required=True,
                                ondelete="cascade")
    partner_id = fields.Many2one("res.partner", related="ticket_id.partner_id",
                                 string="Customer")
    article_id = fields.Many2one("knowledge.article", "Insert an article",
                                 help="Search the knowledge base by title or text")
    body = fields.Html("Message")

    @api.onchange("article_id")
    def _onchange_article_id(self) -> None:
        if self.article_id:
            self.body = self._with_article(self.body or "", self.article_id)

    def _with_article(self, body: str, article: Any) -> str:
        base = (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "")
        parts = [body, article.body or ""]
        if article.website_url:
            link = base.rstrip("/") + article.website_url
            label = _(self.env, "Read online: %(title)s", title=article.name)
            parts.append(str(Markup('<p><a href="{}">{}</a></p>').format(link, label)))
        return "".join(parts)

    def _post(self, note: bool) -> Any:
        self.ensure_one()
        body = self.body or ""
        if not body.strip() or body.strip() in ("<p></p>", "<p><br></p>"):
            raise UserError(_(self.env, "Write a message or insert an article."))
        message = self.ticket_id.message_post(
            body=Markup(body), message_type="comment",
            subtype_xmlid="mail.mt_note" if note else "mail.mt_comment")
        if self.article_id:
            self.article_id.sudo().write({"use_count": self.article_id.sudo().use_count + 1})
        return message

    def action_send(self) -> dict:
        """Send the message to the customer (and the ticket's followers)."""
        self._post(note=False)
        return self._back()

    def action_log_note(self) -> dict:
        self._post(note=True)
        return self._back()

    def _back(self) -> dict:
        return {"type": "ir.actions.act_window", "res_model": "helpdesk.ticket",
                "res_id": self.ticket_id.id, "view_mode": "form"}


class HelpdeskTicketReplyButton(models.Model):
    _inherit = "helpdesk.ticket"

    def action_reply(self) -> dict:
        """The composer with the knowledge base at hand."""
        self.ensure_one()
        reply = self.env["helpdesk.ticket.reply"].create({"ticket_id": self.id})
        return {"type": "ir.actions.act_window", "res_model": "helpdesk.ticket.reply",
                "res_id": reply.id, "view_mode": "form", "target": "new",
                "name": _(self.env, "Reply to %(ticket)s", ticket=self.display_name)}
