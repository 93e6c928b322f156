"""Executives sign off ทต.บ่อพลอย's 2565 measures on a phone: five steps, one return, the memo."""

import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from measures.devdata.demo import DEMO_PASSWORD, load_demo
from measures.models import Decision, DocumentStatus, MeasuresDocument, Submission

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
CHAIN = ["bp-general", "bp-office", "bp-clerk", "bp-deputy", "bp-mayor"]


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def submit(page):
    """เสนอเพื่อพิจารณา opens the check page; the submission is made only from there."""
    page.get_by_role("link", name="เสนอเพื่อพิจารณา").click()
    expect(page.get_by_role("heading", name="ตรวจสอบก่อนเสนอเพื่อพิจารณา")).to_be_visible()
    page.get_by_role("button", name="ยืนยันเสนอเพื่อพิจารณา").click()
    expect(page.locator(".messages")).to_contain_text("เสนอเพื่อพิจารณาแล้ว")


def decide_from_inbox(page, live_server, username, comment, *, approve=True):
    login(page, live_server, username)
    page.get_by_role("link", name="รอการพิจารณาของฉัน").click()
    page.locator("a.inbox-item").first.click()
    page.fill("#id_comment", comment)
    page.get_by_role("button", name="เห็นชอบ" if approve else "ส่งกลับให้แก้ไข").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการพิจารณาแล้ว" if approve else "ส่งกลับให้แก้ไขแล้ว")


