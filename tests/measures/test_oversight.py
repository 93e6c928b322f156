"""The oversight dashboard: every overseen organisation's state at a glance, read-only.

An oversight user covers organisations one by one (an OVERSIGHT membership) or by area (an
OversightScope: a province, or one district of it). He sees states, dates, overdue measures
and the latest ITA result; he never opens a draft and changes nothing.
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from measures import services, workflow
from measures.models import (
    Assessment,
    DocumentStatus,
    Framework,
    IndicatorScore,
    Membership,
    OversightScope,
    ProgressReport,
    Submission,
)
from measures.scoring import scorecard_for
from reports import publishing
from reports.models import Publication
from tests.factories import (
    DocumentFactory,
    MeasureFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2023, 5, 2, 3, 0, tzinfo=UTC)  # 2 May 2023 in Bangkok: fiscal year 2566
TODAY = "2 พ.ค. 2566"
URL = reverse("measures:oversight")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def province(db):
    """ท้องถิ่นจังหวัดนครปฐม: one scope row covers every organisation of the province."""
    user = UserFactory(username="province")
    OversightScope.objects.create(user=user, province="นครปฐม")
    return user


def scope(username: str, province: str, district: str = ""):
    user = UserFactory(username=username)
    OversightScope.objects.create(user=user, province=province, district=district)
    return user


def rows(response) -> dict[str, dict[str, str]]:
    """The page's table as {organisation name: {column: text of the cell}}."""
    table = response.context["table"]
    names = [column.name for column in table.columns]
    return {
        row.record.name: {
            name: " ".join(strip_tags(str(row.get_cell(name)).replace("<br>", " ")).split()) for name in names
        }
        for row in table.page.object_list
    }


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


