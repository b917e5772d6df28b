"""Rich-text bodies: keep a small safe subset of HTML (nh3 / ammonia) and derive plain text."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "span", "div", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/caption)\s*/?\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def clean_html(value: str) -> str:
    """Return ``value`` with every tag and attribute outside the safe subset removed."""
    if not value:
        return ""
    if "<" not in value:  # plain text typed into the box: keep its paragraphs
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", value) if p.strip()]
        return "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def html_lines(value: str) -> list[str]:
    """The visible text of an HTML body, one entry per line (for the scan's line numbers)."""
    text = _BLOCK.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return [line.strip() for line in text.split("\n")]
