"""`pufa new`: a new content file from the type's own declaration, every key explained.

The template is generated from ``types.py`` (key, Chinese doc, required or not), so it can
never drift from the format. New files start as drafts: they pass `pufa check` and publish
nothing until the writer deletes the ``draft: true`` line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pypinyin import lazy_pinyin

from . import registry
from .codec import join, value_text
from .fields import specs
from .model import Content
from .validate import RESERVED_IDS


def make_id(name: str, taken: set[str], limit: int = 6) -> str:
    """An id from the pinyin of ``name`` (郭晓 → guo-xiao), a number added on collision."""
    syllables = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in lazy_pinyin(name)]
    base = "-".join(s for s in syllables if s)[:60].strip("-")
    base = "-".join(base.split("-")[:limit]) or "new"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def template_text(kind: str, name: str, content: Content) -> tuple[str, str]:
    """(file name, text) of a new ``kind`` file for ``name``."""
    record = registry.by_new_kind()[kind]
    folder, cls = record.folder, record.cls
    today = dt.date.today().isoformat()
    first_advisor = next((p.id for p in content.advisors.values() if p.role == "法律顾问"), "")
    if kind == "rules":
        village = next((v for v in content.villages.values() if name in (v.id, v.name)), None)
        if village is None:
            raise ValueError(f"找不到村（社区）“{name}”：请写 content/villages/ 里的名称或编号")
        ident = village.id
        if ident in content.rules:
            raise ValueError(f"{village.name}已经有村规民约：{content.rules[ident].source}")
    else:
        ident = make_id(name, set(content.folder(folder)) | _files(content.root / folder))
        if ident in RESERVED_IDS:
            raise ValueError(
                f"名称“{name}”生成的编号“{ident}”是保留字（网址里另有用处），"
                "请换一个名称，或在名称里多写几个字"
            )
    samples: dict[str, object] = {
        "name": name,
        "title": name,
        "date": today,
        "adopted": today,
        "category": "请填写类别",
        "summary": "请用两到三句话写出要点，会印在海报上。",
        "kind": "村",
        "township": "请填写镇（街道）",
        "advisors": [first_advisor] if first_advisor else [],
        "role": "法律顾问",
        "phone": "12348",
        "type": "公共法律服务站",
        "village": ident,
    }
    lines = ["# 写好后删掉下面这一行，才会发布到网站和印刷品上", "draft: true"]
    for key, s in specs(cls).items():
        if key in ("id", "draft", "renamed_from"):
            continue
        need = "必填" if s.required else "可选"
        yaml_key = key.rstrip("_")
        if s.required or key == record.name_key or key in record.template_keys:
            value = samples.get(key, [] if s.kind in ("ids", "texts") else "")
            lines.append(f"{yaml_key}: {value_text(value)}   # {need}：{s.doc}")
        else:
            lines.append(f"# {yaml_key}:   # {need}：{s.doc}")
    return f"{ident}.md", join("\n".join(lines), record.new_body)


def _files(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
