"""The print products, one planning function each, in one dispatch table.

Planning is pure: it decides every artifact, fits every text with the real font metrics and
returns template contexts. Rendering (render.py) only draws what was planned.
"""

from __future__ import annotations

import re
from typing import Any

from ..content import Case, Content, Village
from ..pages.text import join_cjk_lines
from ..pages.urls import entity_url
from .artifact import PAPER_MM, PNG_WIDTH, Artifact
from .qr import pixel_exact_size, qr_matrix, qr_png_uri
from .textfit import PT_TO_MM, Box, Fitted, fit
from .theme import PrintTheme

A4 = PAPER_MM["A4"]
A4_TO_A3 = min(PAPER_MM["A3"][0] / A4[0], PAPER_MM["A3"][1] / A4[1])


class Planner:
    """Shared state of one planning run: content, theme, metrics, site URL and paper."""

    def __init__(self, content: Content, theme: PrintTheme, site_url: str) -> None:
        self.content = content
        self.theme = theme
        self.metrics = theme.metrics()
        self.site_url = site_url
        self.paper = content.site.print.paper
        self.layout = theme.layout

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
            "slogan": self.layout.get("slogan", ""),
            "series": self.layout.get("series", "以案释法"),
            "scan_caption": self.layout.get("scan_caption", "扫码阅读全文"),
            "board_title": self.layout.get("board_title", "法律服务联系公示牌"),
            "map_title": self.layout.get("map_title", "十分钟法律服务圈"),
            "village_name": village.name if village else "",
        }
        return a

    def qr(self, a: Artifact, url: str, spec: dict[str, float]) -> dict[str, Any]:
        """A QR code placed so that each module is a whole number of PNG pixels."""
        matrix = qr_matrix(url, str(self.layout.get("qr_level", "Q")))
        ppm = PNG_WIDTH / a.context["canvas_w"]
        size, _ = pixel_exact_size(len(matrix), float(spec["size_mm"]), ppm)
        x = round(float(spec["x"]) * ppm) / ppm
        y = round(float(spec["y"]) * ppm) / ppm
        return {
            "x": round(x, 4),
            "y": round(y, 4),
            "size": round(size, 4),
            "png": qr_png_uri(matrix),
            "modules": len(matrix),
        }

    def box(self, product: str, name: str, **override: float) -> tuple[Box, dict[str, Any]]:
        spec = dict(self.layout[product][name])
        spec.update(override)
        pos = {"x": spec.pop("x", 0), "y": spec.pop("y", 0)}
        for k in ("bottom",):
            spec.pop(k, None)
        return Box(**spec), pos

    def fit(
        self, a: Artifact, label: str, paragraphs: list[str], box: Box, x: float, y: float
    ) -> dict[str, Any]:
        """Fit paragraphs into a box at (x, y); note a shrink to the floor or a cut."""
        f = fit(self.metrics, paragraphs, box)
        if f.cut:
            a.notes.append(f"{label}太长，印不下的部分已省略，海报上注明“扫码阅读全文”")
        elif f.at_floor:
            a.notes.append(f"{label}较长，已缩小到最小字号 {box.min_pt:g} pt")
        return placed(f, box, x, y)


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
    }


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
    L = "case-poster"
    box, pos = p.box(L, "title")
    a.context["title"] = p.fit(a, "标题", [case.title], box, **pos)
    box, pos = p.box(L, "summary")
    a.context["summary"] = p.fit(a, "要点（summary）", [case.summary], box, **pos)
    a.context["law"] = None
    if case.law:
        box, pos = p.box(L, "law")
        a.context["law"] = p.fit(a, "法律依据（law）", list(case.law), box, **pos)
    a.context["title_text"] = case.title
    a.context["category"] = case.category
    a.context["date"] = case.date.isoformat()
    a.context["advisor"] = None
    if village:
        first = p.content.advisors[village.advisors[0]]
        label = "本社区法律顾问" if village.kind == "社区" else "本村法律顾问"
        a.context["advisor"] = {"label": label, "name": first.name, "phone": first.phone}
    a.context["qr"] = p.qr(a, url, p.layout[L]["qr"])
    return a


def rules_posters(p: Planner) -> list[Artifact]:
    """A rules poster per village with rules: body, negative list, QR to the village page."""
    out = []
    L = "rules-poster"
    for vid, rules in sorted(p.content.rules.items()):
        village = p.content.villages[vid]
        url = p.url("villages", vid)
        a = p.base(L, vid, rules.source, False, [url], village)
        box, pos = p.box(L, "title")
        a.context["title"] = p.fit(a, "标题", [p.content.rules_title(rules)], box, **pos)
        adopted = rules.adopted.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
        a.context["adopted"] = (
            f"{adopted}经{rules.adopted_by}通过" if rules.adopted_by else f"{adopted}通过"
        )
        a.context["kind_label"] = "居民公约" if village.kind == "社区" else "村规民约"
        area = p.layout[L]["content"]
        top, bottom = float(area["y"]), float(area["bottom"])
        a.context["negative"] = None
        a.context["cut"] = False
        neg_top = bottom
        if rules.negative_list:
            items = [f"{i}. {t}" for i, t in enumerate(rules.negative_list, 1)]
            cols = 1 if len(items) <= 8 else 2
            box, pos = p.box(L, "negative", columns=cols)
            f = p.fit(a, "负面清单", items, box, pos["x"], 0)
            neg_top = bottom - f["used_mm"] - 4
            f["y"] = round(neg_top, 3)
            a.context["negative"] = f
            neg_top -= 11 + 4  # label above the list, and a gap
            a.context["cut"] = f["cut"]
        a.context["body"] = None
        paras = plain_paragraphs(rules.body)
        height = neg_top - top
        if paras and height >= 12:
            box, pos = p.box(L, "body", height_mm=height)
            f = p.fit(a, "正文", paras, box, pos["x"], top)
            a.context["body"] = f
            if f["cut"]:
                a.context["cut"] = True
                a.notes[-1] = "正文太长，海报上只印了前面部分，注明“以上为节选，扫码阅读全文”"
        elif paras:
            a.context["cut"] = True
            a.notes.append("负面清单很长，正文没有位置，海报上注明“扫码阅读全文”")
        body = a.context["body"]
        cut_y = (body["y"] + body["used_mm"] + 1) if body else top
        a.context["cut_at"] = {"x": 14, "y": round(min(cut_y, neg_top + 4), 3)}
        a.context["qr"] = p.qr(a, url, p.layout[L]["qr"])
        out.append(a)
    return out


