"""`pufa import`: the spreadsheets staff already keep (XLSX; CSV/TSV in UTF-8, GBK or UTF-16).

Rows are matched to existing items by phone number, then by name (and role); matched items
get their front matter updated key by key (bodies are never touched), new ones are created.
A person's id is added to the named village's list for their role, touching only that key.

Nothing is written before everything is checked: every row's front matter goes through the
same declarations as `pufa check` (``schema.build`` over ``types.py``), then the whole content
folder as it would be after the import is loaded (a linked copy in a temporary folder), so a
problem in another file (a village list a role change breaks) is reported on the row that
causes it. The caller writes only when no row is refused, or when told to skip refused rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ContentError, Problem
from . import registry
from .codec import new_text, set_keys
from .fields import specs
from .model import Content
from .newfile import make_id
from .phones import normalise_phone
from .schema import build
from .types import Advisor, Entry, Village
from .yamlsource import Source

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
WHAT = {"advisors": "同一个人", "services": "同一个服务点", "villages": "同一个村（社区）"}
# Keys a sheet may not set: identity and publishing state stay with the files.
NOT_FROM_SHEET = ("id", "draft", "renamed_from")
# How many rows above the header (a merged title, a date line) are looked through.
MAX_TITLE_ROWS = 10

SAVE_AS = "请在 Excel 或 WPS 里打开，“另存为” .xlsx（Excel 工作簿）格式后再导入"
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, and password-protected .xlsx


class SheetError(ValueError):
    """The file cannot be read as a table; the message says why, in Chinese."""


@dataclass
class RowReport:
    row: int
    action: str  # 新建 / 更新 / 不变 / 有错 (跳过 when refused rows are skipped)
    name: str
    detail: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def __str__(self) -> str:
        who = f" {self.name}" if self.name else ""
        parts = self.problems if self.problems else ([self.detail] if self.detail else [])
        tail = "；".join([*parts, *([] if self.problems else self.notes)])
        return f"第 {self.row} 行{who}：{self.action}{('，' + tail) if tail else ''}"


@dataclass
class ImportResult:
    rows: list[RowReport] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)  # every file to write → its new text
    originals: dict[Path, str | None] = field(default_factory=dict)  # text when planned
    problems: list[Problem] = field(default_factory=list)  # after-import problems of no row
    by_file: dict[Path, set[int]] = field(default_factory=dict)  # rows behind each write
    formats: dict[Path, tuple[bool, bool]] = field(default_factory=dict)  # (BOM, CRLF) kept
    root: Path | None = None  # the content folder planned for

    @property
    def refused(self) -> list[RowReport]:
        return [r for r in self.rows if r.refused]

    def skip_refused(self) -> None:
        """Refused rows are skipped (`--skip-bad`): they were never planned."""
        for r in self.refused:
            r.action = "跳过"


# --- reading the file -------------------------------------------------------------------


def read_table(path: Path) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet as (row number in the sheet, cells).

    XLSX, or CSV/TSV text in UTF-8 (BOM or not), GBK or UTF-16 (Excel's “Unicode 文本”).
    Raises :class:`SheetError` with a Chinese reason for anything else.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SheetError("找不到这个文件") from None
    except IsADirectoryError:
        raise SheetError("这是一个文件夹，不是表格文件") from None
    except OSError as exc:
        raise SheetError(f"无法读取文件（{exc.strerror or exc}）") from None
    suffix = path.suffix.lower()
    if not data:
        raise SheetError("文件是空的（0 字节），可能没有保存完或没有复制完")
    if data.startswith(OLE2):
        if suffix in XLSX_SUFFIXES:
            raise SheetError(
                f"这个文件设置了打开密码，或其实是旧版 Excel（.xls）文件；请去掉密码，或{SAVE_AS}"
            )
        raise SheetError(f"这是旧版 Excel（.xls）或 WPS（.et）文件，不能直接导入；{SAVE_AS}")
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise SheetError(f"不能直接导入 {suffix} 文件；{SAVE_AS}")
    if data.startswith(b"PK"):
        return _read_xlsx(data)
    if suffix in XLSX_SUFFIXES:
        raise SheetError(
            "文件已损坏，或不是真正的 Excel 文件（.xlsx 文件应该是压缩包格式，这个文件不是）；"
            "请在 Excel 或 WPS 里打开原表格，重新“另存为” .xlsx 后再导入"
        )
    if suffix and suffix not in TEXT_SUFFIXES:
        raise SheetError(
            f"不认识的文件类型“{suffix}”：能导入 .xlsx，或 .csv、.txt 文本表格；{SAVE_AS}"
        )
    return _read_text(data)


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    damaged = (
        "文件已损坏或不完整（可能没有下载完或没有复制完），读不出表格；"
        "请在 Excel 或 WPS 里打开原表格，重新“另存为” .xlsx 后再导入"
    )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise SheetError(damaged) from None
    except Exception:  # noqa: BLE001 - any failure to parse a damaged workbook is the file's
        raise SheetError(damaged) from None
    try:
        if not book.worksheets:
            raise SheetError("文件里没有工作表")
        rows: list[tuple[int, list[str]]] = []
        for n, row in enumerate(book.worksheets[0].iter_rows(), start=1):
            number = next((c.row for c in row if getattr(c, "row", None)), n)
            cells = [_cell_text(c.value) for c in row]
            if any(c.strip() for c in cells):
                rows.append((number, cells))
        return rows
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - a sheet's XML broken inside a valid zip
        raise SheetError(damaged) from None
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_text(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    sample = text[:4096]
    odd = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or odd > len(sample) // 100:
        raise SheetError(
            "这不是文本表格（含有二进制内容），可能已损坏；能导入 .xlsx，或 .csv、.txt 文本表格"
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") >= max(1, first.count(",")) else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SheetError(f"文本表格的格式有错（{exc}）") from None
    return [(n, row) for n, row in enumerate(records, start=1) if any(c.strip() for c in row)]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        # UTF-8 and GBK text never holds a NUL byte; UTF-16 without a BOM has them on one
        # side of each pair (the high byte of tabs, digits, line ends).
        head = data[:65536]
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd + even == 0:
            encodings = ("utf-8", "gb18030")
        elif odd >= 9 * even:
            encodings = ("utf-16-le",)
        elif even >= 9 * odd:
            encodings = ("utf-16-be",)
        else:
            raise SheetError(
                "这不是文本表格（含有二进制内容），可能已损坏；能导入 .xlsx，或 .csv、.txt 文本表格"
            )
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if encodings[0].startswith("utf-16"):
        raise SheetError("文件看起来是 UTF-16（“Unicode 文本”）编码，但内容不完整或已损坏")
    raise SheetError(f"表格文件既不是 UTF-8 也不是 GBK 编码；{SAVE_AS}")


# --- cells ------------------------------------------------------------------------------

_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])\s*")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\u200b-\u200d\u2060\ufeff]")
# Line breaks in these mean nothing more than a wrapped line: they become a space.
SPACE_KEYS = ("org", "hours", "address", "wechat", "township")
# In these (choices, numbers, phone numbers) a line break is dropped; the check decides.
JOIN_KEYS = ("role", "type", "kind", "households", "phone")


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def _shown(text: str) -> str:
    return _BREAK.sub("（换行）", text)


def clean_cell(label: str, key: str, raw: str) -> tuple[str, list[str], str | None]:
    """A single-line value from a cell: (value, notes, problem or None).

    A line break (Alt+Enter in Excel) in an organisation, address or hours becomes a
    space; in a choice, number or phone it is dropped; in a name it is refused, because
    it may hold two names. Tabs become spaces, invisible control characters are removed.
    """
    where = f"“{label}”列（{key}）"
    notes: list[str] = []
    value = raw.strip()
    if _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
        notes.append(f"{where}里看不见的控制字符已去掉")
    if "\t" in value:
        value = re.sub(r"\t+", " ", value)
        notes.append(f"{where}里的 Tab 已改成空格")
    if _BREAK.search(value):
        if key in SPACE_KEYS:
            value = _BREAK.sub(" ", value)
            notes.append(f"{where}里的换行已改成空格")
        elif key in JOIN_KEYS:
            value = _BREAK.sub("", value)
            notes.append(f"{where}里的换行已去掉")
        else:
            return (
                value,
                notes,
                f"{where}“{_shown(value)}”里有换行：这一格只能写一项，请删掉换行，或分成两行填写",
            )
    return value, notes, None


# --- planning ---------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    name: str
    labels: dict[str, str]  # front-matter key (and village/advisor) → column header
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    existing: Any = None
    identity: str = ""
    who: str = ""


def find_header(
    kind: str, table: list[tuple[int, list[str]]], content: Content
) -> tuple[int, list[tuple[str, str]]]:
    """(index of the header row in ``table``, (column header, key) per column).

    Title rows above the header (a merged “某某名单” row, a date line) are passed over.
    """
    mapping = {_norm_header(h): k for h, k in HEADERS[kind].items()}
    mapping.update({_norm_header(h): k for h, k in content.site.import_.columns.items()})
    for i, (_, cells) in enumerate(table[: MAX_TITLE_ROWS + 1]):
        columns = [(c.strip(), mapping.get(_norm_header(c), "")) for c in cells]
        if any(k == "name" for _, k in columns):
            return i, columns
    if not table:
        raise SheetError("表格是空的")
    known = "、".join(HEADERS[kind])
    raise SheetError(f"表头里找不到“姓名”或“名称”列；能认出的列：{known}")


def import_table(kind: str, path: Path, content: Content) -> ImportResult:
    """Read ``path``, plan every row and check the content as it would be afterwards.

    Pure: nothing under the content folder is written. Rows refused by the after-import
    check are taken out and the plan is made again, until the plan checks clean.
    """
    table = read_table(path)
    at, columns = find_header(kind, table, content)
    header_cells = [c for c, _ in columns]
    data = [
        (n, cells)
        for n, cells in table[at + 1 :]
        if [c.strip() for c in cells[: len(header_cells)]] != header_cells
    ]
    extra: dict[int, list[str]] = {}
    while True:
        result = plan_rows(kind, columns, data, content, extra)
        found, general = check_after(result, content)
        if general:
            result.problems = general
            return result
        new = {n: msgs for n, msgs in found.items() if n not in extra}
        if not new:
            return result
        extra.update(new)


def plan_rows(
    kind: str,
    columns: list[tuple[str, str]],
    data: list[tuple[int, list[str]]],
    content: Content,
    extra: dict[int, list[str]] | None = None,
) -> ImportResult:
    """Decide what each row does; rows with problems (or in ``extra``) are left out."""
    extra = extra or {}
    cls = registry.by_folder()[kind].cls
    items: dict[str, Any] = dict(content.folder(kind))
    rows = [_read_row(kind, cls, n, columns, cells, content, items) for n, cells in data]
    for row in rows:
        row.problems += extra.get(row.number, [])
    _mark_duplicates(kind, rows)

    result = ImportResult(root=content.root)
    folder = content.root / kind
    taken = set(items) | ({p.stem for p in folder.glob("*.md")} if folder.is_dir() else set())
    changes: dict[Path, dict[str, object]] = {}
    village_lists: dict[str, dict[str, object]] = {}
    village_rows: dict[str, set[int]] = {}
    for row in rows:
        if row.problems:
            result.rows.append(RowReport(row.number, "有错", row.name, problems=row.problems))
            continue
        values = {k: v for k, v in row.values.items()}
        existing = row.existing
        village = values.pop("village", None)
        if existing is None:
            ident = make_id(row.name, taken)
            taken.add(ident)
            target = folder / f"{ident}.md"
            result.texts[target] = _new_text(cls, values)
            result.originals[target] = None
            result.by_file.setdefault(target, set()).add(row.number)
            report = RowReport(row.number, "新建", row.name, f"{kind}/{ident}.md", row.notes)
        else:
            ident = existing.id
            changed = {k: v for k, v in values.items() if getattr(existing, k, None) != v}
            if changed:
                target = content.root / existing.source
                changes.setdefault(target, {}).update(changed)
                result.by_file.setdefault(target, set()).add(row.number)
                labels = "、".join(changed)
                detail = f"{existing.source}（{labels}）"
                report = RowReport(row.number, "更新", row.name, detail, row.notes)
            else:
                report = RowReport(row.number, "不变", row.name, existing.source, row.notes)
        if village is not None:
            role = str(values.get("role") or getattr(existing, "role", "法律顾问"))
            slot = SLOTS[role]
            lists = village_lists.setdefault(village.source, {})
            current = lists.get(slot, getattr(village, slot))
            added = False
            if slot == "chief_adviser":
                if current != ident:
                    lists[slot], added = ident, True
                    if current:
                        old = content.advisors.get(str(current))
                        report.notes.append(
                            f"{village.name}原来的司法总顾问"
                            f"{old.name if old else current}已换成{row.name}"
                        )
            else:
                members = list(current) if isinstance(current, list) else []
                if ident not in members:
                    lists[slot], added = [*members, ident], True
            if added:
                village_rows.setdefault(village.source, set()).add(row.number)
                if report.action == "不变":
                    report.action, report.detail = "更新", f"{village.source}（{slot}）"
        result.rows.append(report)
    for source, lists in village_lists.items():
        if lists:
            target = content.root / source
            changes.setdefault(target, {}).update(lists)
            result.by_file.setdefault(target, set()).update(village_rows.get(source, set()))
    for target, keys in changes.items():
        original, result.formats[target] = _read(target)
        result.texts[target] = set_keys(original, keys)
        result.originals[target] = original
    return result


def _read_row(
    kind: str,
    cls: type[Entry],
    number: int,
    columns: list[tuple[str, str]],
    cells: list[str],
    content: Content,
    items: dict[str, Any],
) -> _Row:
    """One sheet row → the front matter it asks for, checked by the type's declarations."""
    labels: dict[str, str] = {}
    raw: dict[str, str] = {}
    for (label, key), cell in zip(columns, cells, strict=False):
        if key and key not in raw and cell.strip():
            labels.setdefault(key, label)
            raw[key] = cell
    for label, key in columns:
        if key:
            labels.setdefault(key, label)
    row = _Row(number, "", labels, {})
    for key, cell in raw.items():
        value, notes, problem = clean_cell(labels[key], key, cell)
        row.notes += notes
        if problem:
            row.problems.append(problem)
        row.cells[key] = value
    row.name = _shown(row.cells.get("name", ""))
    if row.problems:
        return row
    declared = specs(cls)
    values: dict[str, Any] = {}
    for key, value in row.cells.items():
        if key in ("village", "advisor"):
            continue
        if key in NOT_FROM_SHEET:
            row.problems.append(f"“{labels[key]}”列（{key}）不能从表格导入，请删掉这一列")
        elif key == "role" and kind == "advisors":
            values[key] = ROLE_WORDS.get(value, value)
        elif key in declared and declared[key].kind == "int" and value.isdigit():
            values[key] = int(value)
        else:
            values[key] = value
    if kind == "advisors" and "role" not in values:
        match_role: str | None = "法律顾问"
    else:
        match_role = values.get("role")
    if kind == "villages" and row.cells.get("advisor"):
        wanted = row.cells["advisor"]
        found = [
            p.id for p in content.advisors.values() if p.name == wanted and p.role == "法律顾问"
        ]
        if not found:
            row.problems.append(
                f"“{labels['advisor']}”列（advisors）：找不到法律顾问“{wanted}”，请先导入人员表"
            )
        else:
            values["advisors"] = found[:1]
            labels["advisors"] = labels["advisor"]
    existing = _match(kind, values, items, match_role)
    if existing is None:
        if kind == "advisors":
            values.setdefault("role", "法律顾问")
        if kind == "villages" and "kind" not in values and values.get("name"):
            values["kind"] = "社区" if str(values["name"]).endswith("社区") else "村"
        _check_required(kind, cls, values, labels, row)
    row.problems += _check_values(cls, values, labels, row.number)
    if row.problems:
        return row
    # The values to write are the checked ones (phones normalised, text trimmed).
    problems: list[Problem] = []
    built = build(cls, values, Source(f"第 {number} 行"), problems)
    row.values = {k: getattr(built, k) for k in values}
    row.existing = existing
    if kind == "advisors" and row.cells.get("village"):
        village = _find_village(row.cells["village"], content)
        if isinstance(village, str):
            row.problems.append(f"“{labels['village']}”列（village）：{village}")
        else:
            row.values["village"] = village
    if kind == "advisors" and existing is not None:
        role = row.values.get("role")
        if role and role != existing.role:
            row.problems += _role_breaks(existing, str(role), labels.get("role", "职务"), content)
    row.identity, row.who = _identity(kind, row, existing)
    return row


