"""The 工作台's server side: saves that never lose work, and safe by default."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient

from site_builder.build import BuildOptions
from site_builder.content.fields import spec
from site_builder.content.types import Case
from site_builder.errors import ConfigError
from site_builder.serve import serve
from site_builder.workbench import store
from site_builder.workbench.app import create_app
from site_builder.workbench.paste import html_to_markdown
from site_builder.workbench.paths import PathRefused, inside
from tests.conftest import ROOT

PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def client(content_copy: Path, tmp_path: Path) -> Iterator[tuple[TestClient, str, Path]]:
    opts = BuildOptions(
        content=content_copy,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        themes=ROOT / "themes",
        work=tmp_path / "work",
    )
    app = create_app(opts, tmp_path / "preview", PORT, [])
    with TestClient(app, base_url=BASE) as c:
        yield c, app.state.wb.csrf, content_copy


def _version(c: TestClient, url: str) -> str:
    page = c.get(url).text
    found = re.search(r'name="version" value="([0-9a-f]*)"', page)
    assert found
    return found.group(1)


CASE_FORM = {
    "f.title": "房东扣押金，法律顾问来调解",
    "f.category": "房屋租赁",
    "f.date": "2020-09-24",
    "f.summary": "房东扣押金，法律顾问调解后退还。",
    "f.villages": ["lanxin"],
    "body": "## 案情\n\n正文。\n",
}


def test_a_save_keeps_order_comments_and_body(client: tuple[TestClient, str, Path]) -> None:
    c, csrf, content = client
    case = content / "cases" / "lease-deposit.md"
    case.write_text("---\n# 注释\n" + case.read_text("utf-8")[4:], encoding="utf-8")
    version = _version(c, "/__pufa/edit/cases/lease-deposit")
    r = c.post(
        "/__pufa/api/save/cases/lease-deposit",
        data={**CASE_FORM, "csrf": csrf, "version": version, "new_id": "lease-deposit"},
    )
    assert r.json()["status"] == "saved", r.json()
    text = case.read_text("utf-8")
    assert text.startswith("---\n# 注释\ntitle: 房东扣押金，法律顾问来调解\ncategory: 房屋租赁\n")
    assert "villages: [lanxin]" in text and "tags:" not in text and text.endswith("正文。\n")


def test_a_stale_save_is_refused(client: tuple[TestClient, str, Path]) -> None:
    c, csrf, content = client
    version = _version(c, "/__pufa/edit/cases/lease-deposit")
    case = content / "cases" / "lease-deposit.md"
    theirs = case.read_text("utf-8").replace("房东不退押金", "另一个人改的标题")
    case.write_text(theirs, encoding="utf-8")
    r = c.post(
        "/__pufa/api/save/cases/lease-deposit",
        data={**CASE_FORM, "csrf": csrf, "version": version, "new_id": "lease-deposit"},
    )
    assert r.status_code == 409
    assert r.json()["message"].startswith("这个文件已被修改")
    assert "-title: 另一个人改的标题" in r.json()["diff"]
    assert case.read_text("utf-8") == theirs  # never overwritten


def test_an_edit_with_problems_waits_and_the_file_stays(
    client: tuple[TestClient, str, Path],
) -> None:
    c, csrf, content = client
    case = content / "cases" / "lease-deposit.md"
    before = case.read_bytes()
    version = _version(c, "/__pufa/edit/cases/lease-deposit")
    data = {**CASE_FORM, "f.date": "2020年9月24日", "csrf": csrf, "version": version}
    r = c.post("/__pufa/api/save/cases/lease-deposit", data={**data, "new_id": "lease-deposit"})
    body = r.json()
    assert body["status"] == "waiting"
    assert [(p["field"], p["message"]) for p in body["problems"]] == [
        ("date", "日期“2020年9月24日”格式不对，应写成 年-月-日，如 2021-01-15")
    ]
    assert case.read_bytes() == before
    waiting = content.parent / ".pufa-state" / "waiting" / "cases" / "lease-deposit.md"
    assert "2020年9月24日" in waiting.read_text("utf-8")
    page = c.get("/__pufa/edit/cases/lease-deposit").text  # the form reopens the waiting edit
    assert "暂存在工作台里" in page and "2020年9月24日" in page
    assert "有问题" in c.get("/__pufa/list/cases").text


@pytest.mark.parametrize(
    "url",
    [
        "/__pufa/edit/cases/..%2F..%2F..%2Fetc%2Fpasswd",
        "/__pufa/edit/..%2F..%2Fetc/passwd",
        "/__pufa/edit/cases/%2E%2E",
        "/../../etc/passwd",
        "/__pufa/print/..%2F..%2Fetc%2Fpasswd",
        "/__pufa/static/..%2F..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_no_path_outside_the_content_folder(client: tuple[TestClient, str, Path], url: str) -> None:
    c, _, _ = client
    r = c.get(url)
    assert r.status_code in (400, 403, 404) and "root:" not in r.text


def test_a_symlink_out_is_refused(client: tuple[TestClient, str, Path], tmp_path: Path) -> None:
    c, csrf, content = client
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\n---\n", encoding="utf-8")
    (content / "cases" / "evil.md").symlink_to(secret)
    r = c.get("/__pufa/edit/cases/evil")
    assert r.status_code == 403 and "机密" not in r.text
    r = c.post("/__pufa/api/save/cases/evil", data={**CASE_FORM, "csrf": csrf, "version": ""})
    assert r.status_code == 403 and secret.read_text("utf-8") == "---\ntitle: 机密\n---\n"
    with pytest.raises(PathRefused):
        inside(content, "../secret.md")


def test_a_change_without_the_csrf_token_is_refused(client: tuple[TestClient, str, Path]) -> None:
    c, _, content = client
    case = content / "cases" / "lease-deposit.md"
    before = case.read_bytes()
    for token in ({}, {"csrf": "wrong"}):
        r = c.post("/__pufa/api/save/cases/lease-deposit", data={**CASE_FORM, **token})
        assert r.status_code == 403 and "安全令牌" in r.json()["message"]
    assert c.post("/__pufa/api/build", data={}).status_code == 403
    assert c.post("/__pufa/api/delete/cases/lease-deposit", data={}).status_code == 403
    assert case.read_bytes() == before


def test_a_foreign_host_or_origin_is_refused(client: tuple[TestClient, str, Path]) -> None:
    c, csrf, _ = client
    r = c.get("/__pufa/list/cases", headers={"Host": f"attacker.example:{PORT}"})
    assert r.status_code == 421 and "拒绝访问" in r.text
    r = c.post(
        "/__pufa/api/paste",
        data={"csrf": csrf, "html": "<p>x</p>"},
        headers={"Origin": "http://attacker.example"},
    )
    assert r.status_code == 403


def test_serve_refuses_other_addresses(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="只能在本机使用"):
        serve(BuildOptions(content=tmp_path), host="0.0.0.0", port=0)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (34.0, 5.0, 0.0), 4: (113.0, 20.0, 0.0)}  # GPSInfo
    exif[0x010F] = "某手机"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photo_upload(client: tuple[TestClient, str, Path]) -> None:
    c, csrf, content = client
    fake = c.post(
        "/__pufa/api/photo",
        data={"csrf": csrf},
        files={"photo": ("guo-xiao.jpg", b"<script>alert(1)</script>", "image/jpeg")},
    )
    assert fake.status_code == 400 and "不是 JPEG、PNG 或 WebP" in fake.json()["message"]
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    wrong = c.post(
        "/__pufa/api/photo",
        data={"csrf": csrf},
        files={"photo": ("a.jpg", png.getvalue(), "image/jpeg")},
    )
    assert wrong.status_code == 400 and "内容却是 PNG" in wrong.json()["message"]
    assert not (content / "photos").exists() or not list((content / "photos").iterdir())
    ok = c.post(
        "/__pufa/api/photo",
        data={"csrf": csrf, "name": "郭晓"},
        files={"photo": ("IMG_0001.JPG", _jpeg_with_gps(), "image/jpeg")},
    )
    assert ok.json()["path"] == "photos/guo-xiao.jpg"
    with Image.open(content / "photos" / "guo-xiao.jpg") as saved:
        assert max(saved.size) == 1200 and not saved.getexif()


@dataclass
class CaseWithExtra(Case):
    """Case with one more declared key, as a later issue might add."""

    hotline_note: str | None = spec("案例专用的咨询说明，如 周末可拨打值班电话", "text")


def test_a_field_added_to_a_type_appears_in_its_form(
    client: tuple[TestClient, str, Path], monkeypatch: Any
) -> None:
    c, _, _ = client
    monkeypatch.setitem(store.CONTENT_TYPES, "cases", CaseWithExtra)
    page = c.get("/__pufa/edit/cases/new").text
    assert 'name="f.hotline_note"' in page
    assert "案例专用的咨询说明，如 周末可拨打值班电话" in page


def test_every_response_is_escaped(client: tuple[TestClient, str, Path]) -> None:
    c, _, content = client
    case = content / "cases" / "lease-deposit.md"
    text = case.read_text("utf-8").replace("房东不退押金", '<script>alert("x")</script>', 1)
    case.write_text(text, encoding="utf-8")
    for url in (
        "/__pufa/list/cases",
        "/__pufa/edit/cases/lease-deposit",
        "/__pufa/list/cases?q=<script>",
    ):
        page = c.get(url).text
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_word_paste_becomes_clean_markdown() -> None:
    html = (
        '<p class="MsoTitle">标题</p><p class=MsoNormal style="color:red">'
        '<span style="font-family:宋体">\u3000\u3000第一段</span><o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><p><span style="font-weight:bold">重点</span></p>'
        "<ol><li>一</li><li>二</li></ol><script>alert(1)</script>"
    )
    assert html_to_markdown(html) == "## 标题\n\n第一段\n\n**重点**\n\n1. 一\n2. 二\n"
