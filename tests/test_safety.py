"""Nothing lost: output folders that cannot eat input, one command at a time, a ledger that is
never forgotten, and honest messages (issue 13, items 1–3 and 6)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.build import BuildOptions
from site_builder.cli import main
from site_builder.safefs import SITE_MARKER, os_reason
from site_builder.serve import Preview, preview_routes
from site_builder.worklock import work_lock
from tests.conftest import ROOT, build_opts


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (what 'touching nothing' is checked against)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run_build(content: Path, out: Path | str, *extra: str) -> list[str]:
    return [
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--themes",
        str(ROOT / "themes"),
        *extra,
    ]


# (how to name the output folder, from the test's folders; the exact message)
REFUSED_OUTPUTS = [
    pytest.param(
        lambda c, t: c,
        "输出文件夹 {c} 就是内容文件夹 {c}：生成时会整个替换输出文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 site",
        id="content",
    ),
    pytest.param(
        lambda c, t: c.parent,
        "输出文件夹 {p} 包含了内容文件夹 {c}：生成时会整个替换输出文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 site",
        id="parent-of-content",
    ),
    pytest.param(
        lambda c, t: c / "cases" / "site",
        "输出文件夹 {c}/cases/site 在内容文件夹 {c} 里面：生成的文件不能放进内容文件夹，"
        "请换一个文件夹，如 site",
        id="inside-content",
    ),
    pytest.param(
        lambda c, t: ROOT / "themes",
        "输出文件夹 {r}/themes 就是样式文件夹 {r}/themes：生成时会整个替换输出文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 site",
        id="themes",
    ),
    pytest.param(
        lambda c, t: ROOT / "themes" / "default" / "out",
        "输出文件夹 {r}/themes/default/out 在样式文件夹 {r}/themes 里面：生成的文件不能放进"
        "样式文件夹，请换一个文件夹，如 site",
        id="inside-themes",
    ),
    pytest.param(
        lambda c, t: Path("/"),
        "输出文件夹 / 包含了内容文件夹 {c}：生成时会整个替换输出文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 site",
        id="filesystem-root",
    ),
    pytest.param(
        lambda c, t: t / "home",
        "输出文件夹 {t}/home 就是用户主目录 {t}/home：生成时会整个替换输出文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 site",
        id="home",
    ),
    pytest.param(
        lambda c, t: t / "photos",
        "输出文件夹 {t}/photos 里已经有别的文件，而且不是 pufa 生成的：为了不删掉它们，"
        "没有做任何改动。请换一个新的或空的文件夹",
        id="foreign-folder",
    ),
]


@pytest.mark.parametrize(("where", "message"), REFUSED_OUTPUTS)
def test_build_refuses_outputs_that_would_eat_input(
    content_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: object,
    message: str,
) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "family.jpg").write_bytes(b"\xff\xd8 not pufa's")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    out = where(content_copy, tmp_path)  # type: ignore[operator]
    before = {p: tree(p) for p in (content_copy, ROOT / "themes", tmp_path)}
    code = main(run_build(content_copy, out))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == message.format(c=content_copy, p=content_copy.parent, r=ROOT, t=tmp_path)
    assert {p: tree(p) for p in before} == before


def test_project_root_is_refused(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(run_build(content_copy, ROOT)) == 2
    assert capsys.readouterr().err.startswith(f"输出文件夹 {ROOT} 包含了样式文件夹")


def test_work_folder_inside_content_is_refused(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(content_copy)
    code = main(run_build(content_copy, tmp_path / "site", "--work", str(content_copy)))
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"临时文件夹 {content_copy} 就是内容文件夹 {content_copy}：生成时会整个替换临时文件夹，"
        "这样会删掉您的文件。请换一个新的文件夹，如 .pufa-build"
    )
    assert tree(content_copy) == before


def test_pufa_folders_are_rebuilt_and_carry_a_marker(content_copy: Path, tmp_path: Path) -> None:
    """A site built by pufa (marker) and one built before the marker existed (its print
    manifest) are replaced; an empty folder is used."""
    legacy = tmp_path / "old-site"
    (legacy / "print").mkdir(parents=True)
    (legacy / "print" / "manifest.json").write_text("[]", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for out in (legacy, tmp_path / "empty"):
        assert main(run_build(content_copy, out, "--work", str(tmp_path / "work"))) == 0
        assert (out / SITE_MARKER).is_file() and (out / "index.html").is_file()
    assert main(run_build(content_copy, legacy, "--work", str(tmp_path / "work"))) == 0


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param(
            "{c}/cases/lease-deposit.md",
            "不能把输出写到内容文件夹里（{c}/cases/lease-deposit.md）：那里的文件是内容本身，"
            "会被覆盖。请写到别的地方，如 文章.html",
            id="into-content",
        ),
        pytest.param(
            "{t}/missing/article.html",
            "没有文件夹 {t}/missing：请先建好这个文件夹，或换一个位置",
            id="missing-folder",
        ),
        pytest.param(
            "{t}/letter.html",
            "{t}/letter.html 已经存在，而且不是 pufa wechat 生成的：为了不覆盖它，没有写入。"
            "请换一个文件名",
            id="foreign-file",
        ),
        pytest.param("{t}", "{t} 是一个文件夹：请写一个文件名，如 文章.html", id="a-folder"),
    ],
)
def test_wechat_output_never_overwrites_what_it_did_not_make(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    target: str,
    message: str,
) -> None:
    (tmp_path / "letter.html").write_text("<p>给村委会的信</p>", encoding="utf-8")
    before = tree(tmp_path)
    out = target.format(c=content_copy, t=tmp_path)
    code = main(["wechat", "lease-deposit", "--content", str(content_copy), "-o", out])
    assert code == 2
    assert capsys.readouterr().err.strip() == message.format(c=content_copy, t=tmp_path)
    assert tree(tmp_path) == before


def test_wechat_output_can_be_made_again(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "文章.html"
    args = ["wechat", "lease-deposit", "--content", str(content_copy), "-o", str(out)]
    assert main(args) == 0
    first = out.read_text(encoding="utf-8")
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == first
    assert "房东不退押金" in first


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("", 2, "请写上名称，如：pufa new advisor 郭晓（名称不能是空的）"),
        ("   ", 2, "请写上名称，如：pufa new advisor 郭晓（名称不能是空的）"),
        (
            "Print",
            1,
            "名称“Print”生成的编号“print”是保留字（网址里另有用处），请换一个名称，或在名称里多写几个字",
        ),
        (
            "category",
            1,
            "名称“category”生成的编号“category”是保留字（网址里另有用处），请换一个名称，或在名称里多写几个字",
        ),
    ],
)
def test_new_refuses_empty_names_and_reserved_ids(
    content_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(content_copy.parent)  # its own work folder, whatever else runs
    before = tree(content_copy)
    assert main(["new", "--content", str(content_copy), "case", name]) == code
    assert capsys.readouterr().err.strip() == message
    assert tree(content_copy) == before


def test_demo_data_refuses_folders_with_files_and_the_content_folder(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(content_copy)
    assert main(["demo-data", "--villages", "2", "--out", str(content_copy / "cases")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"输出文件夹 {content_copy}/cases 里已经有别的文件，而且不是 pufa 生成的：为了不删掉它们，"
        "没有做任何改动。请换一个新的或空的文件夹"
    )
    assert tree(content_copy) == before
    monkeypatch.chdir(ROOT)
    assert main(["demo-data", "--villages", "2", "--out", "content/demo"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"输出文件夹 content/demo 在内容文件夹 {ROOT}/content 里面：生成的文件不能放进"
        "内容文件夹，请换一个文件夹，如 demo"
    )
    assert not (ROOT / "content" / "demo").exists()


# --- the ledger ---------------------------------------------------------------------------

CONFLICTED = """[
"cases/lease-deposit/",
<<<<<<< HEAD
"cases/old-a/",
=======
"cases/old-b/",
>>>>>>> township-office
"villages/lanxin/"
]
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            CONFLICTED,
            ".published.json:3: 文件: 已发布网址清单里有 git 合并冲突的标记（<<<<<<< ======= >>>>>>>）："
            "两边的网址都要保留——删掉这三种标记行，保留两边的全部网址（每行一个，用逗号分隔），"
            "再运行 pufa check；不要删掉任何一个网址，它们印在海报上",
            id="merge-conflict",
        ),
        pytest.param(
            '["cases/a/",\n"cases/b/"\n',
            ".published.json:3: 文件: 已发布网址清单格式不对（不是 JSON）。这个文件记录所有印出去的网址，"
            "构建已停止，没有改动它；请从版本库恢复（git checkout -- content/.published.json）或改正后再试",
            id="truncated",
        ),
        pytest.param(
            '{"cases/a/": 1}\n',
            ".published.json:1: 文件: 已发布网址清单应为网址的列表。这个文件记录所有印出去的网址，"
            "构建已停止，没有改动它；请从版本库恢复（git checkout -- content/.published.json）或改正后再试",
            id="not-a-list",
        ),
    ],
)
def test_a_broken_ledger_stops_the_build_and_is_kept(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    ledger = content_copy / ".published.json"
    ledger.write_text(text, encoding="utf-8")
    code = main(run_build(content_copy, tmp_path / "site", "--work", str(tmp_path / "work")))
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [f"{content_copy}/{message}", "发现 1 个问题，请按上面的提示修改后再试。"]
    assert ledger.read_text(encoding="utf-8") == text
    assert not (tmp_path / "site").exists()


def test_ledger_keeps_earlier_urls_and_is_written_atomically(
    content_copy: Path, tmp_path: Path
) -> None:
    ledger = content_copy / ".published.json"
    urls = json.loads(ledger.read_text(encoding="utf-8"))
    ledger.write_text(json.dumps([*urls, "cases/printed-last-year/"]), encoding="utf-8")
    assert main(run_build(content_copy, tmp_path / "site", "--work", str(tmp_path / "w"))) == 0
    after = json.loads(ledger.read_text(encoding="utf-8"))
    assert "cases/printed-last-year/" in after and set(urls) <= set(after)
    assert not list(content_copy.glob(".published.json*.tmp"))
    page = tmp_path / "site" / "cases" / "printed-last-year" / "index.html"
    assert "此内容已下线" in page.read_text(encoding="utf-8")


# --- one command at a time -------------------------------------------------------------------


def test_lock_is_reentrant_in_a_thread_and_exclusive_between_threads(tmp_path: Path) -> None:
    order: list[str] = []
    with work_lock(tmp_path, "serve"), work_lock(tmp_path, "build"):
        order.append("outer")

        def other() -> None:
            with work_lock(tmp_path, "import"):
                order.append("other")

        t = threading.Thread(target=other)
        t.start()
        time.sleep(0.3)
        order.append("outer-done")
    t.join(5)
    assert order == ["outer", "outer-done", "other"]


def test_a_second_process_waits_and_says_who_holds_the_lock(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from site_builder.worklock import work_lock\n"
        "with work_lock(Path(sys.argv[1]), sys.argv[2]):\n"
        "    print('got', flush=True)\n"
        "    time.sleep(float(sys.argv[3]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path), "build", "1.5"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert first.stdout is not None and first.stdout.readline().strip() == "got"
    started = time.monotonic()
    second = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), "import", "0"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    waited = time.monotonic() - started
    first.wait(10)
    assert second.stdout.strip() == "got"
    assert waited > 0.5
    assert f"pufa build（进程 {first.pid}，" in second.stderr
    assert f"开始）正在使用 {tmp_path}，等它结束后再继续……" in second.stderr


def test_two_builds_started_together_both_end_correct(content_copy: Path, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "site_builder.cli", *run_build(content_copy, tmp_path / "site")]
    cmd += ["--work", str(tmp_path / "work")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert sum("正在使用" in err for _, err in results) == 1
    site = tmp_path / "site"
    manifest = json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    assert all((site / entry["file"]).is_file() for entry in manifest)
    assert not list(tmp_path.glob(".site.*"))


# --- honest messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOENT, "找不到这个文件或文件夹"),
        (errno.EACCES, "没有权限"),
        (errno.ENOSPC, "磁盘空间不够"),
        (errno.EROFS, "磁盘是只读的"),
        (errno.ENOTDIR, "路径里有一段不是文件夹"),
        (errno.ECONNRESET, "系统错误（ECONNRESET）"),
    ],
)
def test_os_errors_in_chinese(code: int, reason: str) -> None:
    assert os_reason(OSError(code, os.strerror(code))) == reason


