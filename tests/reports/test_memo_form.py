"""The memo (บันทึกข้อความ) in the standard form of the correspondence regulation: the head on ruled
lines, the body parts numbered as the author numbered them, one opinion block per position of the
chain with its signature line, name, position and date, and the ITA item of the year's framework."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from measures import services, thai, workflow
from measures.devdata.demo import load_demo
from measures.models import Framework, Memo, Submission
from reports import rendering
from tests.chain import TITLES

from .conftest import approve_bo_phloi_through_its_chain, render

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "pdf"
MONTHS = "|".join(thai.MONTHS_LONG[1:])
LONG_DATE = re.compile(rf"[๐-๙0-9]{{1,2}} (?:{MONTHS})")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def in_order(text: str, *parts: str) -> bool:
    """Each part found in the text after the one before."""
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True


def plain(html: str) -> str:
    """The text of an HTML page, without its markup (the spans that keep names whole)."""
    return re.sub(r"<[^>]+>", "", html)


def date_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if LONG_DATE.search(line)]


# --- The demo: ทต.บ่อพลอย's memo through its chain of five --------------------------------------


@pytest.fixture(scope="module")
def demo_memo(django_db_setup, django_db_blocker):
    """The bo-phloi memo approved by its five positions, rendered once; the data is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        submission = approve_bo_phloi_through_its_chain()
        decisions = [(d.name, d.position) for d in submission.decisions.order_by("step")]
        titles = [step["title"] for step in submission.steps]
        rendered = render("memo-bo-phloi", rendering.memo_html(submission))
        transaction.set_rollback(True)
    return rendered, titles, decisions


def test_the_demo_memo_prints_the_head_of_the_form_in_its_order(demo_memo):
    rendered, _titles, _decisions = demo_memo
    text = rendered.text()
    assert in_order(
        text,
        "บันทึกข้อความ",
        "ส่วนราชการ",
        nfkc("สำนักปลัดเทศบาล"),
        "ที่",
        "กจ ๕๓๐๐๑/๕๐",
        "วันที่",
        "๒๕ มีนาคม พ.ศ. ๒๕๖๕",
        "เรื่อง",
        nfkc("มาตรการส่งเสริมคุณธรรม"),
        "เรียน",
        nfkc("นายกเทศมนตรีตำบลบ่อพลอย"),
    )
    assert rendered.warnings == []


def test_the_demo_memo_numbers_its_parts_and_leaves_out_the_empty_one(demo_memo):
    text = demo_memo[0].text()
    # The seed has a เรื่องเดิม and a ข้อเท็จจริง, no proposal: ๑. and ๒., no ๓.
    assert in_order(text, "๑. เรื่องเดิม", nfkc("ตามที่สำนักงาน"), "๒. ข้อเท็จจริง", nfkc("ในการนี้"), nfkc("จึงเรียนมา"))
    assert "๓." not in text.split(nfkc("จึงเรียนมา"))[0].split("๒. ข้อเท็จจริง")[1]
    assert "ข้อเสนอ" not in text


def test_the_demo_memo_has_one_opinion_block_per_position_with_its_signature(demo_memo):
    rendered, titles, decisions = demo_memo
    text = rendered.text()
    assert len(titles) == 5
    expected = [nfkc("(นางณภัทร ฤกษ์วิจิตร)")]
    for title, (name, position) in zip(titles, decisions, strict=True):
        assert text.count(nfkc(f"ความเห็น{title}")) == 1
        expected += [nfkc(f"ความเห็น{title}"), nfkc(f"({name})"), nfkc(position)]
    assert in_order(text, *expected)
    assert text.count("ลงชื่อ") == 1 + len(titles)


def test_every_date_of_the_demo_memo_says_be_once(demo_memo):
    lines = date_lines(demo_memo[0].text())
    today = thai.format_date_long(timezone.localdate())
    assert len(lines) == 1 + 5  # the memo's date and each decision's
    assert all(line.count("พ.ศ.") == 1 for line in lines), lines
    assert sum(today in line for line in lines) == 5


def test_the_demo_memo_looks_like_the_form(demo_memo):
    """Two pages in the body font; PNGs of them are in test-output/pdf/ for people to look at."""
    rendered = demo_memo[0]
    assert rendered.pages <= 2  # five positions: the opinions fill the second page, no more
    assert "Sarabun" in " ".join(rendered.fonts())


# --- A synthetic chain of three: one decided with a comment, two waiting ------------------------


