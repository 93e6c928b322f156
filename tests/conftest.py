"""Shared fixtures: the real ITA frameworks, an organisation with units, and named personas."""

import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from pytest_django.plugin import blocking_manager_key

from measures import services, workflow
from measures.loaders import load_frameworks
from measures.models import Membership
from measures.services import MeasureData
from tests.chain import approve_all, executive, rows
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

# Helper modules whose asserts should explain a failure as a test module's do (imported after this line).
pytest.register_assert_rewrite("tests.measures.spreadsheets")

Role = Membership.Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped ITA frameworks once; every test starts from them."""
    with django_db_blocker.unblock():
        load_frameworks(Path(settings.BASE_DIR) / "fixtures" / "frameworks")


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table: the frameworks come back for the tests
    after it (run alone, pytest-django puts such tests last; on several workers they may not be)."""
    result = yield
    if nextitem is not None and _flushes_the_database(item) and not _flushes_the_database(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            load_frameworks(Path(settings.BASE_DIR) / "fixtures" / "frameworks")
    return result


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Personas' passwords are hashed in every test; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # demo accounts made outside a test
    ]
    # Kept pages and request counters (password reset) do not pass from one test to the next.
    cache.clear()


@pytest.fixture
def mail_server_down(settings):
    """Django's real SMTP backend, pointed at a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


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


# --- A 2566 measures document and its sign-off chain ---------------------------------------


@pytest.fixture
def document(organisation, officer):
    return services.document_create(organisation=organisation, fiscal_year=2566, by=officer)


@pytest.fixture
def theme(document, officer):
    return services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")


@pytest.fixture
def heads(organisation, approver, officer):
    """One approver per position: the `approver` persona, the deputy (ปลัด) and the mayor."""
    for user in (approver, officer):
        user.email = f"{user.username}@test-town.go.th"
        user.save(update_fields=["email"])
    return [approver, executive(organisation, "deputy"), executive(organisation, "mayor")]


@pytest.fixture
def chain(organisation, org_admin, heads):
    return workflow.chain_save(organisation=organisation, by=org_admin, rows=rows(*[[h] for h in heads]))


@pytest.fixture
def measure(document, theme, officer):
    data = MeasureData(title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", number=1, theme=theme, all_units=True)
    return services.measure_create(document=document, by=officer, data=data)


@pytest.fixture
def submission(chain, measure, document, officer):
    return workflow.submit(target=document, by=officer)


@pytest.fixture
def approved(submission, heads, document):
    approve_all(submission, heads)
    document.refresh_from_db()
    return document
