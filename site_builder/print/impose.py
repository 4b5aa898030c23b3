"""Imposition: place one laid-out card face on every cell of a sheet, as a PDF form.

Laying out ten copies of a card costs ten times one card (WeasyPrint has no instancing).
A card sheet's document therefore lays out its sheet pages (crop marks, edition line)
followed by one page per card face. While WeasyPrint writes the PDF (its ``finisher``
hook, on the objects in memory), each face page's content becomes a form XObject drawn at
every cell of its sheet page, and the face pages leave the page tree. Same vector output,
a tenth of the layout, and the file holds each face once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pydyf

MM = 72 / 25.4

# Per artifact in a PDF: (output pages, [positions per face]); positions are the top-left
# corners in mm of the face page (bleed included) on the A4 sheet page of the same index.
Segment = tuple[int, Sequence[Sequence[tuple[float, float]]]]


def impose_finisher(segments: Sequence[Segment]) -> Callable[[Any, pydyf.PDF], None] | None:
    """A ``write_pdf(finisher=…)`` that imposes the segments' faces; None when no segment
    has faces (nothing to do)."""
    if not any(faces for _, faces in segments):
        return None

    def finish(_document: Any, pdf: pydyf.PDF) -> None:
        numbers = list(pdf.pages["Kids"][::3])
        expected = sum(count + len(faces) for count, faces in segments)
        if expected != len(numbers):
            raise ValueError(f"imposition expected {expected} pages, the PDF has {len(numbers)}")
        keep, i = [], 0
        for count, faces in segments:
            for n, cells in enumerate(faces):
                face = pdf.objects[numbers[i + count + n]]
                _draw(pdf, pdf.objects[numbers[i + n]], face, cells)
                face.clear()  # off the page tree; its content lives on as the form
            keep += numbers[i : i + count]
            i += count + len(faces)
        pdf.pages["Kids"] = pydyf.Array([x for n in keep for x in (n, 0, "R")])
        pdf.pages["Count"] = len(keep)

    return finish


def _deref(pdf: pydyf.PDF, value: Any) -> Any:
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _draw(
    pdf: pydyf.PDF,
    sheet: pydyf.Dictionary,
    face: pydyf.Dictionary,
    cells: Sequence[tuple[float, float]],
) -> None:
    left, top, right, bottom = (float(v) for v in face["MediaBox"])
    width, height = right - left, bottom - top
    form = _deref(pdf, face["Contents"])
    form.extra.update(
        {
            "Type": "/XObject",
            "Subtype": "/Form",
            "BBox": pydyf.Array([0, 0, width, height]),
            "Resources": face["Resources"],
        }
    )
    # The pages share one resource dictionary: the sheet gets its own, so the form never
    # finds itself in its own resources.
    shared = _deref(pdf, sheet["Resources"])
    resources = pydyf.Dictionary(dict(shared))
    xobjects = pydyf.Dictionary(dict(_deref(pdf, shared.get("XObject", pydyf.Dictionary()))))
    xobjects["PufaFace"] = form.reference
    resources["XObject"] = xobjects
    pdf.add_object(resources)
    sheet["Resources"] = resources.reference
    sheet_h = float(sheet["MediaBox"][3]) - float(sheet["MediaBox"][1])
    ops = [b"Q"] + [
        b"q 1 0 0 1 %.3f %.3f cm /PufaFace Do Q" % (x * MM, sheet_h - y * MM - height)
        for x, y in cells
    ]
    before, after = pydyf.Stream([b"q"]), pydyf.Stream(ops, compress=True)
    pdf.add_object(before)
    pdf.add_object(after)
    sheet["Contents"] = pydyf.Array([before.reference, sheet["Contents"], after.reference])