def _check_required(
    kind: str, cls: type[Entry], values: dict[str, Any], labels: dict[str, str], row: _Row
) -> None:
    for key, s in specs(cls).items():
        if not s.required or key in values:
            continue
        if kind == "villages" and key == "advisors":
            if "advisor" not in labels:
                row.problems.append(
                    "新村（社区）要填法律顾问（每村至少一名）：表里没有“法律顾问”列"
                )
            elif not row.cells.get("advisor"):
                row.problems.append(
                    f"“{labels['advisor']}”列（advisors）是空的：新村（社区）要填法律顾问（每村至少一名）"
                )
        elif key in labels:
            row.problems.append(f"“{labels[key]}”列（{key}）是空的：这是必填项（{s.doc}）")
        else:
            what = re.split(r"[：，,（(]", s.doc)[0]
            row.problems.append(f"表里没有“{what}”这一列（{key}），这是必填项")


def _check_values(
    cls: type[Entry], values: dict[str, Any], labels: dict[str, str], number: int
) -> list[str]:
    """The row's values through ``schema.build``: the declarations `pufa check` uses."""
    problems: list[Problem] = []
    build(cls, values, Source(f"第 {number} 行"), problems)
    out = []
    for p in problems:
        if p.key not in values:
            continue  # a missing required key: reported by _check_required, or kept as is
        label = labels.get(p.key)
        out.append(f"“{label}”列（{p.key}）：{p.message}" if label else f"{p.key}：{p.message}")
    return out


