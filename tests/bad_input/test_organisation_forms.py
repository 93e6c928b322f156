"""The forms of organisations that run themselves (issue 16): the platform's new organisation, CSV
import and administrator invitation; an organisation's settings and address; its people and units;
one's own profile; the invitation page. The features' own modules (tests/measures/test_organisation_*,
test_people, test_units, tests/reports/test_former_addresses) check their refusals form by form;
here each kind of bad input goes through all these forms, with its exact Thai message, while
`nothing_changes` compares every row of every table and every media file."""

import io
from importlib import import_module

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from measures import organisations, people, units
from measures.models import FormerSlug, Membership
from measures.models.organisations import RESERVED_SLUGS
from tests.bad_input.conftest import assert_inert, database_state
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.reports.test_publishing import published  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ORG = "test-town"
P = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
CHOICE_NOT_FOUND = "ไม่พบรายการที่เลือก กรุณาเลือกใหม่อีกครั้ง"
FROM_THE_LIST = "กรุณาเลือกจากรายการ"
BAD_EMAIL = "อีเมลไม่ถูกต้อง เช่น somchai@example.go.th"
ADMIN_EMAILS = [("organisation_new", "admin_email"), ("administrator", "admin_email"), ("invite", "email")]
ENGLISH = ("This field", "Ensure this value", "Enter a valid", "Select a valid", "Null characters", "is not one of")


def too_long(limit: int, length: int) -> str:
    return f"ข้อความยาวเกิน {limit} ตัวอักษร (มี {length} ตัวอักษร) กรุณาตัดให้สั้นลง"


def url(name: str, *args) -> str:
    return reverse(f"measures:{name}", args=list(args))


# --- Every form, with a submission it accepts ------------------------------------------------


@pytest.fixture
def other(db):
    """Another organisation, at /other-town/ now and at /was-other/ before, with a unit of its own."""
    other = OrganisationFactory(name="เทศบาลตำบลอื่น", slug="other-town")
    FormerSlug.objects.create(organisation=other, slug="was-other")
    UnitFactory(organisation=other, name="กองคลังของที่อื่น")
    return other


@pytest.fixture
def invited(organisation, org_admin):
    """A person invited without a name: the invitation page asks for his names."""
    return people.invite(organisation=organisation, email="new@test-town.go.th", role="officer", by=org_admin).user


