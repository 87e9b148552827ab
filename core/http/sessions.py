"""Server-side sessions, kept in the database so that any number of
workers on any number of hosts share them.

    store = SessionStore(db.engine)
    session = store.new()               # a random token for the cookie
    session.uid = 2; store.save(session)
    store.get(token)                    # None once expired or logged out

Only a SHA-256 of the token is stored: a copy of the table does not
give anyone a way in. Each session carries its own CSRF secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

LIFETIME = dt.timedelta(days=7)

_metadata = sa.MetaData()
SESSIONS = sa.Table(
    "troika_session", _metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("uid", sa.Integer, nullable=True),
    sa.Column("csrf_secret", sa.String(64), nullable=False),
    sa.Column("context", sa.JSON, nullable=True),
    sa.Column("expires", sa.DateTime, nullable=False, index=True),
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class Session:
    token: str
    uid: int | None = None
    csrf_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    context: dict = field(default_factory=dict)
    is_new: bool = True
    #: logged out, or replaced by a fresh session at login
    deleted: bool = False

    def csrf_token(self) -> str:
        return hmac.new(self.csrf_secret.encode(), b"csrf", hashlib.sha256).hexdigest()

    def check_csrf(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(), token)


class SessionStore:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        _metadata.create_all(engine, checkfirst=True)

    def new(self) -> Session:
        return Session(token=secrets.token_urlsafe(32))

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(SESSIONS).where(
                SESSIONS.c.key == _digest(token), SESSIONS.c.expires > _now())).first()
        if row is None:
            return None
        return Session(token=token, uid=row.uid, csrf_secret=row.csrf_secret,
                       context=row.context or {}, is_new=False)

    def save(self, session: Session) -> None:
        values = {"uid": session.uid, "csrf_secret": session.csrf_secret,
                  "context": session.context, "expires": _now() + LIFETIME}
        with self.engine.begin() as connection:
            updated = connection.execute(sa.update(SESSIONS).where(
                SESSIONS.c.key == _digest(session.token)).values(values)).rowcount
            if not updated:
                connection.execute(sa.insert(SESSIONS).values(key=_digest(session.token),
                                                              **values))
        session.is_new = False

    def delete(self, session: Session) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.key == _digest(
                session.token)))
            connection.execute(sa.delete(SESSIONS).where(SESSIONS.c.expires <= _now()))
        session.deleted = True      # its cookie must not be sent again
