"""`pufa demo-data`: synthetic content in prefecture proportions that checks clean."""

from __future__ import annotations

from pathlib import Path

from site_builder.cli import main
from site_builder.content import load
from site_builder.pages.generate import generate


def test_generated_content_checks_clean_in_proportion(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert main(["demo-data", "--villages", "120", "--out", str(out)]) == 0
    c = load(out)
    assert len(c.villages) == 120 and len(c.rules) == 120
    assert len(c.cases) == 80
    assert len(c.services) == 60
    assert len(c.advisors) == 2 * len(c.villages)  # 6,000 people for 3,000 villages
    assert {p.role for p in c.advisors.values()} >= {
        "法律顾问",
        "司法总顾问",
        "人民调解员",
        "网格员",
    }
    assert c.site.counties and all(v.county in c.site.counties for v in c.villages.values())


def test_prefecture_listings_go_through_counties(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert main(["demo-data", "--villages", "700", "--out", str(out)]) == 0
    content = load(out)
    urls = generate(content, tmp_path / "docs")
    assert "villages/county/zhanhequ/" in urls
    top = (tmp_path / "docs" / "villages" / "index.md").read_text(encoding="utf-8")
    assert "湛河区" in top and "township/" not in top  # counties only, not every township
    county = (tmp_path / "docs" / "villages" / "county" / "zhanhequ" / "index.md").read_text(
        encoding="utf-8"
    )
    assert "township/" in county
