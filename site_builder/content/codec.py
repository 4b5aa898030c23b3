"""The one front-matter codec: split, parse, edit and write a content file.

Reading and writing agree by construction: one fence definition, the split of
``yamlsource`` (which also gives line numbers for messages), and a ruamel.yaml round trip
for edits, so that key order, comments, quoting and flow or block style of the keys that
did not change are kept byte for byte.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem
from ..safefs import atomic_write
from .yamlsource import Source, load_source, parse_yaml, split_front_matter

FENCE = "---"

DELETE = object()
"""A value for :func:`set_keys`: remove the key."""


class CodecError(ValueError):
    """A file whose front matter cannot be edited (not closed, or not YAML); Chinese."""


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never fold a long Chinese summary onto a second line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


@dataclass
class Parts:
    """A content file cut in two: the YAML between the fences and the Markdown body."""

    head: str | None
    body: str
    head_line: int = 2
    body_line: int = 1


def split(text: str) -> Parts:
    """Cut ``text`` at its fences (raises :class:`CodecError` if the head is not closed)."""
    try:
        head, head_line, body, body_line = split_front_matter(text.replace("\r\n", "\n"))
    except ValueError:
        raise CodecError("头部信息以“---”开始，但没有结束的“---”") from None
    return Parts(head, body, head_line, body_line)


def join(head: str | None, body: str) -> str:
    """The file text of a head (YAML, or None for a plain page) and a body."""
    if head is None:
        return body
    head = head.rstrip("\n")
    return f"{FENCE}\n{head}\n{FENCE}\n{body}" if head else f"{FENCE}\n{FENCE}\n{body}"


def parse(text: str, rel: str) -> tuple[Source | None, list[Problem]]:
    """Parse ``text`` as the loader does: values, raw scalars, lines and body, with the
    same Chinese problems (used to check an edit that is not on disk yet)."""
    problems: list[Problem] = []
    src = Source(rel)
    try:
        parts = split(text)
    except CodecError as exc:
        return None, [Problem(rel, 1, "头部", str(exc))]
    src.head_line, src.body, src.body_line = parts.head_line, parts.body, parts.body_line
    if parts.head is None:
        return src, problems
    ok = parse_yaml(parts.head, rel, parts.head_line, problems, src)
    return (src if ok else None), problems


def read(path: Path, rel: str) -> tuple[Source | None, list[Problem]]:
    """Parse a file on disk through the loader's own reader (encodings, size limit)."""
    problems: list[Problem] = []
    return load_source(path, rel, problems), problems


def head_data(text: str) -> CommentedMap:
    """The front matter of ``text`` as a round-trip map (empty if there is none)."""
    parts = split(text)
    return _load(parts.head or "")


def yaml_data(text: str) -> CommentedMap:
    """A whole YAML document (``site.yml``) as a round-trip map."""
    return _load(text)


def _load(head: str) -> CommentedMap:
    try:
        data = _yaml().load(head) if head.strip() else None
    except Exception as exc:  # ruamel raises many kinds; all mean "not YAML"
        raise CodecError(f"头部信息不是合规的 YAML：{exc}") from None
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise CodecError("头部信息应为一组“键: 值”")
    return data


def _dump(data: CommentedMap) -> str:
    if not data:
        return ""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def plain(value: Any) -> Any:
    """A round-trip value as plain Python (lists, dicts, str, dates …)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _merge(old: Any, new: Any) -> Any:
    """``new`` in the place of ``old``, keeping old's style (flow lists, comments)."""
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        if plain(old) == new:
            return old
        seq = CommentedSeq(new)
        if old.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            if key in old:
                old[key] = _merge(old[key], value)
            else:
                old[key] = value
        return old
    if isinstance(new, list) and all(isinstance(v, str | int | float) for v in new):
        seq = CommentedSeq(new)
        if sum(len(str(v)) for v in new) < 60 and all(isinstance(v, str) for v in new):
            seq.fa.set_flow_style()  # short id lists read best as [a, b]
        return seq
    return new


def set_keys(text: str, changes: Mapping[str, Any]) -> str:
    """``text`` with top-level keys set (or removed with :data:`DELETE`); other keys,
    their order and comments, and the body are kept. A new key goes at the end."""
    parts = split(text)
    head = edit_yaml(parts.head or "", changes)
    if head == (parts.head or ""):
        return text
    return join(head, parts.body)


def edit_yaml(text: str, changes: Mapping[str, Any]) -> str:
    """A whole YAML document (``site.yml``) with top-level keys set or removed, keeping
    order and comments; nested maps are merged key by key."""
    data = _load(text)
    changed = False
    for key, value in changes.items():
        if value is DELETE:
            if key in data:
                del data[key]
                changed = True
            continue
        if key in data and plain(data[key]) == value:
            continue
        data[key] = _merge(data.get(key), value)
        changed = True
    return _dump(data) if changed else text


def set_body(text: str, body: str) -> str:
    """``text`` with its Markdown body replaced; the head stays byte for byte."""
    parts = split(text)
    if parts.head is None:
        return body
    return join(parts.head, body)


def new_text(values: Mapping[str, Any], body: str) -> str:
    """The text of a new content file holding ``values`` (in this order) and ``body``."""
    data = CommentedMap()
    for key, value in values.items():
        data[key] = _merge(None, value)
    return join(_dump(data), body)


def value_text(value: Any) -> str:
    """A one-line YAML value: JSON, which is YAML, so strings are quoted and lists flow."""
    return json.dumps(value, ensure_ascii=False)


def fast_text(values: Mapping[str, Any], body: str, comments: Mapping[str, str] = {}) -> str:
    """A new file written without a YAML round trip (demo data writes tens of thousands):
    ``key: <JSON value>`` lines, each with an optional ``# comment``; reads back the same."""
    lines = []
    for key, value in values.items():
        note = comments.get(key)
        lines.append(f"{key}: {value_text(value)}" + (f"   # {note}" if note else ""))
    return join("\n".join(lines), body)


def write(path: Path, text: str) -> None:
    """Write a file atomically (UTF-8, LF): the old file or the new one, never half."""
    atomic_write(path, text.encode("utf-8"))
