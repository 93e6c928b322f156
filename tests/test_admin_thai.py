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
