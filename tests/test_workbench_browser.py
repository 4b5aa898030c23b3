"""The 工作台 in Chromium, through the forms only: a new case from start to the built site,
and a village's advisors changing its 便民卡."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.servers import pufa_serve
from tests.test_serve import free_port

WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{}</style>'
    "</head><body><!--StartFragment-->"
    '<p class="MsoHeading2" style="font-family:黑体;color:#C00000">案情</p>'
    '<p class="MsoNormal" style="font-size:14pt"><span style="font-family:宋体;color:red">'
    "\u3000\u3000邻居王某长期在楼道堆放杂物，</span><b>影响消防通道</b>。<o:p></o:p></p>"
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
    "<ul><li>第一次协商未果</li><li>社区调解后清理</li></ul>"
    "<!--EndFragment--></body></html>"
)


@pytest.fixture
def workbench(content_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """`pufa serve` on a copy of the example county: (base URL, content, site folder)."""
    port = free_port()
    site = tmp_path / "site"
    cmd = [
        "--content", str(content_copy), "--port", str(port),
        "--config", str(ROOT / "mkdocs.yml"), "--themes", str(ROOT / "themes"),
        "--work", str(tmp_path / "work"), "--out", str(site),
    ]  # fmt: skip
    with pufa_serve(cmd, "工作台"):
        yield f"http://127.0.0.1:{port}", content_copy, site


def _pick(page: Any, field: str, query: str) -> None:
    box = page.locator(f'.wb-field[data-field="{field}"]')
    box.locator(".wb-add .wb-picker-search").fill(query)
    box.get_by_role("button", name="添加").click()


def _save(page: Any) -> str:
    page.locator(".wb-message").evaluate("e => e.textContent = ''")
    page.click("#wb-save")
    page.wait_for_function(
        "() => { const t = document.querySelector('.wb-message').textContent;"
        " return t.length > 0 && !t.includes('正在'); }"
    )
    return str(page.inner_text(".wb-message"))


def test_new_case_through_the_forms(workbench: tuple[str, Path, Path], browser: Any) -> None:
    base, content, site = workbench
    before = sorted(p.name for p in (content / "cases").iterdir())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30000)
    page.goto(base + "/__pufa/list/cases")
    page.get_by_role("link", name="新建案例").click()
    page.fill('[name="f.title"]', "楼道堆放杂物，社区调解来清理")
    page.fill('[name="f.category"]', "邻里纠纷")
    page.fill('[name="f.date"]', "2024-05-01")
    # A phone number in the summary: the privacy check of `pufa check` refuses it.
    page.fill('[name="f.summary"]', "邻居在楼道堆放杂物，联系电话13812345678，社区调解后清理。")
    _pick(page, "villages", "蓝欣")
    _pick(page, "villages", "锦华")
    law = page.locator('.wb-field[data-field="law"]')
    for text in ("《中华人民共和国民法典》第二百八十八条", "《中华人民共和国消防法》第二十八条"):
        law.get_by_role("button", name="添加一项").click()
        law.locator("input[type=text]").last.fill(text)
    body = page.locator("#wb-body")
    body.fill("")
    body.evaluate(
        """(el, html) => { const dt = new DataTransfer(); dt.setData('text/html', html);
        dt.setData('text/plain', 'x'); el.focus();
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }""",
        WORD_HTML,
    )
    page.wait_for_function("() => document.getElementById('wb-body').value.includes('消防通道')")
    pasted = body.input_value()
    assert "## 案情" in pasted and "**影响消防通道**" in pasted and "- 第一次协商未果" in pasted
    assert "宋体" not in pasted and "\u3000" not in pasted and "color" not in pasted

    message = _save(page)
    assert "有问题" in message
    problem = page.locator('.wb-field[data-field="summary"] .wb-problem').first
    assert "13812345678" in problem.inner_text() or "电话" in problem.inner_text()
    assert sorted(p.name for p in (content / "cases").iterdir()) == before  # nothing written
    ident = page.input_value('[name="new_id"]')
    assert ident.startswith("lou-dao")
    assert (content.parent / ".pufa-state" / "waiting" / "cases" / f"{ident}.md").is_file()

    page.fill('[name="f.summary"]', "邻居在楼道堆放杂物，社区调解后清理，楼道恢复畅通。")
    assert _save(page) == "已保存。"
    saved = (content / "cases" / f"{ident}.md").read_text(encoding="utf-8")
    assert "villages: [lanxin, jinhua]" in saved and "第二百八十八条" in saved
    assert "**影响消防通道**" in saved

    page.click("#wb-preview-page")
    frame = page.frame_locator("#wb-page-frame")
    frame.locator("h1", has_text="楼道堆放杂物").wait_for()
    assert frame.locator("strong", has_text="影响消防通道").count() == 1
    page.click("#wb-preview-print")
    page.wait_for_function(
        "() => document.getElementById('wb-print-time').textContent.includes('案例海报')"
    )
    poster = page.frame_locator("#wb-print-frame").locator("img")
    poster.wait_for()
    assert poster.evaluate("i => i.complete && i.naturalWidth") > 500
    assert page.locator("#wb-print-notes li").count() >= 1  # the fitting notes, or "all fits"

    page.get_by_role("link", name="生成网站").click()
    page.click("#wb-build")
    page.locator(".wb-summary").wait_for(timeout=240000)
    assert "生成完成" in page.inner_text(".wb-summary")
    built = site / "cases" / ident / "index.html"
    assert "楼道堆放杂物，社区调解来清理" in built.read_text(encoding="utf-8")
    page.close()


def test_village_advisors_change_the_card(workbench: tuple[str, Path, Path], browser: Any) -> None:
    base, content, _ = workbench
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(30000)
    page.goto(base + "/__pufa/edit/villages/lanxin")

    def card() -> str:
        page.evaluate("() => { document.getElementById('wb-print-time').textContent = ''; }")
        page.click("#wb-preview-print")
        page.wait_for_function(
            "() => document.getElementById('wb-print-time').textContent.includes('便民卡')"
        )
        img = page.frame_locator("#wb-print-frame").locator("img").first
        img.wait_for()
        return str(img.get_attribute("src"))

    first = card()
    advisors = page.locator('.wb-field[data-field="advisors"]')
    advisors.locator(".wb-row").first.get_by_role("button", name="删除这一项").click()
    _pick(page, "advisors", "江涛")
    assert "江涛" in advisors.locator(".wb-rows").inner_text()
    second = card()
    assert second != first  # a different card: its digest changed with the advisor
    assert "advisors: [guo-xiao]" in (content / "villages" / "lanxin.md").read_text("utf-8")
    assert _save(page) == "已保存。"
    assert "advisors: [jiang-tao]" in (content / "villages" / "lanxin.md").read_text("utf-8")
    page.close()
