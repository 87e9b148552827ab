"""After the data files: give every book without a subtitle one, through the ORM."""

import sqlalchemy as sa


def migrate(env, version):
    books = env["tm.book"].search([("subtitle", "=", False)])
    books.write({"subtitle": "migrated"})
    env.execute(sa.text("INSERT INTO tm_migration_log VALUES ('post', :version, :note)"),
                {"version": version, "note": f"{len(books)} books"})
