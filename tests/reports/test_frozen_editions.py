"""What the executives sign is exactly what the public reads (issue 14).

Each path by which unapproved content once reached the public: after approval, a change to the
measures (steps, units), to the ITA result, to the organisation's name or to its table layout
must never appear in the approved edition's print, its PDF or any publication; and a published
version's HTML, PDF, JSON and CSV stay byte-identical after every such change.
"""

import hashlib
import re
import subprocess
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from measures import editions, services, workflow
from measures.models import DocumentStatus, Framework, Organisation
from measures.services import MeasureData
from reports import publishing, rendering
from tests.chain import approve_all
from tests.reports.test_publishing import pdf_text, squeeze, stored_pdf

pytestmark = pytest.mark.django_db

APPROVED_STEP = "ประกาศผลการจัดซื้อจัดจ้างบนเว็บไซต์ทุกเดือน"
APPROVED_UNIT = "กองคลัง"
LATER_STEP = "ขั้นตอนที่เขียนหลังการอนุมัติ"
LATER_UNIT = "กองช่างที่เพิ่มภายหลัง"
LATER_NAME = "เทศบาลตำบลชื่อใหม่หลังอนุมัติ"


@pytest.fixture
def scored(organisation, officer):
    """The ITA 2565 result that a 2566 document analyses: every indicator 80."""
    framework = Framework.objects.prefetch_related("tools__indicators").get(year=2565)
    return services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("80") for i in framework.indicators.all()},
    )


@pytest.fixture
def signed(chain, document, theme, finance, officer, heads, scored):
    """An approved measures document whose one measure has a step and a responsible unit."""
    data = MeasureData(title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", number=1, theme=theme, units=[finance], steps=[APPROVED_STEP])
    services.measure_create(document=document, by=officer, data=data)
    approve_all(workflow.submit(target=document, by=officer), heads)
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    return document


def _change_everything(document, organisation, officer, works, framework_year=2565, reopen=True):
    """Every kind of later change: the measures (in a new draft edition), the ITA result, the
    organisation's name and its layout."""
    if reopen:
        workflow.reopen(target=document, by=officer)
        measure = document.measures.get()
        data = MeasureData(
            title=measure.title, number=measure.number, theme=measure.theme, units=[works], steps=[LATER_STEP]
        )
        services.measure_update(measure=measure, by=officer, revision=None, data=data)
    framework = Framework.objects.prefetch_related("tools__indicators").get(year=framework_year)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("33") for i in framework.indicators.all()},
    )
    Organisation.objects.filter(pk=organisation.pk).update(
        name=LATER_NAME, report_layout=Organisation.Layout.SAO_SIX_COLUMNS
    )


@pytest.fixture
def works_renamed(works):
    works.name = LATER_UNIT
    works.save()
    return works


def test_the_approved_print_and_pdf_ignore_every_change_made_after_approval(
    signed, organisation, officer, works_renamed, client_for
):
    before_html = rendering.target_html(signed)
    # The ITA result, the name and the layout change while the document stays approved.
    _change_everything(signed, organisation, officer, works_renamed, reopen=False)
    signed.refresh_from_db()
    assert rendering.target_html(signed) == before_html
    client = client_for(officer)
    pdf = client.get(reverse("reports:document_pdf", args=[organisation.slug, signed.fiscal_year])).content
    text = squeeze(pdf_text(pdf, _tmp()))
    assert squeeze(APPROVED_STEP) in text and squeeze("๘๐.๐๐") in text
    assert squeeze(LATER_NAME) not in text and squeeze("๓๓.๐๐") not in text


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page of the PDF (pdftotext -raw), NFKC."""
    path = _tmp() / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return [unicodedata.normalize("NFKC", page) for page in out.split("\f") if page.strip()]


def _tmp():
    """A fresh folder for pdftotext's files."""
    return Path(tempfile.mkdtemp())


