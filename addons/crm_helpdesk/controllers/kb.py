"""The knowledge base's public pages: ``/kb`` and ``/kb/<id>-<title>``.

    GET /kb                 public articles by category; ?q=退貨 searches them
    GET /kb/12-return-policy    one public article

No login. The pages run as the addon's public user (``crm_helpdesk.public_user``,
archived, in the Public group), not as the superuser: the record rule
"public ones for visitors" lets that user read public articles only, so an
internal article is a 404 whatever its URL. The page speaks the visitor's
language (``?lang=``, else ``Accept-Language``); articles of that language
come first.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from core.http.routes import route
from core.i18n import login_lang
from core.orm.html_sanitizer import sanitize

SEARCH_LIMIT = 50


def public_env(env: Any, lang: str) -> Any:
    """``env`` as the public user, in ``lang`` (access rights and rules apply)."""
    public = env.ref("crm_helpdesk.public_user", raise_if_not_found=False)
    if public is None:
        raise NotFound()
    return env(user=public.id, su=False, context={"lang": lang, "active_test": True})


def _by_lang_first(articles: Any, lang: str) -> list:
    return sorted(articles, key=lambda a: 0 if a.lang == lang else 1)


@route("/kb", methods=("GET",), module="crm_helpdesk")
def kb_index(app: Any, request: Request, session: Any) -> Response:
    lang = login_lang(app.db, request)
    query = (request.args.get("q") or "").strip()[:200]
    with app.db.env() as env:
        penv = public_env(env, lang)
        Article = penv["knowledge.article"]  # noqa: N806
        if query:
            found = Article.search_articles(query, limit=SEARCH_LIMIT)
            return app.render("crm_helpdesk/kb_index.html", lang=lang, query=query,
                              results=list(found), sections=[])
        articles = _by_lang_first(Article.search([]), lang)
        sections: dict[str, list] = {}
        for article in articles:
            sections.setdefault(article.category_id.display_name or "", []).append(article)
        return app.render("crm_helpdesk/kb_index.html", lang=lang, query="", results=None,
                          sections=sorted(sections.items(), key=lambda item: item[0]))


@route("/kb/<slug>", methods=("GET",), module="crm_helpdesk")
def kb_article(app: Any, request: Request, session: Any, slug: str) -> Response:
    lang = login_lang(app.db, request)
    with app.db.env() as env:
        penv = public_env(env, lang)
        Article = penv["knowledge.article"]  # noqa: N806
        article_id = Article._id_from_slug(slug)
        article = Article.search([("id", "=", article_id)], limit=1) if article_id \
            else Article
        if not article:
            raise NotFound()
        if slug != article.slug():
            return redirect(f"/kb/{article.slug()}", code=301)
        related = Article.search([("category_id", "=", article.category_id.id),
                                  ("id", "!=", article.id)], limit=10) \
            if article.category_id else Article
        return app.render("crm_helpdesk/kb_article.html", lang=lang, article=article,
                          body=Markup(sanitize(article.body or "")), related=list(related))
