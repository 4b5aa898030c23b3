"""Open data: the HSDS 3.0 package validates against HSDS's own schemas (a copy in
tests/fixtures/hsds-3.0); JSON-LD parses."""

from __future__ import annotations

import csv
import json
import re
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rdflib

from site_builder.data.jsonld import opening_hours
from tests.conftest import ROOT

HSDS = ROOT / "tests" / "fixtures" / "hsds-3.0"
TABLES = {
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "schedule",
    "contact",
    "service_area",
}


def official() -> dict[str, Any]:
    return {r["name"]: r for r in json.loads((HSDS / "datapackage.json").read_text())["resources"]}


def typed(value: str, field: dict[str, Any]) -> Any:
    if field["type"] == "number":
        return float(value)
    if field["type"] == "integer":
        return int(value)
    return value


def test_hsds_package_validates(built_site: Path) -> None:
    data = built_site / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    ours = {r["name"]: r for r in package["resources"]}
    assert set(ours) == TABLES  # every table we have data for; empty ones left out
    spec = official()
    ids: dict[str, set[str]] = {}
    tables: dict[str, list[dict[str, str]]] = {}
    for name, res in ours.items():
        fields = res["schema"]["fields"]
        assert fields == spec[name]["schema"]["fields"]  # HSDS's own table schema
        with (data / res["path"]).open(encoding="utf-8") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == [x["name"] for x in fields]
            tables[name] = list(reader)
        assert tables[name]
        schema_file = json.loads((HSDS / "schema" / f"{name}.json").read_text())
        for row in tables[name]:
            for fld in fields:
                value, c = row[fld["name"]], fld.get("constraints", {})
                if c.get("required"):
                    assert value, (name, fld["name"])
                if value and fld.get("format") == "uuid":
                    uuid.UUID(value)
                if value and c.get("enum"):
                    assert value in c["enum"], (name, fld["name"], value)
            doc = {
                k: typed(v, next(x for x in fields if x["name"] == k)) for k, v in row.items() if v
            }
            jsonschema.validate(doc, schema_file)
        ids[name] = {r["id"] for r in tables[name]}
        assert len(ids[name]) == len(tables[name])  # primary keys unique
    for name, res in ours.items():
        for fk in res["schema"].get("foreignKeys", []):
            target = ids[fk["reference"]["resource"]]
            for row in tables[name]:
                if row[fk["fields"]]:
                    assert row[fk["fields"]] in target, (name, fk)


def test_hsds_content_is_right(built_site: Path) -> None:
    data = built_site / "data"
    rows = {p.stem: list(csv.DictReader(p.open(encoding="utf-8"))) for p in data.glob("*.csv")}
    assert len(rows["services"]) == 10
    center = next(r for r in rows["services"] if r["name"] == "湛河区公共法律服务中心")
    addr = next(r for r in rows["addresses"] if r["address_1"] == "湛河区行政服务中心一楼东厅")
    assert (addr["state_province"], addr["city"], addr["region"], addr["postal_code"]) == (
        "河南省",
        "平顶山市",
        "湛河区",
        "467000",
    )
    sched = next(r for r in rows["schedules"] if r["service_id"] == center["id"])
    assert sched["description"] == "周一至周五 8:30-12:00 14:30-17:30"
    assert (
        str(uuid.uuid5(uuid.UUID("6f1c2b9e-8c55-5a7e-9d3e-2f3b7c4a1d00"), "service:quzhongxin"))
        == center["id"]
    )  # deterministic
    assert {r["title"] for r in rows["contacts"]} >= {"法律顾问", "人民调解员"}


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("cases/lease-deposit/", "Article"),
        ("services/quzhongxin/", "GovernmentService"),
        ("advisors/guo-xiao/", "Person"),
    ],
)
def test_jsonld_parses_with_expected_types(built_site: Path, url: str, kind: str) -> None:
    page = (built_site / url / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    graph = rdflib.Graph().parse(data=raw, format="json-ld")
    types = {str(o) for o in graph.objects(None, rdflib.RDF.type)}
    assert f"https://schema.org/{kind}" in types
    if kind == "GovernmentService":
        assert "https://schema.org/OpeningHoursSpecification" in types
    if kind == "Person":
        assert "https://schema.org/ContactPoint" in types


@pytest.mark.parametrize(
    ("text", "days", "times"),
    [
        ("周一至周五 8:30-12:00 14:30-17:30", 5, [("08:30", "12:00"), ("14:30", "17:30")]),
        ("每天 8:30-11:30", 7, [("08:30", "11:30")]),
        ("工作日 8:30-17:30", 5, [("08:30", "17:30")]),
        ("全天", 7, [("00:00", "23:59")]),
        ("每月 15 日上午", 0, []),
    ],
)
def test_opening_hours(text: str, days: int, times: list[tuple[str, str]]) -> None:
    spec = opening_hours(text)
    assert [(s["opens"], s["closes"]) for s in spec] == times
    assert all(len(s["dayOfWeek"]) == days for s in spec)
