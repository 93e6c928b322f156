"""New ITA years as data (2568, 2569), and a portal that never asks for a year it cannot take.

Today is in fiscal year 2570 (1 Oct 2569 – 30 Sep 2570, i.e. 1 Oct 2026 – 30 Sep 2027): its
measures rest on the ITA 2569 result.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from measures import services, workflow
from measures.loaders import load_frameworks, read_json
from measures.models import Framework, MeasuresDocument
from tests.bad_input.conftest import database_state

pytestmark = pytest.mark.django_db

FRAMEWORKS = Path(settings.BASE_DIR) / "fixtures" / "frameworks"
TODAY = date(2026, 12, 6)  # fiscal year 2570
DASHBOARD = "/staff/"
MISSING_2569 = (
    "ผู้ดูแลระบบยังไม่ได้เพิ่มเกณฑ์ ITA ปี พ.ศ. 2569 จึงยังบันทึกผลการประเมินของปีนี้"
    " และสร้างเอกสารมาตรการ ปีงบประมาณ พ.ศ. 2570 ที่วิเคราะห์ผลปีนี้ไม่ได้"
    " กรุณาแจ้งผู้ดูแลระบบของเว็บไซต์ให้เพิ่มเกณฑ์ของปีนี้ (เริ่มจากเกณฑ์ปีก่อนในหน้าผู้ดูแลระบบได้)"
)


def at(day: date):
    """Travel to noon (Bangkok) of `day`."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC), tick=False)


