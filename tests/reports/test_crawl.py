"""Crawl the public demo site as a citizen and prove that no unpublished text is reachable.

The demo is loaded once for the module: ทต.บ่อพลอย's 2565 measures go through its five-step
chain and are published; then a new edition of it is started and one measure retitled to a
marker that must never show. ทต.เขาหัวช้าง's and ทต.ถาวร's documents and reports stay drafts.
An anonymous client starts at / (and /sitemap.xml) and follows every same-site link; every
body it gets (HTML, XML, JSON, CSV, and the text of each PDF) is searched for the marker and
for texts that exist only in the drafts. The data is rolled back when the crawl is done.
"""

import html
import io
import json
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import strip_tags

from measures import services, workflow
from measures.devdata.demo import load_demo
from measures.models import MeasuresDocument, ProgressReport
from measures.services import MeasureData
from reports import publishing, rendering
from reports.pdf import render_pdf
from tests.reports.conftest import approve_bo_phloi_through_its_chain

# Every test asks for the database, so that pytest-django creates it even when only the tests
# reading the module-scoped crawl are selected.
pytestmark = pytest.mark.django_db

MARKER = "ข้อความร่างที่ต้องไม่ปรากฏ-XYZ"
# Texts found only in the drafts of ทต.เขาหัวช้าง and ทต.ถาวร (fixtures/demo/*.json): measure
# titles of their measures documents and progress summaries of their rounds.
DRAFT_TEXTS = {
    "khao-hua-chang": [
        "แนวปฏิบัติของหน่วยงานเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง",
        "จัดประชุมชี้แจงแนวทางขั้นตอนในการยืมทรัพย์สินของราชการตามงานประเภทต่างๆ",
    ],
    "thawon": [
        "I29 หน่วยงานของท่าน มีการนำผลการตรวจสอบของฝ่ายตรวจสอบทั้งภายในและภายนอกหน่วยงานไปปรับปรุง",
        "หน่วยงานมีการดำเนินการแก้ไข ตามผลการตรวจสอบเป็นที่เรียบร้อยแล้ว",
    ],
}
SECRETS = [MARKER, *DRAFT_TEXTS["khao-hua-chang"], *DRAFT_TEXTS["thawon"]]
PRIVATE = ("/staff/", "/admin/", "/accounts/")
ASSETS = ("/static/", "/media/")  # our CSS, fonts and images: files we ship, not data
MAX_PAGES = 2000


def normalise(text: str) -> str:
    """NFKC (ำ as the PDF's text layer gives it back) with every space and line break removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- The crawler and the checker -----------------------------------------------------------


class _Links(HTMLParser):
    """href of <a>, <area> and <link>, src of <iframe>, and <loc> of a sitemap."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._in_loc = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "area", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "iframe" and attrs.get("src"):
            self.links.append(attrs["src"])
        self._in_loc = tag == "loc"

    def handle_endtag(self, tag):
        self._in_loc = False

    def handle_data(self, data):
        if self._in_loc and data.strip():
            self.links.append(data.strip())


def pdf_to_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(["pdftotext", "-raw", file.name, "-"], capture_output=True, check=True).stdout.decode()


def readable_text(body: bytes, content_type: str) -> str:
    """What a reader of the body sees, whatever its format: PDF text, JSON unescaped, entities decoded."""
    if body.startswith(b"%PDF"):
        return pdf_to_text(body)
    if body.startswith(b"PK"):  # XLSX, ODS and other zipped formats
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    text = body.decode("utf-8-sig", "replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str  # normalised
    links: list[str] = field(default_factory=list)
    location: str = ""


def page_of(url: str, response) -> Page:
    """Read the response in full (the test client then closes a FileResponse's file) into a Page."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    links = []
    if any(kind in content_type for kind in ("html", "xml")):
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        links = parser.links
    return Page(
        url,
        response.status_code,
        content_type,
        normalise(readable_text(body, content_type)),
        links,
        response.get("Location", ""),
    )


def leaks(pages: Iterable[Page], secrets: Iterable[str]) -> list[tuple[str, str]]:
    """(url, secret) for each secret text found in a page."""
    wanted = [(secret, normalise(secret)) for secret in secrets]
    return [(page.url, secret) for page in pages for secret, needle in wanted if needle in page.text]


SAME_SITE_HOSTS = {"", "testserver", urlsplit(settings.SITE_URL).netloc}


def same_site(base: str, link: str) -> str | None:
    """The link as a path (with its query) if it points into this site, else None."""
    absolute = urldefrag(urljoin("http://testserver" + base, link)).url
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc not in SAME_SITE_HOSTS:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    pages: dict[str, Page]  # public pages, by URL
    private: dict[str, Page]  # links into /staff/, /admin/, /accounts/, as an anonymous visitor gets them
    linked_from: dict[str, str]  # url → the first page that linked it


def crawl(get: Callable[[str], object], starts: Iterable[str] = ("/",)) -> Crawl:
    """Visit every same-site URL reachable from `starts` once, with `get(url) -> response`."""
    result = Crawl({}, {}, {})
    queue = deque(starts)
    seen = set(queue)
    while queue and len(result.pages) < MAX_PAGES:
        url = queue.popleft()
        page = page_of(url, get(url))
        (result.private if url.startswith(PRIVATE) else result.pages)[url] = page
        if url.startswith(PRIVATE):
            continue
        for link in page.links:
            target = same_site(url, link)
            if target is None or target in seen or target.startswith(ASSETS):
                continue
            seen.add(target)
            result.linked_from[target] = url
            queue.append(target)
    return result


# --- The demo, published and crawled once -------------------------------------------------


def _retitle(measure, title: str, by) -> None:
    """Change only the measure's title, through the service, as an officer editing it would."""
    data = MeasureData(
        **{name: getattr(measure, name) for name in MeasureData.SCALAR_FIELDS},
        steps=[step.text for step in measure.steps.all()],
        units=list(measure.units.all()),
        indicators=list(measure.indicators.all()),
        items=list(measure.items.all()),
    )
    data.title = title
    services.measure_update(measure=measure, by=by, revision=None, data=data)


@dataclass
class Demo:
    crawl: Crawl
    published_title: str  # a measure title of the published version of ทต.บ่อพลอย's document
    published_pdf_url: str
    published_page_url: str
    drafts_text: str  # the staff print of every draft, normalised: the secrets must be in it


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=hashers),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        officer = get_user_model().objects.get(username="bp-officer")
        approve_bo_phloi_through_its_chain()
        document = MeasuresDocument.objects.get(organisation__slug="bo-phloi", fiscal_year=2565)
        publication = publishing.publish(target=document, by=officer)
        workflow.reopen(target=document, by=officer)
        measure = document.measures.in_print_order().first()
        published_title = measure.title
        _retitle(measure, MARKER, officer)
        drafts = [rendering.target_html(d) for d in MeasuresDocument.objects.order_by("pk")]
        drafts += [rendering.target_html(r) for r in ProgressReport.objects.order_by("pk")]
        result = crawl(Client().get, starts=["/", "/sitemap.xml"])
        transaction.set_rollback(True)
    args = ["bo-phloi", 2565, "measures"]
    return Demo(
        crawl=result,
        published_title=published_title,
        published_pdf_url=reverse("reports:publication_pdf", args=[*args, publication.version]),
        published_page_url=reverse("reports:publication_latest", args=args),
        drafts_text=normalise(strip_tags(" ".join(drafts))),
    )


