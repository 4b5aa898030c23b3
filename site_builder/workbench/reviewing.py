"""The review workflow in the 工作台: states, the queue, submit / approve / return.

State of a file (its current version, by git blob id): 已通过 (enough distinct reviewers
approved exactly this version), else from its thread: 待审核 (submitted), 已退回 (returned
with a comment), 审核中 (some, not all approvals), 未提交 (changed, not submitted yet).
Nobody approves a version they wrote: the authors of every commit since the file's last
approved version are refused as its reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..review import records
from ..review.approved import ReviewView, reviewed_files, view
from ..review.gitrepo import CLI_AUTHOR, blob_id
from .history import History
from .index import scan
from .paths import SITE

APPROVED, PENDING, RETURNED, PARTLY, UNSUBMITTED = "已通过", "待审核", "已退回", "审核中", "未提交"


@dataclass
class FileReview:
    rel: str
    label: str
    folder: str
    ident: str
    blob: str
    needed: int
    approvers: list[str] = field(default_factory=list)
    state: str = UNSUBMITTED
    events: list[dict[str, Any]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    has_approved: bool = False  # some earlier version is approved (the site shows that one)

    @property
    def edit_url(self) -> str:
        if self.folder == SITE:
            return "/__pufa/site"
        return f"/__pufa/edit/{self.folder}/{self.ident}" if self.ident else ""

    @property
    def history_url(self) -> str:
        if self.folder == SITE:
            return "/__pufa/history/site/site"
        return f"/__pufa/history/{self.folder}/{self.ident}" if self.ident else ""


def labels(root: Path) -> dict[str, tuple[str, str, str]]:
    """rel → (folder, id, label) of every item the 工作台 knows."""
    out = {"site.yml": (SITE, SITE, "网站设置")}
    for folder, items in scan(root).items():
        for item in items:
            out[item.rel] = (folder, item.id, item.label)
    return out


def _authors_since_approved(hist: History, rv: ReviewView, rel: str) -> list[str]:
    approved = {b for _, b in rv.approvals.approved_blobs(rel, rv.needed())}
    authors: list[str] = []
    for commit, blob in hist.repo.versions(rel):
        if blob in approved:
            break
        if commit.author not in authors:
            authors.append(commit.author)
    return authors


def file_review(
    root: Path,
    state: Path,
    hist: History,
    rel: str,
    rv: ReviewView | None = None,
    known: dict[str, tuple[str, str, str]] | None = None,
) -> FileReview:
    rv = rv or view(root, state)
    folder, ident, label = (known or labels(root)).get(rel, ("", "", rel))
    path = root / rel
    data = path.read_bytes() if path.is_file() else b""
    blob = blob_id(data)
    fr = FileReview(rel, label, folder, ident, blob, rv.needed())
    fr.approvers = sorted(rv.approvals.reviewers(rel, blob))
    fr.events = records.read_thread(root, rel)
    fr.has_approved = bool(rv.approvals.approved_blobs(rel, rv.needed()))
    if rv.approvals.approved(rel, blob, rv.needed()):
        fr.state = APPROVED
        return fr
    fr.authors = _authors_since_approved(hist, rv, rel)
    mine = [e for e in fr.events if e.get("blob") == blob]
    last = mine[-1]["action"] if mine else ""
    if fr.approvers:
        fr.state = f"{PARTLY}（{len(fr.approvers)}/{fr.needed}）"
    elif last == records.SUBMIT:
        fr.state = PENDING
    elif last == records.RETURN:
        fr.state = RETURNED
    return fr


def queue(root: Path, state: Path, hist: History) -> tuple[list[FileReview], int, ReviewView]:
    """Every file whose current version is not approved; and how many are."""
    hist.sweep()
    rv = view(root, state)
    known = labels(root)
    out, approved = [], 0
    for rel in reviewed_files(root):
        fr = file_review(root, state, hist, rel, rv, known)
        if fr.state == APPROVED:
            approved += 1
        else:
            out.append(fr)
    order = {PENDING: 0, RETURNED: 2, UNSUBMITTED: 3}
    out.sort(key=lambda f: (order.get(f.state, 1), f.rel))
    return out, approved, rv


def own_change(fr: FileReview, name: str) -> bool:
    """Whether ``name`` wrote (part of) the version under review."""
    return name in fr.authors


__all__ = ["APPROVED", "CLI_AUTHOR", "FileReview", "file_review", "own_change", "queue"]
