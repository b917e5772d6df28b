"""Office search over applications (scoped) and the synonym list (platform admins)."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.search.models import Synonym
from gongkai.search.selectors import SearchQuery, search_applications


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_office_search_sees_only_the_officers_agencies(tree, staff):
    """An officer finds their agency's applications and never another agency's."""
    from gongkai.applications.tests.factories import make_application

    mine = make_application(
        tree.dept_a, staff["handler_a"], description="2023年城市道路维修工程合同"
    )
    other = make_application(
        tree.dept_b, staff["handler_b"], description="2023年城市道路维修工程预算"
    )
    found_a = [
        h.pk for h in search_applications(staff["handler_a"], SearchQuery(text="道路维修")).hits
    ]
    assert found_a == [mine.pk]
    found_admin = {
        h.pk
        for h in search_applications(staff["platform_admin"], SearchQuery(text="道路维修")).hits
    }
    assert found_admin == {mine.pk, other.pk}
    by_number = search_applications(staff["handler_a"], SearchQuery(text=mine.registration_number))
    assert by_number.hits[0].pk == mine.pk
    page = _login(staff["handler_a"]).get("/office/search/applications/", {"q": "道路维修"})
    assert page.status_code == 200 and mine.registration_number in page.content.decode()


@pytest.mark.django_db
def test_platform_admin_edits_synonyms_and_others_cannot(tree, staff):
    """Platform admins add synonym groups (audited); other staff get 404."""
    from gongkai.core.models import AuditEvent

    assert _login(staff["admin_a"]).get("/office/search/synonyms/").status_code == 404
    admin = _login(staff["platform_admin"])
    assert admin.get("/office/search/synonyms/").status_code == 200
    response = admin.post(
        "/office/search/synonyms/", {"terms": "甲局，测试市甲局", "is_active": "on"}
    )
    assert response.status_code == 302
    syn = Synonym.objects.get(terms="甲局，测试市甲局")
    assert AuditEvent.objects.filter(action="search.synonym_create", target_id=str(syn.pk)).exists()
    bad = admin.post("/office/search/synonyms/", {"terms": "甲局"})
    assert bad.status_code == 200 and not Synonym.objects.filter(terms="甲局").exists()
