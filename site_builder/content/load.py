"""Load a content folder into a validated :class:`Content`, or raise every problem at once."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentError, Problem
from . import registry
from .fields import check_id
from .laws import check_cases, load_library
from .ledger import orphans, read_ledger
from .model import Content, FreePage
from .privacy import check_case
from .schema import build
from .thesaurus import load_thesaurus, unused_terms
from .types import Advisor, Case, Entry, Rules, Site, Village
from .validate import (
    check_photo,
    check_references,
    check_rules,
    check_unique_ids,
    check_village_county,
)
from .yamlsource import FILE_KEY, load_source

SITE_FILE = "site.yml"


def load(root: Path) -> Content:
    """Read and validate everything under ``root``; raise :class:`ContentError` if anything
    is wrong. Warnings (problems that do not stop a build) are left on ``content.warnings``."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), 1, FILE_KEY, "内容文件夹不存在")])
    site = _load_site(root, problems)
    items: dict[str, dict[str, Entry]] = {}
    drafts: dict[str, set[str]] = {}
    for kind in registry.KINDS:
        folder = kind.folder
        loaded = _load_folder(root, folder, kind.cls, problems)
        check_unique_ids(folder, loaded, problems)
        drafts[folder] = {e.id for e in loaded if e.draft}
        items[folder] = {e.id: e for e in loaded if not e.draft}
    check_references(items, drafts, problems)
    rules = [r for r in items["rules"].values() if isinstance(r, Rules)]
    check_rules(rules, problems)
    for person in items["advisors"].values():
        assert isinstance(person, Advisor)
        check_photo(person, root, problems)
    if site is not None:
        names = {p.name for p in items["advisors"].values() if isinstance(p, Advisor)}
        for case in items["cases"].values():
            assert isinstance(case, Case)
            problems += check_case(case, names, as_warning=site.privacy == "warn")
    library = load_library(root, problems)  # bundled statutes + content/laws/, with lines
    problems += check_cases((c for c in items["cases"].values() if isinstance(c, Case)), library)
    pages = _load_pages(root, problems)
    thesaurus = load_thesaurus(root, problems)
    unused_terms(thesaurus, _all_text(items, pages), problems)
    ledger = read_ledger(root, problems)
    problems += orphans(ledger, items)
    if site is not None:
        for v in items["villages"].values():
            assert isinstance(v, Village)
            check_village_county(v, site.counties, problems)
    errors = [p for p in problems if not p.warning]
    if errors or site is None:
        raise ContentError(errors or problems)
    content = Content(
        root=root,
        site=site,
        items=items,
        pages=pages,
        drafts=sum(len(d) for d in drafts.values()),
        ledger=ledger,
        laws=library,
        thesaurus=thesaurus,
    )
    content.warnings = sorted(p for p in problems if p.warning)
    return content


def _all_text(items: dict[str, dict[str, Entry]], pages: dict[str, FreePage]) -> str:
    """Every text field and body of the content: what the site's pages can be found by."""
    parts: list[str] = [p.body for p in pages.values()]
    for folder in items.values():
        for item in folder.values():
            parts += [str(v) for v in vars(item).values() if isinstance(v, str | list)]
    return "\n".join(parts)


def _load_site(root: Path, problems: list[Problem]) -> Site | None:
    path = root / SITE_FILE
    if not path.is_file():
        problems.append(Problem(SITE_FILE, 1, FILE_KEY, "缺少网站设置文件 content/site.yml"))
        return None
    src = load_source(path, SITE_FILE, problems, whole_yaml=True)
    if src is None:
        return None
    before = len(problems)
    site = build(Site, src.data, src, problems)
    site.lines = src.lines
    return site if len(problems) == before else None


def _load_folder(root: Path, folder: str, cls: type[Entry], problems: list[Problem]) -> list[Entry]:
    out: list[Entry] = []
    directory = root / folder
    if not directory.is_dir():
        return out
    for path in sorted(directory.iterdir()):
        rel = f"{folder}/{path.name}"
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            problems.append(Problem(rel, 1, FILE_KEY, "不是 .md 文件，已忽略", warning=True))
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            problems.append(Problem(rel, 1, FILE_KEY, "这个文件是指向 content/ 外面的链接，不允许"))
            continue
        src = load_source(path, rel, problems)
        if src is None:
            continue
        if not src.lines and not src.data and src.head_line == 1:
            problems.append(
                Problem(
                    rel,
                    1,
                    "头部",
                    "文件开头缺少头部信息：第一行写“---”，接着写“键: 值”，再用一行“---”结束",
                )
            )
            continue
        item = build(cls, src.data, src, problems)
        item.source, item.body, item.body_line, item.lines = rel, src.body, src.body_line, src.lines
        if item.id is None:
            try:
                item.id = check_id(path.stem)
            except ValueError as exc:
                problems.append(
                    Problem(
                        rel, 1, "id", f"{exc}；文件名不合规时请改文件名，或在头部写 id: 合规的编号"
                    )
                )
                continue
        out.append(item)
    return out


_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def _load_pages(root: Path, problems: list[Problem]) -> dict[str, FreePage]:
    pages: dict[str, FreePage] = {}
    for path in sorted(root.glob("*.md")):
        src = load_source(path, path.name, problems)
        if src is None:
            continue
        extra = set(src.data) - {"id", "draft", "renamed_from", "title"}
        for key in sorted(extra):
            problems.append(
                Problem(
                    path.name,
                    src.lines.get(key, 1),
                    key,
                    "自由页面只能写 title、id、draft、renamed_from",
                )
            )
        if src.data.get("draft") is True:
            continue
        heading = _HEADING.search(src.body)
        title = str(src.data.get("title") or (heading.group(1) if heading else path.stem))
        page_id = path.stem
        pages[page_id] = FreePage(page_id, path.name, src.body, title)
    return pages
