"""Adding a content type is what the README says: a dataclass and one registry record.

The test declares a small extra type in one place and gets `pufa check` (with line numbers
and key suggestions), `pufa new`, its pages, its listing and navigation entry, and its
ledger entries — with no other module changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.cli import main
from site_builder.content import registry
from site_builder.content.fields import spec
from site_builder.content.registry import ContentKind, Facet
from site_builder.content.types import Entry
from tests.conftest import ROOT, build_opts


@dataclasses.dataclass
class Notice(Entry):
    """A notice of the county bureau (the extra type of this test)."""

    title: str = spec("标题", "text", required=True)
    category: str = spec("类别，如 值班安排", "text", required=True)
    issued: dt.date = spec("发布日期，如 2026-01-20", "date", required=True, default=dt.date.min)

    @property
    def label(self) -> str:
        return self.title


NOTICES = ContentKind(
    folder="notices",
    cls=Notice,
    label="通知",
    unit="份",
    new_kind="notice",
    new_label="通知公告",
    name_key="title",
    new_body="（通知正文）\n",
    nav_title="通知公告",
    nav_order=5,
    listing_intro="县司法局的通知公告。",
    facets=(Facet("category", "按类别"),),
)
NOTICE = "---\ntitle: 春节期间法律服务值班安排\ncategory: 值班安排\nissued: 2026-01-20\n---\n值班电话 12348。\n"


@pytest.fixture
def with_notices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(registry, "KINDS", (*registry.KINDS, NOTICES))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", content)
    (content / "notices").mkdir()
    (content / "notices" / "spring-duty.md").write_text(NOTICE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return content


def test_check_knows_the_new_type(with_notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(with_notices), "--themes", str(ROOT / "themes")]) == 0
    assert "、1 份通知、1 个页面" in capsys.readouterr().out
    (with_notices / "notices" / "bad.md").write_text(
        NOTICE.replace("issued:", "isued:"), encoding="utf-8"
    )
    assert main(["check", "--content", str(with_notices)]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{with_notices}/notices/bad.md:2: issued: 缺少必填项（发布日期，如 2026-01-20）",
        f"{with_notices}/notices/bad.md:4: isued: 不认识的键“isued”，是不是“issued”？",
    ]


def test_new_writes_a_template_of_the_new_type(
    with_notices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--content", str(with_notices), "notice", "防汛值班"]) == 0
    created = with_notices / "notices" / "fang-xun-zhi-ban.md"
    text = created.read_text(encoding="utf-8")
    assert "draft: true" in text and '"防汛值班"' in text and "# 必填：类别，如 值班安排" in text
    assert text.endswith("（通知正文）\n")
    assert "notice   通知公告" in (main(["new"]) or capsys.readouterr().out)


def test_the_new_type_gets_pages_a_listing_and_ledger_entries(
    with_notices: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(build_opts(with_notices, out, tmp_path / "work"))
    page = (out / "notices" / "spring-duty" / "index.html").read_text(encoding="utf-8")
    assert "春节期间法律服务值班安排" in page and "值班电话 12348" in page and "发布日期" in page
    listing = (out / "notices" / "index.html").read_text(encoding="utf-8")
    assert "县司法局的通知公告" in listing and "按类别" in listing
    assert (out / "notices" / "category" / "zhibananpai" / "index.html").is_file()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "通知公告" in home  # the navigation entry
    ledger = json.loads((with_notices / ".published.json").read_text(encoding="utf-8"))
    assert "notices/spring-duty/" in ledger
