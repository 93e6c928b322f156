"""The bad-input catalogue: every case is refused with a Thai message and changes nothing.

`nothing_changes` compares every row of every table of the portal (history included) and the
files under MEDIA_ROOT before and after the request.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages

from measures import services
from measures.services import MeasureData

SKIPPED_APPS = {"sessions", "admin", "contenttypes"}  # a login's session is not the data under test
SKIPPED_MODELS = {"reports.PublicFragment"}  # parts of public pages, made on a visit from published data


def database_state() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label not in SKIPPED_APPS and model._meta.label not in SKIPPED_MODELS and model._meta.managed
    }


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@contextmanager
def _nothing_changes():
    before, files = database_state(), media_files()
    yield
    after = database_state()
    assert [label for label in before if after[label] != before[label]] == []
    assert media_files() == files


@pytest.fixture
def nothing_changes(db):
    """`with nothing_changes(): client.post(...)`: no row and no file differs afterwards."""
    return _nothing_changes


NEVER = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<svg/onload",
    'href="javascript:',
    "href='javascript:",
    "href=javascript:",
)


def assert_inert(text: str) -> None:
    """No payload is live markup: every `<` of the user's text came out as `&lt;`."""
    lowered = text.lower()
    assert [raw for raw in NEVER if raw in lowered] == []


def thai_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def document(organisation, officer, finance, works):
    return services.document_create(organisation=organisation, fiscal_year=2566, by=officer)


@pytest.fixture
def theme(document, officer):
    return services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")


@pytest.fixture
def measure(theme, finance, officer):
    return services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(
            title="ประชุมชี้แจงการจัดซื้อจัดจ้าง", number=1, theme=theme, units=[finance], steps=["แต่งตั้งคณะทำงาน"]
        ),
    )


@pytest.fixture
def report(document, measure, officer):
    """The 6-month round of the document, started: one entry for `measure`."""
    return services.report_start(document=document, round_months=6, by=officer)
