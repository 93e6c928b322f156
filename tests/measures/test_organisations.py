"""Organisation slugs: the first segment of every public URL of the organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve

from measures.models import Organisation
from measures.models.organisations import RESERVED_SLUGS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["staff", "admin", "accounts", "inbox", "oversight", "Static"])
def test_a_slug_the_site_uses_is_refused_in_thai(slug):
    organisation = Organisation(name="เทศบาลตำบลทดสอบ", kind="municipality_subdistrict", province="พัทลุง", slug=slug)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "เป็นคำที่ระบบใช้ในที่อยู่เว็บ" in str(error.value.message_dict["slug"])


def test_an_ordinary_slug_is_accepted():
    Organisation(
        name="เทศบาลตำบลทดสอบ", kind="municipality_subdistrict", province="พัทลุง", slug="khao-hua-chang-2"
    ).full_clean()


@pytest.mark.parametrize("path", ["/staff/", "/admin/", "/accounts/login/", "/staff/inbox/", "/staff/oversight/"])
def test_the_reserved_words_cover_the_site_s_own_first_segments(path):
    first = path.strip("/").split("/")[0]
    assert first in RESERVED_SLUGS
    assert resolve(path).url_name != "organisation"
