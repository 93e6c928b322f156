"""The oversight dashboard's scores (issue 20): the announced ITA results of the organisations in
scope, checked against figures worked out by hand from the numbers written below, on the demo
data (the three seed towns and the new อบต. that the demo oversight account covers).

Fiscal year 2566 shows ITA 2565 (what the year's measures analyse) against ITA 2564. The demo
records one result, ทต.บ่อพลอย's ITA 2564 (announced 79.58, recomputed 79.78); the tests add
ITA 2565 and 2564 results with the numbers of RESULTS.
"""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from measures import services
from measures.devdata.demo import load_demo
from measures.models import (
    Assessment,
    DocumentStatus,
    Framework,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    Organisation,
    OversightScope,
)
from tests.factories import DocumentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("measures:oversight")
NOW = datetime(2023, 11, 2, 3, 0, tzinfo=UTC)  # 2 Nov 2566 in Bangkok: both rounds of 2566 are due

# Indicator scores of ITA 2565: a town's base score for every indicator, and its exceptions.
BASE = {"bo-phloi": "90.00", "thawon": "98.00", "khao-hua-chang": "75.00", "demo-new": "60.00"}
EXCEPTIONS = {
    1: {"bo-phloi": "90.00", "thawon": "100.00", "khao-hua-chang": "80.00", "demo-new": "60.00"},
    4: {"bo-phloi": "85.00", "thawon": "85.00", "khao-hua-chang": "84.99", "demo-new": "60.00"},
    9: {"bo-phloi": "70.00", "thawon": "96.00", "khao-hua-chang": "50.00", "demo-new": "60.00"},
}
# The totals and ratings as announced; demo-new's total was never entered (its recomputation must not count).
TOTALS_2565 = {"bo-phloi": ("86.40", "A"), "thawon": ("95.12", "AA"), "khao-hua-chang": ("74.90", "C")}
TOTALS_2564 = {"thawon": "96.00"}  # bo-phloi's 79.58 is the demo's own; khao-hua-chang has scores, no total


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def record(slug: str, year: int, *, total: str | None, rating: str = "", scores: dict[int, str]) -> None:
    framework = Framework.objects.prefetch_related("indicators").get(year=year)
    services.assessment_save(
        organisation=Organisation.objects.get(slug=slug),
        framework=framework,
        by=UserFactory(),
        indicator_scores={i: Decimal(scores[i.number]) for i in framework.indicators.all()},
        official_total=Decimal(total) if total else None,
        official_rating=rating,
    )


def scores_2565(slug: str) -> dict[int, str]:
    return {n: EXCEPTIONS.get(n, {}).get(slug, BASE[slug]) for n in range(1, 11)}


@pytest.fixture
def demo(db):
    load_demo()
    for slug in BASE:
        total, rating = TOTALS_2565.get(slug, (None, ""))
        record(slug, 2565, total=total, rating=rating, scores=scores_2565(slug))
    record("thawon", 2564, total=TOTALS_2564["thawon"], scores=dict.fromkeys(range(1, 11), "96.00"))
    record("khao-hua-chang", 2564, total=None, scores=dict.fromkeys(range(1, 11), "70.00"))


def page(client, **params):
    client.force_login(get_user_model().objects.get(username="oversight"))
    return client.get(URL, params)


def test_the_totals_are_the_announced_ones_counted_by_hand(demo, client):
    stats = page(client, year="2566").context["stats"]
    assert (stats.year, stats.organisations, stats.reported, stats.unreported) == (2565, 4, 3, 1)
    # (86.40 + 95.12 + 74.90) / 3 = 256.42 / 3 = 85.4733…
    assert stats.mean == Decimal("85.47")
    # 86.40 and 95.12 reach the pass mark 85; 2 of 3 = 66.67 %, 13.33 points short of the target 80 %.
    assert (stats.pass_mark, stats.passed, stats.pass_percent) == (Decimal("85.00"), 2, Decimal("66.67"))
    assert (stats.meets_target, stats.target_gap) == (False, Decimal("13.33"))
    assert [row.name for row in stats.rows] == ["เทศบาลตำบลเขาหัวช้าง", "เทศบาลตำบลบ่อพลอย", "เทศบาลตำบลถาวร"]


def test_the_bands_are_the_framework_s_grades_counted_by_hand(demo, client):
    stats = page(client, year="2566").context["stats"]
    found = [(band.label, band.range_text, band.count, band.percent) for band in stats.bands]
    third = Decimal("33.33")
    assert found == [
        ("AA", "95.00–100.00", 1, third),  # thawon 95.12
        ("A", "85.00–94.99", 1, third),  # bo-phloi 86.40
        ("B", "75.00–84.99", 0, Decimal("0.00")),
        ("C", "65.00–74.99", 1, third),  # khao-hua-chang 74.90
        ("D", "55.00–64.99", 0, Decimal("0.00")),
        ("E", "50.00–54.99", 0, Decimal("0.00")),
        ("F", "0.00–49.99", 0, Decimal("0.00")),
    ]


