"""Knowledge-base articles: answers written once, found by agents and customers.

    article = env["knowledge.article"].create({
        "name": "退貨政策", "lang": "zh_TW", "visibility": "public",
        "category_id": returns.id, "body": "<p>收到貨物 30 天內可申請退貨……</p>"})
    article.write({"body": "<p>收到貨物 45 天內……</p>"})   # version 2 is kept
    article.version_ids                                     # newest first
    env["knowledge.article"].search_articles("退貨")        # title matches first
    article.website_url                                     # '/kb/7-退貨政策' when public

Every change of the title or the content is kept as a
``knowledge.article.version`` (author, date); versions show their
difference to any other and can be restored. ``visibility`` says who reads
an article: employees read every article, the public page (``/kb``, run as
the public user) only ``public`` ones. An article is written in one
language (``lang``); the two languages of a topic are two articles.

Search (``search_articles``, the search view, the reply composer) matches
each word of the query in the title or the text (``body_text``, the body
without markup) with ``ilike``: Chinese, which has no spaces, is matched as
a substring. On PostgreSQL a trigram index (pg_trgm, created at install by
``hooks.py``) serves these searches; SQLite scans the table.
"""

from __future__ import annotations

import re
from typing import Any

from core import api, fields, models
from core.i18n import _

from ..tools.kb_search import search_articles
from ..tools.text import html_to_text, slugify

VISIBILITY = [("internal", "Internal"), ("public", "Public")]


def _lang_get(self) -> list[tuple[str, str]]:
    return self.env["res.lang"].sudo().get_installed()


class KnowledgeArticle(models.Model):
    _name = "knowledge.article"
    _description = "Knowledge Article"
    _order = "sequence, name, id"

    name = fields.Char("Title", required=True, index=True)
    category_id = fields.Many2one("knowledge.category", "Category", index=True,
                                  ondelete="set null")
    body = fields.Html("Content")
    body_text = fields.Text("Text", compute="_compute_body_text", store=True,
                            help="The content without markup, for searching")
    lang = fields.Selection(_lang_get, "Language", required=True, index=True,
                            default=lambda self: self.env.lang or "en_US")
    visibility = fields.Selection(VISIBILITY, "Visibility", required=True, index=True,
                                  default="internal",
                                  help="Internal: employees only. Public: also on the "
                                       "knowledge base's public pages")
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    author_id = fields.Many2one("res.users", "Author", default=lambda self: self.env.uid,
                                ondelete="set null")
    version_ids = fields.One2many("knowledge.article.version", "article_id", "Versions")
    version_count = fields.Integer("Versions", compute="_compute_version_count")
    current_version = fields.Integer("Version", readonly=True, copy=False)
    use_count = fields.Integer("Used in Replies", readonly=True, copy=False)
    website_url = fields.Char("Public Link", compute="_compute_website_url")

    @api.depends("body")
    def _compute_body_text(self) -> None:
        for article in self:
            article.body_text = html_to_text(article.body) or False

    def _compute_version_count(self) -> None:
        groups = self.env["knowledge.article.version"].read_group(
            [("article_id", "in", self.ids)], ["article_id"], ["article_id"]) \
            if self.ids else []
        counts = {g["article_id"][0]: g["article_id_count"] for g in groups}
        for article in self:
            article.version_count = counts.get(article.id, 0)

    @api.depends("name", "visibility")
    def _compute_website_url(self) -> None:
        for article in self:
            article.website_url = f"/kb/{article.slug()}" \
                if article.id and article.visibility == "public" else False

    def slug(self) -> str:
        """``<id>-<title as a URL word>``: the id finds the article, the words
        are for people (a renamed article keeps working links)."""
        self.ensure_one()
        words = slugify(self.name or "")
        return f"{self.id}-{words}" if words else str(self.id)

    @api.model
    def _id_from_slug(self, slug: str) -> int | None:
        match = re.match(r"^(\d+)(?:-|$)", slug or "")
        return int(match.group(1)) if match else None

    # ------------------------------------------------------------------
    # versions
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        articles = super().create(vals_list)
        # version 1 of every new article, in one batch (imports of thousands)
        self.env["knowledge.article.version"].sudo().create([{
            "article_id": article.id, "number": 1, "name": article.name,
            "body": article.body or False, "author_id": self.env.uid,
            "note": _(self.env, "Created")} for article in articles])
        articles.sudo().write({"current_version": 1})
        return articles

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals or "body" in vals:
            self._create_versions()
        return result

    def _create_versions(self, note: str | None = None) -> Any:
        """A version of each article whose title or content differs from its last one."""
        Version = self.env["knowledge.article.version"].sudo()  # noqa: N806
        created = Version
        for article in self:
            last = Version.search([("article_id", "=", article.id)], limit=1)
            if last and last.name == article.name and (last.body or "") == (article.body or ""):
                continue
            number = (last.number if last else 0) + 1
            created |= Version.create({
                "article_id": article.id, "number": number, "name": article.name,
                "body": article.body or False, "author_id": self.env.uid,
                "note": note or False})
            article.sudo().with_context(tracking_disable=True).write(
                {"current_version": number})
        return created

    def action_view_versions(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Versions"),
                "res_model": "knowledge.article.version", "view_mode": "list,form",
                "domain": [("article_id", "=", self.id)]}

    # ------------------------------------------------------------------
    # search
    # ------------------------------------------------------------------
    @api.model
    def search_articles(self, query: str, limit: int = 20,
                        domain: list | None = None) -> Any:
        """Articles matching every word of ``query`` (in the title or the text),
        those whose title matches first; as the user (rules apply)."""
        return search_articles(self, query, limit=limit, domain=domain)

    @api.model
    def search_articles_read(self, query: str, limit: int = 20) -> list[dict]:
        """``search_articles`` for RPC and scripts: id, title, category, link."""
        return [{"id": a.id, "name": a.name, "category": a.category_id.display_name or "",
                 "visibility": a.visibility, "lang": a.lang, "website_url": a.website_url}
                for a in self.search_articles(query, limit=limit)]

    def name_search(self, name: str = "", args: Any = None, operator: str = "ilike",
                    limit: int | None = 100) -> list[tuple[int, str]]:
        if not name or operator != "ilike":
            return super().name_search(name, args, operator, limit)
        found = self.search_articles(name, limit=limit or 100, domain=list(args or []))
        return [(article.id, article.display_name) for article in found]
