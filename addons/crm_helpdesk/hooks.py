"""Install hook: trigram indexes for the knowledge base's search on PostgreSQL.

    post_init_hook(env)   # CREATE EXTENSION pg_trgm; GIN indexes on title and text

Knowledge-base searches are ``ILIKE '%word%'`` (Chinese has no word
boundaries, so a substring match is what finds 退貨 in 申請退貨的流程). A
B-tree index cannot serve them; PostgreSQL's pg_trgm GIN indexes can, for
words of three characters or more. pg_trgm is a trusted extension (the
database owner may create it); when it cannot be created the search still
works, by scanning. SQLite has no such index: it scans (docs/helpdesk.md has
the figures).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

_logger = logging.getLogger("troika.helpdesk")

TRIGRAM_INDEXES = {
    "knowledge_article_name_trgm_idx": ("knowledge_article", "name"),
    "knowledge_article_body_text_trgm_idx": ("knowledge_article", "body_text"),
}


def create_trigram_indexes(env) -> bool:
    """Create pg_trgm and the GIN indexes (PostgreSQL); False when not possible."""
    if env.transaction.connection.dialect.name != "postgresql":
        return False
    try:
        with env.transaction.atomic(savepoint=True):
            env.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            for index, (table, column) in TRIGRAM_INDEXES.items():
                # identifiers are constants of this module, never data
                env.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                                    f"USING gin ({column} gin_trgm_ops)"))
    except sa.exc.DBAPIError as exc:
        _logger.warning("Knowledge base: no trigram index (%s); searches scan the table",
                        exc.orig)
        return False
    return True


def post_init_hook(env) -> None:
    create_trigram_indexes(env)