def _role_breaks(person: Advisor, role: str, label: str, content: Content) -> list[str]:
    """A role change that would leave the person in a village list meant for other roles."""
    out = []
    for village in content.villages.values():
        for key, s in specs(Village).items():
            if s.ref != "advisors" or not s.roles or role in s.roles:
                continue
            value = getattr(village, key)
            ids = value if isinstance(value, list) else ([value] if value else [])
            if person.id in ids:
                out.append(
                    f"“{label}”列（role）：{person.name}的身份改成{role}后，"
                    f"不能再列在{village.name}（{village.source}）的 {key} 里"
                    f"（那里只能填{'或'.join(s.roles)}）；"
                    f"请先在 {village.source} 里把 {person.id} 移出，再导入"
                )
    return out


def _identity(kind: str, row: _Row, existing: Any) -> tuple[str, str]:
    """(what makes two rows the same item, how to say it)."""
    if existing is not None:
        return f"file:{existing.source}", f"都对应 {existing.source}"
    phone = row.values.get("phone")
    if kind != "villages" and phone:
        return f"phone:{phone}", f"电话都是 {phone}"
    if kind == "advisors":
        role = row.values.get("role")
        return f"name:{row.name}|{role}", f"姓名和职务都是“{row.name}”“{role}”"
    township = row.values.get("township", "")
    return f"name:{row.name}|{township}", f"名称都是“{row.name}”"


