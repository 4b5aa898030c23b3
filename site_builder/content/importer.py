"""`pufa import`: the spreadsheets staff already keep (XLSX, or CSV in UTF-8 or GBK).

Rows are matched to existing items by phone number, then by name (and role); matched items
get their front matter updated key by key (bodies are never touched), new ones are created.
A person's id is added to the named village's list for their role, touching only that key.
A bad row is reported and writes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .frontedit import update_file, yaml_value
from .model import Content
from .newfile import make_id
from .phones import normalise_phone
from .types import ROLES, SERVICE_TYPES, VILLAGE_KINDS

HEADERS: dict[str, dict[str, str]] = {
    "advisors": {
        "姓名": "name",
        "名字": "name",
        "职务": "role",
        "身份": "role",
        "角色": "role",
        "单位": "org",
        "工作单位": "org",
        "律师事务所": "org",
        "电话": "phone",
        "联系电话": "phone",
        "手机": "phone",
        "手机号": "phone",
        "服务村(社区)": "village",
        "服务村（社区）": "village",
        "村(社区)": "village",
        "村（社区）": "village",
        "所在村": "village",
        "办公时间": "hours",
        "服务时间": "hours",
        "微信群": "wechat",
    },
    "services": {
        "名称": "name",
        "服务点": "name",
        "服务点名称": "name",
        "类型": "type",
        "所属镇(街道)": "township",
        "所属镇（街道）": "township",
        "镇(街道)": "township",
        "镇（街道）": "township",
        "乡镇": "township",
        "镇街": "township",
        "地址": "address",
        "电话": "phone",
        "联系电话": "phone",
        "办公时间": "hours",
        "开放时间": "hours",
    },
    "villages": {
        "名称": "name",
        "村(社区)": "name",
        "村（社区）": "name",
        "村(社区)名称": "name",
        "类别": "kind",
        "类型": "kind",
        "所属镇(街道)": "township",
        "所属镇（街道）": "township",
        "镇(街道)": "township",
        "镇（街道）": "township",
        "乡镇": "township",
        "镇街": "township",
        "户数": "households",
        "法律顾问": "advisor",
    },
}
ROLE_WORDS = {
    "律师": "法律顾问",
    "法律顾问": "法律顾问",
    "调解员": "人民调解员",
    "人民调解员": "人民调解员",
    "网格员": "网格员",
    "司法总顾问": "司法总顾问",
    "法律明白人": "法律明白人",
}
SLOTS = {
    "法律顾问": "advisors",
    "司法总顾问": "chief_adviser",
    "人民调解员": "mediators",
    "网格员": "grid_workers",
    "法律明白人": "grid_workers",
}


@dataclass
class RowReport:
    row: int
    action: str  # 新建 / 更新 / 不变 / 跳过
    name: str
    detail: str = ""

    def __str__(self) -> str:
        who = f" {self.name}" if self.name else ""
        return f"第 {self.row} 行{who}：{self.action}{('，' + self.detail) if self.detail else ''}"


@dataclass
class ImportResult:
    rows: list[RowReport] = field(default_factory=list)
    writes: dict[Path, dict[str, object]] = field(default_factory=dict)  # existing files
    creates: dict[Path, str] = field(default_factory=dict)  # new files


def read_table(path: Path) -> list[list[str]]:
    """Rows of the first sheet of an XLSX, or of a CSV in UTF-8 (with or without BOM) or GBK."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        out = [
            ["" if c is None else str(c).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return out
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("表格文件既不是 UTF-8 也不是 GBK 编码")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def plan_import(kind: str, path: Path, content: Content) -> ImportResult:
    """Decide what each row does (pure: nothing is written here)."""
    table = [r for r in read_table(path) if any(r)]
    if not table:
        raise ValueError("表格是空的")
    mapping = {**HEADERS[kind], **content.site.import_.columns}
    header = [mapping.get(h.replace(" ", ""), "") for h in table[0]]
    if "name" not in header:
        raise ValueError(f"表头里找不到“姓名”或“名称”列；能认出的列：{'、'.join(HEADERS[kind])}")
    result = ImportResult()
    seen: dict[str, int] = {}
    folder = content.root / kind
    items: dict[str, Any] = dict(content.folder(kind))
    taken = set(items) | {p.stem for p in folder.glob("*.md")}
    village_lists: dict[str, dict[str, object]] = {}
    for n, raw in enumerate(table[1:], start=2):
        row = {k: v for k, v in zip(header, raw, strict=False) if k and v}
        name = row.get("name", "")
        try:
            values = _values(kind, row, content)
        except ValueError as exc:
            result.rows.append(RowReport(n, "跳过", name, str(exc)))
            continue
        key = values.get("phone") or f"{name}|{values.get('role', '')}"
        if str(key) in seen:
            result.rows.append(RowReport(n, "跳过", name, f"与第 {seen[str(key)]} 行重复"))
            continue
        seen[str(key)] = n
        village = None
        if kind == "advisors" and row.get("village"):
            village = _find_village(row["village"], content)
            if village is None:
                result.rows.append(
                    RowReport(n, "跳过", name, f"找不到村（社区）“{row['village']}”")
                )
                continue
        existing = _match(kind, values, items)
        if existing is None:
            if kind == "villages" and "advisors" not in values:
                result.rows.append(
                    RowReport(n, "跳过", name, "新村（社区）要填法律顾问（每村至少一名）")
                )
                continue
            ident = make_id(name, taken)
            taken.add(ident)
            target = folder / f"{ident}.md"
            result.creates[target] = _new_text(values)
            result.rows.append(RowReport(n, "新建", name, f"{kind}/{ident}.md"))
        else:
            ident = existing.id
            changed = {k: v for k, v in values.items() if getattr(existing, k, None) != v}
            if changed:
                result.writes.setdefault(content.root / existing.source, {}).update(changed)
                labels = "、".join(changed)
                result.rows.append(RowReport(n, "更新", name, f"{existing.source}（{labels}）"))
            else:
                result.rows.append(RowReport(n, "不变", name, existing.source))
        if village is not None:
            slot = SLOTS[str(values.get("role") or getattr(existing, "role", "法律顾问"))]
            lists = village_lists.setdefault(village.source, {})
            current = lists.get(slot, getattr(village, slot))
            if slot == "chief_adviser":
                if current != ident:
                    lists[slot] = ident
            else:
                members = list(current) if isinstance(current, list) else []
                if ident not in members:
                    lists[slot] = [*members, ident]
    for source, changes in village_lists.items():
        result.writes.setdefault(content.root / source, {}).update(changes)
    return result


def apply(result: ImportResult) -> None:
    for path, text in result.creates.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path, changes in result.writes.items():
        update_file(path, changes)


def _values(kind: str, row: dict[str, str], content: Content) -> dict[str, object]:
    out: dict[str, object] = {}
    if not row.get("name"):
        raise ValueError("没有姓名或名称")
    out["name"] = row["name"]
    if "phone" in row:
        try:
            out["phone"] = normalise_phone(row["phone"])
        except ValueError:
            raise ValueError(f"电话号码“{row['phone']}”格式不对") from None
    elif kind != "villages":
        raise ValueError("没有电话号码")
    if kind == "advisors":
        role = ROLE_WORDS.get(row.get("role", "法律顾问").strip(), "")
        if role not in ROLES:
            raise ValueError(f"职务“{row.get('role')}”不认识，应为{'、'.join(ROLES)}")
        out["role"] = role
        for k in ("org", "hours", "wechat"):
            if row.get(k):
                out[k] = row[k]
    elif kind == "services":
        if row.get("type") not in SERVICE_TYPES:
            raise ValueError(f"类型“{row.get('type', '')}”不认识，应为{'、'.join(SERVICE_TYPES)}")
        if not row.get("township"):
            raise ValueError("没有所属镇（街道）")
        out.update({k: row[k] for k in ("type", "township", "address", "hours") if row.get(k)})
    else:
        kind_value = row.get("kind") or ("社区" if row["name"].endswith("社区") else "村")
        if kind_value not in VILLAGE_KINDS:
            raise ValueError(f"类别“{kind_value}”不认识，应为{'、'.join(VILLAGE_KINDS)}")
        if not row.get("township"):
            raise ValueError("没有所属镇（街道）")
        out.update({"kind": kind_value, "township": row["township"]})
        if row.get("households"):
            if not row["households"].isdigit():
                raise ValueError(f"户数“{row['households']}”应为数字")
            out["households"] = int(row["households"])
        if row.get("advisor"):
            found = [
                p.id
                for p in content.advisors.values()
                if p.name == row["advisor"] and p.role == "法律顾问"
            ]
            if not found:
                raise ValueError(f"找不到法律顾问“{row['advisor']}”，请先导入人员表")
            out["advisors"] = found[:1]
    return out


def _find_village(text: str, content: Content) -> Any:
    return next((v for v in content.villages.values() if text in (v.id, v.name)), None)


def _match(kind: str, values: dict[str, object], items: dict[str, Any]) -> Any:
    phone = values.get("phone")
    if phone:
        for item in items.values():
            if getattr(item, "phone", None) == phone:
                return item
    for item in items.values():
        if item.name == values["name"] and getattr(item, "role", None) == values.get("role"):
            return item
    return None


def _new_text(values: dict[str, object]) -> str:
    lines = ["---"] + [f"{k}: {yaml_value(v)}" for k, v in values.items()] + ["---", ""]
    return "\n".join(lines)
