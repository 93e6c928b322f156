"""A new อบต. is set up in the browser, from the platform to the signed memo (issue 16 acceptance).

The platform administrator creates องค์การบริหารส่วนตำบลหนองบัว and invites its administrator;
she accepts the invitation, sets the name, place, emblem, layout and wording of the organisation,
its units, the approval chain with the executives' names, and invites the officer and three
approvers. Each of them accepts and gives the title and position the documents print. The
officer then makes the year's measures document, the three executives approve it, and the memo
(the screen, the print and its PDF) carries everyone's real names and positions. No page of the
Django admin is ever opened.
"""

import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from measures.loaders import load_frameworks
from measures.models import Decision, DocumentStatus, MeasuresDocument, Organisation, Submission
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lotus-pond-in-the-rain"
PLATFORM_PASSWORD = "pass-for-tests-1"
SLUG = "nong-bua"
NAME = "องค์การบริหารส่วนตำบลหนองบัว"
FISCAL_YEAR = 2570  # today, 6 December 2026, is in fiscal year 2570: the ITA 2569 framework is its basis

ADMIN = {
    "email": "supaporn@nongbua.go.th",
    "title": "นาง",
    "first_name": "สุภาพร",
    "last_name": "แก้วมณี",
    "position": "นักวิชาการคอมพิวเตอร์ปฏิบัติการ",
}
OFFICER = {
    "email": "kamonwan@nongbua.go.th",
    "title": "นางสาว",
    "first_name": "กมลวรรณ",
    "last_name": "รักษ์ดี",
    "position": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
}
# The chain, in order: the step's title, and the executive who signs it as his profile names him.
CHAIN = [
    (
        "หัวหน้าสำนักปลัด",
        {
            "email": "pimchanok@nongbua.go.th",
            "title": "นางสาว",
            "first_name": "พิมพ์ชนก",
            "last_name": "ศรีสุข",
            "position": "หัวหน้าสำนักปลัด",
        },
    ),
    (
        f"ปลัด{NAME}",
        {
            "email": "weerapong@nongbua.go.th",
            "title": "นาย",
            "first_name": "วีระพงษ์",
            "last_name": "ทองมา",
            "position": f"รองปลัด{NAME}",
            "acting_for": f"ปฏิบัติราชการแทนปลัด{NAME}",
        },
    ),
    (
        f"นายก{NAME}",
        {
            "email": "sombat@nongbua.go.th",
            "title": "นาย",
            "first_name": "สมบัติ",
            "last_name": "ใจกว้าง",
            "position": f"นายก{NAME}",
        },
    ),
]
EXECUTIVES = [person for _title, person in CHAIN]
UNITS = [("สำนักปลัด", "สำนัก"), ("กองคลัง", "กอง"), ("กองช่าง", "กอง")]


def full_name(person: dict) -> str:
    return f"{person['title']}{person['first_name']} {person['last_name']}"


@pytest.fixture
def platform_admin(db):
    # transaction=True empties the database between tests: load the frameworks again.
    load_frameworks(Path(django_settings.BASE_DIR) / "fixtures" / "frameworks")
    return UserFactory(username="platform", is_staff=True, is_superuser=True, password=PLATFORM_PASSWORD)


@pytest.fixture
def emblem(tmp_path) -> Path:
    """A small round emblem, as an administrator would have it on her computer."""
    path = tmp_path / "ตรา อบต.หนองบัว.png"
    picture = Image.new("RGBA", (160, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, 152, 152), fill=(20, 90, 160, 255), outline=(200, 160, 20, 255), width=8)
    draw.ellipse((55, 45, 105, 115), fill=(240, 200, 60, 255))
    picture.save(path)
    return path


@pytest.fixture
def visited(page):
    """Every page the browser showed, to prove that no page of the Django admin was needed."""
    urls: list[str] = []
    page.on("framenavigated", lambda frame: urls.append(frame.url) if frame == page.main_frame else None)
    return urls


