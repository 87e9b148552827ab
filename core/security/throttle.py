"""Slowing down password guessing: failed logins counted per login and per
address; past a threshold, further attempts are refused for a while.

    LOGIN_THROTTLE.check("admin", "203.0.113.7")    # AccessDenied while locked
    LOGIN_THROTTLE.failed("admin", "203.0.113.7")

Counts live in the worker's memory: with several workers each keeps its
own, so the effective threshold is per worker (documented in
docs/security.md).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from core.exceptions import AccessDenied


class LoginThrottle:
    def __init__(self, attempts: int = 5, window: float = 300.0,
                 address_attempts: int = 20):
        #: failures per login, and per address (higher: an office or a proxy
        #: shares one address, and its users should not lock each other out)
        self.attempts = attempts
        self.address_attempts = address_attempts
        self.window = window
        self._failures: defaultdict[tuple[str, str], deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, login: object, address: str | None) -> list[tuple[str, str]]:
        keys = [("login", str(login).lower())] if login else []
        if address:
            keys.append(("address", address))
        return keys

    def _recent(self, key: tuple[str, str], now: float) -> deque:
        failures = self._failures[key]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def check(self, login: object, address: str | None) -> None:
        now = time.monotonic()
        with self._lock:
            for key in self._keys(login, address):
                failures = self._recent(key, now)
                limit = self.attempts if key[0] == "login" else self.address_attempts
                if len(failures) >= limit:
                    wait = int(failures[0] + self.window - now) + 1
                    raise AccessDenied(f"Too many failed logins; try again in {wait} seconds.")

    def failed(self, login: object, address: str | None) -> None:
        now = time.monotonic()
        with self._lock:
            for key in self._keys(login, address):
                self._recent(key, now).append(now)

    def succeeded(self, login: object, address: str | None) -> None:
        with self._lock:
            for key in self._keys(login, None):
                self._failures.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()


LOGIN_THROTTLE = LoginThrottle()