def test_a_published_document_shows_only_the_approved_steps_units_scores_and_name(
    signed, organisation, officer, works_renamed, client
):
    _change_everything(signed, organisation, officer, works_renamed, reopen=False)
    signed.refresh_from_db()
    publication = publishing.publish(target=signed, by=officer)
    page = client.get(
        reverse("reports:publication_latest", args=[organisation.slug, 2566, "measures"])
    ).content.decode()
    text = squeeze(pdf_text(stored_pdf(publication), _tmp()))
    for shown in (page, publication.body_html, str(publication.data)):
        assert APPROVED_STEP in shown and APPROVED_UNIT in shown
        assert LATER_STEP not in shown and "33.00" not in shown and "๓๓.๐๐" not in shown
    assert LATER_NAME not in publication.body_html and LATER_NAME not in str(publication.data)
    assert squeeze(APPROVED_STEP) in text and squeeze("๘๐.๐๐") in text and squeeze(LATER_NAME) not in text
    # The layout it was approved with: the five columns of the default layout, not the six of the อบต.
    assert "ข้อเสนอแนะ" not in publication.body_html
    assert publication.data["organisation"]["layout"] == Organisation.Layout.THEMES_12M


def test_a_report_approved_before_its_measures_changed_publishes_the_approved_steps_and_units(
    signed, organisation, officer, heads, works_renamed, client
):
    report = services.report_start(document=signed, round_months=6, by=officer)
    approve_all(workflow.submit(target=report, by=officer), heads)
    report.refresh_from_db()
    _change_everything(signed, organisation, officer, works_renamed)  # a new draft edition of the measures
    publication = publishing.publish(target=report, by=officer)
    json_body = client.get(reverse("reports:publication_json", args=[organisation.slug, 2566, "report-6", 1])).content
    csv_body = client.get(reverse("reports:publication_csv", args=[organisation.slug, 2566, "report-6", 1])).content
    text = squeeze(pdf_text(stored_pdf(publication), _tmp()))
    for shown in (publication.body_html, json_body.decode(), csv_body.decode("utf-8-sig")):
        assert APPROVED_STEP in shown and APPROVED_UNIT in shown
        assert LATER_STEP not in shown and LATER_UNIT not in shown and LATER_NAME not in shown
    assert squeeze(APPROVED_STEP) in text and squeeze(LATER_STEP) not in text


def test_a_published_version_stays_byte_identical_after_every_kind_of_change(
    signed, organisation, officer, heads, works_renamed, client
):
    publication = publishing.publish(target=signed, by=officer)
    urls = [
        reverse(name, args=[organisation.slug, 2566, "measures", 1])
        for name in (
            "reports:publication_html",
            "reports:publication_pdf",
            "reports:publication_json",
            "reports:publication_csv",
        )
    ]

    def fetch() -> list[str]:
        return [hashlib.sha256(b"".join(client.get(url))).hexdigest() for url in urls]

    before = fetch()
    _change_everything(signed, organisation, officer, works_renamed)
    approve_all(workflow.submit(target=signed, by=officer), heads)  # version 2 is approved …
    signed.refresh_from_db()
    publishing.publish(target=signed, by=officer)  # … and published: version 1 stays as it was
    assert fetch() == before
    assert hashlib.sha256(stored_pdf(publication)).hexdigest() == publication.sha256


def test_the_frozen_edition_is_what_submit_saw(signed):
    submission = editions.current_submission(signed)
    assert submission.snapshot["schema"] == editions.SCHEMA
    assert submission.snapshot["measures"][0]["steps"] == [APPROVED_STEP]
    assert submission.snapshot["assessment"]["total"] == "80.00"
    assert submission.snapshot["memo"]["subject"]


# --- Deciding -------------------------------------------------------------------------------


def test_an_approver_taken_off_the_chain_after_submission_cannot_decide(
    chain, measure, document, officer, org_admin, heads, client_for
):
    submission = workflow.submit(target=document, by=officer)
    first = heads[0]
    # The organisation's administrator gives the first position to someone else.
    replacement = heads[1]
    workflow.chain_save(
        organisation=document.organisation,
        by=org_admin,
        rows=[
            {"title": s["title"], "acting_for": "", "approvers": [replacement if n == 0 else heads[n]]}
            for n, s in enumerate(submission.steps)
        ],
    )
    response = client_for(first).post(
        reverse("measures:decide", args=[document.organisation.slug, submission.pk]), {"approve": "1", "comment": ""}
    )
    assert response.status_code == 403
    assert "ลำดับการพิจารณา" in response.content.decode()
    submission.refresh_from_db()
    assert (submission.current_step, submission.decisions.count()) == (0, 0)
    with pytest.raises(workflow.NotTheApprover):
        workflow.decide(submission=submission, by=first, approve=True)
    assert submission not in workflow.pending_for(first, [])


