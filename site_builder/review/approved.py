"""The approved tree: what the build publishes when ``site.yml`` requires review.

For every file under the content folder (items, photos, laws, ``site.yml`` itself) the
build takes the version that ``reviewers`` distinct reviewers approved: the file as it is
if that exact version (git blob id) is approved, else the last approved version (read
from the git history by its blob id), else nothing. An approved item that then refers to
something left out falls back to its own previous approved version (or is left out too),
and the build says so.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content import load
from ..errors import ContentError, PufaError
from .gitrepo import Repo, blob_id
from .records import Approvals, read_approvals
from .signing import REVIEW_DIR, trusted_key

KEEP_HIDDEN = (".published.json",)  # system files copied as they are (the URL ledger)
MAX_ROUNDS = 20


@dataclass
class Settings:
    required: bool = False
    reviewers: int = 1


def _settings_of(data: bytes | None) -> Settings:
    try:
        parsed: Any = yaml.safe_load(data or b"")
    except yaml.YAMLError:
        return Settings()
    review = parsed.get("review") if isinstance(parsed, dict) else None
    if not isinstance(review, dict):
        return Settings()
    n = review.get("reviewers", 1)
    n = n if isinstance(n, int) and n in (1, 2, 3) else 1
    return Settings(review.get("required") is True, n)


def reviewed_files(content: Path) -> list[str]:
    """Content-relative paths of every file under review (no dot-files or dot-folders)."""
    out = []
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_file():
            out.append(rel)
    return out


@dataclass
class ReviewView:
    """The review facts of a content folder, as the build and the 工作台 need them."""

    content: Path
    settings: Settings
    approvals: Approvals
    repo: Repo | None

    def needed(self) -> int:
        return self.settings.reviewers

    def is_approved(self, rel: str, data: bytes) -> bool:
        return self.approvals.approved(rel, blob_id(data), self.needed())

    def older_versions(self, rel: str, skip: str = "") -> list[tuple[str, bytes]]:
        """(blob, bytes) of the approved versions of ``rel`` that git still has, newest first."""
        out = []
        for _, blob in self.approvals.approved_blobs(rel, self.needed()):
            if blob == skip:
                continue
            data = self.repo.blob(blob) if self.repo else None
            if data is not None:
                out.append((blob, data))
        return out


def view(content: Path, state: Path | None) -> ReviewView:
    """Settings, verified approvals and the repository of a content folder.

    Review is required if the file ``site.yml`` says so *or* its last approved version
    does: switching review off is itself a change that needs approval.
    """
    key = trusted_key(content, state)
    approvals = read_approvals(content, key)
    repo = Repo.find(content)
    site = content / "site.yml"
    current = site.read_bytes() if site.is_file() else None
    settings = _settings_of(current)
    rv = ReviewView(content, settings, approvals, repo)
    for _, data in rv.older_versions("site.yml")[:1]:
        old = _settings_of(data)
        if old.required:
            settings.required = True
            settings.reviewers = max(settings.reviewers, old.reviewers)
    return rv


@dataclass
class ApprovedTree:
    root: Path
    notes: list[str] = field(default_factory=list)


def _label(rel: str) -> str:
    return f"content/{rel}"


def approved_tree(content: Path, work: Path, state: Path | None) -> ApprovedTree | None:
    """Materialise the approved tree into ``<work>/approved/content``; None when review is
    not required (the build then reads the content folder itself)."""
    rv = view(content, state)
    if not rv.settings.required:
        return None
    if rv.approvals.forged:
        raise PufaError(
            f"有 {len(rv.approvals.forged)} 份审核记录的签名不对"
            f"（如 {_label(rv.approvals.forged[0])}），"
            "可能被人改动过：没有生成。请从备份恢复 content/.review/，或请审核人重新审核。"
        )
    target = work / "approved" / "content"
    if target.parent.exists():
        shutil.rmtree(target.parent)
    target.mkdir(parents=True)
    for name in KEEP_HIDDEN:
        if (content / name).is_file():
            shutil.copy2(content / name, target / name)
    notes: list[str] = []
    # Candidate versions of every file, the one in use first.
    candidates: dict[str, list[bytes]] = {}
    pending, unpublished = 0, 0
    for rel in reviewed_files(content):
        data = (content / rel).read_bytes()
        blob = blob_id(data)
        versions = [data] if rv.approvals.approved(rel, blob, rv.needed()) else []
        versions += [d for _, d in rv.older_versions(rel, skip=blob)]
        if not versions:
            unpublished += 1
            continue
        if versions[0] is not data:
            pending += 1
        candidates[rel] = versions
    if pending:
        notes.append(
            f"审核：{pending} 个文件的改动还没有审核通过，网站上用的是它们上一次审核通过的版本"
        )
    if unpublished:
        notes.append(f"审核：{unpublished} 个文件还没有审核通过的版本，这次没有发布")
    used = {rel: 0 for rel in candidates}
    for rel in candidates:
        _put(target, rel, candidates[rel][0])
    for _ in range(MAX_ROUNDS):
        try:
            load(target)
            break
        except ContentError as exc:
            bad = sorted({p.path for p in exc.problems if not p.warning and p.path in used})
            if not bad:
                break  # the build's own load reports the problems
            for rel in bad:
                used[rel] += 1
                if used[rel] < len(candidates[rel]):
                    _put(target, rel, candidates[rel][used[rel]])
                    notes.append(
                        f"审核：{_label(rel)} 引用了还没有审核通过的内容，"
                        "网站上仍用它上一次审核通过的版本"
                    )
                else:
                    (target / rel).unlink(missing_ok=True)
                    del used[rel]
                    notes.append(
                        f"审核：{_label(rel)} 引用了还没有审核通过的内容，"
                        "又没有更早的审核通过版本，这次没有发布"
                    )
    return ApprovedTree(target, notes)


def _put(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


__all__ = ["REVIEW_DIR", "ApprovedTree", "approved_tree", "reviewed_files", "view"]
