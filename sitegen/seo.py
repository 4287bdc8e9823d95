"""What search engines read: JSON-LD structured data, the sitemap, robots.txt, redirects.

Everything is made from front matter and site data; nothing is written per page.
No Review, AggregateRating or price is ever produced: Turkish rules on health
information forbid testimonials and price promotion.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from .config import SEARCH_LAYOUT, WEEKDAYS
from .content import HOME, NOT_FOUND
from .model import PROFILE_LAYOUT, Page, Site
from .schema import PROCEDURE_TYPES

SCHEMA = "https://schema.org"
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def indexable(page: Page) -> bool:
    """Return whether search engines may list *page* (not a 404 page, the search page or a draft)."""
    return page.layout not in (NOT_FOUND, SEARCH_LAYOUT) and not page.meta.draft


def structured_data(site: Site, page: Page, home_label: str) -> list[dict[str, Any]]:
    """Return the JSON-LD objects of *page*."""
    if not indexable(page):
        return []
    items: list[dict[str, Any]] = []
    if page.kind == HOME or page.key == "contact":
        items.append(medical_clinic(site, page.lang))
    if page.kind != HOME:
        items.append(breadcrumbs(site, page, home_label))
    if page.layout == PROFILE_LAYOUT:
        items.append(physician(site, page))
    if page.layout == "treatment":
        items.append(medical_web_page(site, page))
        if site.config.faq_markup and page.meta.faq:
            items.append(faq_page(page))
    return items


def medical_clinic(site: Site, lang: str) -> dict[str, Any]:
    clinic = site.config.clinic
    address = clinic.address
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "@id": site.absolute("/#clinic"),
        "name": clinic.name,
        "url": site.absolute(site.home_url(lang)),
        "telephone": clinic.phone_href.removeprefix("tel:"),
        "email": clinic.email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address.street,
            "postalCode": address.postal_code,
            "addressLocality": address.district,
            "addressRegion": address.city,
            "addressCountry": address.country,
        },
        "hasMap": clinic.map_url,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [f"{SCHEMA}/{_DAY_NAMES[WEEKDAYS.index(day)]}" for day in hours.days],
                "opens": hours.opens,
                "closes": hours.closes,
            }
            for hours in clinic.opening_hours
        ],
    }
    if clinic.medical_specialty:  # only what the licence names: none is claimed by default
        data["medicalSpecialty"] = f"{SCHEMA}/{clinic.medical_specialty}"
    if clinic.geo:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": clinic.geo[0], "longitude": clinic.geo[1]}
    return data


def breadcrumbs(site: Site, page: Page, home_label: str) -> dict[str, Any]:
    trail = [*site.breadcrumbs(page), page]
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": home_label if crumb.kind == HOME else crumb.meta.nav_title or crumb.title,
                "item": site.permalink(crumb),
            }
            for position, crumb in enumerate(trail, 1)
        ],
    }


def medical_web_page(site: Site, page: Page) -> dict[str, Any]:
    meta = page.meta
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": meta.title,
        "description": meta.description,
        "url": site.permalink(page),
        "inLanguage": page.lang,
        "lastReviewed": meta.last_reviewed.isoformat() if meta.last_reviewed else None,
    }
    reviewer = site.profile(meta.reviewed_by, page.lang) if meta.reviewed_by else None
    if reviewer:
        data["reviewedBy"] = {"@type": "Physician", "@id": site.permalink(reviewer) + "#physician",
                              "name": reviewer.title, "url": site.permalink(reviewer)}  # fmt: skip
    author = site.profile(meta.author, page.lang) if meta.author else None
    if author:
        data["author"] = {"@type": "Physician", "@id": site.permalink(author) + "#physician",
                          "name": author.title, "url": site.permalink(author)}  # fmt: skip
    if meta.procedure:
        data["about"] = {
            "@type": "MedicalProcedure",
            "name": meta.title,
            "procedureType": f"{SCHEMA}/{PROCEDURE_TYPES[meta.procedure.type]}",
            "howPerformed": meta.procedure.how_performed,
            "preparation": meta.procedure.preparation,
            "followup": meta.procedure.followup,
            "bodyLocation": meta.procedure.body_location,
        }
    return {key: value for key, value in data.items() if value is not None}


def physician(site: Site, page: Page) -> dict[str, Any]:
    """A doctor's profile (schema.org Physician), with the specialty and certificates it lists."""
    meta = page.meta
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Physician",
        "@id": site.permalink(page) + "#physician",
        "name": meta.title,
        "url": site.permalink(page),
        "description": meta.description,
        "knowsLanguage": list(meta.languages),
        "memberOf": {"@id": site.absolute("/#clinic")},
    }
    if meta.medical_specialty:
        data["medicalSpecialty"] = f"{SCHEMA}/{meta.medical_specialty}"
    credentials = [
        {"@type": "EducationalOccupationalCredential", "credentialCategory": "certificate",
         "name": certificate.title, "recognizedBy": {"@type": "Organization", "name": certificate.issuer},
         **({"identifier": certificate.number} if certificate.number else {}),
         **({"dateCreated": certificate.date.isoformat()} if certificate.date else {})}
        for certificate in meta.certificates
    ]  # fmt: skip
    if credentials:
        data["hasCredential"] = credentials
    return data


