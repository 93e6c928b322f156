"""The officer's journey through the staff screens, and flat query counts on the long lists."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import services, thai
from measures.models import Assessment, Measure, MeasuresDocument, ProgressReport
from measures.services import MeasureData

pytestmark = pytest.mark.django_db

# Bo Phloi's ITA figures, typed the way an officer copies them from the NACC announcement.
THAI_SCORES = ["๘๕.๕๙", "๗๙.๙๕", "๘๐.๕๐", "๗๗.๑๐", "๘๔.๙๘", "๘๐.๓๓", "๘๐.๖๓", "๗๒.๕๘", "๗๒.๒๑", "๘๗.๕๐"]


@pytest.fixture
def staff(client, officer):
    client.force_login(officer)
    return client


def scores_post(values=THAI_SCORES, **extra) -> dict:
    return {f"indicator_{n}": value for n, value in enumerate(values, start=1)} | extra


def post_scores(client, values=THAI_SCORES, **extra):
    return client.post(reverse("measures:assessment_edit", args=["test-town", 2565]), scores_post(values, **extra))


# --- ITA scores --------------------------------------------------------------------------


def test_entering_ita_scores_in_thai_digits_stores_them_and_redirects_to_the_result(staff, organisation):
    response = post_scores(staff)
    assert response.status_code == 302
    assert response.url == reverse("measures:assessment_detail", args=["test-town", 2565])
    assessment = Assessment.objects.get(organisation=organisation, framework__year=2565)
    assert assessment.indicator_scores.get(indicator__number=1).score == Decimal("85.59")
    assert assessment.indicator_scores.count() == 10


def test_the_result_page_shows_the_grade_and_the_weakest_indicator_first(staff):
    post_scores(staff)
    response = staff.get(reverse("measures:assessment_detail", args=["test-town", 2565]))
    assert response.context["card"].rating == "B"
    assert re.search(r'<div class="big">\s*B\s*</div>', response.text)
    weak = re.findall(r'<li class="weak">ตัวชี้วัดที่ (\d+)', response.text)
    assert weak[:2] == ["9", "8"]


def test_the_result_page_warns_when_the_published_total_does_not_match(staff):
    post_scores(staff, official_total="๗๙.๕๘", official_rating="B")
    response = staff.get(reverse("measures:assessment_detail", args=["test-town", 2565]))
    assert 'role="alert"' in response.text
    assert "คำนวณได้ 79.78" in response.text


def test_a_score_of_120_is_refused_in_thai_and_nothing_is_stored(staff, organisation):
    response = post_scores(staff, [*THAI_SCORES[:3], "120", *THAI_SCORES[4:]])
    assert response.status_code == 200
    assert response.context["form"].errors["indicator_4"] == ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in response.text
    assert not Assessment.objects.exists()


def test_saving_scores_again_replaces_the_earlier_ones(staff, organisation):
    post_scores(staff)
    post_scores(staff, ["90"] * 10)
    assessment = Assessment.objects.get(organisation=organisation)
    assert set(assessment.indicator_scores.values_list("score", flat=True)) == {Decimal("90.00")}


# --- Documents, themes and measures ------------------------------------------------------


def test_creating_a_document_opens_it(staff, organisation):
    response = staff.post(reverse("measures:document_new", args=["test-town"]), {"fiscal_year": "๒๕๖๖"})
    assert response.status_code == 302
    assert response.url == reverse("measures:document_detail", args=["test-town", 2566])
    document = MeasuresDocument.objects.get(organisation=organisation)
    assert (document.fiscal_year, document.basis_framework.year) == (2566, 2565)


def test_creating_a_second_document_of_a_year_shows_the_thai_refusal(staff, document):
    response = staff.post(reverse("measures:document_new", args=["test-town"]), {"fiscal_year": "2566"})
    assert response.status_code == 200
    assert "หน่วยงานนี้มีเอกสารมาตรการของปีงบประมาณนี้แล้ว" in response.text
    assert MeasuresDocument.objects.count() == 1


def test_adding_a_theme(staff, document):
    response = staff.post(
        reverse("measures:theme_new", args=["test-town", 2566]), {"number": "๑", "title": "ด้านการป้องกันการทุจริต"}
    )
    assert response.status_code == 302
    assert list(document.themes.values_list("number", "title")) == [(1, "ด้านการป้องกันการทุจริต")]


def measure_post(theme, *units, **extra) -> dict:
    return {
        "theme": theme.pk,
        "title": "จัดทำแผนปฏิบัติการป้องกันการทุจริต",
        "units": [u.pk for u in units],
        "steps": "1. แต่งตั้งคณะทำงาน\n2. จัดทำร่างแผน\n3. เสนอผู้บริหารอนุมัติ",
        "period_start": "01/10/2565",
        "period_end": "31/03/2566",
        "item_codes": "I13, O35",
    } | extra


def test_adding_a_measure_with_two_units_three_steps_and_a_thai_end_date(staff, theme, finance, works):
    response = staff.post(
        reverse("measures:measure_new", args=["test-town", 2566]), measure_post(theme, finance, works)
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.display_number, measure.period_start, measure.period_end) == (
        "1.1",
        date(2022, 10, 1),
        date(2023, 3, 31),
    )
    assert set(measure.units.all()) == {finance, works}
    # The steps as typed, with their numbers (documents print them so); the period with its days.
    assert list(measure.steps.values_list("text", flat=True)) == [
        "1. แต่งตั้งคณะทำงาน",
        "2. จัดทำร่างแผน",
        "3. เสนอผู้บริหารอนุมัติ",
    ]
    assert measure.period_precision == "day"
    assert sorted(measure.items.values_list("code", flat=True)) == ["I13", "O35"]


def test_a_measure_form_with_a_christian_era_date_is_shown_again_with_a_thai_hint(staff, theme, finance):
    response = staff.post(
        reverse("measures:measure_new", args=["test-town", 2566]), measure_post(theme, finance, period_end="31/03/2023")
    )
    assert response.status_code == 200
    assert "พุทธศักราช" in response.text
    assert not Measure.objects.exists()


def test_saving_a_measure_someone_else_changed_meanwhile_shows_a_thai_warning(staff, theme, finance, officer):
    measure = services.measure_create(
        document=theme.document, by=officer, data=MeasureData(title="เดิม", number=1, theme=theme, units=[finance])
    )
    services.measure_update(
        measure=measure,
        by=officer,
        revision=1,
        data=MeasureData(title="แก้โดยผู้อื่น", number=1, theme=theme, units=[finance]),
    )
    response = staff.post(
        reverse("measures:measure_edit", args=["test-town", 2566, measure.pk]),
        measure_post(theme, finance, title="ของฉัน", number="1", revision="1"),
    )
    assert response.status_code == 200
    assert "ถูกแก้ไขโดยผู้อื่น" in response.text
    assert Measure.objects.get().title == "แก้โดยผู้อื่น"


def test_copying_a_document_into_the_next_year(staff, theme, finance, officer):
    services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(title="มาตรการที่ใช้ต่อ", number=1, theme=theme, units=[finance], steps=["ก", "ข"]),
    )
    response = staff.post(reverse("measures:document_copy", args=["test-town", 2566]), {"fiscal_year": "2567"})
    assert response.status_code == 302
    assert response.url == reverse("measures:document_detail", args=["test-town", 2567])
    copy = MeasuresDocument.objects.get(fiscal_year=2567)
    assert list(copy.measures.values_list("title", flat=True)) == ["มาตรการที่ใช้ต่อ"]


# --- Progress rounds ---------------------------------------------------------------------


@pytest.fixture
def measure(theme, finance, officer):
    return services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(title="ประชุมชี้แจงการจัดซื้อจัดจ้าง", number=1, theme=theme, units=[finance]),
    )


def test_starting_the_12_month_round_opens_one_entry_per_measure(staff, document, measure):
    response = staff.post(reverse("measures:round_start", args=["test-town", 2566, 12]))
    assert response.status_code == 302
    assert response.url == reverse("measures:round_detail", args=["test-town", 2566, 12])
    report = ProgressReport.objects.get(document=document)
    assert (report.round, list(report.entries.values_list("measure", flat=True))) == (12, [measure.pk])


def test_filling_an_entry_of_the_12_month_round(staff, document, measure, officer):
    services.report_start(document=document, round_months=12, by=officer)
    response = staff.post(
        reverse("measures:entry_edit", args=["test-town", 2566, 12, measure.pk]),
        {
            "revision": "1",
            "status": "done",
            "percent": "๑๐๐",
            "summary": "จัดประชุมแล้ว ๒ ครั้ง",
            "completed_on": "30/09/2566",
        },
    )
    assert response.status_code == 302
    entry = measure.progress_entries.get()
    assert (entry.status, entry.percent, entry.completed_on) == ("done", 100, date(2023, 9, 30))
    assert entry.updated_by == officer


def test_an_entry_with_percent_101_is_shown_again_and_not_stored(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = staff.post(
        reverse("measures:entry_edit", args=["test-town", 2566, 6, measure.pk]),
        {"status": "in_progress", "percent": "101"},
    )
    assert response.status_code == 200
    assert "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in response.text
    assert measure.progress_entries.get().percent == 0


def test_attaching_a_link_as_evidence(staff, document, measure, officer):
    services.report_start(document=document, round_months=6, by=officer)
    response = staff.post(
        reverse("measures:evidence_add", args=["test-town", 2566, 6, measure.pk]),
        {"title": "ข่าวประชาสัมพันธ์", "url": "https://example.go.th/news/1"},
    )
    assert response.status_code == 302
    assert list(measure.progress_entries.get().evidence.values_list("title", "url")) == [
        ("ข่าวประชาสัมพันธ์", "https://example.go.th/news/1")
    ]


# --- Query counts ------------------------------------------------------------------------


def add_measures(document, count: int, by, units) -> None:
    themes = (
        [services.theme_save(document=document, by=by, number=n, title=f"ด้านที่ {n}") for n in (1, 2)]
        if not document.themes.exists()
        else list(document.themes.all())
    )
    items = list(document.basis_framework.items.filter(code__in=["I13", "O35"]))
    start = document.measures.count()
    for n in range(start, start + count):
        services.measure_create(
            document=document,
            by=by,
            data=MeasureData(
                title=f"มาตรการที่ {n}", number=n + 1, theme=themes[n % 2], units=units, steps=["ก", "ข"], items=items
            ),
        )


def fill_entries(report, by) -> None:
    for entry in report.entries.filter(summary=""):
        services.entry_update(entry=entry, by=by, revision=None, status="in_progress", percent=50, summary="ทำแล้ว")
        services.evidence_add(entry=entry, by=by, title="ภาพ", url="https://example.org/p")


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (session, content types) so both counts compare the page itself
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["document_detail", "measure_list"])
def test_the_document_page_and_its_measures_make_as_many_queries_for_30_measures_as_for_5(
    staff, document, officer, finance, works, django_assert_max_num_queries, name
):
    services.report_start(document=document, round_months=6, by=officer)
    add_measures(document, 5, officer, [finance, works])
    url = reverse(f"measures:{name}", args=["test-town", 2566])
    baseline = queries_for(staff, url)
    add_measures(document, 25, officer, [finance, works])
    with django_assert_max_num_queries(baseline):
        response = staff.get(url)
    if name == "measure_list":
        assert len(response.context["table"].page.object_list) == 25


def test_the_round_page_makes_as_many_queries_for_30_measures_as_for_5(
    staff, document, officer, finance, works, django_assert_max_num_queries
):
    report = services.report_start(document=document, round_months=6, by=officer)
    add_measures(document, 5, officer, [finance, works])
    fill_entries(report, officer)
    url = reverse("measures:round_detail", args=["test-town", 2566, 6])
    baseline = queries_for(staff, url)
    add_measures(document, 25, officer, [finance, works])
    fill_entries(report, officer)
    with django_assert_max_num_queries(baseline):
        response = staff.get(url)
    assert len(response.context["table"].page.object_list) == 25


def test_the_round_page_counts_the_measures_done(staff, document, measure, officer):
    report = services.report_start(document=document, round_months=6, by=officer)
    services.entry_update(entry=report.entries.get(), by=officer, revision=None, status="done")
    response = staff.get(reverse("measures:round_detail", args=["test-town", 2566, 6]))
    assert (response.context["done"], response.context["total"]) == (1, 1)
    assert thai.round_label(6, thai_digits=False) in response.text
