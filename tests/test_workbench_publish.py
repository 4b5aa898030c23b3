"""The 工作台's 「发布上线」 button: a publish on a thread with progress, roles and CSRF, the
message when no target is set, and the lists' 已发布 status from the last publish's record."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from site_builder.accounts.users import UserStore
from site_builder.build import BuildOptions
from site_builder.publish.record import site_files
from site_builder.workbench.app import create_app
from site_builder.workbench.publisher import LAST_PUBLISH
from tests.conftest import ROOT

PORT = 8125
BASE = f"http://127.0.0.1:{PORT}"
PASSWORDS = {"王五": "admin-password-1", "张三": "editor-password-1"}
ROLES = {"王五": "管理员", "张三": "编辑"}
CASE = "/__pufa/list/cases?q=lease-deposit"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUFA_ARGON2_COST", "test")


def _setup(content: Path, built_site: Path, tmp: Path, target: bool = True) -> BuildOptions:
    """A built site (the session's build, copied) and, with ``target``, publish.to set."""
    out = tmp / "site"
    shutil.copytree(built_site, out, symlinks=True)
    now = time.time()
    os.utime(out / ".pufa-site", (now, now))  # built after every content file
    if target:
        with (content / "site.yml").open("a", encoding="utf-8") as fh:
            fh.write(f"publish:\n  to: file://{tmp / 'www'}\n")
    return BuildOptions(
        content=content,
        out=out,
        config=ROOT / "mkdocs.yml",
        themes=ROOT / "themes",
        work=tmp / "work",
    )


def _wait(c: TestClient) -> dict[str, Any]:
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        s = c.get("/__pufa/api/publish").json()
        if not s["running"]:
            return dict(s)
        time.sleep(0.1)
    raise AssertionError("publish did not finish")


def _status_of_case(c: TestClient) -> str:
    found = re.search(r'<span class="wb-status[^"]*">([^<]+)</span>', c.get(CASE).text)
    assert found
    return found.group(1)


@pytest.fixture
def local(
    content_copy: Path, built_site: Path, tmp_path: Path
) -> Iterator[tuple[TestClient, str, Any]]:
    opts = _setup(content_copy, built_site, tmp_path)
    app = create_app(opts, tmp_path / "preview", PORT, [], state=tmp_path / ".pufa-state")
    with TestClient(app, base_url=BASE) as c:
        yield c, app.state.wb.csrf, app


def test_publish_to_a_folder_with_progress_summary_and_published_status(
    local: tuple[TestClient, str, Any], tmp_path: Path
) -> None:
    c, csrf, app = local
    page = c.get("/__pufa/publish").text
    assert "发布上线" in page and "先看看会改动什么" in page and str(tmp_path / "www") in page
    assert _status_of_case(c) == "已生成"
    stages: list[str] = []
    listener = app.state.wb.publisher._progress
    app.state.wb.publisher._progress = lambda p: (stages.append(p.stage), listener(p))

    # 先看看会改动什么: nothing sent, the file list shown.
    r = c.post("/__pufa/api/publish", data={"csrf": csrf, "dry_run": "1"})
    assert r.status_code == 200 and r.json()["started"], r.text
    s = _wait(c)
    total = len(site_files(tmp_path / "site"))
    assert s["ok"] and s["dry_run"], s
    assert any(f"将发送 {total} 个文件" in line for line in s["summary"]), s["summary"]
    assert len(s["send"]) == min(total, 200) and s["more"] == max(0, total - 200)
    assert all(f in site_files(tmp_path / "site") for f in s["send"])
    assert not (tmp_path / "www" / "index.html").exists()
    assert _status_of_case(c) == "已生成"

    r = c.post("/__pufa/api/publish", data={"csrf": csrf})
    assert r.status_code == 200 and r.json()["started"], r.text
    s = _wait(c)
    assert s["ok"] is True and s["stage"] == "完成" and not s["problems"], s
    assert s["files_done"] == s["files_total"] == total and s["bytes_done"] == s["bytes_total"]
    text = "\n".join(s["summary"])
    assert f"已发送 {total} 个文件" in text and "没有做发布后检查" in text  # no check_url
    assert {"上传网页", "更新发布记录", "完成"} <= set(stages)
    assert (tmp_path / "www" / "cases" / "lease-deposit" / "index.html").is_file()
    record = json.loads((tmp_path / ".pufa-state" / LAST_PUBLISH).read_text("utf-8"))
    target = json.loads((tmp_path / "www" / ".pufa" / "files.json").read_text("utf-8"))
    assert record["files"] == target["files"]
    assert _status_of_case(c) == "已发布"
    assert "已发布" in c.get("/__pufa/list/cases?status=已发布").text

    # A page changed after the publish: 已生成 again, not 已发布.
    page_file = tmp_path / "site" / "cases" / "lease-deposit" / "index.html"
    page_file.write_text(page_file.read_text("utf-8") + "<!-- changed -->", encoding="utf-8")
    assert _status_of_case(c) == "已生成"


def test_publish_without_csrf_is_refused(
    local: tuple[TestClient, str, Any], tmp_path: Path
) -> None:
    c, _, _ = local
    r = c.post("/__pufa/api/publish", data={})
    assert r.status_code == 403 and "安全令牌" in r.json()["message"]
    r = c.post("/__pufa/api/publish", data={"csrf": "wrong"})
    assert r.status_code == 403
    assert not c.get("/__pufa/api/publish").json()["running"]
    assert not (tmp_path / "www").exists()


def test_a_failed_check_names_the_pages(local: tuple[TestClient, str, Any], tmp_path: Path) -> None:
    c, csrf, app = local
    site = tmp_path / "content" / "site.yml"
    site.write_text(
        site.read_text("utf-8") + "  check_url: http://127.0.0.1:9/sfj/pufa/\n", encoding="utf-8"
    )
    app.state.wb.publisher.tune = {"check_timeout": 0.5, "check_interval": 0.2}
    assert "http://127.0.0.1:9/sfj/pufa/" in c.get("/__pufa/publish").text
    c.post("/__pufa/api/publish", data={"csrf": csrf})
    s = _wait(c)
    assert s["ok"] is False and s["stage"] == "失败", s
    assert "发布后检查没有通过" in s["summary"][0]
    assert "index.html" in s["problems"][0] or "127.0.0.1:9" in s["problems"][0], s["problems"]
    # the files landed (the target's record says so): the local copy is kept too
    assert (tmp_path / ".pufa-state" / LAST_PUBLISH).is_file()


def test_no_target_gives_the_chinese_message(
    content_copy: Path, built_site: Path, tmp_path: Path
) -> None:
    opts = _setup(content_copy, built_site, tmp_path, target=False)
    app = create_app(opts, tmp_path / "preview", PORT, [], state=tmp_path / ".pufa-state")
    with TestClient(app, base_url=BASE) as c:
        csrf = app.state.wb.csrf
        page = c.get("/__pufa/publish").text
        assert "还没有设置发布地址" in page and "docs/hosting.md" in page
        r = c.post("/__pufa/api/publish", data={"csrf": csrf})
        assert r.status_code == 409
        message = r.json()["message"]
        assert "还没有设置发布地址" in message and "publish:" in message
        assert "site.yml" in message and "docs/hosting.md" in message
        assert not c.get("/__pufa/api/publish").json()["running"]


def _login(app: Any, name: str) -> tuple[TestClient, str]:
    c = TestClient(app, base_url=BASE, client=("10.0.0.1", 5000), follow_redirects=False)
    r = c.post("/__pufa/login", data={"name": name, "password": PASSWORDS[name], "next": "/"})
    assert r.status_code == 303, r.text
    found = re.search(r'name="pufa-csrf" content="([^"]+)"', c.get("/__pufa/list/cases").text)
    assert found
    return c, found.group(1)


def test_with_accounts_only_the_admin_publishes(
    content_copy: Path, built_site: Path, tmp_path: Path
) -> None:
    state = tmp_path / ".pufa-state"
    users = UserStore(state)
    for name, pw in PASSWORDS.items():
        users.add(name, ROLES[name], pw)
    opts = _setup(content_copy, built_site, tmp_path)
    app = create_app(opts, tmp_path / "preview", PORT, [], state=state)
    anonymous = TestClient(app, base_url=BASE, follow_redirects=False)
    assert anonymous.post("/__pufa/api/publish", data={}).status_code in (303, 401, 403)

    editor, token = _login(app, "张三")
    r = editor.post("/__pufa/api/publish", data={"csrf": token})
    assert r.status_code == 403 and "管理员" in r.json()["message"]
    assert not (tmp_path / "www").exists()

    admin, token = _login(app, "王五")
    r = admin.post("/__pufa/api/publish", data={"csrf": token})
    assert r.status_code == 200 and r.json()["started"], r.text
    s = _wait(admin)
    assert s["ok"], s
    assert (tmp_path / "www" / "index.html").is_file()
