"""`pufa import` of the sheets staff keep: XLSX and GBK CSV, report per row, careful edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.content import load
from site_builder.content.frontedit import set_key
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
REPORT = [
    "第 2 行 郭晓：更新，advisors/guo-xiao.md（hours）",
    "第 3 行 冯立新：新建，advisors/feng-li-xin.md",
    "第 4 行 吴芳：跳过，电话号码“1370000”格式不对",
    "第 5 行 冯立新：跳过，与第 3 行重复",
    "第 6 行 钱进：跳过，找不到村（社区）“桃花村”",
    "第 7 行 马丽：不变，advisors/ma-li.md",
]


@pytest.mark.parametrize("sheet", ["advisors.xlsx", "advisors-gbk.csv"])
def test_import_advisors(
    content_copy: Path, capsys: pytest.CaptureFixture[str], sheet: str
) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in content_copy.rglob("*.md")}
    assert main(["import", "--content", str(content_copy), "advisors", str(FIXTURES / sheet)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [*REPORT, "导入完成：新建 1 行，更新 1 行，不变 1 行，跳过 3 行"]
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
    assert [x for x in new if x not in old] == ['mediators: ["feng-li-xin"]']
    assert [x for x in old if x not in new] == []
    changed = {p for p, t in before.items() if p.read_text(encoding="utf-8") != t}
    assert changed == {content_copy / "advisors/guo-xiao.md", content_copy / "villages/jinhua.md"}
    assert not (content_copy / "advisors" / "wu-fang.md").exists()


def test_dry_run_writes_nothing(
    content_copy: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copytree(content_copy, tmp_path / "before")
    assert (
        main(
            [
                "import",
                "--content",
                str(content_copy),
                "advisors",
                str(FIXTURES / "advisors.xlsx"),
                "--dry-run",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == REPORT
    assert out[-1] == "试运行，没有写入任何文件：新建 1 行，更新 1 行，不变 1 行，跳过 3 行"
    for p in (tmp_path / "before").rglob("*"):
        if p.is_file():
            assert (
                content_copy / p.relative_to(tmp_path / "before")
            ).read_bytes() == p.read_bytes()


def test_import_services_and_villages_csv(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = tmp_path / "services.csv"
    services.write_text(
        "名称,类型,所属镇(街道),地址,联系电话,开放时间\n"
        "曹镇村人民调解室,人民调解室,曹镇乡,曹镇村村委会一楼,0375-0000188,周一至周五\n"
        "北渡司法所,司法所,北渡街道,北渡街道办事处院内三楼,0375-0000110,\n"
        "无名站,站点,曹镇乡,,0375-0000199,\n",
        encoding="utf-8-sig",
    )
    assert main(["import", "--content", str(content_copy), "services", str(services)]) == 0
    out = capsys.readouterr().out
    assert "第 2 行 曹镇村人民调解室：新建，services/cao-zhen-cun-ren-min-tiao.md" in out
    assert "第 3 行 北渡司法所：更新，services/beidu-sifasuo.md（address）" in out
    assert "第 4 行 无名站：跳过，类型“站点”不认识" in out
    villages = tmp_path / "villages.csv"
    villages.write_text(
        "村(社区),所属镇(街道),户数,法律顾问\n新华村,曹镇乡,300,王磊\n曹镇村,曹镇乡,650,\n",
        encoding="gbk",
    )
    assert main(["import", "--content", str(content_copy), "villages", str(villages)]) == 0
    c = load(content_copy)
    assert c.villages["xin-hua-cun"].advisors == ["wang-lei"]
    assert c.villages["caozhen"].households == 650


def test_set_key_keeps_comments_and_body() -> None:
    text = '---\nname: 郭晓   # 姓名\nduties:\n  - a\n  - b\nphone: "1"\n---\n正文\n'
    assert (
        set_key(text, "duties", ["c"])
        == '---\nname: 郭晓   # 姓名\nduties: ["c"]\nphone: "1"\n---\n正文\n'
    )
    assert set_key(text, "hours", "每天").endswith('phone: "1"\nhours: "每天"\n---\n正文\n')
