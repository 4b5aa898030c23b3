"""Access-log line formats: the combined format (nginx and Apache) and any nginx ``log_format``.

A format is compiled once to a regular expression with named groups for the variables the
statistics read (address, time, request, status, user agent, host); every other variable
matches and is ignored. nginx escapes ``"`` and control bytes in variables (``\\x22``), Apache
escapes them as ``\\"``: both read back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# nginx's and Apache's "combined" format.
COMBINED = (
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
    '"$http_referer" "$http_user_agent"'
)
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    )
}
# Variables the statistics read, by the group name they get.
WANTED = {
    "remote_addr": "addr",
    "time_local": "time",
    "time_iso8601": "iso",
    "request": "request",
    "request_method": "method",
    "request_uri": "uri",
    "status": "status",
    "http_user_agent": "ua",
    "host": "host",
}
_VAR = re.compile(r"\$(\w+)|\$\{(\w+)\}")
_QUOTED_VALUE = r'(?:[^"\\]|\\.)*'  # inside "…": Apache's \" kept, nginx writes \x22


class LogFormatError(ValueError):
    """A ``log_format`` the statistics cannot use (the message is Chinese)."""


@dataclass(slots=True)
class Record:
    """The facts of one request that the statistics use."""

    addr: str
    day: dt.date
    method: str
    target: str  # the request target: path and query, as sent
    status: int
    ua: str
    host: str


def compile_format(fmt: str) -> re.Pattern[str]:
    """A regular expression for lines written with the nginx ``log_format`` ``fmt``."""
    fmt = " ".join(fmt.split())  # nginx joins the quoted parts of a multi-line log_format
    parts: list[str] = []
    seen: set[str] = set()
    pos = 0
    for m in _VAR.finditer(fmt):
        parts.append(re.escape(fmt[pos : m.start()]))
        name = m.group(1) or m.group(2)
        follow = fmt[m.end() : m.end() + 1]
        if follow == '"':
            body = _QUOTED_VALUE
        elif name == "time_local":
            body = r"[^\]]*" if follow == "]" else r"\S+ \S+"
        elif follow:
            body = f"[^{re.escape(follow)}]*" if follow != " " else r"\S*"
        else:
            body = ".*"
        group = WANTED.get(name)
        if group and group not in seen:
            seen.add(group)
            parts.append(f"(?P<{group}>{body})")
        else:
            parts.append(f"(?:{body})")
        pos = m.end()
    parts.append(re.escape(fmt[pos:]))
    if "addr" not in seen:
        raise LogFormatError("log_format 里没有 $remote_addr：无法区分不同的手机")
    if "time" not in seen and "iso" not in seen:
        raise LogFormatError("log_format 里没有 $time_local 或 $time_iso8601：无法知道日期")
    if "request" not in seen and not {"method", "uri"} <= seen:
        raise LogFormatError(
            "log_format 里没有 $request（或 $request_method 和 $request_uri）：无法知道访问的网页"
        )
    if "status" not in seen:
        raise LogFormatError("log_format 里没有 $status：无法知道网页是否打开成功")
    if "ua" not in seen:
        raise LogFormatError("log_format 里没有 $http_user_agent：无法排除搜索引擎和链接预览")
    return re.compile("".join(parts))


class LineParser:
    """Turns log lines into :class:`Record` (None for a line that does not fit the format)."""

    def __init__(self, fmt: str = COMBINED) -> None:
        self.pattern = compile_format(fmt)
        self._days: dict[str, dt.date | None] = {}

    def day(self, stamp: str, iso: bool) -> dt.date | None:
        """The local date of ``10/Oct/2026:13:55:36 +0800`` (or ISO 8601), cached per day."""
        key = stamp[:10] if iso else stamp[:11]
        day = self._days.get(key, dt.date.min)
        if day is dt.date.min:
            day = None
            try:
                if iso:
                    day = dt.date.fromisoformat(key)
                else:
                    month = MONTHS.get(key[3:6])
                    if month and key[2] == "/" and key[6] == "/":
                        day = dt.date(int(key[7:11]), month, int(key[0:2]))
            except ValueError:
                day = None
            if len(self._days) > 4096:
                self._days.clear()
            self._days[key] = day
        return day

    def parse(self, line: str) -> Record | None:
        m = self.pattern.fullmatch(line)
        if m is None:
            return None
        g = m.groupdict()
        time = g.get("time")
        day = self.day(time, False) if time is not None else self.day(g.get("iso") or "", True)
        if day is None:
            return None
        status = g["status"]
        if not status.isdigit():
            return None
        request = g.get("request")
        if request is not None:
            method, _, rest = request.partition(" ")
            target = rest.rpartition(" ")[0] if rest.count(" ") else rest
        else:
            method, target = g.get("method") or "", g.get("uri") or ""
        return Record(
            addr=g["addr"],
            day=day,
            method=method,
            target=target,
            status=int(status),
            ua=g.get("ua") or "",
            host=(g.get("host") or "").lower(),
        )
