"""Placement tags: short, stable, changed with the target; URLs tagged and read back."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from site_builder.content.tags import (
    TAG_LEN,
    parse_tag,
    placement_tag,
    tagged_url,
    untagged_url,
)

URL = "https://pufa.example.cn/cases/lease-deposit/"


def test_tag_is_short_and_url_safe() -> None:
    tag = placement_tag("case-poster", "lanxin", "cases/lease-deposit.md", URL)
    assert re.fullmatch(r"[a-z0-9]{5}", tag) and len(tag) == TAG_LEN
    assert len(tagged_url(URL, tag)) - len(URL) == len("?m=") + TAG_LEN


def test_tag_stable_across_processes() -> None:
    """No hash() anywhere: another interpreter with another hash seed gives the same tag."""
    code = (
        "from site_builder.content.tags import placement_tag;"
        f"print(placement_tag('case-poster', 'lanxin', 'cases/lease-deposit.md', {URL!r}))"
    )
    tags = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert tags == {placement_tag("case-poster", "lanxin", "cases/lease-deposit.md", URL)}


def test_tag_changes_with_target_and_identity() -> None:
    base = placement_tag("case-poster", "lanxin", "cases/lease-deposit.md", URL)
    others = {
        placement_tag("case-poster", "lanxin", "cases/lease-deposit.md", URL + "x/"),
        placement_tag("case-poster", "lanxin", "cases/lease-deposit.md", URL.replace("cn", "com")),
        placement_tag("case-poster", "caozhen", "cases/lease-deposit.md", URL),
        placement_tag("case-poster", None, "cases/lease-deposit.md", URL),
        placement_tag("board", "lanxin", "cases/lease-deposit.md", URL),
        placement_tag("case-poster", "lanxin", "cases/other.md", URL),
    }
    assert base not in others and len(others) == 6


def test_tags_of_one_page_do_not_collide() -> None:
    """A case shown in 300 villages: 301 posters on one page, all tags distinct."""
    tags = {placement_tag("case-poster", f"v{i}", "cases/x.md", URL) for i in range(300)} | {
        placement_tag("case-poster", None, "cases/x.md", URL)
    }
    assert len(tags) == 301


@pytest.mark.parametrize(
    ("url", "tagged"),
    [
        (URL, URL + "?m=3kq7x"),
        (URL + "?a=1", URL + "?a=1&m=3kq7x"),
        (URL + "#top", URL + "?m=3kq7x#top"),
    ],
)
def test_tagged_url_round_trip(url: str, tagged: str) -> None:
    assert tagged_url(url, "3kq7x") == tagged
    assert parse_tag(tagged) == "3kq7x"
    assert untagged_url(tagged.partition("#")[0]) == url.partition("#")[0]


@pytest.mark.parametrize(
    "target",
    [
        "/cases/lease-deposit/",
        "/cases/lease-deposit/?q=1",
        "/cases/lease-deposit/?m=",
        "/cases/lease-deposit/?m=ABCDE",
        "/cases/lease-deposit/?m=abc",
        "/cases/lease-deposit/?m=abcdefgh",
        "/cases/lease-deposit/?m=<img src=x>",
        "/cases/lease-deposit/?mm=abcde",
    ],
)
def test_no_tag(target: str) -> None:
    assert parse_tag(target) is None


def test_tag_in_request_target() -> None:
    assert parse_tag("/sfj/pufa/villages/lanxin/?from=wx&m=a1b2c") == "a1b2c"
    with pytest.raises(ValueError):
        tagged_url(URL, "=HYPERLINK(1)")
