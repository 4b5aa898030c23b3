"""Field declarations and the converters that check a YAML value against them.

Every content type is a dataclass whose fields carry a :class:`Spec` in their metadata
(see ``types.py``). The shared code in ``schema.py`` reads those declarations; nothing
else in the package checks front matter by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .phones import normalise_phone

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Spec:
    """What one key of the content format means and how its value is checked."""

    doc: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    roles: tuple[str, ...] = ()
    struct: type | None = None


def spec(
    doc: str,
    kind: str,
    *,
    required: bool = False,
    choices: tuple[str, ...] = (),
    ref: str | None = None,
    roles: tuple[str, ...] = (),
    struct: type | None = None,
    default: Any = None,
) -> Any:
    """Declare a dataclass field of a content type (used in ``types.py``)."""
    meta = {"spec": Spec(doc, kind, required, choices, ref, roles, struct)}
    if kind in ("ids", "texts", "map"):
        return dataclasses.field(default_factory=list if kind != "map" else dict, metadata=meta)
    if kind == "struct" and struct is not None:
        return dataclasses.field(default_factory=struct, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def specs(cls: type) -> dict[str, Spec]:
    """The declared keys of a content type, in declaration order."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def _text(value: Any, raw: str | None, s: Spec) -> str:
    if isinstance(value, bool | list | dict):
        raise ValueError(f"应为一段文字，实际是{_type_name(value)}")
    if value is None:
        raise ValueError("不能为空")
    text = raw if raw is not None else str(value)
    text = text.strip()
    if not text:
        raise ValueError("不能为空")
    if s.choices and text not in s.choices:
        raise ValueError(f"“{text}”不是可选值，应为：{'、'.join(s.choices)}")
    return text


def _int(value: Any, raw: str | None, s: Spec) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"应为整数（阿拉伯数字），实际是“{raw if raw is not None else value}”")
    if value < 0:
        raise ValueError("不能是负数")
    if s.choices and str(value) not in s.choices:
        raise ValueError(f"{value} 不是可选值，应为：{'、'.join(s.choices)}")
    return value


def _number(value: Any, raw: str | None, s: Spec) -> float:
    """A measure (millimetres, points, a factor): a non-negative int or decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        shown = f"“{raw}”" if isinstance(raw, str) else _type_name(value)
        raise ValueError(f"应为数字（如 12 或 4.5），实际是{shown}")
    if value < 0:
        raise ValueError("不能是负数")
    return float(value)


def _bool(value: Any, raw: str | None, s: Spec) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"应为 true 或 false，实际是“{raw if raw is not None else value}”")
    return value


def _date(value: Any, raw: str | None, s: Spec) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(raw if raw is not None else value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期“{text}”格式不对，应写成 年-月-日，如 2021-01-15") from None


def _phone(value: Any, raw: str | None, s: Spec) -> str:
    if value is None or isinstance(value, list | dict | bool):
        raise ValueError("应为一个电话号码")
    return normalise_phone(raw if raw is not None else str(value))


def check_id(text: str) -> str:
    """Return ``text`` if it is a valid id, else raise ValueError with the Chinese rule."""
    if not ID_PATTERN.fullmatch(text):
        raise ValueError(
            f"id“{text}”不合规：只能用小写英文字母、数字和连字符“-”，且以字母或数字开头"
            "（如 lanxin、guo-xiao）"
        )
    return text


def _id(value: Any, raw: str | None, s: Spec) -> str:
    if value is None or isinstance(value, list | dict | bool):
        raise ValueError(f"应为一个 id，实际是{_type_name(value)}")
    return check_id(raw if raw is not None else str(value))


def _list(value: Any, raw: Any, s: Spec, item: Callable[[Any, str | None, Spec], Any]) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"应为列表（如 [a, b] 或每行以“- ”开头），实际是{_type_name(value)}")
    raws = raw if isinstance(raw, list) else [None] * len(value)
    out = []
    for i, (v, r) in enumerate(zip(value, raws, strict=False)):
        try:
            out.append(item(v, r, s))
        except ValueError as exc:
            raise ValueError(f"第 {i + 1} 项：{exc}") from None
    return out


def _latlng(value: Any, raw: Any, s: Spec) -> tuple[float, float]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not ok or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180):
        raise ValueError("应为 [纬度, 经度]，如 [33.70, 113.33]")
    return (float(value[0]), float(value[1]))


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "键值表"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, int | float):
        return f"数字 {value}"
    return f"“{value}”"


# Filing numbers shown in every page footer (工信部 ICP 备案, 公安联网备案).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ICP_PATTERN = re.compile(rf"[{PROVINCES}]ICP备\d{{6,10}}号(?:-\d{{1,3}})?")
POLICE_PATTERN = re.compile(rf"[{PROVINCES}]公网安备\d{{14}}号")


def _icp(value: Any, raw: str | None, s: Spec) -> str:
    text = _text(value, raw, s)
    if not ICP_PATTERN.fullmatch(text):
        raise ValueError(
            f"“{text}”不是 ICP 备案号的格式：应为 省份简称 + ICP备 + 数字 + 号，"
            "如 豫ICP备12345678号 或 豫ICP备12345678号-1"
        )
    return text


def _police_filing(value: Any, raw: str | None, s: Spec) -> str:
    text = _text(value, raw, s)
    if not POLICE_PATTERN.fullmatch(text):
        raise ValueError(
            f"“{text}”不是公安备案号的格式：应为 省份简称 + 公网安备 + 14 位数字 + 号，"
            "如 豫公网安备41040202000123号"
        )
    return text


def _ids(value: Any, raw: Any, s: Spec) -> list[str]:
    out = _list(value, raw, s, _id)
    seen: set[str] = set()
    for i, ident in enumerate(out):
        if ident in seen:
            raise ValueError(f"第 {i + 1} 项：“{ident}”重复了，同一个 id 只写一次")
        seen.add(ident)
    return out


CONVERTERS: dict[str, Callable[[Any, Any, Spec], Any]] = {
    "text": _text,
    "int": _int,
    "number": _number,
    "bool": _bool,
    "date": _date,
    "phone": _phone,
    "id": _id,
    "ids": _ids,
    "texts": lambda v, r, s: _list(v, r, s, _text),
    "latlng": _latlng,
    "icp": _icp,
    "police_filing": _police_filing,
}
