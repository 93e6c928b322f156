"""The public site, as a citizen (anonymous) sees it: organisations, published versions, PDFs.

Only frozen publications are shown: a draft, a document waiting for approval or sent back,
and a new edition not yet published never appear, whatever the URL.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import hashlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import services, workflow
from measures.services import MeasureData
from reports import publishing
from reports.models import PublicPage
from tests.chain import approve_all
from tests.factories import OrganisationFactory
from tests.reports.test_publishing import (  # noqa: F401 - fixtures
    FIRST_TITLE,
    SECOND_TITLE,
    new_edition,
    pdf_text,
    published,
    republished,
    squeeze,
    stored_pdf,
)

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "ข้อความร่างที่ยังไม่อนุมัติ-QX17"


def latest_url(kind="measures") -> str:
    return reverse("reports:publication_latest", args=["test-town", 2566, kind])


def version_url(version: int) -> str:
    return reverse("reports:publication_version", args=["test-town", 2566, "measures", version])


def pdf_url(version: int | None = None) -> str:
    if version is None:
        return reverse("reports:publication_latest_pdf", args=["test-town", 2566, "measures"])
    return reverse("reports:publication_pdf", args=["test-town", 2566, "measures", version])


def html_url(version: int) -> str:
    return reverse("reports:publication_html", args=["test-town", 2566, "measures", version])


def get(client, url: str, **kwargs):
    """GET the URL and read the body in full: the test client then closes a FileResponse's file."""
    response = client.get(url, **kwargs)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


# --- Home and organisation ---------------------------------------------------------------


def test_the_home_page_lists_organisations_with_their_published_documents(client, published):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    assert reverse("reports:organisation", args=["test-town"]) in response.text
    assert response.context["organisations"][0].published == 1


def test_the_home_page_counts_a_republished_document_once(client, republished):
    assert client.get(reverse("reports:home")).context["organisations"][0].published == 1


@pytest.mark.parametrize("query", ["หนองบัว", "อุดรธานี"])
def test_the_home_page_finds_an_organisation_by_name_or_province(query, client, organisation):
    OrganisationFactory(name="เทศบาลตำบลหนองบัว", province="อุดรธานี", slug="nong-bua")
    response = client.get(reverse("reports:home"), {"q": query})
    assert [o.slug for o in response.context["organisations"]] == ["nong-bua"]
    assert "เทศบาลตำบลหนองบัว" in response.text and "เทศบาลตำบลทดสอบ" not in response.text


def test_the_organisation_page_links_the_newest_version_of_each_document(client, republished):
    response = client.get(reverse("reports:organisation", args=["test-town"]))
    assert response.status_code == 200
    assert latest_url() in response.text
    assert "ฉบับเผยแพร่ที่ ๒" in response.text and "ฉบับเผยแพร่ที่ ๑" not in response.text  # Thai digits, as the dates


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get(reverse("reports:organisation", args=["nowhere"])).status_code == 404


# --- A published document ----------------------------------------------------------------


def test_the_unversioned_url_shows_the_published_document(client, published):
    response = client.get(latest_url())
    assert response.status_code == 200
    assert FIRST_TITLE in response.text
    assert pdf_url(1) in response.text and published.sha256 in response.text
    assert "ฉบับนี้ไม่ใช่ฉบับล่าสุด" not in response.text
    button = response.text.split("ดาวน์โหลด PDF (", 1)[1].split(")", 1)[0]
    assert button.endswith("KB") and not any(c.isascii() and c.isdigit() for c in button)  # "๑๗.๘ KB"


def test_the_versioned_pdf_and_html_are_the_stored_bytes(client, published):
    pdf = get(client, pdf_url(1))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.body == stored_pdf(published)
    html = client.get(html_url(1))
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html.content == published.html.encode()


def test_after_republishing_the_unversioned_url_shows_version_2(client, republished):
    response = client.get(latest_url())
    assert response.context["publication"] == republished
    assert SECOND_TITLE in response.text and FIRST_TITLE not in response.text
    assert "ฉบับนี้ไม่ใช่ฉบับล่าสุด" not in response.text
    assert get(client, pdf_url()).body == stored_pdf(republished)


def test_version_1_says_it_is_not_the_latest_and_links_to_it(client, republished, published):
    response = client.get(version_url(1))
    assert response.status_code == 200
    assert FIRST_TITLE in response.text and SECOND_TITLE not in response.text
    assert "ฉบับนี้ไม่ใช่ฉบับล่าสุด" in response.text
    assert f'href="{latest_url()}"' in response.text


