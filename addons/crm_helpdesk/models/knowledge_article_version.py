"""The versions of a knowledge article: every edit kept, compared, restorable.

    v1, v2 = article.version_ids.sorted("number")
    v2.diff_html                 # what changed since v1 (a sanitised HTML table)
    v2.diff_with(v1)             # the same against any version of the article
    v1.action_restore()          # the article gets v1's title and content (version 3)

Versions are written by the article (``knowledge.article._create_versions``)
and never changed: only the superuser may write or delete them.
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models
from core.exceptions import AccessError, UserError
from core.i18n import _

from ..tools.diff import diff_html


class KnowledgeArticleVersion(models.Model):
    _name = "knowledge.article.version"
    _description = "Knowledge Article Version"
    _order = "article_id, number desc, id desc"

    article_id = fields.Many2one("knowledge.article", "Article", required=True,
                                 ondelete="cascade", index=True)
    number = fields.Integer("Version", required=True, readonly=True)
    name = fields.Char("Title", readonly=True)
    body = fields.Html("Content", readonly=True)
    author_id = fields.Many2one("res.users", "Author", readonly=True, ondelete="set null")
    date = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    note = fields.Char(readonly=True)
    previous_id = fields.Many2one("knowledge.article.version", "Previous Version",
                                  compute="_compute_previous")
    diff_html = fields.Html("Changes", compute="_compute_diff_html", sanitize=False,
                            help="What changed since the previous version")
    is_current = fields.Boolean("Current", compute="_compute_previous")

    @api.depends("number", "article_id")
    def _compute_display_name(self) -> None:
        for version in self:
            version.display_name = _(self.env, "Version %(number)s: %(title)s",
                                     number=version.number, title=version.name or "")

    def _compute_previous(self) -> None:
        Version = self.sudo()  # noqa: N806 - the article's rules guard the versions
        for version in self:
            version.previous_id = Version.search([
                ("article_id", "=", version.article_id.id),
                ("number", "<", version.number)], order="number desc", limit=1)
            version.is_current = version.number == version.article_id.sudo().current_version

    def _compute_diff_html(self) -> None:
        for version in self:
            version.diff_html = version.diff_with(version.previous_id) or False

    def diff_with(self, other: Any) -> str:
        """The changes from ``other`` (an older or newer version of the same
        article, or nothing: from an empty article) to this version."""
        self.ensure_one()
        if other and other.article_id != self.article_id:
            raise UserError(_(self.env, "Only versions of one article can be compared."))
        old_label = _(self.env, "Version %(number)s", number=other.number) if other \
            else _(self.env, "(empty)")
        new_label = _(self.env, "Version %(number)s", number=self.number)
        title_change = ""
        if other and (other.name or "") != (self.name or ""):
            title_change = diff_html(f"<p>{_escape(other.name)}</p>",
                                     f"<p>{_escape(self.name)}</p>", old_label, new_label)
        body = diff_html(other.body if other else "", self.body, old_label, new_label)
        return title_change + body

    def action_restore(self) -> dict:
        """Give the article this version's title and content again (as a new version)."""
        self.ensure_one()
        article = self.article_id
        article.write({"name": self.name, "body": self.body or False})
        latest = self.sudo().search([("article_id", "=", article.id)], limit=1)
        if latest.number > self.number and not latest.note:
            latest.sudo().write(
                {"note": _(self.env, "Restored from version %(number)s",
                           number=self.number)})
        return {"type": "ir.actions.act_window", "res_model": "knowledge.article",
                "res_id": article.id, "view_mode": "form"}

    # ------------------------------------------------------------------
    # history is not rewritten
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.is_superuser():
            raise AccessError(_(self.env, "Versions of an article cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.is_superuser():
            raise AccessError(_(self.env, "Versions of an article cannot be deleted."))
        return super().unlink()


def _escape(text: str | None) -> str:
    from markupsafe import escape

    return str(escape(text or ""))
