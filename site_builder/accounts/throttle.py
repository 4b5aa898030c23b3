"""A growing delay after failed logins, per account *and* address.

After the n-th failure in a row (n ≥ 2) from one address for one account, that pair waits
2^(n-2) seconds (at most 15 minutes) before the next try is even checked. The key includes
the address, so a stranger who tries the 管理员's name from elsewhere delays only
themselves, never the 管理员 at their own desk; a per-address count across all accounts
slows someone trying many names.
"""

from __future__ import annotations

import threading
import time

MAX_DELAY = 900.0


class Throttle:
    def __init__(self) -> None:
        self._fails: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def delay_for(failures: int) -> float:
        return 0.0 if failures <= 1 else min(MAX_DELAY, 2.0 ** (failures - 2))

    def wait_left(self, name: str, address: str) -> float:
        """Seconds before this account may be tried again from this address (0: now)."""
        now = time.monotonic()
        with self._lock:
            left = 0.0
            for key in ((name, address), ("*", address)):
                count, last = self._fails.get(key, (0, 0.0))
                scale = 1 if key[0] != "*" else 5  # many names from one address
                left = max(left, last + self.delay_for(count // scale) - now)
            return max(0.0, left)

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in ((name, address), ("*", address)):
                count, _ = self._fails.get(key, (0, 0.0))
                self._fails[key] = (count + 1, now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._fails.pop((name, address), None)
