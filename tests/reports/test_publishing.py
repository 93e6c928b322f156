"""Publishing: an approved document frozen as a numbered, immutable version; withdrawal.

The fixtures here (`published`, `republished`) and the helpers `new_edition` and `pdf_text`
are shared with the public-site and staff-view tests.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import hashlib
import subprocess
import unicodedata
from datetime import UTC, datetime

import pytest
import time_machine
from django.db.models import ProtectedError

from measures import services, thai, workflow
from measures.models import DocumentStatus, Membership
from measures.services import MeasureData, ServiceError
from reports import publishing
from reports.models import Publication
from tests.chain import approve_all, new_edition
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST_TITLE = "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"  # the `measure` fixture's title
SECOND_TITLE = "ประกาศผลการจัดซื้อจัดจ้างทุกเดือนบนเว็บไซต์"


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext -raw extracts it, NFKC (ำ reads back as ํ + า), spaces removed."""
    path = tmp_path / "extracted.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return "".join(unicodedata.normalize("NFKC", out).split())


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def stored_pdf(publication: Publication) -> bytes:
    with publication.pdf.open("rb") as file:
        return file.read()


@pytest.fixture
def published(approved, officer):
    return publishing.publish(target=approved, by=officer)


@pytest.fixture
def republished(published, document, officer, heads):
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    return publishing.publish(target=document, by=officer)


def test_publishing_freezes_the_approved_document_as_version_1(approved, officer, submission):
    with time_machine.travel(datetime(2023, 5, 2, 3, 0, tzinfo=UTC), tick=False):
        publication = publishing.publish(target=approved, by=officer)
    assert (publication.organisation.slug, publication.fiscal_year, publication.kind) == ("test-town", 2566, "measures")
    assert (publication.version, publication.edition, publication.submission) == (1, 1, submission)
    assert (publication.published_by, publication.published_at) == (officer, datetime(2023, 5, 2, 3, 0, tzinfo=UTC))
    assert publication.data["measures"][0]["title"] == FIRST_TITLE
    assert FIRST_TITLE in publication.body_html and FIRST_TITLE in publication.html
    approved.refresh_from_db()
    assert approved.status == DocumentStatus.PUBLISHED


@pytest.mark.parametrize("status", [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.PUBLISHED])
def test_only_an_approved_document_can_be_published(status, document, measure, officer):
    type(document).objects.filter(pk=document.pk).update(status=status)
    with pytest.raises(ServiceError) as refused:
        publishing.publish(target=document, by=officer)
    assert "อนุมัติ" in refused.value.message
    assert not Publication.objects.exists()


def test_a_document_is_not_published_twice_without_a_new_approval(published, document, officer):
    with pytest.raises(ServiceError):
        publishing.publish(target=document, by=officer)
    assert Publication.objects.count() == 1


def test_the_stored_pdf_hashes_to_the_recorded_sha256(published):
    pdf = stored_pdf(published)
    assert hashlib.sha256(pdf).hexdigest() == published.sha256
    assert published.pdf_size == len(pdf)


def test_the_stored_pdf_is_the_approved_document(published, tmp_path):
    text = pdf_text(stored_pdf(published), tmp_path)
    assert squeeze(FIRST_TITLE) in text
    assert squeeze("เทศบาลตำบลทดสอบ") in text


def test_a_new_approved_edition_is_published_as_version_2(republished, published):
    assert (published.version, republished.version) == (1, 2)
    assert (republished.edition, republished.kind, republished.fiscal_year) == (2, "measures", 2566)
    assert republished.data["measures"][0]["title"] == SECOND_TITLE
    assert republished.sha256 != published.sha256


def signed_off_document(organisation, fiscal_year: int, *, title: str, author, heads):
    """A new document of `organisation` with one measure, approved through its chain."""
    target = services.document_create(organisation=organisation, fiscal_year=fiscal_year, by=author)
    services.measure_create(document=target, by=author, data=MeasureData(title=title, number=1, all_units=True))
    approve_all(workflow.submit(target=target, by=author), heads)
    target.refresh_from_db()
    return target


def test_versions_are_numbered_per_year(republished, organisation, officer, heads):
    target = signed_off_document(organisation, 2567, title="มาตรการของปีถัดไป", author=officer, heads=heads)
    assert publishing.publish(target=target, by=officer).version == 1


