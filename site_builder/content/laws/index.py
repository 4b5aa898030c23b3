"""The law index (``index.yml``), bundled or in ``content/laws/``, validated declaratively.

Each entry is a dataclass whose fields carry a :class:`~site_builder.content.fields.Spec`;
:func:`site_builder.content.schema.build` checks it and reports every bad key with its line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import Problem
from ..fields import spec
from ..schema import build, suggest
from ..yamlsource import Source, load_source

KINDS = ("宪法", "法律", "行政法规", "地方性法规", "部门规章", "地方政府规章", "司法解释")


@dataclass
class Located:
    """Where an entry is: its list key (``laws[0]``), its line and the lines of its keys."""

    key: str = field(default="", metadata={})
    line: int = field(default=0, metadata={})
    lines: dict[str, int] = field(default_factory=dict, metadata={})

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class LawEntry(Located):
    """One law with its text files (the same fields as the bundled index)."""

    name: str = spec("法律的正式名称，不加书名号，如 河南省物业管理条例", "text", required=True)
    short: list[str] = spec("简称，如 [民法典]；没有时写 []", "texts")
    kind: str = spec("类别：" + "、".join(KINDS), "text", required=True, choices=KINDS)
    version: dt.date = spec(
        "文本的版本日期（通过或最后一次修改的日期），如 2021-01-15", "date", required=True
    )
    effective: dt.date = spec("这一版本的施行日期，如 2021-03-01", "date", required=True)
    files: list[str] = spec(
        "文本文件名，放在 content/laws/ 里，如 [河南省物业管理条例.md]", "texts", required=True
    )
    source: str | None = spec("文本来源，如 河南省人大常委会公报", "text")


@dataclass
class RepealedEntry(Located):
    """Laws no longer in force and the law that replaced them."""

    names: list[str] = spec("已废止法律的名称和简称", "texts", required=True)
    replaced_by: str = spec("取代它的现行法律的正式名称", "text", required=True)
    on: dt.date = spec("废止日期", "date", required=True)


@dataclass
class RevisedEntry(Located):
    """A law revised after the bundled texts were taken (no text bundled)."""

    name: str = spec("法律的正式名称", "text", required=True)
    short: list[str] = spec("简称", "texts")
    revised: dt.date = spec("修订日期", "date", required=True)
    effective: dt.date = spec("施行日期", "date", required=True)
    articles: int | None = spec("修订后的条数", "int")


SECTIONS: dict[str, type] = {
    "laws": LawEntry,
    "repealed": RepealedEntry,
    "revised_not_included": RevisedEntry,
}


@dataclass
class Index:
    """A parsed index: its entries per section, each with its line."""

    path: str
    laws: list[LawEntry] = field(default_factory=list)
    repealed: list[RepealedEntry] = field(default_factory=list)
    revised_not_included: list[RevisedEntry] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # every file named, valid entry or not


def _record_items(node: yaml.Node, src: Source) -> dict[tuple[str, int], list[str]]:
    """Lines and raw scalars of the keys inside list items (``laws[0].name``), which the
    content reader records only for mappings; returns the keys of each item as written
    (YAML 1.1 reads a key ``on`` as true)."""
    keys: dict[tuple[str, int], list[str]] = {}
    if not isinstance(node, yaml.MappingNode):
        return keys
    for key_node, seq in node.value:
        src.lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
        if not isinstance(seq, yaml.SequenceNode):
            continue
        for i, item in enumerate(seq.value):
            src.lines.setdefault(f"{key_node.value}[{i}]", item.start_mark.line + 1)
            if not isinstance(item, yaml.MappingNode):
                continue
            keys[(str(key_node.value), i)] = [str(k.value) for k, _ in item.value]
            for k, v in item.value:
                full = f"{key_node.value}[{i}].{k.value}"
                src.lines[full] = k.start_mark.line + 1
                if isinstance(v, yaml.ScalarNode):
                    src.raw[full] = v.value
                elif isinstance(v, yaml.SequenceNode):
                    src.raw[full] = [
                        x.value if isinstance(x, yaml.ScalarNode) else None for x in v.value
                    ]
    return keys


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNREADABLE = "YAML 无法解析"


class _TextDates(yaml.SafeLoader):
    """Reads 2021-13-01 as text instead of failing: the ``date`` converter then explains it."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _dates_as_text(text: str, rel: str) -> Source | None:
    try:
        data = yaml.load(text, Loader=_TextDates)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return None
    return Source(rel, data) if isinstance(data, dict) else None


def read_index(
    path: Path,
    rel: str,
    problems: list[Problem],
    sections: tuple[str, ...],
    *,
    trusted: bool = False,
) -> Index:
    """Read and validate an index file; add a problem (with its line) for each bad entry.

    Staff files go through the content reader (encodings, full-width punctuation, YAML
    hints); the bundled index (``trusted``) is read with libyaml: 7 ms instead of 110 ms."""
    index = Index(rel)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = None
    if trusted:
        assert text is not None, path
        src: Source | None = Source(rel, yaml.load(text, Loader=_LOADER) or {})
    else:
        found: list[Problem] = []
        src = load_source(path, rel, found, whole_yaml=True)
        if src is None and text is not None and all(_UNREADABLE in p.message for p in found):
            src = _dates_as_text(text, rel)  # a date such as 2021-13-01: report it at its key
        problems += found if src is None else [p for p in found if _UNREADABLE not in p.message]
    if src is None or text is None:
        return index
    try:
        node = yaml.compose(text, Loader=_LOADER)
        written = _record_items(node, src) if node is not None else {}
    except yaml.YAMLError:
        return index  # load_source has reported it
    for key, value in src.data.items():
        line = src.lines.get(str(key), 1)
        if key not in sections:
            problems.append(Problem(rel, line, str(key), suggest(str(key), list(sections))))
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(
                Problem(rel, line, key, "应为列表，每项以“- ”开头，如 - {name: …, files: […]}")
            )
            continue
        cls = SECTIONS[key]
        for i, item in enumerate(value):
            at = src.lines.get(f"{key}[{i}]", line)
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        rel,
                        at,
                        f"{key}[{i}]",
                        "每一项应为一组“键: 值”，如 name: 河南省物业管理条例",
                    )
                )
                continue
            listed = item.get("files")
            if isinstance(listed, list):
                index.files |= {str(f) for f in listed}
            names = written.get((key, i), [])
            if len(names) == len(item):
                item = dict(zip(names, item.values(), strict=True))
            before = len(problems)
            entry: Any = build(cls, item, src, problems, prefix=f"{key}[{i}].")
            if len(problems) == before:
                entry.key, entry.line = f"{key}[{i}]", at
                entry.lines = {
                    k: src.lines[f"{key}[{i}].{k}"] for k in item if f"{key}[{i}].{k}" in src.lines
                }
                getattr(index, key).append(entry)
    return index