def test_the_change_from_last_year_counts_only_announced_totals_of_both_years(demo, client):
    stats = page(client, year="2566").context["stats"]
    changes = {row.slug: row.change for row in stats.rows}
    # bo-phloi 86.40 − 79.58 = 6.82; thawon 95.12 − 96.00 = −0.88; khao-hua-chang had no total in 2564.
    assert changes == {"bo-phloi": Decimal("6.82"), "thawon": Decimal("-0.88"), "khao-hua-chang": None}
    # (6.82 − 0.88) / 2 = 2.97
    assert (stats.compared, stats.mean_change, stats.improved, stats.declined, stats.unchanged) == (
        2,
        Decimal("2.97"),
        1,
        1,
        0,
    )


def test_each_indicator_is_counted_by_hand_the_pass_mark_itself_is_not_below(demo, client):
    stats = page(client, year="2566").context["stats"]
    by_number = {i.number: i for i in stats.indicators}
    one, four, nine, two = by_number[1], by_number[4], by_number[9], by_number[2]
    # 1: 90 + 100 + 80 + 60 = 330 → 82.50; below 85: 80 and 60.
    assert (one.count, one.mean, one.lowest, one.highest, one.below) == (
        4,
        Decimal("82.50"),
        Decimal("60.00"),
        Decimal("100.00"),
        2,
    )
    # 4: 85 + 85 + 84.99 + 60 = 314.99 → 78.7475 → 78.75; the two 85.00 are not below the mark.
    assert (four.mean, four.below, four.bands) == (Decimal("78.75"), 2, (0, 2, 1, 0, 1, 0, 0))
    # 9: 70 + 96 + 50 + 60 = 276 → 69.00; 96 AA, 70 C, 60 D, 50 E.
    assert (nine.mean, nine.below, nine.bands) == (Decimal("69.00"), 3, (1, 0, 0, 1, 1, 1, 0))
    # The others: 90 + 98 + 75 + 60 = 323 → 80.75.
    assert (two.mean, two.lowest, two.highest, two.below) == (Decimal("80.75"), Decimal("60.00"), Decimal("98.00"), 2)
    assert [i.number for i in stats.weakest] == [9, 4, 2]  # 69.00, 78.75, then 80.75 (the lowest number)


def test_the_page_shows_the_figures_and_links_each_organisation_to_its_public_page(demo, client):
    text = page(client, year="2566").text
    assert "ผลการประเมิน ITA พ.ศ. 2565" in text
    assert "3 จาก 4 แห่ง" in text and "ยังไม่ได้บันทึกผล 1 แห่ง" in text
    assert "ร้อยละ 66.67" in text and "ต่ำกว่าเป้าหมาย 13.33 จุด" in text
    assert '<div class="big">+2.97</div>' in text and "ดีขึ้น 1 ลดลง 1 เท่าเดิม 0" in text
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (OIT): เฉลี่ย 69.00" in text
    for slug in ("bo-phloi", "thawon", "khao-hua-chang"):
        assert f'href="{reverse("reports:organisation", args=[slug])}"' in text
    assert "\u22120.88" in text  # thawon's decline, with a real minus sign


def test_an_announced_total_is_used_never_the_recomputed_one(demo, client):
    stats = page(client, year="2565").context["stats"]  # ITA 2564: bo-phloi announced 79.58, recomputed 79.78
    assert [(row.slug, row.total, row.rating) for row in stats.rows] == [
        ("bo-phloi", Decimal("79.58"), "B"),
        ("thawon", Decimal("96.00"), ""),
    ]
    assert stats.mean == Decimal("87.79")  # (79.58 + 96.00) / 2
    # khao-hua-chang's 2564 scores have no announced total: they count for the indicators only.
    assert (stats.reported, {i.number: i.count for i in stats.indicators}[1]) == (2, 3)


def test_a_year_without_a_framework_says_so(demo, client):
    DocumentFactory(organisation=Organisation.objects.get(slug="demo-new"), fiscal_year=2564)  # 2564 can be chosen
    response = page(client, year="2564")  # ITA 2563: no framework in the portal
    assert response.context["stats"] is None
    assert "ยังไม่มีเกณฑ์การประเมิน ITA พ.ศ. 2563" in response.text


