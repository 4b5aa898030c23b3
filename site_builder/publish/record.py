"""The record a publish keeps on the target (``.pufa/``) and the plan made from it.

``.pufa/files.json``   every file the last complete publish put there, with SHA-256 and size,
                       and ``stale``: files of earlier publishes still to be deleted
``.pufa/pending.json`` written before a publish sends anything: what it is about to send and
                       delete (a killed publish leaves it; the next run finishes the work)
``.pufa/published.json`` the ledger of published URLs; ``.pufa/manifest.json`` the print
                       manifest (editions): what a build on a fresh machine reads back
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORD_DIR = ".pufa"
FILES = "files.json"
PENDING = "pending.json"
LEDGER_COPY = "published.json"
MANIFEST_COPY = "manifest.json"
RECORD_NAMES = (FILES, PENDING, LEDGER_COPY, MANIFEST_COPY)
FORMAT = 1
LOCAL_ONLY = (".pufa-site",)  # the build's own marker: never published
# Published after every page: what makes readers (and search) see the new pages.
ENTRY = ("pagefind/pagefind-entry.json", "sitemap.xml", "sitemap.xml.gz", "print/manifest.json")
PHASES = ("资源、印刷品和搜索索引", "网页", "搜索入口和网站地图")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def site_files(site: Path) -> dict[str, tuple[str, int]]:
    """Every file of the built site: relative path → (SHA-256, size)."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel not in LOCAL_ONLY and not _is_record(rel):
            out[rel] = (sha256_file(path), path.stat().st_size)
    return out


def _is_record(rel: str) -> bool:
    return rel.startswith(RECORD_DIR + "/") and rel.split("/", 1)[1] in RECORD_NAMES


def phase(rel: str) -> int:
    """0: assets, print files and search-index parts; 1: pages; 2: the entry points."""
    if rel in ENTRY:
        return 2
    return 1 if rel.endswith(".html") else 0


def _page_order(rel: str) -> tuple[int, int, str]:
    """Pages deepest first, the home page last (it links to everything)."""
    return (rel == "index.html", -rel.count("/"), rel)


@dataclass
class Record:
    files: dict[str, tuple[str, int]] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # files a killed publish may have sent
    published: str = ""

    @classmethod
    def read(cls, folder: Path) -> Record:
        """The record copied from the target into ``folder`` (empty when there is none)."""
        rec = cls()
        data = _json(folder / FILES)
        if isinstance(data, dict):
            rec.files = {str(k): (str(v[0]), int(v[1])) for k, v in data.get("files", {}).items()}
            rec.stale = [str(p) for p in data.get("stale", [])]
            rec.published = str(data.get("published", ""))
        pending = _json(folder / PENDING)
        if isinstance(pending, dict):
            rec.pending = [str(p) for p in pending.get("send", []) + pending.get("delete", [])]
        return rec

    def ours(self) -> set[str]:
        """Every file a publish put on the target: the only ones a publish may delete."""
        return set(self.files) | set(self.stale) | set(self.pending)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class Plan:
    """What a publish sends, phase by phase, and deletes."""

    phases: list[list[str]]
    delete: list[str]
    sizes: dict[str, int]
    resumed: bool = False  # a previous publish was interrupted

    @property
    def send(self) -> list[str]:
        return [f for p in self.phases for f in p]

    @property
    def bytes(self) -> int:
        return sum(self.sizes[f] for f in self.send)


def make_plan(local: dict[str, tuple[str, int]], record: Record) -> Plan:
    """Send what differs from the record; delete what an earlier publish put there and the
    site no longer has (never anything else on the target)."""
    changed = [
        rel for rel, (digest, _) in local.items() if record.files.get(rel, ("",))[0] != digest
    ]
    phases: list[list[str]] = [[], [], []]
    for rel in changed:
        phases[phase(rel)].append(rel)
    phases[0].sort()
    phases[1].sort(key=_page_order)
    phases[2].sort()
    delete = sorted(f for f in record.ours() - set(local) if not _is_record(f))
    sizes = {rel: size for rel, (_, size) in local.items()}
    return Plan(phases, delete, sizes, resumed=bool(record.pending))


def files_json(local: dict[str, tuple[str, int]], stale: list[str], when: str) -> bytes:
    data = {"format": FORMAT, "published": when, "files": local, "stale": stale}
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")


def pending_json(plan: Plan, when: str) -> bytes:
    data = {"format": FORMAT, "started": when, "send": plan.send, "delete": plan.delete}
    return json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8")
