"""Real browser: the portal pages are accessible (axe-core) and usable at 375 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.testing import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.parametrize("width", [1280, 375])
def test_portal_pages_have_no_serious_accessibility_violations(page, live_server, tree, width):
    """Home, directory and guide pass axe-core (serious/critical) at desktop and phone width."""
    page.set_viewport_size({"width": width, "height": 800})
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in [
        ("home", "/"),
        ("directory", "/agencies/"),
        ("guide", f"/agencies/{tree.dept_a.pk}/guide/"),
    ]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], (path, width)
        page.screenshot(path=str(ARTIFACTS / f"portal-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{path} scrolls sideways at {width}px"


def test_elder_mode_is_remembered(page, live_server, tree):
    """The 无障碍/长者模式 switch enlarges text and is remembered across pages."""
    page.goto(live_server.url + "/")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="无障碍 / 长者模式").click()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size
    page.goto(live_server.url + "/agencies/")
    assert "elder" in page.evaluate("document.body.className")
    assert (
        page.get_by_role("button", name="无障碍 / 长者模式").get_attribute("aria-pressed") == "true"
    )
