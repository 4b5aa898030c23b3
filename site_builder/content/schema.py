"""Shared validation: turn a parsed :class:`Source` into a typed content object.

Reads the field declarations of ``types.py``; reports unknown keys (with the nearest valid
key), missing required keys and wrong values, every one of them, never just the first.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any, TypeVar

from ..errors import Problem
from .fields import CONVERTERS, Spec
from .textnorm import chinese_quoted, single_line
from .yamlsource import Source

T = TypeVar("T")


def yaml_keys(cls: type) -> dict[str, tuple[str, Spec]]:
    """Map each YAML key of a type to (dataclass field name, spec). ``import_`` ↔ ``import``."""
    out: dict[str, tuple[str, Spec]] = {}
    for f in dataclasses.fields(cls):
        if "spec" in f.metadata:
            out[f.name.rstrip("_")] = (f.name, f.metadata["spec"])
    return out


def suggest(key: str, valid: list[str]) -> str:
    """A Chinese hint naming the nearest valid key, or listing them all."""
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
    if close:
        return f"不认识的键“{key}”，是不是“{close[0]}”？"
    return f"不认识的键“{key}”，可用的键有：{'、'.join(valid)}"


def build(
    cls: type[T],
    data: dict[str, Any],
    src: Source,
    problems: list[Problem],
    prefix: str = "",
) -> T:
    """Build an instance of ``cls`` from ``data``; add a problem for each bad key."""
    keys = yaml_keys(cls)
    kwargs: dict[str, Any] = {}
    head_line = src.lines.get(prefix.rstrip("."), src.head_line) if prefix else src.head_line
    for key, value in data.items():
        full = f"{prefix}{key}"
        line = src.lines.get(full, head_line)
        if not isinstance(key, str) or key not in keys:
            problems.append(Problem(src.path, line, str(full), suggest(str(key), list(keys))))
            continue
        name, s = keys[key]
        try:
            kwargs[name] = convert(s, value, src, full, problems)
        except ValueError as exc:
            problems.append(Problem(src.path, line, full, str(exc)))
            continue
        if s.kind in ("text", "texts") and kwargs[name] is not None:
            kwargs[name] = _one_line(kwargs[name], src, full, problems)
    for key, (name, s) in keys.items():
        if s.required and (name not in kwargs or kwargs[name] in (None, [], "")):
            if key in data and name not in kwargs:
                continue  # already reported as a bad value
            what = "至少要填一项" if s.kind == "ids" else "缺少必填项"
            problems.append(Problem(src.path, head_line, f"{prefix}{key}", f"{what}（{s.doc}）"))
            kwargs.pop(name, None)
    return cls(**kwargs)


def _one_line(value: str | list[str], src: Source, full: str, problems: list[Problem]) -> Any:
    """Normalise a text (or each text of a list) to one line, noting what changed; a value
    wrapped whole in Chinese quotes gets a hint (the quotes would be printed)."""
    if isinstance(value, list):
        return [_one_line_item(v, src, f"{full}[{i}]", full, problems) for i, v in enumerate(value)]
    return _one_line_item(value, src, full, full, problems)


def _one_line_item(text: str, src: Source, at: str, full: str, problems: list[Problem]) -> str:
    line = src.lines.get(at, src.lines.get(full, src.head_line))
    clean, notes = single_line(text)
    for note in notes:
        problems.append(Problem(src.path, line, full, note, warning=True))
    if chinese_quoted(clean):
        problems.append(
            Problem(
                src.path,
                line,
                full,
                f"值两边加了中文引号（{clean[0]}…{clean[-1]}），会原样印在网页和海报上；不需要时请删掉，"
                '值里有冒号等符号需要引号时，请用半角引号 "…"',
                warning=True,
            )
        )
    return clean


def convert(s: Spec, value: Any, src: Source, full: str, problems: list[Problem]) -> Any:
    """Convert one value by its spec; nested structs and maps recurse through :func:`build`."""
    if s.kind == "struct":
        if not isinstance(value, dict):
            raise ValueError("应为一组“键: 值”（缩进写在下一行）")
        assert s.struct is not None
        return build(s.struct, value, src, problems, prefix=f"{full}.")
    if s.kind == "map":
        if not isinstance(value, dict):
            raise ValueError("应为一组“名称: 值”（缩进写在下一行）")
        out: dict[str, Any] = {}
        for k, v in value.items():
            if s.struct is not None:
                if not isinstance(v, dict):
                    line = src.lines.get(f"{full}.{k}", 1)
                    problems.append(Problem(src.path, line, f"{full}.{k}", "应为一组“键: 值”"))
                    continue
                out[str(k)] = build(s.struct, v, src, problems, prefix=f"{full}.{k}.")
            else:
                out[str(k)] = str(v)
        return out
    return CONVERTERS[s.kind](value, src.raw.get(full), s)