def test_the_chain_page_warns_when_one_person_holds_every_step(organisation, org_admin, approver, client_for):
    workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=[{"title": t, "acting_for": "", "approvers": [approver]} for t in ("ปลัด", "นายก")],
    )
    page = client_for(org_admin).get(reverse("measures:chain_edit", args=[organisation.slug])).content.decode()
    assert "เป็นผู้พิจารณาในทุกขั้น" in page


# --- Ready before it is sent; never a placeholder in print -----------------------------------


def test_a_measure_without_a_responsible_unit_blocks_the_submission(chain, document, theme, officer, client_for):
    measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="มาตรการที่ยังไม่มีผู้รับผิดชอบ", number=1, theme=theme, all_units=True),
    )
    # As an import of an older file, or a unit taken off, can leave it: no unit, no person.
    type(measure).objects.filter(pk=measure.pk).update(all_units=False)
    url = reverse("measures:document_submit", args=[document.organisation.slug, document.fiscal_year])
    page = client_for(officer).get(url).content.decode()
    assert "ยังไม่ได้ระบุหน่วยงานผู้รับผิดชอบ" in page and "ยืนยันเสนอเพื่อพิจารณา" not in page
    response = client_for(officer).post(url, {"confirmed": "1"})
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and not document.submissions.exists()
    with pytest.raises(workflow.NotReady):
        workflow.submit(target=document, by=officer)


def test_a_period_outside_the_fiscal_year_blocks_the_submission(chain, document, theme, officer):
    from datetime import date

    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="มาตรการ",
            number=1,
            theme=theme,
            all_units=True,
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
        ),
    )  # FY 2566 ends on 30 Sep 2023
    readiness = editions.readiness(document)
    assert any("นอกปีงบประมาณ" in b for b in readiness.blockers)


