"""Imposition: place one laid-out card face on every cell of a sheet, as a PDF form.

Laying out ten copies of a card costs ten times one card (WeasyPrint has no instancing).
A card sheet's document therefore lays out its sheet pages (crop marks, edition line)
followed by one page per card face; here each face page becomes a form XObject drawn at
every cell of its sheet page, and the face pages are dropped. Same vector output, a tenth
of the layout, and the file holds each face once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

MM = 72 / 25.4

# Per artifact in a PDF: (output pages, [positions per face]); positions are the top-left
# corners in mm of the face page (bleed included) on the A4 sheet page of the same index.
Segment = tuple[int, Sequence[Sequence[tuple[float, float]]]]


def impose(data: bytes, segments: Sequence[Segment]) -> bytes:
    """Return ``data`` with every segment's face pages drawn onto its sheet pages."""
    if not any(faces for _, faces in segments):
        return data
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    i = 0
    for count, faces in segments:
        sheets = [writer.add_page(reader.pages[i + n]) for n in range(count)]
        for n, cells in enumerate(faces):
            face = reader.pages[i + count + n]
            _draw(writer, sheets[n], face, cells)
        i += count + len(faces)
    if i != len(reader.pages):
        raise ValueError(f"imposition expected {i} pages, the PDF has {len(reader.pages)}")
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draw(
    writer: PdfWriter, sheet: PageObject, face: PageObject, cells: Sequence[tuple[float, float]]
) -> None:
    width, height = float(face.mediabox.width), float(face.mediabox.height)
    form = DecodedStreamObject()
    form.set_data(face.get_contents().get_data())  # type: ignore[union-attr]
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, width, height)]),
            NameObject("/Resources"): face["/Resources"].clone(writer),
        }
    )
    ref = writer._add_object(form.flate_encode())
    # A fresh resource dictionary for the sheet: WeasyPrint may share one between pages,
    # and the form must not find itself in its own resources.
    resources = DictionaryObject()
    resources.update(sheet["/Resources"].get_object())  # type: ignore[call-overload]
    xobjects = DictionaryObject()
    old = resources.get("/XObject")
    if old is not None:
        xobjects.update(old.get_object())
    xobjects[NameObject("/PufaFace")] = ref
    resources[NameObject("/XObject")] = xobjects
    sheet[NameObject("/Resources")] = resources
    sheet_h = float(sheet.mediabox.height)
    ops = [b"q", sheet.get_contents().get_data(), b"Q"]  # type: ignore[union-attr]
    for x, y in cells:
        tx, ty = x * MM, sheet_h - y * MM - height
        ops.append(b"q 1 0 0 1 %.3f %.3f cm /PufaFace Do Q" % (tx, ty))
    content = DecodedStreamObject()
    content.set_data(b"\n".join(ops))
    sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
