"""The platform creates organisations in staff pages: one by one with its first administrator,
or many from a CSV file (all rows or none); everyone else is refused."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import organisations
from measures.models import FormerSlug, Membership, Organisation
from measures.services import ServiceError
from measures.tabular import ImportRefused
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind, Layout, Role = Organisation.Kind, Organisation.Layout, Membership.Role

NEW = reverse("measures:platform_organisation_new")
LIST = reverse("measures:platform_organisations")
IMPORT = reverse("measures:platform_organisation_import")
TEMPLATE = reverse("measures:platform_organisation_import_template")

FORM = {
    "name": "องค์การบริหารส่วนตำบลบ้านนา",
    "kind": Kind.SUBDISTRICT,
    "code": "6930201",
    "district": "อำเภอตะโหมด",
    "province": "จังหวัดพัทลุง",
    "slug": "Ban-Na",
    "admin_email": "somjai@ban-na.go.th",
    "admin_first_name": "สมใจ",
    "admin_last_name": "ใจดี",
}
HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภท,อำเภอ,จังหวัด,ชื่อย่อในที่อยู่เว็บ,อีเมลผู้ดูแลหน่วยงาน\n"


@pytest.fixture
def platform(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def csv_file(text: str, name: str = "organisations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- One organisation ----------------------------------------------------------------------


def test_the_platform_creates_an_sao_with_the_six_column_layout_and_invites_its_administrator(
    platform, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = platform.post(NEW, FORM)
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="ban-na")
    assert (organisation.name, organisation.district, organisation.province) == (FORM["name"], "ตะโหมด", "พัทลุง")
    assert (organisation.code, organisation.report_layout) == ("6930201", Layout.SAO_SIX_COLUMNS)
    admin = Membership.objects.get(organisation=organisation)
    assert (admin.role, admin.user.email, admin.user.first_name) == (Role.ORG_ADMIN, FORM["admin_email"], "สมใจ")
    [mail] = mailoutbox
    assert mail.to == [FORM["admin_email"]]
    assert organisation.history.first().history_user.username == "root"


def test_a_municipality_starts_with_the_municipal_layout(platform, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        platform.post(NEW, FORM | {"kind": Kind.MUNICIPALITY_SUBDISTRICT, "name": "เทศบาลตำบลบ้านนา"})
    assert Organisation.objects.get(slug="ban-na").report_layout == Layout.THEMES_12M


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "staff", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("slug", "platform", "เป็นคำที่ระบบใช้ในที่อยู่เว็บ"),
        ("slug", "บ้านนา", "ตัวอักษรภาษาอังกฤษตัวเล็ก"),
        ("slug", "ban na", "ตัวอักษรภาษาอังกฤษตัวเล็ก"),
        ("slug", "b" * 81, "ยาวเกิน 80 ตัวอักษร"),
        ("name", "ก" * 201, "ยาวเกิน 200 ตัวอักษร"),
        ("name", "", "กรุณากรอกชื่อหน่วยงาน"),
        ("kind", "city-state", "กรุณาเลือกจากรายการ"),
        ("admin_email", "not-an-address", "อีเมลไม่ถูกต้อง"),
        ("code", "69-30/201", "รหัสหน่วยงานใช้ได้เฉพาะตัวเลข"),
    ],
)
def test_bad_details_are_refused_in_thai_keeping_what_was_typed(platform, field, value, message):
    response = platform.post(NEW, FORM | {field: value})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Organisation.objects.exists()
    assert FORM["admin_last_name"] in response.text  # nothing typed is lost


def test_a_slug_another_organisation_uses_or_used_is_refused(platform):
    other = OrganisationFactory(slug="ban-na-old")
    FormerSlug.objects.create(organisation=other, slug="ban-na")
    response = platform.post(NEW, FORM)
    assert "มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว" in str(response.context["form"].errors["slug"])
    response = platform.post(NEW, FORM | {"slug": "ban-na-old"})
    assert "มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว" in str(response.context["form"].errors["slug"])
    assert Organisation.objects.count() == 1


def test_a_code_already_used_is_refused(platform):
    OrganisationFactory(code="6930201")
    response = platform.post(NEW, FORM)
    assert "มีหน่วยงานที่ใช้รหัส 6930201 แล้ว" in str(response.context["form"].errors["code"])


def test_a_refused_invitation_creates_nothing(db):
    admin = organisations.FirstAdministrator(email="a" * 250 + "@x.th")
    values = organisations.details(name="อบต.บ้านนา", kind=Kind.SUBDISTRICT, province="พัทลุง", slug="ban-na")
    with pytest.raises(ServiceError, match="อีเมลยาวเกิน"):
        organisations.create_organisation(values=values, by=None, administrator=admin)
    assert not Organisation.objects.exists()


def test_the_list_finds_an_organisation_and_shows_its_administrators(platform, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        platform.post(NEW, FORM)
    OrganisationFactory(name="เทศบาลตำบลอื่น", province="น่าน", slug="other")
    response = platform.get(LIST, {"q": "พัทลุง"})
    assert response.status_code == 200
    assert FORM["name"] in response.text and "เทศบาลตำบลอื่น" not in response.text
    assert FORM["admin_email"] in response.text
    assert reverse("reports:organisation", args=["ban-na"]) in response.text


def test_the_dashboard_links_the_platform_pages_only_for_the_platform(platform, client_for, officer):
    assert NEW in platform.get(reverse("measures:dashboard")).text
    assert NEW not in client_for(officer).get(reverse("measures:dashboard")).text


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, NEW, IMPORT, TEMPLATE])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url, db):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["officer", "org_admin", "approver", "contributor", "oversight"])
@pytest.mark.parametrize("url", [LIST, NEW, IMPORT, TEMPLATE])
def test_members_of_organisations_may_not_create_organisations(request, client_for, persona, url):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 403


def test_a_staff_user_without_the_permission_is_refused_and_nothing_is_created(client_for):
    client = client_for(UserFactory(username="clerk", is_staff=True))
    assert client.post(NEW, FORM).status_code == 403
    assert client.post(IMPORT, {"file": csv_file(HEADER + ",อบต.ก,อบต.,,น่าน,,\n")}).status_code == 403
    assert not Organisation.objects.exists()


def test_the_permission_alone_opens_the_platform_pages(client_for):
    user = UserFactory(username="province-office")
    user.user_permissions.add(Permission.objects.get(codename="add_organisation"))
    assert client_for(user).get(NEW).status_code == 200


# --- Many organisations from a CSV ------------------------------------------------------------


def test_a_csv_creates_every_organisation_with_its_kind_s_layout_and_made_slugs(
    platform, django_capture_on_commit_callbacks, mailoutbox
):
    text = HEADER + (
        "6930201,องค์การบริหารส่วนตำบลบ้านนา,อบต.,ตะโหมด,พัทลุง,,nayok@ban-na.go.th\n"
        "6930202,เทศบาลตำบลควนขนุน,ทต,ควนขนุน,จังหวัดพัทลุง,khuan-khanun,\n"
        ",องค์การบริหารส่วนจังหวัดพัทลุง,องค์การบริหารส่วนจังหวัด,,พัทลุง,,\n"
        "\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = platform.post(IMPORT, {"file": csv_file(text)})
    assert response.status_code == 302
    found = {o.slug: (o.kind, o.report_layout, o.province) for o in Organisation.objects.all()}
    assert found == {
        "org-6930201": (Kind.SUBDISTRICT, Layout.SAO_SIX_COLUMNS, "พัทลุง"),
        "khuan-khanun": (Kind.MUNICIPALITY_SUBDISTRICT, Layout.THEMES_12M, "พัทลุง"),
        "org-1": (Kind.PROVINCIAL, Layout.THEMES_12M, "พัทลุง"),
    }
    assert [m.to for m in mailoutbox] == [["nayok@ban-na.go.th"]]
    assert Membership.objects.get(user__email="nayok@ban-na.go.th").role == Role.ORG_ADMIN


def test_a_made_slug_never_takes_an_address_in_use_or_used_before(platform):
    OrganisationFactory(slug="org-6930201")
    FormerSlug.objects.create(organisation=OrganisationFactory(slug="x"), slug="org-1")
    platform.post(IMPORT, {"file": csv_file(HEADER + "6930201,อบต.ก,อบต.,,น่าน,,\n,อบต.ข,อบต.,,น่าน,,\n")})
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"org-6930201", "x", "org-6930201-2", "org-2"}


def test_a_file_with_any_wrong_row_creates_nothing_and_names_each_problem(platform):
    OrganisationFactory(slug="taken", code="6930299")
    text = HEADER + (
        "6930201,อบต.ดี,อบต.,,พัทลุง,good,\n"  # row 2: good
        "6930202,อบต.ก,หมู่บ้าน,,พัทลุง,,\n"  # row 3: unknown kind
        "6930203,,อบต.,,,,\n"  # row 4: no name, no province
        "6930299,อบต.ค,อบต.,,พัทลุง,taken,not-mail\n"  # row 5: code and slug taken, bad e-mail
        "6930201,อบต.ง,อบต.,,พัทลุง,admin,\n"  # row 6: code repeats row 2, reserved slug
    )
    response = platform.post(IMPORT, {"file": csv_file(text)})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert "แถวที่ 3 คอลัมน์ ‘ประเภท’: ไม่รู้จักประเภท “หมู่บ้าน”" in problems[0]
    assert any(p.startswith("แถวที่ 4 คอลัมน์ ‘ชื่อหน่วยงาน’: กรุณากรอกชื่อหน่วยงาน") for p in problems)
    assert any(p.startswith("แถวที่ 4 คอลัมน์ ‘จังหวัด’") for p in problems)
    assert any(p.startswith("แถวที่ 5 คอลัมน์ ‘อีเมลผู้ดูแลหน่วยงาน’") for p in problems)
    assert any(p.startswith("แถวที่ 5 คอลัมน์ ‘รหัสหน่วยงาน’: มีหน่วยงานที่ใช้รหัส 6930299 แล้ว") for p in problems)
    assert any(p.startswith("แถวที่ 5 คอลัมน์ ‘ชื่อย่อในที่อยู่เว็บ’") for p in problems)
    assert "แถวที่ 6 คอลัมน์ ‘รหัสหน่วยงาน’: ซ้ำกับแถวที่ 2" in problems
    assert any(p.startswith("แถวที่ 6 คอลัมน์ ‘ชื่อย่อในที่อยู่เว็บ’") and "คำที่ระบบใช้" in p for p in problems)
    assert "ยังไม่ได้สร้างหน่วยงานใดเลย" in response.text
    assert Organisation.objects.count() == 1


def test_the_same_name_twice_in_one_district_is_refused(platform):
    text = HEADER + "1,อบต.บ้านนา,อบต.,ตะโหมด,พัทลุง,,\n2,อบต.บ้านนา,อบต.,ตะโหมด,พัทลุง,,\n3,อบต.บ้านนา,อบต.,เมือง,พัทลุง,,\n"
    problems = platform.post(IMPORT, {"file": csv_file(text)}).context["problems"]
    assert problems == ["แถวที่ 3 คอลัมน์ ‘ชื่อหน่วยงาน’: ซ้ำกับแถวที่ 2"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_file("ชื่อ,อื่น\nก,ข\n"), "ไม่พบคอลัมน์ ‘ประเภท’, ‘จังหวัด’"),
        (csv_file(HEADER), "ไม่มีหน่วยงานในไฟล์"),
        (SimpleUploadedFile("o.csv", b"PK\x03\x04 excel"), "ไฟล์นี้เป็นไฟล์ Excel"),
        (SimpleUploadedFile("o.csv", "ก,ข".encode("utf-16-le")), "ไม่ใช่ไฟล์ CSV ที่ถูกต้อง"),
    ],
)
def test_a_file_that_is_not_a_list_of_organisations_is_refused_in_thai(platform, upload, message):
    response = platform.post(IMPORT, {"file": upload})
    assert any(message in p for p in response.context["problems"]), response.context["problems"]
    assert not Organisation.objects.exists()


def test_a_file_of_another_type_or_too_big_is_refused_before_it_is_read(platform, monkeypatch):
    response = platform.post(IMPORT, {"file": SimpleUploadedFile("o.xlsx", b"PK")})
    assert "รับเฉพาะไฟล์ CSV" in str(response.context["form"].errors["file"])
    monkeypatch.setattr(organisations.csv_import, "CSV_MAX_BYTES", 10)
    with pytest.raises(ImportRefused) as refusal:
        organisations.csv_import.read_rows(csv_file(HEADER))
    assert refusal.value.errors == ["ไฟล์ใหญ่เกินไป ขนาดไม่เกิน 10\xa0ไบต์"]


def test_a_file_with_too_many_rows_is_refused_early(monkeypatch, db):
    monkeypatch.setattr(organisations.csv_import, "CSV_MAX_ROWS", 2)
    text = HEADER + "".join(f"{n},อบต.{n},อบต.,,น่าน,,\n" for n in range(3))
    with pytest.raises(ImportRefused) as refusal:
        organisations.import_organisations(upload=csv_file(text), by=None)
    assert refusal.value.errors == ["ไฟล์มีหน่วยงานเกิน 2 แถว กรุณาแบ่งเป็นหลายไฟล์"]
    assert not Organisation.objects.exists()


def test_the_template_downloads_and_its_example_row_imports(platform):
    response = platform.get(TEMPLATE)
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeffรหัสหน่วยงาน,ชื่อหน่วยงาน".encode())
    assert platform.post(IMPORT, {"file": SimpleUploadedFile("t.csv", response.content)}).status_code == 302
    assert Organisation.objects.get().slug == "org-6930201"


def test_english_headers_and_a_thai_windows_file_are_read(platform):
    text = "code;name;kind;district;province;slug;admin_email\n6930201;อบต.บ้านนา;ทม.;;พัทลุง;;\n"
    platform.post(IMPORT, {"file": SimpleUploadedFile("o.csv", text.encode("cp874"))})
    assert Organisation.objects.get().kind == Kind.MUNICIPALITY_TOWN


def test_a_national_file_refused_as_a_whole_shows_its_first_problems_and_counts_the_rest(platform, monkeypatch):
    monkeypatch.setattr("measures.views.organisations.PROBLEMS_SHOWN", 2)
    text = HEADER + "".join(f"{n},อบต.{n},หมู่บ้าน,,น่าน,,\n" for n in range(5))
    response = platform.post(IMPORT, {"file": csv_file(text)})
    assert len(response.context["problems"]) == 2
    assert "พบข้อผิดพลาด 5 รายการ" in response.text and "และอีก 3 รายการ" in response.text
    assert not Organisation.objects.exists()


# --- An administrator for an organisation that has none ------------------------------------


def invite_url(slug: str = "ban-na") -> str:
    return reverse("measures:platform_administrator_invite", args=[slug])


def test_the_platform_invites_an_administrator_for_an_organisation_made_without_one(
    platform, django_capture_on_commit_callbacks, mailoutbox
):
    organisation = OrganisationFactory(slug="ban-na")
    assert "ยังไม่มีผู้ดูแลหน่วยงาน" in platform.get(invite_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        response = platform.post(invite_url(), {"admin_email": "nok@ban-na.example.org", "admin_first_name": "นก"})
    assert response.status_code == 302
    admin = Membership.objects.get(organisation=organisation, role=Role.ORG_ADMIN)
    assert (admin.user.email, admin.user.first_name) == ("nok@ban-na.example.org", "นก")
    [mail] = mailoutbox
    assert mail.to == ["nok@ban-na.example.org"]


def test_a_bad_address_invites_nobody_and_says_why_in_thai(platform):
    OrganisationFactory(slug="ban-na")
    response = platform.post(invite_url(), {"admin_email": "no"})
    assert response.status_code == 200 and "อีเมลไม่ถูกต้อง" in response.text
    assert not Membership.objects.exists()


def test_only_the_platform_invites_an_administrator_from_its_pages(client):
    from tests.factories import MembershipFactory

    organisation = OrganisationFactory(slug="ban-na")
    assert client.get(invite_url()).status_code == 302  # to the login page
    own_admin = UserFactory(username="own-admin")
    MembershipFactory(user=own_admin, organisation=organisation, role=Role.ORG_ADMIN)
    client.force_login(own_admin)
    assert client.get(invite_url()).status_code == 403
    assert client.post(invite_url(), {"admin_email": "x@example.org"}).status_code == 403
    assert Membership.objects.count() == 1


def test_an_unknown_organisation_is_404_for_the_platform(platform):
    assert platform.get(invite_url("no-such-town")).status_code == 404