def test_versions_are_numbered_per_organisation(republished):
    other = OrganisationFactory()
    author, head = UserFactory(), UserFactory()
    MembershipFactory(user=author, organisation=other, role=Membership.Role.OFFICER)
    MembershipFactory(user=head, organisation=other, role=Membership.Role.APPROVER)
    workflow.chain_save(
        organisation=other, by=author, rows=[{"title": "นายกเทศมนตรี", "acting_for": "", "approvers": [head]}]
    )
    target = signed_off_document(other, 2566, title="มาตรการของหน่วยงานอื่น", author=author, heads=[head])
    assert publishing.publish(target=target, by=author).version == 1


def start_round(document, officer, heads, months: int):
    report = services.report_start(document=document, round_months=months, by=officer)
    approve_all(workflow.submit(target=report, by=officer), heads)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(("months", "kind"), [(6, "report-6"), (12, "report-12")])
def test_a_progress_report_is_published_as_its_own_kind(months, kind, republished, document, officer, heads):
    report = start_round(document, officer, heads, months)
    publication = publishing.publish(target=report, by=officer)
    assert (publication.kind, publication.version, publication.report, publication.document) == (kind, 1, report, None)
    assert f"รอบ {thai.to_thai_digits(months)} เดือน" in publication.title  # as the document prints it
    assert SECOND_TITLE in publication.body_html
    report.refresh_from_db()
    assert report.status == DocumentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "ชื่อที่แก้ภายหลัง"),
        ("html", "<p>แก้ไขภายหลัง</p>"),
        ("body_html", "<p>แก้ไขภายหลัง</p>"),
        ("data", {"measures": []}),
        ("sha256", "0" * 64),
        ("pdf_size", 1),
        ("version", 7),
        ("published_at", datetime(2020, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_publication_cannot_be_changed(field, value, published):
    before = Publication.objects.values(field).get(pk=published.pk)
    setattr(published, field, value)
    with pytest.raises(ValueError, match="immutable"):
        published.save()
    assert Publication.objects.values(field).get(pk=published.pk) == before


def test_its_pdf_cannot_be_swapped_for_another_file(published):
    published.pdf.name = "publications/2023/other.pdf"
    with pytest.raises(ValueError, match="immutable"):
        published.save()


def test_recording_a_withdrawal_is_the_one_change_a_publication_accepts(published, officer):
    published.withdrawn_at, published.withdrawn_by, published.withdrawal_reason = published.published_at, officer, "ผิด"
    published.save()
    published.refresh_from_db()
    assert published.is_withdrawn


@pytest.mark.parametrize(("field", "value"), [("withdrawn_at", None), ("withdrawal_reason", "เหตุผลใหม่")])
def test_a_recorded_withdrawal_cannot_be_undone_or_rewritten(field, value, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    published.refresh_from_db()
    setattr(published, field, value)
    with pytest.raises(ValueError, match="immutable"):
        published.save()


def test_a_publication_cannot_be_deleted(published):
    with pytest.raises(ValueError, match="never deleted"):
        published.delete()
    assert Publication.objects.filter(pk=published.pk).exists()


def test_bulk_deletes_and_updates_cannot_get_round_the_guards(published, officer):
    with pytest.raises(ValueError, match="never deleted"):
        Publication.objects.filter(pk=published.pk).delete()
    with pytest.raises(ValueError, match="immutable"):
        Publication.objects.filter(pk=published.pk).update(title="แก้ชื่อเอกสาร")
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    with pytest.raises(ValueError, match="frozen"):
        Publication.objects.filter(pk=published.pk).update(withdrawn_at=None)
    published.refresh_from_db()
    assert published.title != "แก้ชื่อเอกสาร" and published.is_withdrawn


def test_a_published_document_cannot_be_deleted_from_under_its_publication(published, document):
    with pytest.raises(ProtectedError):
        document.delete()


def test_editing_and_republishing_leaves_version_1_byte_identical(published, document, officer, heads):
    before = Publication.objects.values("html", "body_html", "data", "sha256", "pdf", "published_at").get(
        pk=published.pk
    )
    pdf_before = stored_pdf(published)
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)
    published.refresh_from_db()
    assert (
        Publication.objects.values("html", "body_html", "data", "sha256", "pdf", "published_at").get(pk=published.pk)
        == before
    )
    assert stored_pdf(published) == pdf_before
    assert hashlib.sha256(pdf_before).hexdigest() == published.sha256
    assert SECOND_TITLE not in published.html


def test_editing_a_new_edition_does_not_touch_the_published_version(published, document, officer, heads):
    html = published.html
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE, approve=False)
    published.refresh_from_db()
    assert published.html == html
    assert published.data["measures"][0]["title"] == FIRST_TITLE


# --- Withdrawal --------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_withdrawing_requires_a_reason(reason, published, officer):
    with pytest.raises(ServiceError) as refused:
        publishing.withdraw(publication=published, by=officer, reason=reason)
    assert refused.value.message == "กรุณาระบุเหตุผลที่ถอนการเผยแพร่ ข้อความนี้จะแสดงต่อสาธารณะ"
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_withdrawing_keeps_the_record_with_who_when_and_why(published, officer):
    sha256 = published.sha256
    with time_machine.travel(datetime(2023, 6, 1, 2, 0, tzinfo=UTC), tick=False):
        withdrawn = publishing.withdraw(publication=published, by=officer, reason="  แนบไฟล์ผิดฉบับ ")
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_at) == (officer, datetime(2023, 6, 1, 2, 0, tzinfo=UTC))
    assert withdrawn.withdrawal_reason == "แนบไฟล์ผิดฉบับ"
    assert withdrawn.is_withdrawn and withdrawn.sha256 == sha256
    assert hashlib.sha256(stored_pdf(withdrawn)).hexdigest() == sha256
    assert Publication.objects.live().count() == 0 and Publication.objects.count() == 1


