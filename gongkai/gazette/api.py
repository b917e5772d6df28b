"""The JSON form of issues and items (ISO dates; permanent identifiers and URLs)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.gazette.models import GazetteEntry, GazetteIssue
from gongkai.gazette.selectors import ordered_entries


def entry_data(entry: GazetteEntry) -> dict[str, Any]:
    """One gazette item."""
    return {
        "id": entry.uid,
        "url": reverse("gazette_portal:entry", args=[entry.uid]),
        "issue": entry.issue.uid,
        "section": entry.get_section_display(),
        "title": entry.title,
        "doc_number": entry.doc_number,
        "issuer": entry.issuer,
        "written_on": entry.written_on.isoformat() if entry.written_on else None,
        "catalog_item": (
            reverse("portal:catalog_item", args=[entry.catalog_item_id])
            if entry.catalog_item_id
            else None
        ),
        "corrects": entry.corrects.uid if entry.corrects is not None else None,
    }


def issue_data(issue: GazetteIssue) -> dict[str, Any]:
    """One issue with its items in print order."""
    return {
        "id": issue.uid,
        "url": reverse("gazette_portal:issue", args=[issue.uid]),
        "gazette": issue.gazette_name,
        "agency": issue.agency.name,
        "kind": issue.get_kind_display(),
        "year": issue.year,
        "number": issue.number,
        "total_number": issue.total_number,
        "issue_date": issue.issue_date.isoformat(),
        "print_run": issue.print_run,
        "pdf": {
            "url": reverse("gazette_portal:file", args=[issue.uid, "pdf"]),
            "sha256": issue.pdf_sha256,
            "size": issue.pdf_size,
        },
        "items": [entry_data(e) for e in ordered_entries(issue)],
    }
