"""Fixtures shared by the measures tests: a 2566 document of the test organisation and a theme."""

import pytest

from measures import services


@pytest.fixture
def document(organisation, officer):
    return services.document_create(organisation=organisation, fiscal_year=2566, by=officer)


@pytest.fixture
def theme(document, officer):
    return services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
