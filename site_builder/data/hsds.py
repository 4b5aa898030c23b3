"""The service directory as an Open Referral HSDS 3.0 tabular data package (site/data/).

Tables and their schemas are HSDS's own (a copy of its datapackage.json ships in this
package); ids are UUIDs derived from our ids with uuid5, so they stay the same from build to
build; tables with no rows are left out. Text that Excel could run as a formula gets a
leading ``'`` (``cells.csv_cell``).
"""

from __future__ import annotations

import csv
import json
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

from ..content import Content
from .cells import csv_cell

NAMESPACE = uuid.UUID("6f1c2b9e-8c55-5a7e-9d3e-2f3b7c4a1d00")


def uid(kind: str, ident: str) -> str:
    """A stable UUID for one of our items (uuid5 over kind and id)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{ident}"))


def hsds_schema() -> dict[str, Any]:
    """HSDS 3.0's datapackage.json (tables, fields, constraints)."""
    text = (
        resources.files("site_builder.data")
        .joinpath("hsds-datapackage.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def rows(content: Content) -> dict[str, list[dict[str, str]]]:
    """Rows of each HSDS table, by resource name (pure)."""
    site = content.site
    region = site.region
    served = content.villages_of_service()
    orgs: dict[str, dict[str, str]] = {}

    def org_of(service_id: str) -> str:
        villages = served.get(service_id, [])
        name = content.org_for(villages[0]) if villages else site.org
        if name not in orgs:
            orgs[name] = {
                "id": uid("organization", name),
                "name": name,
                "description": f"{name}：公共法律服务、人民调解、法律援助和普法宣传。",
            }
        return orgs[name]["id"]

    t: dict[str, list[dict[str, str]]] = {
        k: []
        for k in (
            "organization",
            "service",
            "location",
            "service_at_location",
            "address",
            "phone",
            "schedule",
            "contact",
            "service_area",
        )
    }
    for s in sorted(content.services.values(), key=lambda s: s.id):
        sid, lid = uid("service", s.id), uid("location", s.id)
        sal = uid("service_at_location", s.id)
        org = org_of(s.id)
        t["service"].append(
            {
                "id": sid,
                "organization_id": org,
                "name": s.name,
                "status": "active",
                "description": (s.body.strip() or f"{s.type}，免费提供法律服务。"),
                "fees_description": "免费",
            }
        )
        loc = {"id": lid, "location_type": "physical", "organization_id": org, "name": s.name}
        if s.location:
            loc["latitude"], loc["longitude"] = str(s.location[0]), str(s.location[1])
        t["location"].append(loc)
        t["service_at_location"].append({"id": sal, "service_id": sid, "location_id": lid})
        if s.address and region.province and region.city:
            t["address"].append(
                {
                    "id": uid("address", s.id),
                    "location_id": lid,
                    "address_1": s.address,
                    "city": region.city,
                    "region": region.county or "",
                    "state_province": region.province,
                    "postal_code": region.postal_code or "",
                    "country": "CN",
                    "address_type": "physical",
                }
            )
        number, _, ext = s.phone.partition("转")
        t["phone"].append(
            {
                "id": uid("phone", s.id),
                "service_id": sid,
                "location_id": lid,
                "number": number,
                "extension": ext,
                "type": "voice",
            }
        )
        if s.hours:
            t["schedule"].append(
                {
                    "id": uid("schedule", s.id),
                    "service_id": sid,
                    "location_id": lid,
                    "description": s.hours,
                }
            )
        for v in served.get(s.id, []):
            t["service_area"].append(
                {
                    "id": uid("service_area", f"{s.id}:{v.id}"),
                    "service_id": sid,
                    "name": v.name,
                    "description": f"{v.township}{v.name}",
                }
            )
    for p in sorted(content.advisors.values(), key=lambda p: p.id):
        org = orgs.get(site.org, {}).get("id") or org_of("")
        cid = uid("contact", p.id)
        t["contact"].append(
            {
                "id": cid,
                "organization_id": org,
                "name": p.name,
                "title": p.role,
                "department": p.org or "",
            }
        )
        number, _, ext = p.phone.partition("转")
        t["phone"].append(
            {
                "id": uid("phone", f"person:{p.id}"),
                "contact_id": cid,
                "number": number,
                "extension": ext,
                "type": "voice",
            }
        )
    t["organization"] = list(orgs.values())
    return {k: v for k, v in t.items() if v}


def write_package(content: Content, out: Path, site_url: str) -> list[str]:
    """Write the CSVs and datapackage.json into ``out``; return the file names."""
    schema = hsds_schema()
    tables = rows(content)
    out.mkdir(parents=True, exist_ok=True)
    resources_out = []
    for res in schema["resources"]:
        data = tables.get(res["name"])
        if not data:
            continue
        fields = [f["name"] for f in res["schema"]["fields"]]
        with (out / res["path"]).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields, extrasaction="raise")
            writer.writeheader()
            for row in data:
                writer.writerow({k: csv_cell(row.get(k, "")) for k in fields})
        # Foreign keys to tables we leave out (e.g. program) cannot hold: drop them.
        res = json.loads(json.dumps(res))
        keys = res["schema"].get("foreignKeys") or []
        res["schema"]["foreignKeys"] = [k for k in keys if k["reference"]["resource"] in tables]
        resources_out.append(res)
    package: dict[str, Any] = {
        k: schema[k] for k in ("profile", "version", "license") if k in schema
    }
    package.update(
        {
            "name": "pufa_service_directory",
            "title": f"{content.site.name}：法律服务点目录（HSDS 3.0）",
            "homepage": site_url,
            "resources": resources_out,
        }
    )
    (out / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return ["datapackage.json"] + [r["path"] for r in resources_out]
