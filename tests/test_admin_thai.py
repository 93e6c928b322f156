"""The Django admin speaks Thai where Django's and django-axes's catalogues do not (locale/th)."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="platform", is_staff=True, is_superuser=True))
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_login_throttling_section_is_thai(admin_client):
    text = _text(admin_client.get(reverse("admin:index")))
    assert "การระงับการเข้าสู่ระบบ" in text and "การพยายามเข้าสู่ระบบ" in text and "บันทึกการเข้าสู่ระบบ" in text
    assert "Access attempts" not in text and "Axes" not in text


def test_an_empty_list_says_none_in_thai(admin_client):
    text = _text(admin_client.get(reverse("admin:index")))
    assert "ไม่มีรายการ" in text and "ไม่ว่าง" not in text


# --- Buddhist-Era dates (ita_portal/admin_dates.py) ----------------------------------------


def _be_today() -> str:
    from django.utils import timezone

    from measures import thai

    return thai.format_date_short(timezone.localdate(), thai_digits=False)


def test_lists_show_dates_in_buddhist_era(admin_client):
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1", failures_since_start=1)
    text = _text(admin_client.get(reverse("admin:axes_accessattempt_changelist")))
    # The attempt's time in the list: "7 ธ.ค. 2569 10:32 น.", never the Christian-era year.
    assert _be_today() in text
    assert f"{timezone.localdate().year}" not in text
    # Django's and django-axes's English left in the page (screen-reader labels, a column) are Thai too.
    for english in ("Skip to main content", "Toggle theme", "Model name", "Show counts", "Status", "Username"):
        assert english not in text


def test_history_pages_show_dates_in_buddhist_era(admin_client):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    organisation.name = organisation.name + " (แก้ไข)"
    organisation.save()
    url = reverse("admin:measures_organisation_history", args=[organisation.pk])
    text = _text(admin_client.get(url))
    assert _be_today() in text and "น." in text


def test_a_date_field_of_an_admin_form_takes_a_buddhist_era_date(admin_client):
    from django.contrib import admin

    from measures.models import Measure
    from measures.thai_fields import ThaiDateField

    model_admin = admin.site._registry[Measure]
    field = model_admin.formfield_for_dbfield(Measure._meta.get_field("period_start"), request=None)
    assert isinstance(field, ThaiDateField)
    assert str(field.clean("1 ต.ค. 2566")) == "2023-10-01"
