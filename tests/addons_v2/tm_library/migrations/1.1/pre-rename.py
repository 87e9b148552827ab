"""Before the schema is synchronised: rename tm_book.isbn to isbn13, keeping the values."""

import sqlalchemy as sa


def migrate(env, version):
    env.execute(sa.text("CREATE TABLE IF NOT EXISTS tm_migration_log "
                        "(stage VARCHAR(20), version VARCHAR(20), note VARCHAR(200))"))
    env.execute(sa.text("ALTER TABLE tm_book RENAME COLUMN isbn TO isbn13"))
    env.execute(sa.text("INSERT INTO tm_migration_log VALUES ('pre', :version, 'renamed')"),
                {"version": version})
