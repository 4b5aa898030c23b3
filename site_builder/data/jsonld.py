"""schema.org JSON-LD for case, service and person pages (pure functions).

The context is inline (``@vocab``), so the data parses as JSON-LD without fetching anything.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..content import Advisor, Case, Content, Service

CONTEXT = {"@vocab": "https://schema.org/"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*[-－—~至到]\s*(\d{1,2}):(\d{2})")


def opening_hours(text: str) -> list[dict[str, Any]]:
    """OpeningHoursSpecification from free text such as "周一至周五 8:30-12:00 14:30-17:30";
    [] when the text does not say days and times plainly (it stays in the description)."""
    if "全天" in text or "24小时" in text:
        return [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": DAYS,
                "opens": "00:00",
                "closes": "23:59",
            }
        ]
    m = re.search(r"周([一二三四五六日天])\s*[至到\-－~]\s*周([一二三四五六日天])", text)
    if m:
        days = DAYS[_DAY[m.group(1)] : _DAY[m.group(2)] + 1]
    elif "每天" in text or "每日" in text:
        days = DAYS
    elif "工作日" in text:
        days = DAYS[:5]
    else:
        return []
    out = []
    for h1, m1, h2, m2 in _RANGE.findall(text):
        out.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": f"{int(h1):02d}:{m1}",
                "closes": f"{int(h2):02d}:{m2}",
            }
        )
    return out


def case_ld(case: Case, content: Content, url: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": case.title,
        "url": url,
        "datePublished": case.date.isoformat(),
        "description": case.summary,
        "articleSection": case.category,
        "keywords": list(case.tags),
        "inLanguage": "zh-CN",
        "publisher": {"@type": "GovernmentOrganization", "name": content.site.org},
        "citation": list(case.law),
    }


def service_ld(service: Service, content: Content, url: str) -> dict[str, Any]:
    site = content.site
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "GovernmentService",
        "name": service.name,
        "url": url,
        "serviceType": service.type,
        "telephone": service.phone,
        "provider": {"@type": "GovernmentOrganization", "name": site.org},
        "areaServed": [v.name for v in content.villages_of_service().get(service.id, [])],
    }
    if service.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": service.address,
            "addressLocality": site.region.county or "",
            "addressRegion": site.region.province or "",
            "postalCode": site.region.postal_code or "",
            "addressCountry": "CN",
        }
    if service.hours:
        spec = opening_hours(service.hours)
        data["hoursAvailable"] = spec or {
            "@type": "OpeningHoursSpecification",
            "description": service.hours,
        }
    if service.location:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": service.location[0],
            "longitude": service.location[1],
        }
    return data


def person_ld(person: Advisor, content: Content, url: str) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "@type": "ContactPoint",
        "telephone": person.phone,
        "contactType": person.role,
        "availableLanguage": "zh-CN",
    }
    if person.hours:
        contact["hoursAvailable"] = opening_hours(person.hours) or {
            "@type": "OpeningHoursSpecification",
            "description": person.hours,
        }
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Person",
        "name": person.name,
        "jobTitle": person.role,
        "url": url,
        "contactPoint": contact,
        "telephone": person.phone,
    }
    if person.org:
        data["worksFor"] = {"@type": "Organization", "name": person.org}
    return data


# Inside <script> nothing may end the element or open a comment ("</script", "<!--"), and
# U+2028/U+2029 end a line in older JavaScript parsers: all are written as \u escapes,
# which every JSON parser reads back as the same characters.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def as_script_text(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (and equal to ``data`` when parsed)."""
    text = json.dumps(data, ensure_ascii=False)
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)
