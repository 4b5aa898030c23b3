"""The validated content of one site: typed objects and the indexes pages and print need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Problem
from .labels import rules_label
from .laws import Library
from .thesaurus import Thesaurus
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
    """Everything the build needs, drafts removed, references checked.

    ``items`` holds every content type of the registry by folder, then by id (rules by
    their file's id); the typed attributes below are views of it.
    """

    root: Path
    site: Site
    items: dict[str, dict[str, Entry]] = field(default_factory=dict)
    pages: dict[str, FreePage] = field(default_factory=dict)
    drafts: int = 0
    warnings: list[Problem] = field(default_factory=list)
    ledger: list[str] = field(default_factory=list)  # URLs published by earlier builds
    laws: Library | None = None  # the statutes cases cite: bundled texts + content/laws/
    # search: residents' words → the pages' words (bundled + content/thesaurus.yml)
    thesaurus: Thesaurus = field(default_factory=Thesaurus)

    def folder(self, name: str) -> dict[str, Entry]:
        """The items of one content folder by id (rules by file id, not village)."""
        return self.items.get(name, {})

    @property
    def villages(self) -> dict[str, Village]:
        return self.folder("villages")  # type: ignore[return-value]

    @property
    def advisors(self) -> dict[str, Advisor]:
        return self.folder("advisors")  # type: ignore[return-value]

    @property
    def services(self) -> dict[str, Service]:
        return self.folder("services")  # type: ignore[return-value]

    @property
    def cases(self) -> dict[str, Case]:
        return self.folder("cases")  # type: ignore[return-value]

    @cached_property
    def rules(self) -> dict[str, Rules]:
        """Village rules keyed by village id (a village has one set of rules)."""
        return {r.village: r for r in self.folder("rules").values() if isinstance(r, Rules)}

    def renamed(self) -> dict[str, str]:
        """Old entity URL → current entity URL (``renamed_from``)."""
        from .ledger import renames

        return renames(self.items)

    def counts(self) -> dict[str, int]:
        """Items per folder in registry order, and the free pages."""
        from . import registry

        counts = {k.folder: len(self.folder(k.folder)) for k in registry.KINDS}
        return {**counts, "pages": len(self.pages)}

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
        """The cases featuring a village, newest first."""
        return list(self._cases_by_village.get(village_id, ()))

    @cached_property
    def _cases_by_village(self) -> dict[str, list[Case]]:
        out: dict[str, list[Case]] = defaultdict(list)
        for c in sorted(self.cases.values(), key=lambda c: (c.date, c.id), reverse=True):
            for v in dict.fromkeys(c.villages):
                out[v].append(c)
        return dict(out)

    def villages_of_person(self) -> dict[str, list[Village]]:
        """Person id → the villages whose lists name them (computed once)."""
        return self._villages_of_person

    @cached_property
    def _villages_of_person(self) -> dict[str, list[Village]]:
        out: dict[str, list[Village]] = defaultdict(list)
        for v in self.villages.values():
            for _, person in self.people_of(v):
                if v not in out[person.id]:
                    out[person.id].append(v)
        return dict(out)

    def villages_of_service(self) -> dict[str, list[Village]]:
        """Service id → the villages it serves (computed once: pages ask once per service)."""
        return self._villages_of_service

    @cached_property
    def _villages_of_service(self) -> dict[str, list[Village]]:
        out: dict[str, list[Village]] = defaultdict(list)
        for v in self.villages.values():
            for s in v.services:
                out[s].append(v)
        return dict(out)

    def org_for(self, village: Village | None) -> str:
        """The publisher printed for a village: its county's org on a prefecture site."""
        if village and village.county and village.county in self.site.counties:
            return self.site.counties[village.county].org
        return self.site.org

    def rules_title(self, rules: Rules) -> str:
        if rules.title:
            return rules.title
        village = self.villages[rules.village]
        return f"{village.name}{rules_label(village.kind)}"
