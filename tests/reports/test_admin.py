"""The Django admin shows publications but can neither add, change nor delete them."""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.reports.test_publishing import published  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_lists_a_publication_and_shows_it_read_only(client, superuser, published):
    client.force_login(superuser)
    listing = client.get(reverse("admin:reports_publication_changelist"))
    assert listing.status_code == 200 and published.title in listing.text
    page = client.get(reverse("admin:reports_publication_change", args=[published.pk]))
    assert page.status_code == 200
    assert published.sha256 in page.text
    assert 'name="_save"' not in page.text  # no save button: nothing can be changed


def test_the_admin_cannot_add_change_or_delete_a_publication(client, superuser, published):
    client.force_login(superuser)
    assert client.get(reverse("admin:reports_publication_add")).status_code == 403
    assert (
        client.post(reverse("admin:reports_publication_change", args=[published.pk]), {"title": "แก้ไข"}).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:reports_publication_delete", args=[published.pk]), {"post": "yes"}).status_code
        == 403
    )
    published.refresh_from_db()
    assert published.title != "แก้ไข"


def test_the_admin_lists_oit_entries(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:reports_oitentry_changelist")).status_code == 200
