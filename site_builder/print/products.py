"""The print products, one planning function each, in one dispatch table.

Planning is pure: it decides every artifact, fits every text with the real font metrics and
returns template contexts. Rendering (render.py) only draws what was planned.
"""

from __future__ import annotations

import re
from typing import Any

from ..content import Case, Content, Village
from ..content.labels import own, rules_label
from ..content.laws.cited import normalised_citations
from ..content.text import join_cjk_lines
from ..content.urls import entity_url
from ..qr import qr_matrix, qr_png_uri
from .artifact import PAPER_MM, PNG_WIDTH, Artifact
from .fonts import missing_glyphs
from .layout import BoxSpec, Hotline, Place
from .qr import pixel_exact_size
from .registry import Product
from .textfit import PT_TO_MM, Box, Fitted, fit
from .theme import PrintTheme

A4 = PAPER_MM["A4"]
EDITION_DATE = "0000-00-00"  # the edition sample's date; the template swaps the real one in
A4_TO_A3 = min(PAPER_MM["A3"][0] / A4[0], PAPER_MM["A3"][1] / A4[1])


class Planner:
    """Shared state of one planning run: content, theme, metrics, site URL and paper."""

    def __init__(
        self,
        content: Content,
        theme: PrintTheme,
        site_url: str,
        catalog: dict[str, Product] | None = None,
    ) -> None:
        self.content = content
        self.catalog = catalog or {}  # kind → record (catalog.py), handed in: no cycle
        self.theme = theme
        self.metrics = theme.metrics()
        self.bold = theme.bold_metrics()
        self.site_url = site_url
        self.paper = content.site.print.paper
        self.layout = theme.layout

    def name(self, kind: str, village: Village | None = None) -> str:
        """The one Chinese name of a product (for a village of its kind)."""
        record = self.catalog.get(kind)
        if record is None:
            return kind
        return record.name_for(village.kind if village else None)

    def url(self, folder: str, ident: str) -> str:
        return self.site_url + entity_url(folder, ident)

    def base(
        self,
        kind: str,
        stem: str,
        source: str,
        landscape: bool,
        qr: list[str],
        village: Village | None,
    ) -> Artifact:
        """An artifact with its sheet geometry and the context every product shares."""
        w, h = (A4[1], A4[0]) if landscape else A4
        scale = A4_TO_A3 if self.paper == "A3" else 1.0
        trim = PAPER_MM[self.paper]
        size = (trim[1], trim[0]) if landscape else trim
        sheet = ("a3" if self.paper == "A3" else "a4") + ("l" if landscape else "p")
        a = Artifact(
            kind,
            stem,
            source,
            f"{kind}.html.j2",
            size,
            qr,
            village=village.id if village else None,
            landscape=landscape,
        )
        a.context = {
            "sheet": sheet,
            "scale": scale,
            "canvas_w": w,
            "canvas_h": h,
            "org": self.content.org_for(village),
            "hotline": self.content.site.hotline,
            "slogan": self.layout.slogan,
            "series": self.layout.series,
            "scan_caption": self.layout.scan_caption,
            "board_title": self.layout.board_title,
            "map_title": self.layout.map_title,
            "village_name": village.name if village else "",
        }
        return a

    def qr(self, a: Artifact, url: str, place: Place) -> dict[str, Any]:
        """A QR code placed so that each module is a whole number of PNG pixels."""
        matrix = qr_matrix(a.encoded(url), self.layout.qr_level)
        ppm = PNG_WIDTH / a.context["canvas_w"]
        size, _ = pixel_exact_size(len(matrix), place.size_mm, ppm)
        x = round(place.x * ppm) / ppm
        y = round(place.y * ppm) / ppm
        return {
            "x": round(x, 4),
            "y": round(y, 4),
            "size": round(size, 4),
            "png": qr_png_uri(matrix),
            "modules": len(matrix),
        }

    def box(self, spec: BoxSpec, **override: float) -> tuple[Box, dict[str, Any]]:
        """The fitting box of a layout box (``override``: sizes known only when planning)
        and its position."""
        return spec.box(**override), {"x": spec.x or 0.0, "y": spec.y or 0.0}

    def fit(
        self, a: Artifact, label: str, paragraphs: list[str], box: Box, x: float, y: float
    ) -> dict[str, Any]:
        """Fit paragraphs into a box at (x, y); note a shrink to the floor, a wrap or a cut,
        and characters the print font does not have."""
        f = fit(self.bold if box.bold else self.metrics, paragraphs, box)
        if f.cut:
            a.notes.append(
                f"{label}太长，缩小到 {box.min_pt:g} pt 并换行后仍印不下，末尾已省略（以“……”结尾）"
            )
        elif f.wrapped:
            lines = sum(len(p) for p in f.paragraphs)
            a.notes.append(f"{label}较长，缩小到 {box.min_pt:g} pt 后分 {lines} 行印")
        elif f.at_floor and box.max_pt > box.min_pt:
            a.notes.append(f"{label}较长，已缩小到最小字号 {box.min_pt:g} pt")
        missing = missing_glyphs("".join(paragraphs), self.theme.font)
        if missing:
            a.notes.append(
                f"{label}中的“{'”“'.join(missing)}”印刷字体里没有，印出来是空框，请改用文字"
            )
        return placed(f, box, x, y)

    def line(
        self, a: Artifact, spec: BoxSpec, label: str, text: str, **at: float
    ) -> dict[str, Any]:
        """One text fitted into its box of layout.yml (``at`` overrides)."""
        box, pos = self.box(spec, **{k: v for k, v in at.items() if k not in "xy"})
        pos.update({k: v for k, v in at.items() if k in ("x", "y")})
        out = self.fit(a, label, [text], box, float(pos["x"]), float(pos["y"]))
        out["align"] = spec.align
        return out

    def hotline(
        self,
        a: Artifact,
        spec: Hotline,
        x: float,
        y: float,
        width: float,
        stack: bool = False,
        number: str | None = None,
    ) -> dict[str, Any]:
        """The hotline: a label and the number, each fitted (``hotline_label`` and
        ``hotline_number`` of the product). Side by side when both fit on one line at the
        label's size and the number's floor, otherwise (or with ``stack``) the number under
        the label; ``align`` of the boxes applies to both."""
        label = spec.hotline_text
        number = str(a.context["hotline"]) if number is None else number
        lb, _ = self.box(spec.hotline_label, width_mm=width)
        nb, _ = self.box(spec.hotline_number, width_mm=width)
        gap = spec.hotline_gap_mm
        label_w = self.metrics.width_mm(label, lb.max_pt)
        room = width - label_w - gap
        side = not stack and self.bold.width_mm(number, nb.min_pt) <= room
        if side:
            n_w = min(room, self.bold.width_mm(number, nb.max_pt))
            # the number's line is taller: the label sits on the same baseline (≈ 0.8 em)
            n_h = nb.max_pt * PT_TO_MM * nb.line_height
            l_h = lb.max_pt * PT_TO_MM * lb.line_height
            lab = self.line(
                a,
                spec.hotline_label,
                "热线称谓",
                label,
                x=x,
                y=y + (n_h - l_h) * 0.8,
                width_mm=label_w,
            )
            num = self.line(
                a,
                spec.hotline_number,
                "热线号码",
                number,
                x=x + label_w + gap,
                y=y,
                width_mm=n_w,
            )
        else:
            lab = self.line(a, spec.hotline_label, "热线称谓", label, x=x, y=y, width_mm=width)
            num = self.line(
                a,
                spec.hotline_number,
                "热线号码",
                number,
                x=x,
                y=y + lab["used_mm"],
                width_mm=width,
            )
        return {"label": lab, "number": num, "bottom": num["y"] + num["used_mm"]}

    def edition(self, a: Artifact, spec: BoxSpec, prefix: str, **at: float) -> dict[str, Any]:
        """The edition line ``prefix + 版次 <edition>``, fitted for the widest edition (the
        edition is known only when rendering); the template swaps in the real one with the
        ``edition`` filter."""
        sample = self.edition_sample
        out = self.line(a, spec, "底部的版次", f"{prefix}版次 {sample}", **at)
        out["sample"] = sample
        return out

    @property
    def edition_sample(self) -> str:
        """The widest edition: a date and eight of the widest hex digit."""
        if not hasattr(self, "_edition_sample"):
            widest = max("0123456789abcdef", key=lambda ch: self.metrics.width_mm(ch, 10))
            self._edition_sample = EDITION_DATE + " " + widest * 8
        return self._edition_sample

    def band(self, a: Artifact, title: str) -> None:
        """The header band: the organisation, the title and the slogan, side by side and
        fitted, so a long village name never runs into the slogan."""
        spec = self.layout.band
        inner = a.context["canvas_w"] - 2 * spec.x - 2 * spec.pad_mm
        left = spec.x + spec.pad_mm
        org = self.line(
            a, spec.org, "页眉的发布单位", str(a.context["org"]), x=left, width_mm=inner
        )
        slogan = None
        text = str(a.context["slogan"])
        room = inner
        if text:
            sb, _ = self.box(spec.slogan, width_mm=1.0)
            width = self.metrics.width_mm(text, sb.max_pt)
            room = inner - width - spec.gap_mm
            tb, _ = self.box(spec.title, width_mm=1.0)
            if self.bold.width_mm(title, tb.min_pt) > room:  # no room for both: no slogan
                a.notes.append("页眉标题较长，页眉不印标语")
                text, room = "", inner
            else:
                slogan = self.line(
                    a, spec.slogan, "页眉标语", text, x=left + inner - width, width_mm=width
                )
        title_f = self.line(a, spec.title, "页眉标题", title, x=left, width_mm=room)
        a.context["band"] = {"org": org, "title": title_f, "slogan": slogan}


