"""Counting residents, scans, visits and search terms from access-log records, streaming.

- A **resident** is one browser on one day: a keyed hash of address, user agent and day. The
  key is random for each run and never stored, so nothing written can be traced back to an
  address, and the same phone on two days is two resident-days (人次).
- A **scan** is a resident opening a page from a tagged code: counted once per resident, day
  and artifact (reloading the page is not a second scan).
- A **visit** is a resident opening a page of the site (tagged or not), once per resident, day
  and page. Codes printed before tags existed are visits, not scans.
- A **search term** is what a resident typed into the header box (``search/?q=``), counted
  once per resident and day.

Only ``GET`` requests for pages of the built site under the site's own path count, answered
with 200 or 304; robots are left out (``agents.py``). The sets of who did what are kept for
the last few days only: memory grows with the residents of a day, not with the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from ..content.tags import TAG_KEY, parse_tag
from .agents import AgentFilter
from .logformat import LineParser
from .placements import Placements
from .sources import LogReader, ReadProblems

OPEN_DAYS = 2  # days whose sets stay open: a log line may come late across midnight
TERM_LIMIT = 50_000  # distinct search terms kept; past it the ones typed once are dropped
TERM_MAX_LEN = 40
SKIPPED_FOLDERS = ("assets/", "print/", "pagefind/", "data/", "search/index")
OK = frozenset((200, 203, 304))


@dataclass
class _Day:
    residents: set[int] = field(default_factory=set)
    scans: set[tuple[int, int]] = field(default_factory=set)
    villages: set[tuple[int, str]] = field(default_factory=set)
    visits: set[int] = field(default_factory=set)  # resident << 24 | page number
    terms: set[tuple[int, str]] = field(default_factory=set)


@dataclass
class Skipped:
    """Lines read but not counted, by reason."""

    malformed: int = 0
    outside: int = 0  # another site or path of the same server
    robots: int = 0
    not_pages: int = 0  # assets, files, errors, other methods, pages the site lacks
    out_of_range: int = 0  # before --from or after --to


@dataclass
class Tally:
    """What the logs say, before any report view is chosen."""

    lines: int = 0
    skipped: Skipped = field(default_factory=Skipped)
    problems: ReadProblems = field(default_factory=ReadProblems)
    residents: Counter[dt.date] = field(default_factory=Counter)
    scans: Counter[tuple[dt.date, int]] = field(default_factory=Counter)  # (day, placement)
    unknown_scans: Counter[dt.date] = field(default_factory=Counter)
    village_residents: Counter[tuple[dt.date, str]] = field(default_factory=Counter)
    visits: Counter[tuple[dt.date, str]] = field(default_factory=Counter)  # (day, page)
    terms: Counter[str] = field(default_factory=Counter)

    @property
    def days(self) -> list[dt.date]:
        return sorted(self.residents)


def site_pages(site: object) -> set[str]:
    """Site-relative pages of a built site: ``""``, ``cases/lease-deposit/``, ``about/``."""
    from pathlib import Path

    root = Path(str(site))
    pages: set[str] = set()
    for index in root.rglob("index.html"):
        rel = index.parent.relative_to(root).as_posix()
        if rel == ".":
            pages.add("")
        elif not rel.startswith(SKIPPED_FOLDERS):
            pages.add(rel + "/")
    return pages


def clean_term(raw: str) -> str | None:
    """A search term as counted: NFKC, spaces collapsed, lower case; None when empty, too
    long or holding control characters."""
    import unicodedata

    term = " ".join(unicodedata.normalize("NFKC", raw).split()).lower()
    if not term or len(term) > TERM_MAX_LEN or "\ufffd" in term:
        return None
    if any(unicodedata.category(c)[0] == "C" for c in term):
        return None
    return term


class Counting:
    """Feed it records; it keeps the tally."""

    def __init__(
        self,
        site_url: str,
        pages: set[str],
        placements: Placements,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> None:
        parts = urlsplit(site_url)
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.host = (parts.hostname or "").lower()
        self.pages = {page: i for i, page in enumerate(sorted(pages))}
        self.placements = placements
        self.date_from = date_from
        self.date_to = date_to
        self.tally = Tally()
        self.agents = AgentFilter()
        self._key = os.urandom(32)  # never stored: resident hashes die with this object
        self._open: dict[dt.date, _Day] = {}

    def _day(self, day: dt.date) -> _Day:
        state = self._open.get(day)
        if state is None:
            state = self._open[day] = _Day()
            if len(self._open) > OPEN_DAYS:
                del self._open[min(self._open)]
        return state

    def _resident(self, addr: str, ua: str, day: dt.date) -> int:
        h = hashlib.blake2b(f"{addr}\x1f{ua}\x1f{day.toordinal()}".encode(), key=self._key)
        return int.from_bytes(h.digest()[:8], "big")

    def read(self, reader: LogReader, parser: LineParser) -> Tally:
        t = self.tally
        t.problems = reader.problems
        fields, add, bad = parser.fields, self.add, reader.bad_line
        lines = 0
        for line in reader:
            lines += 1
            f = fields(line)
            if f is None:
                bad()
                continue
            add(*f)
        self._open.clear()
        t.lines += lines
        t.skipped.malformed = reader.problems.malformed_total  # too long ones included
        return t

    def add(
        self, addr: str, day: dt.date, method: str, target: str, status: int, ua: str, host: str
    ) -> None:
        t = self.tally
        if target[:1] != "/" and target.startswith(("http://", "https://")):  # absolute form
            parts = urlsplit(target)
            host = host or (parts.hostname or "")
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not target.startswith(self.prefix) or (
            host and self.host and host != "-" and host.partition(":")[0] != self.host
        ):
            t.skipped.outside += 1
            return
        if (self.date_from and day < self.date_from) or (self.date_to and day > self.date_to):
            t.skipped.out_of_range += 1
            return
        path, _, query = target.partition("?")
        page = path[len(self.prefix) :]
        if "%" in page:
            page = unquote(page)
        if page.endswith("index.html"):
            page = page[: -len("index.html")]
        if method != "GET" or status not in OK or page not in self.pages:
            t.skipped.not_pages += 1
            return
        if self.agents.is_robot(ua):
            t.skipped.robots += 1
            return
        state = self._open.get(day) or self._day(day)
        r = self._resident(addr, ua, day)
        if r not in state.residents:
            state.residents.add(r)
            t.residents[day] += 1
        visit = r << 24 | self.pages[page]  # one int, not a tuple: a third of the memory
        if visit not in state.visits:
            state.visits.add(visit)
            t.visits[(day, page)] += 1
        if not query:
            return
        if f"{TAG_KEY}=" in query:
            self._scan(state, r, day, page, parse_tag(target))
        if page == "search/" and "q=" in query:
            for key, value in parse_qsl(query.partition("#")[0]):
                if key == "q":
                    term = clean_term(value)
                    if term and (r, term) not in state.terms:
                        state.terms.add((r, term))
                        self._term(term)
                    break

    def _scan(self, state: _Day, r: int, day: dt.date, page: str, tag: str | None) -> None:
        t = self.tally
        i = self.placements.find(page, tag) if tag else None
        if i is None:
            if (r, -1) not in state.scans:
                state.scans.add((r, -1))
                t.unknown_scans[day] += 1
            return
        if (r, i) not in state.scans:
            state.scans.add((r, i))
            t.scans[(day, i)] += 1
        village = self.placements.items[i].subject
        if village and (r, village) not in state.villages:
            state.villages.add((r, village))
            t.village_residents[(day, village)] += 1

    def _term(self, term: str) -> None:
        terms = self.tally.terms
        terms[term] += 1
        if len(terms) > TERM_LIMIT:  # rare (or an attack): keep the most typed half
            kept = terms.most_common(TERM_LIMIT // 2)
            terms.clear()
            terms.update(dict(kept))