# --- Who may open it ----------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["officer", "org_admin", "approver", "contributor", "outsider"])
def test_a_user_without_the_oversight_role_is_refused(persona, client, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_an_inactive_scope_and_an_inactive_membership_give_no_dashboard(client, province, oversight):
    OversightScope.objects.update(is_active=False)
    Membership.objects.filter(user=oversight).update(is_active=False)
    assert get(client, province).status_code == 403
    assert get(client, oversight).status_code == 403


def test_a_province_scope_covers_every_organisation_of_the_province_even_one_added_later(
    client, province, organisation
):
    OrganisationFactory(name="เทศบาลเมืองสุพรรณบุรี", province="สุพรรณบุรี")
    later = OrganisationFactory(name="องค์การบริหารส่วนตำบลใหม่", province="นครปฐม", district="กำแพงแสน")
    response = get(client, province)
    assert response.status_code == 200
    assert set(rows(response)) == {organisation.name, later.name}


def test_a_district_scope_covers_only_that_district(client, organisation):
    OrganisationFactory(name="องค์การบริหารส่วนตำบลกำแพงแสน", province="นครปฐม", district="กำแพงแสน")
    district = scope("district", "นครปฐม", "เมือง")
    assert set(rows(get(client, district))) == {organisation.name}


def test_an_oversight_membership_covers_its_organisation_only(client, oversight, organisation):
    OrganisationFactory(name="เทศบาลตำบลข้างเคียง")  # same province, no membership
    assert set(rows(get(client, oversight))) == {organisation.name}


def test_a_scope_names_the_province_as_organisations_store_it():
    area = OversightScope(user=UserFactory(), province=" จังหวัดนครปฐม ", district="อำเภอเมือง")
    area.clean()
    assert (area.province, area.district) == ("นครปฐม", "เมือง")


# --- What a row says ----------------------------------------------------------------------


def test_an_organisation_without_a_document_has_not_started(client, province, organisation):
    row = rows(get(client, province))[organisation.name]
    assert (row["doc"], row["r6"], row["r12"]) == ("ยังไม่เริ่ม", "ยังไม่เริ่ม", "ยังไม่เริ่ม")
    assert row["fiscal_year"] == "2566"


def test_a_draft_shows_as_draft(client, province, organisation, document):
    assert rows(get(client, province))[organisation.name]["doc"] == "ร่าง"


def test_a_document_waiting_for_sign_off_shows_the_step_and_since_when(
    client,
    province,
    organisation,
    submission,
    heads,  # noqa: F811
):
    workflow.decide(submission=submission, by=heads[0], approve=True)
    assert rows(get(client, province))[organisation.name]["doc"] == f"รอการพิจารณา: ปลัดเทศบาล ตั้งแต่ {TODAY}"


def test_an_approved_document_shows_the_day_of_approval(client, province, organisation, approved):  # noqa: F811
    assert rows(get(client, province))[organisation.name]["doc"] == f"อนุมัติแล้ว {TODAY}"


def test_a_published_document_links_to_its_public_address(client, province, organisation, approved, officer):  # noqa: F811
    publishing.publish(target=approved, by=officer)
    response = get(client, province)
    public = reverse("reports:publication_latest", args=["test-town", 2566, "measures"])
    assert rows(response)[organisation.name]["doc"] == f"เผยแพร่แล้ว {TODAY}"
    assert f'href="{public}"' in response.text


def test_a_reopened_document_is_a_draft_that_still_links_to_the_published_version(
    client,
    province,
    organisation,
    approved,
    officer,  # noqa: F811
):
    publishing.publish(target=approved, by=officer)
    workflow.reopen(target=approved, by=officer)
    assert rows(get(client, province))[organisation.name]["doc"] == f"ร่าง ฉบับที่เผยแพร่อยู่: {TODAY}"


def test_each_round_has_its_own_state(client, province, organisation, document, measure, chain, officer):  # noqa: F811
    services.report_start(document=document, round_months=6, by=officer)
    workflow.submit(target=services.report_start(document=document, round_months=12, by=officer), by=officer)
    row = rows(get(client, province))[organisation.name]
    assert row["r6"] == "ร่าง"
    assert row["r12"] == f"รอการพิจารณา: หัวหน้าสำนักปลัด ตั้งแต่ {TODAY}"


def test_overdue_counts_ended_measures_without_a_done_entry(client, province, organisation, document, officer):
    ended = MeasureFactory(document=document, period_start=date(2022, 10, 1), period_end=date(2023, 3, 31))
    MeasureFactory(document=document, period_start=date(2022, 10, 1), period_end=date(2023, 3, 31))
    MeasureFactory(document=document)  # runs to 30 September 2023
    report = services.report_start(document=document, round_months=6, by=officer)
    services.entry_update(entry=report.entries.get(measure=ended), by=officer, revision=None, status="done")
    assert rows(get(client, province))[organisation.name]["overdue"] == "1"


def test_the_latest_ita_total_and_grade_are_shown(client, province, organisation, officer):
    for year in (2564, 2565):
        framework = Framework.objects.get(year=year)
        assessment = services.assessment_save(
            organisation=organisation,
            framework=framework,
            by=officer,
            indicator_scores={i: Decimal(year - 2480) for i in framework.indicators.all()},
        )
    card = scorecard_for(assessment)
    assert rows(get(client, province))[organisation.name]["ita"] == f"{card.total} {card.rating} ITA 2565"


# --- Never a draft's content, never a change -----------------------------------------------


def test_the_dashboard_links_only_to_public_pages(client, province, organisation, submission):  # noqa: F811
    response = get(client, province)
    assert reverse("reports:organisation", args=["test-town"]) in response.text
    assert "/staff/test-town/" not in response.text
    assert submission.document.title not in response.text
    assert "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง" not in response.text  # the measure's title


STAFF_PAGES = [
    ("measures:document_detail", ["test-town", 2566]),
    ("measures:document_export", ["test-town", 2566, "csv"]),
    ("measures:document_editions", ["test-town", 2566]),
    ("reports:document_print", ["test-town", 2566]),
    ("reports:document_pdf", ["test-town", 2566]),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_a_province_oversight_user_cannot_open_a_draft(name, args, client, province, document):
    client.force_login(province)
    assert client.get(reverse(name, args=args)).status_code == 404  # not a member of the organisation


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_an_oversight_member_cannot_open_a_draft(name, args, client, oversight, document):
    client.force_login(oversight)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_an_oversight_member_cannot_open_the_review_or_the_memo_of_a_submission(client, oversight, submission):  # noqa: F811
    client.force_login(oversight)
    for url in (
        reverse("measures:review", args=["test-town", submission.pk]),
        reverse("measures:memo", args=["test-town", submission.pk]),
        reverse("reports:memo_print", args=["test-town", submission.pk]),
        reverse("reports:memo_pdf", args=["test-town", submission.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_dashboard_answers_only_get(client, province):
    client.force_login(province)
    assert client.post(URL).status_code == 405


# --- Filters and sorting ---------------------------------------------------------------------


@pytest.fixture
def towns(organisation, document, officer):
    """test-town (เมือง) has a draft for 2566; บางเลน has nothing; a Suphan Buri town is out of scope."""
    bang_len = OrganisationFactory(name="เทศบาลตำบลบางเลน", district="บางเลน", slug="bang-len")
    DocumentFactory(organisation=bang_len, fiscal_year=2565, status=DocumentStatus.PUBLISHED)
    OrganisationFactory(name="เทศบาลเมืองสุพรรณบุรี", province="สุพรรณบุรี")
    return {"test-town": organisation, "bang-len": bang_len}


def test_the_year_defaults_to_the_current_thai_fiscal_year(client, province, towns):
    response = get(client, province)
    assert response.context["year"] == 2566
    assert response.context["filter"].form["year"].value() == "2566"


def test_another_year_shows_that_year_s_documents(client, province, towns):
    found = rows(get(client, province, year="2565"))
    assert found["เทศบาลตำบลบางเลน"]["doc"].startswith("เผยแพร่แล้ว")
    assert found["เทศบาลตำบลทดสอบ"]["doc"] == "ยังไม่เริ่ม"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"district": "บางเลน"}, {"เทศบาลตำบลบางเลน"}),
        ({"state": "draft"}, {"เทศบาลตำบลทดสอบ"}),
        ({"state": "not_started"}, {"เทศบาลตำบลบางเลน"}),
        ({"round_6": "not_started"}, {"เทศบาลตำบลทดสอบ", "เทศบาลตำบลบางเลน"}),
        ({"q": "บางเลน"}, {"เทศบาลตำบลบางเลน"}),
        ({"province": "นครปฐม"}, {"เทศบาลตำบลทดสอบ", "เทศบาลตำบลบางเลน"}),
    ],
)
def test_filters_narrow_the_rows(params, expected, client, province, towns):
    assert set(rows(get(client, province, **params))) == expected


def test_the_overdue_filter_keeps_organisations_with_overdue_measures(client, province, towns, document):
    MeasureFactory(document=document, period_start=date(2022, 10, 1), period_end=date(2023, 1, 31))
    assert set(rows(get(client, province, overdue="yes"))) == {"เทศบาลตำบลทดสอบ"}
    assert set(rows(get(client, province, overdue="no"))) == {"เทศบาลตำบลบางเลน"}


def test_sorting_by_the_measures_document_goes_from_not_started_to_published(client, province, towns):
    assert list(rows(get(client, province, sort="doc"))) == ["เทศบาลตำบลบางเลน", "เทศบาลตำบลทดสอบ"]
    assert list(rows(get(client, province, sort="-doc"))) == ["เทศบาลตำบลทดสอบ", "เทศบาลตำบลบางเลน"]


@pytest.mark.parametrize("column", ["organisation", "province", "district", "doc", "r6", "r12", "overdue", "ita"])
def test_every_sortable_column_sorts_both_ways(column, client, province, towns):
    for sort in (column, f"-{column}"):
        assert len(rows(get(client, province, sort=sort))) == 2


def test_the_summary_counts_organisations_per_state(client, province, towns):
    summary = get(client, province).context["summary"]
    assert summary["total"] == 2
    assert summary["states"]["doc"] == {"not_started": 1, "draft": 1, "submitted": 0, "approved": 0, "published": 0}


# --- CSV export ------------------------------------------------------------------------------


def test_the_csv_export_has_a_bom_thai_headers_and_buddhist_era_dates(
    client,
    province,
    organisation,
    approved,  # noqa: F811
    officer,
):
    publishing.publish(target=approved, by=officer)
    response = get(client, province, export="csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert response["Content-Disposition"].endswith('ita-oversight-2566.csv"')
    [record] = list(csv.DictReader(io.StringIO(text[1:])))
    assert record["หน่วยงาน"] == "เทศบาลตำบลทดสอบ"
    assert record["สถานะเอกสารมาตรการ"] == "เผยแพร่แล้ว"
    assert record["วันที่ (เอกสารมาตรการ)"] == "02/05/2566"
    assert record["ที่อยู่เผยแพร่ (เอกสารมาตรการ)"] == "http://testserver/test-town/2566/measures/"
    assert record["สถานะรายงานรอบ 6 เดือน"] == "ยังไม่เริ่ม"


def test_the_export_follows_the_filters(client, province, towns):
    text = get(client, province, export="csv", state="draft").content.decode("utf-8")
    names = [r["หน่วยงาน"] for r in csv.DictReader(io.StringIO(text[1:]))]
    assert names == ["เทศบาลตำบลทดสอบ"]


def test_an_unknown_export_format_is_not_found(client, province):
    assert get(client, province, export="pdf").status_code == 404


# --- The staff dashboard links to it ---------------------------------------------------------


def test_the_staff_dashboard_links_an_oversight_user_to_the_dashboard(client, province):
    client.force_login(province)
    response = client.get(reverse("measures:dashboard"))
    assert URL in response.text
    assert "ยังไม่ได้รับสิทธิ์" not in response.text


def test_the_staff_dashboard_leaves_organisations_only_overseen_to_the_oversight_dashboard(client, oversight, document):
    client.force_login(oversight)
    response = client.get(reverse("measures:dashboard"))
    assert URL in response.text
    assert "/staff/test-town/" not in response.text


def test_the_organisation_page_of_an_oversight_member_lists_states_without_links_to_drafts(client, oversight, document):
    client.force_login(oversight)
    response = client.get(reverse("measures:organisation", args=["test-town"]))
    assert document.title in response.text and "ร่าง" in response.text
    assert reverse("measures:document_detail", args=["test-town", 2566]) not in response.text
    assert reverse("reports:organisation", args=["test-town"]) in response.text


def test_the_staff_dashboard_has_no_oversight_link_for_an_officer(client, officer):
    client.force_login(officer)
    assert URL not in client.get(reverse("measures:dashboard")).text


# --- Bounded queries -------------------------------------------------------------------------


def populate(province: str, count: int) -> None:
    """`count` organisations of `province`, each in a different state, with rounds, publications and scores."""
    framework = Framework.objects.get(year=2565)
    indicators = list(framework.indicators.all())
    publisher = UserFactory(username=f"publisher-{province}")
    states = [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.APPROVED, DocumentStatus.PUBLISHED]
    for n in range(count):
        organisation = OrganisationFactory(province=province, district=f"อำเภอที่{n % 7}")
        state = states[n % 4]
        document = DocumentFactory(organisation=organisation, fiscal_year=2566, status=state)
        MeasureFactory(document=document, period_start=date(2022, 10, 1), period_end=date(2023, 1, 31))
        report = ProgressReport.objects.create(document=document, round=6, status=state)
        for target in (document, report):
            key = {"document": target} if target is document else {"report": target}
            if state == DocumentStatus.SUBMITTED:
                Submission.objects.create(
                    **key,
                    steps=[{"title": "ปลัดเทศบาล", "acting_for": "", "approver_ids": []}],
                    submitted_by=publisher,
                    submitted_at=NOW,
                    waiting_since=NOW,
                )
            if state in (DocumentStatus.APPROVED, DocumentStatus.PUBLISHED):
                Submission.objects.create(
                    **key,
                    status=Submission.Status.APPROVED,
                    submitted_by=publisher,
                    submitted_at=NOW,
                    waiting_since=NOW,
                    closed_at=NOW,
                )
            if state == DocumentStatus.PUBLISHED:
                Publication.objects.create(
                    organisation=organisation,
                    fiscal_year=2566,
                    version=1,
                    edition=1,
                    title="x",
                    data={},
                    kind="measures" if target is document else "report-6",
                    **key,
                    html="",
                    body_html="",
                    pdf="publications/x.pdf",
                    sha256="0" * 64,
                    pdf_size=1,
                    published_by=publisher,
                    published_at=NOW,
                )
        assessment = Assessment.objects.create(organisation=organisation, framework=framework)
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=assessment, indicator=i, score=Decimal("80")) for i in indicators
        )


