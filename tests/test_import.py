"""`pufa import`: every row checked with `pufa check`'s declarations before anything is
written; XLSX, GBK and UTF-16 text sheets, title rows, damaged files; careful atomic edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from site_builder.cli import main
from site_builder.content import load
from site_builder.content.codec import set_keys
from site_builder.content.importer import ImportResult, SheetError, apply, import_table
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
HEAD = ["姓名", "职务", "单位", "联系电话", "服务村(社区)", "办公时间"]
PHONE_RULE = (
    "格式不对：手机号为 11 位（1 开头），座机为区号加号码（如 0375-1234567），"
    "服务号码为 3 到 5 位（如 12348）"
)
REPORT = [
    "第 2 行 郭晓：更新，advisors/guo-xiao.md（hours）",
    "第 3 行 冯立新：新建，advisors/feng-li-xin.md",
    f"第 4 行 吴芳：{{}}，“联系电话”列（phone）：电话号码“1370000”{PHONE_RULE}",
    "第 5 行 冯立新：{}，与第 3 行重复（电话都是 13600000777），请删掉这一行",
    "第 6 行 钱进：{}，“服务村(社区)”列（village）：找不到村（社区）“桃花村”",
    "第 7 行 马丽：不变，advisors/ma-li.md",
]
REFUSED = (
    "有 {} 行有错，没有写入任何文件：请改好表格后重新导入，"
    "或加上 --skip-bad 只导入没有错的行（有错的行跳过）。"
)


def run(content: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list, list]:
    code = main(["import", "--content", str(content), *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def xlsx(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    """A real workbook; ``title`` goes in a merged row above the header, as offices do."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- the report, with and without --skip-bad ---------------------------------------------