def test_no_draft_reaches_the_page_or_the_export(demo, client):
    drafts = MeasuresDocument.objects.filter(status=DocumentStatus.DRAFT)
    assert drafts.exists()
    secrets = [d.title for d in drafts] + list(Measure.objects.values_list("title", flat=True)[:20])
    text = page(client, year="2566").text
    export = page(client, year="2566", export="csv").content.decode("utf-8")
    for secret in secrets:
        assert secret not in text
        assert secret not in export


def test_the_export_has_the_scores_of_each_organisation(demo, client):
    text = page(client, year="2566", export="csv").content.decode("utf-8")
    records = {r["หน่วยงาน"]: r for r in csv.DictReader(io.StringIO(text[1:]))}
    bo_phloi = records["เทศบาลตำบลบ่อพลอย"]
    assert bo_phloi["คะแนนรวม ITA 2565 (ที่ประกาศ)"] == "86.40"
    assert bo_phloi["ระดับผล ITA 2565 (ที่ประกาศ)"] == "A"
    assert bo_phloi["ผ่านเกณฑ์ 85 คะแนน (ITA 2565)"] == "ผ่าน"
    assert bo_phloi["คะแนนรวม ITA 2564 (ที่ประกาศ)"] == "79.58"
    assert bo_phloi["เปลี่ยนแปลงจาก ITA 2564"] == "6.82"
    assert bo_phloi["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (ITA 2565)"] == "70.00"
    assert bo_phloi["ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ (ITA 2565)"] == "85.00"
    new = records["องค์การบริหารส่วนตำบลทดลองระบบ"]
    assert (new["คะแนนรวม ITA 2565 (ที่ประกาศ)"], new["ผ่านเกณฑ์ 85 คะแนน (ITA 2565)"]) == ("", "")
    assert new["ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (ITA 2565)"] == "60.00"
    assert records["เทศบาลตำบลถาวร"]["เปลี่ยนแปลงจาก ITA 2564"] == "-0.88"


def test_the_xlsx_export_has_the_score_columns(demo, client):
    response = page(client, year="2566", export="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert "คะแนนรวม ITA 2565 (ที่ประกาศ)" in headers
    assert sum(header.startswith("ตัวชี้วัดที่ ") for header in headers) == 10
    column = headers.index("คะแนนรวม ITA 2565 (ที่ประกาศ)")
    totals = sorted(Decimal(str(row[column].value)) for row in sheet.iter_rows(min_row=2) if row[column].value)
    assert totals == [Decimal("74.90"), Decimal("86.40"), Decimal("95.12")]  # numbers, not texts


def test_the_filters_narrow_the_scores(demo, client):
    stats = page(client, year="2566", province="บุรีรัมย์").context["stats"]
    assert (stats.organisations, stats.reported, stats.mean) == (1, 1, Decimal("95.12"))


# --- Bounded queries -------------------------------------------------------------------------


def populate(province: str, count: int) -> None:
    """``count`` organisations of ``province`` with ITA 2565 and 2564 results and a 2566 document in various states."""
    frameworks = {year: Framework.objects.prefetch_related("indicators").get(year=year) for year in (2564, 2565)}
    states = [None, DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.PUBLISHED]
    for n in range(count):
        organisation = OrganisationFactory(province=province, district=f"อำเภอที่{n % 5}")
        if states[n % 4]:
            DocumentFactory(organisation=organisation, fiscal_year=2566, status=states[n % 4])
        for framework in frameworks.values():
            assessment = Assessment.objects.create(
                organisation=organisation, framework=framework, official_total=Decimal(70 + n % 30)
            )
            IndicatorScore.objects.bulk_create(
                IndicatorScore(assessment=assessment, indicator=i, score=Decimal(60 + (n + i.number) % 40))
                for i in framework.indicators.all()
            )


def scope(username: str, province: str):
    user = UserFactory(username=username)
    OversightScope.objects.create(user=user, province=province)
    return user


@pytest.mark.parametrize("params", [{"year": "2566"}, {"year": "2566", "export": "csv"}])
def test_thirty_organisations_cost_the_same_queries_as_three(params, client, django_assert_num_queries):
    small, large = scope("small", "ชัยนาท"), scope("large", "บุรีรัมย์")
    populate("ชัยนาท", 3)
    populate("บุรีรัมย์", 30)
    client.force_login(small)
    with CaptureQueriesContext(connection) as three:
        response = client.get(URL, params)
    assert response.status_code == 200
    client.force_login(large)
    with django_assert_num_queries(len(three)):
        response = client.get(URL, params)
    if "export" in params:
        assert response.content.decode("utf-8").count("\r\n") == 31
    else:
        assert (response.context["stats"].reported, len(response.context["behind"])) == (30, 30)
