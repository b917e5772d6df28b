"""Test helpers shared by every app (not used at run time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).with_name("axe.min.js")  # axe-core 4.14.1 (MPL-2.0), vendored


def axe_violations(
    page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """Run axe-core in the page; return the violations of the given impacts (WCAG 2.1 AA)."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]
