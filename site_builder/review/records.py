"""Approvals and review threads, kept in ``content/.review/`` (so a fresh clone has them).

* ``approvals/<id>.json`` — one signed approval: the file's content-relative ``path``, its
  git ``blob`` id, the ``reviewer``, the ``time``, the ``authors`` of the change, and the
  Ed25519 ``signature`` of the 工作台 (see signing.py). ``baseline: true`` marks the
  管理员's one-off approval of everything that existed when review was switched on.
* ``threads/<id>.json`` — what happened to a file in review: submitted, returned with a
  comment, approved; plain, unsigned workflow notes (the signatures decide publishing).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..safefs import atomic_write
from .signing import REVIEW_DIR, sign, verify

APPROVALS = f"{REVIEW_DIR}/approvals"
THREADS = f"{REVIEW_DIR}/threads"
SUBMIT, RETURN, APPROVE = "提交审核", "退回", "通过"


def safe_rel(rel: str) -> bool:
    """A content-relative path that an approval may name: no dot-parts, not absolute."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and all(p and not p.startswith(".") for p in parts)


def _id(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def now_text() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write(path, text.encode("utf-8"))


# --- approvals ------------------------------------------------------------------------------


def approval_rel(path: str, blob: str, reviewer: str) -> str:
    return f"{APPROVALS}/{_id(path, blob, reviewer)}.json"


def add_approval(
    content: Path,
    state: Path,
    path: str,
    blob: str,
    reviewer: str,
    authors: list[str],
    baseline: bool = False,
) -> str:
    """Write one signed approval; return its content-relative path."""
    record = {
        "path": path,
        "blob": blob,
        "reviewer": reviewer,
        "authors": sorted(set(authors)),
        "time": now_text(),
        "baseline": baseline,
    }
    rel = approval_rel(path, blob, reviewer)
    _write(content / rel, sign(state, record))
    return rel


def add_baseline(content: Path, state: Path, files: dict[str, str], reviewer: str) -> str:
    """One signed record approving every file as it is now (when review is switched on)."""
    when = now_text()
    record = {"baseline": True, "files": files, "reviewer": reviewer, "time": when}
    rel = f"{APPROVALS}/baseline-{_id(reviewer, when, str(len(files)))}.json"
    _write(content / rel, sign(state, record))
    return rel


@dataclass
class Approvals:
    """The verified approvals of a content folder: (path, blob) → reviewers."""

    by_version: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    forged: list[str] = field(default_factory=list)  # files whose signature does not verify

    def reviewers(self, path: str, blob: str) -> dict[str, dict[str, Any]]:
        return self.by_version.get((path, blob), {})

    def approved(self, path: str, blob: str, needed: int) -> bool:
        got = self.reviewers(path, blob)
        return any(r.get("baseline") for r in got.values()) or len(got) >= needed

    def approved_blobs(self, path: str, needed: int) -> list[tuple[str, str]]:
        """(time the version became approved, blob) of a path, newest first."""
        out = []
        for (p, blob), got in self.by_version.items():
            if p != path or not self.approved(p, blob, needed):
                continue
            times = sorted(str(r.get("time", "")) for r in got.values())
            base = [str(r.get("time", "")) for r in got.values() if r.get("baseline")]
            out.append((min(base) if base else times[needed - 1], blob))
        return sorted(out, reverse=True)


def read_approvals(content: Path, key: Ed25519PublicKey | None) -> Approvals:
    """Every approval whose signature verifies with ``key`` (others are listed as forged)."""
    result = Approvals()
    folder = content / APPROVALS
    if not folder.is_dir():
        return result
    for file in sorted(folder.glob("*.json")):
        rel = f"{APPROVALS}/{file.name}"
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result.forged.append(rel)
            continue
        if not isinstance(record, dict) or key is None or not verify(key, record):
            result.forged.append(rel)
            continue
        files = record.get("files")
        if record.get("baseline") is True and isinstance(files, dict):  # one record, many files
            for path, blob in files.items():
                if isinstance(path, str) and safe_rel(path) and isinstance(blob, str):
                    entry = {**record, "files": None, "path": path, "blob": blob}
                    result.by_version.setdefault((path, blob), {})[str(record.get("reviewer"))] = (
                        entry
                    )
            continue
        path, blob, reviewer = record.get("path"), record.get("blob"), record.get("reviewer")
        if not (isinstance(path, str) and safe_rel(path) and isinstance(blob, str)):
            result.forged.append(rel)
            continue
        result.by_version.setdefault((path, blob), {})[str(reviewer)] = record
    return result


# --- threads ----------------------------------------------------------------------------------


def thread_rel(path: str) -> str:
    return f"{THREADS}/{_id(path)}.json"


def read_thread(content: Path, path: str) -> list[dict[str, Any]]:
    try:
        data = json.loads((content / thread_rel(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    events = data.get("events") if isinstance(data, dict) else None
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def add_event(content: Path, path: str, action: str, by: str, blob: str, comment: str = "") -> str:
    """Append one event to a file's thread; return the thread's content-relative path."""
    events = read_thread(content, path)
    events.append(
        {"action": action, "by": by, "blob": blob, "time": now_text(), "comment": comment}
    )
    rel = thread_rel(path)
    _write(content / rel, {"path": path, "events": events})
    return rel


def all_threads(content: Path) -> dict[str, list[dict[str, Any]]]:
    """Every thread, by the path it is about."""
    out: dict[str, list[dict[str, Any]]] = {}
    folder = content / THREADS
    if not folder.is_dir():
        return out
    for file in folder.glob("*.json"):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("path"), str):
            out[data["path"]] = read_thread(content, data["path"])
    return out
