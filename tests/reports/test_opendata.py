"""Open data of the public site: JSON and CSV of published versions and scores, Atom feeds,
the sitemap and the embeddable list. All of it comes from frozen publications, never drafts.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from measures import services, workflow
from measures.models import Framework, ProgressEntry
from reports import publishing
from reports.public import sitemaps
from reports.public.caching import VERSION_MAX_AGE
from tests.chain import approve_all, new_edition
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def publish_approved(target, submission, heads, officer):  # noqa: F811
    approve_all(submission, heads)
    target.refresh_from_db()
    return publishing.publish(target=target, by=officer)


@pytest.fixture
def published(submission, heads, document, officer):  # noqa: F811
    """Version 1 of test-town's 2566 measures, approved through the chain and published."""
    return publish_approved(document, submission, heads, officer)


@pytest.fixture
def report_published(published, document, heads, officer):  # noqa: F811
    """The 6-month report of the same year, one measure done on 15 March 2566."""
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.get()
    services.entry_update(
        entry=entry,
        by=officer,
        revision=entry.revision,
        status=ProgressEntry.Status.DONE,
        summary="เผยแพร่ข้อมูลครบทุกเดือน",
        completed_on=date(2023, 3, 15),
    )
    return publish_approved(report, workflow.submit(target=report, by=officer), heads, officer)


def url(name, *args) -> str:
    return reverse(f"reports:{name}", args=["test-town", *args])


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def atom_entries(response) -> list:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


# --- JSON and CSV of published versions ----------------------------------------------------------