@pytest.fixture
def tree(organisation, org_admin):
    """สำนักปลัด › งานนิติการ › งานคดี."""
    office = units.unit_create(organisation=organisation, by=org_admin, name="สำนักปลัด", kind="office")
    legal = units.unit_create(organisation=organisation, by=org_admin, name="งานนิติการ", kind="section", parent=office)
    cases = units.unit_create(organisation=organisation, by=org_admin, name="งานคดี", kind="section", parent=legal)
    return office, legal, cases


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def opened(client, organisation, root, org_admin, officer, finance, invited, other):
    """name → (address, a submission it accepts): the client logged in as who fills that form.

    The login comes first, before `nothing_changes` looks: it writes the user's last_login.
    """
    forms = {
        "organisation_new": ("root", url("platform_organisation_new"), {
            "name": "องค์การบริหารส่วนตำบลบ้านนา", "kind": "subdistrict", "code": "6930201", "district": "ตะโหมด",
            "province": "พัทลุง", "slug": "ban-na", "admin_email": "somjai@ban-na.go.th",
            "admin_first_name": "สมใจ", "admin_last_name": "ใจดี",
        }),
        "administrator": ("root", url("platform_administrator_invite", ORG), {
            "admin_email": "nok@test-town.go.th", "admin_first_name": "นก", "admin_last_name": "ใจดี",
        }),
        "settings": (org_admin, url("organisation_settings", ORG), {
            "name": organisation.name, "kind": organisation.kind, "code": "", "district": organisation.district,
            "province": organisation.province, "website": "", "digits": "thai", "report_layout": "themes_12m",
            "all_units_text": "ทุกกอง/สำนัก", "revision": organisations.revision_of(organisation),
        }),
        "address": (org_admin, url("organisation_address", ORG), {"confirmed": "1", "slug": "ban-na"}),
        "invite": (org_admin, url("people", ORG), {
            "email": "somchai@test-town.go.th", "first_name": "สมชาย", "last_name": "ใจดี", "role": "officer", "unit": "",
        }),
        "person_edit": (org_admin, url("person_edit", ORG, Membership.objects.get(user=officer).pk), {
            "role": "contributor", "unit": finance.pk,
        }),
        "unit_new": (org_admin, url("units", ORG), {"name": "งานพัสดุ", "kind": "section", "parent": "", "order": ""}),
        "unit_edit": (org_admin, url("unit_edit", ORG, finance.pk), {
            "name": "กองคลัง", "kind": "division", "parent": "", "order": "1",
        }),
        "profile": (officer, url("profile"), {
            "title": "นาย", "first_name": "สมชาย", "last_name": "ใจดี", "position": "นิติกร", "acting_for": "",
        }),
        "invitation": (None, None, {
            "title": "นาย", "first_name": "สมหมาย", "last_name": "ใจดี", "position": "นิติกร",
            "new_password1": "a-long-pass-2570", "new_password2": "a-long-pass-2570",
        }),
    }  # fmt: skip

    def open_form(name: str) -> tuple[str, dict]:
        user, address, data = forms[name]
        if name == "invitation":  # the link stores its token in the session and moves to the form
            client.logout()
            token = default_token_generator.make_token(invited)
            link = reverse("invitation", args=[urlsafe_base64_encode(force_bytes(invited.pk)), token])
            address = client.get(link, follow=True).redirect_chain[-1][0]
        else:
            client.force_login(root if user == "root" else user)
        return address, dict(data)

    return open_form


def refused(client, address: str, data: dict, nothing_changes, field: str) -> list[str]:
    """Post; the page comes back (200) with the field's errors, in Thai, no markup live, and nothing changed."""
    with nothing_changes():
        response = client.post(address, data)
    assert response.status_code == 200
    assert [word for word in ENGLISH if word in response.text] == []
    assert_inert(response.text)
    errors = response.context["form"].errors.get(field, [])
    assert all(escape(message) in response.text for message in errors)
    return errors


FORMS = ["organisation_new", "administrator", "settings", "address", "invite", "person_edit"]
FORMS += ["unit_new", "unit_edit", "profile", "invitation"]


@pytest.mark.parametrize("name", FORMS)
def test_each_form_accepts_its_good_submission_so_a_refusal_below_is_the_bad_value_s(client, opened, name):
    address, data = opened(name)
    response = client.post(address, data)
    assert response.status_code == 302, response.context["form"].errors


# --- Long text: one character over each limit, and 10,000 characters --------------------------

DETAILS = {"name": 200, "code": 16, "district": 100, "province": 100}
ADMIN = {"admin_email": 254, "admin_first_name": 150, "admin_last_name": 150}
NAMES = {"title": 100, "first_name": 150, "last_name": 150, "position": 200}
LIMITS = [(name, field, limit) for name, fields in {
    "organisation_new": DETAILS | {"slug": 80} | ADMIN, "administrator": ADMIN, "address": {"slug": 80},
    "settings": DETAILS | {"website": 200, "all_units_text": 100}, "unit_new": {"name": 200}, "unit_edit": {"name": 200},
    "invite": {"email": 254, "first_name": 150, "last_name": 150}, "profile": NAMES | {"acting_for": 200}, "invitation": NAMES,
}.items() for field, limit in fields.items()]  # fmt: skip


