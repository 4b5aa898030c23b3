"""`pufa build` of the example county: every page with its content; failures keep the old site."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from site_builder.build import build
from site_builder.cli import main
from site_builder.display import BuildDisplay
from site_builder.errors import ConfigError, ContentError
from tests.conftest import ROOT, build_opts


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "",
            [
                "湛河区普法服务平台",
                "以案释法",
                "村规民约",
                "法律服务地图",
                "找法律顾问",
                "12348",
                'href="tel:12348"',
            ],
        ),
        (
            "cases/lease-deposit/",
            [
                "房东不退押金，社区法律顾问这样调解",
                "2020-09-24",
                "房屋租赁",
                "押金",
                "法律依据",
                "《中华人民共和国民法典》第七百零三条",
                "蓝欣社区",
                "锦华社区",
            ],
        ),
        (
            "villages/caozhen/",
            [
                "曹镇村",
                "曹镇乡",
                "王磊",
                'href="tel:13900000103"',
                "张辉",
                "何建国",
                "马丽",
                "曹镇司法所",
                "曹镇村村规民约",
                "负面清单",
                "不按规定交纳水费",
                "三兄弟互相推诿",
            ],
        ),
        (
            "villages/lanxin/",
            ["蓝欣社区居民公约", "高空抛物", "郭晓", "河南湛清律师事务所", "每周三上午驻蓝欣社区"],
        ),
        (
            "advisors/guo-xiao/",
            [
                "郭晓",
                "法律顾问",
                "河南湛清律师事务所",
                'href="tel:13800000101"',
                "法律事务的指导员",
                "蓝欣社区",
                "阳光苑社区",
            ],
        ),
        (
            "services/caozhen-yuanzhu-zhan/",
            [
                "曹镇乡法律援助工作站",
                "法律援助工作站",
                "曹镇乡便民服务中心 3 号窗口",
                "0375-0000121",
            ],
        ),
        ("cases/", ["以案释法", "赡养", "房屋租赁", "土地承包", "最新案例"]),
        ("cases/category/shanyang/", ["三兄弟互相推诿", "父亲再婚"]),
        ("villages/", ["北渡街道", "曹镇乡", "荆山街道"]),
        ("villages/township/caozhenxiang/", ["曹镇村", "黄寨村", "有村规民约"]),
        ("services/", ["按乡（街道）", "按类型", "司法所", "人民调解室"]),
        ("services/type/sifasuo/", ["北渡司法所", "曹镇司法所", "荆山司法所"]),
        ("advisors/", ["按身份", "法律顾问", "司法总顾问", "人民调解员", "网格员", "法律明白人"]),
        ("advisors/role/falvmingbairen/", ["胡大壮"]),
        ("about/", ["关于本平台"]),
    ],
)
def test_page_has_its_content(built_site: Path, url: str, expected: list[str]) -> None:
    page = html(built_site, url)
    for needle in expected:
        assert needle in page, needle


def test_footer_shows_org_hotline_and_filings(built_site: Path) -> None:
    page = html(built_site, "cases/lease-deposit/")
    footer = page[page.index("pufa-footer") :]
    for needle in [
        "平顶山市湛河区司法局",
        "12348",
        "豫ICP备00000000号",
        "豫公网安备00000000000000号",
    ]:
        assert needle in footer


def test_every_entity_has_a_page(built_site: Path) -> None:
    for folder in ["cases", "villages", "advisors", "services"]:
        for src in (ROOT / "content" / folder).glob("*.md"):
            assert (built_site / folder / src.stem / "index.html").is_file(), src


def test_navigation_stays_small(built_site: Path) -> None:
    page = html(built_site, "cases/lease-deposit/")
    nav = page[page.index('class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.count("md-nav__link") <= 8


def test_no_page_requests_another_host(built_site: Path) -> None:
    allowed = ("https://beian.miit.gov.cn/",)
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attr, url in re.findall(r'\b(src|href)="(https?://[^"]+)"', text):
            if attr == "href" and (
                url.startswith(allowed) or url.startswith("https://pufa.example.cn/")
            ):
                continue
            raise AssertionError(f"{page}: {attr}={url}")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_no_english_generator_notice(built_site: Path) -> None:
    page = html(built_site, "")
    assert "Made with" not in page
    assert "Material for MkDocs" not in text_of(page)


def test_chinese_lines_are_joined(built_site: Path) -> None:
    page = html(built_site, "cases/lease-deposit/")
    assert "签字确认房屋状况，发生争议" in page


def test_failed_build_keeps_previous_site(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(build_opts(content_copy, out, tmp_path / "work"))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (content_copy / "cases" / "lease-deposit.md").write_text(
        "---\ntitle：坏了\n---\n", encoding="utf-8"
    )
    with pytest.raises(ContentError):
        build(build_opts(content_copy, out, tmp_path / "work"))
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert "房东不退押金" in html(out, "cases/lease-deposit/")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_build_without_site_url_fails_in_chinese(content_copy: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    opts = build_opts(content_copy, tmp_path / "site", tmp_path / "work")
    opts.config = cfg
    with pytest.raises(ConfigError, match="缺少 site_url"):
        build(opts)
    assert not (tmp_path / "site").exists()


def test_cli_build_reports_where_output_is(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    code = main(["build", "--content", str(content_copy), "--out", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0
    assert f"输出在 {out}/" in stdout
    assert (out / "index.html").is_file()


def test_progress_reports_counts(content_copy: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    opts = build_opts(content_copy, tmp_path / "site", tmp_path / "work")
    opts.cache = tmp_path / "cache"  # cold: everything is rendered
    opts.progress = lambda done, total: seen.append((done, total))
    result = build(opts)
    assert result.print is not None
    rendered = len(result.print.rendered)
    assert seen[-1] == (rendered, rendered)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) >= rendered // 24  # one report per batch


def test_display_on_a_terminal_shows_stage_count_rate_and_time_left() -> None:
    buf = io.StringIO()
    display = BuildDisplay(Console(file=buf, force_terminal=True, width=120))
    display.stage("排版网页（MkDocs）")
    display.progress(30, 120)
    display.stage("建立搜索索引（Pagefind）")
    display.progress(120, 120)
    display.close()
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())
    assert "· 排版网页（MkDocs）…" in shown
    assert re.search(r"排版网页 · 印刷品 \S+ +30/120 件", shown)
    assert re.search(r"建立搜索索引 · 印刷品 \S+ 120/120 件", shown)
    assert "件/秒" in shown and "还需 0:00:00" in shown


def test_display_off_a_terminal_prints_stage_lines_only() -> None:
    buf = io.StringIO()
    display = BuildDisplay(Console(file=buf, force_terminal=False))
    display.stage("检查内容")
    display.progress(5, 10)
    display.progress(10, 10)
    display.close()
    assert buf.getvalue() == "· 检查内容…\n"


def test_jobs_option_reaches_the_print_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import site_builder.build as build_module

    content_copy = tmp_path / "content"  # the tiny county: one worker lays out little
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", content_copy)

    seen: list[int | None] = []
    original = build_module.start_print

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("jobs"))  # type: ignore[arg-type]
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "start_print", spy)
    args = ["build", "--content", str(content_copy), "--out", str(tmp_path / "site")]
    args += ["--config", str(ROOT / "mkdocs.yml"), "--themes", str(ROOT / "themes")]
    args += ["--work", str(tmp_path / "work"), "--jobs", "1"]
    assert main(args) == 0
    assert seen == [1]
