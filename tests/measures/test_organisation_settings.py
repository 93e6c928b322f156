"""An organisation's administrator sets its details, emblem, digits, layout and every-unit wording,
and changes its address; nobody else may. Editions print what was frozen with them."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from measures import organisations, services, texts, workflow
from measures.models import FormerSlug, Membership, Organisation
from measures.services import MeasureData, ServiceError
from reports import documents, rendering
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.measures.spreadsheets import csv_upload, import_file, row

pytestmark = pytest.mark.django_db

Kind, Layout = Organisation.Kind, Organisation.Layout
SETTINGS = reverse("measures:organisation_settings", args=["test-town"])
ADDRESS = reverse("measures:organisation_address", args=["test-town"])


def picture(fmt: str = "PNG", size=(900, 700), name: str = "emblem.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def form(organisation: Organisation, **changes) -> dict:
    """The settings form as the page sends it, with some fields changed."""
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "code": organisation.code,
        "district": organisation.district,
        "province": organisation.province,
        "website": organisation.website,
        "digits": "thai" if organisation.thai_digits else "arabic",
        "report_layout": organisation.report_layout,
        "all_units_text": organisation.all_units_text,
        "revision": organisations.revision_of(organisation),
    }
    return data | changes


@pytest.fixture
def admin(client_for, org_admin):
    return client_for(org_admin)


# --- Settings ----------------------------------------------------------------------------------


def test_the_administrator_saves_the_details_and_history_names_her(admin, organisation, org_admin):
    changes = {
        "name": "เทศบาลตำบลบ้านนา",
        "district": "อ.ตะโหมด",
        "province": "จังหวัดพัทลุง",
        "code": "๖๙๓๐๒๐๑",
        "website": "www.ban-na.go.th",
        "digits": "arabic",
        "report_layout": Layout.BO_PHLOI_2565,
        "all_units_text": "ทุกส่วนราชการ",
    }
    response = admin.post(SETTINGS, form(organisation, **changes))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.place, organisation.code) == (
        "เทศบาลตำบลบ้านนา",
        "อำเภอตะโหมด จังหวัดพัทลุง",
        "6930201",
    )
    assert (organisation.website, organisation.thai_digits) == ("https://www.ban-na.go.th", False)
    assert (organisation.report_layout, organisation.all_units_text) == (Layout.BO_PHLOI_2565, "ทุกส่วนราชการ")
    assert organisation.history.first().history_user == org_admin


def test_the_page_previews_each_layout_with_the_columns_documents_print(admin):
    page = admin.get(SETTINGS)
    assert page.status_code == 200
    for measures_columns, report_columns in documents.COLUMNS.values():
        for column in [*measures_columns, *report_columns]:
            assert f"<th>{column.label}</th>" in page.text
    assert page.text.count('name="report_layout"') == len(Layout.values)


def test_changing_the_kind_keeps_the_layout_and_says_so(admin, organisation):
    response = admin.post(SETTINGS, form(organisation, kind=Kind.SUBDISTRICT), follow=True)
    organisation.refresh_from_db()
    assert (organisation.kind, organisation.report_layout) == (Kind.SUBDISTRICT, Layout.THEMES_12M)
    assert "รูปแบบตารางยังเป็น" in response.text and "หกคอลัมน์พร้อมข้อเสนอแนะ" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "ก" * 201, "ยาวเกิน 200 ตัวอักษร"),
        ("name", "  ", "กรุณากรอกชื่อหน่วยงาน"),
        ("province", "", "กรุณากรอกจังหวัด"),
        ("website", "ไม่ใช่เว็บ", "ที่อยู่เว็บไซต์ไม่ถูกต้อง"),
        ("report_layout", "no-such-layout", "กรุณาเลือกจากรายการ"),
        ("all_units_text", "", "กรุณากรอกคำที่ใช้เรียกทุกส่วนราชการ"),
        ("all_units_text", "ก" * 101, "ยาวเกิน 100 ตัวอักษร"),
    ],
)
def test_bad_settings_are_refused_in_thai_and_change_nothing(admin, organisation, field, value, message):
    response = admin.post(SETTINGS, form(organisation, **{field: value, "district": "พิมพ์ไว้แล้ว"}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "พิมพ์ไว้แล้ว" in response.text  # what was typed is shown again
    assert Organisation.objects.get(pk=organisation.pk).district == organisation.district


def test_a_code_another_organisation_uses_is_refused(admin, organisation):
    OrganisationFactory(code="6930201")
    response = admin.post(SETTINGS, form(organisation, code="6930201"))
    assert "มีหน่วยงานที่ใช้รหัส 6930201 แล้ว" in str(response.context["form"].errors["code"])


def test_a_form_opened_before_another_change_does_not_overwrite_it(admin, organisation, org_admin):
    stale = form(organisation, name="ชื่อจากหน้าที่เปิดค้างไว้")
    organisations.update_settings(
        organisation=organisation, by=org_admin, values=organisations.Settings(**_settings(organisation, name="ชื่อใหม่"))
    )
    response = admin.post(SETTINGS, stale)
    assert "ถูกแก้ไขโดยผู้อื่น" in response.text
    assert Organisation.objects.get(pk=organisation.pk).name == "ชื่อใหม่"


def _settings(organisation, **changes) -> dict:
    values = {name: getattr(organisation, name) for name in organisations.setup.SETTINGS_FIELDS}
    return values | changes


# --- The emblem --------------------------------------------------------------------------------


def test_an_emblem_is_stored_as_a_small_clean_png(admin, organisation):
    response = admin.post(SETTINGS, form(organisation) | {"logo": picture("JPEG", name="ตรา.jpg")})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("logos/test-town-") and organisation.logo.name.endswith(".png")
    with Image.open(organisation.logo.path) as stored:
        assert (stored.format, max(stored.size)) == ("PNG", 600)
    assert organisations.logo_data_uri(organisation.logo.name).startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("emblem.png", b"<html><script>alert(1)</script></html>"), "ไม่ใช่รูปภาพ PNG หรือ JPEG"),
        (
            SimpleUploadedFile("emblem.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "ต้องเป็นไฟล์รูปภาพ .png หรือ .jpg",
        ),
        (picture("GIF", name="emblem.png"), "ไม่ใช่รูปภาพ PNG หรือ JPEG"),
        (SimpleUploadedFile("emblem.png", b"\x89PNG" + b"0" * (1024 * 1024)), "ใหญ่เกินไป"),
    ],
)
def test_a_bad_emblem_is_refused_and_the_other_fields_typed_are_kept(admin, organisation, upload, message):
    response = admin.post(SETTINGS, form(organisation, name="ชื่อที่พิมพ์ใหม่") | {"logo": upload})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["logo"])
    assert "ชื่อที่พิมพ์ใหม่" in response.text and "ไฟล์ตราสัญลักษณ์ต้องเลือกใหม่" in response.text
    organisation.refresh_from_db()
    assert organisation.name == "เทศบาลตำบลทดสอบ" and not organisation.logo


def test_an_emblem_can_be_removed_and_a_new_one_never_overwrites_the_old_file(admin, organisation):
    admin.post(SETTINGS, form(organisation) | {"logo": picture()})
    organisation.refresh_from_db()
    first = organisation.logo.name
    admin.post(SETTINGS, form(organisation) | {"logo": picture(size=(50, 50))})
    organisation.refresh_from_db()
    assert organisation.logo.name != first and organisation.logo.storage.exists(first)
    admin.post(SETTINGS, form(organisation, remove_logo="on"))
    organisation.refresh_from_db()
    assert not organisation.logo and organisation.logo.storage.exists(first)


# --- What documents print ----------------------------------------------------------------------


@pytest.fixture
def every_unit(document, officer):
    data = MeasureData(title="ประกาศเจตจำนงสุจริต", number=1, all_units=True)
    return services.measure_create(document=document, by=officer, data=data)


def test_a_measure_of_every_unit_prints_the_organisation_s_wording(organisation, document, every_unit, org_admin):
    organisations.update_settings(
        organisation=organisation,
        by=org_admin,
        values=organisations.Settings(**_settings(organisation, all_units_text="ทุกส่วนราชการ")),
    )
    document.refresh_from_db()
    html = rendering.target_html(document)
    assert "ทุกส่วนราชการ" in html and texts.ALL_UNITS not in html


def test_a_submitted_edition_keeps_the_wording_and_emblem_it_was_sent_with(
    organisation, document, every_unit, chain, officer, org_admin
):
    organisations.update_settings(
        organisation=organisation,
        by=org_admin,
        values=organisations.Settings(**_settings(organisation)),
        logo=picture(),
    )
    workflow.submit(target=document, by=officer)
    organisation.refresh_from_db()
    frozen_logo = organisation.logo.name
    organisations.update_settings(
        organisation=organisation,
        by=org_admin,
        values=organisations.Settings(**_settings(organisation, all_units_text="ทุกส่วนราชการ")),
        remove_logo=True,
    )
    document.refresh_from_db()
    html = rendering.target_html(document)
    assert texts.ALL_UNITS in html and "ทุกส่วนราชการ" not in html
    assert organisations.logo_data_uri(frozen_logo) in html


def test_an_edition_frozen_before_the_wording_was_kept_prints_the_constant():
    edition = {"organisation": {"name": "อบต.เก่า"}}
    measure = {"all_units": True, "units": ["กองคลัง"]}
    assert texts.unit_names(measure, all_units_text=texts.all_units_wording(edition)) == [texts.ALL_UNITS, "กองคลัง"]
    assert documents.logo_src(edition["organisation"]) == ""


def test_the_import_reads_the_organisation_s_wording_as_every_unit(organisation, document, staff):
    organisation.all_units_text = "ทุกส่วนราชการในสังกัด"
    organisation.save()
    assert import_file(staff, csv_upload([row(c8="ทุกส่วนราชการในสังกัด")])).status_code == 302
    assert document.measures.get().all_units


def test_the_emblem_is_printed_on_the_cover_and_in_the_memo_pdf(
    organisation, document, every_unit, chain, officer, org_admin
):
    organisations.update_settings(
        organisation=organisation,
        by=org_admin,
        values=organisations.Settings(**_settings(organisation)),
        logo=picture(),
    )
    submission = workflow.submit(target=document, by=officer)
    html = rendering.edition_html(submission.snapshot, draft=False)
    assert 'class="cover-emblem" src="data:image/png;base64,' in html
    assert _images(rendering.as_pdf(html)) == 1
    memo = rendering.memo_html(submission)
    assert 'class="memo-emblem" src="data:image/png;base64,' in memo
    assert _images(rendering.as_pdf(memo)) == 1


def test_a_memo_without_an_emblem_prints_as_before(submission):
    memo = rendering.memo_html(submission)
    assert "memo-emblem" not in memo and "บันทึกข้อความ" in memo
    assert _images(rendering.as_pdf(memo)) == 0


def _images(pdf: bytes) -> int:
    listing = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True, text=False)
    return len(listing.stdout.decode().splitlines()[2:])


# --- The address -------------------------------------------------------------------------------


def test_the_address_page_explains_that_old_links_keep_working(admin):
    page = admin.get(ADDRESS)
    assert page.status_code == 200 and "ลิงก์เดิมทุกลิงก์ที่ขึ้นต้นด้วย" in page.text


def test_a_new_address_keeps_the_old_one_as_former(admin, organisation):
    response = admin.post(ADDRESS, {"confirmed": "1", "slug": "Ban-Na"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "measures:organisation_settings", args=["ban-na"]
    )
    organisation.refresh_from_db()
    assert organisation.slug == "ban-na"
    assert list(organisation.former_slugs.values_list("slug", flat=True)) == ["test-town"]


def test_taking_back_a_former_address_removes_it_from_the_former_ones(organisation, org_admin):
    organisations.change_slug(organisation=organisation, by=org_admin, slug="ban-na")
    organisations.change_slug(organisation=organisation, by=org_admin, slug="test-town")
    assert organisation.slug == "test-town"
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["ban-na"]


def test_a_get_or_an_unconfirmed_post_changes_nothing(admin, organisation):
    admin.get(ADDRESS, {"slug": "ban-na"})
    admin.post(ADDRESS, {"slug": "ban-na"})
    organisation.refresh_from_db()
    assert organisation.slug == "test-town" and not FormerSlug.objects.exists()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("staff", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("invitations", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("other-town", "มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว"),
        ("was-other", "มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว"),
        ("ขอนแก่น", "ตัวอักษรภาษาอังกฤษตัวเล็ก"),
        ("-ban-na", "ไม่ขึ้นต้นหรือลงท้ายด้วยขีด"),
        ("x" * 81, "ยาวเกิน 80 ตัวอักษร"),
        ("test-town", "เหมือนกับชื่อย่อปัจจุบัน"),
        ("", "กรุณากรอกชื่อย่อในที่อยู่เว็บ"),
    ],
)
def test_a_bad_or_taken_address_is_refused_in_thai_and_nothing_changes(admin, organisation, slug, message):
    other = OrganisationFactory(slug="other-town")
    FormerSlug.objects.create(organisation=other, slug="was-other")
    response = admin.post(ADDRESS, {"confirmed": "1", "slug": slug})
    assert response.status_code == 200
    assert message in response.text
    assert Organisation.objects.get(pk=organisation.pk).slug == "test-town"
    assert FormerSlug.objects.count() == 1


def test_the_service_refuses_another_organisation_s_address_too(organisation, org_admin):
    OrganisationFactory(slug="other-town")
    with pytest.raises(ServiceError, match="มีหน่วยงานอื่นใช้อยู่"):
        organisations.change_slug(organisation=organisation, by=org_admin, slug="other-town")


# --- Who may -------------------------------------------------------------------------------


@pytest.fixture
def other_admin(db):
    """The administrator of another organisation."""
    user = UserFactory(username="other-admin")
    MembershipFactory(user=user, organisation=OrganisationFactory(slug="elsewhere"), role=Membership.Role.ORG_ADMIN)
    return user


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("url", [SETTINGS, ADDRESS])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contributor", 403),
        ("officer", 403),
        ("approver", 403),
        ("oversight", 403),
        ("outsider", 404),
        ("other_admin", 404),
        ("platform_admin", 404),
    ],
)
def test_only_the_organisation_s_administrator_may_open_its_settings(
    request, client_for, organisation, url, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == status
    posted = form(organisation, name="เปลี่ยนโดยผู้ไม่มีสิทธิ์") | {"confirmed": "1", "slug": "taken-over"}
    assert client.post(url, posted).status_code == status
    organisation.refresh_from_db()
    assert (organisation.name, organisation.slug) == ("เทศบาลตำบลทดสอบ", "test-town")


@pytest.mark.parametrize("url", [SETTINGS, ADDRESS])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, organisation, url):
    response = client.post(url, {"confirmed": "1", "slug": "taken-over"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Organisation.objects.get(pk=organisation.pk).slug == "test-town"


def test_the_organisation_page_links_the_settings_for_its_administrator_only(admin, client_for, officer):
    home = reverse("measures:organisation", args=["test-town"])
    assert SETTINGS in admin.get(home).text
    assert SETTINGS not in client_for(officer).get(home).text
