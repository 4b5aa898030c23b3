"""Forms generated from the type declarations (``types.py``): no second schema.

:func:`fields_for` turns a type's specs and a file's values into :class:`Field` records the
template draws by kind; :func:`parse_form` turns a posted form back into YAML values, in
declaration order. A field added to a type appears in its form with its doc as help.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content.codec import DELETE
from ..content.fields import Spec
from ..content.phones import normalise_phone
from ..content.schema import yaml_keys
from ..content.types import Entry

PREFIX = "f."
MAP_KEY = "__key"
MAP_VALUE = "__value"
TITLE_SPEC = Spec("标题；不写则用正文的第一个标题", "text")


@dataclass
class PageType(Entry):
    """A free page (content/about.md …): the keys every file may carry, and a title."""

    title: str | None = dataclasses.field(default=None, metadata={"spec": TITLE_SPEC})


@dataclass
class Field:
    """One input of a generated form."""

    path: str  # dotted YAML path: title, print.paper, counties
    key: str
    spec: Spec
    value: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)  # (id, label) of refs
    children: list[Field] = field(default_factory=list)  # a struct's own fields
    rows: list[list[Field]] = field(default_factory=list)  # a map of structs: one per entry
    row_keys: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return PREFIX + self.path

    @property
    def widget(self) -> str:
        """The template macro that draws this field."""
        s = self.spec
        if s.kind == "struct":
            return "struct"
        if s.kind == "map":
            return "map_struct" if s.struct is not None else "map"
        if s.kind in ("ids", "texts"):
            return "picker_list" if s.ref else "rows"
        if s.kind == "id" and s.ref:
            return "picker"
        if s.choices:
            return "select"
        return {"bool": "checkbox", "date": "date", "int": "number", "latlng": "latlng"}.get(
            s.kind, "text"
        )

    @property
    def list_value(self) -> list[str]:
        v = self.value
        if isinstance(v, list):
            return [str(x) for x in v]
        return [] if v in (None, "") else [str(v)]

    @property
    def text_value(self) -> str:
        v = self.value
        if v is None:
            return ""
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list | dict):
            return ""
        return str(v)


Options = Callable[[Spec], list[tuple[str, str]]]


def fields_for(
    cls: type, data: Mapping[str, Any], options: Options, prefix: str = ""
) -> list[Field]:
    """The form of ``cls`` filled with ``data`` (a file's front matter as plain values)."""
    out: list[Field] = []
    for key, (_, s) in yaml_keys(cls).items():
        path = f"{prefix}{key}"
        value = data.get(key) if isinstance(data, Mapping) else None
        f = Field(path, key, s, value)
        if s.ref:
            f.options = options(s)
        if s.kind == "struct" and s.struct is not None:
            f.children = fields_for(
                s.struct, value if isinstance(value, Mapping) else {}, options, f"{path}."
            )
        if s.kind == "map" and s.struct is not None:
            entries = value if isinstance(value, Mapping) else {}
            for k, v in entries.items():
                f.row_keys.append(str(k))
                f.rows.append(
                    fields_for(s.struct, v if isinstance(v, Mapping) else {}, options, f"{path}.")
                )
            f.children = fields_for(s.struct, {}, options, f"{path}.")  # the empty new row
        out.append(f)
    return out


def _one(form: Any, name: str) -> str | None:
    values = [v for v in form.getlist(name) if isinstance(v, str)]
    return values[0].strip() if values else None


def _typed(s: Spec, text: str) -> Any:
    """A typed YAML value from a form's text; what does not convert stays text, so the
    check reports it with its usual message."""
    if s.kind == "int":
        return int(text) if text.isdigit() else text
    if s.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if s.kind == "phone":
        try:
            return normalise_phone(text)
        except ValueError:
            return text
    return text


def _latlng(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def parse_form(cls: type, form: Any, prefix: str = "") -> dict[str, Any]:
    """YAML values of every declared key from a posted form; :data:`DELETE` for a key
    left empty (so it is removed from the file, not written blank)."""
    out: dict[str, Any] = {}
    for key, (_, s) in yaml_keys(cls).items():
        path = f"{prefix}{key}"
        name = PREFIX + path
        value: Any = DELETE
        if s.kind == "bool":
            if _one(form, name + ".present") is not None:
                value = True if _one(form, name) else DELETE
        elif s.kind in ("ids", "texts"):
            rows = [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
            value = rows or DELETE
        elif s.kind == "latlng":
            parts = [v.strip() for v in form.getlist(name) if isinstance(v, str)]
            if any(parts):
                value = [_latlng(p) for p in parts]
        elif s.kind == "struct" and s.struct is not None:
            sub = {
                k: v for k, v in parse_form(s.struct, form, f"{path}.").items() if v is not DELETE
            }
            value = sub or DELETE
        elif s.kind == "map":
            value = _parse_map(s, form, path) or DELETE
        else:
            text = _one(form, name)
            if text:
                value = _typed(s, text)
        out[key] = value
    return out


def _parse_map(s: Spec, form: Any, path: str) -> dict[str, Any]:
    keys = [v.strip() for v in form.getlist(f"{PREFIX}{path}.{MAP_KEY}") if isinstance(v, str)]
    out: dict[str, Any] = {}
    if s.struct is None:
        values = [v.strip() for v in form.getlist(f"{PREFIX}{path}.{MAP_VALUE}")]
        for k, v in zip(keys, values, strict=False):
            if k:
                out[k] = v
        return out
    columns = {
        key: [v.strip() for v in form.getlist(f"{PREFIX}{path}.{key}") if isinstance(v, str)]
        for key in yaml_keys(s.struct)
    }
    for i, k in enumerate(keys):
        if not k:
            continue
        row = {
            key: _typed(sp, col[i])
            for key, (_, sp) in yaml_keys(s.struct).items()
            if i < len(col := columns[key]) and col[i]
        }
        out[k] = row
    return out


def field_of(problem_key: str, paths: set[str]) -> str:
    """The form field a problem's key belongs to (``law[1]`` → ``law``), or "" for the
    whole file."""
    key = problem_key.split("[", 1)[0]
    while key:
        if key in paths:
            return key
        if "." not in key:
            break
        key = key.rsplit(".", 1)[0]
    return ""


def all_paths(fields: list[Field]) -> set[str]:
    """Every field path of a form, nested ones included."""
    out: set[str] = set()
    for f in fields:
        out.add(f.path)
        out |= all_paths(f.children)
    return out
