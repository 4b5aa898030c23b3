"""The 工作台's Ed25519 key: it signs approvals; every build verifies them.

The private key lives in the state folder (``<state>/review-key.pem``, 0600, never in the
content folder); the public key is committed as ``content/.review/key.pub`` so a fresh
clone can verify. Where the state folder is at hand, its key is the one trusted, and a
committed public key that differs from it is refused (someone replaced it).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..accounts.statedir import ensure_state
from ..errors import PufaError

REVIEW_DIR = ".review"
PUBLIC_FILE = f"{REVIEW_DIR}/key.pub"
PRIVATE_FILE = "review-key.pem"


class KeyError_(PufaError):
    """The review key is missing or does not match."""


def canonical(record: dict[str, Any]) -> bytes:
    """The signed bytes of a record: its fields but ``signature``, as sorted compact JSON."""
    data = {k: v for k, v in record.items() if k != "signature"}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519 " + base64.b64encode(raw).decode() + "\n"


def _parse_public(text: str) -> Ed25519PublicKey | None:
    parts = text.split()
    if len(parts) != 2 or parts[0] != "ed25519":
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(parts[1], validate=True))
    except ValueError:
        return None


def private_key(state: Path, create: bool = True) -> Ed25519PrivateKey | None:
    """The 工作台's signing key from the state folder (made on first use)."""
    path = state / PRIVATE_FILE
    if path.is_file():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise KeyError_(f"{path} 不是 Ed25519 私钥")
        return loaded
    if not create:
        return None
    ensure_state(state)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def publish_public_key(state: Path, content: Path) -> Path:
    """Write ``content/.review/key.pub`` for the state folder's key; return its path."""
    key = private_key(state)
    assert key is not None
    path = content / PUBLIC_FILE
    text = _public_text(key.public_key())
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def trusted_key(content: Path, state: Path | None) -> Ed25519PublicKey | None:
    """The key approvals must be signed with: the state folder's when there is one
    (and the committed public key must be the same), else the committed one."""
    committed = None
    path = content / PUBLIC_FILE
    if path.is_file():
        committed = _parse_public(path.read_text(encoding="utf-8", errors="replace"))
        if committed is None:
            raise KeyError_(f"{path} 不是有效的审核公钥")
    own = private_key(state, create=False) if state is not None else None
    if own is None:
        return committed
    mine = own.public_key()
    if committed is not None and _public_text(committed) != _public_text(mine):
        raise KeyError_(
            f"{path} 和本机工作台的审核密钥不一致：有人替换了公钥，审核记录不能相信。"
            "请从备份恢复 content/.review/key.pub"
        )
    return mine


def sign(state: Path, record: dict[str, Any]) -> dict[str, Any]:
    """The record with its ``signature`` (base64 Ed25519 over :func:`canonical`)."""
    key = private_key(state)
    assert key is not None
    signature = base64.b64encode(key.sign(canonical(record))).decode()
    return {**record, "signature": signature}


def verify(key: Ed25519PublicKey, record: dict[str, Any]) -> bool:
    try:
        signature = base64.b64decode(str(record.get("signature", "")), validate=True)
        key.verify(signature, canonical(record))
    except (InvalidSignature, ValueError):
        return False
    return True
