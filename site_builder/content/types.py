"""One declaration per content type: the public content format of DESIGN.md (v1).

Each dataclass field carries its :class:`~.fields.Spec`: the Chinese doc string (used in
templates and messages), the kind of value, whether it is required, the allowed choices,
and for references the folder of the referenced items and the roles that fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .fields import spec

ROLES = ("法律顾问", "司法总顾问", "人民调解员", "网格员", "法律明白人")
VILLAGE_KINDS = ("村", "社区", "嘎查")
SERVICE_TYPES = (
    "公共法律服务中心",
    "公共法律服务站",
    "司法所",
    "人民调解室",
    "法律援助工作站",
    "警务室",
    "援法议事站",
    "法律服务所",
    "其他",
)

# Duties of each role, from the field reports (the 法律顾问's "七员" of Zhanhe/Jingjiang).
DEFAULT_DUTIES: dict[str, tuple[str, ...]] = {
    "法律顾问": (
        "法律事务的指导员",
        "法律知识的宣传员",
        "矛盾纠纷的调解员",
        "法律诉求的引导员",
        "社情民意的信息员",
        "基层法治的参与员",
        "法律援助的联络员",
    ),
    "司法总顾问": ("矛盾纠纷总协调", "网格事务的法律参谋员", "重大事项合法性把关"),
    "人民调解员": ("排查矛盾纠纷", "调解邻里家庭纠纷", "引导申请司法确认"),
    "网格员": ("收集社情民意", "上报矛盾隐患", "联络法律顾问和调解员"),
    "法律明白人": ("宣传身边的法律知识", "引导群众依法维权", "协助化解矛盾纠纷"),
}


@dataclass
class Entry:
    """Keys every content file may carry, plus where it came from."""

    id: str = spec("编号，只用小写字母、数字和“-”；默认是文件名", "id")
    draft: bool = spec("草稿：写 true 则不发布到任何地方", "bool", default=False)
    renamed_from: list[str] = spec("以前用过的编号，旧网址和旧二维码继续有效", "ids")
    source: str = field(default="", metadata={})
    body: str = field(default="", metadata={})
    body_line: int = field(default=1, metadata={})
    lines: dict[str, int] = field(default_factory=dict, metadata={})

    def line_of(self, key: str, index: int | None = None) -> int:
        """Line of a key (or of one item of a list key) in the source file."""
        if index is not None and f"{key}[{index}]" in self.lines:
            return self.lines[f"{key}[{index}]"]
        return self.lines.get(key, 1)


@dataclass
class Village(Entry):
    """A village (村, 嘎查) or urban community (社区)."""

    name: str = spec("村或社区的名称，如 蓝欣社区", "text", required=True)
    kind: str = spec("类别：村、社区 或 嘎查", "text", required=True, choices=VILLAGE_KINDS)
    township: str = spec("所属镇、乡、街道或苏木", "text", required=True)
    county: str | None = spec("所属县区（全市统一建站时才需要）", "text")
    households: int | None = spec("户数，用来计算便民卡印多少张", "int")
    advisors: list[str] = spec(
        "法律顾问的编号（一村一法律顾问），至少一名",
        "ids",
        required=True,
        ref="advisors",
        roles=("法律顾问",),
    )
    chief_adviser: str | None = spec(
        "司法总顾问的编号", "id", ref="advisors", roles=("司法总顾问",)
    )
    mediators: list[str] = spec("人民调解员的编号", "ids", ref="advisors", roles=("人民调解员",))
    grid_workers: list[str] = spec(
        "网格员或法律明白人的编号", "ids", ref="advisors", roles=("网格员", "法律明白人")
    )
    services: list[str] = spec("服务点的编号，第一个是离得最近的", "ids", ref="services")

    @property
    def label(self) -> str:
        return self.name


@dataclass
class Advisor(Entry):
    """A person residents can contact: legal advisor, chief adviser, mediator, grid worker."""

    name: str = spec("姓名", "text", required=True)
    role: str = spec("身份：" + "、".join(ROLES), "text", required=True, choices=ROLES)
    org: str | None = spec("工作单位，如 某某律师事务所", "text")
    phone: str = spec("联系电话", "phone", required=True)
    hours: str | None = spec("服务时间，如 每周三上午驻社区", "text")
    wechat: str | None = spec("微信群名称（群二维码会过期，不印刷）", "text")
    photo: str | None = spec("照片路径，相对 content/ 文件夹", "text")
    duties: list[str] = spec("职责；不写则用该身份的默认职责", "texts")

    @property
    def label(self) -> str:
        return self.name

    @property
    def duty_list(self) -> list[str]:
        return list(self.duties) or list(DEFAULT_DUTIES.get(self.role, ()))


@dataclass
class Service(Entry):
    """A service point of the ten-minute legal service circle."""

    name: str = spec("服务点名称", "text", required=True)
    type: str = spec(
        "类型：" + "、".join(SERVICE_TYPES), "text", required=True, choices=SERVICE_TYPES
    )
    township: str = spec("所在镇、乡、街道或苏木", "text", required=True)
    address: str | None = spec("地址", "text")
    phone: str = spec("联系电话", "phone", required=True)
    hours: str | None = spec("开放时间", "text")
    location: tuple[float, float] | None = spec("坐标 [纬度, 经度]", "latlng")

    @property
    def label(self) -> str:
        return self.name


@dataclass
class Case(Entry):
    """A case explainer (以案释法)."""

    title: str = spec("标题", "text", required=True)
    category: str = spec("类别，如 赡养、房屋租赁", "text", required=True)
    tags: list[str] = spec("标签", "texts")
    date: dt.date = spec(
        "案例或文章日期，如 2020-09-24", "date", required=True, default=dt.date.min
    )
    summary: str = spec("两到三句话的要点，印在海报上", "text", required=True)
    law: list[str] = spec("引用的法律条文", "texts")
    villages: list[str] = spec("在哪些村（社区）的海报上展示", "ids", ref="villages")
    privacy_allow: list[str] = spec("隐私检查不必标出的原文", "texts")

    @property
    def label(self) -> str:
        return self.title


@dataclass
class Rules(Entry):
    """Village rules (村规民约 / 居民公约) with an optional negative list."""

    village: str = spec("所属村（社区）的编号", "id", required=True, ref="villages")
    title: str | None = spec("标题；默认“某某村规民约”或“某某居民公约”", "text")
    adopted: dt.date = spec("通过日期，如 2021-01-15", "date", required=True, default=dt.date.min)
    adopted_by: str | None = spec("通过方式，如 村民代表会议", "text")
    negative_list: list[str] = spec("负面清单：不允许的行为", "texts")

    @property
    def label(self) -> str:
        return self.title or self.village


# --- content/site.yml -------------------------------------------------------------------


@dataclass
class Region:
    province: str | None = spec("省", "text")
    city: str | None = spec("市", "text")
    county: str | None = spec("县区", "text")
    postal_code: str | None = spec("邮政编码", "text")


@dataclass
class County:
    org: str = spec("该县区的发布单位（司法局）", "text", required=True)


@dataclass
class PrintSettings:
    paper: str = spec("海报纸张：A4 或 A3", "text", choices=("A4", "A3"), default="A4")
    cards_per_sheet: int = spec(
        "每张 A4 排几张便民卡：10 或 8", "int", choices=("10", "8"), default=10
    )
    theme: str = spec("印刷样式，themes/ 下的文件夹名", "text", default="default")


@dataclass
class StatsSettings:
    log_format: str | None = spec(
        "网站服务器访问日志的格式：照抄 nginx 设置里 log_format 引号中的内容；"
        "不写则是 nginx 和 Apache 默认的 combined 格式",
        "text",
    )


@dataclass
class ImportSettings:
    columns: dict[str, str] = spec("表格列名 → 键名", "map")


@dataclass
class ReviewSettings:
    required: bool = spec(
        "发布前必须审核：写 true 则新建或改动的内容要审核通过后才上网站", "bool", default=False
    )
    reviewers: int = spec(
        "每个版本要几位不同的审核人通过：1、2 或 3", "int", choices=("1", "2", "3"), default=1
    )


@dataclass
class SpeechSettings:
    audio: bool = spec(
        "构建时为每个案例生成朗读音频（标题和要点），给没有中文语音的手机播放；写 false 则不生成",
        "bool",
        default=True,
    )


@dataclass
class PublishSettings:
    to: str | None = spec(
        "发布到哪里（网址）：file:///文件夹、sftp://主机/路径、s3://桶/前缀?endpoint=https://…、"
        "webdav+https://主机/路径；密码和密钥不写在这里（见 docs/hosting.md）",
        "text",
    )
    check_url: str | None = spec(
        "发布后从哪个网址检查网站，一般就是 site_url，如 https://www.zhanhe.gov.cn/sfj/pufa/",
        "text",
    )


@dataclass
class Site:
    """content/site.yml: the publisher and the project's settings."""

    name: str = spec("网站和海报标题", "text", required=True)
    org: str = spec("发布单位，印在每张海报和卡片上", "text", required=True)
    hotline: str = spec("公共法律服务热线", "phone", default="12348")
    promise: str | None = spec("服务承诺，印在便民卡背面", "text")
    icp: str | None = spec("ICP 备案号，如 豫ICP备12345678号", "icp")
    police_filing: str | None = spec("公安备案号，如 豫公网安备41040202000123号", "police_filing")
    region: Region = spec("行政区划（开放数据的地址）", "struct", struct=Region)
    counties: dict[str, County] = spec("全市建站时各县区的发布单位", "map", struct=County)
    print: PrintSettings = spec("印刷设置", "struct", struct=PrintSettings)
    privacy: str = spec(
        "隐私检查的报告方式：error 或 warn", "text", choices=("error", "warn"), default="error"
    )
    import_: ImportSettings = spec("导入表格的列名", "struct", struct=ImportSettings)
    stats: StatsSettings = spec("扫码统计（pufa stats）的设置", "struct", struct=StatsSettings)
    publish: PublishSettings = spec("发布上线的目标和检查网址", "struct", struct=PublishSettings)
    review: ReviewSettings = spec("审核设置（审核与留痕）", "struct", struct=ReviewSettings)
    speech: SpeechSettings = spec("朗读音频的设置", "struct", struct=SpeechSettings)
    lines: dict[str, int] = field(default_factory=dict, metadata={})


def __getattr__(name: str) -> Any:
    """``CONTENT_TYPES`` (folder → class) and ``TYPE_LABELS`` (folder → label), derived from
    the registry (``registry.py``), which is the one list of content types."""
    from . import registry

    if name == "CONTENT_TYPES":
        return {k.folder: k.cls for k in registry.KINDS}
    if name == "TYPE_LABELS":
        return {k.folder: k.label for k in registry.KINDS}
    raise AttributeError(name)
