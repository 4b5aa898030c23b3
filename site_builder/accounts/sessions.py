"""Login sessions in ``<state>/sessions.json``: random tokens, stored only as hashes.

A session carries its own CSRF token. It ends at logout, after 12 hours without use, after
7 days in any case, when its account is removed, and when the account's password changes
(every session begun before the change, except the one that changed it).
"""

from __future__ import annotations

import fcntl
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .statedir import ensure_state, read_json, write_private_json
from .users import User, UserStore

IDLE = 12 * 3600
MAX_AGE = 7 * 24 * 3600
SESSIONS_FILE = "sessions.json"
TOUCH_EVERY = 60.0  # seconds between writes of a session's last use


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Session:
    user: str
    csrf: str
    created: float
    seen: float
    address: str = ""


class SessionStore:
    """Sessions of one state folder, checked against the accounts on every request."""

    def __init__(self, state: Path, users: UserStore) -> None:
        self.state = state
        self.path = state / SESSIONS_FILE
        self.users = users
        self._mutex = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Session]]:
        ensure_state(self.state)
        with self._mutex, open(self.state / ".sessions.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            sessions = {k: Session(**v) for k, v in read_json(self.path, {}).items()}
            before = dict(sessions)
            yield sessions
            if sessions != before:
                write_private_json(self.path, {k: asdict(v) for k, v in sessions.items()})

    def create(self, user: User, address: str = "") -> tuple[str, Session]:
        """A new session for ``user``: (cookie token, session)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        session = Session(user.name, secrets.token_urlsafe(32), now, now, address)
        with self._locked() as sessions:
            for key in [k for k, s in sessions.items() if not self._alive(s, now)]:
                del sessions[key]
            sessions[_digest(token)] = session
        return token, session

    def _alive(self, s: Session, now: float) -> bool:
        return now - s.seen < IDLE and now - s.created < MAX_AGE

    def get(self, token: str | None) -> tuple[Session, User] | None:
        """The live session of a cookie token and its account, or None."""
        if not token:
            return None
        key = _digest(token)
        now = time.time()
        with self._locked() as sessions:
            s = sessions.get(key)
            if s is None:
                return None
            user = self.users.get(s.user)
            if user is None or not self._alive(s, now) or s.created < user.changed:
                del sessions[key]
                return None
            if now - s.seen > TOUCH_EVERY:
                s.seen = now
                sessions[key] = Session(**asdict(s))
            return s, user

    def end(self, token: str | None) -> None:
        if not token:
            return
        with self._locked() as sessions:
            sessions.pop(_digest(token), None)

    def end_user(self, name: str, keep: str | None = None) -> None:
        """End every session of ``name`` except the one of token ``keep``."""
        kept = _digest(keep) if keep else ""
        with self._locked() as sessions:
            for key in [k for k, s in sessions.items() if s.user == name and k != kept]:
                del sessions[key]

    def renew(self, token: str) -> None:
        """Mark a session as begun now (after its own password change, it stays valid)."""
        with self._locked() as sessions:
            s = sessions.get(_digest(token))
            if s is not None:
                sessions[_digest(token)] = Session(**{**asdict(s), "created": time.time()})
