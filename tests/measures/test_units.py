"""Units of an organisation: add, rename, nest, reorder, deactivate; what is approved keeps its names."""

import pytest
from django.urls import reverse

from measures import units, workflow
from measures.forms import MeasureForm
from measures.forms.people import InviteForm
from measures.models import Measure, Unit
from measures.services import MeasureData, ServiceError, measure_create
from reports import rendering
from tests.chain import approve_all
from tests.factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(organisation, org_admin):
    return units.unit_create(organisation=organisation, by=org_admin, name="สำนักปลัด", kind=Unit.Kind.OFFICE)


@pytest.fixture
def legal(organisation, org_admin, office):
    return units.unit_create(
        organisation=organisation, by=org_admin, name="งานนิติการ", kind=Unit.Kind.SECTION, parent=office
    )


# --- Add, rename, nest ----------------------------------------------------------------------


def test_a_new_unit_comes_after_the_others(organisation, org_admin, finance, works):
    unit = units.unit_create(organisation=organisation, by=org_admin, name="  กอง การศึกษา ", kind=Unit.Kind.DIVISION)
    assert unit.name == "กอง การศึกษา"
    assert unit.order > max(finance.order, works.order)
    assert unit.is_active


def test_a_unit_name_is_unique_in_its_organisation_only(organisation, org_admin, finance):
    with pytest.raises(ServiceError, match="มีส่วนราชการชื่อ “กองคลัง” ในหน่วยงานแล้ว"):
        units.unit_create(organisation=organisation, by=org_admin, name="กองคลัง")
    elsewhere = OrganisationFactory()
    assert units.unit_create(organisation=elsewhere, by=org_admin, name="กองคลัง").organisation == elsewhere


@pytest.mark.parametrize(("name", "message"), [("   ", "กรุณากรอกชื่อส่วนราชการ"), ("ก" * 201, "ยาวเกิน 200")])
def test_an_empty_or_too_long_name_is_refused(organisation, org_admin, name, message):
    with pytest.raises(ServiceError, match=message):
        units.unit_create(organisation=organisation, by=org_admin, name=name)
    assert not Unit.objects.filter(organisation=organisation).exists()


def test_a_unit_is_renamed_and_nested(organisation, org_admin, finance, office):
    units.unit_update(unit=finance, by=org_admin, name="งานการเงิน", kind=Unit.Kind.SECTION, parent=office)
    finance.refresh_from_db()
    assert (finance.name, finance.kind, finance.parent) == ("งานการเงิน", Unit.Kind.SECTION, office)


def test_a_unit_cannot_be_nested_under_itself_or_its_descendants(organisation, org_admin, office, legal):
    with pytest.raises(ServiceError, match="สังกัดตัวเองไม่ได้"):
        units.unit_update(unit=office, by=org_admin, name=office.name, kind=office.kind, parent=office)
    with pytest.raises(ServiceError, match="สังกัด “สำนักปลัด” อยู่แล้ว"):
        units.unit_update(unit=office, by=org_admin, name=office.name, kind=office.kind, parent=legal)
    office.refresh_from_db()
    assert office.parent is None


def test_a_unit_cannot_be_nested_under_another_organisations_unit(organisation, org_admin, finance):
    stranger = UnitFactory(organisation=OrganisationFactory())
    with pytest.raises(ServiceError, match="สังกัดต้องเป็นส่วนราชการของหน่วยงานนี้"):
        units.unit_update(unit=finance, by=org_admin, name=finance.name, kind=finance.kind, parent=stranger)


def test_units_move_up_and_down_among_their_siblings(organisation, org_admin, finance, works):
    first, second = sorted([finance, works], key=lambda u: (u.order, u.name))
    units.unit_move(unit=second, by=org_admin, up=True)
    assert [u for u, _depth in units.units_tree(organisation)] == [second, first]
    with pytest.raises(ServiceError, match="อยู่ลำดับแรกแล้ว"):
        units.unit_move(unit=second, by=org_admin, up=True)


def test_the_tree_lists_children_under_their_parent(organisation, office, legal, finance):
    rows = [(u.name, depth) for u, depth in units.units_tree(organisation)]
    assert rows.index(("งานนิติการ", 1)) == rows.index(("สำนักปลัด", 0)) + 1


# --- Deactivate -----------------------------------------------------------------------------


def test_a_unit_with_active_children_is_not_deactivated(org_admin, office, legal):
    with pytest.raises(ServiceError, match="ยังมีส่วนราชการในสังกัดที่ใช้งานอยู่ \\(งานนิติการ\\)"):
        units.unit_deactivate(unit=office, by=org_admin)
    units.unit_deactivate(unit=legal, by=org_admin)
    units.unit_deactivate(unit=office, by=org_admin)
    office.refresh_from_db()
    assert not office.is_active


def test_a_unit_under_an_inactive_parent_is_reactivated_only_after_it(org_admin, office, legal):
    units.unit_deactivate(unit=legal, by=org_admin)
    units.unit_deactivate(unit=office, by=org_admin)
    with pytest.raises(ServiceError, match="สังกัด “สำนักปลัด” ปิดการใช้งานอยู่"):
        units.unit_reactivate(unit=legal, by=org_admin)
    units.unit_reactivate(unit=office, by=org_admin)
    units.unit_reactivate(unit=legal, by=org_admin)


