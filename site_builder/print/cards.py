"""便民卡 products: the village card (front and back), the card sheet, the person card."""

from __future__ import annotations

from typing import Any

from ..content import Advisor, Village
from ..qr import qr_matrix, qr_png_uri
from .artifact import PAPER_MM, Artifact
from .layout import CARD_H, CARD_W, CardQr, CardSheet
from .products import Planner

SHEET_W, SHEET_H = PAPER_MM["A4"]


def _qr(url: str, spec: CardQr) -> dict[str, Any]:
    matrix = qr_matrix(url, spec.level)
    size = spec.size_mm
    return {
        "x": round(CARD_W - spec.right_mm - size, 3),
        "y": spec.y,
        "size": size,
        "png": qr_png_uri(matrix),
        "module_mm": size / len(matrix),
    }


def card_context(p: Planner, village: Village, a: Artifact) -> dict[str, Any]:
    """What a village's 便民卡 shows, text fitted to its boxes (trim coordinates, mm)."""
    content = p.content
    first = content.advisors[village.advisors[0]]
    spec = p.layout.card
    role = "法律顾问"
    c: dict[str, Any] = {
        "village_name": village.name,
        "band_right": p.line(a, spec.band_right, "卡片右上角的村名", village.name),
        "advisor": {"role": role, "name": first.name, "phone": first.phone, "org": first.org},
        "adv_role": p.line(a, spec.adv_role, "法律顾问的称谓", role),
        "adv_name": p.line(a, spec.adv_name, "法律顾问的姓名", first.name),
        "adv_phone": p.line(a, spec.adv_phone, "法律顾问的电话", f"☎ {first.phone}"),
        "adv_org": p.line(a, spec.adv_org, "法律顾问的单位", first.org or ""),
        "hotline": content.site.hotline,
    }
    people = []
    if village.mediators:
        m = content.advisors[village.mediators[0]]
        people.append(("调解员", m))
    if village.grid_workers:
        g = content.advisors[village.grid_workers[0]]
        people.append((g.role, g))
    step = spec.other_step_mm
    y0 = spec.other.y or 0.0
    others = [
        p.line(a, spec.other, f"{who}（{r}）", f"{r} {who.name} {who.phone}", y=y0 + i * step)
        for i, (r, who) in enumerate(people)
    ]
    c["others"] = others
    h = spec.hotline
    c["hotline_f"] = p.hotline(a, spec, h.x, h.y, h.width_mm, number=content.site.hotline)
    box, pos = p.box(spec.org)
    c["org"] = p.fit(a, "发布单位", [content.org_for(village)], box, **pos)
    c["promise"] = None
    box, pos = p.box(spec.promise)
    y = pos["y"]
    if content.site.promise:
        c["promise"] = p.fit(a, "服务承诺", [content.site.promise], box, **pos)
        y += c["promise"]["used_mm"] + spec.promise_gap_mm
    c["service"] = None
    services = content.services_of(village)
    if services:
        s = services[0]
        lines = [s.name] + ([s.address] if s.address else []) + [f"电话 {s.phone}"]
        room = min(spec.text_bottom_mm - y, spec.service.height_mm)
        box, pos = p.box(spec.service, height_mm=room)
        c["service"] = p.fit(a, "就近服务点", lines, box, pos["x"], y)
    c["qr"] = _qr(a.encoded(p.url("villages", village.id)), spec.qr)
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
    spec = p.layout.card_sheet
    geometry = sheet_geometry(p.content.site.print.cards_per_sheet, spec)
    out = []
    for _, village in sorted(p.content.villages.items()):
        a = _village_artifact(p, "card-sheet", village, (SHEET_W, SHEET_H))
        a.context.update(geometry)
        a.context["village_name"] = village.name
        xs = geometry["cut_x"]
        inset = spec.edition_inset_mm
        sample = f"{village.name} 便民联系卡 · 背面（长边翻转双面打印） · 版次 0000-00-00 00000000"
        a.context["sheet_edition"] = p.line(
            a,
            spec.edition,
            "拼版页下方的版次",
            sample,
            x=xs[0] + inset,
            width_mm=xs[1] - xs[0] - 2 * inset,
        )
        b = geometry["bleed"]
        a.faces = [
            [(c["x"] - b, c["y"] - b) for c in geometry[side]] for side in ("cells", "back_cells")
        ]
        out.append(a)
    return out


def sheet_geometry(per_sheet: int, spec: CardSheet) -> dict[str, Any]:
    """Trim positions of the cards on both faces, and the crop marks (pure geometry)."""
    bleed = 0.0 if per_sheet == 10 else spec.bleed_mm
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
    length, gap = spec.mark_len_mm, spec.mark_gap_mm
    hair = spec.mark_width_mm
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
    spec = p.layout.person_card
    c: dict[str, Any] = {
        "name": person.name,
        "role": person.role,
        "phone": person.phone,
        "hotline": p.content.site.hotline,
        "org_name": p.content.site.org,
        "band_right": p.line(a, p.layout.card.band_right, "卡片右上角的身份", person.role),
    }
    c["name_f"] = p.line(a, spec.name, "姓名", person.name)
    y = c["name_f"]["y"] + c["name_f"]["used_mm"] + spec.name_gap_mm
    c["phone_f"] = p.line(a, spec.phone, "电话", f"☎ {person.phone}", y=y)
    y = c["phone_f"]["y"] + c["phone_f"]["used_mm"] + spec.gap_mm
    bottom = spec.text_bottom_mm
    c["org"] = None
    if person.org:
        box, pos = p.box(spec.org, height_mm=min(spec.org.height_mm, bottom - y))
        c["org"] = p.fit(a, "单位", [person.org], box, pos["x"], y)
        y += c["org"]["used_mm"] + spec.gap_mm
    c["hours"] = None
    if person.hours and bottom - y >= spec.hours_min_mm:
        box, pos = p.box(spec.hours, height_mm=min(spec.hours.height_mm, bottom - y))
        c["hours"] = p.fit(a, "服务时间", [f"服务时间：{person.hours}"], box, pos["x"], y)
    # the edition is known only when rendering: fitted for its widest form
    sample = f"{p.content.site.org} · 热线 {p.content.site.hotline} · 版次 0000-00-00 00000000"
    c["edition"] = p.line(a, spec.edition, "底部的发布单位和版次", sample)
    c["qr"] = _qr(a.encoded(a.qr[0]), spec.qr)
    c["qr_caption"] = "扫码存号码"
    return c
