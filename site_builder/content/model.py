"""The validated content of one site: typed objects and the indexes pages and print need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .laws import Library
from .types import Advisor, Case, Entry, Rules, Service, Site, Village


@dataclass
class FreePage:
    """A plain Markdown page such as content/about.md."""

    id: str
    source: str
    body: str
    title: str


@dataclass
class Content:
    """Everything the build needs, drafts removed, references checked."""

    root: Path
    site: Site
    villages: dict[str, Village] = field(default_factory=dict)
    advisors: dict[str, Advisor] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    rules: dict[str, Rules] = field(default_factory=dict)  # keyed by village id
    pages: dict[str, FreePage] = field(default_factory=dict)
    drafts: int = 0
    warnings: list[Problem] = field(default_factory=list)
    ledger: list[str] = field(default_factory=list)  # URLs published by earlier builds
    laws: Library | None = None  # the statutes cases cite: bundled texts + content/laws/

    def folder(self, name: str) -> dict[str, Entry]:
        """The items of one content folder by id (rules by file id, not village)."""
        if name == "rules":
            return {r.id: r for r in self.rules.values()}
        items: dict[str, Entry] = getattr(self, name)
        return items

    def renamed(self) -> dict[str, str]:
        """Old entity URL → current entity URL (``renamed_from``)."""
        from .ledger import renames

        return renames({f: self.folder(f) for f in ("cases", "villages", "advisors", "services")})

    def counts(self) -> dict[str, int]:
        return {
            "villages": len(self.villages),
            "advisors": len(self.advisors),
            "services": len(self.services),
            "cases": len(self.cases),
            "rules": len(self.rules),
            "pages": len(self.pages),
        }

    # --- derived indexes -------------------------------------------------------------

    def people_of(self, village: Village) -> list[tuple[str, Advisor]]:
        """The village's people in print order: advisors, chief adviser, mediators, grid."""
        ids: list[tuple[str, str]] = [("advisors", i) for i in village.advisors]
        if village.chief_adviser:
            ids.append(("chief_adviser", village.chief_adviser))
        ids += [("mediators", i) for i in village.mediators]
        ids += [("grid_workers", i) for i in village.grid_workers]
        return [(slot, self.advisors[i]) for slot, i in ids if i in self.advisors]

    def services_of(self, village: Village) -> list[Service]:
        return [self.services[i] for i in village.services if i in self.services]

    def cases_of(self, village_id: str) -> list[Case]:
        return sorted(
            (c for c in self.cases.values() if village_id in c.villages),
            key=lambda c: (c.date, c.id),
            reverse=True,
        )

    def villages_of_person(self) -> dict[str, list[Village]]:
        out: dict[str, list[Village]] = defaultdict(list)
        for v in self.villages.values():
            for _, person in self.people_of(v):
                if v not in out[person.id]:
                    out[person.id].append(v)
        return out

    def villages_of_service(self) -> dict[str, list[Village]]:
        out: dict[str, list[Village]] = defaultdict(list)
        for v in self.villages.values():
            for s in v.services:
                out[s].append(v)
        return out

    def org_for(self, village: Village | None) -> str:
        """The publisher printed for a village: its county's org on a prefecture site."""
        if village and village.county and village.county in self.site.counties:
            return self.site.counties[village.county].org
        return self.site.org

    def rules_title(self, rules: Rules) -> str:
        if rules.title:
            return rules.title
        village = self.villages[rules.village]
        suffix = "居民公约" if village.kind == "社区" else "村规民约"
        return f"{village.name}{suffix}"
