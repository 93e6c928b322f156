"""Required fields are marked on every staff form that uses includes/field.html (issue 18): a star
on screen and "จำเป็นต้องกรอก" for screen readers; optional fields carry neither."""

import re

from django.urls import reverse


def _label(page: str, field_id: str) -> str:
    return re.search(rf'<label for="{field_id}">(.*?)</label>', page, re.S)[1]


def test_the_measure_form_marks_its_required_title_and_not_its_optional_target(document, theme, officer, client_for):
    page = client_for(officer).get(reverse("measures:measure_new", args=["test-town", 2566])).content.decode()
    assert "จำเป็นต้องกรอก" in _label(page, "id_title") and 'class="required"' in _label(page, "id_title")
    assert "จำเป็นต้องกรอก" not in _label(page, "id_target")
