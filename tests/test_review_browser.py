"""审核与留痕 in Chromium with two browser contexts (编辑 张三, 审核 李四): write and
submit; the 编辑 cannot approve; the 审核 returns it with a comment; the 编辑 fixes it; the
审核 approves; only then does the built site carry it; an edit after approval takes the
site back to the approved version; the history shows every step with its author and
restores an old version."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.accounts.users import UserStore
from site_builder.build import BuildOptions, build
from site_builder.review import records
from site_builder.review.approved import reviewed_files
from site_builder.review.gitrepo import blob_id
from site_builder.review.signing import publish_public_key
from site_builder.workbench.history import History
from tests.conftest import ROOT
from tests.servers import pufa_serve
from tests.test_serve import free_port

PASSWORDS = {"张三": "editor-password-1", "李四": "review-password-1", "王五": "admin-password-1"}
CASE = "cases/lease-deposit.md"


@pytest.fixture
def reviewed(content_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A county with ``review: {required: true}``, three accounts, everything existing
    approved once (the 管理员's baseline), and `pufa serve` on it."""
    os.environ["PUFA_ARGON2_COST"] = "test"
    state = tmp_path / ".pufa-state"
    users = UserStore(state)
    users.add("张三", "编辑", PASSWORDS["张三"])
    users.add("李四", "审核", PASSWORDS["李四"])
    users.add("王五", "管理员", PASSWORDS["王五"])
    site = content_copy / "site.yml"
    site.write_text(
        site.read_text("utf-8") + "review:\n  required: true\n  reviewers: 1\n", "utf-8"
    )
    files = {
        rel: blob_id((content_copy / rel).read_bytes()) for rel in reviewed_files(content_copy)
    }
    key = publish_public_key(state, content_copy).relative_to(content_copy).as_posix()
    baseline = records.add_baseline(content_copy, state, files, "王五")
    History(content_copy).record([baseline, key], "王五", "王五 启用审核")
    port = free_port()
    cmd = [
        "--content", str(content_copy), "--port", str(port), "--state", str(state),
        "--config", str(ROOT / "mkdocs.yml"), "--themes", str(ROOT / "themes"),
        "--work", str(tmp_path / "work"), "--out", str(tmp_path / "site"),
    ]  # fmt: skip
    with pufa_serve(cmd, "工作台"):
        yield f"http://127.0.0.1:{port}", content_copy, state


def built_summary(content: Path, state: Path, tmp: Path) -> str:
    """The 要点 of the case page in a fresh build (pages only)."""
    out = tmp / "built"
    build(
        BuildOptions(
            content=content,
            out=out,
            config=ROOT / "mkdocs.yml",
            themes=ROOT / "themes",
            work=tmp / "build-work",
            render_print=False,
            state=state,
        )
    )
    return (out / "cases" / "lease-deposit" / "index.html").read_text("utf-8")


def login(browser: Any, base: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(base + "/__pufa/edit/cases/lease-deposit")
    assert "/__pufa/login" in page.url
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORDS[name])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/__pufa/edit/cases/lease-deposit")
    return page


def save_summary(page: Any, text: str) -> None:
    page.goto(page.url.split("?")[0])
    page.fill('[name="f.summary"]', text)
    page.locator(".wb-message").evaluate("e => e.textContent = ''")
    page.click("#wb-save")
    page.wait_for_function(
        "() => document.querySelector('.wb-message').textContent.includes('已保存')"
    )
    page.reload()  # the review box shows the new version's state


