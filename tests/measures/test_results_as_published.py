"""An ITA result is stored as published: the rating as printed (letter, Thai label or both) and every
total the document states; the check says which figure differs, and wording is not a number."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Assessment, StatedTotal
from measures.scoring import compute_scorecard
from measures.selectors import framework_with_structure
from reports import rendering
from tests.bad_input.conftest import database_state

pytestmark = pytest.mark.django_db

D = Decimal
# ITA 2568: IIT 90, EIT 88, OIT 95 → total 0.3 × 90 + 0.3 × 88 + 0.4 × 95 = 91.40, ผ่านดี (every tool ≥ 85).
SCORES_2568 = {f"indicator_{n}": "90" for n in range(1, 6)} | {f"indicator_{n}": "88" for n in (6, 7, 8)}
SCORES_2568 |= {"indicator_9": "95", "indicator_10": "95"}
EDIT_2568 = reverse("measures:assessment_edit", args=["test-town", 2568])
DETAIL_2568 = reverse("measures:assessment_detail", args=["test-town", 2568])


def stated(*rows, total_forms=None) -> dict:
    """The stated totals' part of the form as a browser sends it (empty rows included)."""
    data = {
        "stated-TOTAL_FORMS": str(total_forms if total_forms is not None else max(len(rows), 2)),
        "stated-INITIAL_FORMS": "0",
        "stated-MIN_NUM_FORMS": "0",
        "stated-MAX_NUM_FORMS": "5",
    }
    for i, (label, value) in enumerate(rows):
        data |= {f"stated-{i}-label": label, f"stated-{i}-value": value}
    return data


@contextmanager
def nothing_changes():
    before = database_state()
    yield
    assert database_state() == before


def card_2568(**official):
    scores = {n: D(v) for n, v in ((int(k.split("_")[1]), v) for k, v in SCORES_2568.items())}
    return compute_scorecard(framework=framework_with_structure(2568), indicator_scores=scores, **official)


@pytest.fixture
def staff(client_for, officer):
    return client_for(officer)


def save(staff, **fields):
    response = staff.post(EDIT_2568, SCORES_2568 | fields)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Assessment.objects.get(framework__year=2568)


# --- The rating as printed ------------------------------------------------------------------


def test_a_letter_and_a_thai_label_are_both_kept_and_shown_as_printed(staff):
    assessment = save(staff, official_total="91.40", official_grade="A", official_rating="ผ่านดี")
    assert (assessment.official_grade, assessment.official_rating) == ("A", "ผ่านดี")
    page = staff.get(DETAIL_2568)
    assert page.context["card"].rating == "A (ผ่านดี)"
    assert page.context["card"].mismatches == [] and page.context["card"].wording_notes == []


def test_a_letter_alone_is_recognised_as_the_band_it_names():
    card = card_2568(official_grade="A")
    assert (card.mismatches, card.wording_notes) == ([], [])
    assert card.rating == "A"


def test_a_rating_that_differs_only_in_wording_is_a_note_not_a_mismatch():
    card = card_2568(official_total=D("91.40"), official_rating="B ผ่านดี")
    assert card.mismatches == []
    assert card.wording_notes == [
        "ระดับที่ประกาศ “B ผ่านดี” เป็นระดับเดียวกับที่คำนวณได้ (A (ผ่านดี)) แต่เขียนต่างจากเกณฑ์ปี 2568"
        " (“B” ไม่ใช่ชื่อหรืออักษรของระดับนี้) เป็นความต่างของถ้อยคำ ไม่ใช่ของคะแนน"
    ]


@pytest.mark.parametrize("written", ["ผ่านดี", "ระดับ ผ่านดี", "A คือผ่านดี", " ผ่าน ดี "])
def test_the_same_band_in_another_spelling_is_neither_a_mismatch_nor_a_note(written):
    card = card_2568(official_rating=written)
    assert (card.mismatches, card.wording_notes) == ([], [])


def test_a_rating_of_another_band_is_a_mismatch_naming_both():
    card = card_2568(official_rating="ผ่านดีเยี่ยม")
    assert [(m.label, m.official, m.computed) for m in card.mismatches] == [("ระดับผลการประเมิน", "ผ่านดีเยี่ยม", "A (ผ่านดี)")]