def emblem_png() -> bytes:
    image = Image.new("RGB", (240, 260), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 220, 240), outline=(170, 20, 30), width=14)
    draw.polygon([(120, 50), (190, 200), (50, 200)], fill=(170, 20, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


HEAD_NAMES = [("สมชาย", "ใจดี"), ("สมศรี", "มีสุข"), ("ชัยชนะ", "มั่นคง")]


@pytest.fixture
def chain_memo(organisation, chain, measure, document, officer, heads):
    organisation.logo.save("logos/test-town-emblem.png", ContentFile(emblem_png()), save=True)
    for head, (first, last) in zip(heads, HEAD_NAMES, strict=True):
        head.first_name, head.last_name = first, last
        head.save(update_fields=["first_name", "last_name"])
    memo = workflow.memo_for(document, by=officer)
    workflow.memo_update(
        memo=memo,
        by=officer,
        revision=memo.revision,
        number="ทต 0023/125",
        author_name="นางสาวสมใจ ใจดี",
        author_position="นิติกรปฏิบัติการ",
    )
    submission = workflow.submit(target=document, by=officer)
    workflow.decide(submission=submission, by=heads[0], approve=True, comment="เห็นควรเสนอปลัดเทศบาลเพื่อโปรดพิจารณา")
    submission.refresh_from_db()
    return submission


def test_a_chain_of_three_prints_the_decided_block_and_two_to_write_on(chain_memo, heads):
    html = rendering.memo_html(chain_memo)
    rendered = render("memo-chain-of-three", html)
    text = rendered.text()
    assert rendered.warnings == []
    assert in_order(text, "ส่วนราชการ", "ที่", "ทต ๐๐๒๓/๑๒๕", "วันที่", "เรื่อง", "เรียน", "นายกเทศมนตรี")
    assert in_order(text, "๑. เรื่องเดิม", "๒. ข้อเท็จจริง", "๓. ข้อเสนอ", nfkc("จึงเรียนมา"))
    assert in_order(
        text,
        nfkc("(นางสาวสมใจ ใจดี)"),
        nfkc("นิติกรปฏิบัติการ"),
        nfkc("ความเห็นหัวหน้าสำนักปลัด"),
        nfkc("เห็นควรเสนอปลัดเทศบาลเพื่อโปรดพิจารณา"),
        f"({nfkc(heads[0].get_full_name())})",
        nfkc("หัวหน้าสำนักปลัด"),
        thai.format_date_long(timezone.localdate()),
        nfkc("ความเห็นปลัดเทศบาล"),
        nfkc("ปลัดเทศบาล"),
        nfkc("ความเห็นนายกเทศมนตรี"),
        nfkc("นายกเทศมนตรี"),
    )
    for title in TITLES:
        assert text.count(nfkc(f"ความเห็น{title}")) == 1
    # The positions still to decide: a line to sign on and ruled lines, never a placeholder.
    assert text.count("ลงชื่อ") == 4
    for head in heads[1:]:
        assert head.get_full_name() not in text
    assert "ยังไม่ระบุ" not in text and "…" not in text
    assert html.count('class="memo-opinion pending"') == 2
    assert all(line.count("พ.ศ.") == 1 for line in date_lines(text))
    # The emblem at the top left: one image in the PDF.
    assert 'class="memo-emblem" src="data:image/png;base64,' in html
    assert b"/Subtype /Image" in rendered.pdf


def test_the_acting_text_of_a_decision_is_printed_under_its_position(chain_memo, heads):
    workflow.decide(submission=chain_memo, by=heads[1], approve=True)
    chain_memo.decisions.filter(step=1).update(position="รองปลัดเทศบาล", acting_for="ปฏิบัติราชการแทนปลัดเทศบาล")
    html = rendering.memo_html(chain_memo)
    assert in_order(plain(html), "ความเห็นปลัดเทศบาล", "เห็นชอบ", "รองปลัดเทศบาล", "ปฏิบัติราชการแทนปลัดเทศบาล")


def test_a_returned_step_says_so_with_its_comment(chain_memo, heads):
    workflow.decide(submission=chain_memo, by=heads[1], approve=False, comment="กรุณาระบุงบประมาณ")
    html = rendering.memo_html(chain_memo)
    assert in_order(plain(html), "ความเห็นปลัดเทศบาล", "ส่งกลับให้แก้ไข", "กรุณาระบุงบประมาณ")


# --- The author's own headings -------------------------------------------------------------------


def parts(**fields) -> list[dict]:
    memo = Memo(**({"background": "ก", "facts": "ข", "proposal": "ค"} | fields))
    return rendering.memo_parts(memo, digits=True)


def test_parts_are_numbered_in_their_printed_order():
    assert [p["heading"] for p in parts()] == ["๑. เรื่องเดิม", "๒. ข้อเท็จจริง", "๓. ข้อเสนอ"]
    # An empty part is left out: the next one takes its number.
    assert [p["heading"] for p in parts(facts="  \n")] == ["๑. เรื่องเดิม", "๒. ข้อเสนอ"]
    assert [p["heading"] for p in parts(proposal_heading="ข้อพิจารณา")][2] == "๓. ข้อพิจารณา"
    assert [p["heading"] for p in rendering.memo_parts(Memo(facts="ข"), digits=False)] == ["1. ข้อเท็จจริง"]


@pytest.mark.parametrize(
    "heading", ["๑. เรื่องเดิม", "1. เรื่องเดิม", "๑) เรื่องเดิม", "(๑) เรื่องเดิม", "๑.๑ เรื่องเดิม", "ก. เรื่องเดิม"]
)
def test_a_heading_the_author_numbered_is_kept_as_typed(heading):
    assert parts(background_heading=heading)[0]["heading"] == heading


def test_a_part_without_a_heading_prints_its_paragraphs_unnumbered():
    printed = parts(background_heading="", background="ตามที่ …\nบรรทัดที่สอง")
    assert printed[0] == {"heading": "", "paragraphs": ["ตามที่ …", "บรรทัดที่สอง"]}
    assert [p["heading"] for p in printed[1:]] == ["๑. ข้อเท็จจริง", "๒. ข้อเสนอ"]


def test_a_memo_frozen_before_it_had_headings_prints_the_headings_it_had(submission):
    memo = dict(submission.snapshot["memo"])
    for name in ("background_heading", "facts_heading", "proposal_heading"):
        memo.pop(name)
    Submission.objects.filter(pk=submission.pk).update(snapshot=submission.snapshot | {"memo": memo})
    submission.refresh_from_db()
    html = rendering.memo_html(submission)
    assert in_order(plain(html), "๑. เรื่องเดิม", "๒. ข้อเท็จจริง", "๓. ข้อเสนอ")


def test_the_form_saves_the_authors_headings_and_an_empty_one(client_for, officer, document, chain):
    url = reverse("measures:document_memo", args=[document.organisation.slug, 2566])
    page = client_for(officer).get(url)
    assert page.status_code == 200 and "ส่วนที่ ๑" in page.text and "ส่วนที่ ๓" in page.text
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "memo-form-page.html").write_text(page.text)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in Memo.CONTENT_FIELDS} | {"date": "25/03/2566"}
    data |= {"background_heading": "๑. ความเป็นมา", "facts_heading": "", "proposal_heading": "ข้อพิจารณา"}
    assert client_for(officer).post(url, data).status_code == 302
    memo = Memo.objects.get(document=document)
    assert (memo.background_heading, memo.facts_heading, memo.proposal_heading) == ("๑. ความเป็นมา", "", "ข้อพิจารณา")
    printed = [p["heading"] for p in rendering.memo_parts(memo, digits=True)]
    assert printed == ["๑. ความเป็นมา", "", "๒. ข้อพิจารณา"]