def test_write_return_fix_approve_publish_and_restore(
    reviewed: tuple[str, Path, Path], browser: Any, tmp_path: Path
) -> None:
    base, content, state = reviewed
    original = built_summary(content, state, tmp_path)
    editor, reviewer = login(browser, base, "张三"), login(browser, base, "李四")
    try:
        # 编辑 writes and submits; the site keeps the approved version.
        save_summary(editor, "第一版要点：房东应当退还押金。")
        editor.get_by_role("button", name="提交审核").click()
        editor.wait_for_url("**done=submitted")
        assert editor.locator(".wb-review-state").inner_text() == "待审核"
        # The same 编辑 cannot approve: no button, and the action itself is refused.
        assert editor.get_by_role("button", name="审核通过").count() == 0
        blob = blob_id((content / CASE).read_bytes())
        refused = editor.evaluate(
            """async ([blob]) => { const fd = new FormData();
            fd.append('csrf', document.querySelector('meta[name=pufa-csrf]').content);
            fd.append('path', 'cases/lease-deposit.md'); fd.append('blob', blob);
            const r = await fetch('/__pufa/review/approve', {method: 'POST', body: fd});
            return [r.status, await r.text()]; }""",
            [blob],
        )
        assert refused[0] == 403 and "只有“审核”" in refused[1]
        assert "第一版要点" not in built_summary(content, state, tmp_path)

        # 审核 returns it with a comment.
        reviewer.goto(base + "/__pufa/review")
        row = reviewer.locator('tr[data-path="cases/lease-deposit.md"]')
        assert row.locator(".wb-review-state").inner_text() == "待审核"
        row.get_by_label("退回意见").fill("请写明押金的法律依据。")
        row.get_by_role("button", name="退回修改").click()
        reviewer.wait_for_url("**done=returned")

        # 编辑 sees the comment, fixes and submits again.
        editor.goto(base + "/__pufa/edit/cases/lease-deposit")
        assert editor.locator(".wb-review-state").inner_text() == "已退回"
        assert "请写明押金的法律依据。" in editor.locator(".wb-review-box").inner_text()
        save_summary(editor, "第二版要点：依据民法典第七百零三条，房东应当退还押金。")
        editor.get_by_role("button", name="提交审核").click()
        editor.wait_for_url("**done=submitted")
        assert "第二版要点" not in built_summary(content, state, tmp_path)

        # 审核 approves; only now does the built site carry it.
        reviewer.goto(base + "/__pufa/review")
        row = reviewer.locator('tr[data-path="cases/lease-deposit.md"]')
        row.get_by_role("button", name="审核通过").click()
        reviewer.wait_for_url("**done=approved")
        assert "第二版要点" in built_summary(content, state, tmp_path)

        # An edit after approval: the site goes back to the approved version.
        save_summary(editor, "第三版要点：未经审核的改动。")
        page = built_summary(content, state, tmp_path)
        assert "第二版要点" in page and "第三版要点" not in page

        # The history: every step with its author; restore the first version.
        editor.goto(base + "/__pufa/history/cases/lease-deposit")
        steps = editor.locator(".wb-version .wb-subject").all_inner_texts()
        authors = editor.locator(".wb-version .wb-author").all_inner_texts()
        expected = [
            "张三 修改了案例", "张三 提交审核", "李四 退回了案例", "张三 修改了案例",
            "张三 提交审核", "李四 审核通过了案例", "张三 修改了案例",
        ]  # fmt: skip
        joined = list(reversed(steps))
        at = 0
        for step in joined:
            if at < len(expected) and step.startswith(expected[at]):
                at += 1
        assert at == len(expected), joined
        assert {"张三", "李四"} <= set(authors)
        assert "请写明押金的法律依据" in " ".join(steps)
        first = editor.locator(".wb-version", has_text="第一版要点").filter(
            has=editor.get_by_role("button", name="恢复这个版本")
        )
        first.locator("ins", has_text="第一版要点").first.wait_for()
        first.get_by_role("button", name="恢复这个版本").first.click()
        editor.wait_for_url("**done=restored")
        assert "第一版要点" in (content / CASE).read_text("utf-8")
        newest = editor.locator(".wb-version .wb-subject").first.inner_text()
        assert newest.startswith("张三 把案例《") and "恢复到" in newest
        assert "第二版要点" in built_summary(content, state, tmp_path)  # restore needs review too
        assert original  # the first build had the baseline version
    finally:
        editor.context.close()
        reviewer.context.close()