def test_the_secrets_are_really_in_the_drafts(demo):
    assert [s for s in SECRETS if normalise(s) not in demo.drafts_text] == []


def test_the_crawl_reached_the_published_document_and_its_pdf(demo):
    pages = demo.crawl.pages
    assert pages[demo.published_page_url].status == 200
    assert pages[demo.published_pdf_url].status == 200
    assert pages[demo.published_pdf_url].content_type == "application/pdf"
    assert normalise(demo.published_title) in pages[demo.published_page_url].text
    assert normalise(demo.published_title) in pages[demo.published_pdf_url].text


def test_the_crawl_reached_every_demo_organisation(demo):
    for slug in ("bo-phloi", "khao-hua-chang", "thawon", "demo-new"):
        assert demo.crawl.pages[reverse("reports:organisation", args=[slug])].status == 200


def test_no_public_page_fails(demo):
    assert {url: p.status for url, p in demo.crawl.pages.items() if p.status >= 500} == {}


def test_every_linked_public_page_answers(demo):
    broken = {
        url: (p.status, demo.crawl.linked_from.get(url))
        for url, p in demo.crawl.pages.items()
        if p.status not in (200, 410) and url != "/sitemap.xml"
    }
    assert broken == {}


def test_no_unpublished_text_appears_on_any_public_page(demo):
    assert leaks(demo.crawl.pages.values(), SECRETS) == []


def test_links_into_the_staff_side_ask_an_anonymous_visitor_to_log_in(demo):
    login = reverse("login")
    wrong = {
        url: (p.status, p.location)
        for url, p in demo.crawl.private.items()
        if not (
            p.status == 404
            or (p.status == 302 and "login" in p.location)
            or (urlsplit(url).path == login and p.status == 200)
        )
    }
    assert wrong == {}
    assert leaks(demo.crawl.private.values(), SECRETS) == []


# --- The checker can fail ------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        lambda: HttpResponse(f"<p>{MARKER}</p>"),
        lambda: HttpResponse(f"<p>{html.escape(MARKER).replace('-', '&#45;')}</p>"),
        lambda: JsonResponse({"title": MARKER}),  # \u0e02… escapes
        lambda: HttpResponse(f"title\r\n{MARKER}\r\n".encode("utf-8-sig"), content_type="text/csv; charset=utf-8"),
        lambda: HttpResponse(
            f"<feed><entry><title>{MARKER}</title></entry></feed>", content_type="application/atom+xml"
        ),
    ],
)
def test_the_checker_finds_the_marker_in_any_format(response):
    assert leaks([page_of("/leak/", response())], SECRETS) == [("/leak/", MARKER)]


def test_the_checker_finds_the_marker_in_a_pdf():
    pdf = render_pdf(f"<html><body><p>มาตรการ {MARKER}</p></body></html>")
    assert leaks([page_of("/leak.pdf", HttpResponse(pdf, content_type="application/pdf"))], SECRETS) == [
        ("/leak.pdf", MARKER)
    ]


def test_the_crawl_fails_when_a_public_page_links_a_draft():
    site = {
        "/": HttpResponse('<a href="/bo-phloi/">ทต.บ่อพลอย</a> <a href="https://elsewhere.example/">อื่น</a>'),
        "/bo-phloi/": HttpResponse('<a href="/">หน้าแรก</a> <a href="http://testserver/bo-phloi/draft/#top">ร่าง</a>'),
        "/bo-phloi/draft/": HttpResponse(f"<h1>{MARKER}</h1>"),
    }
    result = crawl(lambda url: site.get(url, HttpResponse(status=404)))
    assert set(result.pages) == {"/", "/bo-phloi/", "/bo-phloi/draft/"}
    assert leaks(result.pages.values(), SECRETS) == [("/bo-phloi/draft/", MARKER)]
