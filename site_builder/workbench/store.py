"""Saving from the 工作台: the checks of `pufa check`, a waiting area, no lost work.

An edit is checked by loading a linked copy of the content folder with the edited file in
place (exactly what `pufa check` would say once it is saved). An edit that brings no new
problem is written atomically through the codec; one that does is kept in
``<state>/waiting/`` and the content file stays as it was. A save names the version of the
file it started from; a file changed since is never overwritten.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import Content, load
from ..content.codec import write
from ..content.newfile import make_id
from ..content.types import CONTENT_TYPES, Site
from ..content.validate import RESERVED_IDS
from ..errors import ContentError, Problem
from ..safefs import atomic_write
from .forms import PageType
from .index import version
from .paths import PAGES, SITE, inside, item_rel

STALE = "这个文件已被修改"


def type_of(folder: str) -> type:
    """The declared type of a folder's items (free pages: the keys every file may carry)."""
    if folder == SITE:
        return Site
    return PageType if folder == PAGES else CONTENT_TYPES[folder]


@dataclass
class Waiting:
    """An edit with problems, kept beside the content instead of in it."""

    text: str
    base: str  # version of the content file it started from ("" for a new item)
    saved_at: str
    problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SaveResult:
    """What a save did: ``saved``, ``waiting`` (problems) or ``stale`` (refused)."""

    status: str
    folder: str
    id: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    version: str = ""
    diff: str = ""


def _key(p: Problem) -> tuple[str, str, str]:
    return (p.path, p.key, p.message)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "path": p.path,
        "line": p.line,
        "key": p.key,
        "message": p.message,
        "warning": p.warning,
    }


class Store:
    """The content folder and the 工作台's state folder beside it."""

    def __init__(self, root: Path, state: Path) -> None:
        self.root = root
        self.state = state
        self.waiting_dir = state / "waiting"

    # --- reading -----------------------------------------------------------------------

    def path(self, folder: str, ident: str) -> Path:
        return inside(self.root, item_rel(folder, ident))

    def current(self, folder: str, ident: str) -> tuple[str | None, str]:
        """(text, version) of a content file; (None, "") if there is none."""
        path = self.path(folder, ident)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, ""
        return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n"), version(data)

    def _waiting_path(self, folder: str, ident: str) -> Path:
        return self.waiting_dir / item_rel(folder, ident)

    def waiting(self, folder: str, ident: str) -> Waiting | None:
        """The waiting edit of an item, if there is one."""
        path = self._waiting_path(folder, ident)
        meta = path.with_name(path.name + ".json")
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return Waiting(path.read_text(encoding="utf-8"), **info)
        except (OSError, ValueError, TypeError):
            return None

    def all_waiting(self) -> dict[str, list[str]]:
        """Ids with a waiting edit, by folder."""
        out: dict[str, list[str]] = {}
        if not self.waiting_dir.is_dir():
            return out
        for meta in self.waiting_dir.rglob("*.md.json"):
            rel = meta.relative_to(self.waiting_dir).as_posix()[: -len(".json")]
            folder = rel.split("/", 1)[0] if "/" in rel else PAGES
            out.setdefault(folder, []).append(Path(rel).stem)
        return out

    def drop_waiting(self, folder: str, ident: str) -> None:
        path = self._waiting_path(folder, ident)
        for p in (path, path.with_name(path.name + ".json")):
            p.unlink(missing_ok=True)

    def _keep_waiting(
        self, folder: str, ident: str, text: str, base: str, problems: list[Problem]
    ) -> None:
        path = self._waiting_path(folder, ident)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))
        info = {
            "base": base,
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "problems": [problem_dict(p) for p in problems],
        }
        atomic_write(
            path.with_name(path.name + ".json"), json.dumps(info, ensure_ascii=False).encode()
        )

    # --- checking ------------------------------------------------------------------------

    @contextmanager
    def overlay(self, changes: Mapping[str, str | None]) -> Iterator[Path]:
        """A linked copy of the content folder with ``changes`` (rel → text, or None to
        remove) applied; removed afterwards. The real folder is never touched."""
        self.state.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="overlay-", dir=self.state))
        copy = tmp / "content"
        try:
            shutil.copytree(self.root, copy, copy_function=_link_or_copy, symlinks=False)
            for rel, text in changes.items():
                target = copy / rel
                target.unlink(missing_ok=True)
                if text is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
            yield copy
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def problems_of(root: Path) -> tuple[Content | None, list[Problem]]:
        """What `pufa check` says about a folder: (content or None, problems incl. warnings)."""
        try:
            content = load(root)
        except ContentError as exc:
            return None, list(exc.problems)
        return content, list(content.warnings)

    def check(self, changes: Mapping[str, str | None]) -> tuple[list[Problem], list[Problem]]:
        """(errors, warnings) an edit brings: every error of the edited files, and errors
        elsewhere that the content folder does not have already."""
        _, before = self.problems_of(self.root)
        known = {_key(p) for p in before if not p.warning}
        with self.overlay(changes) as copy:
            _, after = self.problems_of(copy)
        errors = [p for p in after if not p.warning and (p.path in changes or _key(p) not in known)]
        warnings = [p for p in after if p.warning and p.path in changes]
        return errors, warnings

    # --- writing -------------------------------------------------------------------------

    def taken(self, folder: str) -> set[str]:
        """Ids in use in a folder: files, waiting edits and reserved words."""
        directory = self.root if folder == PAGES else self.root / folder
        ids = {p.stem for p in directory.glob("*.md")} if directory.is_dir() else set()
        return ids | set(self.all_waiting().get(folder, [])) | set(RESERVED_IDS) | {"new"}

    def new_id(self, folder: str, title: str) -> str:
        """An id from the title's pinyin, as `pufa new` makes it."""
        return make_id(title, self.taken(folder))

    def save(self, folder: str, ident: str, text: str, base: str) -> SaveResult:
        """Check and write one item's new text (see the module docstring)."""
        rel = item_rel(folder, ident)
        current, now = self.current(folder, ident)
        if base != now and text != current:
            diff = "".join(
                difflib.unified_diff(
                    (current or "").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    "现在的文件",
                    "您的修改",
                )
            )
            return SaveResult("stale", folder, ident, version=now, diff=diff)
        errors, warnings = self.check({rel: text})
        if errors:
            self._keep_waiting(folder, ident, text, now, errors)
            return SaveResult("waiting", folder, ident, errors, warnings, version=now)
        path = self.path(folder, ident)
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, text)
        self.drop_waiting(folder, ident)
        return SaveResult("saved", folder, ident, [], warnings, version=version(text.encode()))

    def move_to_trash(self, folder: str, ident: str) -> Path:
        """Take an item out of the content folder, keeping a copy in the state folder."""
        path = self.path(folder, ident)
        trash = self.state / "trash" / time.strftime("%Y%m%d-%H%M%S") / item_rel(folder, ident)
        trash.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, trash)
        path.unlink()
        self.drop_waiting(folder, ident)
        return trash
