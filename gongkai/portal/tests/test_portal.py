"""Public pages: the directory and each agency's generated disclosure guide."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies.services import agency_deactivate, agency_update, reading_points_replace

pytestmark = pytest.mark.django_db


def test_directory_lists_and_searches_agencies(tree):
    """The directory groups agencies by government and searches by name."""
    html = Client().get(reverse("portal:directory")).content.decode()
    assert "测试市人民政府" in html and "测试市甲局" in html and "测试市东区丙局" in html
    html = Client().get(reverse("portal:directory"), {"q": "乙局"}).content.decode()
    assert "测试市乙局" in html and "测试市甲局" not in html


def test_guide_is_generated_from_current_data(tree):
    """Changing the agency's contact data changes its guide immediately."""
    url = reverse("portal:guide", args=[tree.dept_a.pk])
    html = Client().get(url).content.decode()
    assert "测试市甲局政府信息公开指南" in html
    assert "20个工作日" in html and "第三十一条" in html and "行政复议" in html
    agency_update(
        by=None, agency=tree.dept_a, phone="0799-7654321", office_hours="周一至周五 9:00—17:00"
    )
    reading_points_replace(
        by=None,
        agency=tree.dept_a,
        points=[
            {"name": "甲局查阅室", "address": "文化路1号", "opening_hours": "工作日", "phone": ""}
        ],
    )
    html = Client().get(url).content.decode()
    assert "0799-7654321" in html and "周一至周五 9:00—17:00" in html and "甲局查阅室" in html


def test_deactivated_agency_has_no_public_guide(tree):
    """A deactivated agency disappears from the portal."""
    agency_deactivate(by=None, agency=tree.district_dept)
    assert Client().get(reverse("portal:guide", args=[tree.district_dept.pk])).status_code == 404
    assert "测试市东区丙局" not in Client().get(reverse("portal:directory")).content.decode()


def test_output_is_escaped(tree):
    """Agency data is escaped in pages."""
    agency_update(by=None, agency=tree.dept_a, address="<script>alert(1)</script>")
    html = Client().get(reverse("portal:guide", args=[tree.dept_a.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_language_switch_serves_english(tree):
    """Every page offers the language switch; English is served after switching."""
    client = Client()
    html = client.get(reverse("portal:home")).content.decode()
    assert 'name="language"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("portal:home")).content.decode()
    assert "Disclosure Guide" in html