def test_the_check_page_warns_of_what_is_missing_and_what_will_not_print(chain, measure, document, officer, client_for):
    url = reverse("measures:document_submit", args=[document.organisation.slug, document.fiscal_year])
    page = client_for(officer).get(url).content.decode()
    assert "ยังไม่ได้บันทึกผลการประเมิน ITA" in page and "ยังไม่มีผลการวิเคราะห์" in page
    assert "จะไม่ปรากฏในเอกสาร" in page and "ยืนยันเสนอเพื่อพิจารณา" in page
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT  # the check page changes nothing
    client_for(officer).post(url, {"confirmed": "1"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


PLACEHOLDERS = ("ยังไม่ได้บันทึกผลการประเมิน", "ยังไม่ได้บันทึกผลการวิเคราะห์", "ยังไม่มีมาตรการ", "การตรวจสอบการคำนวณ", "ร่าง")


def test_a_published_incomplete_document_prints_no_placeholder_and_no_draft_mark(approved, officer):
    """No ITA result and no findings were recorded: those sections are left out."""
    publication = publishing.publish(target=approved, by=officer)
    text = pdf_text(stored_pdf(publication), _tmp())
    for placeholder in PLACEHOLDERS:
        assert placeholder not in publication.body_html
        assert squeeze(placeholder) not in squeeze(text)
    assert 'draft-notice"' not in publication.html and "@top-right" not in publication.html
    # The sections left out leave no gap: the measures are section ๑.
    assert "<h2>๑. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in re.sub(r"</?span[^>]*>", "", publication.body_html)


def test_a_drafts_pdf_says_draft_on_every_page_and_an_approved_one_never(
    chain, measure, document, officer, heads, client_for
):
    url = reverse("reports:document_pdf", args=[document.organisation.slug, document.fiscal_year])
    client = client_for(officer)
    pages = page_texts(client.get(url).content)
    assert len(pages) >= 2 and all("ร่าง" in p for p in pages)
    approve_all(workflow.submit(target=document, by=officer), heads)
    approved_text = pdf_text(client.get(url).content, _tmp())
    assert "ร่าง" not in approved_text


def test_the_published_document_and_its_pdf_say_who_approved_it(approved, officer, heads, client):
    publication = publishing.publish(target=approved, by=officer)
    names = [h.get_full_name() or h.username for h in heads]
    text = squeeze(pdf_text(stored_pdf(publication), _tmp()))
    page = client.get(
        reverse("reports:publication_latest", args=[approved.organisation.slug, approved.fiscal_year, "measures"])
    ).content.decode()
    for name in names:
        assert squeeze(name) in text and name in page
    assert "อนุมัติโดย นายกเทศมนตรี" in page


def test_the_signed_memo_may_be_published_with_the_document(approved, officer, client):
    publication = publishing.publish(target=approved, by=officer, with_memo=True)
    url = reverse("reports:publication_memo_pdf", args=[approved.organisation.slug, 2566, "measures", 1])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")
    assert "บันทึกข้อความ" in publication.memo_html
    page = client.get(reverse("reports:publication_latest", args=[approved.organisation.slug, 2566, "measures"]))
    assert url in page.content.decode()


def test_without_the_memo_its_url_is_not_found_and_its_text_stays_internal(approved, officer, client):
    publication = publishing.publish(target=approved, by=officer)
    assert "memo" not in publication.data and publication.memo_html == "" and not publication.memo_pdf
    url = reverse("reports:publication_memo_pdf", args=[approved.organisation.slug, 2566, "measures", 1])
    assert client.get(url).status_code == 404


# --- Review: what changed since the approved edition, word by word --------------------------


def test_the_review_of_a_second_edition_shows_the_words_that_changed(
    approved, organisation, officer, heads, client_for
):
    workflow.reopen(target=approved, by=officer)
    measure = approved.measures.get()
    data = MeasureData(title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกไตรมาส", number=1, theme=measure.theme, all_units=True)
    services.measure_update(measure=measure, by=officer, revision=None, data=data)
    submission = workflow.submit(target=approved, by=officer)
    page = client_for(heads[0]).get(reverse("measures:review", args=[organisation.slug, submission.pk]))
    html = page.content.decode()
    assert "สิ่งที่เปลี่ยนจากฉบับที่อนุมัติแล้ว" in html
    assert "<ins>ทุก</ins>" in html or "<ins>ทุกไตรมาส</ins>" in html
    # The summary comes first, then the changes, then the document as it will print.
    assert html.index("สรุป") < html.index("สิ่งที่เปลี่ยน") < html.index("เอกสารที่เสนอ (ตามที่จะพิมพ์")


def test_a_reports_check_leaves_the_measures_to_their_approved_document(approved, officer):
    """A measure approved with its document (here one left without a unit by an older import) does
    not block the report of a round: the report cannot change its measures."""
    approved.measures.update(all_units=False)
    report = services.report_start(document=approved, round_months=6, by=officer)
    readiness = editions.readiness(report)
    assert readiness.ready, readiness.blockers
    assert any("ยังไม่ได้บันทึกผลการดำเนินการ" in w for w in readiness.warnings)


def test_an_approver_taken_off_the_chain_is_no_longer_mailed_for_the_step(
    chain, measure, document, officer, org_admin, heads, mailoutbox
):
    submission = workflow.submit(target=document, by=officer)
    assert submission.current_approver_ids() == [heads[0].pk]
    workflow.chain_save(
        organisation=document.organisation,
        by=org_admin,
        rows=[
            {"title": s["title"], "acting_for": "", "approvers": [heads[1] if n == 0 else heads[n]]}
            for n, s in enumerate(submission.steps)
        ],
    )
    assert submission.current_approver_ids() == []  # frozen for heads[0], who no longer holds it
    mailoutbox.clear()
    from measures import notifications

    assert notifications.waiting_for_decision(submission.pk) == 0
    assert not [m for m in mailoutbox if heads[0].email in m.to]
