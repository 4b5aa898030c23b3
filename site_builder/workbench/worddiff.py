"""Word-level differences between two versions of a file, for the history view.

Chinese has no spaces, so a "word" is one Han character, a run of letters or digits, a
run of spaces, or one other character. Fields of the front matter are compared one by
one; the body word by word. The result is a list of segments the template escapes.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from ..content.codec import CodecError, head_data, plain, split, yaml_data

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9_]+|\s+|.", re.S)


@dataclass
class Segment:
    kind: str  # "same", "del", "ins"
    text: str


@dataclass
class FieldChange:
    key: str
    segments: list[Segment]


def words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    a, b = words(old), words(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("ins", "".join(b[j1:j2])))
    return out


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _parts(text: str, whole_yaml: bool) -> tuple[dict[str, Any], str]:
    try:
        if whole_yaml:
            return dict(plain(yaml_data(text)) or {}), ""
        return dict(plain(head_data(text)) or {}), split(text).body
    except (CodecError, TypeError, ValueError):
        return {}, text


def file_diff(old: str | None, new: str | None, whole_yaml: bool = False) -> list[FieldChange]:
    """Changed fields (``正文`` for the body), each as word-level segments."""
    a, body_a = _parts(old or "", whole_yaml)
    b, body_b = _parts(new or "", whole_yaml)
    changes = []
    for key in list(dict.fromkeys([*a, *b])):
        va, vb = _show(a.get(key)), _show(b.get(key))
        if va != vb:
            changes.append(FieldChange(key, word_diff(va, vb)))
    if body_a != body_b:
        changes.append(FieldChange("正文", word_diff(body_a, body_b)))
    return changes
