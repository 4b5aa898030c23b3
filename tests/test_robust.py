"""Bad input never breaks a build: killed builds, unreadable codes, hostile files, fuzzing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build import build
from site_builder.cli import main
from site_builder.content import load
from site_builder.errors import BuildError, ContentError
from tests.conftest import ROOT, build_opts


def snapshot(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("stage", ["· 生成网页", "· 排版网页", "· 生成印刷品"])
def test_killed_build_leaves_previous_site_complete(
    content_copy: Path, tmp_path: Path, stage: str, example_print_cache: Path
) -> None:
    out = tmp_path / "site"
    opts = build_opts(content_copy, out, tmp_path / "work")
    opts.cache = example_print_cache
    build(opts)
    before = snapshot(out)
    case = content_copy / "cases" / "iou-loan.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("能要回来吗", "还能要回来吗"), encoding="utf-8"
    )
    cmd = [
        sys.executable,
        "-m",
        "site_builder.cli",
        "build",
        "--content",
        str(content_copy),
        "--out",
        str(out),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--themes",
        str(ROOT / "themes"),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        if line.startswith(stage) or time.monotonic() > deadline:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(out) == before
    assert "借钱给亲戚只有微信转账" in (out / "cases/iou-loan/index.html").read_text(
        encoding="utf-8"
    )
    # The next build cleans up and succeeds.
    build(opts)
    assert "还能要回来吗" in (out / "cases/iou-loan/index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_unreadable_qr_fails_the_build_and_keeps_the_site(
    content_copy: Path, tmp_path: Path, example_print_cache: Path
) -> None:
    themes = tmp_path / "themes"
    shutil.copytree(ROOT / "themes", themes)
    broken = themes / "broken" / "print"
    broken.mkdir(parents=True)
    (broken / "print.css").write_text("img.qr { visibility: hidden; }\n", encoding="utf-8")
    out = tmp_path / "site"
    good = build_opts(content_copy, out, tmp_path / "work")
    good.cache = example_print_cache  # the good site from before: its print laid out already
    build(good)
    before = snapshot(out)
    site = content_copy / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("theme: default", "theme: broken"),
        encoding="utf-8",
    )
    opts = build_opts(content_copy, out, tmp_path / "work")
    opts.themes = themes
    with pytest.raises(BuildError) as err:
        build(opts)
    message = str(err.value)
    assert message.startswith("印刷品的二维码检查没有通过：")
    assert (
        "print/case-poster/lease-deposit.png：二维码无法识别（来源 cases/lease-deposit.md）"
        in message
    )
    assert "print/card/lanxin.pdf：二维码无法识别（来源 villages/lanxin.md）" in message
    assert snapshot(out) == before
    # What failed its check was not cached as good: the next build draws and checks it again.
    with pytest.raises(BuildError) as again:
        build(opts)
    assert "print/card/lanxin.pdf：二维码无法识别（来源 villages/lanxin.md）" in str(again.value)
    assert snapshot(out) == before


def test_verify_command_finds_a_corrupted_png(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    # (a good site passing verify_manifest: tests/test_subpath.py, under a sub-path)
    png = site / "print/board/lanxin.png"
    data = bytearray(png.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 4000] = bytes(4000)
    png.unlink()  # it is a hard link into the cache: write a new file
    png.write_bytes(bytes(data))
    assert main(["verify", "--out", str(site), "--config", str(ROOT / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "print/board/lanxin.png：" in err
    assert "印刷品检查没有通过：1 个问题。" in err  # every other file of the site passed


def test_symlink_out_of_content_is_refused(content_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (content_copy / "cases" / "link.md").symlink_to(secret)
    with pytest.raises(ContentError) as err:
        load(content_copy)
    assert [str(p) for p in err.value.problems] == [
        "cases/link.md:1: 文件: 这个文件是指向 content/ 外面的链接，不允许"
    ]


def test_symlinked_photo_out_of_content_is_refused(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "photos").mkdir()
    (content_copy / "photos" / "x.jpg").symlink_to("/etc/hostname")
    p = content_copy / "advisors" / "guo-xiao.md"
    p.write_text(
        p.read_text(encoding="utf-8").replace("---\n", "---\nphoto: photos/x.jpg\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load(content_copy)
    assert [str(x) for x in err.value.problems] == [
        "advisors/guo-xiao.md:2: photo: 照片路径跑到了 content/ 文件夹外面，不允许"
    ]


def test_huge_file_and_deep_yaml_are_refused_quickly(content_copy: Path) -> None:
    (content_copy / "cases" / "huge.md").write_text(
        "---\ntitle: x\n---\n" + "字" * 600_000, encoding="utf-8"
    )
    deep = "---\ntitle: " + "[" * 200 + "]" * 200 + "\n---\n"
    (content_copy / "cases" / "deep.md").write_text(deep, encoding="utf-8")
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, k in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "---\n"
    )
    (content_copy / "cases" / "bomb.md").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ContentError) as err:
        load(content_copy)
    assert time.perf_counter() - started < 5
    lines = [str(p) for p in err.value.problems]
    assert "cases/huge.md:1: 文件: 文件太大（1757 KB），上限 1000 KB" in lines
    assert "cases/deep.md:2: 头部: 头部信息嵌套太深或太长，已拒绝读取" in lines
    assert "cases/bomb.md:2: 头部: 头部信息嵌套太深或太长，已拒绝读取" in lines


def _check_quietly(content: Path) -> None:
    try:
        load(content)
    except ContentError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.path and p.line >= 1 and p.message


FUZZ = settings(
    max_examples=60, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_problems_not_exceptions(content_copy: Path, data: bytes) -> None:
    (content_copy / "cases" / "fuzz.md").write_bytes(data)
    _check_quietly(content_copy)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "title",
        "category",
        "date",
        "summary",
        "law",
        "villages",
        "tags",
        "id",
        "draft",
        "renamed_from",
        "privacy_allow",
        "titel",
        "标题",
    ]
) | st.text(max_size=8)


@FUZZ
@given(front=st.dictionaries(keys, yaml_values, max_size=8), body=st.text(max_size=300))
def test_any_front_matter_gives_problems_not_exceptions(
    content_copy: Path, front: dict[str, object], body: str
) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    (content_copy / "cases" / "fuzz.md").write_text(text, encoding="utf-8")
    (content_copy / "villages" / "fuzz.md").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    _check_quietly(content_copy)
    assert time.perf_counter() - started < 1