def placed(f: Fitted, box: Box, x: float, y: float) -> dict[str, Any]:
    """Template data of a fitted box."""
    colw = (box.width_mm - box.gap_mm * (box.columns - 1)) / box.columns
    lines = max((sum(len(p) for p in col) for col in f.columns), default=0)
    return {
        "x": x,
        "y": y,
        "w": box.width_mm,
        "h": box.height_mm,
        "size": f.size_pt,
        "lh": box.line_height,
        "columns": f.columns,
        "gap": box.gap_mm,
        "colw": round(colw, 3),
        "cut": f.cut,
        "used_mm": lines * f.size_pt * PT_TO_MM * box.line_height,
        "bold": box.bold,
        "align": "left",
    }


def footer(
    p: Planner,
    a: Artifact,
    x: float,
    y: float,
    width: float | None = None,
    hotline: Hotline | None = None,
    stack: bool = False,
) -> None:
    """A poster's hotline at (x, y), ``width`` wide or to the safe margin, and its edition
    line at the foot of the page."""
    safe = p.layout.poster_safe_mm
    spec = p.layout.poster
    w = a.context["canvas_w"] - safe - x if width is None else width
    a.context["hotline_f"] = p.hotline(a, hotline or spec, x, y, w, stack=stack)
    ex = spec.edition.x or 0.0
    a.context["edition_f"] = p.edition(
        a,
        spec.edition,
        f"{a.context['org']} · ",
        y=a.context["canvas_h"] - spec.edition_bottom_mm,
        width_mm=a.context["canvas_w"] - safe - ex,
    )


