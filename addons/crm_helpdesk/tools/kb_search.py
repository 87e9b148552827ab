"""Knowledge-base search: every word of the query, title matches first.

    search_articles(env["knowledge.article"], "退貨")             # Chinese: a substring
    search_articles(env["knowledge.article"], "return damaged")  # both words, any order

Each word of the query (up to ``MAX_TERMS``) must appear, case-insensitively,
in the title or in the text of the article (``body_text``); the articles
whose title holds every word come first. The domains compile to ``ILIKE``
on PostgreSQL (served by the pg_trgm GIN indexes of ``hooks.py`` for words
of three characters or more) and to a Unicode ``lower() LIKE`` on SQLite
(a table scan). Searching runs as the caller: record rules decide what is
found (the public page finds public articles only).
"""

from __future__ import annotations

from typing import Any

from core.orm import domain as dom

MAX_TERMS = 8


def query_terms(query: str) -> list[str]:
    """The words of a query: split on white space, duplicates dropped."""
    terms: list[str] = []
    for word in (query or "").split():
        if word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    return terms[:MAX_TERMS]


def search_articles(model: Any, query: str, limit: int = 20,
                    domain: list | None = None) -> Any:
    terms = query_terms(query)
    scope = list(domain or [])
    if not terms:
        return model.search(scope, limit=limit)
    in_title = dom.AND([scope] + [[("name", "ilike", term)] for term in terms])
    anywhere = dom.AND([scope] + [["|", ("name", "ilike", term), ("body_text", "ilike", term)]
                                  for term in terms])
    first = model.search(in_title, limit=limit)
    if len(first) >= limit:
        return first
    rest = model.search(dom.AND([anywhere, [("id", "not in", first.ids)]]),
                        limit=limit - len(first))
    return first | rest