def text_of(field: str, length: int) -> str:
    """`length` characters the field would otherwise take: an address, a slug, a code, a Thai name."""
    if "email" in field:
        return "x" * (length - len("@test.go.th")) + "@test.go.th"
    if field == "website":
        return "https://www.test-town.go.th/" + "a" * (length - 28)
    return {"slug": "a", "code": "1"}.get(field, "ก") * length


@pytest.mark.parametrize("over", [1, 10_000], ids=["one-over", "10000"])
@pytest.mark.parametrize(("name", "field", "limit"), LIMITS, ids=[f"{n}-{f}" for n, f, _limit in LIMITS])
def test_a_text_over_its_limit_is_refused_in_thai(client, opened, nothing_changes, name, field, limit, over):
    length = limit + 1 if over == 1 else over
    address, data = opened(name)
    errors = refused(client, address, data | {field: text_of(field, length)}, nothing_changes, field)
    assert too_long(limit, length) in errors  # an address of 10,000 characters is also not an address


# --- Blank required fields -------------------------------------------------------------------

REQUIRED = [
    ("organisation_new", "name", "กรุณากรอกชื่อหน่วยงาน"), ("organisation_new", "kind", "กรุณาเลือกประเภทหน่วยงาน"),
    ("organisation_new", "province", "กรุณากรอกจังหวัด"), ("organisation_new", "slug", "กรุณากรอกชื่อย่อในที่อยู่เว็บ"),
    ("organisation_new", "admin_email", "กรุณากรอกอีเมลของผู้ดูแลหน่วยงาน"),
    ("administrator", "admin_email", "ฟิลด์นี้จำเป็น"),  # AdministratorFields alone: Django's own message
    ("settings", "name", "กรุณากรอกชื่อหน่วยงาน"), ("settings", "kind", "กรุณาเลือกประเภทหน่วยงาน"),
    ("settings", "province", "กรุณากรอกจังหวัด"), ("settings", "all_units_text", "กรุณากรอกคำที่ใช้เรียกทุกส่วนราชการ เช่น ทุกกอง/สำนัก"),
    ("address", "slug", "กรุณากรอกชื่อย่อในที่อยู่เว็บ"), ("invite", "email", "กรุณากรอกอีเมล"), ("invite", "role", "กรุณาเลือกบทบาท"),
    ("person_edit", "role", "กรุณาเลือกบทบาท"), ("unit_new", "name", "กรุณากรอกชื่อส่วนราชการ"),
    ("unit_new", "kind", "กรุณาเลือกประเภท"), ("unit_edit", "name", "กรุณากรอกชื่อส่วนราชการ"),
    ("profile", "first_name", "กรุณากรอกชื่อ"), ("profile", "last_name", "กรุณากรอกนามสกุล"),
    ("invitation", "first_name", "กรุณากรอกชื่อ"), ("invitation", "last_name", "กรุณากรอกนามสกุล"),
]  # fmt: skip


@pytest.mark.parametrize("blank", ["", " \t\u3000 "], ids=["empty", "spaces"])
@pytest.mark.parametrize(("name", "field", "message"), REQUIRED, ids=[f"{n}-{f}" for n, f, _m in REQUIRED])
def test_a_blank_required_field_is_refused_in_thai(client, opened, nothing_changes, name, field, message, blank):
    typed = "" if field in ("kind", "role") else blank  # a choice of spaces is a tampered choice (below)
    address, data = opened(name)
    assert refused(client, address, data | {field: typed}, nothing_changes, field) == [message]


# --- Markup: kept as typed, shown as text (every refusal above and below is checked for it too) -

PEOPLE = [url("people", ORG)]
MARKUP = {  # form: (fields typed with the payload, the pages that show it)
    "organisation_new": (["name", "district", "admin_first_name"], [url("platform_organisations") + "?q=ban-na"]),
    "administrator": (["admin_first_name", "admin_last_name"], PEOPLE),
    "settings": (["name", "district", "all_units_text"], [url("organisation_settings", ORG), f"/{ORG}/"]),
    "invite": (["first_name", "last_name"], PEOPLE),
    "unit_new": (["name"], [url("units", ORG)]),
    "unit_edit": (["name"], [url("units", ORG)]),
    "profile": (["title", "first_name", "last_name", "position", "acting_for"], PEOPLE),
    "invitation": (["title", "first_name", "last_name", "position"], PEOPLE),
}


