"""Reading access logs: plain or gzip, rotated files given in any order.

Files are read oldest first, by the time of their first readable line, so that the counts of
a day can be closed once the log has moved two days past it (``counter.py``): memory stays
bounded by the residents of a day, not by the length of the logs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .logformat import LineParser

MAX_LINE = 16_384  # longer lines are not written by a web server's access log


@dataclass
class ReadProblems:
    """What could not be read: unreadable files, and malformed lines (by file)."""

    files: list[str] = field(default_factory=list)  # Chinese, one per file
    malformed: dict[str, int] = field(default_factory=dict)  # file name → lines skipped
    examples: list[str] = field(default_factory=list)  # "file:line" of the first few

    @property
    def malformed_total(self) -> int:
        return sum(self.malformed.values())

    def bad_line(self, name: str, number: int) -> None:
        self.malformed[name] = self.malformed.get(name, 0) + 1
        if len(self.examples) < 5:
            self.examples.append(f"{name}:{number}")


def open_log(path: Path) -> TextIO:
    """A text stream of a log file, gzip by its magic bytes (not its name); bytes that are
    not UTF-8 become U+FFFD."""
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="\n"
        )
    return path.open(encoding="utf-8", errors="replace", newline="\n")


def first_day(path: Path, parser: LineParser, probe: int = 200) -> dt.date | None:
    """The date of the first of the first ``probe`` lines that parses (None: none does)."""
    try:
        with open_log(path) as fh:
            for _, line in zip(range(probe), fh, strict=False):
                rec = parser.parse(line.rstrip("\r\n"))
                if rec is not None:
                    return rec.day
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    return None


def in_order(paths: list[Path], parser: LineParser) -> list[Path]:
    """``paths`` oldest first (files with no readable line last, in the order given)."""
    keyed = [(first_day(p, parser) or dt.date.max, i, p) for i, p in enumerate(paths)]
    return [p for _, _, p in sorted(keyed)]


class LogReader:
    """Every line of every file, oldest file first, without its line break; ``name`` and
    ``number`` say where the current line is. A file that cannot be opened or ends early (a
    truncated .gz) is reported in ``problems`` and the rest is read on."""

    def __init__(self, paths: list[Path], parser: LineParser, problems: ReadProblems) -> None:
        self.paths = paths
        self.parser = parser
        self.problems = problems
        self.name = ""
        self.number = 0

    def bad_line(self) -> None:
        self.problems.bad_line(self.name, self.number)

    def __iter__(self) -> Iterator[str]:
        import zlib

        for path in in_order(self.paths, self.parser):
            self.name, self.number = path.name, 0
            try:
                with open_log(path) as fh:
                    for line in fh:
                        self.number += 1
                        if len(line) > MAX_LINE:
                            self.bad_line()
                            continue
                        yield line.rstrip("\r\n")
            except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
                self.problems.files.append(
                    f"{self.name}：压缩文件不完整，读到第 {self.number} 行为止（{exc}）"
                )
            except OSError as exc:
                self.problems.files.append(f"{self.name}：无法读取（{exc.strerror or exc}）")