def boards(p: Planner) -> list[Artifact]:
    """A contact board (联系公示牌) per village: advisors, chief adviser, mediators."""
    out = []
    L = "board"
    grid = p.layout[L]["grid"]
    cols, rows, gap = int(grid["columns"]), int(grid["rows"]), float(grid["gap_mm"])
    cw = (float(grid["width_mm"]) - gap * (cols - 1)) / cols
    ch = (float(grid["height_mm"]) - gap * (rows - 1)) / rows
    for vid, village in sorted(p.content.villages.items()):
        url = p.url("villages", vid)
        a = p.base(L, vid, village.source, True, [url], village)
        labels = {"advisors": "法律顾问", "chief_adviser": "司法总顾问", "mediators": "人民调解员"}
        people = [(labels[s], per) for s, per in p.content.people_of(village) if s in labels]
        cells = []
        for i, (role, person) in enumerate(people[: cols * rows]):
            x = float(grid["x"]) + (i % cols) * (cw + gap)
            y = float(grid["y"]) + (i // cols) * (ch + gap)
            cell: dict[str, Any] = {
                "x": x,
                "y": y,
                "w": cw,
                "h": ch,
                "role": role,
                "name": person.name,
                "phone": person.phone,
            }
            inner = x + 4
            ob, _ = p.box(L, "org")
            cell["org"] = p.fit(a, f"{person.name}的单位", [person.org or ""], ob, inner, y + 29)
            hb, _ = p.box(L, "hours")
            cell["hours"] = (
                p.fit(
                    a,
                    f"{person.name}的服务时间",
                    [f"服务时间：{person.hours}"],
                    hb,
                    inner,
                    y + 39.5,
                )
                if person.hours
                else None
            )
            db, _ = p.box(L, "duties")
            duties = "职责：" + "、".join(person.duty_list)
            cell["duties"] = p.fit(a, f"{person.name}的职责", [duties], db, inner, y + 50.5)
            cells.append(cell)
        a.context["cells"] = cells
        extra = len(people) - len(cells)
        a.context["more"] = (
            {
                "count": extra,
                "x": float(grid["x"]),
                "y": float(grid["y"]) + float(grid["height_mm"]) + 3,
            }
            if extra
            else None
        )
        if extra:
            a.notes.append(f"人员超过 {len(cells)} 位，其余 {extra} 位请扫码查看")
        a.context["qr"] = p.qr(a, url, p.layout[L]["qr"])
        out.append(a)
    return out


def service_maps(p: Planner) -> list[Artifact]:
    """A service map (十分钟法律服务圈) per village with service points."""
    out = []
    L = "service-map"
    area = p.layout[L]["list"]
    for vid, village in sorted(p.content.villages.items()):
        services = p.content.services_of(village)
        if not services:
            continue
        url = p.url("villages", vid)
        a = p.base(L, vid, village.source, False, [url], village)
        x, y, w, bottom = (
            float(area["x"]),
            float(area["y"]),
            float(area["width_mm"]),
            float(area["bottom"]),
        )
        cards: list[dict[str, Any]] = []
        for s in services:
            nb, _ = p.box(L, "name")
            name = p.fit(a, f"服务点“{s.name}”的名称", [s.name], nb, x + 4, y + 7)
            lb, _ = p.box(L, "line")
            lines = [f"地址：{s.address}"] if s.address else []
            if s.hours:
                lines.append(f"开放时间：{s.hours}")
            body_y = y + 7 + name["used_mm"] + 1
            body = p.fit(a, f"服务点“{s.name}”的地址", lines or [""], lb, x + 4, body_y)
            phone_y = body_y + body["used_mm"] + 1
            height = phone_y + 9 - y
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
                    "phone": s.phone,
                    "phone_y": phone_y,
                }
            )
            y += height + 5
        a.context["services"] = cards
        extra = len(services) - len(cards)
        a.context["more"] = {"count": extra, "x": x, "y": y} if extra else None
        if extra:
            a.notes.append(f"服务点太多，其余 {extra} 个请扫码查看")
        a.context["qr"] = p.qr(a, url, p.layout[L]["qr"])
        out.append(a)
    return out
