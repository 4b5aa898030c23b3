"""The print layout of a theme (``themes/<name>/print/layout.yml``), declared and validated.

Every key is a dataclass field carrying a ``spec(doc, kind, ...)``, as the content types are
(``content/types.py``); ``content/schema.py`` converts and checks them and reports every
problem with its file, line and the nearest valid key. A theme's file only overrides keys of
``themes/default/print/layout.yml``: the two are merged and the merged layout is validated,
each problem reported in the file that holds its key.

Positions and sizes are in mm on the product's canvas (an A4 page; an A3 poster scales the
whole canvas by √2; cards in trim coordinates), font sizes in pt.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.fields import Spec, spec, specs
from ..content.schema import convert, suggest
from ..content.yamlsource import FILE_KEY, Source, load_source
from ..errors import ConfigError, Problem
from .textfit import Box

CARD_W, CARD_H = 90.0, 54.0  # the 便民卡 trim (ISO/IEC 7810 ID-1 is 85.6 × 54; 90 × 54 is the
# Chinese business-card size)


def _n(doc: str, *, required: bool = True, default: float | None = None) -> Any:
    return spec(doc, "number", required=required and default is None, default=default)


def _box(doc: str, required: bool = True) -> Any:
    return spec(doc, "struct", struct=BoxSpec, required=required)


ALIGN = ("left", "right", "center")


@dataclass
class BoxSpec:
    """A text box: where it stands, how big it is, the font size range."""

    x: float | None = _n("左边（毫米）；不写时由程序按位置算出", required=False)
    y: float | None = _n("上边（毫米）；不写时由程序按位置算出", required=False)
    width_mm: float | None = _n("宽（毫米）；不写时由程序按位置算出", required=False)
    height_mm: float = _n("高（毫米）")
    max_pt: float = _n("最大字号（磅）")
    min_pt: float = _n("最小字号（磅）：放不下时缩到这里，再换行，最后截断")
    line_height: float = _n("行高（字号的倍数）", default=1.5)
    columns: int = spec("栏数", "int", default=1)
    gap_mm: float = _n("栏间距（毫米）", default=6.0)
    bold: bool = spec("按粗体量字宽", "bool", default=False)
    one_line: bool = spec("名称、号码：先在一行内缩小，到最小字号才换行", "bool", default=False)
    align: str = spec("对齐：left、right 或 center", "text", choices=ALIGN, default="left")

    def box(
        self,
        width_mm: float | None = None,
        height_mm: float | None = None,
        columns: float | None = None,
    ) -> Box:
        """The fitting box, with the sizes known only when planning given here."""
        width = self.width_mm if width_mm is None else width_mm
        if width is None:
            raise ConfigError("layout.yml 里有一个文字框没有宽度 width_mm，而程序没有给出宽度")
        return Box(
            width_mm=width,
            height_mm=self.height_mm if height_mm is None else height_mm,
            max_pt=self.max_pt,
            min_pt=self.min_pt,
            line_height=self.line_height,
            columns=int(self.columns if columns is None else columns),
            gap_mm=self.gap_mm,
            bold=self.bold,
            one_line=self.one_line,
        )


@dataclass
class Place:
    """A QR code on a poster: its corner and the size it is rounded up from."""

    x: float = _n("左边（毫米）")
    y: float = _n("上边（毫米）")
    size_mm: float = _n("边长（毫米），程序放大到每个码点是整像素")


@dataclass
class CardQr:
    """A QR code on a card, placed from the card's right edge."""

    right_mm: float = _n("右边离裁切线（毫米）")
    y: float = _n("上边（毫米）")
    size_mm: float = _n("边长（毫米）；码点不小于 0.4 毫米")
    level: str = spec("纠错等级：M、Q 或 H", "text", choices=("M", "Q", "H"), default="M")


@dataclass
class Span:
    """A vertical stretch of the page."""

    y: float = _n("上边（毫米）")
    bottom: float = _n("下边（毫米）")


@dataclass
class Area:
    """A rectangle of the page whose height ends at ``bottom``."""

    x: float = _n("左边（毫米）")
    y: float = _n("上边（毫米）")
    width_mm: float = _n("宽（毫米）")
    bottom: float = _n("下边（毫米）")


@dataclass
class Line:
    """Where a line of boxes starts and how wide it may be."""

    x: float = _n("左边（毫米）")
    y: float = _n("上边（毫米）")
    width_mm: float = _n("宽（毫米）")