def test_two_hundred_organisations_cost_the_same_queries_as_five(client, django_assert_max_num_queries):
    small, large = scope("small", "ชัยนาท"), scope("large", "บุรีรัมย์")
    populate("ชัยนาท", 5)
    populate("บุรีรัมย์", 200)
    client.force_login(small)
    with CaptureQueriesContext(connection) as five:
        assert len(rows(client.get(URL))) == 5
    client.force_login(large)
    with django_assert_max_num_queries(len(five)):
        response = client.get(URL)
    found = rows(response)
    assert len(found) == 200
    assert sum(row["doc"].startswith("รอการพิจารณา: ปลัดเทศบาล") for row in found.values()) == 50


def test_the_export_of_two_hundred_organisations_costs_the_same_queries_as_five(client, django_assert_max_num_queries):
    small, large = scope("small", "ชัยนาท"), scope("large", "บุรีรัมย์")
    populate("ชัยนาท", 5)
    populate("บุรีรัมย์", 200)
    client.force_login(small)
    with CaptureQueriesContext(connection) as five:
        client.get(URL, {"export": "csv"})
    client.force_login(large)
    with django_assert_max_num_queries(len(five)):
        response = client.get(URL, {"export": "csv"})
    assert response.content.decode("utf-8").count("\r\n") == 201