def test_a_rating_the_years_rules_do_not_know_is_a_wording_note():
    card = card_2568(official_rating="ดีมาก")
    assert card.mismatches == []
    assert card.wording_notes == [
        "ระดับที่ประกาศ “ดีมาก” ไม่ตรงกับชื่อหรืออักษรของระดับใดในเกณฑ์ปี 2568"
        " จึงเทียบกับระดับที่คำนวณได้ (A (ผ่านดี)) ไม่ได้ กรุณาตรวจถ้อยคำกับประกาศผล"
    ]


def test_a_legacy_grade_of_another_band_is_still_a_mismatch():
    scores = {n: D("80") for n in range(1, 11)}
    card = compute_scorecard(framework=framework_with_structure(2565), indicator_scores=scores, official_rating="A")
    assert [(m.label, m.official, m.computed) for m in card.mismatches] == [("ระดับผลการประเมิน", "A", "B")]


# --- Every stated total ----------------------------------------------------------------------


def test_each_stated_total_is_checked_and_only_the_one_that_differs_is_named(staff):
    save(staff, official_total="91.40", **stated(("ก่อนปัดเศษ", "91.4000"), ("ตามตารางหน้า 3", "91.04")))
    card = staff.get(DETAIL_2568).context["card"]
    assert [(c.label, c.official, c.computed, c.ok) for c in card.checks] == [
        ("คะแนนรวม", D("91.40"), D("91.40"), True),
        ("คะแนนรวม (ก่อนปัดเศษ)", D("91.4000"), D("91.40"), True),
        ("คะแนนรวม (ตามตารางหน้า 3)", D("91.04"), D("91.40"), False),
    ]
    assert [(m.label, m.official, m.computed) for m in card.mismatches] == [
        ("คะแนนรวม (ตามตารางหน้า 3)", D("91.04"), D("91.40"))
    ]
    assert str(card.checks[1].official) == "91.40"  # shown with the decimals typed, at least two


def test_the_result_page_says_which_stated_total_differs(staff):
    save(staff, official_total="91.40", **stated(("ตามตารางหน้า 3", "91.04")))
    html = " ".join(staff.get(DETAIL_2568).content.decode().split())
    assert "คะแนนรวม (ตามตารางหน้า 3): ที่ประกาศ 91.04 · คำนวณได้ 91.40" in html


def test_a_total_before_rounding_is_compared_with_its_own_decimals():
    scores = {
        n: D(v)
        for n, v in enumerate(["100", "98.89", "99.78", "100", "100", "97.94", "97.43", "93.46", "95.00", "100"], 1)
    }
    framework = framework_with_structure(2566)
    card = compute_scorecard(framework=framework, indicator_scores=scores, stated_totals=[("ก่อนปัดเศษ", D("97.8032"))])
    assert [(c.official, c.computed, c.ok) for c in card.checks] == [(D("97.8032"), D("97.8032"), True)]


def test_the_organisation_page_names_the_figure_that_differs(staff):
    save(staff, official_total="91.40", **stated(("ตามตารางหน้า 3", "91.04")))
    html = staff.get(reverse("measures:organisation", args=["test-town"])).content.decode()
    assert "ไม่ตรง: คะแนนรวม (ตามตารางหน้า 3)" in html


def test_stated_totals_are_kept_in_order_and_shown_again_in_the_form(staff):
    assessment = save(staff, **stated(("ก่อนปัดเศษ", "91.3950"), ("ตามตารางหน้า 3", "๙๑.๔๐")))
    assert list(assessment.stated_totals.values_list("order", "label", "value")) == [
        (1, "ก่อนปัดเศษ", D("91.3950")),
        (2, "ตามตารางหน้า 3", D("91.40")),
    ]
    initial = staff.get(EDIT_2568).context["stated"].initial
    assert initial == [{"label": "ก่อนปัดเศษ", "value": D("91.395")}, {"label": "ตามตารางหน้า 3", "value": D("91.40")}]


