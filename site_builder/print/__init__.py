"""Print: plan artifacts (catalog.py and the product modules), render them on worker
processes (render.py: job and cache; worker.py: layout, PDF, PNG, QR check), and finish into
site/print (job.py)."""

from __future__ import annotations

from .catalog import NAMES, PRODUCTS, print_links
from .job import PrintJob, PrintResult, content_names, plan_print, reprint_report, start_print

__all__ = [
    "KIND_LABELS",
    "NAMES",
    "PRODUCTS",
    "PrintJob",
    "PrintResult",
    "content_names",
    "plan_print",
    "print_links",
    "reprint_report",
    "start_print",
]

KIND_LABELS = NAMES  # kind → the product's one Chinese name (catalog.PRODUCTS)
