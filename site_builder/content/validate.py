"""Checks across files: ids, references, roles, photos. Pure functions over typed items."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from .fields import specs
from .types import Advisor, Entry, Rules, Village

# Ids that would shadow the group pages under a folder (e.g. /cases/category/…).
RESERVED_IDS = frozenset(
    {"category", "township", "type", "role", "county", "page", "assets", "print", "search"}
)


def check_unique_ids(folder: str, items: list[Entry], problems: list[Problem]) -> None:
    """Every id (and every earlier id) is used once within its folder."""
    seen: dict[str, Entry] = {}
    # An id taken from a file name wins over one written in front matter: blame the latter.
    for item in sorted(items, key=lambda e: ("id" in e.lines, e.source)):
        if item.id in RESERVED_IDS:
            problems.append(
                Problem(
                    item.source,
                    item.line_of("id"),
                    "id",
                    f"“{item.id}”是保留字，不能用作编号，请换一个",
                )
            )
        for key, ident in [("id", item.id)] + [("renamed_from", r) for r in item.renamed_from]:
            if ident in seen and seen[ident] is not item:
                other = seen[ident].source
                problems.append(
                    Problem(
                        item.source,
                        item.line_of(key),
                        key,
                        f"编号“{ident}”重复了，{other} 也在用；同一文件夹里的编号不能相同",
                    )
                )
            else:
                seen[ident] = item


def check_references(
    items: dict[str, dict[str, Entry]],
    drafts: dict[str, set[str]],
    problems: list[Problem],
) -> None:
    """References name existing, published items whose role fits the list they are in."""
    for by_id in items.values():
        for item in by_id.values():
            for key, s in specs(type(item)).items():
                if not s.ref:
                    continue
                value = getattr(item, key)
                refs = value if isinstance(value, list) else ([value] if value else [])
                for i, ref in enumerate(refs):
                    line = item.line_of(key, i if isinstance(value, list) else None)
                    target = items[s.ref].get(ref)
                    if target is None:
                        what = "草稿（draft: true），未发布" if ref in drafts[s.ref] else "不存在"
                        problems.append(
                            Problem(
                                item.source,
                                line,
                                key,
                                f"引用的编号“{ref}”{what}（应为 content/{s.ref}/ 里的文件名）",
                            )
                        )
                    elif s.roles and isinstance(target, Advisor) and target.role not in s.roles:
                        problems.append(
                            Problem(
                                item.source,
                                line,
                                key,
                                f"“{target.name}”的身份是{target.role}，不能列在这里"
                                f"（这里只能填{'或'.join(s.roles)}）",
                            )
                        )


def check_rules(rules: list[Rules], problems: list[Problem]) -> None:
    """One rules file per village."""
    by_village: dict[str, Rules] = {}
    for r in rules:
        if r.village in by_village:
            problems.append(
                Problem(
                    r.source,
                    r.line_of("village"),
                    "village",
                    f"这个村（社区）已有村规民约：{by_village[r.village].source}",
                )
            )
        else:
            by_village[r.village] = r


def check_photo(person: Advisor, root: Path, problems: list[Problem]) -> None:
    """A photo path is relative, stays inside content/, and exists."""
    if not person.photo:
        return
    line = person.line_of("photo")
    photo = person.photo
    if photo.startswith(("/", "\\")) or ":" in photo[:3]:
        problems.append(
            Problem(
                person.source, line, "photo", "照片要写相对 content/ 的路径，如 photos/guo-xiao.jpg"
            )
        )
        return
    base = root.resolve()
    target = (root / photo).resolve()
    if not target.is_relative_to(base):
        problems.append(
            Problem(person.source, line, "photo", "照片路径跑到了 content/ 文件夹外面，不允许")
        )
    elif not target.is_file():
        problems.append(Problem(person.source, line, "photo", f"找不到照片文件“{photo}”"))
    elif target.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
        problems.append(Problem(person.source, line, "photo", "照片应为 jpg、png 或 webp 格式"))


def check_village_county(village: Village, counties: dict, problems: list[Problem]) -> None:
    """On a prefecture site, a village's county must be one declared in site.yml."""
    if counties and village.county and village.county not in counties:
        problems.append(
            Problem(
                village.source,
                village.line_of("county"),
                "county",
                f"县区“{village.county}”没有写在 site.yml 的 counties 里",
            )
        )
