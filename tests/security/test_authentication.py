"""Logging in: one answer for every failure, hashes upgraded, API keys,
throttling of repeated failures, and an audit trail without passwords."""

from __future__ import annotations

import base64
import hashlib
import logging
import os

import pytest

from core.exceptions import AccessDenied, AccessError
from core.security import needs_rehash, verify_password
from core.security import throttle as throttle_module
from core.security.throttle import LOGIN_THROTTLE, LoginThrottle
from tests.security.conftest import PASSWORD, make_user


@pytest.fixture
def user(env):
    return make_user(env, "mei", ("ts_sales.group_own",), password=PASSWORD)


def _denied(env, login, password, **kwargs) -> str:
    with pytest.raises(AccessDenied) as info:
        env["res.users"].authenticate(login, password, **kwargs)
    return str(info.value)


def test_one_answer_for_every_failure(env, user):
    Users = env["res.users"]  # noqa: N806
    assert Users.authenticate("mei", PASSWORD) == user.id
    assert user.login_date
    messages = {
        _denied(env, "nobody", PASSWORD),                 # wrong login
        _denied(env, "mei", "wrong password"),            # wrong password
        _denied(env, "mei", ""),                          # empty password
        _denied(env, "mei", None),                        # no password
        _denied(env, "MEI", PASSWORD),                    # logins are exact
        _denied(env, "__system__", "anything"),           # the superuser never logs in
        _denied(env, "", PASSWORD),
    }
    user.active = False
    messages.add(_denied(env, "mei", PASSWORD))           # inactive user
    assert len(messages) == 1
    LOGIN_THROTTLE.reset()
    user.active = True
    assert Users.authenticate("mei", PASSWORD) == user.id
    # a user without password cannot log in with any
    make_user(env, "nopass")
    assert _denied(env, "nopass", "") == _denied(env, "nopass", "x") == messages.pop()


def test_old_hashes_are_upgraded_at_login(env, user):
    salt = os.urandom(16)
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
    old = f"scrypt$1024$8$1${base64.b64encode(salt).decode()}$" \
          f"{base64.b64encode(digest).decode()}"
    table = user._table_obj
    env.execute(table.update().where(table.c.id == user.id).values(password=old))
    user.invalidate_recordset()
    assert needs_rehash(user.password) and verify_password(PASSWORD, user.password)
    # a failed login keeps the old hash
    _denied(env, "mei", "wrong")
    user.invalidate_recordset()
    assert user.password == old
    assert env["res.users"].authenticate("mei", PASSWORD) == user.id
    user.invalidate_recordset()
    assert user.password != old and not needs_rehash(user.password)
    assert verify_password(PASSWORD, user.password)


def test_api_keys(env, user, users):
    Keys = env["res.users.apikeys"]  # noqa: N806
    key = Keys.with_user(user)._generate("Shop sync")
    assert isinstance(key, str) and len(key) >= 32
    record = Keys.search([("user_id", "=", user.id)])
    assert record.name == "Shop sync"
    # only a hash is stored
    assert record.key != key and record.key == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(record.read()[0].values())
    # authenticating with it (RPC), not as the password of a login form
    Users = env["res.users"]  # noqa: N806
    assert Users.authenticate("mei", key, api_key=True) == user.id
    assert Users.authenticate("mei", PASSWORD, api_key=True) == user.id
    assert _denied(env, "mei", key) == "Access Denied"
    assert _denied(env, "own", key, api_key=True) == "Access Denied"   # another user's login
    user.invalidate_recordset()
    assert verify_password(PASSWORD, user.sudo().password)   # the key did not replace it
    # the key field is for administrators only
    mine = Keys.with_user(user).search([])
    assert mine == record
    assert "key" not in mine.read()[0]
    assert "key" not in Keys.with_user(user).fields_get()
    with pytest.raises(AccessError):
        mine.read(["key"])
    with pytest.raises(AccessError):
        Keys.with_user(user).search([("key", "=", record.key)])
    assert "key" in Keys.with_user(users.admin).fields_get()
    assert Keys.with_user(users.admin).browse(record.id).read(["key"])[0]["key"] == record.key
    # others neither see nor revoke it
    assert not Keys.with_user(users.own).search([])
    with pytest.raises(AccessError):
        Keys.with_user(users.own).browse(record.id).action_revoke()
    with pytest.raises(AccessError):
        Keys.with_user(users.own).browse(record.id).read(["name"])
    assert record.exists()
    # a user cannot make keys for someone else
    with pytest.raises(AccessError):
        Keys.with_user(users.own).create({"name": "for mei", "user_id": user.id,
                                          "index": "abcdefgh", "key": "0" * 64})
    # revoked by its owner: it stops working at once
    mine.action_revoke()
    assert not record.exists()
    assert _denied(env, "mei", key, api_key=True) == "Access Denied"
    # administrators may revoke anyone's
    other = Keys.with_user(users.own)._generate("other")
    Keys.with_user(users.admin).search([("user_id", "=", users.own.id)]).action_revoke()
    assert _denied(env, "own", other, api_key=True) == "Access Denied"


