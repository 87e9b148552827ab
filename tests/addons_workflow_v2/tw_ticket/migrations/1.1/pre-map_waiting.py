"""Before the new workflow loads: tickets waiting for the customer are open again."""

import sqlalchemy as sa


def migrate(env, version):
    env.execute(sa.text("UPDATE tw_ticket SET state = 'open' WHERE state = 'waiting'"))