@dataclass
class Grid:
    """Cells in columns and rows."""

    x: float = _n("左边（毫米）")
    y: float = _n("上边（毫米）")
    width_mm: float = _n("宽（毫米）")
    height_mm: float = _n("高（毫米）")
    columns: int = spec("列数", "int", required=True)
    rows: int = spec("行数", "int", required=True)
    gap_mm: float = _n("格子之间（毫米）")


@dataclass
class Hotline:
    """The hotline (公共法律服务热线): a label and the number, each fitted."""

    hotline_text: str = spec("热线的称谓", "text", default="公共法律服务热线")
    hotline_gap_mm: float = _n("称谓和号码同一行时之间的距离（毫米）")
    hotline_label: BoxSpec = _box("热线称谓的文字框（宽度由程序给出）")
    hotline_number: BoxSpec = _box("热线号码的文字框（宽度由程序给出）")


@dataclass
class Font:
    family: str = spec("fontconfig 里有中文字形的字体族", "text", default="Noto Sans CJK SC")
    file: str | None = spec("字体文件（相对本文件夹），代替 family", "text")
    bold_file: str | None = spec("粗体字体文件（相对本文件夹）", "text")


@dataclass
class Band:
    """The header band of posters, boards and the pack cover."""

    x: float = _n("页眉的左边和上边；宽度是画面宽减去两倍")
    pad_mm: float = _n("页眉内边距（毫米）")
    gap_mm: float = _n("标题和标语之间（毫米）")
    org: BoxSpec = _box("发布单位")
    title: BoxSpec = _box("标题")
    slogan: BoxSpec = _box("标语")


@dataclass
class Poster(Hotline):
    """Shared by the posters and the board."""

    qr_gap_mm: float = _n("热线在二维码右边，离二维码（毫米）")
    hotline_dy_mm: float = _n("热线离二维码上边（毫米），在“扫码阅读全文”下面")
    edition_bottom_mm: float = _n("版次行的上边离页面底边（毫米）")
    edition: BoxSpec = _box("版次行")


@dataclass
class CasePoster:
    title: BoxSpec = _box("案例标题")
    summary: BoxSpec = _box("要点")
    meta: BoxSpec = _box("标题下的类别和日期")
    meta_gap_mm: float = _n("类别和日期离标题（毫米）")
    law: BoxSpec = _box("法律依据")
    qr: Place = spec("二维码", "struct", struct=Place, required=True)
    qr_gap_mm: float = _n("页脚在二维码右边，离二维码（毫米）")
    adv_label: BoxSpec = _box("村版海报页脚的顾问称谓")
    adv_name: BoxSpec = _box("村版海报页脚的顾问姓名和电话")
    hotline_y: float = _n("热线的上边（毫米）")
    hotline_y_advisor: float = _n("村版海报（有顾问）热线的上边（毫米）")


@dataclass
class CutNotice:
    """“以上为节选，扫码阅读全文” between the body and the negative list."""

    x: float = _n("左边（毫米）")
    height_mm: float = _n("自己占的高度（毫米）")
    gap_mm: float = _n("离负面清单框（毫米）")
    body_gap_mm: float = _n("离正文最后一行（毫米）")


@dataclass
class RulesPoster:
    title: BoxSpec = _box("标题")
    content: Span = spec("正文和负面清单所占的高度", "struct", struct=Span, required=True)
    body: BoxSpec = _box("正文（高度是负面清单上面剩下的）")
    body_min_mm: float = _n("剩下的高度小于这个（毫米）就不印正文，只注明扫码阅读全文")
    negative: BoxSpec = _box("负面清单（多于 8 项分两栏）")
    negative_pad_mm: float = _n("负面清单最后一行离内容区底边（毫米）")
    negative_label_mm: float = _n("负面清单框内、清单上面标签的高度（毫米）")
    cut_notice: CutNotice = spec("节选说明", "struct", struct=CutNotice, required=True)
    qr: Place = spec("二维码", "struct", struct=Place, required=True)