def test_internal_error_text_fits_the_command(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import site_builder.cli as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "load", broken)
    monkeypatch.chdir(content_copy.parent)
    sheet = content_copy.parent / "名单.csv"
    sheet.write_text("姓名,职务,联系电话\n郭晓,法律顾问,13800000000\n", encoding="utf-8")
    code = main(["import", "advisors", str(sheet), "--content", str(content_copy)])
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("程序内部错误（pufa import）。详细信息已写入 ")
    assert "网站" not in err and "Traceback" not in err


@pytest.fixture
def preview_server(tmp_path: Path) -> Iterator[tuple[Any, Path, Preview]]:
    """The live preview's routes (as `pufa serve` mounts them) on Starlette's test client."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    opts = build_opts(content, tmp_path / "work" / "preview", tmp_path / "work" / "pw")
    preview = Preview(BuildOptions(**{**opts.__dict__, "lock_dir": tmp_path / "work"}), [content])
    with TestClient(Starlette(routes=preview_routes(preview))) as client:
        yield client, content, preview


def fetch(client: Any, url: str) -> tuple[int, str]:
    resp = client.get(url)
    return resp.status_code, resp.text


def test_preview_on_broken_content_explains_in_chinese(
    preview_server: tuple[Any, Path, Preview],
) -> None:
    client, content, preview = preview_server
    (content / "cases" / "lease-deposit.md").write_text("---\ntitle：房东\n---\n", "utf-8")
    preview.rebuild()
    status, page = fetch(client, "/")
    assert status == 503
    assert "预览还没有生成" in page and "改好并保存后，这里会自动显示预览" in page
    assert "Not Found" not in page and "Error response" not in page
    status, state = fetch(client, "/__pufa/status")
    assert json.loads(state)["built"] is False
    assert any("全角冒号" in e for e in json.loads(state)["errors"])


def test_preview_missing_page_is_chinese(preview_server: tuple[Any, Path, Preview]) -> None:
    client, _, preview = preview_server
    preview.rebuild()
    status, page = fetch(client, "/cases/no-such-case/")
    assert status == 404
    assert "Not Found" not in page and "Error response" not in page
    assert "找不到" in page or "没有找到" in page
