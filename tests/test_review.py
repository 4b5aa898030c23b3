"""The approved tree and the history without a browser: forged approvals refused, a
reference to an unapproved item falls back, command-line edits get their own commit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from site_builder.content import load
from site_builder.errors import PufaError
from site_builder.review import records
from site_builder.review.approved import approved_tree, reviewed_files
from site_builder.review.gitrepo import blob_id
from site_builder.review.signing import publish_public_key
from site_builder.workbench.history import History


def _setup(content: Path, state: Path) -> History:
    site = content / "site.yml"
    site.write_text(site.read_text("utf-8") + "review:\n  required: true\n", "utf-8")
    files = {r: blob_id((content / r).read_bytes()) for r in reviewed_files(content)}
    key = publish_public_key(state, content).relative_to(content).as_posix()
    hist = History(content)
    hist.record([records.add_baseline(content, state, files, "王五"), key], "王五", "王五 启用审核")
    return hist


def test_unapproved_reference_falls_back(content_copy: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    hist = _setup(content_copy, state)
    case = content_copy / "cases" / "lease-deposit.md"
    old = case.read_text("utf-8")
    village = content_copy / "villages" / "lanxin.md"
    (content_copy / "villages" / "xin-cun.md").write_text(
        village.read_text("utf-8").replace("蓝欣社区", "新村"), "utf-8"
    )
    text = old.replace("villages: [", "villages: [xin-cun, ", 1)
    assert text != old
    case.write_text(text, "utf-8")
    hist.record(["cases/lease-deposit.md", "villages/xin-cun.md"], "张三", "张三 修改了案例")
    records.add_approval(
        content_copy, state, "cases/lease-deposit.md", blob_id(text.encode()), "李四", []
    )
    tree = approved_tree(content_copy, tmp_path / "work", state)
    assert tree is not None
    assert (tree.root / "cases" / "lease-deposit.md").read_text("utf-8") == old
    assert not (tree.root / "villages" / "xin-cun.md").exists()
    assert any("lease-deposit.md 引用了还没有审核通过的内容" in n for n in tree.notes), tree.notes
    load(tree.root)


def test_forged_or_replaced_key_is_refused(content_copy: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    _setup(content_copy, state)
    approval = next((content_copy / ".review" / "approvals").glob("*.json"))
    record = json.loads(approval.read_text("utf-8"))
    record["files"]["cases/new.md"] = "0" * 40
    approval.write_text(json.dumps(record), "utf-8")
    with pytest.raises(PufaError, match="签名不对"):
        approved_tree(content_copy, tmp_path / "work", state)
    # A public key replaced in the content folder is not believed on the 工作台's machine.
    other = tmp_path / "other-state"
    publish_public_key(other, content_copy)
    with pytest.raises(PufaError, match="替换了公钥"):
        approved_tree(content_copy, tmp_path / "work", state)


def test_command_line_edits_get_their_own_commit(content_copy: Path, tmp_path: Path) -> None:
    hist = History(content_copy)
    hist.sweep()
    (content_copy / "about.md").write_text("---\ntitle: 关于\n---\n命令行改的\n", "utf-8")
    case = content_copy / "cases" / "lease-deposit.md"
    case.write_text(case.read_text("utf-8") + "\n工作台改的\n", "utf-8")
    hist.record(["cases/lease-deposit.md"], "张三", "张三 修改了案例《x》")

    def show(rev: str) -> str:
        return subprocess.run(
            ["git", "show", "--name-only", "--format=%an|%s", rev],
            cwd=content_copy, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    newest, older = show("HEAD"), show("HEAD~1")
    assert newest.startswith("张三|张三 修改了案例《x》") and "cases/lease-deposit.md" in newest
    assert "about.md" not in newest
    assert older.startswith("命令行|工作台之外的修改") and "about.md" in older