def test_an_inactive_unit_is_not_offered_for_a_new_measure_nor_a_new_contributor(
    organisation, org_admin, document, finance, works
):
    units.unit_deactivate(unit=works, by=org_admin)
    assert list(MeasureForm(document=document).fields["units"].queryset) == [finance]
    assert list(InviteForm(organisation=organisation).fields["unit"].queryset) == [finance]


def test_a_measure_that_names_an_inactive_unit_keeps_it_on_edit(org_admin, officer, document, finance, works):
    measure = measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการของกองช่าง", number=1, units=[works])
    )
    units.unit_deactivate(unit=works, by=org_admin)
    form = MeasureForm(document=document, initial=MeasureForm.initial_for(measure))
    assert set(form.fields["units"].queryset) == {finance, works}
    assert list(Measure.objects.get(pk=measure.pk).units.all()) == [works]


# --- What approved editions print ------------------------------------------------------------


def test_renaming_a_unit_changes_the_draft_but_not_an_approved_editions_print(
    organisation, org_admin, officer, document, chain, heads, finance
):
    measure_create(document=document, by=officer, data=MeasureData(title="ตรวจสอบพัสดุ", number=1, units=[finance]))
    approve_all(workflow.submit(target=document, by=officer), heads)
    document.refresh_from_db()
    units.unit_update(unit=finance, by=org_admin, name="กองการเงินและบัญชี", kind=finance.kind, parent=None)
    approved = rendering.target_html(document)
    assert "กองคลัง" in approved and "กองการเงินและบัญชี" not in approved
    workflow.reopen(target=document, by=officer)
    document.refresh_from_db()
    assert "กองการเงินและบัญชี" in rendering.target_html(document)


# --- The units pages ------------------------------------------------------------------------


def test_the_administrator_adds_a_unit_from_the_page(client_for, org_admin, organisation, office):
    response = client_for(org_admin).post(
        reverse("measures:units", args=[organisation.slug]),
        {"name": "งานพัสดุ", "kind": "section", "parent": office.pk, "order": ""},
    )
    assert response.status_code == 302
    assert Unit.objects.get(organisation=organisation, name="งานพัสดุ").parent == office


def test_a_refused_unit_shows_the_form_again_with_what_was_typed(client_for, org_admin, organisation, finance):
    response = client_for(org_admin).post(
        reverse("measures:units", args=[organisation.slug]), {"name": "กองคลัง", "kind": "division", "order": "7"}
    )
    assert response.status_code == 200
    assert "มีส่วนราชการชื่อ “กองคลัง” ในหน่วยงานแล้ว" in response.text
    assert 'value="7"' in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "ก" * 201, "kind": "division"}, "ข้อความยาวเกิน 200 ตัวอักษร"),
        ({"name": "งานใหม่", "kind": "king"}, "ไม่พบรายการที่เลือก"),
        ({"name": "งานใหม่", "kind": "section", "parent": "99999999999999999999999"}, "ไม่พบรายการที่เลือก"),
        ({"name": "งานใหม่", "kind": "section", "parent": "abc"}, "ไม่พบรายการที่เลือก"),
        ({"name": "งานใหม่", "kind": "section", "order": "๑๒๓๔๕๖๗๘๙๐๑๒๓๔๕๖๗๘๙๐๑๒๓๔๕๖๗๘๙๐๑๒๓"}, "ไม่เกิน"),
    ],
)
def test_bad_unit_input_gets_a_thai_message_and_changes_nothing(client_for, org_admin, organisation, data, message):
    response = client_for(org_admin).post(reverse("measures:units", args=[organisation.slug]), data)
    assert response.status_code == 200 and message in response.text
    assert not Unit.objects.filter(organisation=organisation).exists()


def test_renaming_from_the_page_and_a_cycle_is_refused_there(client_for, org_admin, organisation, office, legal):
    client = client_for(org_admin)
    url = reverse("measures:unit_edit", args=[organisation.slug, office.pk])
    response = client.post(url, {"name": "สำนักปลัดเทศบาล", "kind": "office", "parent": legal.pk, "order": "1"})
    assert "สังกัด “สำนักปลัด” อยู่แล้ว" in response.text and 'value="สำนักปลัดเทศบาล"' in response.text
    assert client.post(url, {"name": "สำนักปลัดเทศบาล", "kind": "office", "parent": "", "order": "1"}).status_code == 302
    office.refresh_from_db()
    assert office.name == "สำนักปลัดเทศบาล"


def test_deactivating_from_the_page_asks_first_then_acts(client_for, org_admin, organisation, works):
    client = client_for(org_admin)
    url = reverse("measures:unit_deactivate", args=[organisation.slug, works.pk])
    assert "ปิดการใช้งานส่วนราชการนี้หรือไม่" in client.get(url).text
    works.refresh_from_db()
    assert works.is_active
    client.post(url, {"confirmed": "1"})
    works.refresh_from_db()
    assert not works.is_active


def test_the_units_page_reads_a_fixed_number_of_queries(
    client_for, org_admin, organisation, office, legal, django_assert_max_num_queries
):
    for n in range(10):
        units.unit_create(organisation=organisation, by=org_admin, name=f"งานที่ {n}", parent=office)
    client = client_for(org_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("measures:units", args=[organisation.slug])).status_code == 200
