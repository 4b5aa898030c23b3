"""The statute library: bundled texts plus the laws staff add in ``content/laws/``.

Texts are parsed once per process and per content: the parsed articles of a file are kept
in memory keyed by the SHA-256 of its bytes (``pufa serve`` rebuilds reuse them), so only a
changed file is parsed again. Parsing all bundled texts takes ~55 ms, hashing them ~3 ms
(``scripts/bench_laws.py``); a disk cache was measured and not worth it (see there).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from ...errors import Problem
from ..yamlsource import FILE_KEY, read_text
from .citations import Names, normalise_name, quoted
from .index import Index, LawEntry, read_index
from .model import Article, Law, Repealed, Revised
from .numerals import parse_number
from .parse import ParsedText, parse_text, sequence_problems

DATA = Path(__file__).resolve().parents[2] / "data" / "laws"
LAWS_FOLDER = "laws"
INDEX_FILE = "index.yml"
LOCAL_SOURCE = "本站补充的文本"

# Names people also write for laws whose index entry lists no (or only a long) short name.
ALIASES: dict[str, tuple[str, ...]] = {
    "最高人民法院关于审理民间借贷案件适用法律若干问题的规定": ("民间借贷规定",),
    "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释": ("人身损害赔偿解释",),
    "最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释": (
        "道路交通事故损害赔偿司法解释",
        "道路交通事故损害赔偿解释",
        "交通事故司法解释",
    ),
    "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）": (
        "婚姻家庭编解释（一）",
        "民法典婚姻家庭编解释（一）",
        "婚姻家庭编司法解释（一）",
    ),
    "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（二）": (
        "婚姻家庭编解释（二）",
        "民法典婚姻家庭编解释（二）",
        "婚姻家庭编司法解释（二）",
    ),
}

_PARSED: dict[str, ParsedText] = {}  # sha256 of a file's bytes → its parse


@dataclass
class Library:
    """Every law known to a build: in force with text, repealed, revised without text."""

    laws: dict[str, Law] = field(default_factory=dict)  # by official name
    repealed: dict[str, Repealed] = field(default_factory=dict)  # by every name written
    revised: dict[str, Revised] = field(default_factory=dict)  # by official name
    names: Names = field(default_factory=lambda: Names({}))

    def law(self, name: str | None) -> Law | None:
        """The law of a canonical or written name (full, short or alias)."""
        if not name:
            return None
        return self.laws.get(name) or self.laws.get(self.names.resolve(name) or "")

    def by_slug(self, slug: str) -> Law | None:
        return next((law for law in self.laws.values() if law.slug == slug), None)

    def nearest(self, written: str) -> str | None:
        """The known name closest to a name not recognised (for “是不是《民法典》？”),
        compared without the common prefix 中华人民共和国."""
        prefix = "中华人民共和国"
        stripped = {n.removeprefix(prefix): n for n in self.names.map}
        target = normalise_name(written).removeprefix(prefix)
        close = difflib.get_close_matches(target, list(stripped), n=1, cutoff=0.6)
        return stripped[close[0]] if close else None


def slugify(name: str) -> str:
    """The pinyin slug of a law's short name: 民法典 → ``minfadian``; a trailing （一） → ``-1``."""
    m = re.search(r"（([一二三四五六七八九十]+)）$", name)
    tail = f"-{parse_number(m.group(1))}" if m else ""
    base = name[: m.start()] if m else name
    text = "".join(lazy_pinyin(base)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return (text or "law") + tail


def _slug_name(law: Law) -> str:
    """The index's first short name, else the shortest alias, else the name."""
    if law.short and "《" not in law.short[0]:
        return law.short[0]
    forms = [n for n in ALIASES.get(law.name, ()) if "《" not in n]
    return min(forms, key=len) if forms else law.name


def _parse_file(path: Path, rel: str, problems: list[Problem]) -> ParsedText | None:
    if not path.is_file():
        return None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = _PARSED.get(digest)
    if cached is None:
        text = read_text(path, rel, problems)
        if text is None:
            return None
        cached = parse_text(text, rel)
        if len(_PARSED) > 400:
            _PARSED.clear()
        _PARSED[digest] = cached
    elif cached.articles and cached.articles[0].file != rel:
        cached = parse_text(data.decode("utf-8-sig"), rel)
    return cached


def _make_law(
    entry: LawEntry,
    folder: Path,
    rel_folder: str,
    texts: str,
    index: Index,
    problems: list[Problem],
    bundled: bool,
) -> Law | None:
    articles: list[Article] = []
    ok = True
    for name in entry.files:
        path = folder / texts / name
        rel = f"{rel_folder}/{texts + '/' if texts else ''}{name}"
        line = entry.line_of("files")
        if not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
            problems.append(
                Problem(
                    index.path,
                    line,
                    f"{entry.key}.files",
                    f"找不到文本文件“{name}”：应放在 content/{rel_folder}/ 里，"
                    "文件名要和这里写的一样",
                )
            )
            ok = False
            continue
        parsed = _parse_file(path, rel, problems)
        if parsed is None:
            ok = False
            continue
        for at, message in parsed.problems:
            problems.append(Problem(rel, at, FILE_KEY, message))
            ok = False
        articles += parsed.articles
    for file, at, message, warning in sequence_problems(articles):
        problems.append(Problem(file, at, FILE_KEY, message, warning=warning))
        ok = ok and warning
    if not ok and not bundled:
        return None
    law = Law(
        name=entry.name,
        short=tuple(entry.short),
        kind=entry.kind,
        version=entry.version,
        effective=entry.effective,
        files=tuple(entry.files),
        articles={a.id: a for a in articles},
    )
    if not bundled:
        law.origin = index.path
        law.origin_line = entry.line
        law.source = entry.source or LOCAL_SOURCE
    elif entry.source:
        law.source = entry.source
    return law


def _read(
    folder: Path, rel_folder: str, problems: list[Problem], bundled: bool
) -> tuple[Index, list[Law]]:
    sections = ("laws", "repealed", "revised_not_included") if bundled else ("laws", "repealed")
    index = read_index(
        folder / INDEX_FILE, f"{rel_folder}/{INDEX_FILE}", problems, sections, trusted=bundled
    )
    laws: list[Law] = []
    seen: dict[str, int] = {}
    for entry in index.laws:
        if entry.name in seen:
            problems.append(
                Problem(
                    index.path,
                    entry.line_of("name"),
                    f"{entry.key}.name",
                    f"《{entry.name}》写了两次（第 {seen[entry.name]} 行已有），请只保留一项",
                )
            )
            continue
        seen[entry.name] = entry.line
        law = _make_law(
            entry, folder, rel_folder, "texts" if bundled else "", index, problems, bundled
        )
        if law is not None:
            laws.append(law)
    return index, laws


_BUNDLED: dict[str, tuple[Index, list[Law]]] = {}


def _bundled() -> tuple[Index, list[Law]]:
    """The bundled index and laws, parsed once per process (keyed by the data's bytes)."""
    digest = hashlib.sha256()
    for path in sorted(DATA.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    key = digest.hexdigest()
    if key not in _BUNDLED:
        problems: list[Problem] = []
        got = _read(DATA, "data/laws", problems, bundled=True)
        if problems:  # shipped data: a broken copy is a bug, never the user's
            raise RuntimeError("bundled law data: " + "; ".join(map(str, problems)))
        _BUNDLED.clear()
        _BUNDLED[key] = got
    return _BUNDLED[key]


def load_library(content: Path | None = None, problems: list[Problem] | None = None) -> Library:
    """The bundled laws, joined or replaced (matched by ``name``) by those in
    ``<content>/laws/index.yml``. Problems of the content's files go to ``problems``
    (paths relative to ``content``, like every content problem)."""
    problems = problems if problems is not None else []
    base, laws = _bundled()
    lib = Library()
    for law in laws:
        lib.laws[law.name] = law
    for r in base.revised_not_included:
        lib.revised[r.name] = Revised(r.name, tuple(r.short), r.revised, r.effective, r.articles)
    repealed = list(base.repealed)
    folder = content / LAWS_FOLDER if content is not None else None
    if folder is not None and folder.is_dir():
        local, local_laws = _read(folder, LAWS_FOLDER, problems, bundled=False)
        listed = local.files | {INDEX_FILE}
        for path in sorted(folder.iterdir()):
            if not path.name.startswith(".") and path.name not in listed:
                problems.append(
                    Problem(
                        f"{LAWS_FOLDER}/{path.name}",
                        1,
                        FILE_KEY,
                        f"没有写进 {LAWS_FOLDER}/{INDEX_FILE} 的 files，已忽略",
                        warning=True,
                    )
                )
        for law in local_laws:
            lib.laws[law.name] = law
            revision = lib.revised.pop(law.name, None)
            if revision is not None and law.version < revision.revised:
                law.outdated_by = revision  # still the old text: no article checks
        repealed += local.repealed
    for gone in repealed:
        names = tuple(gone.names)
        for n in names:
            lib.repealed[normalise_name(n)] = Repealed(names[0], names, gone.replaced_by, gone.on)
    _name_and_slug(lib)
    return lib


def _name_and_slug(lib: Library) -> None:
    forms: dict[str, str] = {}
    for r in lib.repealed.values():
        for n in r.names:
            forms[n] = r.name
    for rv in lib.revised.values():
        forms[rv.name] = rv.name
        for n in rv.short:
            forms[n] = rv.name
    used: set[str] = set()
    for law in lib.laws.values():
        for n in (law.name, *law.short, *ALIASES.get(law.name, ())):
            forms[n] = law.name
        slug = slugify(_slug_name(law))
        while slug in used:
            slug += "-x"
        used.add(slug)
        law.slug = slug
    lib.names = Names(forms)


def display(name: str, lib: Library) -> str:
    """《short name》 of any canonical name the library knows (in force, revised, repealed)."""
    law = lib.laws.get(name)
    if law:
        return law.title
    rv = lib.revised.get(name)
    return quoted(rv.short_name if rv else name)
