"""Office URLs of the search app, for the shared permission matrix."""

from __future__ import annotations

from typing import Any


def _synonym(tree: Any, staff: Any, missing: bool) -> dict[str, int]:
    from gongkai.search.models import Synonym

    if missing:
        return {"pk": 999_999}
    return {"pk": Synonym.objects.create(terms="甲局，测试市甲局").pk}


CASES = {
    "search_office:applications": None,
    "search_office:synonyms": None,
    "search_office:synonym_edit": _synonym,
    "search_office:synonym_delete": _synonym,
}