def test_throttling_per_login(env, user):
    Users = env["res.users"]  # noqa: N806
    for _ in range(LOGIN_THROTTLE.attempts):
        _denied(env, "mei", "wrong", remote_addr="198.51.100.1")
    # locked now, even with the right password, from any address
    message = _denied(env, "mei", PASSWORD, remote_addr="198.51.100.2")
    assert "Too many failed logins" in message
    assert "Too many failed logins" in _denied(env, "MEI", PASSWORD)
    # other logins are not affected
    other = make_user(env, "other", password=PASSWORD)
    assert Users.authenticate("other", PASSWORD, remote_addr="198.51.100.3") == other.id
    LOGIN_THROTTLE.reset()
    assert Users.authenticate("mei", PASSWORD, remote_addr="198.51.100.1") == user.id


def test_throttling_per_address(env, user):
    Users = env["res.users"]  # noqa: N806
    address = "203.0.113.7"
    for i in range(LOGIN_THROTTLE.address_attempts):
        _denied(env, f"guess{i}", "wrong", remote_addr=address)
    assert "Too many failed logins" in _denied(env, "mei", PASSWORD, remote_addr=address)
    assert Users.authenticate("mei", PASSWORD, remote_addr="203.0.113.8") == user.id


def test_a_success_resets_the_count_of_the_login(env, user):
    Users = env["res.users"]  # noqa: N806
    for _ in range(LOGIN_THROTTLE.attempts - 1):
        _denied(env, "mei", "wrong")
    assert Users.authenticate("mei", PASSWORD) == user.id
    for _ in range(LOGIN_THROTTLE.attempts - 1):
        _denied(env, "mei", "wrong")
    assert Users.authenticate("mei", PASSWORD) == user.id


def test_throttle_window(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(throttle_module.time, "monotonic", lambda: clock[0])
    throttle = LoginThrottle(attempts=3, window=60, address_attempts=3)
    for _ in range(3):
        throttle.check("ann", "192.0.2.1")
        throttle.failed("ann", "192.0.2.1")
    with pytest.raises(AccessDenied, match=r"try again in 6[01] seconds"):
        throttle.check("ann", None)
    with pytest.raises(AccessDenied):
        throttle.check("bob", "192.0.2.1")
    throttle.check("bob", "192.0.2.2")
    clock[0] += 30
    with pytest.raises(AccessDenied, match=r"try again in 3[01] seconds"):
        throttle.check("ann", None)
    clock[0] += 31            # the failures have left the window
    throttle.check("ann", "192.0.2.1")
    throttle.failed("ann", None)
    throttle.check("ann", None)
    throttle.reset()
    throttle.check("ann", "192.0.2.1")


def test_logins_are_logged_without_passwords(env, user, caplog):
    caplog.set_level(logging.INFO)
    env["res.users"].authenticate("mei", PASSWORD, remote_addr="192.0.2.10")
    _denied(env, "mei", "Wrong-Secret-123", remote_addr="192.0.2.11")
    _denied(env, "ghost", "Ghost-Secret-456", remote_addr="192.0.2.12")
    key = env["res.users.apikeys"].with_user(user)._generate("k")
    env["res.users"].authenticate("mei", key, api_key=True)
    records = [r for r in caplog.records if r.name == "troika.security"]
    messages = [r.getMessage() for r in records]
    assert any("successful" in m and "mei" in m and "192.0.2.10" in m for m in messages)
    assert any("failed" in m and "mei" in m and "192.0.2.11" in m for m in messages)
    assert any("failed" in m and "ghost" in m for m in messages)
    assert [r.levelno for r in records if "failed" in r.getMessage()] == [logging.WARNING] * 2
    for _ in range(LOGIN_THROTTLE.attempts):
        _denied(env, "mei", "Wrong-Secret-789", remote_addr="192.0.2.13")
    _denied(env, "mei", PASSWORD, remote_addr="192.0.2.13")      # throttled: logged too
    assert "too many failures" in caplog.records[-1].getMessage()
    assert "mei" in caplog.records[-1].getMessage()
    everything = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in (PASSWORD, "Wrong-Secret-123", "Ghost-Secret-456", "Wrong-Secret-789", key):
        assert secret not in everything