def test_a_withdrawn_document_is_approved_again_and_republished_as_the_next_version(published, document, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    again = publishing.publish(target=document, by=officer)
    assert again.version == 2 and not again.is_withdrawn
    published.refresh_from_db()
    assert published.is_withdrawn


def test_withdrawing_an_older_version_leaves_the_newer_one_published(republished, published, document, officer):
    publishing.withdraw(publication=published, by=officer, reason="ฉบับเก่ามีข้อผิดพลาด")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED
    assert list(Publication.objects.live()) == [republished]


def test_withdrawing_during_a_new_edition_leaves_the_draft_a_draft(published, document, officer, heads):
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE, approve=False)
    publishing.withdraw(publication=published, by=officer, reason="กำลังปรับปรุง")
    document.refresh_from_db()
    assert (document.status, document.edition) == (DocumentStatus.DRAFT, 2)


def test_a_version_cannot_be_withdrawn_twice(published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    with pytest.raises(ServiceError):
        publishing.withdraw(publication=published, by=officer, reason="อีกครั้ง")
    published.refresh_from_db()
    assert published.withdrawal_reason == "แนบไฟล์ผิดฉบับ"


# --- A report and a new edition of its measures ---------------------------------------------


def test_a_report_approved_before_its_measures_were_edited_publishes_what_was_approved(
    republished, document, officer, heads
):
    report = start_round(document, officer, heads, 6)
    approved_title = report.entries.order_by("measure__pk").first().measure.title
    new_edition(document, by=officer, heads=heads, title="ชื่อมาตรการที่ยังไม่อนุมัติ", approve=False)
    publication = publishing.publish(target=report, by=officer)
    assert "ชื่อมาตรการที่ยังไม่อนุมัติ" not in publication.body_html + str(publication.data)
    assert approved_title in publication.body_html
    report.refresh_from_db()
    assert report.status == DocumentStatus.PUBLISHED


def test_such_a_report_is_published_once_approved_again(republished, document, officer, heads):
    report = start_round(document, officer, heads, 6)
    new_edition(document, by=officer, heads=heads, title="ชื่อมาตรการฉบับปรับปรุง", approve=False)
    new_edition(report, by=officer, heads=heads)
    publication = publishing.publish(target=report, by=officer)
    assert (publication.edition, publication.kind) == (2, "report-6")
    assert "ชื่อมาตรการฉบับปรับปรุง" in publication.body_html


def test_the_frozen_html_carries_its_own_styles_so_a_later_css_change_cannot_alter_it(published):
    assert '<link rel="stylesheet"' not in published.html
    assert "@font-face" in published.html and "col.w-" in published.html
    assert '<style media="screen">' in published.html  # the on-screen look, still screen-only
