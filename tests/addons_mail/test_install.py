"""Installing mail on a database with data, and uninstalling it: partners
stay, the chatter's tables and columns go."""

from __future__ import annotations

import sqlalchemy as sa

from core.modules.manager import open_database
from tests.fixtures import fresh_database_url


def test_install_on_data_then_uninstall(backend, tmp_path):
    with fresh_database_url(backend, str(tmp_path)) as url:
        db = open_database(url)
        try:
            with db.env() as env:
                env["res.partner"].create([{"name": f"Old {i}"} for i in range(3)])
            progress: list[str] = []
            db.progress = progress.append
            assert db.install(["mail"]) == ["mail"]
            assert any("mail: installing" in line for line in progress)
            with db.env() as env:
                partners = env["res.partner"].search([("name", "like", "Old")])
                assert len(partners) == 3 and partners.mapped("message_bounce") == [0, 0, 0]
                partners[0].message_post(body="After the install")
                assert env["ir.cron"].search([("method", "=", "process_email_queue")])
            db.uninstall(["mail"])
            inspector = sa.inspect(db.engine)
            assert "mail_message" not in inspector.get_table_names()
            columns = {c["name"] for c in inspector.get_columns("res_partner")}
            assert "message_bounce" not in columns
            with db.env() as env:
                assert env["res.partner"].search_count([("name", "like", "Old")]) == 3
                assert "mail.thread" not in env
        finally:
            db.close()
