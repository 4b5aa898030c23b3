"""`pufa check` on bad input: a table of inputs → the exact Chinese message and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import main

CASE_OK = "---\ntitle: 标题\ncategory: 赡养\ndate: 2021-01-01\nsummary: 要点。\n---\n正文\n"

# (file to write, its bytes or text, expected lines of output)
BAD_INPUTS = [
    pytest.param(
        "cases/bad.md",
        "---\ntitle: 房东: 不退押金\ncategory: 租赁\n---\n",
        [
            "cases/bad.md:2: title: YAML 格式错误：这里不能出现冒号“:”；值里有冒号时，请给整个值加上引号"
        ],
        id="yaml-syntax",
    ),
    pytest.param(
        "cases/bad.md",
        '---\ntitle: "未配对\ncategory: 赡养\n---\n',
        ["cases/bad.md:2: title: YAML 格式错误：引号没有配对"],
        id="yaml-quote",
    ),
    pytest.param(
        "cases/bad.md",
        "---\ntitle：房东\ncategory: 赡养\n---\n",
        [
            "cases/bad.md:2: title: 用了全角冒号“：”；键名后面要用半角冒号“:”再加一个空格，如 title: 标题"
        ],
        id="fullwidth-colon",
    ),
    pytest.param(
        "cases/bad.md",
        "---\n标题：房东\n---\n",
        [
            "cases/bad.md:2: 标题: 键名要用英文（如 title、name），不能用中文“标题”；各类内容能用的键见 README"
        ],
        id="chinese-key",
    ),
    pytest.param(
        "cases/bad.md",
        "---\ntitle: 房东\ntags:\n  － 押金\n---\n",
        [
            "cases/bad.md:4: 头部: 列表项用了“－”；列表每项要以半角减号“-”加空格开头，如 - 不按规定交纳水费"
        ],
        id="fullwidth-list-mark",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.encode("gbk"),
        [
            "cases/bad.md:2: 文件: 文件不是 UTF-8 编码，看起来是 GBK 编码（Windows 记事本、WPS 的默认保存方式）；"
            "请用记事本或 VS Code 打开，“另存为”时编码选择“UTF-8”后保存"
        ],
        id="gbk",
    ),
    pytest.param(
        "cases/bad.md",
        "---\ntitle: 标题\ncategory: 赡养\ndate: 2021-01-01\n---\n",
        ["cases/bad.md:2: summary: 缺少必填项（两到三句话的要点，印在海报上）"],
        id="missing-required",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("title:", "titel:"),
        [
            "cases/bad.md:2: titel: 不认识的键“titel”，是不是“title”？",
            "cases/bad.md:2: title: 缺少必填项（标题）",
        ],
        id="unknown-key",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 村\ntownship: 曹镇乡\nhouseholds: 很多\nadvisors: [wang-lei]\n---\n",
        ["villages/bad.md:5: households: 应为整数（阿拉伯数字），实际是“很多”"],
        id="wrong-type",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 镇\ntownship: 曹镇乡\nadvisors: [wang-lei]\n---\n",
        ["villages/bad.md:3: kind: “镇”不是可选值，应为：村、社区、嘎查"],
        id="bad-choice",
    ),
    pytest.param(
        "cases/Bad_Name.md",
        CASE_OK,
        [
            "cases/Bad_Name.md:1: id: id“Bad_Name”不合规：只能用小写英文字母、数字和连字符“-”，且以字母或数字开头"
            "（如 lanxin、guo-xiao）；文件名不合规时请改文件名，或在头部写 id: 合规的编号"
        ],
        id="bad-id",
    ),
    pytest.param(
        "cases/copy.md",
        CASE_OK.replace("---\ntitle", "---\nid: lease-deposit\ntitle"),
        [
            "cases/copy.md:2: id: 编号“lease-deposit”重复了，cases/lease-deposit.md 也在用；同一文件夹里的编号不能相同"
        ],
        id="duplicate-id",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 村\ntownship: 曹镇乡\nadvisors: [nobody]\nservices:\n  - caozhen-sifasuo\n  - nowhere\n---\n",
        [
            "villages/bad.md:5: advisors: 引用的编号“nobody”不存在（应为 content/advisors/ 里的文件名）",
            "villages/bad.md:8: services: 引用的编号“nowhere”不存在（应为 content/services/ 里的文件名）",
        ],
        id="missing-reference",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 村\ntownship: 曹镇乡\nadvisors: [zhou-fang]\n---\n",
        ["villages/bad.md:5: advisors: “周芳”的身份是网格员，不能列在这里（这里只能填法律顾问）"],
        id="role-mismatch",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 村\ntownship: 曹镇乡\nadvisors: []\n---\n",
        ["villages/bad.md:2: advisors: 至少要填一项（法律顾问的编号（一村一法律顾问），至少一名）"],
        id="village-without-advisor",
    ),
    pytest.param(
        "rules/bad.md",
        "---\nvillage: atlantis\nadopted: 2021-01-01\n---\n",
        [
            "rules/bad.md:2: village: 引用的编号“atlantis”不存在（应为 content/villages/ 里的文件名）"
        ],
        id="rules-unknown-village",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("summary", "villages: [atlantis]\nsummary"),
        [
            "cases/bad.md:5: villages: 引用的编号“atlantis”不存在（应为 content/villages/ 里的文件名）"
        ],
        id="case-unknown-village",
    ),
    pytest.param(
        "advisors/bad.md",
        '---\nname: 吴某\nrole: 网格员\nphone: "1380000"\n---\n',
        [
            "advisors/bad.md:4: phone: 电话号码“1380000”格式不对：手机号为 11 位（1 开头），"
            "座机为区号加号码（如 0375-1234567），服务号码为 3 到 5 位（如 12348）"
        ],
        id="bad-phone",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("2021-01-01", "2020年9月24日"),
        ["cases/bad.md:4: date: 日期“2020年9月24日”格式不对，应写成 年-月-日，如 2021-01-15"],
        id="bad-date",
    ),
    pytest.param(
        "advisors/bad.md",
        '---\nname: 吴某\nrole: 网格员\nphone: "13800000999"\nphoto: photos/none.jpg\n---\n',
        ["advisors/bad.md:5: photo: 找不到照片文件“photos/none.jpg”"],
        id="photo-missing",
    ),
    pytest.param(
        "advisors/bad.md",
        '---\nname: 吴某\nrole: 网格员\nphone: "13800000999"\nphoto: ../../etc/passwd\n---\n',
        ["advisors/bad.md:5: photo: 照片路径跑到了 content/ 文件夹外面，不允许"],
        id="photo-outside",
    ),
    pytest.param(
        "advisors/bad.md",
        '---\nname: 吴某\nrole: 网格员\nphone: "13800000999"\nphoto: /etc/passwd\n---\n',
        ["advisors/bad.md:5: photo: 照片要写相对 content/ 的路径，如 photos/guo-xiao.jpg"],
        id="photo-absolute",
    ),
    pytest.param(
        "cases/bad.md",
        "没有头部的正文\n",
        [
            "cases/bad.md:1: 头部: 文件开头缺少头部信息：第一行写“---”，接着写“键: 值”，再用一行“---”结束"
        ],
        id="no-front-matter",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("title: 标题", "title: 标题\ntitle: 又一个"),
        ["cases/bad.md:3: title: 这个键重复出现了，请只保留一个"],
        id="duplicate-key",
    ),
    pytest.param(
        "advisors/bad.md",
        '---\nname: 吴某\nrole: 网格员\nphone: "１３８００００００９９"\n---\n',
        [
            "advisors/bad.md:4: phone: 电话号码“１３８００００００９９”用了全角数字；"
            "请切换到半角（英文）输入状态重新输入，如 13800000099"
        ],
        id="fullwidth-phone",
    ),
    pytest.param(
        "cases/bad.md",
        "---\ntitle: 标题\ncategory: 赡养\ndate: 2021-01-01\nsummary: 要点。\n\n## 案情\n正文\n",
        [
            "cases/bad.md:6: 头部: 头部信息第 1 行以“---”开始，但没有结束的“---”：请在最后一个“键: 值”"
            "下面加一行“---”，再写正文"
        ],
        id="front-matter-not-closed",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("title: 标题", 'title: "房东"不退押金'),
        [
            "cases/bad.md:2: title: YAML 格式错误：只有值的一部分加了引号；要么给整个值加引号，"
            '如 title: "房东不退押金"，要么都不加'
        ],
        id="partly-quoted",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("title: 标题", "title: " + "[" * 3000 + "]" * 3000),
        ["cases/bad.md:2: 头部: 头部信息嵌套太深或太长，已拒绝读取"],
        id="deeply-nested",
    ),
    pytest.param(
        "villages/bad.md",
        "---\nname: 新村\nkind: 村\ntownship: 曹镇乡\nadvisors: [wang-lei, wang-lei]\n---\n",
        ["villages/bad.md:5: advisors: 第 2 项：“wang-lei”重复了，同一个 id 只写一次"],
        id="duplicate-id-in-list",
    ),
    pytest.param(
        "cases/bad.md",
        CASE_OK.replace("summary", "villages: [lanxin, jinhua, lanxin]\nsummary"),
        ["cases/bad.md:5: villages: 第 3 项：“lanxin”重复了，同一个 id 只写一次"],
        id="duplicate-village-in-case",
    ),
]


ADVISOR = '---\nname: 吴某\nrole: 网格员\nphone: "13800000999"\n'

# Text the print can carry: normalised in memory with a note (exit 0), never rewritten.
NOTES = [
    pytest.param(
        "cases/note.md",
        CASE_OK.replace("title: 标题", "title:\u00a0房东不退押金"),
        [
            "cases/note.md:2: title: 有看不见的字符“不换行空格 U+00A0”，已当作普通空格；"
            "建议删掉后重新输入这一项（提醒）"
        ],
        id="nbsp-after-colon",
    ),
    pytest.param(
        "cases/note.md",
        CASE_OK.replace("要点。", "要点\u200b。").replace("summary", "tags: [押金\u2060]\nsummary"),
        [
            "cases/note.md:5: tags: 有看不见的字符“零宽不换行 U+2060”，已去掉；建议删掉后重新输入这一项（提醒）",
            "cases/note.md:6: summary: 有看不见的字符“零宽空格 U+200B”，已去掉；建议删掉后重新输入这一项（提醒）",
        ],
        id="zero-width",
    ),
    pytest.param(
        "advisors/note.md",
        ADVISOR + 'org: "某某\\n律师事务所"\nhours: "每周三\\t上午"\n---\n',
        [
            "advisors/note.md:5: org: 有换行，已换成空格（这一项只占一行）（提醒）",
            "advisors/note.md:6: hours: 有制表符（Tab），已换成空格（提醒）",
        ],
        id="line-break-and-tab",
    ),
    pytest.param(
        "advisors/note.md",
        ADVISOR + "org: |\n  河南某某\n  律师事务所\n---\n",
        ["advisors/note.md:5: org: 有换行，已换成空格（这一项只占一行）（提醒）"],
        id="block-scalar",
    ),
    pytest.param(
        "cases/note.md",
        CASE_OK.replace("title: 标题", "title: “房东不退押金”"),
        [
            "cases/note.md:2: title: 值两边加了中文引号（“…”），会原样印在网页和海报上；不需要时请删掉，"
            '值里有冒号等符号需要引号时，请用半角引号 "…"（提醒）'
        ],
        id="chinese-quotes",
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), NOTES)
def test_text_is_normalised_with_a_note(
    content_copy: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: str,
    expected: list[str],
) -> None:
    path = content_copy / name
    path.write_text(data, encoding="utf-8")
    code, lines, out = run_check(content_copy, capsys)
    assert (code, lines) == (0, expected)
    assert path.read_text(encoding="utf-8") == data  # check never rewrites a file
    assert out.startswith("检查通过")


def test_normalised_text_reaches_the_model(content_copy: Path) -> None:
    from site_builder.content import load

    (content_copy / "advisors" / "note.md").write_text(
        ADVISOR + 'org: "某某\\n律师事务所\u200b"\n---\n', encoding="utf-8"
    )
    assert load(content_copy).advisors["note"].org == "某某 律师事务所"


def run_check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["check", "--content", str(content)])
    out, err = capsys.readouterr()
    prefix = f"{content.as_posix()}/"
    lines = [line.removeprefix(prefix) for line in err.splitlines()]
    return code, lines, out


@pytest.mark.parametrize(("name", "data", "expected"), BAD_INPUTS)
def test_bad_input_reports_exact_message(
    content_copy: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: str | bytes,
    expected: list[str],
) -> None:
    path = content_copy / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    code, lines, _ = run_check(content_copy, capsys)
    assert code == 1
    assert lines[:-1] == expected
    assert lines[-1] == f"发现 {len(expected)} 个问题，请按上面的提示修改后再试。"


def test_bom_is_accepted(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder.content import load

    before = len(load(content_copy).cases)
    (content_copy / "cases" / "bom.md").write_bytes(b"\xef\xbb\xbf" + CASE_OK.encode())
    code, lines, out = run_check(content_copy, capsys)
    assert (code, lines) == (0, [])
    assert f"{before + 1} 个案例" in out


def test_all_problems_come_at_once(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "cases" / "a.md").write_text("---\ntitle：x\n---\n", encoding="utf-8")
    (content_copy / "cases" / "b.md").write_bytes(CASE_OK.encode("gbk"))
    (content_copy / "villages" / "c.md").write_text(
        "---\nname: 新村\nkind: 村\ntownship: 乡\nadvisors: [nobody]\n---\n", encoding="utf-8"
    )
    code, lines, _ = run_check(content_copy, capsys)
    assert code == 1
    files = [line.split(":")[0] for line in lines[:-1]]
    assert files == ["cases/a.md", "cases/b.md", "villages/c.md"]


def test_broken_copy_shows_no_traceback(content_copy: Path) -> None:
    (content_copy / "site.yml").write_text("name: [unclosed\n", encoding="utf-8")
    (content_copy / "cases" / "x.md").write_bytes(b"\xff\xfe\x00garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "check", "--content", str(content_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "site.yml:1: name: YAML 格式错误：方括号 [ ] 或花括号 { } 没有配对" in proc.stderr
    assert "x.md:1: 文件:" in proc.stderr


def test_check_names_characters_the_print_font_lacks(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)  # the default themes/ folder
    (content_copy / "advisors" / "emoji.md").write_text(
        ADVISOR.replace("吴某", "巴特尔👍") + "org: 王喆律师事务所\n---\n", encoding="utf-8"
    )
    code, lines, _ = run_check(content_copy, capsys)
    assert (code, lines) == (
        0,
        [
            "advisors/emoji.md:2: name: 印刷字体里没有“👍”（U+1F44D），印出来会是空白方框；"
            "请换成常用汉字或删掉（提醒）"
        ],
    )