@pytest.mark.parametrize("name", MARKUP)
def test_markup_in_a_name_is_stored_as_typed_and_shown_as_text(client, opened, name, root, org_admin):
    fields, pages = MARKUP[name]
    address, data = opened(name)
    typed = {field: f"{field} {P}" for field in fields}
    landing = client.post(address, data | typed, follow=True)  # the next page, with the success message
    assert landing.status_code == 200
    assert_inert(landing.text)
    stored = {value for rows in database_state().values() for row in rows for value in row.values()}
    assert set(typed.values()) <= stored
    client.force_login(root if name == "organisation_new" else org_admin)
    for page in pages:
        html = client.get(page).text
        assert_inert(html)
        assert ESCAPED in html, page


# --- Slugs: taken now or before, reserved, not made of a-z 0-9 - -------------------------------

TAKEN = "ชื่อย่อ “{}” มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว (ที่อยู่เว็บเดิมของหน่วยงานยังคงพาไปยังหน่วยงานนั้น) กรุณาเลือกชื่อย่ออื่น"
RESERVED = "“{}” เป็นคำที่ระบบใช้ในที่อยู่เว็บ กรุณาเลือกชื่อย่ออื่น"
PATTERN = "ชื่อย่อในที่อยู่เว็บใช้ได้เฉพาะตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีด (-) คั่นระหว่างคำ ไม่ขึ้นต้นหรือลงท้ายด้วยขีด เช่น khao-hua-chang"
SLUGS = [
    ("other-town", TAKEN.format("other-town")), ("Other-Town", TAKEN.format("other-town")),  # another's address
    ("was-other", TAKEN.format("was-other")),  # another organisation's former address
    ("ADMIN", RESERVED.format("admin")), *[(word, RESERVED.format(word)) for word in sorted(RESERVED_SLUGS)],
    *[(slug, PATTERN) for slug in ["บ้านนา", "ban-นา", "๑๒๓", "ban na", "ban.na", "ban/na", "-ban-na", P]],
]  # fmt: skip
SLUG_IDS = [f"{n}-{slug[:12]}" for n, (slug, _message) in enumerate(SLUGS)]
HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภท,อำเภอ,จังหวัด,ชื่อย่อในที่อยู่เว็บ,อีเมลผู้ดูแลหน่วยงาน\n"
ROW = "6930201,อบต.บ้านนา,อบต.,ตะโหมด,พัทลุง,{slug},somjai@ban-na.go.th\n"


@pytest.mark.parametrize("name", ["organisation_new", "address"])
@pytest.mark.parametrize(("slug", "message"), SLUGS, ids=SLUG_IDS)
def test_a_bad_or_taken_slug_is_refused_in_thai(client, opened, nothing_changes, name, slug, message):
    address, data = opened(name)
    assert refused(client, address, data | {"slug": slug}, nothing_changes, "slug") == [message]


@pytest.mark.parametrize(("slug", "message"), SLUGS, ids=SLUG_IDS)
def test_a_bad_or_taken_slug_in_a_csv_creates_nothing(client, opened, nothing_changes, slug, message):
    opened("organisation_new")  # the platform's login
    upload = SimpleUploadedFile("o.csv", (HEADER + ROW.format(slug=slug)).encode())
    with nothing_changes():
        response = client.post(url("platform_organisation_import"), {"file": upload})
    assert response.context["problems"] == [f"แถวที่ 2 คอลัมน์ ‘ชื่อย่อในที่อยู่เว็บ’: {message}"]
    assert_inert(response.text)


