"""The OIT evidence index: the item codes of the year's framework with the permanent URLs of the
published documents, and the free entries an organisation adds for its other items.

Documents of fiscal year N are the evidence of ITA N (the assessment run in fiscal year N), so
the codes come from the framework of year N — never N−1, the year the measures analyse.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures import services, workflow
from measures.models import Framework
from reports import oit, publishing
from reports.models import OitEntry, Publication
from tests.chain import approve_all

pytestmark = pytest.mark.django_db

PUBLIC = "http://testserver"


def publish_year(organisation, year, officer, heads, *, rounds=()) -> list[Publication]:  # noqa: F811
    """Write, approve and publish the year's measures (and the given rounds) through the services."""
    document = services.document_create(organisation=organisation, fiscal_year=year, by=officer)  # noqa: F811
    services.measure_create(
        document=document,
        by=officer,
        data=services.MeasureData(title="เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", number=1, all_units=True),
    )
    published = []
    for target in [document, *(services.report_start(document=document, round_months=r, by=officer) for r in rounds)]:
        approve_all(workflow.submit(target=target, by=officer), heads)
        target.refresh_from_db()
        published.append(publishing.publish(target=target, by=officer))
    return published


def stored_publication(organisation, year, kind, *, version=1, by, withdrawn=False) -> Publication:
    """A publication row without rendering a PDF: for the index's choices of URL only."""
    pdf = b"%PDF-1.7 test"
    publication = Publication(
        organisation=organisation,
        fiscal_year=year,
        kind=kind,
        version=version,
        edition=1,
        title="เอกสารทดสอบ",
        data={},
        html="",
        body_html="",
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
        published_by=by,
        published_at=timezone.now(),
    )
    publication.pdf.save(f"test-{year}-{kind}-v{version}.pdf", ContentFile(pdf), save=False)
    publication.save(force_insert=True)
    if withdrawn:
        Publication.objects.filter(pk=publication.pk).update(
            withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason="ทดสอบ"
        )
    return publication


def codes_and_urls(index) -> list[tuple[str, str | None]]:
    return [(row.code, row.path) for row in index.rows]


def oit_url(year=2566, org="test-town") -> str:
    return reverse("reports:oit_edit", args=[org, year])


# --- The index of the portal's own documents --------------------------------------------------


@pytest.mark.parametrize("year", [2565, 2566])
def test_the_index_lists_o42_and_o43_with_urls_that_answer(year, client, organisation, officer, chain, heads):  # noqa: F811
    publish_year(organisation, year, officer, heads, rounds=[6])
    response = client.get(reverse("reports:oit", args=["test-town", year]))
    index = response.context["index"]
    assert codes_and_urls(index) == [("O42", f"/test-town/{year}/measures/"), ("O43", f"/test-town/{year}/report-6/")]
    assert index.framework.year == year
    assert f"O42 {PUBLIC}/test-town/{year}/measures/\nO43 {PUBLIC}/test-town/{year}/report-6/" in response.text
    for row in index.rows:
        assert client.get(row.path).status_code == 200


def test_the_codes_come_from_the_framework_of_the_same_year_not_the_year_analysed(organisation):
    Framework.objects.filter(year=2565).update(measures_item_code="X1", report_item_code="X2")  # N−1
    Framework.objects.filter(year=2567).update(measures_item_code="Y1", report_item_code="Y2")  # N+1
    assert [row.code for row in oit.build_index(organisation, 2566).rows] == ["O42", "O43"]
    assert [row.code for row in oit.build_index(organisation, 2565).rows] == ["X1", "X2"]


def test_the_titles_come_from_the_year_s_items(organisation):
    titles = [row.title for row in oit.build_index(organisation, 2566).rows]
    assert titles == [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    ]


def test_an_unpublished_document_shows_not_yet_published(client, organisation):
    response = client.get(reverse("reports:oit", args=["test-town", 2566]))
    assert [row.path for row in response.context["index"].rows] == [None, None]
    assert response.text.count("ยังไม่เผยแพร่") == 2
    assert 'id="oit-copy"' not in response.text


def test_the_report_item_prefers_the_12_month_report_and_lists_the_6_month_one(organisation, officer):
    stored_publication(organisation, 2566, Publication.Kind.REPORT_6, by=officer)
    stored_publication(organisation, 2566, Publication.Kind.REPORT_12, by=officer)
    row = oit.build_index(organisation, 2566).rows[1]
    assert (row.code, row.path) == ("O43", "/test-town/2566/report-12/")
    assert [link.path for link in row.others] == ["/test-town/2566/report-6/"]


