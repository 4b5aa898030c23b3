"""Users, roles and Argon2id password hashes in ``<state>/users.json``.

Hashing uses argon2-cffi with its recommended parameters; tests (and only tests) lower
the cost with the environment setting ``PUFA_ARGON2_COST=test``. The parameters are stored
in each hash, so a hash made with either setting verifies with both.
"""

from __future__ import annotations

import fcntl
import functools
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .statedir import ensure_state, read_json, write_private_json

EDITOR, REVIEWER, ADMIN = "编辑", "审核", "管理员"
ROLES = (EDITOR, REVIEWER, ADMIN)
ROLE_HELP = {
    EDITOR: "写稿、提交审核",
    REVIEWER: "写稿，审核别人的改动（通过或退回并写意见）",
    ADMIN: "以上全部，另管网站设置、账号和生成网站",
}
MIN_PASSWORD = 10
USERS_FILE = "users.json"
_NAME = re.compile(r"[^\s<>\"'&/\\:;,]{1,32}")


class AccountError(ValueError):
    """A request about accounts that cannot be done, said in Chinese."""


def hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults, or cheap parameters for the test suite."""
    if os.environ.get("PUFA_ARGON2_COST") == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


@dataclass
class User:
    name: str  # shown as the author of commits and approvals; also the login name
    role: str
    hash: str
    created: str
    changed: float  # when the password last changed (sessions from before are ended)

    def can(self, action: str) -> bool:
        """Whether this role may do ``action``: edit, review, admin."""
        if action == "edit":
            return True
        if action == "review":
            return self.role in (REVIEWER, ADMIN)
        return self.role == ADMIN


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise AccountError("账号名要 1 到 32 个字，不能有空格和 < > \" ' & / \\ : ; , 这些符号")
    return name


def check_password(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 位")
    if password.strip().lower() == name.lower() or len(set(password)) < 4:
        raise AccountError("密码太简单：不要用账号名，也不要用重复的字符")


class UserStore:
    """The accounts of one state folder (shared by `pufa users` and `pufa serve`)."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.path = state / USERS_FILE

    @contextmanager
    def _locked(self) -> Iterator[None]:
        ensure_state(self.state)
        with open(self.state / ".users.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def all(self) -> dict[str, User]:
        raw = read_json(self.path, {})
        return {n: User(**u) for n, u in raw.items()}

    def _save(self, users: dict[str, User]) -> None:
        write_private_json(self.path, {n: asdict(u) for n, u in users.items()})

    def exists(self) -> bool:
        """True once at least one account exists (then the 工作台 asks everyone to log in)."""
        return bool(self.all())

    def get(self, name: str) -> User | None:
        return self.all().get(name)

    def add(self, name: str, role: str, password: str) -> User:
        name = check_name(name)
        if role not in ROLES:
            raise AccountError(f"没有“{role}”这个角色（可选：{'、'.join(ROLES)}）")
        check_password(password, name)
        with self._locked():
            users = self.all()
            if name in users:
                raise AccountError(f"已经有账号“{name}”了")
            user = User(
                name, role, hasher().hash(password), time.strftime("%Y-%m-%d %H:%M"), time.time()
            )
            users[name] = user
            self._save(users)
        return user

    def remove(self, name: str) -> None:
        with self._locked():
            users = self.all()
            if name not in users:
                raise AccountError(f"没有账号“{name}”")
            others = [u for n, u in users.items() if n != name and u.role == ADMIN]
            if users[name].role == ADMIN and not others and len(users) > 1:
                raise AccountError("这是最后一个管理员账号，删除后就没有人能管理账号了")
            del users[name]
            self._save(users)

    def set_password(self, name: str, password: str) -> User:
        """Change a password; sessions begun before now stop working (see sessions.py)."""
        check_password(password, name)
        with self._locked():
            users = self.all()
            if name not in users:
                raise AccountError(f"没有账号“{name}”")
            user = users[name]
            user.hash = hasher().hash(password)
            user.changed = time.time()
            self._save(users)
        return user

    def verify(self, name: str, password: str) -> User | None:
        """The user if the password is right, else None (same work for a wrong name)."""
        user = self.get(name)
        target = user.hash if user else _dummy()
        try:
            hasher().verify(target, password)
        except (VerificationError, InvalidHashError):
            return None
        return user


@functools.cache
def _dummy() -> str:
    """A hash to verify against when the account does not exist, so timing does not tell."""
    return hasher().hash(secrets.token_hex(16))