@dataclass
class Board(Hotline):
    """The contact board: a grid of people, boxes placed from each cell's corner."""

    grid: Grid = spec("人员格子", "struct", struct=Grid, required=True)
    role: BoxSpec = _box("身份（x、y 从格子左上角算；宽度是格子宽减两倍 name 的 x）")
    name: BoxSpec = _box("姓名")
    phone: BoxSpec = _box("电话")
    org: BoxSpec = _box("单位")
    hours: BoxSpec = _box("服务时间")
    duties: BoxSpec = _box("职责")
    more_gap_mm: float = _n("人员放不下时“其余请扫码”一行离格子底边（毫米）")
    qr: Place = spec("二维码", "struct", struct=Place, required=True)
    hotline_inset_mm: float = _n("热线比二维码每边宽出（毫米）")
    hotline_dy_mm: float = _n("热线离二维码下边（毫米）")


@dataclass
class ServiceMap:
    """The service map: one entry per service point, boxes placed from the entry's corner."""

    list: Area = spec("服务点列表所占的区域", "struct", struct=Area, required=True)
    heading: BoxSpec = _box("标题")
    name: BoxSpec = _box("服务点名称（x、y 从条目左上角算）")
    line: BoxSpec = _box("地址和开放时间（x 从条目左边算）")
    phone: BoxSpec = _box("电话（x 从条目左边算）")
    line_gap_mm: float = _n("名称、地址、电话之间和电话下面（毫米）")
    entry_gap_mm: float = _n("条目之间（毫米）")
    qr: Place = spec("二维码", "struct", struct=Place, required=True)


@dataclass
class Column:
    head: str = spec("表头", "text", required=True)
    width_mm: float = _n("列宽（毫米）")


TABLE_COLUMNS = ("index", "title", "size", "pages", "copies")


@dataclass
class Table:
    x: float = _n("左边（毫米）")
    gap_mm: float = _n("表格上面、表格和说明之间（毫米）")
    head_mm: float = _n("表头高（毫米）")
    pad_mm: float = _n("每格内边距（毫米）")
    columns: dict[str, Column] = spec(
        "各列（index 序号、title 内容、size 纸张、pages 页数、copies 打印份数），按顺序排列",
        "map",
        struct=Column,
        required=True,
    )


@dataclass
class PackCover:
    title: str = spec("封面标题", "text", default="打印资料包")
    village: BoxSpec = _box("村名")
    meta_gap_mm: float = _n("版次和页数离村名（毫米）")
    meta: BoxSpec = _box("版次和页数")
    table: Table = spec("内容表格", "struct", struct=Table, required=True)
    cell: BoxSpec = _box("表格每格（宽度是列宽减两倍内边距）")
    notes: BoxSpec = _box("下方的说明")
    notes_text: list[str] = spec("说明的各行（最后一行后面接热线）", "texts", required=True)


@dataclass
class Card(Hotline):
    """便民卡 90 × 54 mm, in trim coordinates."""

    safe_mm: float = _n("文字和二维码离裁切线至少这么远（毫米）：离得更近时本文件报错")
    qr: CardQr = spec("二维码（背面）", "struct", struct=CardQr, required=True)
    org: BoxSpec = _box("背面的发布单位")
    promise: BoxSpec = _box("背面的服务承诺")
    promise_gap_mm: float = _n("服务点离服务承诺（毫米）")
    service: BoxSpec = _box("背面的就近服务点（y 接在承诺下面；高度最多 height_mm）")
    text_bottom_mm: float = _n("背面文字的下边（毫米）")
    band_right: BoxSpec = _box("右上角的村名")
    adv_role: BoxSpec = _box("法律顾问的称谓")
    adv_name: BoxSpec = _box("法律顾问的姓名")
    adv_phone: BoxSpec = _box("法律顾问的电话")
    adv_org: BoxSpec = _box("法律顾问的单位")
    other: BoxSpec = _box("调解员、网格员（第一行）")
    other_step_mm: float = _n("调解员、网格员每行之间（毫米）")
    hotline: Line = spec("卡片底部的热线", "struct", struct=Line, required=True)


@dataclass
class PersonCard:
    """The contact card of one person (90 × 54 mm); its band as the village card's."""

    name: BoxSpec = _box("姓名")
    name_gap_mm: float = _n("电话离姓名（毫米）")
    phone: BoxSpec = _box("电话（y 接在姓名下面）")
    gap_mm: float = _n("电话、单位、服务时间之间（毫米）")
    org: BoxSpec = _box("单位（高度最多 height_mm）")
    hours: BoxSpec = _box("服务时间（高度最多 height_mm）")
    hours_min_mm: float = _n("剩下不到这么高（毫米）就不印服务时间")
    text_bottom_mm: float = _n("文字的下边（毫米）")
    edition: BoxSpec = _box("底部的发布单位和版次")
    qr: CardQr = spec("二维码", "struct", struct=CardQr, required=True)


