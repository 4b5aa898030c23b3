"""便民卡 products: the village card (front and back), the card sheet, the person card."""

from __future__ import annotations

from typing import Any

from ..content import Advisor, Village
from .artifact import Artifact
from .products import Planner
from .qr import qr_matrix, qr_png_uri

CARD_W, CARD_H = 90.0, 54.0
SHEET_W, SHEET_H = 210.0, 297.0


def _qr(p: Planner, url: str, x_right: float, y: float) -> dict[str, Any]:
    spec = p.layout["card"]["qr"]
    matrix = qr_matrix(url, str(spec.get("level", "M")))
    size = float(spec["size_mm"])
    return {
        "x": round(x_right - size, 3),
        "y": y,
        "size": size,
        "png": qr_png_uri(matrix),
        "module_mm": size / len(matrix),
    }


def card_context(p: Planner, village: Village, a: Artifact) -> dict[str, Any]:
    """What a village's 便民卡 shows, text fitted to its boxes (trim coordinates, mm)."""
    content = p.content
    first = content.advisors[village.advisors[0]]
    L = "card"
    box, _ = p.box(L, "adv_org")
    c: dict[str, Any] = {
        "village_name": village.name,
        "advisor": {"role": "法律顾问", "name": first.name, "phone": first.phone, "org": first.org},
        "adv_org": p.fit(a, "法律顾问的单位", [first.org or ""], box, 32, 19.6),
        "hotline": content.site.hotline,
    }
    others = []
    if village.mediators:
        m = content.advisors[village.mediators[0]]
        others.append({"role": "调解员", "name": m.name, "phone": m.phone})
    if village.grid_workers:
        g = content.advisors[village.grid_workers[0]]
        others.append({"role": g.role, "name": g.name, "phone": g.phone})
    c["others"] = others
    box, _ = p.box(L, "org")
    c["org"] = p.fit(a, "发布单位", [content.org_for(village)], box, 6, 4)
    c["promise"] = None
    y = 9.5
    if content.site.promise:
        box, _ = p.box(L, "promise")
        c["promise"] = p.fit(a, "服务承诺", [content.site.promise], box, 6, y)
        y += c["promise"]["used_mm"] + 5
    c["service"] = None
    services = content.services_of(village)
    if services:
        s = services[0]
        lines = [s.name] + ([s.address] if s.address else []) + [f"电话 {s.phone}"]
        box, _ = p.box(L, "service", height_mm=min(47.5 - y, 16))
        c["service"] = p.fit(a, "就近服务点", lines, box, 6, y)
    c["qr"] = _qr(p, p.url("villages", village.id), CARD_W - 4, 11)
    c["qr_caption"] = "扫码找法律顾问"
    return c


def _village_artifact(
    p: Planner, kind: str, village: Village, size: tuple[float, float]
) -> Artifact:
    """A two-page, PDF-only artifact of one village's 便民卡, its card text fitted."""
    a = Artifact(
        kind,
        village.id,
        village.source,
        f"{kind}.html.j2",
        size,
        [p.url("villages", village.id)],
        village=village.id,
        png=False,
        pages=2,
    )
    a.context["card"] = card_context(p, village, a)
    return a


def cards(p: Planner) -> list[Artifact]:
    """A two-sided 便民卡 per village (90 × 54 mm)."""
    return [
        _village_artifact(p, "card", v, (CARD_W, CARD_H))
        for _, v in sorted(p.content.villages.items())
    ]


def card_sheets(p: Planner) -> list[Artifact]:
    """An A4 sheet of one village's cards: 10 on shared cut lines or 8 with 3 mm bleed each,
    crop marks outside the grid, and a back page mirrored for long-edge duplex."""
    geometry = sheet_geometry(p.content.site.print.cards_per_sheet, p.layout.get("card-sheet", {}))
    out = []
    for _, village in sorted(p.content.villages.items()):
        a = _village_artifact(p, "card-sheet", village, (SHEET_W, SHEET_H))
        a.context.update(geometry)
        a.context["village_name"] = village.name
        b = geometry["bleed"]
        a.faces = [
            [(c["x"] - b, c["y"] - b) for c in geometry[side]] for side in ("cells", "back_cells")
        ]
        out.append(a)
    return out