def test_emptying_the_rows_removes_the_stated_totals_and_a_post_without_them_keeps_them(staff):
    save(staff, **stated(("ก่อนปัดเศษ", "91.3950")))
    save(staff)  # only the scores, as a script might send them: the stored totals stay
    assert StatedTotal.objects.count() == 1
    save(staff, **stated(("", "")))
    assert not StatedTotal.objects.exists()


def test_saving_the_same_stated_totals_again_writes_no_history(staff):
    save(staff, **stated(("ก่อนปัดเศษ", "91.3950")))
    before = StatedTotal.history.count()
    save(staff, **stated(("ก่อนปัดเศษ", "91.395")))
    assert StatedTotal.history.count() == before


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (("ก่อนปัดเศษ", ""), "value", "กรุณากรอกคะแนนรวมที่ประกาศไว้ตามข้อความนี้"),
        (("", "91.40"), "label", "กรุณาระบุว่าเป็นคะแนนรวมใด เช่น ก่อนปัดเศษ เพื่อให้รู้ว่าตัวเลขใดไม่ตรง"),
        (("ก่อนปัดเศษ", "100.01"), "value", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        (("ก่อนปัดเศษ", "91.39501"), "value", "คะแนนมีทศนิยมได้ไม่เกิน 4 ตำแหน่ง"),
        (("ก่อนปัดเศษ", "เก้าสิบ"), "value", "กรุณากรอกคะแนนเป็นตัวเลข เช่น 85.59 หรือ ๘๕.๕๙"),
        (("ก" * 201, "91.40"), "label", "ข้อความยาวเกิน 200 ตัวอักษร (มี 201 ตัวอักษร) กรุณาตัดให้สั้นลง"),
    ],
)
def test_a_bad_stated_total_is_refused_in_thai_and_what_was_typed_stays(staff, row, field, message):
    with nothing_changes():
        response = staff.post(EDIT_2568, SCORES_2568 | {"official_grade": "A"} | stated(row))
    assert response.status_code == 200
    assert response.context["stated"].forms[0].errors[field] == [message]
    assert response.context["form"]["official_grade"].value() == "A"
    assert response.context["stated"].forms[0][field].value() == row[["label", "value"].index(field)]


@pytest.mark.parametrize("total_forms", [6, 1000, 10**9])
def test_more_stated_totals_than_five_are_refused_without_building_them_all(staff, total_forms):
    rows = [(f"ค่าที่ {i}", "91.40") for i in range(6)]
    with nothing_changes():
        response = staff.post(EDIT_2568, SCORES_2568 | stated(*rows, total_forms=total_forms))
    assert response.status_code == 200
    assert response.context["stated"].non_form_errors() == ["บันทึกคะแนนรวมอื่นได้ไม่เกิน 5 รายการ"]
    assert len(response.context["stated"].forms) <= 5


def test_a_tampered_management_form_is_refused_in_thai(staff):
    with nothing_changes():
        response = staff.post(EDIT_2568, SCORES_2568 | {"stated-TOTAL_FORMS": "x"})
    assert response.status_code == 200
    assert response.context["stated"].non_form_errors() == ["ข้อมูลของแบบฟอร์มไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"]


def test_a_grade_longer_than_eight_characters_is_refused_in_thai(staff):
    with nothing_changes():
        response = staff.post(EDIT_2568, SCORES_2568 | {"official_grade": "ABCDEFGHI"})
    assert response.context["form"].errors["official_grade"] == ["ข้อความยาวเกิน 8 ตัวอักษร (มี 9 ตัวอักษร) กรุณาตัดให้สั้นลง"]


# --- The printed document never prints the check ---------------------------------------------


def test_the_printed_document_shows_the_rating_as_published_and_no_check(staff, officer, organisation):
    from measures import services

    save(staff, official_total="91.40", official_grade="A", official_rating="ผ่านดี", **stated(("หน้า 3", "91.04")))
    document = services.document_create(organisation=organisation, fiscal_year=2569, by=officer)
    html = rendering.target_html(document)
    assert "A (ผ่านดี)" in html
    assert "หน้า 3" not in html and "คำนวณได้" not in html
    assert "91.04" not in html and "๙๑.๐๔" not in html