def test_version_1_does_not_call_a_withdrawn_newer_version_the_latest(client, republished, published, officer):
    publishing.withdraw(publication=republished, by=officer, reason="แนบไฟล์ผิดฉบับ")
    response = client.get(version_url(1))
    assert response.status_code == 200
    assert "ฉบับที่ ๒ ซึ่งเผยแพร่ภายหลังถอนการเผยแพร่แล้ว" in response.text
    assert f'href="{version_url(2)}">ดูเหตุผลการถอน' in response.text
    assert "ดูฉบับล่าสุด" not in response.text


def test_version_1_stays_byte_identical_after_republishing(client, published, document, officer, heads):
    before = {url: get(client, url).body for url in (version_url(1), pdf_url(1), html_url(1))}
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)
    assert get(client, pdf_url(1)).body == before[pdf_url(1)]
    assert hashlib.sha256(before[pdf_url(1)]).hexdigest() == published.sha256
    assert get(client, html_url(1)).body == before[html_url(1)]
    # The page reads version 1's frozen data as it did (it only gains the note of a newer version).
    after = get(client, version_url(1)).body
    assert reading_part(after) == reading_part(before[version_url(1)]) and FIRST_TITLE.encode() in reading_part(after)
    assert SECOND_TITLE.encode() not in after


def reading_part(page: bytes) -> bytes:
    """The document on a public page: the reading view made from the publication's data."""
    return page.split(b'<div class="reading">', 1)[1].split(b"</main>", 1)[0]


@pytest.mark.parametrize(
    "url",
    [
        lambda: version_url(9),
        lambda: pdf_url(9),
        lambda: html_url(9),
        lambda: reverse("reports:publication_latest", args=["test-town", 2565, "measures"]),
        lambda: reverse("reports:publication_latest", args=["test-town", 2566, "report-6"]),
        lambda: "/test-town/2566/minutes/",
    ],
)
def test_a_version_or_document_never_published_is_not_found(url, client, published):
    assert get(client, url()).status_code == 404


