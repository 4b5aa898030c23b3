"""Phone number formats of DESIGN.md: a table of inputs → canonical form or rejection."""

from __future__ import annotations

import pytest

from site_builder.content.phones import normalise_phone, tel_uri


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800000101", "13800000101"),
        ("138 0000 0101", "13800000101"),
        ("138-0000-0101", "13800000101"),
        ("0375-1234567", "0375-1234567"),
        ("0375 12345678", "0375-12345678"),
        ("03751234567", "0375-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("021 1234 5678", "021-12345678"),
        ("0375-1234567转123", "0375-1234567转123"),
        ("12348", "12348"),
        ("110", "110"),
        ("4008001234", "400-800-1234"),
        ("800-123-4567", "800-123-4567"),
    ],
)
def test_valid_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["1380000", "12800000000", "23800000000", "0375-123", "12", "abc", "138000001011", "075"]
)
def test_invalid_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="格式不对"):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("13800000101", "tel:13800000101"),
        ("0375-1234567", "tel:03751234567"),
        ("0375-1234567转123", "tel:03751234567,123"),
        ("12348", "tel:12348"),
    ],
)
def test_tel_uri(phone: str, uri: str) -> None:
    assert tel_uri(phone) == uri