def test_a_withdrawn_newest_version_counts_as_not_published(organisation, officer):
    stored_publication(organisation, 2566, Publication.Kind.MEASURES, by=officer)
    stored_publication(organisation, 2566, Publication.Kind.MEASURES, version=2, by=officer, withdrawn=True)
    assert oit.build_index(organisation, 2566).rows[0].path is None  # its URL shows the withdrawal notice


def test_a_year_without_a_framework_lists_the_documents_without_codes(client, organisation, officer):
    stored_publication(organisation, 2570, Publication.Kind.MEASURES, by=officer)
    response = client.get(reverse("reports:oit", args=["test-town", 2570]))
    assert codes_and_urls(response.context["index"]) == [("", "/test-town/2570/measures/"), ("", None)]
    assert "ยังไม่มีกรอบการประเมิน ITA พ.ศ. ๒๕๗๐ ในระบบ" in response.text


def test_a_year_with_nothing_has_no_public_index(client, organisation):
    assert client.get(reverse("reports:oit", args=["test-town", 2590])).status_code == 404


def test_the_public_index_takes_a_bounded_number_of_queries(
    client, organisation, officer, django_assert_max_num_queries
):
    for n in range(1, 6):
        OitEntry.objects.create(
            organisation=organisation,
            fiscal_year=2566,
            item_code=f"O{n}",
            title="ทดสอบ",
            url=f"https://www.test-town.go.th/o{n}",
            created_by=officer,
        )
    with django_assert_max_num_queries(6):
        assert client.get(reverse("reports:oit", args=["test-town", 2566])).status_code == 200


def test_the_organisation_page_links_the_index_of_each_year(client, organisation, officer):
    stored_publication(organisation, 2566, Publication.Kind.MEASURES, by=officer)
    OitEntry.objects.create(
        organisation=organisation,
        fiscal_year=2567,
        item_code="O1",
        title="โครงสร้าง",
        url="https://www.test-town.go.th/o1",
        created_by=officer,
    )
    html = client.get(reverse("reports:organisation", args=["test-town"])).text
    assert 'href="/test-town/2566/oit/"' in html and 'href="/test-town/2567/oit/"' in html


# --- Free entries ---------------------------------------------------------------------------------

GOOD = {"item_code": "O1", "title": "โครงสร้าง", "url": "https://www.test-town.go.th/structure"}


@pytest.mark.parametrize("persona", ["officer", "org_admin"])
def test_an_officer_adds_a_link_for_another_item(persona, request, client_for, organisation):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(oit_url(), GOOD, follow=True)
    assert "เพิ่มข้อ O1 แล้ว" in response.text
    entry = OitEntry.objects.get()
    assert (entry.item_code, entry.url, entry.created_by.username) == (
        "O1",
        GOOD["url"],
        response.context["user"].username,
    )
    public = client.get(reverse("reports:oit", args=["test-town", 2566])).text
    assert "O1 https://www.test-town.go.th/structure" in public


def test_the_free_entries_follow_the_framework_s_order(client_for, officer, organisation):
    client = client_for(officer)
    for code in ("o27", "O๓", "Z9"):  # lower case and Thai digits are read as O27 and O3
        client.post(oit_url(), {"item_code": code, "title": "ทดสอบ", "url": "https://www.test-town.go.th/"})
    index = oit.build_index(organisation, 2566)
    assert [row.code for row in index.rows] == ["O3", "O27", "O42", "O43", "Z9"]


def test_a_blank_title_takes_the_item_s_title_from_the_framework(client_for, officer):
    client_for(officer).post(oit_url(), GOOD | {"item_code": "O28", "title": ""})
    assert OitEntry.objects.get().title == "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"


def test_adding_a_free_entry_is_recorded_in_the_history(client_for, officer):
    client_for(officer).post(oit_url(), GOOD)
    (record,) = OitEntry.history.all()
    assert (record.history_type, record.history_user) == ("+", officer)


@pytest.mark.parametrize(
    "bad_url",
    ["ftp://files.test-town.go.th/o1", "javascript:alert(1)", "not a url", "", "https://", "http://exa mple.com"],
)
def test_a_bad_url_is_refused_in_thai_and_nothing_is_saved(bad_url, client_for, officer):
    response = client_for(officer).post(oit_url(), GOOD | {"url": bad_url})
    assert response.status_code == 200
    assert "ที่อยู่เว็บไม่ถูกต้อง" in response.text or "กรุณากรอกที่อยู่เว็บ" in response.text
    assert not OitEntry.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("O42", "ข้อ O42 ระบบแสดงที่อยู่ของเอกสารที่เผยแพร่จากระบบนี้ให้แล้ว"),
        ("O1", "ข้อ O1 มีที่อยู่เว็บในปีนี้แล้ว"),
        ("โอ1", "รหัสข้อไม่ถูกต้อง"),
        ("", "กรุณากรอกรหัสข้อ"),
    ],
)
def test_a_code_already_listed_or_malformed_is_refused(code, message, client_for, officer, organisation):
    OitEntry.objects.create(
        organisation=organisation,
        fiscal_year=2566,
        item_code="O1",
        title="โครงสร้าง",
        url="https://www.test-town.go.th/o1",
        created_by=officer,
    )
    response = client_for(officer).post(oit_url(), GOOD | {"item_code": code})
    assert message in response.text
    assert OitEntry.objects.count() == 1