def _mark_duplicates(kind: str, rows: list[_Row]) -> None:
    """Two rows for one item: an exact repeat is refused on the later row; rows that differ
    are all refused, since the sheet does not say which is right (never last-wins)."""
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.identity and not row.problems:
            groups.setdefault(row.identity, []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0]
        same = all(_comparable(r) == _comparable(first) for r in group[1:])
        for row in group:
            others = "、".join(f"第 {r.number} 行" for r in group if r is not row)
            if same:
                if row is not first:
                    row.problems.append(f"与第 {first.number} 行重复（{row.who}），请删掉这一行")
            else:
                row.problems.append(
                    f"与{others}是{WHAT[kind]}（{row.who}），但填的内容不一样："
                    "请只留一行，改好后再导入"
                )


def _comparable(row: _Row) -> dict[str, Any]:
    return {k: (v.source if isinstance(v, Village) else v) for k, v in row.values.items()}


def _find_village(text: str, content: Content) -> Village | str:
    found = [v for v in content.villages.values() if text in (v.id, v.name)]
    if not found:
        return f"找不到村（社区）“{text}”"
    if len(found) > 1:
        where = "、".join(f"{v.township}（{v.source}）" for v in found)
        return (
            f"有 {len(found)} 个村（社区）叫“{text}”：{where}；"
            f"请改填编号（文件名，如 {found[0].id}）"
        )
    return found[0]


