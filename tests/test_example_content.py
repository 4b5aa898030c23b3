"""The example county checks clean and is as rich as the foundation issue asks."""

from __future__ import annotations

import re

from site_builder.content import load
from site_builder.content.types import ROLES
from tests.conftest import EXAMPLE


def test_example_content_checks_clean() -> None:
    content = load(EXAMPLE)
    assert content.warnings == []


def test_example_content_covers_the_product() -> None:
    c = load(EXAMPLE)
    assert len({v.township for v in c.villages.values()}) >= 2
    assert len(c.villages) >= 8
    assert {v.kind for v in c.villages.values()} >= {"村", "社区"}
    assert len(c.advisors) >= 12
    assert {p.role for p in c.advisors.values()} == set(ROLES)
    assert len(c.services) >= 8
    assert len({s.type for s in c.services.values()}) >= 5
    assert len(c.cases) >= 12
    assert len({k.category for k in c.cases.values()}) >= 6
    assert len([r for r in c.rules.values() if r.negative_list]) >= 4


def test_example_cases_cite_statutes_and_are_anonymised() -> None:
    c = load(EXAMPLE)
    for case in c.cases.values():
        assert case.law, case.id
        for law in case.law:
            assert re.fullmatch(r"《[^》]+》第[一二三四五六七八九十百千零]+条", law), law
        text = case.body + case.summary
        assert not re.search(r"1[3-9]\d{9}", text), case.id
        assert not re.search(r"\d{17}[\dXx]", text), case.id