@dataclass
class CardSheet:
    """The A4 sheet of cards: 10 on shared cut lines, or 8 with bleed."""

    bleed_mm: float = _n("每张 8 张卡时每张卡的出血（毫米）")
    mark_len_mm: float = _n("裁切标记的长度（毫米）")
    mark_gap_mm: float = _n("裁切标记离出血（毫米）")
    mark_width_mm: float = _n("裁切标记的线宽（毫米）")
    edition: BoxSpec = _box("拼版页下方的版次（在前两个裁切标记之间）")
    edition_inset_mm: float = _n("版次离裁切标记（毫米）")


@dataclass
class Layout:
    """All of ``layout.yml``. A section's YAML key is its field name with ``-`` for ``_``
    (``case-poster``); other keys are their field names."""

    font: Font = spec("印刷字体", "struct", struct=Font)
    series: str = spec("以案释法海报的系列名", "text", default="以案释法")
    board_title: str = spec("联系公示牌的标题", "text", default="法律服务联系公示牌")
    map_title: str = spec("服务圈海报的标题", "text", default="十分钟法律服务圈")
    slogan: str = spec("页眉标语", "text", default="")
    qr_level: str = spec(
        "海报二维码的纠错等级：Q 或 H", "text", choices=("M", "Q", "H"), default="Q"
    )
    scan_caption: str = spec("二维码下的说明", "text", default="扫码阅读全文")
    poster_safe_mm: float = _n("海报、公示牌和封面的文字离裁切线至少（毫米）")
    band: Band = spec("页眉", "struct", struct=Band, required=True)
    poster: Poster = spec("海报和公示牌共用", "struct", struct=Poster, required=True)
    case_poster: CasePoster = spec("以案释法海报", "struct", struct=CasePoster, required=True)
    rules_poster: RulesPoster = spec("村规民约海报", "struct", struct=RulesPoster, required=True)
    board: Board = spec("联系公示牌", "struct", struct=Board, required=True)
    service_map: ServiceMap = spec("服务圈海报", "struct", struct=ServiceMap, required=True)
    pack_cover: PackCover = spec("资料包封面", "struct", struct=PackCover, required=True)
    card: Card = spec("便民卡", "struct", struct=Card, required=True)
    person_card: PersonCard = spec("人员联系卡", "struct", struct=PersonCard, required=True)
    card_sheet: CardSheet = spec("便民卡拼版页", "struct", struct=CardSheet, required=True)


def _top_keys() -> dict[str, tuple[str, Spec]]:
    return {
        (name.replace("_", "-") if s.kind == "struct" else name): (name, s)
        for name, s in specs(Layout).items()
    }


class LayoutError(ConfigError):
    """layout.yml does not validate: every problem, each ``path:line: key: message``."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(
            f"印刷版式 layout.yml 有 {len(self.problems)} 个问题，请按提示修改：\n{lines}"
        )


def load_layout(files: list[tuple[Path, str]]) -> Layout:
    """Merge the layout files (``(path, shown path)``, default first; a missing file other
    than the first is skipped) and validate the result. Raises :class:`LayoutError` with
    every problem, each in the file that holds its key."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    merged = Source("")
    origin: dict[str, str] = {}
    for i, (path, rel) in enumerate(files):
        if not path.is_file():
            if i == 0:
                problems.append(Problem(rel, 1, FILE_KEY, "找不到印刷版式文件（默认样式必须有）"))
            continue
        src = load_source(path, rel, problems, whole_yaml=True)
        if src is None:
            continue
        if not isinstance(src.data, dict):
            problems.append(Problem(rel, 1, FILE_KEY, "应为一组“键: 值”"))
            continue
        _merge(data, src.data)
        merged.lines.update(src.lines)
        merged.raw.update(src.raw)
        origin.update(dict.fromkeys(src.lines, rel))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise LayoutError(errors)
    layout = _build(data, merged, problems)
    problems += _checks(layout, merged)
    errors = [_located(p, origin, files[0][1]) for p in _typos_only(problems) if not p.warning]
    if errors:
        raise LayoutError(errors)
    return layout


