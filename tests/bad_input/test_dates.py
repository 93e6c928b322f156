"""Years and dates: a Christian-era year where a Buddhist-era one is expected, impossible dates,
an end before its start. Every form shows the Thai reason and nothing is written."""

from datetime import date

import pytest
from django.urls import reverse

from measures import workflow
from measures.models import MeasuresDocument

pytestmark = pytest.mark.django_db

CE_2023 = "ปี 2023 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566"
FEBRUARY_31 = "วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน"
END_BEFORE_START = "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"


# --- Fiscal years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023", CE_2023),
        ("๒๐๒๓", CE_2023),
        ("66", "กรุณากรอกปีงบประมาณเป็นปีพุทธศักราช เช่น 2567"),
        ("25666", "กรุณากรอกปีงบประมาณเป็นปีพุทธศักราช เช่น 2567"),
        ("สองพันห้าร้อย", "กรุณากรอกปีงบประมาณเป็นตัวเลข เช่น 2567"),
        ("2566.5", "กรุณากรอกปีงบประมาณเป็นตัวเลข เช่น 2567"),
    ],
)
def test_a_new_document_s_fiscal_year_must_be_a_buddhist_era_year(staff, document, nothing_changes, typed, message):
    with nothing_changes():
        response = staff.post(reverse("measures:document_new", args=["test-town"]), {"fiscal_year": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"] == [message]
    assert message in response.text


def test_copying_a_document_into_a_christian_era_year_is_refused(staff, measure, nothing_changes):
    with nothing_changes():
        response = staff.post(reverse("measures:document_copy", args=["test-town", 2566]), {"fiscal_year": "2024"})
    assert response.context["form"].errors["fiscal_year"] == ["ปี 2024 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2567"]
    assert MeasuresDocument.objects.count() == 1


# --- Dates of a measure ------------------------------------------------------------------------


def measure_post(measure, **extra) -> dict:
    return {
        "revision": measure.revision,
        "theme": measure.theme_id,
        "number": measure.number,
        "title": measure.title,
        "units": [u.pk for u in measure.units.all()],
        "steps": "แต่งตั้งคณะทำงาน",
        "period_start": "01/10/2565",
        "period_end": "31/03/2566",
    } | extra


def edit_measure(client, measure, **extra):
    return client.post(
        reverse("measures:measure_edit", args=["test-town", 2566, measure.pk]), measure_post(measure, **extra)
    )


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("period_end", "31/03/2023", CE_2023),
        ("period_start", "1/10/2022", "ปี 2022 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2565"),
        ("deadline", "๓๑/๐๓/๒๐๒๓", CE_2023),
        ("period_start", "31/02/2566", FEBRUARY_31),
        ("period_end", "29/02/2566", "วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน"),
        ("deadline", "31/13/2566", "วันที่ไม่ถูกต้อง เดือนต้องอยู่ระหว่าง 1 ถึง 12"),
        ("deadline", "00/01/2566", "วันที่ไม่ถูกต้อง เดือนมกราคม พ.ศ. 2566 มี 31 วัน"),
        (
            "period_end",
            "พรุ่งนี้",
            "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกวันที่ (พ.ศ.) เช่น 25/03/2565 หรือ 25 มี.ค. 2565 หรือกรอกเฉพาะเดือน เช่น มี.ค. 2565",
        ),
        (
            "period_end",
            "31/03/99999999",
            "ปี 99999999 ไม่อยู่ในช่วงที่รับได้ กรุณากรอกปีพุทธศักราช (พ.ศ.) ระหว่าง 2400 ถึง 2700 เช่น 2565",
        ),
    ],
)
def test_a_measure_date_in_the_christian_era_or_impossible_is_refused(
    staff, measure, nothing_changes, field, typed, message
):
    with nothing_changes():
        response = edit_measure(staff, measure, **{field: typed})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.text


def test_a_measure_ending_before_it_starts_is_refused(staff, measure, nothing_changes):
    with nothing_changes():
        response = edit_measure(staff, measure, period_start="01/04/2566", period_end="31/03/2566")
    assert response.context["form"].errors["period_end"] == [END_BEFORE_START]
    measure.refresh_from_db()
    assert (measure.period_start, measure.period_end) == (None, None)


def test_a_new_measure_ending_before_it_starts_is_not_created(staff, theme, finance, nothing_changes):
    with nothing_changes():
        response = staff.post(
            reverse("measures:measure_new", args=["test-town", 2566]),
            {
                "theme": theme.pk,
                "title": "มาตรการใหม่",
                "units": [finance.pk],
                "period_start": "30/09/2566",
                "period_end": "01/10/2565",
            },
        )
    assert response.context["form"].errors["period_end"] == [END_BEFORE_START]


# --- Dates of a progress entry and of a memo ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/03/2023", CE_2023),
        ("31/02/2566", FEBRUARY_31),
    ],
)
def test_a_completion_date_in_the_christian_era_or_impossible_is_refused(
    staff, report, measure, nothing_changes, typed, message
):
    entry = report.entries.get()
    with nothing_changes():
        response = staff.post(
            reverse("measures:entry_edit", args=["test-town", 2566, 6, measure.pk]),
            {"revision": entry.revision, "status": "done", "percent": "100", "completed_on": typed},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == [message]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("15/01/2023", CE_2023),
        ("30/02/2566", "วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน"),
    ],
)
def test_a_memo_date_in_the_christian_era_or_impossible_is_refused(
    staff, measure, officer, nothing_changes, typed, message
):
    url = reverse("measures:document_memo", args=["test-town", 2566])
    staff.get(url)  # the form shows the defaults; the memo is saved by the first valid form
    memo = workflow.memo_for(measure.document, by=officer)
    data = {name: getattr(memo, name) for name in workflow.MEMO_FIELDS} | {"revision": memo.revision, "date": typed}
    with nothing_changes():
        response = staff.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [message]


def test_an_iso_date_typed_year_first_is_read_as_the_christian_era_it_is(staff, measure):
    """Not bad input: "2023-03-31" (how a browser's date picker sends it) is 31 March 2566."""
    response = edit_measure(staff, measure, deadline="2023-03-31")
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.deadline == date(2023, 3, 31)