@pytest.mark.usefixtures("published")
def test_an_organisation_with_published_documents_may_move_and_its_old_urls_answer_301(client, org_admin):
    old, new = (reverse("reports:publication_latest", args=[slug, 2566, "measures"]) for slug in (ORG, "ban-na"))
    assert client.get(old).status_code == 200
    client.force_login(org_admin)
    assert client.post(url("organisation_address", ORG), {"confirmed": "1", "slug": "ban-na"}).status_code == 302
    client.logout()
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


# --- Files: an emblem that is not one, a CSV that is not a list of organisations ---------------


def picture(size=(60, 40), fmt="PNG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=fmt)
    return buffer.getvalue()


NOT_A_PICTURE = "ไฟล์นี้ไม่ใช่รูปภาพ PNG หรือ JPEG ที่ถูกต้อง กรุณาบันทึกรูปเป็น .png หรือ .jpg แล้วเลือกใหม่"
LOGOS = [
    pytest.param("emblem.png", b"not a picture, only text\n", NOT_A_PICTURE, id="text-named-png"),
    pytest.param("emblem.jpg", b"%PDF-1.4\n%%EOF\n", NOT_A_PICTURE, id="pdf-named-jpg"),
    pytest.param("emblem.png", picture(fmt="GIF"), NOT_A_PICTURE, id="gif-named-png"),
    pytest.param("emblem.png", picture((300, 300))[:80], NOT_A_PICTURE, id="cut-short-png"),
    pytest.param("emblem.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "ตราสัญลักษณ์ต้องเป็นไฟล์รูปภาพ .png หรือ .jpg", id="svg"),
    pytest.param("emblem.png", b"", "ไฟล์ตราสัญลักษณ์ว่างเปล่า", id="empty"),
    pytest.param("emblem.png", picture() + b"\0" * (1024 * 1024), "ไฟล์ตราสัญลักษณ์ใหญ่เกินไป (1.0\xa0MB) ขนาดไม่เกิน 1.0\xa0MB", id="over-1-mb"),
    pytest.param("emblem.png", picture((7000, 6000), mode="1"), "รูปตราสัญลักษณ์มีขนาดพิกเซลใหญ่เกินไป กรุณาย่อรูปก่อน", id="42-megapixels"),
]  # fmt: skip


@pytest.mark.parametrize(("filename", "content", "message"), LOGOS)
def test_an_emblem_that_is_not_one_is_refused_and_what_was_typed_is_kept(
    client, opened, nothing_changes, filename, content, message
):
    import_module("weasyprint")  # as in a worker that has printed a PDF (reports.pdf imports it then)
    address, data = opened("settings")
    typed = {"name": "เทศบาลตำบลบ้านนา", "district": "ตะโหมด", "all_units_text": "ทุกส่วนราชการ"}
    with nothing_changes():
        response = client.post(address, data | typed | {"logo": SimpleUploadedFile(filename, content)})
    assert response.context["form"].errors["logo"] == [message]
    assert all(f'value="{value}"' in response.text for value in typed.values())
    assert "(ไฟล์ตราสัญลักษณ์ต้องเลือกใหม่)" in response.text


def test_a_good_emblem_sent_with_a_bad_field_stores_no_file(client, opened, nothing_changes):
    address, data = opened("settings")
    upload = SimpleUploadedFile("emblem.png", picture())
    assert refused(client, address, data | {"name": "", "logo": upload}, nothing_changes, "name") == [
        "กรุณากรอกชื่อหน่วยงาน"
    ]


BAD_ROW = "6930202,{name},{kind},,พัทลุง,{slug},{email}\n"
KINDS = "ใช้ชื่อประเภทหรือตัวย่อ อบจ., ทน., ทม., ทต., อบต."
CSVS = {
    "wrong-header": ("องค์กร,ชนิด,จว.\nอบต.ก,อบต.,น่าน\n", "แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ ‘ชื่อหน่วยงาน’, ‘ประเภท’, ‘จังหวัด’ กรุณาดาวน์โหลดแม่แบบจากหน้านี้"),
    "unknown-kind": ({"kind": "หมู่บ้าน"}, f"แถวที่ 3 คอลัมน์ ‘ประเภท’: ไม่รู้จักประเภท “หมู่บ้าน” {KINDS}"),
    "markup-kind": ({"kind": P}, f"แถวที่ 3 คอลัมน์ ‘ประเภท’: ไม่รู้จักประเภท “{P}” {KINDS}"),
    "slug-twice": ({"slug": "BAN-NA"}, "แถวที่ 3 คอลัมน์ ‘ชื่อย่อในที่อยู่เว็บ’: ซ้ำกับแถวที่ 2"),
    "long-name": ({"name": "ก" * 10_000}, "แถวที่ 3 คอลัมน์ ‘ชื่อหน่วยงาน’: ยาวเกิน 200 ตัวอักษร (มี 10000 ตัวอักษร) กรุณาตัดให้สั้นลง"),
    "bad-email": ({"email": "not-mail"}, "แถวที่ 3 คอลัมน์ ‘อีเมลผู้ดูแลหน่วยงาน’: อีเมล “not-mail” ไม่ถูกต้อง เช่น somchai@example.go.th"),
    "long-email": ({"email": "x" * 250 + "@test.go.th"}, "แถวที่ 3 คอลัมน์ ‘อีเมลผู้ดูแลหน่วยงาน’: อีเมลยาวเกิน 254 ตัวอักษร"),
}  # fmt: skip


@pytest.mark.parametrize("case", CSVS)
def test_a_csv_with_one_bad_thing_creates_nothing_at_all(client, opened, nothing_changes, case):
    """One good row (row 2) and, but for the header cases, one bad row (row 3)."""
    content, message = CSVS[case]
    if isinstance(content, dict):
        cells = {"name": "อบต.บ้านดอน", "kind": "อบต.", "slug": "", "email": ""} | content
        content = HEADER + ROW.format(slug="ban-na") + BAD_ROW.format(**cells)
    opened("organisation_new")  # the platform's login
    with nothing_changes():
        response = client.post(
            url("platform_organisation_import"), {"file": SimpleUploadedFile("o.csv", content.encode())}
        )
    assert response.context["problems"] == [message]
    assert "นำเข้าไม่สำเร็จ — ยังไม่ได้สร้างหน่วยงานใดเลย" in response.text
    assert_inert(response.text)


# --- Tampered choices, e-mail addresses, a name taken, a unit under itself or its child ---------

OTHER_UNIT, ITSELF = "another organisation's unit", "the unit itself"  # replaced by their pk
DUPLICATE = "มีส่วนราชการชื่อ “กองช่าง” ในหน่วยงานแล้ว"
EMAILS = ["not-an-email", "a@b", "สมใจ@test.go.th", "a b@test.go.th", "x@y@test.go.th", f"{P}@test.go.th"]
REFUSED = [
    ("organisation_new", {"kind": "city-state"}, "kind", FROM_THE_LIST), ("settings", {"kind": "x"}, "kind", FROM_THE_LIST),
    ("settings", {"digits": "roman"}, "digits", FROM_THE_LIST),
    ("settings", {"report_layout": "no-such-layout"}, "report_layout", FROM_THE_LIST),
    ("invite", {"role": "oversight"}, "role", CHOICE_NOT_FOUND), ("invite", {"role": "superuser"}, "role", CHOICE_NOT_FOUND),
    ("invite", {"role": "contributor", "unit": OTHER_UNIT}, "unit", CHOICE_NOT_FOUND),
    ("person_edit", {"role": "oversight"}, "role", CHOICE_NOT_FOUND),
    ("person_edit", {"unit": OTHER_UNIT}, "unit", CHOICE_NOT_FOUND),
    ("unit_new", {"kind": "king"}, "kind", CHOICE_NOT_FOUND),
    ("unit_new", {"parent": OTHER_UNIT}, "parent", CHOICE_NOT_FOUND),
    ("unit_edit", {"parent": ITSELF}, "parent", CHOICE_NOT_FOUND),
    ("unit_new", {"name": "กองช่าง"}, "__all__", DUPLICATE), ("unit_new", {"name": " กองช่าง\u00a0 "}, "__all__", DUPLICATE),
    ("unit_edit", {"name": "กองช่าง"}, "__all__", DUPLICATE),
    ("unit_new", {"name": f"กอง {P}"}, "__all__", f"มีส่วนราชการชื่อ “กอง {P}” ในหน่วยงานแล้ว"),
    ("organisation_new", {"name": f"อบต. {P}"}, "name", f"มีหน่วยงานชื่อ “อบต. {P}” ในอำเภอตะโหมด จังหวัดพัทลุงแล้ว"),
    *[(name, {field: email}, field, BAD_EMAIL) for name, field in ADMIN_EMAILS for email in EMAILS],
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "changes", "field", "message"), REFUSED, ids=[f"{c[0]}-{n}" for n, c in enumerate(REFUSED)]
)
def test_a_tampered_choice_a_bad_address_or_a_taken_name_is_refused_in_thai(
    client, opened, nothing_changes, organisation, other, finance, works, name, changes, field, message
):
    UnitFactory(organisation=organisation, name=f"กอง {P}")  # names quoted by the refusals, as text
    OrganisationFactory(name=f"อบต. {P}", district="ตะโหมด", province="พัทลุง")
    pks = {OTHER_UNIT: other.units.get().pk, ITSELF: finance.pk}
    address, data = opened(name)
    changes = {key: pks.get(value, value) for key, value in changes.items()}
    assert refused(client, address, data | changes, nothing_changes, field) == [message]


@pytest.mark.parametrize("under", ["child", "grandchild"])
def test_a_unit_nested_under_its_own_child_is_refused(client, opened, tree, nothing_changes, under):
    office, legal, cases = tree
    parent = legal if under == "child" else cases
    opened("unit_edit")  # the administrator's login
    data = {"name": "สำนักปลัด", "kind": "office", "parent": parent.pk, "order": "1"}
    assert refused(client, url("unit_edit", ORG, office.pk), data, nothing_changes, "__all__") == [
        f"“{parent.name}” สังกัด “สำนักปลัด” อยู่แล้ว จึงเป็นสังกัดของ “สำนักปลัด” ไม่ได้"
    ]


# --- Bugs found: each case is what should happen --------------------------------------------


NUL = [("organisation_new", "name"), ("settings", "name"), ("address", "slug"), ("invite", "first_name")]
NUL += [("unit_new", "name"), ("profile", "first_name"), ("invitation", "first_name")]
ZWSP = "\u200b"
INVISIBLE = [
    ("organisation_new", "name", ZWSP), ("settings", "name", ZWSP), ("unit_new", "name", ZWSP),
    ("unit_new", "__all__", "กองช่าง" + ZWSP), ("profile", "first_name", ZWSP), ("invitation", "first_name", ZWSP),
]  # fmt: skip


@pytest.mark.parametrize(("name", "field"), NUL)
def test_a_nul_character_in_a_text_is_refused_in_thai(client, opened, nothing_changes, name, field):
    address, data = opened(name)
    refused(client, address, data | {field: "ก\x00ข"}, nothing_changes, field)


@pytest.mark.parametrize(("name", "field", "typed"), INVISIBLE)
def test_a_name_of_invisible_characters_is_refused(client, opened, nothing_changes, works, name, field, typed):
    address, data = opened(name)
    assert refused(client, address, data | {"name" if field == "__all__" else field: typed}, nothing_changes, field)
