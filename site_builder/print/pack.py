"""The print pack: one PDF per village, a cover page and everything that village prints.

The pack is laid out in one document with its parts and written as one PDF, so its fonts
are subset once for the whole pack.
"""

from __future__ import annotations

import math
from typing import Any

from .artifact import Artifact
from .products import Planner

MAX_CASE_ROWS = 6


def packs(p: Planner, artifacts: list[Artifact]) -> list[Artifact]:
    """A pack per village over the village's artifacts (case posters: its own variants)."""
    order = {k: r.pack_order for k, r in p.catalog.items() if r.pack_order is not None}
    by_village: dict[str, list[Artifact]] = {}
    for a in artifacts:
        if a.village and a.kind in order:
            by_village.setdefault(a.village, []).append(a)
    per_sheet = p.content.site.print.cards_per_sheet
    out = []
    for vid, village in sorted(p.content.villages.items()):
        parts = sorted(by_village.get(vid, []), key=lambda a: (order[a.kind], a.stem))
        if not parts:
            continue
        rows = []
        posters = [a for a in parts if a.kind == "case-poster"]
        for a in parts:
            title = p.name(a.kind, village)
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
            size = ("A3" if max(a.size_mm) > 300 else "A4") + (" 横向" if a.landscape else "")
            rows.append(
                {
                    "kind": a.kind,
                    "title": title,
                    "file": a.pdf_path,
                    "pages": a.pages,
                    "size": size,
                    "copies": copies,
                }
            )
        if len(posters) > MAX_CASE_ROWS:  # keep the cover to one page: one row for them all
            rows = _collapse(p, rows)
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
            "sheet": "a4p",
            "canvas_w": 210.0,
            "canvas_h": 297.0,
            "village_name": village.name,
            "org": p.content.org_for(village),
            "slogan": "",
            "hotline": p.content.site.hotline,
            "url": url,
            "households": village.households,
            "parts": pack.parts,
            "pages_total": pack.pages,
        }
        cover(p, pack, rows)
        out.append(pack)
    return out


def cover(p: Planner, a: Artifact, rows: list[dict[str, Any]]) -> None:
    """The cover's boxes fitted: the band, the village name, the table's cells (fixed
    columns; a row as tall as its tallest cell) and the notes; case rows become one row
    when the table would reach the notes."""
    spec = p.layout.pack_cover
    p.band(a, spec.title)
    a.context["village"] = p.line(a, spec.village, "封面的村名", a.context["village_name"])
    v = a.context["village"]
    a.context["meta"] = p.line(
        a,
        spec.meta,
        "封面的版次和页数",
        f"版次 {p.edition_sample} · 共 {a.context['pages_total']} 页（含本页）",
        y=v["y"] + v["used_mm"] + spec.meta_gap_mm,
    )
    a.context["meta"]["sample"] = p.edition_sample
    m = a.context["meta"]
    table = spec.table
    top = m["y"] + m["used_mm"] + table.gap_mm
    notes = _notes(p, a)
    bottom = notes["y"] - table.gap_mm
    fitted = _table(p, a, rows, top)
    if fitted["y"] + fitted["h"] > bottom:
        posters = [r for r in rows if r["kind"] == "case-poster"]
        if len(posters) > 1:
            rows = _collapse(p, rows)
            a.notes.append(f"封面的表格太长，{len(posters)} 张以案释法海报合成一行")
            fitted = _table(p, a, rows, top)
    a.context["table"] = fitted
    a.context["notes"] = notes


def _collapse(p: Planner, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The case posters' rows as one row, where the first of them stood."""
    posters = [r for r in rows if r["kind"] == "case-poster"]
    if not posters:
        return rows
    at = rows.index(posters[0])
    one = {
        "kind": "case-poster",
        "title": f"{p.name('case-poster')} {len(posters)} 张",
        "file": "",
        "pages": sum(int(r["pages"]) for r in posters),
        "size": posters[0]["size"],
        "copies": "各 1 份，张贴",
    }
    rest = [r for r in rows if r["kind"] != "case-poster"]
    return rest[:at] + [one] + rest[at:]


def _table(p: Planner, a: Artifact, rows: list[dict[str, Any]], top: float) -> dict[str, Any]:
    """Header and rows of the cover's table with every cell fitted to its column."""
    spec = p.layout.pack_cover
    table = spec.table
    pad = table.pad_mm
    keys = list(table.columns)
    head = [c.head for c in table.columns.values()]
    widths = [c.width_mm for c in table.columns.values()]
    names = dict(zip(keys, head, strict=True))
    out_rows = []
    y = top + table.head_mm
    for n, r in enumerate(rows, 1):
        values = {**r, "index": str(n)}
        cells = []
        for key, w in zip(keys, widths, strict=True):
            box, _ = p.box(spec.cell, width_mm=w - 2 * pad)
            cells.append(
                p.fit(
                    a,
                    f"封面表格第 {n} 行的{names[key]}",
                    [str(values[key])],
                    box,
                    0,
                    0,
                )
            )
        h = max(c["used_mm"] for c in cells) + 2 * pad
        out_rows.append({"cells": cells, "h": round(h, 3)})
        y += h
    return {
        "x": table.x,
        "y": round(top, 3),
        "w": sum(widths),
        "h": round(y - top, 3),
        "head": head,
        "head_h": table.head_mm,
        "widths": widths,
        "pad": pad,
        "rows": out_rows,
    }


def _notes(p: Planner, a: Artifact) -> dict[str, Any]:
    spec = p.layout.pack_cover
    lines = list(spec.notes_text)
    lines[-1] += f"公共法律服务热线 {a.context['hotline']}"
    box, pos = p.box(spec.notes)
    return p.fit(a, "封面下方的说明", lines, box, float(pos["x"]), float(pos["y"]))
