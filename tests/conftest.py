"""Shared fixtures: the real ITA frameworks, an organisation with units, and named personas."""

from pathlib import Path

import pytest
from django.conf import settings

from measures.loaders import load_frameworks
from measures.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

Role = Membership.Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped ITA frameworks once; every test starts from them."""
    with django_db_blocker.unblock():
        load_frameworks(Path(settings.BASE_DIR) / "fixtures" / "frameworks")


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Personas' passwords are hashed in every test; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # demo accounts made outside a test
    ]


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="เทศบาลตำบลทดสอบ", slug="test-town")


@pytest.fixture
def finance(organisation):
    return UnitFactory(organisation=organisation, name="กองคลัง")


@pytest.fixture
def works(organisation):
    return UnitFactory(organisation=organisation, name="กองช่าง")


def _persona(username, organisation, role, unit=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    return user


@pytest.fixture
def officer(organisation):
    return _persona("officer", organisation, Role.OFFICER)


@pytest.fixture
def contributor(organisation, finance):
    return _persona("contributor", organisation, Role.CONTRIBUTOR, finance)


@pytest.fixture
def approver(organisation):
    return _persona("approver", organisation, Role.APPROVER)


@pytest.fixture
def org_admin(organisation):
    return _persona("orgadmin", organisation, Role.ORG_ADMIN)


@pytest.fixture
def oversight(organisation):
    return _persona("oversight", organisation, Role.OVERSIGHT)


@pytest.fixture
def outsider(db):
    """An officer of another organisation."""
    other = OrganisationFactory(name="เทศบาลตำบลอื่น", slug="other-town")
    return _persona("outsider", other, Role.OFFICER)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