@pytest.mark.parametrize("sheet", ["advisors.xlsx", "advisors-gbk.csv"])
def test_skip_bad_writes_the_good_rows(
    content_copy: Path, capsys: pytest.CaptureFixture[str], sheet: str
) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in content_copy.rglob("*.md")}
    code, out, err = run(content_copy, capsys, "advisors", str(FIXTURES / sheet), "--skip-bad")
    assert (code, err) == (0, [])
    assert out == [
        *(line.format("跳过") for line in REPORT),
        "导入完成：新建 1 行，更新 1 行，不变 1 行，跳过 3 行",
    ]
    content = load(content_copy)  # still checks clean
    guo = content.advisors["guo-xiao"]
    assert guo.hours == "每周三、周五上午驻蓝欣社区"
    assert guo.body == before[content_copy / "advisors/guo-xiao.md"].split("---\n", 2)[2]
    feng = content.advisors["feng-li-xin"]
    assert (feng.role, feng.phone, feng.org) == (
        "人民调解员",
        "13600000777",
        "北渡街道人民调解委员会",
    )
    assert content.villages["jinhua"].mediators == ["feng-li-xin"]
    # Only the changed key of the village file moved; everything else is byte for byte.
    old = before[content_copy / "villages/jinhua.md"].split("\n")
    new = (content_copy / "villages/jinhua.md").read_text(encoding="utf-8").split("\n")
    assert [x for x in new if x not in old] == ["mediators: [feng-li-xin]"]
    assert [x for x in old if x not in new] == []
    changed = {p for p, t in before.items() if p.read_text(encoding="utf-8") != t}
    assert changed == {content_copy / "advisors/guo-xiao.md", content_copy / "villages/jinhua.md"}
    assert not (content_copy / "advisors" / "wu-fang.md").exists()
    assert not [p for p in content_copy.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("dry", [False, True], ids=["import", "dry-run"])
def test_one_bad_row_writes_nothing(
    content_copy: Path, capsys: pytest.CaptureFixture[str], dry: bool
) -> None:
    before = tree(content_copy)
    flags = ["--dry-run"] if dry else []
    code, out, err = run(content_copy, capsys, "advisors", str(FIXTURES / "advisors.xlsx"), *flags)
    assert code == 1
    assert out == [line.format("有错") for line in REPORT]
    assert err == [REFUSED.format(3)]
    assert tree(content_copy) == before


def test_dry_run_of_a_clean_sheet(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = xlsx(tmp_path / "a.xlsx", [HEAD, ["郭晓", "法律顾问", "", "13800000101", "", "每天"]])
    before = tree(content_copy)
    code, out, _ = run(content_copy, capsys, "advisors", str(sheet), "--dry-run")
    assert (code, out) == (
        0,
        [
            "第 2 行 郭晓：更新，advisors/guo-xiao.md（hours）",
            "试运行，没有写入任何文件：新建 0 行，更新 1 行，不变 0 行，跳过 0 行",
        ],
    )
    assert tree(content_copy) == before


# --- rows refused, with the sheet's row number and the column ----------------------------

# (kind, rows under the header (header row 1), the expected report lines)
REFUSALS = [
    pytest.param(
        "advisors",
        [
            HEAD,
            ["冯立新", "人民调解员", "北渡街道人民调解委员会", "13600000777", "锦华社区", ""],
            ["冯立新", "人民调解员", "北渡街道调委会", "136 0000 0777", "锦华社区", ""],
        ],
        [
            "第 2 行 冯立新：有错，与第 3 行是同一个人（电话都是 13600000777），"
            "但填的内容不一样：请只留一行，改好后再导入",
            "第 3 行 冯立新：有错，与第 2 行是同一个人（电话都是 13600000777），"
            "但填的内容不一样：请只留一行，改好后再导入",
        ],
        id="two-rows-one-person",
    ),
    pytest.param(
        "advisors",
        [HEAD, ["周芳", "法律顾问", "", "18700000401", "", ""]],
        [
            "第 2 行 周芳：有错，“职务”列（role）：周芳的身份改成法律顾问后，"
            "不能再列在锦华社区（villages/jinhua.md）的 grid_workers 里（那里只能填网格员或法律明白人）；"
            "请先在 villages/jinhua.md 里把 zhou-fang 移出，再导入；"
            "“职务”列（role）：周芳的身份改成法律顾问后，"
            "不能再列在蓝欣社区（villages/lanxin.md）的 grid_workers 里（那里只能填网格员或法律明白人）；"
            "请先在 villages/lanxin.md 里把 zhou-fang 移出，再导入",
        ],
        id="role-change-breaks-village-list",
    ),
    pytest.param(
        "advisors",
        [HEAD, ["郭晓\n张伟", "法律顾问", "", "13800000101", "", ""]],
        [
            "第 2 行 郭晓（换行）张伟：有错，“姓名”列（name）“郭晓（换行）张伟”里有换行："
            "这一格只能写一项，请删掉换行，或分成两行填写"
        ],
        id="line-break-in-name",
    ),
    pytest.param(
        "advisors",
        [HEAD, ["赵六", "书记", "", "13900000999", "", ""]],
        [
            "第 2 行 赵六：有错，“职务”列（role）：“书记”不是可选值，"
            "应为：法律顾问、司法总顾问、人民调解员、网格员、法律明白人"
        ],
        id="unknown-role",
    ),
    pytest.param(
        "advisors",
        [["姓名", "职务"], ["赵六", "网格员"]],
        ["第 2 行 赵六：有错，表里没有“联系电话”这一列（phone），这是必填项"],
        id="no-phone-column",
    ),
    pytest.param(
        "advisors",
        [HEAD, ["赵六", "网格员", "", "", "", ""]],
        ["第 2 行 赵六：有错，“联系电话”列（phone）是空的：这是必填项（联系电话）"],
        id="empty-phone",
    ),
    pytest.param(
        "services",
        [
            ["名称", "类型", "所属镇(街道)", "联系电话"],
            ["无名站", "站点", "曹镇乡", "0375-0000199"],
        ],
        [
            "第 2 行 无名站：有错，“类型”列（type）：“站点”不是可选值，应为：公共法律服务中心、"
            "公共法律服务站、司法所、人民调解室、法律援助工作站、警务室、援法议事站、法律服务所、其他"
        ],
        id="service-type",
    ),
    pytest.param(
        "villages",
        [["村(社区)", "所属镇(街道)", "户数"], ["曹镇村", "曹镇乡", "六百"]],
        ["第 2 行 曹镇村：有错，“户数”列（households）：应为整数（阿拉伯数字），实际是“六百”"],
        id="households-not-a-number",
    ),
    pytest.param(
        "villages",
        [["村(社区)", "所属镇(街道)", "户数"], ["新华村", "曹镇乡", "300"]],
        ["第 2 行 新华村：有错，新村（社区）要填法律顾问（每村至少一名）：表里没有“法律顾问”列"],
        id="new-village-without-advisor",
    ),
]


@pytest.mark.parametrize(("kind", "rows", "expected"), REFUSALS)
def test_refused_rows(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    rows: list[list[object]],
    expected: list[str],
) -> None:
    before = tree(content_copy)
    code, out, err = run(content_copy, capsys, kind, str(xlsx(tmp_path / "t.xlsx", rows)))
    assert code == 1
    assert out == expected
    assert err == [REFUSED.format(len(expected))]
    assert tree(content_copy) == before


def test_problem_found_only_in_the_whole_content(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value the row check accepts but the after-import `check` refuses (a photo that is
    not there) is reported on the row that writes the file."""
    site = content_copy / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8") + "import:\n  columns: {照片: photo}\n", encoding="utf-8"
    )
    rows = [
        ["姓名", "联系电话", "照片"],
        ["郭晓", "13800000101", "photos/none.jpg"],
        ["马丽", "18700000402", ""],
    ]
    before = tree(content_copy)
    code, out, err = run(content_copy, capsys, "advisors", str(xlsx(tmp_path / "p.xlsx", rows)))
    assert code == 1
    assert out == [
        "第 2 行 郭晓：有错，导入后 advisors/guo-xiao.md 第 8 行 photo：找不到照片文件“photos/none.jpg”",
        "第 3 行 马丽：不变，advisors/ma-li.md",
    ]
    assert err == [REFUSED.format(1)]
    assert tree(content_copy) == before


# --- line breaks, tabs and control characters in cells ------------------------------------


def test_alt_enter_in_org_becomes_a_space(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        HEAD,
        ["郭晓", "法律顾问", "河南湛清\n律师事务所", "13800000101", "", "每周三\t上午"],
        ["冯立新", "调解\n员", "北渡街道\r\n人民调解委员会\u200b", "1360000\n0777", "锦华社区", ""],
    ]
    code, out, err = run(content_copy, capsys, "advisors", str(xlsx(tmp_path / "n.xlsx", rows)))
    assert (code, err) == (0, [])
    assert out == [
        "第 2 行 郭晓：更新，advisors/guo-xiao.md（org、hours）；“单位”列（org）里的换行已改成空格；"
        "“办公时间”列（hours）里的 Tab 已改成空格",
        "第 3 行 冯立新：新建，advisors/feng-li-xin.md；“职务”列（role）里的换行已去掉；"
        "“单位”列（org）里看不见的控制字符已去掉；“单位”列（org）里的换行已改成空格；"
        "“联系电话”列（phone）里的换行已去掉",
        "导入完成：新建 1 行，更新 1 行，不变 0 行，跳过 0 行",
    ]
    content = load(content_copy)
    assert content.advisors["guo-xiao"].org == "河南湛清 律师事务所"
    assert content.advisors["guo-xiao"].hours == "每周三 上午"
    feng = content.advisors["feng-li-xin"]
    assert (feng.role, feng.org, feng.phone) == (
        "人民调解员",
        "北渡街道 人民调解委员会",
        "13600000777",
    )


# --- file formats ---------------------------------------------------------------------------


def test_merged_title_row_above_the_header(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[object]] = [
        HEAD,
        ["郭晓", "法律顾问", "", 13800000101, "", "每天"],
        ["", "", "", "", "", ""],
        ["吴芳", "网格员", "", "1370000", "", ""],
    ]
    sheet = xlsx(tmp_path / "t.xlsx", rows, title="湛河区法律顾问名单")
    code, out, _ = run(content_copy, capsys, "advisors", str(sheet), "--skip-bad", "--dry-run")
    assert code == 0
    assert out == [
        "第 3 行 郭晓：更新，advisors/guo-xiao.md（hours）",
        f"第 5 行 吴芳：跳过，“联系电话”列（phone）：电话号码“1370000”{PHONE_RULE}",
        "试运行，没有写入任何文件：新建 0 行，更新 1 行，不变 0 行，跳过 1 行",
    ]


UNICODE_TEXT = (
    "姓名\t职务\t单位\t联系电话\t服务村(社区)\r\n"
    '冯立新\t调解员\t"北渡街道\n人民调解委员会"\t13600000777\t锦华社区\r\n'
    "马丽\t网格员\t曹镇乡全科网格\t18700000402\t曹镇村\r\n"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("名单.txt", UNICODE_TEXT.encode("utf-16"), id="excel-unicode-text"),
        pytest.param("名单.txt", UNICODE_TEXT.encode("utf-16-le"), id="utf16-no-bom"),
        pytest.param("名单.csv", UNICODE_TEXT.replace("\t", ",").encode("gbk"), id="gbk-csv"),
        pytest.param("名单.csv", UNICODE_TEXT.encode("utf-8-sig"), id="utf8-bom-tsv"),
    ],
)
def test_text_sheets(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(content_copy, capsys, "advisors", str(path))
    assert (code, err) == (0, [])
    assert out == [
        "第 2 行 冯立新：新建，advisors/feng-li-xin.md；“单位”列（org）里的换行已改成空格",
        "第 3 行 马丽：不变，advisors/ma-li.md",
        "导入完成：新建 1 行，更新 0 行，不变 1 行，跳过 0 行",
    ]
    assert load(content_copy).advisors["feng-li-xin"].org == "北渡街道 人民调解委员会"


SAVE_AS = "请在 Excel 或 WPS 里打开，“另存为” .xlsx（Excel 工作簿）格式后再导入"
DAMAGED = (
    "文件已损坏或不完整（可能没有下载完或没有复制完），读不出表格；"
    "请在 Excel 或 WPS 里打开原表格，重新“另存为” .xlsx 后再导入"
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _truncated(tmp_path: Path) -> bytes:
    whole = xlsx(tmp_path / "whole.xlsx", [HEAD, ["郭晓", "法律顾问", "", "13800000101", "", ""]])
    data = whole.read_bytes()
    whole.unlink()
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        pytest.param("名单.xlsx", "truncated", DAMAGED, id="truncated-xlsx"),
        pytest.param("名单.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8, DAMAGED, id="pk-garbage"),
        pytest.param(
            "名单.xlsx",
            bytes(range(256)) * 8,
            "文件已损坏，或不是真正的 Excel 文件（.xlsx 文件应该是压缩包格式，这个文件不是）；"
            "请在 Excel 或 WPS 里打开原表格，重新“另存为” .xlsx 后再导入",
            id="random-bytes-xlsx",
        ),
        pytest.param(
            "名单.xlsx", b"", "文件是空的（0 字节），可能没有保存完或没有复制完", id="empty-file"
        ),
        pytest.param(
            "名单.xls",
            OLE2,
            f"这是旧版 Excel（.xls）或 WPS（.et）文件，不能直接导入；{SAVE_AS}",
            id="old-xls",
        ),
        pytest.param(
            "名单.xls",
            b"<html><table><tr><td>1</td></tr></table></html>",
            f"不能直接导入 .xls 文件；{SAVE_AS}",
            id="html-saved-as-xls",
        ),
        pytest.param(
            "名单.xlsx",
            OLE2,
            f"这个文件设置了打开密码，或其实是旧版 Excel（.xls）文件；请去掉密码，或{SAVE_AS}",
            id="password-xlsx",
        ),
        pytest.param(
            "名单.csv",
            bytes(range(1, 32)) * 50,
            "这不是文本表格（含有二进制内容），可能已损坏；能导入 .xlsx，或 .csv、.txt 文本表格",
            id="binary-csv",
        ),
        pytest.param(
            "名单.pdf",
            b"%PDF-1.4",
            f"不认识的文件类型“.pdf”：能导入 .xlsx，或 .csv、.txt 文本表格；{SAVE_AS}",
            id="pdf",
        ),
        pytest.param(
            "名单.csv",
            "湛河区法律顾问名单\n序号,电话\n1,13800000101\n".encode(),
            "表头里找不到“姓名”或“名称”列；能认出的列：姓名、名字、职务、身份、角色、单位、"
            "工作单位、律师事务所、电话、联系电话、手机、手机号、服务村(社区)、服务村（社区）、"
            "村(社区)、村（社区）、所在村、办公时间、服务时间、微信群",
            id="no-header",
        ),
    ],
)
def test_unreadable_files(
    content_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes | str,
    reason: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(_truncated(tmp_path) if data == "truncated" else data)
    before = tree(content_copy)
    code, out, err = run(content_copy, capsys, "advisors", str(path))
    assert (code, out) == (1, [])
    assert err == [f"无法导入 {path}：{reason}"]
    assert tree(content_copy) == before


def test_missing_file(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(content_copy, capsys, "advisors", "没有这个文件.xlsx")
    assert (code, err) == (1, ["无法导入 没有这个文件.xlsx：找不到这个文件"])


# --- services and villages ----------------------------------------------------------------


def test_import_services_and_villages_csv(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = tmp_path / "services.csv"
    services.write_text(
        "名称,类型,所属镇(街道),地址,联系电话,开放时间\n"
        "曹镇村人民调解室,人民调解室,曹镇乡,曹镇村村委会一楼,0375-0000188,周一至周五\n"
        "北渡司法所,司法所,北渡街道,北渡街道办事处院内三楼,0375-0000110,\n",
        encoding="utf-8-sig",
    )
    code, out, _ = run(content_copy, capsys, "services", str(services))
    assert code == 0
    assert out[:2] == [
        "第 2 行 曹镇村人民调解室：新建，services/cao-zhen-cun-ren-min-tiao.md",
        "第 3 行 北渡司法所：更新，services/beidu-sifasuo.md（address）",
    ]
    villages = tmp_path / "villages.csv"
    villages.write_text(
        "村(社区),所属镇(街道),户数,法律顾问\n新华村,曹镇乡,300,王磊\n曹镇村,曹镇乡,650,\n",
        encoding="gbk",
    )
    assert main(["import", "--content", str(content_copy), "villages", str(villages)]) == 0
    c = load(content_copy)
    assert c.villages["xin-hua-cun"].advisors == ["wang-lei"]
    assert (c.villages["xin-hua-cun"].kind, c.villages["caozhen"].households) == ("村", 650)


# --- writing ------------------------------------------------------------------------------


def test_writes_keep_crlf_and_bom(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guo = content_copy / "advisors" / "guo-xiao.md"
    text = guo.read_text(encoding="utf-8")
    guo.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    sheet = xlsx(tmp_path / "a.xlsx", [HEAD, ["郭晓", "法律顾问", "", "13800000101", "", "每天"]])
    code, _, _ = run(content_copy, capsys, "advisors", str(sheet))
    assert code == 0
    expected = set_keys(text, {"hours": "每天"}).replace("\n", "\r\n").encode("utf-8")
    assert guo.read_bytes() == b"\xef\xbb\xbf" + expected


def _plan(content_copy: Path, tmp_path: Path) -> ImportResult:
    sheet = xlsx(tmp_path / "a.xlsx", [HEAD, ["郭晓", "法律顾问", "", "13800000101", "", "每天"]])
    return import_table("advisors", sheet, load(content_copy))


def test_a_file_changed_since_the_plan_is_not_overwritten(
    content_copy: Path, tmp_path: Path
) -> None:
    result = _plan(content_copy, tmp_path)
    guo = content_copy / "advisors" / "guo-xiao.md"
    guo.write_text(guo.read_text(encoding="utf-8") + "另一位同事刚改的。\n", encoding="utf-8")
    before = tree(content_copy)
    with pytest.raises(SheetError, match="^advisors/guo-xiao.md 在导入过程中被改动了"):
        apply(result, content_copy)
    assert tree(content_copy) == before


def test_never_writes_outside_the_content_folder(content_copy: Path, tmp_path: Path) -> None:
    result = _plan(content_copy, tmp_path)
    outside = content_copy / ".." / "escaped.md"
    result.texts[outside] = "---\n---\n"
    result.originals[outside] = None
    with pytest.raises(SheetError, match="不在内容文件夹里，没有写入任何文件"):
        apply(result, content_copy)
    assert not (tmp_path / "escaped.md").exists()
    assert "每天" not in (content_copy / "advisors" / "guo-xiao.md").read_text(encoding="utf-8")
