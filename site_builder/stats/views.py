"""The report's views of a tally: villages, products, cases, months, weeks, days, pages,
search terms, and one village's printed artifacts. Everything here is numbers and names
from the content and the manifest; the only strings that come from the logs are search
terms, and only those at least ``MIN_TERM_RESIDENTS`` residents typed that pass the
privacy check of case explainers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..content.privacy import personal_data
from .counter import Tally
from .placements import Placements

MIN_TERM_RESIDENTS = 3
PAGE_TYPES = {
    "": "首页",
    "cases": "案例",
    "villages": "村（社区）",
    "advisors": "人员",
    "services": "服务点",
    "laws": "法条",
    "search": "搜索",
}


@dataclass
class Names:
    """Names from the content: villages (name, township), cases, people, services."""

    villages: dict[str, tuple[str, str]] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    advisors: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)

    def village(self, vid: str) -> str:
        return self.villages.get(vid, (vid, ""))[0]

    def page(self, page: str) -> str:
        """A page's title for people: the item's name, else its address."""
        folder, _, rest = page.partition("/")
        ident = rest.rstrip("/")
        table = {
            "cases": self.cases,
            "advisors": self.advisors,
            "services": self.services,
            "villages": {k: v[0] for k, v in self.villages.items()},
        }.get(folder, {})
        if ident in table and rest == f"{ident}/":
            return table[ident]
        if page == "":
            return "首页"
        if page == "search/":
            return "搜索"
        if rest == "" and folder in PAGE_TYPES:
            return f"{PAGE_TYPES[folder]}（列表）"
        return page


@dataclass
class Table:
    """A view: title, Chinese headers, rows, and a total row (or none)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str | int]] = field(default_factory=list)
    total: list[str | int] | None = None


@dataclass
class PlacementScans:
    """One printed artifact of a village and when it was scanned."""

    name: str
    files: list[str]
    scans: int
    first: dt.date | None
    last: dt.date | None
    by_month: dict[str, int]


@dataclass
class Report:
    """Everything a report shows."""

    title: str
    period: tuple[dt.date, dt.date] | None
    overview: list[tuple[str, str | int]]
    tables: list[Table]
    months: list[tuple[str, int]]  # scans per month (chart)
    top_villages: list[tuple[str, int]]
    top_cases: list[tuple[str, int]]
    trend_village: str | None
    trend: list[tuple[str, int]]  # the trend village's scans per month
    village: str | None = None  # --village: its name
    village_placements: list[PlacementScans] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def month_of(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def week_of(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def safe_terms(terms: Counter[str], allowed_names: set[str]) -> list[tuple[str, int]]:
    """Terms typed by at least ``MIN_TERM_RESIDENTS`` residents and holding no personal data
    (phone, ID and bank numbers, names by role, addresses), most typed first."""
    out = []
    for term, n in terms.most_common():
        if n < MIN_TERM_RESIDENTS:
            break
        if next(iter(personal_data(term, allowed_names)), None) is None and not _long_number(term):
            out.append((term, n))
    return out


def _long_number(term: str) -> bool:
    """Seven or more digits in a row (with spaces or dashes): a number of someone's."""
    run = 0
    for c in term:
        if c.isdigit():
            run += 1
            if run >= 7:
                return True
        elif c not in " -":
            run = 0
    return False


def _total(rows: list[list[str | int]], label_cols: int) -> list[str | int]:
    total: list[str | int] = ["合计", *([""] * (label_cols - 1))]
    width = len(rows[0]) if rows else label_cols
    for col in range(label_cols, width):
        total.append(sum(v for r in rows if isinstance(v := r[col], int)))
    return total


def build_report(
    tally: Tally,
    placements: Placements,
    names: Names,
    allowed_names: set[str],
    *,
    village: str | None = None,
    township: str | None = None,
    site_name: str = "",
) -> Report:
    """The report's views; with ``village`` or ``township`` the scan views cover only the
    printed artifacts of those villages."""
    items = placements.items
    if village:
        allowed = {village}
    elif township:
        allowed = {v for v, (_, t) in names.villages.items() if t == township}
    else:
        allowed = None

    def counted(i: int) -> bool:
        return allowed is None or items[i].subject in allowed

    scans = Counter({k: n for k, n in tally.scans.items() if counted(k[1])})
    by_placement: Counter[int] = Counter()
    by_month: Counter[str] = Counter()
    by_week: Counter[str] = Counter()
    by_day: Counter[dt.date] = Counter()
    for (day, i), n in scans.items():
        by_placement[i] += n
        by_month[month_of(day)] += n
        by_week[week_of(day)] += n
        by_day[day] += n

    # Villages
    v_scans: Counter[str] = Counter()
    v_items: defaultdict[str, set[int]] = defaultdict(set)
    for i, n in by_placement.items():
        subject = items[i].subject
        if subject:
            v_scans[subject] += n
            v_items[subject].add(i)
    general = sum(n for i, n in by_placement.items() if not items[i].subject)
    v_res: Counter[str] = Counter()
    for (_, vid), n in tally.village_residents.items():
        if allowed is None or vid in allowed:
            v_res[vid] += n
    shown = sorted(set(v_scans) | (allowed or set()), key=lambda v: (-v_scans[v], names.village(v)))
    v_rows: list[list[str | int]] = [
        [
            names.village(v),
            names.villages.get(v, ("", ""))[1],
            v_scans[v],
            v_res[v],
            len(v_items[v]),
        ]
        for v in shown
    ]
    if general:  # so that the total matches the products' total
        v_rows.append(["（不分村的印刷品）", "", general, "", ""])
    villages = Table(
        "villages",
        "按村（社区）",
        ["村（社区）", "所属镇（街道）", "扫码次数", "扫码居民人次", "被扫码的印刷品（件）"],
        v_rows,
        _total(v_rows, 2),
    )

    # Products
    p_scans: Counter[str] = Counter()
    for i, n in by_placement.items():
        p_scans[items[i].name] += n
    p_rows: list[list[str | int]] = [[k, n] for k, n in p_scans.most_common()]
    products = Table("products", "按印刷品", ["印刷品", "扫码次数"], p_rows, _total(p_rows, 1))

    # Cases: poster scans and page visits
    c_scans: Counter[str] = Counter()
    for i, n in by_placement.items():
        case = items[i].case
        if case:
            c_scans[case] += n
    c_visits: Counter[str] = Counter()
    for (_, page), n in tally.visits.items():
        folder, _, rest = page.partition("/")
        if folder == "cases" and rest.endswith("/") and rest.count("/") == 1:
            c_visits[rest[:-1]] += n
    case_ids = sorted(
        set(c_scans) | (set(c_visits) if allowed is None else set()),
        key=lambda c: (-c_scans[c], -c_visits[c], c),
    )
    c_rows: list[list[str | int]] = [
        [names.cases.get(c, c), c_scans[c], c_visits[c]] for c in case_ids
    ]
    cases = Table(
        "cases",
        "按案例",
        ["案例", "海报扫码次数", "案例页访问人次"],
        c_rows,
        _total(c_rows, 1),
    )

    # Months, weeks, days
    res_month: Counter[str] = Counter()
    vis_month: Counter[str] = Counter()
    for day, n in tally.residents.items():
        res_month[month_of(day)] += n
    for (day, _), n in tally.visits.items():
        vis_month[month_of(day)] += n
    month_keys = sorted(set(res_month) | set(by_month))
    m_rows: list[list[str | int]] = [
        [m, by_month[m], res_month[m], vis_month[m]] for m in month_keys
    ]
    months = Table(
        "months",
        "按月",
        ["月份", "扫码次数", "居民人次（全站）", "访问人次（全站）"],
        m_rows,
        _total(m_rows, 1),
    )
    w_rows: list[list[str | int]] = [[w, by_week[w]] for w in sorted(by_week)]
    weeks = Table("weeks", "按周", ["周", "扫码次数"], w_rows, _total(w_rows, 1))
    days_sorted = sorted(set(tally.residents) | set(by_day))
    d_rows: list[list[str | int]] = [
        [d.isoformat(), by_day[d], tally.residents[d]] for d in days_sorted
    ]
    days = Table(
        "days", "按日", ["日期", "扫码次数", "居民人次（全站）"], d_rows, _total(d_rows, 1)
    )

    # Pages and page types (site-wide)
    page_visits: Counter[str] = Counter()
    for (_, page), n in tally.visits.items():
        page_visits[page] += n
    type_visits: Counter[str] = Counter()
    for page, n in page_visits.items():
        type_visits[PAGE_TYPES.get(page.partition("/")[0], "其他页面")] += n
    t_rows: list[list[str | int]] = [[k, n] for k, n in type_visits.most_common()]
    types = Table(
        "types", "按网页类别", ["网页类别", "访问人次（全站）"], t_rows, _total(t_rows, 1)
    )
    pg_rows: list[list[str | int]] = [
        [names.page(p), p or "/", n] for p, n in page_visits.most_common(100)
    ]
    pages = Table("pages", "访问最多的网页", ["网页", "地址", "访问人次（全站）"], pg_rows)

    terms = safe_terms(tally.terms, allowed_names)
    s_rows: list[list[str | int]] = [[t, n] for t, n in terms]
    search = Table("search", "搜索词", ["搜索词", "搜索的居民人次"], s_rows)

    # One village: which of its artifacts were scanned and when
    vp: list[PlacementScans] = []
    if village:
        first: dict[int, dt.date] = {}
        last: dict[int, dt.date] = {}
        pm: defaultdict[int, Counter[str]] = defaultdict(Counter)
        for (day, i), n in scans.items():
            first[i] = min(first.get(i, day), day)
            last[i] = max(last.get(i, day), day)
            pm[i][month_of(day)] += n
        mine = [i for i, p in enumerate(items) if p.subject == village]
        for i in sorted(mine, key=lambda i: (-by_placement[i], items[i].name, items[i].source)):
            p = items[i]
            label = p.name
            if p.case:
                label = f"{p.name}：{names.cases.get(p.case, p.case)}"
            vp.append(
                PlacementScans(
                    label,
                    p.files,
                    by_placement[i],
                    first.get(i),
                    last.get(i),
                    dict(sorted(pm[i].items())),
                )
            )

    total_scans = sum(by_placement.values())
    days_all = tally.days
    period = (days_all[0], days_all[-1]) if days_all else None
    skipped = tally.skipped
    overview: list[tuple[str, str | int]] = [
        ("统计期间", f"{period[0]} 至 {period[1]}" if period else "（日志里没有可统计的访问）"),
        ("扫码次数" + ("（所选村）" if allowed is not None else ""), total_scans),
        ("居民人次（全站，每部手机每天算一人）", sum(tally.residents.values())),
        ("访问人次（全站）", sum(tally.visits.values())),
        ("无法对应印刷品的扫码（旧版或已删除的二维码）", sum(tally.unknown_scans.values())),
        ("读取的日志行数", tally.lines),
        ("格式不对、已跳过的行", skipped.malformed),
        ("搜索引擎、链接预览等机器访问（未计入）", skipped.robots),
    ]
    notes = []
    if tally.problems.malformed_total:
        where = "、".join(tally.problems.examples)
        notes.append(
            f"有 {tally.problems.malformed_total} 行日志格式不对，已跳过（如 {where}）；"
            "若很多，请检查 site.yml 里 stats.log_format 是否与网站服务器的设置一致"
        )
    notes += tally.problems.files
    if placements.shared:
        notes.append(
            f"有 {len(placements.shared)} 个二维码标记由几件印刷品共用，"
            "它们的扫码都计入印刷品清单中的第一件"
        )

    trend_village = village or (v_scans.most_common(1)[0][0] if v_scans else None)
    trend: list[tuple[str, int]] = []
    if trend_village:
        tv: Counter[str] = Counter()
        for (day, i), n in scans.items():
            if items[i].subject == trend_village:
                tv[month_of(day)] += n
        trend = sorted(tv.items())
    if village:
        title_scope = names.village(village)
    elif township:
        title_scope = township
    else:
        title_scope = ""
    title = "扫码统计" + (f"：{title_scope}" if title_scope else "")
    return Report(
        title=f"{site_name} {title}".strip(),
        period=period,
        overview=overview,
        tables=[villages, products, cases, months, weeks, days, types, pages, search],
        months=sorted(by_month.items()),
        top_villages=[(names.village(v), n) for v, n in v_scans.most_common(10)],
        top_cases=[(names.cases.get(c, c), n) for c, n in c_scans.most_common(10)],
        trend_village=names.village(trend_village) if trend_village else None,
        trend=trend,
        village=names.village(village) if village else None,
        village_placements=vp,
        notes=notes,
    )
