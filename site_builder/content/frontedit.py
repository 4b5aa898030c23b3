"""Edit one key of a file's front matter in place: comments, other keys and the body stay
exactly as the writer left them (what `pufa import` needs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def yaml_value(value: object) -> str:
    """A one-line YAML value (JSON is YAML): strings quoted, lists in flow style."""
    return json.dumps(value, ensure_ascii=False)


def set_key(text: str, key: str, value: object) -> str:
    """``text`` with ``key`` set to ``value`` in its front matter (added if absent)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("文件没有头部信息")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("头部信息没有结束的 ---")
    new = f"{key}: {yaml_value(value)}"
    for i in range(1, end):
        m = _TOP_KEY.match(lines[i])
        if m and m.group(1) == key:
            j = i + 1  # a block value continues on indented or "- " lines
            while j < end and (lines[j].startswith((" ", "\t", "-")) or not lines[j].strip()):
                j += 1
            comment = re.search(r"\s+#.*$", lines[i]) if "[" not in lines[i] else None
            return "\n".join(lines[:i] + [new + (comment.group(0) if comment else "")] + lines[j:])
    return "\n".join(lines[:end] + [new] + lines[end:])


def update_file(path: Path, changes: dict[str, object]) -> None:
    text = path.read_text(encoding="utf-8-sig")
    for key, value in changes.items():
        text = set_key(text, key, value)
    path.write_text(text, encoding="utf-8")
