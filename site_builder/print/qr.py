"""Sizing QR codes for print to whole pixels (the encoder is ``site_builder/qr.py``)."""

from __future__ import annotations


def pixel_exact_size(modules: int, target_mm: float, px_per_mm: float) -> tuple[float, int]:
    """Size (mm) nearest above ``target_mm`` at which a module is a whole number of pixels
    when the page is rendered at ``px_per_mm``; returns (size_mm, pixels per module)."""
    per_module = max(1, round(target_mm * px_per_mm / modules + 0.4999))
    return per_module * modules / px_per_mm, per_module
