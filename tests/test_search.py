"""The search index: Pagefind over the pages, kept in a cache keyed by every HTML byte."""

from __future__ import annotations

from pathlib import Path

from site_builder.build import build
from site_builder.search import index_site
from tests.conftest import build_opts

PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{t}</title></head>'
    "<body><nav>导航</nav><div data-pagefind-body><h1>{t}</h1><p>{p}</p></div></body></html>"
)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def small_site(folder: Path, deposit: str) -> Path:
    for url, title, text in [
        ("cases/deposit", "房东不退押金", deposit),
        ("cases/loan", "借钱只有微信转账", "保存聊天记录和转账凭证，可以作为证据。"),
    ]:
        (folder / url).mkdir(parents=True)
        (folder / url / "index.html").write_text(PAGE.format(t=title, p=text), encoding="utf-8")
    return folder


def test_unchanged_pages_reuse_the_index_and_a_changed_page_rebuilds_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = small_site(tmp_path / "a", "签字确认房屋状况，押金应当退还。")
    assert index_site(first, cache) is False
    index = tree(first / "pagefind")
    assert "pagefind.js" in index and any(n.startswith("fragment/") for n in index)

    same = small_site(tmp_path / "b", "签字确认房屋状况，押金应当退还。")
    assert index_site(same, cache) is True
    assert tree(same / "pagefind") == index

    edited = small_site(tmp_path / "c", "签字确认房屋状况，押金应当退还。人民调解协议有约束力。")
    assert index_site(edited, cache) is False
    changed = tree(edited / "pagefind")
    assert changed != index
    # The cache holds the newest index only, and it is the one just written.
    (entry,) = list(cache.iterdir())
    assert tree(entry) == changed


def test_a_damaged_cache_entry_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = small_site(tmp_path / "a", "押金应当退还。")
    index_site(first, cache)
    (entry,) = list(cache.iterdir())
    (entry / "pagefind.js").unlink()  # an interrupted copy, say
    again = small_site(tmp_path / "b", "押金应当退还。")
    assert index_site(again, cache) is False  # Pagefind ran again
    assert (again / "pagefind" / "pagefind.js").is_file()
    assert (entry / "pagefind.js").is_file()  # and the entry is whole again


def test_rebuild_without_changes_reuses_the_index(content_copy: Path, tmp_path: Path) -> None:
    opts = build_opts(content_copy, tmp_path / "site", tmp_path / "work")
    first = build(opts)
    assert not any("搜索索引" in n for n in first.notes)
    index = tree(tmp_path / "site" / "pagefind")
    again = build(opts)
    assert "搜索索引：网页没有变化，沿用上次的索引" in again.notes
    assert tree(tmp_path / "site" / "pagefind") == index
