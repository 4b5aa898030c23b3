"""The 考核 workbook: one sheet per view, Chinese headers, a total row; every text cell
written as text (``data.cells.set_xlsx_text``), never as a formula."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..data.cells import set_xlsx_text
from .views import Report, Table

SHEETS = ("villages", "products", "cases", "months", "weeks", "days", "types", "pages", "search")


def _put(ws: object, row: int, values: list[str | int], bold: bool = False) -> None:
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col)  # type: ignore[attr-defined]
        if isinstance(value, int):
            cell.value = value
        else:
            set_xlsx_text(cell, str(value))
        if bold:
            cell.font = Font(bold=True)


def _sheet(wb: Workbook, table: Table) -> None:
    ws = wb.create_sheet(table.title[:31])
    _put(ws, 1, list(table.headers), bold=True)
    for r, values in enumerate(table.rows, 2):
        _put(ws, r, values)
    if table.total is not None and table.rows:
        _put(ws, len(table.rows) + 2, table.total, bold=True)
    ws.freeze_panes = "A2"
    for col, header in enumerate(table.headers, 1):
        width = max([len(str(header))] + [len(str(r[col - 1])) for r in table.rows[:200]])
        ws.column_dimensions[get_column_letter(col)].width = min(60, 4 + width * 2)


def workbook_bytes(report: Report) -> bytes:
    """The .xlsx of ``report``: 概况 first, then a sheet per view (and the village's
    artifacts with ``--village``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    _put(ws, 1, [report.title], bold=True)
    for r, (label, value) in enumerate(report.overview, 3):
        _put(ws, r, [label, value])
    for r, note in enumerate(report.notes, len(report.overview) + 4):
        _put(ws, r, [note])
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 30
    if report.village:
        months = sorted({m for p in report.village_placements for m in p.by_month})
        vt = Table(
            "village",
            f"{report.village}的印刷品",
            ["印刷品", "文件", "扫码次数", "首次扫码", "最近扫码", *months],
        )
        for p in report.village_placements:
            vt.rows.append(
                [
                    p.name,
                    "、".join(p.files),
                    p.scans,
                    p.first.isoformat() if p.first else "",
                    p.last.isoformat() if p.last else "",
                    *[p.by_month.get(m, 0) for m in months],
                ]
            )
        _sheet(wb, vt)
    for key in SHEETS:
        _sheet(wb, report.table(key))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