def log_in(page, live_server, username: str, password: str = PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def invitation_link(mailoutbox, email: str) -> str:
    """The link of the last invitation e-mailed to this address."""
    [*_older, message] = [m for m in mailoutbox if email in m.to]
    assert message.subject.startswith("[ITA] คำเชิญเข้าใช้ระบบ")
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def accept_invitation(page, live_server, mailoutbox, person: dict, *, asked=("title", "position")):
    """The person opens the link of his e-mail as a new visitor, sets a password and his names."""
    page.context.clear_cookies()
    page.goto(invitation_link(mailoutbox, person["email"]))
    expect(page.get_by_role("heading", name="ตอบรับคำเชิญเข้าใช้ระบบ")).to_be_visible()
    expect(page.locator(".card")).to_contain_text(person["email"])  # the username to log in with
    for field in asked:
        page.fill(f"#id_{field}", person[field])
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="ตั้งรหัสผ่านและเข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    expect(page.locator(".messages")).to_contain_text("ตั้งรหัสผ่านแล้ว")


def invite(page, person: dict, role: str, unit: str | None = None):
    page.fill("#id_email", person["email"])
    page.fill("#id_first_name", person["first_name"])
    page.fill("#id_last_name", person["last_name"])
    page.select_option("#id_role", label=role)
    if unit:
        page.select_option("#id_unit", label=unit)
    page.get_by_role("button", name="ส่งคำเชิญ", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"ส่งคำเชิญถึง {person['email']} แล้ว")


def test_a_new_sao_is_set_up_in_the_browser_and_its_memo_prints_the_real_names(
    page, live_server, settings, mailoutbox, shot, axe, platform_admin, emblem, visited
):
    settings.SITE_URL = live_server.url  # the links of the e-mails lead to this test server
    blocking: list[str] = []  # axe-core's serious findings on each new screen, as it first shows

    # --- The platform administrator creates the อบต. and invites its administrator -------------
    log_in(page, live_server, "platform", PLATFORM_PASSWORD)
    page.get_by_role("link", name="สร้างหน่วยงานใหม่").click()
    page.fill("#id_name", "อบต.หนองบัว")  # a first name, put right by the administrator later
    page.select_option("#id_kind", label="องค์การบริหารส่วนตำบล")
    page.fill("#id_province", "นครนายก")
    page.fill("#id_slug", SLUG)
    page.fill("#id_admin_email", ADMIN["email"])
    page.fill("#id_admin_first_name", ADMIN["first_name"])
    page.fill("#id_admin_last_name", ADMIN["last_name"])
    shot("setup-01-platform-new-organisation")
    blocking += axe("setup platform new organisation")
    page.get_by_role("button", name="สร้างหน่วยงานและส่งคำเชิญ").click()
    expect(page.locator(".messages")).to_contain_text(f"ส่งคำเชิญผู้ดูแลหน่วยงานไปที่ {ADMIN['email']} แล้ว")
    expect(page.locator("main")).to_contain_text(ADMIN["email"])  # the new row, with its administrator
    organisation = Organisation.objects.get(slug=SLUG)
    assert organisation.kind == Organisation.Kind.SUBDISTRICT
    assert organisation.report_layout == Organisation.Layout.SAO_SIX_COLUMNS  # the อบต. default

    # --- She accepts: her names were typed by the platform, she adds her title and position ----
    page.context.clear_cookies()
    page.goto(invitation_link(mailoutbox, ADMIN["email"]))
    shot("setup-02-invitation")
    blocking += axe("setup invitation")
    accept_invitation(page, live_server, mailoutbox, ADMIN)

    # --- The organisation's details: name, place, emblem, layout, the every-unit wording -------
    page.get_by_role("link", name="อบต.หนองบัว").click()
    page.get_by_role("link", name="ข้อมูลหน่วยงาน (ชื่อ ตรา รูปแบบเอกสาร)").click()
    blocking += axe("setup settings")
    layouts = page.get_by_role("group", name="รูปแบบตารางในเอกสาร")
    expect(layouts.get_by_label("หกคอลัมน์พร้อมข้อเสนอแนะ (แบบ อบต.)")).to_be_checked()
    page.fill("#id_name", NAME)
    page.fill("#id_district", "บ้านนา")
    page.fill("#id_province", "นครนายก")
    page.set_input_files("#id_logo", str(emblem))
    layouts.get_by_label("จัดกลุ่มตามด้าน (แบบ ทต.เขาหัวช้าง)").check()
    page.fill("#id_all_units_text", "ทุกส่วนราชการ")
    page.get_by_role("button", name="บันทึกข้อมูลหน่วยงาน").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกข้อมูลหน่วยงานแล้ว")
    expect(page.get_by_role("img", name=f"ตราสัญลักษณ์ปัจจุบันของ{NAME}")).to_be_visible()
    shot("setup-03-settings")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.place) == (NAME, "อำเภอบ้านนา จังหวัดนครนายก")
    assert organisation.logo and organisation.report_layout == Organisation.Layout.THEMES_12M

    # --- Units --------------------------------------------------------------------------------
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="ส่วนราชการ", exact=True).click()
    blocking += axe("setup units")
    for name, kind in UNITS:
        page.fill("#id_name", name)
        page.select_option("#id_kind", label=kind)
        page.get_by_role("button", name="เพิ่มส่วนราชการ").click()
        expect(page.locator("table")).to_contain_text(name)
    shot("setup-04-units")

    # --- People: the officer and the three executives ----------------------------------------
    page.get_by_role("link", name="บุคลากรและบทบาท").click()
    blocking += axe("setup people")
    invite(page, OFFICER, "เจ้าหน้าที่ผู้จัดทำ", unit="สำนักปลัด")
    for person in EXECUTIVES:
        invite(page, person, "ผู้บริหาร/ผู้อนุมัติ")
    expect(page.locator("tbody tr", has_text="รอตอบรับคำเชิญ")).to_have_count(4)
    shot("setup-05-people")

    # --- The approval chain: an อบต.'s usual steps are offered; each gets its executive ---------
    page.get_by_role("link", name="ลำดับการพิจารณา (สายการลงนาม)").click()
    blocking += axe("setup chain")
    expect(page.locator("#id_form-0-title")).to_have_value("หัวหน้าสำนักปลัด")
    for row, (title, person) in enumerate(CHAIN):
        page.fill(f"#id_form-{row}-title", title)
        name = f"{person['first_name']} {person['last_name']}"  # before he accepts: the names she typed
        page.locator(f"#id_form-{row}-approvers label", has_text=name).locator("input").check()
    page.get_by_role("button", name="บันทึกลำดับการพิจารณา").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกลำดับการพิจารณาแล้ว")
    expect(page.locator(".warning-box")).to_have_count(0)  # nobody approves every step alone
    shot("setup-06-chain")
    assert [p.title for p in organisation.approval_positions.order_by("order")] == [t for t, _p in CHAIN]

    # --- Each executive accepts and gives the title and position he signs with --------------
    for person in EXECUTIVES:
        accept_invitation(page, live_server, mailoutbox, person)
        if person.get("acting_for"):  # what prints under the position: on his own profile page
            page.get_by_role("link", name="ข้อมูลของฉัน").click()
            expect(page.locator("#id_position")).to_have_value(person["position"])
            page.fill("#id_acting_for", person["acting_for"])
            page.get_by_role("button", name="บันทึก", exact=True).click()
            expect(page.locator(".messages")).to_contain_text("บันทึกข้อมูลของคุณแล้ว")

    # --- The officer accepts and makes the year's document -----------------------------------
    accept_invitation(page, live_server, mailoutbox, OFFICER)
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="สร้างเอกสารมาตรการปีใหม่").click()
    expect(page.locator("#id_fiscal_year")).to_have_value(str(FISCAL_YEAR))
    page.get_by_role("button", name="สร้างเอกสาร").click()
    page.get_by_role("link", name="เพิ่มมาตรการ", exact=True).click()
    page.fill("#id_title", "การเปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์ของหน่วยงาน")
    page.fill("#id_steps", "จัดทำแผนการจัดซื้อจัดจ้างประจำปี\nเผยแพร่ผลการจัดซื้อจัดจ้างรายเดือน")
    page.check("label:has-text('กองคลัง') input")
    page.check("#id_whole_year")
    page.get_by_role("button", name="บันทึกและเพิ่มมาตรการถัดไป").click()
    page.fill("#id_title", "การส่งเสริมวัฒนธรรมองค์กรไม่ทนต่อการทุจริต")
    page.fill("#id_steps", "ประกาศเจตนารมณ์ของผู้บริหาร\nอบรมบุคลากรทุกคน")
    page.check("#id_all_units")
    page.check("#id_whole_year")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("บันทึกมาตรการ")

    # The memo starts from the organisation, the chain and her own profile.
    document_url = f"{live_server.url}/staff/{SLUG}/measures/{FISCAL_YEAR}/"
    page.goto(document_url)
    page.get_by_role("link", name="บันทึกข้อความ").click()
    expect(page.locator("#id_department")).to_have_value(f"สำนักปลัด {NAME}")
    expect(page.locator("#id_to")).to_have_value(f"นายก{NAME}")
    expect(page.locator("#id_author_name")).to_have_value(full_name(OFFICER))
    expect(page.locator("#id_author_position")).to_have_value(OFFICER["position"])
    page.fill("#id_number", "นย 80701/128")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("บันทึกบันทึกข้อความแล้ว")

    page.get_by_role("link", name="เสนอเพื่อพิจารณา").click()
    expect(page.get_by_role("heading", name="ตรวจสอบก่อนเสนอเพื่อพิจารณา")).to_be_visible()
    page.get_by_role("button", name="ยืนยันเสนอเพื่อพิจารณา").click()
    expect(page.locator(".messages")).to_contain_text("เสนอเพื่อพิจารณาแล้ว")

    # --- The three executives approve, each from his own dashboard ---------------------------
    comments = ["เห็นควรนำเรียนปลัดพิจารณา", "เห็นชอบ เสนอนายกพิจารณา", "อนุมัติ ให้เผยแพร่บนเว็บไซต์"]
    for person, comment in zip(EXECUTIVES, comments, strict=True):
        log_in(page, live_server, person["email"])
        page.get_by_role("link", name="เปิดรายการรอการพิจารณา").click()
        page.locator("a.inbox-item", has_text=NAME).click()
        page.fill("#id_comment", comment)
        page.get_by_role("button", name="เห็นชอบ").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกผลการพิจารณาแล้ว")

    document = MeasuresDocument.objects.get(organisation=organisation, fiscal_year=FISCAL_YEAR)
    assert document.status == DocumentStatus.APPROVED
    submission = Submission.objects.get(document=document, status=Submission.Status.APPROVED)
    assert Decision.objects.filter(submission=submission).count() == 3

    # --- The memo, with the comments, prints everyone's real names and positions ----------------
    log_in(page, live_server, OFFICER["email"])
    page.goto(document_url)
    page.get_by_role("link", name="ดูบันทึกข้อความพร้อมความเห็น").click()
    memo = page.locator("article.memo")
    printed = [
        f"ส่วนราชการ สำนักปลัด {NAME}",
        "ที่ นย ๘๐๗๐๑/๑๒๘",
        f"เรียน นายก{NAME}",
        f"({full_name(OFFICER)})",
        OFFICER["position"],
        *[f"({full_name(person)})" for person in EXECUTIVES],
        *[person["position"] for person in EXECUTIVES],
        f"ปฏิบัติราชการแทนปลัด{NAME}",
        *comments,
    ]
    for text in printed:
        expect(memo).to_contain_text(text)
    shot("setup-07-memo")

    # The print of the memo carries the emblem; its PDF, from the memo's button, the same names.
    # No staff page links this print preview (the memo page offers only its PDF): opened by its address.
    page.goto(f"{live_server.url}/staff/{SLUG}/reviews/{submission.pk}/memo/print/")
    expect(page.get_by_role("img", name=f"ตราสัญลักษณ์ของ{NAME}")).to_be_visible()
    for text in printed:
        expect(page.locator("article.memo")).to_contain_text(text)
    shot("setup-08-memo-print")
    page.go_back()
    pdf_url = page.get_by_role("link", name="ดาวน์โหลด PDF").get_attribute("href")
    response = page.context.request.get(f"{live_server.url}{pdf_url}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    out = Path(django_settings.BASE_DIR) / "test-output" / "pdf" / "e2e-nong-bua-memo.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, check=True, text=True).stdout
    text = unicodedata.normalize("NFKC", text)
    for line in printed:  # pdftotext writes สระอำ as two characters: compared after NFKC
        assert unicodedata.normalize("NFKC", line) in text, line

    # The document itself prints the organisation as she set it: emblem, name, place, layout, wording.
    page.goto(document_url)
    page.get_by_role("link", name="ดูเอกสารฉบับพิมพ์").click()
    expect(page.get_by_role("img", name=f"ตราสัญลักษณ์ของ{NAME}")).to_be_visible()
    cover = page.locator("section.cover")
    expect(cover).to_contain_text(NAME)
    expect(cover).to_contain_text("อำเภอบ้านนา จังหวัดนครนายก")
    expect(page.get_by_role("columnheader", name="การติดตามและรายงานผล").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("ทุกส่วนราชการ")
    expect(page.locator("section.approvals")).to_contain_text(full_name(EXECUTIVES[-1]))
    shot("setup-09-document-print")

    assert not blocking, "\n".join(blocking)
    admin_pages = [url for url in visited if urlparse(url).path.startswith("/admin/")]
    assert visited and not admin_pages, admin_pages