def test_the_json_of_a_version_is_its_frozen_data_in_readable_thai(client, published):
    response = client.get(url("publication_json", 2566, "measures", 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง" in response.content.decode()  # not \\u escapes
    record = json.loads(response.content)
    assert record["data"] == published.data
    assert (record["version"], record["withdrawn"], record["pdf_sha256"]) == (1, False, published.sha256)
    assert record["pdf_url"] == "http://testserver" + url("publication_pdf", 2566, "measures", 1)


def test_open_data_keeps_the_approved_text_after_the_document_changes(
    client, published, document, measure, officer, heads
):  # noqa: F811
    workflow.reopen(target=document, by=officer)
    data = services.MeasureData(title="มาตรการฉบับแก้ไข", number=1, theme=measure.theme, all_units=True)
    services.measure_update(measure=measure, by=officer, revision=measure.revision, data=data)
    assert json.loads(client.get(url("publication_latest_json", 2566, "measures")).content)["data"] == published.data
    publish_approved(document, workflow.submit(target=document, by=officer), heads, officer)
    latest = json.loads(client.get(url("publication_latest_json", 2566, "measures")).content)
    first = json.loads(client.get(url("publication_json", 2566, "measures", 1)).content)
    assert (latest["version"], latest["data"]["measures"][0]["title"]) == (2, "มาตรการฉบับแก้ไข")
    assert first["data"]["measures"][0]["title"] == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"


def test_the_csv_of_the_measures_has_a_bom_thai_headers_and_a_buddhist_era_date(client, published):
    header, row = rows_of(client.get(url("publication_csv", 2566, "measures", 1)))
    record = dict(zip(header, row, strict=True))
    assert record["หน่วยงาน"] == "เทศบาลตำบลทดสอบ"
    assert record["มาตรการ/แนวทาง"] == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"
    assert record["ด้าน"] == "ด้านการเปิดเผยข้อมูล"
    assert record["ผู้รับผิดชอบ"] == "ทุกกอง/สำนัก"
    published_on = timezone.localdate(published.published_at)
    assert record["วันที่เผยแพร่ (พ.ศ.)"] == f"{published_on:%d/%m}/{published_on.year + 543}"


def test_the_csv_of_a_report_gives_each_result_with_its_buddhist_era_date(client, report_published):
    header, row = rows_of(client.get(url("publication_latest_csv", 2566, "report-6")))
    record = dict(zip(header, row, strict=True))
    assert record["สถานะ"] == "ดำเนินการแล้วเสร็จ"
    assert record["สรุปผลการดำเนินงาน"] == "เผยแพร่ข้อมูลครบทุกเดือน"
    assert record["วันที่แล้วเสร็จ (พ.ศ.)"] == "15/03/2566"
    assert record["ร้อยละความก้าวหน้า"] == "100"


def test_a_withdrawn_version_says_why_in_json_and_gives_no_data(client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    for response in (
        client.get(url("publication_json", 2566, "measures", 1)),
        client.get(url("publication_latest_json", 2566, "measures")),
    ):
        record = json.loads(response.content)
        assert response.status_code == 410
        assert (record["withdrawn"], record["withdrawal_reason"]) == (True, "แนบไฟล์ผิดฉบับ")
        assert "data" not in record and "pdf_url" not in record
    csv_response = client.get(url("publication_csv", 2566, "measures", 1))
    assert csv_response.status_code == 410
    assert "แนบไฟล์ผิดฉบับ" in csv_response.content.decode()


@pytest.mark.parametrize("name", ["publication_latest_json", "publication_latest_csv"])
def test_a_document_not_yet_published_has_no_open_data(client, submission, heads, name):  # noqa: F811
    approve_all(submission, heads)
    assert client.get(url(name, 2566, "measures")).status_code == 404


def test_a_version_is_cached_for_a_year_and_the_latest_url_asked_for_each_time(client, published):
    versioned = client.get(url("publication_json", 2566, "measures", 1))
    latest = client.get(url("publication_latest_csv", 2566, "measures"))
    assert f"max-age={VERSION_MAX_AGE}" in versioned["Cache-Control"]
    assert "immutable" in versioned["Cache-Control"]
    assert "immutable" not in latest["Cache-Control"] and "no-cache" in latest["Cache-Control"]
    assert versioned["Last-Modified"] == http_date(published.published_at.timestamp())


@pytest.mark.parametrize("name", ["publication_latest_json", "publication_latest_csv"])
def test_open_data_answers_304_to_its_etag_and_date(client, published, name):
    first = client.get(url(name, 2566, "measures"))
    assert client.get(url(name, 2566, "measures"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url(name, 2566, "measures"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_withdrawing_changes_the_etag(client, published, officer):
    before = client.get(url("publication_json", 2566, "measures", 1))["ETag"]
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    response = client.get(url("publication_json", 2566, "measures", 1), HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 410 and response["ETag"] != before


@pytest.mark.parametrize("name", ["publication_latest_json", "publication_latest_csv"])
def test_open_data_of_a_version_takes_one_query(client, published, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get(url(name, 2566, "measures")).status_code == 200


# --- Scores ----------------------------------------------------------------------------------


@pytest.fixture
def assessment(organisation, officer):
    framework = Framework.objects.get(year=2565)
    scores = dict(
        zip(
            framework.indicators.order_by("number"),
            map(Decimal, ["100", "98.89", "99.78", "100", "100", "97.94", "97.43", "93.46", "95.00", "100"]),
            strict=True,
        )
    )
    return services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores=scores,
        official_total=Decimal("97.80"),
        official_rating="AA",
    )


def test_the_scores_are_public_as_json(client, assessment):
    payload = json.loads(client.get(url("scores_json")).content)
    (result,) = payload["assessments"]
    assert (result["year"], result["total"], result["rating"], result["matches_computation"]) == (
        2565,
        97.8,
        "AA",
        True,
    )
    assert {t["code"]: t["score"] for t in result["tools"]} == {"IIT": 99.73, "EIT": 96.28, "OIT": 97.5}
    assert [i["score"] for i in result["indicators"]][:2] == [100.0, 98.89]


def test_the_scores_csv_has_one_row_per_figure(client, assessment):
    header, *rows = rows_of(client.get(url("scores_csv")))
    assert header[:5] == ["ปีที่ประเมิน (ITA พ.ศ.)", "ประเภท", "รหัส", "ชื่อ", "คะแนน"]
    assert rows[0][:6] == ["2565", "คะแนนรวม", "", "คะแนนรวม", "97.80", "AA"]
    today = timezone.localdate()
    assert rows[0][6] == f"{today:%d/%m}/{today.year + 543}"  # recorded on, Buddhist Era
    assert len(rows) == 1 + 3 + 10
    assert rows[-3][:5] == ["2565", "ตัวชี้วัด", "8", "การปรับปรุงการทำงาน", "93.46"]


def test_changing_a_score_changes_the_scores_etag(client, assessment, organisation, officer):
    etag = client.get(url("scores_json"))["ETag"]
    assert client.get(url("scores_json"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.assessment_save(
        organisation=organisation,
        framework=assessment.framework,
        by=officer,
        indicator_scores={},
        official_total=Decimal("90.00"),
    )
    assert client.get(url("scores_json"), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_scores_take_a_bounded_number_of_queries(client, assessment, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(url("scores_json"))


# --- Atom feeds ---------------------------------------------------------------------------------


def test_the_organisation_feed_is_atom_with_one_entry_per_live_publication(client, report_published):
    entries = atom_entries(client.get(url("organisation_feed")))
    assert len(entries) == 2
    titles = [e.find(f"{ATOM}title").text for e in entries]
    # The title as the document prints it: Thai digits for a Thai-digit organisation.
    assert titles[0].startswith("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส รอบ ๖ เดือน")
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries]
    assert links[1] == "http://testserver" + url("publication_version", 2566, "measures", 1)
    enclosure = entries[1].find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("type") == "application/pdf"


def test_a_withdrawn_version_leaves_the_feeds(client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert atom_entries(client.get(url("organisation_feed"))) == []
    assert atom_entries(client.get(reverse("reports:site_feed"))) == []


def test_the_site_feed_lists_every_organisation(client, published):
    other = OrganisationFactory(name="องค์การบริหารส่วนตำบลอื่น", slug="feed")  # a slug like the file's name
    (entry,) = atom_entries(client.get(reverse("reports:site_feed")))
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "เทศบาลตำบลทดสอบ"
    assert client.get(reverse("reports:organisation", args=[other.slug])).status_code == 200


def test_the_feed_answers_304_until_something_is_withdrawn(client, published, officer):
    etag = client.get(url("organisation_feed"))["ETag"]
    assert client.get(url("organisation_feed"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert client.get(url("organisation_feed"), HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("feed", ["organisation_feed", "site_feed"])
def test_a_feed_is_new_after_a_publication_and_after_a_withdrawal(feed, client, published, document, heads, officer):
    """The ETag follows the newest publication and the latest withdrawal (reports.feeds.feed_state)."""
    address = url(feed) if feed == "organisation_feed" else reverse("reports:site_feed")
    first = client.get(address)["ETag"]
    assert client.get(address, HTTP_IF_NONE_MATCH=first).status_code == 304
    report = services.report_start(document=document, round_months=6, by=officer)
    publish_approved(report, workflow.submit(target=report, by=officer), heads, officer)
    second = client.get(address, HTTP_IF_NONE_MATCH=first)
    assert second.status_code == 200 and len(atom_entries(second)) == 2
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    third = client.get(address, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and len(atom_entries(third)) == 1
    assert client.get(address, HTTP_IF_NONE_MATCH=third["ETag"]).status_code == 304


def test_the_feed_takes_a_bounded_number_of_queries(client, report_published, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(url("organisation_feed"))


# --- Sitemap ----------------------------------------------------------------------------------


def sitemap_urls(client) -> list[str]:
    index = ElementTree.fromstring(client.get(reverse("reports:sitemap")).content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = []
    for location in index.iter(f"{SITEMAP}loc"):
        section = ElementTree.fromstring(client.get(location.text.removeprefix("http://testserver")).content)
        assert section.tag == f"{SITEMAP}urlset"
        urls += [loc.text for loc in section.iter(f"{SITEMAP}loc")]
    return urls


def test_the_sitemap_lists_only_public_pages_that_answer_200(client, report_published, officer):
    publishing.withdraw(publication=report_published, by=officer, reason="ข้อมูลไม่ครบ")
    urls = sitemap_urls(client)
    assert "http://testserver" + url("publication_version", 2566, "measures", 1) in urls
    assert "http://testserver" + url("oit", 2566) in urls
    assert not [u for u in urls if "report-6" in u]
    for location in urls:
        assert client.get(location.removeprefix("http://testserver")).status_code == 200, location


SITEMAP_ADDRESSES = ["/sitemap.xml", "/sitemap-versions.xml", "/sitemap-organisations.xml?p=1"]


@pytest.mark.parametrize("address", SITEMAP_ADDRESSES)
def test_a_sitemap_asked_again_is_served_as_kept_in_two_queries(
    client, report_published, address, django_assert_num_queries
):
    first = client.get(address)
    assert first.status_code == 200
    for again in (address, address + ("&" if "?" in address else "?") + "utm_source=x"):
        with django_assert_num_queries(2):  # the state of the publications and the organisations
            response = client.get(again)
        assert response.content == first.content and response["ETag"] == first["ETag"]
        assert response["X-Robots-Tag"] == first["X-Robots-Tag"]


@pytest.mark.parametrize("address", SITEMAP_ADDRESSES)
def test_a_sitemap_answers_304_to_its_etag_until_something_is_published(
    client, published, document, heads, officer, address
):
    etag = client.get(address)["ETag"]
    assert client.get(address, headers={"if-none-match": etag}).status_code == 304
    new_edition(document, by=officer, heads=heads, title="ประกาศผลการจัดซื้อจัดจ้างทุกเดือน")
    publishing.publish(target=document, by=officer)
    response = client.get(address, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_kept_sitemap_shows_a_publication_and_a_withdrawal_at_once(client, published, document, heads, officer):
    second = "http://testserver" + url("publication_version", 2566, "measures", 2)
    assert second not in sitemap_urls(client)
    new_edition(document, by=officer, heads=heads, title="ประกาศผลการจัดซื้อจัดจ้างทุกเดือน")
    publication = publishing.publish(target=document, by=officer)
    assert second in sitemap_urls(client)
    publishing.withdraw(publication=publication, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert second not in sitemap_urls(client)


def test_a_kept_sitemap_shows_a_new_organisation_at_once(client, published):
    assert "http://testserver/new-town/" not in sitemap_urls(client)
    OrganisationFactory(slug="new-town")
    assert "http://testserver/new-town/" in sitemap_urls(client)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999999", "99"])
def test_a_sitemap_page_that_is_not_one_is_not_found(client, published, page):
    assert client.get(f"/sitemap-versions.xml?p={page}").status_code == 404


# --- Embeddable list and the organisation page ------------------------------------------------


def test_the_embed_page_may_be_framed_and_opens_links_in_a_new_tab(client, published):
    response = client.get(url("embed"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert 'href="/test-town/2566/measures/" target="_blank" rel="noopener"' in html
    assert 'class="site"' not in html  # no site header


@pytest.mark.parametrize("name", ["organisation", "publication_latest", "oit"])
def test_other_public_pages_may_not_be_framed(client, published, name):
    args = {"organisation": [], "publication_latest": [2566, "measures"], "oit": [2566]}[name]
    assert client.get(url(name, *args))["X-Frame-Options"] == "DENY"


def test_the_embed_page_takes_two_queries(client, report_published, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(url("embed")).status_code == 200


def test_the_embed_page_leaves_out_a_withdrawn_document(client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert "ยังไม่มีเอกสารที่เผยแพร่" in client.get(url("embed")).content.decode()


def test_the_organisation_page_offers_the_open_data_and_the_iframe_snippet(client, published):
    html = client.get(url("organisation")).content.decode()
    assert "ข้อมูลเปิด" in html
    assert '&lt;iframe src="http://testserver/test-town/embed/" title="เอกสาร ITA ของเทศบาลตำบลทดสอบ"' in html
    for link in (
        url("scores_json"),
        url("organisation_feed"),
        url("publication_latest_json", 2566, "measures"),
        url("oit", 2566),
    ):
        assert f'href="{link}"' in html


@pytest.mark.parametrize("name", ["embed", "scores_json", "scores_csv", "organisation_feed"])
def test_an_unknown_organisation_has_no_open_data(client, db, name):
    assert client.get(reverse(f"reports:{name}", args=["no-such-town"])).status_code == 404


def test_a_long_sitemap_section_is_paged_and_the_index_names_every_page(client, report_published, monkeypatch):
    """At national size a section has tens of thousands of URLs: pages of PAGE_SIZE, all in the index."""
    whole = sitemap_urls(client)
    for section in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(section, "limit", 1)
    cache.clear()  # the sitemaps are kept while the data stays the same: here the code changed
    index = ElementTree.fromstring(client.get(reverse("reports:sitemap")).content)
    pages = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(page.endswith("sitemap-versions.xml?p=2") for page in pages)
    assert sorted(sitemap_urls(client)) == sorted(whole)
    assert len(pages) == len(whole)  # one URL a page
    assert sitemaps.PagedSitemap.limit == sitemaps.PAGE_SIZE == 5000


def test_the_documents_sitemap_names_a_republished_document_once_and_leaves_out_a_withdrawn_newest(
    client, published, document, heads, officer
):
    latest = "http://testserver" + url("publication_latest", 2566, "measures")
    new_edition(document, by=officer, heads=heads, title="ประกาศผลการจัดซื้อจัดจ้างทุกเดือน")
    second = publishing.publish(target=document, by=officer)
    urls = sitemap_urls(client)
    assert urls.count(latest) == 1
    assert "http://testserver" + url("publication_version", 2566, "measures", 2) in urls
    publishing.withdraw(publication=second, by=officer, reason="แนบไฟล์ผิดฉบับ")
    urls = sitemap_urls(client)
    assert latest not in urls  # its newest version is withdrawn: the page shows a notice
    assert "http://testserver" + url("publication_version", 2566, "measures", 1) in urls
