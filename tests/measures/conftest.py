"""Fixtures shared by several measures test modules.

The organisation, its units, the personas, the document and its chain live in tests/conftest.py.
"""

from datetime import date
from decimal import Decimal

import pytest

from measures import services
from measures.models import Item, Membership
from measures.services import MeasureData
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.measures.services_data import data

# --- The service tests (test_services.py, test_services_copy.py) --------------------------


@pytest.fixture
def source(document, theme, officer, finance, works):
    """A 2566 document: two themes, a measure with steps/units/items, a finding and a 6-month round."""
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")
    ita = document.basis_framework
    services.measure_create(
        document=document,
        by=officer,
        data=data(
            theme=theme,
            steps=["ขั้นที่หนึ่ง", "ขั้นที่สอง", "ขั้นที่สาม"],
            units=[finance, works],
            items=list(ita.items.filter(code__in=["I13", "O35"])),
            indicators=[ita.indicators.get(number=3)],
            period_start=date(2022, 10, 1),
            period_end=date(2023, 3, 31),
            deadline=date(2023, 9, 30),
        ),
    )
    services.measure_create(
        document=document, by=officer, data=data(theme=second, title="ประกาศเจตจำนงสุจริต", all_units=True)
    )
    services.finding_save(document=document, by=officer, kind="urgent", text="ตัวชี้วัดที่ 9 ต่ำกว่าเกณฑ์")
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.first()
    services.entry_update(entry=entry, by=officer, revision=None, status="done", summary="ดำเนินการแล้ว")
    return document


# --- The spreadsheet tests (test_export.py, test_import.py, test_import_export.py) -------


@pytest.fixture
def staff(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def rich(document, officer, finance, works):
    """Test-town's 2566 document: two themes, a measure without one, every field filled somewhere."""
    i13 = Item.objects.select_related("indicator").get(framework__year=2565, code="I13")
    disclosure = services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    budget = services.theme_save(document=document, by=officer, number=2, title="ด้านการใช้งบประมาณ")
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี",
            number=1,
            theme=disclosure,
            issue="ข้อมูลไม่เป็นปัจจุบัน",
            steps=["แต่งตั้งคณะทำงาน", "15 วันหลังอนุมัติแผน ประกาศบนเว็บไซต์", "รายงานผู้บริหาร"],
            units=[finance, works],
            items=[i13],
            indicators=list(document.basis_framework.indicators.filter(number=9)),
            owner="นิติกร",
            period_start=date(2022, 10, 1),
            period_end=date(2023, 9, 30),
            monitoring="๑. รายงานทุกเดือน\n๒. สรุปผลทุก 6 เดือน",
            target="ครบ 12 เดือน",
            budget=Decimal("15000.50"),
            deadline=date(2023, 3, 31),
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ประกาศเจตจำนงสุจริตของผู้บริหาร", number=2, theme=disclosure, all_units=True, whole_year=True
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ตรวจสอบการเบิกจ่ายงบประมาณ", number=1, theme=budget, units=[finance], period_start=date(2022, 11, 1)
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน",
            number=3,
            units=[works],
            period_start=date(2023, 1, 1),
            period_end=date(2023, 1, 31),
        ),
    )
    return document


@pytest.fixture
def second_town(db):
    """Another organisation with units of the same names, its officer and an empty 2566 document."""
    organisation = OrganisationFactory(name="เทศบาลตำบลปลายทาง", slug="second-town")
    for name in ("กองคลัง", "กองช่าง"):
        UnitFactory(organisation=organisation, name=name)
    officer = UserFactory(username="second-officer")
    MembershipFactory(user=officer, organisation=organisation, role=Membership.Role.OFFICER)
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    return {"officer": officer, "document": document}