def todo(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return [item for row in response.context["rows"] for item in row["todo"]]


def texts(client) -> list[str]:
    return [item.text for item in todo(client)]


@pytest.fixture
def without_2569():
    Framework.objects.filter(year=2569).delete()


# --- The frameworks as data -------------------------------------------------------------------


@pytest.mark.parametrize("year", [2568, 2569])
def test_the_new_years_carry_the_2567_structure(year):
    framework, earlier = Framework.objects.get(year=year), Framework.objects.get(year=2567)
    assert framework.title == f"ITA ประจำปีงบประมาณ พ.ศ. {year}"
    assert list(framework.tools.values_list("code", "weight")) == list(earlier.tools.values_list("code", "weight"))
    assert framework.indicators.count() == 10 and framework.items.count() == 88
    assert list(framework.items.values_list("code", flat=True)) == list(earlier.items.values_list("code", flat=True))
    assert (framework.measures_item_code, framework.report_item_code) == ("O42", "O43")


@pytest.mark.parametrize("year", [2568, 2569])
def test_what_is_not_confirmed_for_the_new_years_is_marked_uncertain(year):
    framework = Framework.objects.get(year=year)
    assert not framework.items.filter(uncertain=False).exists()
    assert not framework.rating_rules.filter(uncertain=False).exists()
    assert "[U]" in framework.notes


@pytest.mark.parametrize("year", [2567, 2568, 2569])
def test_the_newer_ratings_know_the_letter_printed_with_pass_good(year):
    rules = Framework.objects.get(year=year).rating_rules.all()
    assert [(r.label, r.grade) for r in rules] == [
        ("ผ่านดีเยี่ยม", ""),
        ("ผ่านดี", "A"),
        ("ผ่าน", ""),
        ("ต้องปรับปรุง", ""),
        ("ต้องปรับปรุงโดยด่วน", ""),
    ]


def test_loading_the_shipped_frameworks_again_writes_nothing():
    before = database_state()
    load_frameworks(FRAMEWORKS)
    assert database_state() == before


def test_every_framework_file_is_said_certain_or_assumed_in_the_readme():
    readme = (FRAMEWORKS / "README.md").read_text(encoding="utf-8")
    for path in sorted(FRAMEWORKS.glob("ita-*.json")):
        assert f"`{path.name}`" in readme
        assert str(read_json(path)["year"]) in readme
    assert "ITA 2568" in readme and "ITA 2569" in readme and "assumed" in readme


def test_every_framework_file_is_in_the_format_of_the_others():
    for path in sorted(FRAMEWORKS.glob("ita-*.json")):
        data = read_json(path)
        assert sum(Decimal(t["weight"]) for t in data["tools"]) == Decimal("100"), path.name
        assert [i["order"] for i in data["items"]] == list(range(1, len(data["items"]) + 1)), path.name
        assert data["rating_rules"][-1]["min_total"] == "0.00", path.name
        assert path.read_text(encoding="utf-8").isascii() is False  # real Thai, not \u escapes


# --- ITA 2568 scores can be entered and recomputed --------------------------------------------


def test_ita_2568_scores_entered_through_the_form_are_recomputed(client_for, officer, organisation):
    thai_scores = ["๙๘.๕๐", "๙๗.๐๐", "๙๖.๕๐", "๙๙.๐๐", "๙๕.๕๐", "๙๐.๑๒", "๘๘.๗๖", "๙๒.๐๐", "๑๐๐", "๙๗.๕๐"]
    data = {f"indicator_{n}": value for n, value in enumerate(thai_scores, start=1)} | {"official_total": "95.37"}
    staff = client_for(officer)
    response = staff.post(reverse("measures:assessment_edit", args=["test-town", 2568]), data)
    assert response.status_code == 302
    assert response.url == reverse("measures:assessment_detail", args=["test-town", 2568])
    card = staff.get(response.url).context["card"]
    # IIT 97.30, EIT 90.29, OIT 98.75: total 0.3 × 97.30 + 0.3 × 90.2933… + 0.4 × 98.75 = 95.78.
    assert {t.tool.code: round(t.computed, 2) for t in card.tools} == {
        "IIT": Decimal("97.30"),
        "EIT": Decimal("90.29"),
        "OIT": Decimal("98.75"),
    }
    assert round(card.total_computed, 2) == Decimal("95.78")
    assert card.rating_computed.label == "ผ่านดี"  # EIT below 95: not ผ่านดีเยี่ยม
    assert [(m.label, m.official, m.computed) for m in card.mismatches] == [
        ("คะแนนรวม", Decimal("95.37"), Decimal("95.78"))
    ]


# --- The choice of a year ------------------------------------------------------------------


def test_the_year_form_offers_only_years_with_a_framework_and_starts_on_the_wanted_one(client_for, officer):
    with at(TODAY):
        response = client_for(officer).get(reverse("measures:assessment_new", args=["test-town"]))
    field = response.context["form"]["framework"]
    offered = [label for _value, label in field.field.choices]
    assert offered == [f"ITA {year}" for year in Framework.objects.order_by("-year").values_list("year", flat=True)]
    assert offered[0] == "ITA 2569"
    assert field.value() == Framework.objects.get(year=2569).pk
    assert response.context["form"].missing_text == ""


def test_without_the_wanted_framework_the_year_form_says_what_is_missing_and_who_adds_it(
    client_for, officer, without_2569
):
    with at(TODAY):
        response = client_for(officer).get(reverse("measures:assessment_new", args=["test-town"]))
    assert MISSING_2569 in " ".join(response.content.decode().split())
    assert "ITA 2569" not in [label for _v, label in response.context["form"]["framework"].field.choices]


def test_a_year_not_offered_is_refused_in_thai(client_for, officer):
    response = client_for(officer).get(reverse("measures:assessment_new", args=["test-town"]), {"framework": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["framework"] == ["ไม่มีเกณฑ์การประเมิน ITA ของปีที่เลือก กรุณาเลือกปีจากรายการ"]


def test_the_score_form_of_a_year_without_framework_says_what_is_missing(client_for, officer, without_2569):
    response = client_for(officer).get(reverse("measures:assessment_edit", args=["test-town", 2569]))
    assert response.status_code == 404
    assert MISSING_2569 in " ".join(response.content.decode().split())


def test_the_new_document_form_refuses_a_year_whose_basis_framework_is_missing(client_for, officer, without_2569):
    with at(TODAY):
        response = client_for(officer).post(
            reverse("measures:document_new", args=["test-town"]), {"fiscal_year": "2570"}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"] == [MISSING_2569]
    assert not MeasuresDocument.objects.exists()


def test_the_new_document_form_says_which_years_it_can_take_and_starts_on_this_one(client_for, officer):
    with at(TODAY):
        form = client_for(officer).get(reverse("measures:document_new", args=["test-town"])).context["form"]
    assert form.fields["fiscal_year"].help_text == "สร้างได้เฉพาะปีที่มีเกณฑ์ ITA ของปีก่อนหน้าแล้ว: พ.ศ. 2565–2570"
    assert form["fiscal_year"].value() == 2570


def test_copying_a_document_to_a_year_whose_basis_framework_is_missing_is_refused(
    client_for, officer, document, without_2569
):
    url = reverse("measures:document_copy", args=["test-town", 2566])
    response = client_for(officer).post(url, {"fiscal_year": "2570"})
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"] == [MISSING_2569]


# --- The to-do list ---------------------------------------------------------------------------


def test_a_new_organisation_today_is_asked_for_the_ita_2569_result_and_the_2570_document(client_for, officer, chain):
    with at(TODAY):
        items = todo(client_for(officer))
        assert [(i.text, i.url) for i in items] == [
            (
                "ยังไม่ได้บันทึกผลการประเมิน ITA ปี พ.ศ. 2569 ที่ใช้วิเคราะห์ในเอกสารมาตรการปีนี้",
                reverse("measures:assessment_new", args=["test-town"]),
            ),
            (
                "ยังไม่มีเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. 2570",
                reverse("measures:document_new", args=["test-town"]),
            ),
        ]
        # Each link opens a form that takes that very year.
        year_form = client_for(officer).get(items[0].url).context["form"]
        assert year_form["framework"].value() == Framework.objects.get(year=2569).pk
        created = client_for(officer).post(items[1].url, {"fiscal_year": "2570"})
    assert created.status_code == 302
    assert MeasuresDocument.objects.get().basis_framework.year == 2569


def test_without_the_2569_framework_the_list_says_who_can_add_it_and_links_nowhere(
    client_for, officer, chain, without_2569
):
    with at(TODAY):
        items = todo(client_for(officer))
        html = client_for(officer).get(DASHBOARD).content.decode()
    assert [(i.text, i.url, i.action) for i in items] == [(MISSING_2569, "", "แจ้งผู้ดูแลระบบ")]
    assert reverse("measures:assessment_new", args=["test-town"]) not in html
    assert reverse("measures:document_new", args=["test-town"]) not in html


def test_the_list_never_links_to_a_year_without_a_framework(client_for, officer, chain):
    for year in Framework.objects.values_list("year", flat=True):
        with at(date(year - 543, 12, 1)):  # fiscal year year + 1, which analyses ITA `year`
            items = todo(client_for(officer))
        assert items[0].url == reverse("measures:assessment_new", args=["test-town"])
    with at(date(2027, 12, 1)):  # fiscal year 2571: ITA 2570 has no framework
        assert [i.url for i in todo(client_for(officer))] == [""]


def test_an_open_round_of_an_old_year_stays_on_the_list(client_for, officer, approved):
    services.report_start(document=approved, round_months=6, by=officer)
    with at(TODAY):
        items = todo(client_for(officer))
    late = [i for i in items if i.text.startswith("รายงานผล")]
    assert [(i.text, i.urgent) for i in late] == [
        ("รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 เลยกำหนดส่งแล้วเมื่อ 30 เมษายน พ.ศ. 2566", True)
    ]
    assert late[0].url == reverse("measures:round_detail", args=["test-town", 2566, 6])


def test_a_returned_round_of_an_old_year_stays_on_the_list(client_for, officer, approved, heads):
    report = services.report_start(document=approved, round_months=12, by=officer)
    submission = workflow.submit(target=report, by=officer)
    workflow.decide(submission=submission, by=heads[0], approve=False, comment="แนบหลักฐานเพิ่ม")
    with at(TODAY):
        items = todo(client_for(officer))
    assert items[0].text == "รายงานผลรอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566 ถูกส่งกลับให้แก้ไข"
    assert items[0].urgent


def test_a_round_of_an_old_year_never_started_is_not_asked_for(client_for, officer, approved):
    with at(TODAY):
        assert not [text for text in texts(client_for(officer)) if text.startswith("รายงานผล")]
    # What still waits of that year is asked for: its approved document is not published yet.
    assert "เอกสารมาตรการ ปีงบประมาณ พ.ศ. 2566 อนุมัติแล้ว รอเผยแพร่บนเว็บไซต์" in texts(client_for(officer))


def test_a_round_started_but_not_yet_due_is_listed_as_open(client_for, officer, approved):
    services.report_start(document=approved, round_months=12, by=officer)
    with at(date(2023, 1, 10)):  # fiscal year 2566: the 12-month round is due on 31 October 2566
        assert "รายงานผลรอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566 ยังไม่ได้เสนอเพื่อพิจารณา" in texts(client_for(officer))


def test_a_contributor_is_told_about_an_open_round_of_an_old_year(client_for, contributor, officer, approved):
    services.report_start(document=approved, round_months=6, by=officer)
    with at(TODAY):
        assert texts(client_for(contributor)) == [
            "รายงานผลรอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566: มาตรการที่หน่วยงานของคุณรับผิดชอบ 1 รายการยังไม่ได้กรอกผล"
        ]


def test_the_dashboard_queries_do_not_grow_with_the_years_on_record(
    client_for, officer, approved, django_assert_max_num_queries
):
    services.report_start(document=approved, round_months=6, by=officer)
    client = client_for(officer)
    with at(TODAY):
        client.get(DASHBOARD)
        with django_assert_max_num_queries(len(apps.get_models())) as counted:
            client.get(DASHBOARD)
    few = len(counted.captured_queries)
    for year in (2567, 2568, 2569):
        services.report_start(
            document=services.document_create(organisation=approved.organisation, fiscal_year=year, by=officer),
            round_months=6,
            by=officer,
        )
    with at(TODAY), django_assert_max_num_queries(few):
        client.get(DASHBOARD)