_SUGGESTION = re.compile(r"不认识的键“[^”]*”，是不是“([^”]*)”？")


def _typos_only(problems: list[Problem]) -> list[Problem]:
    """Leave out “缺少必填项” for a key whose misspelling is reported: ``maxpt: 30`` is one
    problem, not two."""
    meant = set()
    for p in problems:
        m = _SUGGESTION.fullmatch(p.message)
        if m:
            meant.add(p.key.rpartition(".")[0] + ("." if "." in p.key else "") + m.group(1))
    return [p for p in problems if not (p.key in meant and p.message.startswith("缺少必填项"))]


def _build(data: dict[str, Any], src: Source, problems: list[Problem]) -> Layout:
    """schema.build for the top level, whose section keys have hyphens."""
    keys = _top_keys()
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        line = src.lines.get(str(key), 1)
        if key not in keys:
            problems.append(Problem(src.path, line, str(key), suggest(str(key), list(keys))))
            continue
        name, s = keys[key]
        try:
            kwargs[name] = convert(s, value, src, key, problems)
        except ValueError as exc:
            problems.append(Problem(src.path, line, key, str(exc)))
    for key, (_, s) in keys.items():
        if s.required and key not in data:
            problems.append(Problem(src.path, 1, key, f"缺少必填项（{s.doc}）"))
    return Layout(**kwargs)


def _checks(layout: Layout, src: Source) -> list[Problem]:
    """What a single key cannot say: size ranges, table columns, the card's safe margin."""
    out: list[Problem] = []

    def at(key: str, message: str) -> None:
        parts = key.split(".")
        line = next(
            (
                src.lines[k]
                for n in range(len(parts), 0, -1)
                if (k := ".".join(parts[:n])) in src.lines
            ),
            1,
        )
        out.append(Problem(src.path, line, key, message))

    for key, box in _boxes(layout, ""):
        if box.min_pt is not None and box.max_pt is not None and box.min_pt > box.max_pt:
            at(f"{key}.min_pt", f"最小字号 {box.min_pt:g} 大于最大字号 max_pt {box.max_pt:g}")
        if box.columns < 1:
            at(f"{key}.columns", "栏数至少是 1")
    columns = layout.pack_cover.table.columns
    for name in columns:
        if name not in TABLE_COLUMNS:
            at(f"pack-cover.table.columns.{name}", suggest(name, list(TABLE_COLUMNS)))
    for name in TABLE_COLUMNS:
        if columns and name not in columns:
            at("pack-cover.table.columns", f"缺少列 {name}")
    safe = layout.card.safe_mm
    if safe is not None:
        cards: tuple[tuple[str, Card | PersonCard], ...] = (
            ("card", layout.card),
            ("person-card", layout.person_card),
        )
        for section, product in cards:
            for key, box in _boxes(product, f"{section}."):
                if box.x is not None and box.width_mm is not None and box.x < safe:
                    at(f"{key}.x", f"离裁切线不到安全边距 card.safe_mm（{safe:g} 毫米）")
                right = (box.x or 0) + (box.width_mm or 0)
                if box.width_mm is not None and right > CARD_W - safe:
                    at(
                        f"{key}.width_mm",
                        f"右边到 {right:g} 毫米，"
                        f"离裁切线不到安全边距 card.safe_mm（{safe:g} 毫米）",
                    )
            qr = product.qr
            if qr.right_mm is not None and qr.right_mm < safe:
                at(f"{section}.qr.right_mm", f"离裁切线不到安全边距 card.safe_mm（{safe:g} 毫米）")
    return out


def _boxes(obj: Any, prefix: str) -> list[tuple[str, BoxSpec]]:
    """Every text box under a section, with its dotted key."""
    out: list[tuple[str, BoxSpec]] = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name.replace('_', '-') if not prefix else f.name}"
        if isinstance(value, BoxSpec):
            out.append((key, value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out += _boxes(value, f"{key}.")
    return out


def _located(p: Problem, origin: dict[str, str], default: str) -> Problem:
    """The problem in the file that holds its key (or the nearest key above it)."""
    if p.path:
        return p
    parts = p.key.split(".")
    for n in range(len(parts), 0, -1):
        rel = origin.get(".".join(parts[:n]))
        if rel:
            return dataclasses.replace(p, path=rel)
    return dataclasses.replace(p, path=default)


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v