def faq_page(page: Page) -> dict[str, Any]:
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "inLanguage": page.lang,
        "mainEntity": [
            {"@type": "Question", "name": item.question,
             "acceptedAnswer": {"@type": "Answer", "text": item.answer}}
            for item in page.meta.faq
        ],
    }  # fmt: skip


def json_ld_script(items: list[dict[str, Any]]) -> Markup:
    """Return the <script type="application/ld+json"> elements for *items*, safe inside HTML."""
    scripts = []
    for item in items:
        try:
            text = _indented_json(item, "\n")
        except _NotPlain:
            text = json.dumps(item, ensure_ascii=False, indent=1, sort_keys=False)
        # "</script>" or "<!--" in a title must not end the element early.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        scripts.append(f'<script type="application/ld+json">\n{text}\n</script>')
    return Markup("\n".join(scripts))


class _NotPlain(Exception):
    """A value that _indented_json leaves to json.dumps."""


def _indented_json(value: Any, indent: str) -> str:
    """Return json.dumps(value, ensure_ascii=False, indent=1) for text, numbers, lists and mappings
    with text keys; raise _NotPlain for anything else. json.dumps takes its pure-Python path
    whenever it indents, which is several times slower than this."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or value is True or value is False:
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    inner = indent + " "
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _NotPlain
        if not value:
            return "{}"
        fields = (f"{encode_basestring(key)}: {_indented_json(item, inner)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(fields) + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented_json(item, inner) for item in value) + indent + "]"
    raise _NotPlain


def sitemap(site: Site) -> bytes:
    """Return sitemap.xml: every indexable page with its language versions and date."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    homes = [p for p in (site.home(code) for code in site.config.language_codes) if p]
    entries: list[tuple[str, str | None, list[tuple[str, str]]]] = [
        (site.absolute("/"), None, [(p.lang, site.permalink(p)) for p in homes])
    ]
    for page in sorted(site.pages, key=lambda p: p.url):
        if indexable(page):
            versions = [(p.lang, site.permalink(p)) for p in site.translations(page) if indexable(p)]
            date = page.date
            entries.append((site.permalink(page), date.isoformat() if date else None, versions))
    for location, lastmod, versions in entries:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(location)}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod}</lastmod>")
        for lang, href in [*versions, ("x-default", site.absolute("/"))]:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute('/sitemap.xml')}\n".encode()


def redirects(site: Site) -> list[tuple[str, Page]]:
    """Return (old URL, page) for every address a page had under a previous slug."""
    return sorted(
        ((old, page) for page in site.pages for old in site.previous_urls(page)), key=lambda m: m[0]
    )
