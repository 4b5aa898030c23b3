"""The print pack: one PDF per village, a cover page and everything that village prints.

The pack is laid out in one document with its parts and written as one PDF, so its fonts
are subset once for the whole pack.
"""

from __future__ import annotations

import math

from .artifact import Artifact
from .products import Planner

LABELS = {
    "rules-poster": "村规民约公示海报",
    "board": "法律服务联系公示牌",
    "service-map": "十分钟法律服务圈海报",
    "case-poster": "以案释法海报",
    "card-sheet": "便民联系卡（拼版）",
}
MAX_CASE_ROWS = 6
ORDER = ["rules-poster", "board", "service-map", "case-poster", "card-sheet"]


def packs(p: Planner, artifacts: list[Artifact]) -> list[Artifact]:
    """A pack per village over the village's artifacts (case posters: its own variants)."""
    by_village: dict[str, list[Artifact]] = {}
    for a in artifacts:
        if a.village and a.kind in LABELS:
            by_village.setdefault(a.village, []).append(a)
    per_sheet = p.content.site.print.cards_per_sheet
    out = []
    for vid, village in sorted(p.content.villages.items()):
        parts = sorted(by_village.get(vid, []), key=lambda a: (ORDER.index(a.kind), a.stem))
        if not parts:
            continue
        rows = []
        posters = [a for a in parts if a.kind == "case-poster"]
        if len(posters) > MAX_CASE_ROWS:  # keep the cover to one page: one row for them all
            rows.append(
                {
                    "title": f"以案释法海报 {len(posters)} 张",
                    "file": "",
                    "pages": sum(a.pages for a in posters),
                    "size": "A4",
                    "copies": "各 1 份，张贴",
                }
            )
        for a in parts:
            if a.kind == "case-poster" and len(posters) > MAX_CASE_ROWS:
                continue
            title = LABELS[a.kind]
            if a.kind == "case-poster":
                title += "：" + a.context["title_text"]
            copies = "1 份，张贴"
            if a.kind == "card-sheet":
                if village.households:
                    sheets = math.ceil(village.households / per_sheet)
                    copies = (
                        f"{sheets} 张（{village.households} 户，每张 {per_sheet} 张卡），"
                        "双面长边翻转"
                    )
                else:
                    copies = "按户数打印，双面长边翻转"
            size = "A4 横向" if a.landscape else ("A4" if a.size_mm[0] <= 210 else "A3")
            rows.append(
                {
                    "title": title,
                    "file": a.pdf_path,
                    "pages": a.pages,
                    "size": size,
                    "copies": copies,
                }
            )
        url = p.url("villages", vid)
        pack = Artifact(
            "pack",
            vid,
            village.source,
            "pack-cover.html.j2",
            (210.0, 297.0),
            list(dict.fromkeys(u for a in parts for u in a.qr)),
            village=vid,
            png=False,
            pages=1 + sum(a.pages for a in parts),
        )
        pack.parts = [a.digest for a in parts]
        pack.context = {
            "village_name": village.name,
            "org": p.content.org_for(village),
            "hotline": p.content.site.hotline,
            "rows": rows,
            "url": url,
            "households": village.households,
            "parts": pack.parts,
            "pages_total": pack.pages,
        }
        out.append(pack)
    return out
