"""`pufa demo-data`: synthetic content of any size, valid under `pufa check`.

Proportions of a prefecture (市): per 3,000 villages, 10 counties, 150 townships, 6,000
people, 1,500 service points, 2,000 cases and 3,000 rules. Deterministic for a seed. Parties
are anonymised, phone numbers fictitious.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .content.codec import fast_text

COUNTIES = [
    "湛河区",
    "新华区",
    "卫东区",
    "石龙区",
    "舞钢市",
    "汝州市",
    "宝丰县",
    "叶县",
    "鲁山县",
    "郏县",
    "龙泉县",
    "清河县",
]
PLACE = list("东西南北中前后上下大小新老高王李张刘陈杨黄赵周吴孙马朱胡郭何林罗梁宋唐许韩冯邓曹彭")
PLACE2 = list("庄营寨集桥河湾岗店坡沟屯铺园坊圩岭")
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
)
GIVEN = list("明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超霞平刚桂英建国秀兰红梅")
CATEGORIES = {
    "赡养": ("子女推诿赡养老人，调解员上门调解", "《中华人民共和国民法典》第一千零六十七条"),
    "婚姻家庭": ("夫妻吵架动手，申请人身安全保护令", "《中华人民共和国反家庭暴力法》第二十三条"),
    "房屋租赁": ("房东不退押金，法律顾问分头调解", "《中华人民共和国民法典》第七百零三条"),
    "物业": ("电梯常坏拒交物业费，三方协商解决", "《中华人民共和国民法典》第九百四十四条"),
    "土地承包": (
        "出嫁女的承包地被收回，村里撤回决定",
        "《中华人民共和国农村土地承包法》第三十一条",
    ),
    "邻里纠纷": ("屋檐滴水落到邻居院里，加装落水管和好", "《中华人民共和国民法典》第二百八十八条"),
    "劳动争议": ("包工头失联，总承包单位先行清偿工资", "《保障农民工工资支付条例》第三十条"),
    "交通事故": (
        "电动车撞伤散步老人，依过错核算赔偿",
        "《中华人民共和国民法典》第一千一百七十九条",
    ),
    "继承": ("父亲没留遗嘱，兄妹平分老宅", "《中华人民共和国民法典》第一千一百二十七条"),
    "民间借贷": ("借钱只有微信转账，补写借条约定还款", "《中华人民共和国民法典》第六百七十九条"),
    "人身损害": ("帮邻居盖房摔伤，双方按过错分担", "《中华人民共和国民法典》第一千一百六十五条"),
    "消费维权": ("买到假冒商品，商家退一赔三", "《中华人民共和国消费者权益保护法》第五十五条"),
}
NEGATIVE = [
    "不按规定交纳水费",
    "遗弃虐待老人",
    "村庄卫生脏乱差",
    "无理取闹、缠访闹访",
    "私搭乱建",
    "高价彩礼、大操大办",
    "聚众赌博",
    "焚烧秸秆",
    "乱倒垃圾",
    "占用消防通道",
    "高空抛物",
    "饲养犬只不拴绳",
    "破坏公共设施",
    "酒后滋事",
    "拖欠土地流转费",
    "毁坏林木",
    "污水乱排",
    "私占集体土地",
    "封建迷信活动",
    "打架斗殴",
]


def _name(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _fm(data: dict[str, object]) -> str:
    return fast_text(data, "")


def generate(out: Path, villages: int = 3000, seed: int = 1) -> dict[str, int]:
    """Write a content folder with ``villages`` villages and the other types in proportion."""
    rng = random.Random(seed)
    for folder in ("villages", "advisors", "services", "cases", "rules"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    n_counties = max(1, min(len(COUNTIES), round(villages / 300)))
    n_towns = max(2, round(villages / 20))
    counties = COUNTIES[:n_counties]
    towns: list[tuple[str, str]] = []
    used: set[str] = set()
    while len(towns) < n_towns:
        name = rng.choice(PLACE) + rng.choice(PLACE2) + rng.choice(["镇", "乡", "街道"])
        if name not in used:
            used.add(name)
            towns.append((counties[len(towns) % n_counties], name))
    phone = iter(range(10_000_000, 99_999_999))
    landline = iter(range(1_000_000, 9_999_999))
    people: list[dict[str, object]] = []

    def person(role: str, org: str) -> str:
        pid = f"p{len(people) + 1:05d}"
        people.append(
            {
                "id": pid,
                "name": _name(rng),
                "role": role,
                "org": org,
                "phone": f"13{next(phone):09d}"[:11],
            }
        )
        return pid

    services: list[str] = []
    village_ids: list[str] = []
    counts = {"villages": 0, "advisors": 0, "services": 0, "cases": 0, "rules": 0}
    for t, (county, town) in enumerate(towns):
        chief = person("司法总顾问", f"{county}司法局{town}司法所")
        town_services = []
        for k, kind in enumerate(
            [
                "司法所",
                "公共法律服务站",
                "人民调解室",
                "人民调解室",
                "法律援助工作站",
                "警务室",
                "援法议事站",
                "人民调解室",
                "法律服务所",
                "人民调解室",
            ]
        ):
            sid = f"s{t:03d}-{k}"
            (out / "services" / f"{sid}.md").write_text(
                _fm(
                    {
                        "name": f"{town}{kind}" if k < 2 else f"{town}第{k}{kind}",
                        "type": kind,
                        "township": town,
                        "address": f"{town}便民服务中心{k + 1}号窗口",
                        "phone": f"0375-{next(landline)}",
                        "hours": "周一至周五 8:30-12:00 14:30-17:30",
                    }
                )
                + f"{town}的{kind}，免费提供法律咨询和调解。\n",
                encoding="utf-8",
            )
            town_services.append(sid)
            counts["services"] += 1
        per_town = villages // n_towns + (1 if t < villages % n_towns else 0)
        advisor = ""
        for v in range(per_town):
            vid = f"v{t:03d}-{v:02d}"
            if v % 2 == 0:
                advisor = person("法律顾问", f"{county}第{t % 7 + 1}律师事务所")
            kind = "社区" if town.endswith("街道") else "村"
            name = rng.choice(PLACE) + rng.choice(PLACE2) + ("社区" if kind == "社区" else "村")
            mediator = person("人民调解员", f"{town}人民调解委员会")
            # 9 villages in 20 have a grid worker (or 法律明白人) on their card: with an
            # advisor for every two villages and a chief adviser per township, 2 people a
            # village (6,000 for 3,000 villages).
            grid = []
            if v % 20 < 9:
                role = "网格员" if rng.random() < 0.65 else "法律明白人"
                grid = [person(role, f"{name}")]
            data: dict[str, object] = {
                "name": name,
                "kind": kind,
                "township": town,
                "county": county,
                "households": rng.randint(150, 1500),
                "advisors": [advisor],
                "chief_adviser": chief,
                "mediators": [mediator],
                **({"grid_workers": grid} if grid else {}),
                "services": [town_services[2 + v % 4], town_services[0], town_services[1]],
            }
            (out / "villages" / f"{vid}.md").write_text(
                _fm(data) + f"{name}位于{town}，村（居）民约{data['households']}户。\n",
                encoding="utf-8",
            )
            (out / "rules" / f"{vid}.md").write_text(
                _fm(
                    {
                        "village": vid,
                        "adopted": dt.date(
                            2020 + rng.randint(0, 4), rng.randint(1, 9), rng.randint(10, 19)
                        ).isoformat(),
                        "adopted_by": "村民代表会议" if kind == "村" else "居民代表会议",
                        "negative_list": rng.sample(NEGATIVE, rng.randint(4, 10)),
                    }
                )
                + "".join(
                    f"第{i}条 遵守法律法规，邻里互谅互让，遇到纠纷先找调解员和法律顾问。\n\n"
                    for i in range(1, 6)
                ),
                encoding="utf-8",
            )
            village_ids.append(vid)
            counts["villages"] += 1
            counts["rules"] += 1
        services += town_services
    for p in people:
        pid = str(p.pop("id"))
        (out / "advisors" / f"{pid}.md").write_text(_fm(p), encoding="utf-8")
    counts["advisors"] = len(people)
    n_cases = round(villages * 2 / 3)
    cats = list(CATEGORIES)
    start = dt.date(2019, 1, 1)
    for c in range(n_cases):
        cat = cats[c % len(cats)]
        title, law = CATEGORIES[cat]
        s1, s2 = rng.sample(SURNAMES, 2)
        (out / "cases" / f"c{c:05d}.md").write_text(
            _fm(
                {
                    "title": f"{title}（{c + 1}）",
                    "category": cat,
                    "tags": [cat, "调解"],
                    "date": (start + dt.timedelta(days=rng.randint(0, 2000))).isoformat(),
                    "summary": f"{s1}某某与{s2}某因{cat}发生纠纷，"
                    "经法律顾问和人民调解员调解，双方达成协议。",
                    "law": [law],
                    "villages": rng.sample(village_ids, min(2, len(village_ids))),
                }
            )
            + f"## 案情\n\n{s1}某某与{s2}某因{cat}问题发生争执，多次协商未果。\n\n"
            "## 调解经过\n\n法律顾问分别听取双方意见，讲清法律规定，"
            "调解员从情理入手，双方各让一步。\n\n"
            f"## 律师说法\n\n遇到{cat}纠纷，先找村（社区）法律顾问或人民调解员，调解不收费。\n",
            encoding="utf-8",
        )
        counts["cases"] += 1
    site = {
        "name": "平顶山市普法服务平台",
        "org": "平顶山市司法局",
        "hotline": "12348",
        "promise": "简单问题当场答复，复杂问题24小时答复，疑难问题一周当面答复",
        "region": {"province": "河南省", "city": "平顶山市", "postal_code": "467000"},
        "counties": {c: {"org": f"平顶山市{c}司法局"} for c in counties},
    }
    import yaml

    (out / "site.yml").write_text(
        yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return counts
