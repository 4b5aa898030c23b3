"""History on a fresh machine: a build with no previous site/ (a CI clone) reads the target's
record, so earlier editions printed on artifacts and every URL ever published are kept."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ..content import Content
from ..content.ledger import write_ledger
from ..errors import PufaError
from .record import LEDGER_COPY, MANIFEST_COPY, RECORD_DIR


def restore_history(
    content: Content, content_dir: Path, out: Path, environ: dict[str, str] | None = None
) -> list[str]:
    """When ``out`` has no print manifest and site.yml names a target, bring back the
    target's ledger (merged into ``content_dir/.published.json`` and ``content.ledger``) and
    its print manifest (as ``out/print/manifest.json``, where the build reads editions).
    Returns Chinese notes; never fails the build (no target, no credentials: a note)."""
    to = content.site.publish.to
    if not to or (out / "print" / "manifest.json").is_file():
        return []
    from .rclone import Rclone
    from .run import connect

    try:
        rclone = Rclone(connect(to, content_dir, environ))
        with tempfile.TemporaryDirectory(prefix="pufa-history-") as tmp:
            got = Path(tmp)
            if not rclone.read_folder(RECORD_DIR, got):
                return []
            return _merge(content, content_dir, out, got)
    except (PufaError, OSError) as exc:
        return [f"没有读到发布目标上的历史记录（{exc}）：印刷品版次从今天算起"]


def _merge(content: Content, content_dir: Path, out: Path, got: Path) -> list[str]:
    notes = []
    ledger = _list(got / LEDGER_COPY)
    added = sorted(set(ledger) - set(content.ledger))
    if added:
        write_ledger(content_dir, ledger)
        content.ledger = sorted(set(content.ledger) | set(ledger))
        notes.append(
            f"从发布目标的记录里补回了 {len(added)} 个已发布网址（content/.published.json），"
            "请提交这个文件"
        )
    manifest = _list(got / MANIFEST_COPY)
    if manifest:
        (out / "print").mkdir(parents=True, exist_ok=True)
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        (out / "print" / "manifest.json").write_text(text, encoding="utf-8")
        notes.append(f"从发布目标的记录里读回了 {len(manifest)} 件印刷品的版次")
    return notes


def _list(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []
