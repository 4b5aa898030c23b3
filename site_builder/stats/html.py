"""The HTML report: one self-contained file that opens offline (charts as SVG data URIs, styles
inline, no script, a Content-Security-Policy that allows nothing else). Every text is escaped."""

from __future__ import annotations

from html import escape

from .charts import bar_chart, hbar_chart, line_chart
from .views import Report, Table

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px auto;
max-width:960px;padding:0 16px;color:#222;line-height:1.6}
h1{font-size:26px;color:#b71c1c}
h2{font-size:20px;border-bottom:2px solid #c62828;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0 16px;min-width:50%}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}td.n,th.n{text-align:right}
th{background:#fbe9e7}tr.total td{font-weight:bold;background:#f5f5f5}
img.chart{width:100%;max-width:760px;height:auto;display:block;margin:8px 0}
.note{background:#fff8e1;border-left:4px solid #f9a825;padding:6px 12px}
.never{color:#777}
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _cell(value: str | int) -> str:
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    return f"<td>{escape(value)}</td>"


def _table(t: Table, limit: int | None = None) -> str:
    rows = t.rows[:limit] if limit else t.rows
    if not rows:
        return "<p>（没有记录）</p>"
    head = "".join(
        f'<th class="{"n" if isinstance(rows[0][i], int) else "t"}">{escape(h)}</th>'
        for i, h in enumerate(t.headers)
    )
    body = "".join("<tr>" + "".join(_cell(v) for v in r) + "</tr>" for r in rows)
    if t.total is not None:
        body += '<tr class="total">' + "".join(_cell(v) for v in t.total) + "</tr>"
    more = ""
    if limit and len(t.rows) > limit:
        more = f"<p>（共 {len(t.rows)} 行，这里列出前 {limit} 行；全部见 .xlsx）</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _img(uri: str, alt: str) -> str:
    return f'<img class="chart" src="{escape(uri)}" alt="{escape(alt)}">'


def _village_section(report: Report) -> str:
    name = report.village or ""
    parts = [f"<h2>{escape(name)}：哪些印刷品被扫码了</h2>"]
    scanned = [p for p in report.village_placements if p.scans]
    never = [p for p in report.village_placements if not p.scans]
    if scanned:
        rows = "".join(
            "<tr>"
            + _cell(p.name)
            + _cell("、".join(p.files))
            + _cell(p.scans)
            + _cell(p.first.isoformat() if p.first else "")
            + _cell(p.last.isoformat() if p.last else "")
            + _cell("，".join(f"{m}：{n} 次" for m, n in p.by_month.items()))
            + "</tr>"
            for p in scanned
        )
        parts.append(
            "<table><thead><tr><th>印刷品</th><th>文件</th><th class=n>扫码次数</th>"
            "<th>首次扫码</th><th>最近扫码</th><th>各月</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        parts.append("<p>统计期间没有扫码记录。</p>")
    if never:
        items = "".join(f"<li>{escape(p.name)}（{escape('、'.join(p.files))}）</li>" for p in never)
        parts.append(f'<p class="never">没有扫码记录的印刷品：</p><ul class="never">{items}</ul>')
    return "".join(parts)


def report_html(report: Report) -> str:
    """The whole report as one HTML document."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        "<table><tbody>",
    ]
    out += [f"<tr><th>{escape(k)}</th>{_cell(v)}</tr>" for k, v in report.overview]
    out.append("</tbody></table>")
    out += [f'<p class="note">{escape(n)}</p>' for n in report.notes]
    if report.village:
        out.append(_village_section(report))
    out.append("<h2>每月扫码次数</h2>")
    if report.months:
        out.append(_img(bar_chart(report.months, "每月扫码次数", "次"), "每月扫码次数柱状图"))
    else:
        out.append("<p>（没有扫码记录）</p>")
    if report.top_villages and not report.village:
        out.append("<h2>扫码最多的村（社区）</h2>")
        out.append(_img(hbar_chart(report.top_villages, "扫码次数"), "扫码最多的村（社区）"))
    if report.top_cases:
        out.append("<h2>扫码最多的案例海报</h2>")
        out.append(_img(hbar_chart(report.top_cases, "扫码次数"), "扫码最多的案例"))
    if report.trend_village and report.trend:
        title = f"{report.trend_village}：每月扫码次数"
        out.append(f"<h2>{escape(title)}</h2>")
        out.append(_img(line_chart(report.trend, title), title))
    limits = {"pages": 30, "days": 62}
    for t in report.tables:
        out.append(f"<h2>{escape(t.title)}</h2>")
        if t.key == "search":
            out.append("<p>只列出至少 3 位居民搜索过、且不含电话号码等个人信息的搜索词。</p>")
        out.append(_table(t, limits.get(t.key)))
    out.append("<p>居民人次：同一部手机同一天只算一次；统计不保存任何 IP 地址。</p>")
    out.append("</body></html>")
    return "\n".join(out)
