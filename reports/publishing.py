"""Publish an approved document as an immutable version, and withdraw a publication.

Publishing renders the document once: the standalone HTML (the PDF's source), the body the
public site embeds, the PDF itself and its SHA-256 are stored with the approved data. The
public site only ever reads these stored versions, never the live (editable) tables.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import editions
from measures.models import DocumentStatus
from measures.services import ServiceError, stamp
from measures.workflow import Target, lock_target

from . import rendering
from .documents import prose
from .models import Publication
from .pdf import render_pdf

# Sent once a version is withdrawn (its row is updated in place, so post_save is not sent).
publication_withdrawn = Signal()

log = logging.getLogger(__name__)


def kind_of(target: Target) -> str:
    return target.publication_kind


def fiscal_year_of(target: Target) -> int:
    return target.fiscal_year


def publication_title(data: dict) -> str:
    """The title of a publication (its public page, feeds, open data) as its document prints it: in
    Thai digits for an organisation that uses them, though typed or made ("รอบ 6 เดือน … พ.ศ. 2566")
    with Arabic ones (item codes keep theirs)."""
    if data["kind"] == "measures":
        title = data["title"]
    else:
        title = editions.report_title(data["organisation"]["name"], data["fiscal_year"], data["round"])
    return prose([title], thai_digits=data["organisation"]["thai_digits"])[0]


def _render_pdf(html: str, target) -> bytes:
    try:
        return render_pdf(html)
    except Exception as error:
        # Nothing is stored yet; the transaction rolls back the lock and the document stays approved.
        log.exception("could not render the PDF of %s", target)
        raise ServiceError(
            _(
                "สร้างไฟล์ PDF ของเอกสารไม่สำเร็จ จึงยังไม่ได้เผยแพร่ เอกสารยังอยู่ในสถานะอนุมัติแล้ว "
                "กรุณาลองใหม่อีกครั้ง หากยังไม่สำเร็จกรุณาแจ้งผู้ดูแลระบบ"
            )
        ) from error


@transaction.atomic
def publish(*, target: Target, by, with_memo: bool = False) -> Publication:
    """Freeze the approved edition as the next version of its document on the public site.

    The page, the PDF and the open data are made from the edition's data frozen at submission
    (Submission.snapshot) and the decisions on it: what the executives signed, and nothing read
    from the live tables. `with_memo`: publish the signed memo (บันทึกข้อความ) with it.
    """
    target = lock_target(target)
    if target.status != DocumentStatus.APPROVED:
        raise ServiceError(_("เผยแพร่ได้เฉพาะเอกสารที่ผ่านการอนุมัติแล้วและยังไม่ได้เผยแพร่"))
    submission = editions.current_submission(target)  # the approved one of this edition
    if submission is None or submission.snapshot.get("schema") != editions.SCHEMA:
        raise ServiceError(_("ไม่พบฉบับที่ได้รับอนุมัติของเอกสารนี้ครบถ้วน กรุณาเริ่มฉบับปรับปรุงใหม่และเสนออนุมัติอีกครั้ง"))
    organisation = target.organisation
    fiscal_year, kind = target.fiscal_year, target.publication_kind
    approvals = editions.approvals(submission)
    # The memo is an internal paper: it goes public only when the officer publishes it too.
    data = {key: value for key, value in submission.snapshot.items() if key != "memo" or with_memo}
    data["approvals"] = approvals
    latest = (
        Publication.objects.select_for_update()
        .filter(organisation=organisation, fiscal_year=fiscal_year, kind=kind)
        .order_by("-version")
        .first()
    )
    version = latest.version + 1 if latest else 1
    page, body = rendering.page_and_body(data, approvals=approvals)
    pdf = _render_pdf(page, target)
    memo_html, memo_pdf = "", b""
    if with_memo:
        memo_html = rendering.freeze_styles(rendering.memo_html(submission))
        memo_pdf = _render_pdf(memo_html, target)
    publication = Publication(
        organisation=organisation,
        fiscal_year=fiscal_year,
        kind=kind,
        version=version,
        document=target if kind == Publication.Kind.MEASURES else None,
        report=target if kind != Publication.Kind.MEASURES else None,
        edition=target.edition,
        submission=submission,
        title=publication_title(data)[:300],
        data=data,
        html=rendering.freeze_styles(page),
        body_html=body,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
        memo_html=memo_html,
        published_by=by,
        published_at=timezone.now(),
    )
    stem = f"{organisation.slug}-{fiscal_year}-{kind}-v{version}"
    publication.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    if with_memo:
        publication.memo_pdf.save(f"{stem}-memo.pdf", ContentFile(memo_pdf), save=False)
    # If the rows cannot be written, the files go too: a half-made publication leaves nothing behind.
    try:
        publication.save(force_insert=True)
        target.status = DocumentStatus.PUBLISHED
        stamp(target, by)
        target.save(update_fields=["status", "updated_at"])
    except Exception:
        publication.pdf.delete(save=False)
        if with_memo:
            publication.memo_pdf.delete(save=False)
        raise
    return publication


@transaction.atomic
def withdraw(*, publication: Publication, by, reason: str) -> Publication:
    """Take a version off the public site; its record and files stay, with a notice in its place."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("กรุณาระบุเหตุผลที่ถอนการเผยแพร่ ข้อความนี้จะแสดงต่อสาธารณะ"))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.is_withdrawn:
        raise ServiceError(_("ฉบับนี้ถอนการเผยแพร่ไปแล้ว"))
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason)
    target = publication.document or publication.report
    target = lock_target(target)
    newest = not Publication.objects.filter(
        document=publication.document, report=publication.report, version__gt=publication.version
    ).exists()
    if newest and target.status == DocumentStatus.PUBLISHED:
        target.status = DocumentStatus.APPROVED  # it may be published again, as a new version
        stamp(target, by)
        target.save(update_fields=["status", "updated_at"])
    publication.refresh_from_db()
    publication_withdrawn.send(sender=Publication, publication=publication)
    return publication


def versions(organisation_id: int, fiscal_year: int, kind: str):
    return (
        Publication.objects.filter(organisation_id=organisation_id, fiscal_year=fiscal_year, kind=kind)
        .select_related("published_by")
        .order_by("-version")
    )