def _match(kind: str, values: dict[str, Any], items: dict[str, Any], role: str | None) -> Any:
    phone = values.get("phone")
    if phone:
        try:
            phone = normalise_phone(str(phone))
        except ValueError:
            phone = None
    if phone:
        for item in items.values():
            if getattr(item, "phone", None) == phone:
                return item
    for item in items.values():
        if item.name == values.get("name") and getattr(item, "role", None) == role:
            if kind == "villages" and values.get("township") not in (None, item.township):
                continue
            return item
    return None


def _new_text(cls: type[Entry], values: dict[str, Any]) -> str:
    order = list(specs(cls))
    keys = sorted(values, key=lambda k: order.index(k) if k in order else len(order))
    return new_text({k: values[k] for k in keys}, "")


# --- the content as it would be after the import ----------------------------------------


def check_after(
    result: ImportResult, content: Content
) -> tuple[dict[int, list[str]], list[Problem]]:
    """Load the content with the planned files in place (a linked copy in a temporary folder).

    Returns the problems of files the rows write, by row, and the problems no row writes.
    """
    if not result.texts:
        return {}, []
    root = content.root
    with tempfile.TemporaryDirectory(prefix="pufa-import-") as tmp:
        copy = Path(tmp) / "content"
        _mirror(root, copy)
        for path, text in result.texts.items():
            target = copy / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # never write through a hard link
            target.write_text(text, encoding="utf-8", newline="")
        from .load import load

        try:
            load(copy)
        except ContentError as exc:
            problems = exc.problems
        else:
            return {}, []
    rows: dict[int, list[str]] = {}
    general: list[Problem] = []
    for p in problems:
        owners = result.by_file.get(root / p.path, set())
        if not owners:
            general.append(p)
        for n in owners:
            rows.setdefault(n, []).append(f"导入后 {p.path} 第 {p.line} 行 {p.key}：{p.message}")
    return rows, general


