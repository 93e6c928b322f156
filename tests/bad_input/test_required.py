"""What a measure must have: a responsible unit (SPEC §1, §2), a title; choices that are not
the organisation's own are refused in Thai too (a tampered form)."""

import pytest
from django.urls import reverse

from measures import services
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

NO_UNIT = "กรุณาเลือกหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือเลือก ทุกกอง/สำนัก"
NEW = reverse("measures:measure_new", args=["test-town", 2566])


def edit_url(measure) -> str:
    return reverse("measures:measure_edit", args=["test-town", 2566, measure.pk])


def test_a_new_measure_without_a_responsible_unit_is_refused(staff, theme, nothing_changes):
    with nothing_changes():
        response = staff.post(NEW, {"theme": theme.pk, "title": "จัดทำคู่มือการปฏิบัติงาน", "units": []})
    assert response.status_code == 200
    assert response.context["form"].errors["units"] == [NO_UNIT]
    assert NO_UNIT in response.text


def test_removing_every_unit_from_a_measure_is_refused(staff, measure, finance, nothing_changes):
    with nothing_changes():
        response = staff.post(
            edit_url(measure),
            {"revision": measure.revision, "theme": measure.theme_id, "number": "1", "title": measure.title},
        )
    assert response.context["form"].errors["units"] == [NO_UNIT]
    assert list(measure.units.all()) == [finance]


def test_a_measure_for_every_unit_needs_no_unit_listed(staff, theme):
    response = staff.post(NEW, {"theme": theme.pk, "title": "ประกาศเจตจำนงสุจริต", "all_units": "on"})
    assert response.status_code == 302
    assert theme.measures.get().all_units


@pytest.mark.parametrize("title", ["", "   "])
def test_a_measure_without_a_title_is_refused_in_thai(staff, theme, finance, nothing_changes, title):
    with nothing_changes():
        response = staff.post(NEW, {"theme": theme.pk, "title": title, "units": [finance.pk]})
    assert response.context["form"].errors["title"] == ["ฟิลด์นี้จำเป็น"]


def test_a_unit_of_another_organisation_is_not_accepted(staff, theme, nothing_changes):
    elsewhere = UnitFactory(name="กองคลังของที่อื่น")
    with nothing_changes():
        response = staff.post(NEW, {"theme": theme.pk, "title": "มาตรการ", "units": [elsewhere.pk]})
    assert response.context["form"].errors["units"] == [f"เลือกตัวเลือกที่ถูกต้อง. {elsewhere.pk} ไม่ใช่ตัวเลือกที่ใช้ได้."]


@pytest.mark.parametrize("typed", ["abc", "1 OR 1=1", "<script>", "-1", "9" * 30, "9" * 5000])
def test_a_unit_that_is_not_a_number_is_refused_in_thai(staff, theme, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(NEW, {"theme": theme.pk, "title": "มาตรการ", "units": [typed]})
    assert response.status_code == 200
    assert response.context["form"].errors["units"] == ["ไม่พบรายการที่เลือก กรุณาเลือกใหม่อีกครั้ง"]


def test_a_theme_of_another_document_is_not_accepted(staff, theme, finance, officer, nothing_changes):
    other = services.document_create(organisation=theme.document.organisation, fiscal_year=2567, by=officer)
    foreign = services.theme_save(document=other, by=officer, number=1, title="ด้านของปีหน้า")
    with nothing_changes():
        response = staff.post(NEW, {"theme": foreign.pk, "title": "มาตรการ", "units": [finance.pk]})
    assert response.context["form"].errors["theme"] == ["เลือกตัวเลือกที่ถูกต้อง. ตัวเลือกนั้นไม่สามารถเลือกได้."]


def test_a_theme_id_too_large_for_the_database_is_refused_in_thai(staff, theme, finance, nothing_changes):
    with nothing_changes():
        response = staff.post(NEW, {"theme": "9" * 30, "title": "มาตรการ", "units": [finance.pk]})
    assert response.context["form"].errors["theme"] == ["เลือกตัวเลือกที่ถูกต้อง. ตัวเลือกนั้นไม่สามารถเลือกได้."]
