"""Failed logins slow down further attempts, per account and per client address (exponential backoff).

After `FREE_FAILURES_PER_ACCOUNT` failures for one user name, the next attempt must wait 1 s, then 2, 4, ... up to
15 minutes; a client address gets `FREE_FAILURES_PER_ADDRESS` (several people may share one address behind a proxy)
before the same backoff. An attempt made too early is refused unchecked (429 with Retry-After) and does not count.
A success clears the account's failures, not the address's. Failures are forgotten an hour after the last one.

Where the counts live: per account in the accounts file (so every server process and a restart see them) and, for
names that are not accounts and for addresses, in memory per process (bounded; a restart forgets them). A client
spreading attempts over several worker processes gets at most the free attempts once per process before the
per-account count, which they share, stops it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from .accounts import AccountStore, LoginFailures

FREE_FAILURES_PER_ACCOUNT = 5
FREE_FAILURES_PER_ADDRESS = 20
BASE_DELAY_S = 1.0
MAX_DELAY_S = 15 * 60.0
FORGET_AFTER_S = 3600.0
MAX_KEYS_IN_MEMORY = 10_000


def delay_after(failures: int, free: int, base_s: float = BASE_DELAY_S) -> float:
    """How long to wait after the last of `failures` failed attempts, when the first `free` cost nothing."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY_S, base_s * 2.0 ** min(failures - free, 30))


def wait_left(failures: LoginFailures, free: int, now: float, base_s: float = BASE_DELAY_S) -> float:
    if failures.count == 0 or now - failures.last_at > FORGET_AFTER_S:
        return 0.0
    return max(0.0, failures.last_at + delay_after(failures.count, free, base_s) - now)


@dataclass
class _Counter:
    count: int
    last_at: float


class LoginThrottle:
    """The login throttle of one server process over one accounts file."""

    def __init__(self, accounts: AccountStore, max_keys: int = MAX_KEYS_IN_MEMORY, base_delay_s: float = BASE_DELAY_S):
        self.accounts = accounts
        self.max_keys = max_keys
        self.base_delay_s = base_delay_s  # the first wait; each further failure doubles it
        self._lock = threading.Lock()
        self._counters: OrderedDict[tuple[str, str], _Counter] = OrderedDict()

    def _in_memory(self, key: tuple[str, str]) -> LoginFailures:
        with self._lock:
            counter = self._counters.get(key)
            return LoginFailures(counter.count, counter.last_at) if counter else LoginFailures(0, 0.0)

    def _count(self, key: tuple[str, str], now: float) -> None:
        with self._lock:
            counter = self._counters.pop(key, None)
            if counter is None or now - counter.last_at > FORGET_AFTER_S:
                counter = _Counter(0, now)
            counter.count += 1
            counter.last_at = now
            self._counters[key] = counter
            while len(self._counters) > self.max_keys:
                self._counters.popitem(last=False)

    def wait_s(self, name: str, address: str, now: float) -> float:
        """Seconds before a login attempt for `name` from `address` may be checked; 0 when it may be now."""
        base = self.base_delay_s
        return max(
            wait_left(self.accounts.login_failures(name), FREE_FAILURES_PER_ACCOUNT, now, base),
            wait_left(self._in_memory(("name", name)), FREE_FAILURES_PER_ACCOUNT, now, base),
            wait_left(self._in_memory(("address", address)), FREE_FAILURES_PER_ADDRESS, now, base),
        )

    def failed(self, name: str, address: str, now: float) -> None:
        self.accounts.record_login_failure(name, now, FORGET_AFTER_S)  # no row (unknown name): nothing is written
        self._count(("name", name), now)
        self._count(("address", address), now)

    def succeeded(self, name: str) -> None:
        self.accounts.clear_login_failures(name)
        with self._lock:
            self._counters.pop(("name", name), None)
