"""``{% gazette_printings item %}``: where a catalogue document was printed in the gazette."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.gazette.selectors import entries_for_item

register = template.Library()


@register.inclusion_tag("gazette/portal/_printings.html")
def gazette_printings(item: Any) -> dict[str, Any]:
    """The published gazette items that printed ``item`` (linked both ways)."""
    return {"entries": entries_for_item(item.pk) if item is not None else []}