def test_the_staff_memo_page_shows_the_form_with_its_blocks(client_for, chain_memo, officer):
    page = client_for(officer).get(reverse("measures:memo", args=["test-town", chain_memo.pk]))
    assert page.status_code == 200
    for title in TITLES:
        assert f"ความเห็น{title}" in plain(page.text)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "memo-staff-page.html").write_text(page.text)


# --- The ITA item and years of the memo's text ------------------------------------------------


@pytest.fixture
def report(measure, document, officer):
    return services.report_start(document=document, round_months=6, by=officer)


@pytest.mark.parametrize(
    ("kind", "field", "code"), [("document", "measures_item_code", "O42"), ("report", "report_item_code", "O43")]
)
def test_the_item_code_is_that_of_the_framework_of_the_fiscal_year(kind, field, code, document, report, officer):
    target = document if kind == "document" else report
    assert f"ตามข้อ {code} " in workflow.memo_defaults(target, author=officer)["proposal"]
    Framework.objects.filter(year=2566).update(**{field: "O36"})
    assert "ตามข้อ O36 " in workflow.memo_defaults(target, author=officer)["proposal"]
    # The framework of the analysed year (2565) never gives the code of the year assessed.
    Framework.objects.filter(year=2566).update(**{field: ""})
    proposal = workflow.memo_defaults(target, author=officer)["proposal"]
    assert not re.search(r"\bO\d", proposal) and "ข้อ" not in proposal.split("เว็บไซต์")[1]
    assert "ประกอบการประเมิน ITA ประจำปี พ.ศ. ๒๕๖๖" in proposal


def test_a_year_without_a_framework_gets_no_code(organisation, officer):
    assert not Framework.objects.filter(year=2570).exists()
    document = services.document_create(organisation=organisation, fiscal_year=2570, by=officer)
    defaults = workflow.memo_defaults(document, author=officer)
    assert not re.search(r"\bO\d", defaults["proposal"])
    assert "ประกอบการประเมิน ITA ประจำปี พ.ศ. ๒๕๗๐" in defaults["proposal"]
    assert "ประจำปี พ.ศ. ๒๕๖๙" in defaults["facts"]  # the analysed year: the document's basis framework


def test_the_analysed_year_is_that_of_the_documents_basis_framework(document, officer):
    document.basis_framework = Framework.objects.get(year=2564)
    document.save(update_fields=["basis_framework"])
    assert "ประจำปี พ.ศ. ๒๕๖๔ และจัดทำ" in workflow.memo_defaults(document, author=officer)["facts"]


def test_the_years_of_an_arabic_digit_organisation_stay_arabic(organisation, document, report, officer):
    organisation.thai_digits = False
    organisation.save(update_fields=["thai_digits"])
    for target in (document, report):
        defaults = workflow.memo_defaults(target, author=officer)
        text = " ".join(defaults[k] for k in ("subject", "facts", "proposal"))
        assert "พ.ศ. 2566" in text and not re.search("[๐-๙]", text)
    assert "รอบ 6 เดือน" in workflow.memo_defaults(report, author=officer)["subject"]