def qr_footer(p: Planner, a: Artifact) -> None:
    """The hotline right of a poster's QR code, below its caption."""
    q, spec = a.context["qr"], p.layout.poster
    footer(p, a, q["x"] + q["size"] + spec.qr_gap_mm, q["y"] + spec.hotline_dy_mm)


_MD_MARKS = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s?)|\*\*|__|`|!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_paragraphs(markdown: str) -> list[str]:
    """Markdown body → plain paragraphs for print (marks removed, soft breaks joined)."""
    text = join_cjk_lines(markdown.strip())
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_MD_MARKS.sub("", _MD_LINK.sub(r"\1", ln)).strip() for ln in block.split("\n")]
        para = " ".join(ln for ln in lines if ln)
        if para:
            out.append(para)
    return out


# --- products --------------------------------------------------------------------------


def case_posters(p: Planner) -> list[Artifact]:
    """A case poster per case, and a variant per village it lists (that village's advisor)."""
    out = []
    for case in sorted(p.content.cases.values(), key=lambda c: c.id):
        out.append(_case_poster(p, case, None))
        for vid in case.villages:
            if vid in p.content.villages:
                out.append(_case_poster(p, case, p.content.villages[vid]))
    return out


def _case_poster(p: Planner, case: Case, village: Village | None) -> Artifact:
    stem = f"{case.id}--{village.id}" if village else case.id
    url = p.url("cases", case.id)
    a = p.base("case-poster", stem, case.source, False, [url], village)
    spec = p.layout.case_poster
    p.band(a, str(a.context["series"]))
    box, pos = p.box(spec.title)
    a.context["title"] = p.fit(a, "标题", [case.title], box, **pos)
    box, pos = p.box(spec.summary)
    a.context["summary"] = p.fit(a, "要点（summary）", [case.summary], box, **pos)
    a.context["law"] = None
    if case.law:
        box, pos = p.box(spec.law)
        laws = p.content.laws
        # The official title once, then the articles: the same citations as the case page.
        cited = normalised_citations(case, laws) if laws else list(case.law)
        a.context["law"] = p.fit(a, "法律依据（law）", cited, box, **pos)
    a.context["title_text"] = case.title
    t = a.context["title"]
    a.context["meta"] = p.line(
        a,
        spec.meta,
        "标题下的类别和日期",
        f"{case.category} · {case.date.isoformat()}",
        y=t["y"] + t["used_mm"] + spec.meta_gap_mm,
    )
    a.context["advisor"] = None
    a.context["qr"] = q = p.qr(a, url, spec.qr)
    fx = q["x"] + q["size"] + spec.qr_gap_mm
    fw = a.context["canvas_w"] - p.layout.poster_safe_mm - fx
    a.context["footer_x"] = round(fx, 3)
    a.context["hotline_y"] = spec.hotline_y
    if village:
        first = p.content.advisors[village.advisors[0]]
        label = f"{own(village.kind)}法律顾问"
        a.context["advisor"] = {
            "label": p.line(a, spec.adv_label, "页脚的顾问称谓", f"{label}：", x=fx, width_mm=fw),
            "name": p.line(
                a,
                spec.adv_name,
                "页脚的顾问姓名和电话",
                f"{first.name} {first.phone}",
                x=fx,
                width_mm=fw,
            ),
        }
        a.context["hotline_y"] = spec.hotline_y_advisor
    footer(p, a, fx, a.context["hotline_y"])
    return a


def rules_posters(p: Planner) -> list[Artifact]:
    """A rules poster per village with rules: body, negative list, QR to the village page."""
    out = []
    L = "rules-poster"
    spec = p.layout.rules_poster
    for vid, rules in sorted(p.content.rules.items()):
        village = p.content.villages[vid]
        url = p.url("villages", vid)
        a = p.base(L, vid, rules.source, False, [url], village)
        box, pos = p.box(spec.title)
        a.context["title"] = p.fit(a, "标题", [p.content.rules_title(rules)], box, **pos)
        adopted = rules.adopted.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
        a.context["adopted"] = (
            f"{adopted}经{rules.adopted_by}通过" if rules.adopted_by else f"{adopted}通过"
        )
        a.context["kind_label"] = rules_label(village.kind)
        p.band(a, a.context["kind_label"] + "公示")
        top, bottom = spec.content.y, spec.content.bottom
        label_mm = spec.negative_label_mm
        notice = spec.cut_notice
        notice_h, notice_gap = notice.height_mm, notice.gap_mm
        a.context["negative"] = None
        a.context["cut"] = False
        frame_top = bottom  # top of the 负面清单 box (its border), or the content's bottom
        if rules.negative_list:
            items = [f"{i}. {t}" for i, t in enumerate(rules.negative_list, 1)]
            cols = 1 if len(items) <= 8 else 2
            box, pos = p.box(spec.negative, columns=cols)
            f = p.fit(a, "负面清单", items, box, pos["x"], 0)
            f["y"] = round(bottom - f["used_mm"] - spec.negative_pad_mm, 3)
            a.context["negative"] = f
            a.context["cut"] = f["cut"]
            frame_top = f["y"] - label_mm
        a.context["body"] = None
        paras = plain_paragraphs(rules.body)
        room = frame_top - notice_gap - top
        notes = len(a.notes)
        if paras and room >= spec.body_min_mm:
            box, pos = p.box(spec.body, height_mm=room)
            f = fit_body = p.fit(a, "正文", paras, box, pos["x"], top)
            if f["cut"]:  # the cut notice gets its own room between the body and the list
                del a.notes[notes:]
                box, pos = p.box(spec.body, height_mm=room - notice_h)
                fit_body = p.fit(a, "正文", paras, box, pos["x"], top)
                a.notes[-1] = "正文太长，海报上只印了前面部分，注明“以上为节选，扫码阅读全文”"
                a.context["cut"] = True
            a.context["body"] = fit_body
        elif paras:
            a.context["cut"] = True
            a.notes.append("负面清单很长，正文没有位置，海报上注明“扫码阅读全文”")
        body = a.context["body"]
        cut_y = (body["y"] + body["used_mm"] + notice.body_gap_mm) if body else top
        a.context["cut_at"] = {
            "x": notice.x,
            "y": round(min(cut_y, frame_top - notice_gap - notice_h), 3),
        }
        a.context["qr"] = p.qr(a, url, spec.qr)
        qr_footer(p, a)
        out.append(a)
    return out


def boards(p: Planner) -> list[Artifact]:
    """A contact board (联系公示牌) per village: advisors, chief adviser, mediators."""
    out = []
    L = "board"
    spec = p.layout.board
    grid = spec.grid
    cols, rows, gap = grid.columns, grid.rows, grid.gap_mm
    cw = (grid.width_mm - gap * (cols - 1)) / cols
    ch = (grid.height_mm - gap * (rows - 1)) / rows
    for vid, village in sorted(p.content.villages.items()):
        url = p.url("villages", vid)
        a = p.base(L, vid, village.source, True, [url], village)
        p.band(a, f"{a.context['board_title']} · {village.name}")
        labels = {"advisors": "法律顾问", "chief_adviser": "司法总顾问", "mediators": "人民调解员"}
        people = [(labels[s], per) for s, per in p.content.people_of(village) if s in labels]
        cells = []
        for i, (role, person) in enumerate(people[: cols * rows]):
            x = grid.x + (i % cols) * (cw + gap)
            y = grid.y + (i // cols) * (ch + gap)
            cell: dict[str, Any] = {
                "x": x,
                "y": y,
                "w": cw,
                "h": ch,
                "role": role,
                "name": person.name,
                "phone": person.phone,
            }
            w = cw - 2 * (spec.name.x or 0.0)

            def at(box: BoxSpec, cx: float = x, cy: float = y, w: float = w) -> dict[str, float]:
                return {"x": cx + (box.x or 0.0), "y": cy + (box.y or 0.0), "width_mm": w}

            who = person.name
            cell["role_f"] = p.line(a, spec.role, f"{who}的身份", role, **at(spec.role))
            cell["name_f"] = p.line(a, spec.name, f"{who}的姓名", who, **at(spec.name))
            cell["phone_f"] = p.line(
                a, spec.phone, f"{who}的电话", f"☎ {person.phone}", **at(spec.phone)
            )
            cell["org"] = p.line(a, spec.org, f"{who}的单位", person.org or "", **at(spec.org))
            cell["hours"] = (
                p.line(
                    a,
                    spec.hours,
                    f"{who}的服务时间",
                    f"服务时间：{person.hours}",
                    **at(spec.hours),
                )
                if person.hours
                else None
            )
            duties = "职责：" + "、".join(person.duty_list)
            cell["duties"] = p.line(a, spec.duties, f"{who}的职责", duties, **at(spec.duties))
            cells.append(cell)
        a.context["cells"] = cells
        extra = len(people) - len(cells)
        a.context["more"] = (
            {
                "count": extra,
                "x": grid.x,
                "y": grid.y + grid.height_mm + spec.more_gap_mm,
            }
            if extra
            else None
        )
        if extra:
            a.notes.append(f"人员超过 {len(cells)} 位，其余 {extra} 位请扫码查看")
        a.context["qr"] = q = p.qr(a, url, spec.qr)
        d = spec.hotline_inset_mm
        footer(
            p,
            a,
            q["x"] - d,
            q["y"] + q["size"] + spec.hotline_dy_mm,
            q["size"] + 2 * d,
            spec,
            True,
        )
        out.append(a)
    return out


def service_maps(p: Planner) -> list[Artifact]:
    """A service map (十分钟法律服务圈) per village with service points."""
    out = []
    L = "service-map"
    spec = p.layout.service_map
    area = spec.list
    for vid, village in sorted(p.content.villages.items()):
        services = p.content.services_of(village)
        if not services:
            continue
        url = p.url("villages", vid)
        a = p.base(L, vid, village.source, False, [url], village)
        p.band(a, str(a.context["map_title"]))
        a.context["heading"] = p.line(a, spec.heading, "标题", f"{village.name}身边的法律服务")
        x, y, w, bottom = area.x, area.y, area.width_mm, area.bottom
        gap = spec.line_gap_mm
        cards: list[dict[str, Any]] = []
        for s in services:
            nb, at = p.box(spec.name)
            name_y = y + at["y"]
            name = p.fit(a, f"服务点“{s.name}”的名称", [s.name], nb, x + at["x"], name_y)
            lb, at = p.box(spec.line)
            lines = [f"地址：{s.address}"] if s.address else []
            if s.hours:
                lines.append(f"开放时间：{s.hours}")
            body_y = name_y + name["used_mm"] + gap
            body = p.fit(a, f"服务点“{s.name}”的地址", lines or [""], lb, x + at["x"], body_y)
            phone_y = body_y + body["used_mm"] + gap
            phone = p.line(
                a,
                spec.phone,
                f"服务点“{s.name}”的电话",
                f"☎ {s.phone}",
                x=x + (spec.phone.x or 0.0),
                y=phone_y,
            )
            height = phone_y + phone["used_mm"] + gap - y
            if y + height > bottom:
                break
            cards.append(
                {
                    "x": x,
                    "y": y,
                    "w": w,
                    "h": height,
                    "type": s.type,
                    "name": name,
                    "lines": body,
                    "phone": phone,
                }
            )
            y += height + spec.entry_gap_mm
        a.context["services"] = cards
        extra = len(services) - len(cards)
        a.context["more"] = {"count": extra, "x": x, "y": y} if extra else None
        if extra:
            a.notes.append(f"服务点太多，其余 {extra} 个请扫码查看")
        a.context["qr"] = p.qr(a, url, spec.qr)
        qr_footer(p, a)
        out.append(a)
    return out