def test_a_title_unknown_to_the_framework_is_required(client_for, officer):
    response = client_for(officer).post(oit_url(), GOOD | {"item_code": "Z1", "title": " "})
    assert "กรุณากรอกชื่อรายการ" in response.text
    assert not OitEntry.objects.exists()


def test_an_officer_deletes_a_free_entry(client_for, officer, organisation):
    entry = OitEntry.objects.create(organisation=organisation, fiscal_year=2566, **GOOD, created_by=officer)
    response = client_for(officer).post(
        reverse("reports:oit_delete", args=["test-town", 2566, entry.pk]), {"confirmed": "1"}, follow=True
    )
    assert "ลบข้อ O1 ออกจากรายการแล้ว" in response.text
    assert not OitEntry.objects.exists()


def test_deleting_asks_for_a_confirmation_first(client_for, officer, organisation):
    entry = OitEntry.objects.create(organisation=organisation, fiscal_year=2566, **GOOD, created_by=officer)
    response = client_for(officer).get(reverse("reports:oit_delete", args=["test-town", 2566, entry.pk]))
    assert response.status_code == 200
    assert "ข้อ O1 โครงสร้าง จะถูกลบออกจากดัชนีหลักฐาน OIT" in response.text
    assert OitEntry.objects.filter(pk=entry.pk).exists()


def test_another_organisation_s_entry_is_not_found_through_one_s_own(client_for, officer, outsider):
    other = OitEntry.objects.create(
        organisation=outsider.memberships.get().organisation, fiscal_year=2566, **GOOD, created_by=outsider
    )
    response = client_for(officer).post(
        reverse("reports:oit_delete", args=["test-town", 2566, other.pk]), {"confirmed": "1"}
    )
    assert response.status_code == 404
    assert OitEntry.objects.filter(pk=other.pk).exists()


@pytest.fixture
def entry(organisation, officer):
    return OitEntry.objects.create(organisation=organisation, fiscal_year=2566, **GOOD, created_by=officer)


def requests_of(entry) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", oit_url(), None),
        ("post", oit_url(), GOOD | {"item_code": "O2"}),
        ("get", reverse("reports:oit_delete", args=["test-town", 2566, entry.pk]), None),
        ("post", reverse("reports:oit_delete", args=["test-town", 2566, entry.pk]), {"confirmed": "1"}),
    ]


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_who_may_not_edit_the_index_is_refused(persona, request, client_for, entry):
    client = client_for(request.getfixturevalue(persona))
    for method, path, data in requests_of(entry):
        assert getattr(client, method)(path, data).status_code == 403, (method, path)
    assert list(OitEntry.objects.values_list("item_code", flat=True)) == ["O1"]


def test_another_organisation_s_officer_does_not_find_the_index(client_for, outsider, entry):
    client = client_for(outsider)
    for method, path, data in requests_of(entry):
        assert getattr(client, method)(path, data).status_code == 404, (method, path)
    assert OitEntry.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login(client, entry):
    for method, path, data in requests_of(entry):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), (method, path)
    assert OitEntry.objects.count() == 1


def test_posting_without_a_csrf_token_is_refused(officer, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(oit_url(), GOOD | {"item_code": "O2"}).status_code == 403
    assert OitEntry.objects.count() == 1


def test_the_staff_page_of_an_impossible_year_is_not_found(client_for, officer):
    assert client_for(officer).get(oit_url(year=2023)).status_code == 404


def test_the_same_code_in_another_organisation_or_year_is_allowed(client_for, officer, outsider, entry):
    client_for(officer).post(oit_url(year=2567), GOOD)
    client_for(outsider).post(oit_url(org="other-town"), GOOD)
    assert OitEntry.objects.filter(item_code="O1").count() == 3


def test_the_officer_reaches_the_oit_index_from_the_document_page(client, officer, document):
    client.force_login(officer)
    page = client.get(reverse("measures:document_detail", args=["test-town", 2566])).content.decode()
    assert f'href="{reverse("reports:oit_edit", args=["test-town", 2566])}"' in page