def _mirror(src: Path, dst: Path) -> None:
    """``dst`` with the files of ``src`` hard-linked (copied where linking is refused)."""
    for folder, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        here = Path(folder)
        out = dst / here.relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for name in files:
            source = here / name
            try:
                if source.is_symlink():
                    raise OSError
                os.link(source, out / name)
            except OSError:
                try:
                    shutil.copy2(source, out / name)
                except OSError:
                    continue  # unreadable: the after-import load reports what it misses


# --- writing ----------------------------------------------------------------------------


def apply(result: ImportResult, root: Path | None = None) -> list[Path]:
    """Write the planned files, each atomically, only inside ``root``; new files first.

    Refuses (before writing anything) when a file changed since it was planned, or when a
    target would leave the content folder.
    """
    root = root if root is not None else result.root
    if root is None:
        raise SheetError("不知道内容文件夹在哪里，没有写入任何文件")
    base = root.resolve()
    for path, original in result.originals.items():
        if not path.parent.resolve().is_relative_to(base) or path.name in ("", ".", ".."):
            raise SheetError(f"{path} 不在内容文件夹里，没有写入任何文件")
        if path.is_symlink():
            raise SheetError(f"{path} 是一个链接文件，导入不改动链接；没有写入任何文件")
        now = _read(path)[0] if path.exists() else None
        if now != original:
            rel = path.relative_to(root).as_posix()
            raise SheetError(f"{rel} 在导入过程中被改动了，没有写入任何文件：请重新导入")
    order = sorted(result.texts, key=lambda p: result.originals.get(p) is not None)
    done: list[str] = []
    for path in order:
        rel = path.relative_to(root).as_posix()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(
                path, _encode(result.texts[path], result.formats.get(path, (False, False)))
            )
        except OSError as exc:
            before = f"已写入 {'、'.join(done)}，" if done else "还没有写入任何文件，"
            raise SheetError(
                f"写入 {rel} 失败（{exc.strerror or exc}）；{before}其余没有写入"
            ) from None
        done.append(rel)
    return order


def atomic_write(path: Path, raw: bytes) -> None:
    """Write ``raw`` next to ``path``, flush it to disk, and rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: directories cannot be opened
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _read(path: Path) -> tuple[str, tuple[bool, bool]]:
    """A content file as text with ``\\n`` line ends, and (BOM, CRLF) to put back on write."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n"), (data.startswith(b"\xef\xbb\xbf"), "\r\n" in text)


def _encode(text: str, fmt: tuple[bool, bool]) -> bytes:
    bom, crlf = fmt
    if crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def plan_import(kind: str, path: Path, content: Content) -> ImportResult:
    """The earlier name of :func:`import_table`."""
    return import_table(kind, path, content)
