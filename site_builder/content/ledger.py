"""The ledger of published URLs (content/.published.json) and the addresses it protects.

Every URL a build publishes is appended; a URL in the ledger keeps working forever: as a
redirect when its item was renamed (``renamed_from``), else as a Chinese "offline" page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Problem

LEDGER = ".published.json"
ENTITY_FOLDERS = ("cases", "villages", "advisors", "services")


def entity_url(folder: str, ident: str) -> str:
    """``cases/lease-deposit/``: the stable URL of one item (what QR codes encode)."""
    return f"{folder}/{ident}/"


def read_ledger(root: Path, problems: list[Problem] | None = None) -> list[str]:
    """URLs published so far (relative to site_url); a broken ledger is reported, not fatal."""
    path = root / LEDGER
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, list) and all(isinstance(u, str) for u in data):
            return data
    except (OSError, ValueError):
        pass
    if problems is not None:
        problems.append(
            Problem(
                LEDGER, 1, "文件", "已发布网址清单格式不对，请从版本库恢复这个文件", warning=True
            )
        )
    return []


def write_ledger(root: Path, urls: list[str]) -> None:
    """Append ``urls`` to the ledger (sorted, one per line, so diffs stay readable)."""
    merged = sorted(set(read_ledger(root)) | set(urls))
    text = "[\n" + ",\n".join(json.dumps(u, ensure_ascii=False) for u in merged) + "\n]\n"
    path = root / LEDGER
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def renames(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Old entity URL → current entity URL, from every item's ``renamed_from``."""
    out: dict[str, str] = {}
    for folder in ENTITY_FOLDERS:
        for item in items.get(folder, {}).values():
            for old in item.renamed_from:
                out[entity_url(folder, old)] = entity_url(folder, item.id)
    return out


def orphans(ledger: list[str], items: dict[str, dict[str, Any]]) -> list[Problem]:
    """Warnings for published entity URLs that no item (nor a rename) answers any more."""
    current = {entity_url(f, i) for f in ENTITY_FOLDERS for i in items.get(f, {})}
    moved = renames(items)
    out = []
    for url in ledger:
        folder = url.split("/", 1)[0]
        if (
            folder in ENTITY_FOLDERS
            and url.count("/") == 2
            and url not in current
            and url not in moved
        ):
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