def sheet_geometry(per_sheet: int, spec: dict[str, Any]) -> dict[str, Any]:
    """Trim positions of the cards on both faces, and the crop marks (pure geometry)."""
    bleed = 0.0 if per_sheet == 10 else 3.0
    cols, rows = 2, (5 if per_sheet == 10 else 4)
    gutter = 2 * bleed
    grid_w = cols * CARD_W + (cols - 1) * gutter
    grid_h = rows * CARD_H + (rows - 1) * gutter
    x0, y0 = (SHEET_W - grid_w) / 2, (SHEET_H - grid_h) / 2
    cells = [
        {
            "x": round(x0 + c * (CARD_W + gutter), 3),
            "y": round(y0 + r * (CARD_H + gutter), 3),
            "col": c,
            "row": r,
        }
        for r in range(rows)
        for c in range(cols)
    ]
    # Long-edge duplex flips the sheet about its vertical axis: a card's back lies at the
    # mirrored x, same y.
    back = [{**c, "x": round(SHEET_W - c["x"] - CARD_W, 3)} for c in cells]
    xs = sorted({c["x"] for c in cells} | {round(c["x"] + CARD_W, 3) for c in cells})
    ys = sorted({c["y"] for c in cells} | {round(c["y"] + CARD_H, 3) for c in cells})
    length, gap = float(spec.get("mark_len_mm", 5)), float(spec.get("mark_gap_mm", 2))
    hair = 0.2
    out = bleed + gap  # marks start outside the bleed
    marks = []
    for x in xs:
        marks.append({"x": x - hair / 2, "y": y0 - out - length, "w": hair, "h": length})
        marks.append({"x": x - hair / 2, "y": y0 + grid_h + out, "w": hair, "h": length})
    for y in ys:
        marks.append({"x": x0 - out - length, "y": y - hair / 2, "w": length, "h": hair})
        marks.append({"x": x0 + grid_w + out, "y": y - hair / 2, "w": length, "h": hair})
    marks = [{k: round(v, 3) for k, v in m.items()} for m in marks]
    return {
        "bleed": bleed,
        "cells": cells,
        "back_cells": back,
        "marks": marks,
        "cut_x": xs,
        "cut_y": ys,
        "marks_edge": round(x0, 3),
        "per_sheet": per_sheet,
    }


def person_cards(p: Planner) -> list[Artifact]:
    """A contact card per person, its QR to the person's page (tap-to-call, .vcf)."""
    out = []
    for pid, person in sorted(p.content.advisors.items()):
        url = p.url("advisors", pid)
        a = Artifact(
            "person-card",
            pid,
            person.source,
            "person-card.html.j2",
            (CARD_W, CARD_H),
            [url],
            png=False,
        )
        a.context["card"] = person_context(p, person, a)
        out.append(a)
    return out


def person_context(p: Planner, person: Advisor, a: Artifact) -> dict[str, Any]:
    L = "person-card"
    c: dict[str, Any] = {
        "name": person.name,
        "role": person.role,
        "phone": person.phone,
        "hotline": p.content.site.hotline,
        "org_name": p.content.site.org,
    }
    y = 30.5
    c["org"] = None
    if person.org:
        box, _ = p.box(L, "org")
        c["org"] = p.fit(a, "单位", [person.org], box, 6, y)
        y += c["org"]["used_mm"] + 0.8
    c["hours"] = None
    if person.hours:
        box, _ = p.box(L, "hours", height_mm=min(8.0, 47.5 - y))
        c["hours"] = p.fit(a, "服务时间", [f"服务时间：{person.hours}"], box, 6, y)
    c["qr"] = _qr(p, a.qr[0], CARD_W - 4, 14)
    c["qr_caption"] = "扫码存号码"
    return c