def test_bo_phloi_measures_climb_the_five_step_chain_with_one_return(phone, live_server, shot, demo):
    page = phone
    url = f"{live_server.url}/staff/bo-phloi/measures/2565/"
    login(page, live_server, "bp-officer")
    page.goto(url)
    submit(page)

    decide_from_inbox(page, live_server, "bp-general", "เห็นควรนำเรียนหัวหน้าสำนักปลัดพิจารณา")
    shot("signoff-01-inbox-after-first-step")
    login(page, live_server, "bp-office")
    page.get_by_role("link", name="รอการพิจารณาของฉัน").click()
    page.locator("a.inbox-item").first.click()
    shot("signoff-02-review-on-phone")
    page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()  # no comment: refused
    expect(page.locator(".errorlist")).to_contain_text("กรุณาระบุความเห็น")
    page.fill("#id_comment", "ขอให้ระบุระยะเวลาดำเนินการของมาตรการที่ ๒ ให้ชัดเจน")
    page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()

    # The officer sees the comment, fixes a measure and submits again.
    login(page, live_server, "bp-officer")
    page.goto(url)
    expect(page.locator(".signoff")).to_contain_text("ขอให้ระบุระยะเวลาดำเนินการของมาตรการที่ ๒")
    page.get_by_role("link", name="ดูและแก้ไขมาตรการทั้งหมด").click()
    page.get_by_role("link", name="มาตรการการมีส่วนร่วมของภาคประชาชน").click()
    page.get_by_role("link", name="แก้ไขมาตรการ").click()
    page.fill("#id_period_end", "30/09/2565")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.goto(url)
    submit(page)

    comments = {
        "bp-general": "เห็นควรนำเรียนหัวหน้าสำนักปลัดพิจารณา",
        "bp-office": "แก้ไขแล้ว เห็นควรนำเรียนปลัดเทศบาล",
        "bp-clerk": "เห็นชอบ เสนอรองนายกเทศมนตรี",
        "bp-deputy": "เห็นชอบ",
        "bp-mayor": "อนุมัติ ให้เผยแพร่บนเว็บไซต์",
    }
    for username in CHAIN:
        decide_from_inbox(page, live_server, username, comments[username])

    document = MeasuresDocument.objects.get(organisation__slug="bo-phloi", fiscal_year=2565)
    assert document.status == DocumentStatus.APPROVED
    submission = Submission.objects.get(document=document, status=Submission.Status.APPROVED)
    assert Decision.objects.filter(submission=submission).count() == 5

    login(page, live_server, "bp-officer")
    page.goto(f"{live_server.url}/staff/bo-phloi/reviews/{submission.pk}/memo/")
    memo = page.locator("article.memo")
    for name in [
        "(นางณภัทร ฤกษ์วิจิตร)",
        "(นางจรัสศรี คุ่มอยู่)",
        "(นางสาวพอลาณ คนตรง)",
        "(นายชุต เหมวิเชียร)",
        "(นายณัฏภัทร หนูขาว)",
        "(นายชัยเชษฐ พัฒนะพิชัย)",
        "นายกเทศมนตรีตำบลบ่อพลอย",
        "อนุมัติ ให้เผยแพร่บนเว็บไซต์",
        "พ.ศ. ๒๕",
    ]:
        expect(memo).to_contain_text(name)
    shot("signoff-03-memo-on-phone")

    # The memo's PDF, from its button, carries the same blocks (the browser's session fetches it).
    pdf_url = page.get_by_role("link", name="ดาวน์โหลด PDF").get_attribute("href")
    response = page.context.request.get(f"{live_server.url}{pdf_url}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    out = Path(settings.BASE_DIR) / "test-output" / "pdf" / "e2e-bo-phloi-memo.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, check=True, text=True).stdout
    assert "(นายชัยเชษฐ พัฒนะพิชัย)" in text and unicodedata.normalize("NFKC", "อนุมัติ ให้เผยแพร่บนเว็บไซต์") in text

    # Approved content is locked; changing it starts a new edition.
    page.goto(url)
    expect(page.get_by_role("link", name="เพิ่มมาตรการ")).to_have_count(0)
    page.get_by_role("button", name="แก้ไข (เริ่มฉบับปรับปรุงใหม่)").click()
    expect(page.locator(".messages")).to_contain_text("เริ่มฉบับปรับปรุงครั้งที่ 2")

    # Edition 2: one word added to a measure's title. The first approver reads, on the phone, what
    # changed since the approved edition, word by word, before the document itself.
    page.get_by_role("link", name="ดูและแก้ไขมาตรการทั้งหมด").click()
    page.get_by_role("link", name="มาตรการการมีส่วนร่วมของภาคประชาชน").click()
    page.get_by_role("link", name="แก้ไขมาตรการ").click()
    page.fill("#id_title", "มาตรการการมีส่วนร่วมของภาคประชาชนทุกชุมชน")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.goto(url)
    submit(page)
    login(page, live_server, "bp-general")
    page.get_by_role("link", name="รอการพิจารณาของฉัน").click()
    page.locator("a.inbox-item").first.click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("สิ่งที่เปลี่ยนจากฉบับที่อนุมัติแล้ว")
    expect(changes.locator(".diff-words ins")).to_have_text("ทุกชุมชน")
    assert changes.bounding_box()["y"] < page.locator(".review-document").bounding_box()["y"]
    # Nothing wider than the phone: the changes read without scrolling sideways.
    assert page.evaluate("document.querySelector('#changes').scrollWidth") <= PHONE["width"]
    changes.scroll_into_view_if_needed()
    shot("signoff-04-review-changes-on-phone")


def test_an_sao_document_goes_through_the_three_step_chain(phone, live_server, demo):
    page = phone
    login(page, live_server, "newofficer")
    base = f"{live_server.url}/staff/demo-new"
    page.goto(f"{base}/measures/new/")
    page.fill("#id_fiscal_year", "2568")
    page.get_by_role("button", name="สร้างเอกสาร").click()
    page.get_by_role("link", name="เพิ่มมาตรการ").first.click()
    page.fill("#id_title", "การเปิดเผยข้อมูลการจัดซื้อจัดจ้าง")
    page.fill("#id_steps", "จัดทำแผนการจัดซื้อจัดจ้าง\nเผยแพร่บนเว็บไซต์")
    page.check("label:has-text('กองคลัง') input")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_role("link", name="กลับไปหน้าเอกสาร").click()  # from the measures list
    submit(page)
    for username in ["sao-office", "sao-clerk", "sao-mayor"]:
        decide_from_inbox(page, live_server, username, "เห็นชอบ")
    assert MeasuresDocument.objects.get(organisation__slug="demo-new").status == DocumentStatus.APPROVED
