"""Spreadsheet cells that Excel or WPS never runs as a formula (CSV and .xlsx).

OWASP (CSV Injection): a cell that begins with ``=`` ``+`` ``-`` ``@``, a tab or a carriage
return can be evaluated as a formula when the file is opened, so such a cell gets a leading
single quote. The full-width signs (``＝`` ``＋`` ``－`` ``＠``) typed by a Chinese input
method are treated the same. Plain numbers (``-33.7``) stay numbers: they cannot run.
Every CSV or .xlsx the project writes puts its text cells through these two functions.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def csv_cell(value: str) -> str:
    """``value`` for a CSV cell: a leading ``'`` when Excel could read it as a formula."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def set_xlsx_text(cell: Any, value: str) -> None:
    """Write ``value`` into an openpyxl cell as text, never as a formula.

    openpyxl stores any string that begins with ``=`` as a formula; the cell is typed as a
    string instead and carries Excel's own "quote prefix" (the apostrophe a user would type),
    so the text shows unchanged and stays text when the cell is edited.
    """
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        cell.quotePrefix = True