# --- Withdrawal --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [version_url, lambda _version: latest_url()])
def test_a_withdrawn_version_shows_a_thai_notice_with_the_reason(url, client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    response = client.get(url(1))
    assert response.status_code == 410
    assert "เอกสารนี้ถอนการเผยแพร่แล้ว" in response.text and "แนบไฟล์ผิดฉบับ" in response.text
    assert FIRST_TITLE not in response.text


@pytest.mark.parametrize("url", [pdf_url, html_url])
def test_the_files_of_a_withdrawn_version_are_gone(url, client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert get(client, url(1)).status_code == 404


def test_the_latest_pdf_of_a_withdrawn_newest_version_is_not_found(client, republished, published, officer):
    publishing.withdraw(publication=republished, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert get(client, pdf_url()).status_code == 404
    assert get(client, pdf_url(1)).status_code == 200


@pytest.mark.parametrize("header", ["if-none-match", "if-modified-since"])
def test_a_reader_holding_version_1_is_not_told_it_is_current_once_version_2_is_withdrawn(
    header, client, republished, published, officer
):
    held = get(client, pdf_url(1))
    publishing.withdraw(publication=republished, by=officer, reason="แนบไฟล์ผิดฉบับ")
    validator = held["ETag"] if header == "if-none-match" else held["Last-Modified"]
    assert get(client, pdf_url(), headers={header: validator}).status_code == 404


def test_the_organisation_page_marks_a_withdrawn_document(client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert "ถอนการเผยแพร่แล้ว" in client.get(reverse("reports:organisation", args=["test-town"])).text


# --- Caching -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, None])
def test_the_pdf_etag_is_its_quoted_sha256_and_a_conditional_get_answers_304(version, client, published):
    response = get(client, pdf_url(version))
    assert response["ETag"] == f'"{published.sha256}"'
    again = get(client, pdf_url(version), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again.body == b""


def test_a_conditional_get_of_the_latest_pdf_after_republishing_gets_version_2(client, republished, published):
    response = get(client, pdf_url(), headers={"if-none-match": f'"{published.sha256}"'})
    assert response.status_code == 200
    assert response["ETag"] == f'"{republished.sha256}"'


def test_a_versioned_pdf_is_cached_as_immutable(client, published):
    cache_control = get(client, pdf_url(1))["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control


def test_the_latest_pdf_and_page_are_asked_for_again_on_every_visit(client, published):
    """A browser that kept them must ask again: a new version shows at once (a 304 when nothing changed)."""
    for response in (get(client, pdf_url()), get(client, latest_url())):
        assert "immutable" not in response["Cache-Control"] and "max-age" not in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"] and "public" in response["Cache-Control"]


def test_public_pages_set_no_cookie(client, published):
    for url in (reverse("reports:home"), latest_url(), version_url(1)):
        assert not get(client, url).cookies


# --- What must never show ----------------------------------------------------------------


def public_responses(client) -> dict[str, bytes]:
    """Every public URL of test-town's 2566 measures document, and the pages that list it."""
    urls = [
        reverse("reports:home"),
        reverse("reports:home") + "?q=ทดสอบ",
        reverse("reports:organisation", args=["test-town"]),
        latest_url(),
        pdf_url(),
        *[u(v) for v in (1, 2) for u in (version_url, pdf_url, html_url)],
    ]
    responses = {}
    for url in urls:
        response = get(client, url)
        assert response.status_code in (200, 404, 410), url
        responses[url] = response.body
    return responses


def assert_absent(text: str, responses: dict[str, bytes], tmp_path) -> None:
    for url, body in responses.items():
        shown = pdf_text(body, tmp_path) if body.startswith(b"%PDF") else squeeze(body.decode())
        assert squeeze(text) not in shown, url


def draft_document(document, officer, heads, state: str):
    """test-town's document carrying DRAFT_TEXT, left in `state`."""
    services.measure_create(document=document, by=officer, data=MeasureData(title=DRAFT_TEXT, number=1, all_units=True))
    if state == "draft":
        return
    submission = workflow.submit(target=document, by=officer)
    if state == "returned":
        workflow.decide(submission=submission, by=heads[0], approve=False, comment="แก้ไขชื่อมาตรการ")
    elif state == "approved":
        approve_all(submission, heads)


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
def test_a_document_not_published_never_appears(state, client, chain, document, officer, heads, tmp_path):
    draft_document(document, officer, heads, state)
    responses = public_responses(client)
    assert_absent(DRAFT_TEXT, responses, tmp_path)
    assert get(client, latest_url()).status_code == 404


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
def test_an_unpublished_new_edition_never_appears(state, client, published, document, officer, heads, tmp_path):
    new_edition(document, by=officer, heads=heads, title=DRAFT_TEXT, approve=False)
    if state != "draft":
        submission = workflow.submit(target=document, by=officer)
        if state == "returned":
            workflow.decide(submission=submission, by=heads[0], approve=False, comment="แก้ไขชื่อมาตรการ")
        elif state == "approved":
            approve_all(submission, heads)
    responses = public_responses(client)
    assert_absent(DRAFT_TEXT, responses, tmp_path)
    assert squeeze(FIRST_TITLE) in pdf_text(responses[pdf_url(1)], tmp_path)  # the checker sees published text


# --- Query counts ------------------------------------------------------------------------


PAGES = {
    "home": lambda: reverse("reports:home"),
    "organisation": lambda: reverse("reports:organisation", args=["test-town"]),
    "latest": latest_url,
    "version": lambda: version_url(1),
    "pdf": lambda: pdf_url(1),
    "html": lambda: html_url(1),
}


def count_queries(client, url: str) -> int:
    """The queries of one GET of the page, rendered anew (the public page cache emptied first, and
    the pages kept in the database deleted)."""
    cache.clear()
    PublicPage.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert get(client, url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_public_page_makes_few_queries_however_many_measures(
    name, client, published, document, officer, heads, django_assert_max_num_queries
):
    made = count_queries(client, PAGES[name]())  # the page's fragments made (reports.public.fragments)
    one_measure = count_queries(client, PAGES[name]())  # and then read
    assert one_measure <= made
    workflow.reopen(target=document, by=officer)
    for number in range(2, 31):
        services.measure_create(
            document=document, by=officer, data=MeasureData(title=f"มาตรการที่ {number}", number=number, all_units=True)
        )
    approve_all(workflow.submit(target=document, by=officer), heads)
    document.refresh_from_db()
    publishing.publish(target=document, by=officer)  # version 2, 30 measures
    url = PAGES[name]().replace("/v1", "/v2")
    # the new version's reading view made; the kept page looked for and kept (a savepoint, the write)
    with django_assert_max_num_queries(12):
        get(client, url)
    assert count_queries(client, url) == one_measure


def test_robots_txt_keeps_crawlers_off_the_staff_side_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert {"Disallow: /staff/", "Disallow: /admin/", "Disallow: /accounts/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
