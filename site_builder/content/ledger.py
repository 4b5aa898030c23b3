"""The ledger of published URLs (content/.published.json) and the addresses it protects.

Every URL a build publishes is appended; a URL in the ledger keeps working forever: as a
redirect when its item was renamed (``renamed_from``), else as a Chinese "offline" page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import LedgerError, Problem
from ..safefs import atomic_write, os_reason
from . import registry
from .urls import entity_url

LEDGER = ".published.json"


_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)", re.M)


def read_ledger(root: Path, problems: list[Problem] | None = None) -> list[str]:
    """URLs published so far (relative to site_url).

    A ledger that does not parse is an error, never an empty list: the URLs it holds are
    printed on posters, and a build that forgot them would stop answering those codes.
    Without ``problems`` a broken ledger raises :class:`LedgerError`.
    """
    path = root / LEDGER
    if not path.is_file():
        return []
    problem = _ledger_problem(path)
    if problem is None:
        return list(json.loads(path.read_text(encoding="utf-8")))
    if problems is None:
        raise LedgerError([problem])
    problems.append(problem)
    return []


def _ledger_problem(path: Path) -> Problem | None:
    """Why the ledger at ``path`` cannot be used, or None when it is a list of URLs."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Problem(LEDGER, 1, "文件", f"已发布网址清单不是 UTF-8 文本。{_RESTORE}")
    except OSError as exc:
        return Problem(LEDGER, 1, "文件", f"无法读取已发布网址清单：{os_reason(exc)}")
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return Problem(
            LEDGER,
            line,
            "文件",
            "已发布网址清单里有 git 合并冲突的标记（<<<<<<< ======= >>>>>>>）："
            "两边的网址都要保留——删掉这三种标记行，保留两边的全部网址（每行一个，"
            "用逗号分隔），再运行 pufa check；不要删掉任何一个网址，它们印在海报上",
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        return Problem(LEDGER, line, "文件", f"已发布网址清单格式不对（不是 JSON）。{_RESTORE}")
    if not isinstance(data, list) or not all(isinstance(u, str) for u in data):
        return Problem(LEDGER, 1, "文件", f"已发布网址清单应为网址的列表。{_RESTORE}")
    return None


_RESTORE = (
    "这个文件记录所有印出去的网址，构建已停止，没有改动它；"
    "请从版本库恢复（git checkout -- content/.published.json）或改正后再试"
)


def write_ledger(root: Path, urls: list[str]) -> None:
    """Append ``urls`` to the ledger (sorted, one per line, so diffs stay readable).

    Atomic and durable: a temporary file is written and fsynced, then renamed over the
    ledger, and the folder is fsynced so the rename survives a power cut.
    """
    merged = sorted(set(read_ledger(root)) | set(urls))
    text = "[\n" + ",\n".join(json.dumps(u, ensure_ascii=False) for u in merged) + "\n]\n"
    atomic_write(root / LEDGER, text.encode("utf-8"))


def renames(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Old entity URL → current entity URL, from every item's ``renamed_from``."""
    out: dict[str, str] = {}
    for folder in registry.entity_folders():
        for item in items.get(folder, {}).values():
            for old in item.renamed_from:
                out[entity_url(folder, old)] = entity_url(folder, item.id)
    return out


def orphans(ledger: list[str], items: dict[str, dict[str, Any]]) -> list[Problem]:
    """Warnings for published entity URLs that no item (nor a rename) answers any more."""
    folders = registry.entity_folders()
    current = {entity_url(f, i) for f in folders for i in items.get(f, {})}
    moved = renames(items)
    out = []
    for url in ledger:
        folder = url.split("/", 1)[0]
        if folder in folders and url.count("/") == 2 and url not in current and url not in moved:
            old_id = url.split("/")[1]
            out.append(
                Problem(
                    LEDGER,
                    1,
                    url,
                    f"以前发布过的网址 /{url} 已没有对应的内容："
                    "印出去的二维码会打开“此内容已下线”页面。"
                    f"如果是改了文件名，请在新文件头部写 renamed_from: [{old_id}]",
                    warning=True,
                )
            )
    return out
