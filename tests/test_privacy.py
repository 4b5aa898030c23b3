"""The privacy check on what people really write: a table of texts → the exact messages,
a table of ordinary words, places and numbers that are never flagged, and `pufa check`
checking the title, tags and law entries as well as the summary and body."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.content import load
from site_builder.content.privacy import message, personal_data
from tests.conftest import EXAMPLE, ROOT

ADVISORS = {"郭晓", "王磊", "何建国", "那仁格日勒·巴图"}
NAME = "当事人姓名写成“{0}某某”或“{0}某”；确需保留时写进 privacy_allow"
MINOR = "案例涉及未成年人，不能出现其姓名，写成“{0}某”；确需保留时写进 privacy_allow"
PHONE = "删去手机号码，或改写为“电话略”；确需保留时写进 privacy_allow"
ADDRESS = "地址只写到村（社区）一级，删去路名门牌、楼栋号；确需保留时写进 privacy_allow"

FLAGGED = [
    # phone numbers as people type them
    ("联系电话 139 1234 5678", f"疑似手机号码“139 1234 5678”：{PHONE}"),
    ("联系电话139-1234-5678", f"疑似手机号码“139-1234-5678”：{PHONE}"),
    ("请拨+86 139 1234 5678", f"疑似手机号码“+86 139 1234 5678”：{PHONE}"),
    ("请拨+8613912345678", f"疑似手机号码“+8613912345678”：{PHONE}"),
    ("电话：１３９１２３４５６７８", f"疑似手机号码“１３９１２３４５６７８”：{PHONE}"),
    (
        "座机 0478 8212345",
        "疑似固定电话“0478 8212345”：删去固定电话号码；确需保留时写进 privacy_allow",
    ),
    # ID numbers with spaces
    (
        "身份证号 152822 19800101 1234",
        "疑似身份证号“152822 19800101 1234”：删去身份证号码；确需保留时写进 privacy_allow",
    ),
    (
        "身份证号1528 2219 8001 0112 34",
        "疑似身份证号“1528 2219 8001 0112 34”：删去身份证号码；确需保留时写进 privacy_allow",
    ),
    # WeChat and QQ ids
    ("加微信：wxid_bater88", "疑似微信号“wxid_bater88”：删去微信号；确需保留时写进 privacy_allow"),
    ("微信号 Bater_1990", "疑似微信号“Bater_1990”：删去微信号；确需保留时写进 privacy_allow"),
    ("QQ 123456789", "疑似QQ号“123456789”：删去QQ号；确需保留时写进 privacy_allow"),
    (
        "ＱＱ号：８８６６５５４４",
        "疑似QQ号“８８６６５５４４”：删去QQ号；确需保留时写进 privacy_allow",
    ),
    # minors named with an age
    ("女儿小红（8岁）放学回家", f"疑似未成年人姓名“小红”：{MINOR.format('小')}"),
    ("张浩然，13岁，在镇上读初中", f"疑似未成年人姓名“张浩然”：{MINOR.format('张')}"),
    ("孙子王小明(12周岁)", f"疑似未成年人姓名“王小明”：{MINOR.format('王')}"),
    # names after criminal-procedure party words
    ("被告人张三当庭认罪", f"疑似真实姓名“张三”：{NAME.format('张')}"),
    ("被害人李建国报警", f"疑似真实姓名“李建国”：{NAME.format('李')}"),
    ("犯罪嫌疑人刘强被抓获", f"疑似真实姓名“刘强”：{NAME.format('刘')}"),
    ("证人赵丽娟作证", f"疑似真实姓名“赵丽娟”：{NAME.format('赵')}"),
    # Mongolian, Uyghur and Tibetan names, with and without 间隔号
    ("被告巴特尔拒不还款", f"疑似真实姓名“巴特尔”：{NAME.format('巴')}"),
    ("原告乌云其木格起诉", f"疑似真实姓名“乌云其木格”：{NAME.format('乌')}"),
    ("牧民巴图家的羊", f"疑似真实姓名“巴图”：{NAME.format('巴')}"),
    ("原告阿卜杜热合曼·买买提称", f"疑似真实姓名“阿卜杜热合曼·买买提”：{NAME.format('阿')}"),
    ("被告古丽努尔·艾尼瓦尔未到庭", f"疑似真实姓名“古丽努尔·艾尼瓦尔”：{NAME.format('古')}"),
    ("村民扎西多吉", f"疑似真实姓名“扎西多吉”：{NAME.format('扎')}"),
    ("申请人那仁格日勒•巴特尔", f"疑似真实姓名“那仁格日勒•巴特尔”：{NAME.format('那')}"),
    # street addresses
    ("家住建设路205号", f"疑似详细地址“建设路205号”：{ADDRESS}"),
    ("住在解放街 12 号", f"疑似详细地址“解放街 12 号”：{ADDRESS}"),
    ("租住幸福巷 8 号", f"疑似详细地址“幸福巷 8 号”：{ADDRESS}"),
]


@pytest.mark.parametrize(("text", "expected"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_personal_data_is_flagged_with_its_message(text: str, expected: str) -> None:
    assert [message(f) for f in personal_data(text, ADVISORS)] == [expected]


CLEAN = [
    "村民李某某与邻居张某发生纠纷，被告王某某拒不还款",
    "被告人李某当庭认罪，被害人张某某获赔",
    "原告巴某某、被告乌某起诉离婚",
    "老人高兴地说，这下放心了",
    "被告方辩称已经还清，原告方不认可",
    "被告方认为合同无效",
    "村民马上报了警，牧民白天放牧，晚上回家",
    "村民多次反映，邻居们都说好",
    "当事人向人民法院起诉，申请人陈述了理由",
    "法律顾问郭晓律师分头做工作",
    "人民调解员何建国上门调解",
    "牧民那仁格日勒·巴图是驻村法律顾问",
    "拨打公共法律服务热线 12348，或者报警 110",
    "依据《中华人民共和国民法典》第一千零六十七条、第1079条",
    "2021年1月1日起施行，2023-05-20 签订协议",
    "押金 3000 元，扣除 200 元清洁费，借款 50000 元",
    "沙海镇乌兰布拉格嘎查、巴彦淖尔市杭锦后旗、蛮会镇",
    "黄河总干渠、永刚分干渠、乌拉河",
    "老人今年八十岁，三个儿子都说该别人养",
    "13岁的孩子王某在校受伤",
    "建设路口有一家便民服务站，每周二开放",
    "关注微信公众号“杭锦后旗司法局”，加入法润民生群",
]


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_words_places_and_numbers_are_not_flagged(text: str) -> None:
    assert [message(f) for f in personal_data(text, ADVISORS)] == []


def test_example_counties_have_no_false_positives() -> None:
    for folder in (EXAMPLE, ROOT / "tests" / "fixtures" / "long-names"):
        content = load(folder)
        assert [p for p in content.warnings if "疑似" in p.message] == [], folder


CASE = """---
title: 被告巴特尔拒还借款
category: 借贷
date: 2021-01-01
tags:
  - 加微信 wxid_bater88
summary: 要点。
law:
  - 《中华人民共和国民法典》第六百七十五条
  - 证人张丽娟的证言
---
正文。
"""


def test_check_reads_title_tags_and_law(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_copy / "cases" / "t.md").write_text(CASE, encoding="utf-8")
    code = main(["check", "--content", str(content_copy)])
    err = capsys.readouterr().err
    lines = [line.removeprefix(f"{content_copy.as_posix()}/") for line in err.splitlines()]
    assert code == 1
    assert lines == [
        f"cases/t.md:2: title: 疑似真实姓名“巴特尔”：{NAME.format('巴')}",
        "cases/t.md:6: tags: 疑似微信号“wxid_bater88”：删去微信号；确需保留时写进 privacy_allow",
        f"cases/t.md:10: law: 疑似真实姓名“张丽娟”：{NAME.format('张')}",
        "发现 3 个问题，请按上面的提示修改后再试。",
    ]
