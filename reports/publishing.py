"""Publish an approved document as an immutable version, and withdraw a publication.

Publishing renders the document once: the standalone HTML (the PDF's source), the body the
public site embeds, the PDF itself and its SHA-256 are stored with the approved data. The
public site only ever reads these stored versions, never the live (editable) tables.
"""

import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import selectors, thai
from measures.models import DocumentStatus, MeasuresDocument, Submission
from measures.services import ServiceError, _stamp
from measures.workflow import Target, _lock, _organisation_of

from . import rendering
from .models import Publication
from .pdf import render_pdf

log = logging.getLogger(__name__)


def kind_of(target: Target) -> str:
    if isinstance(target, MeasuresDocument):
        return Publication.Kind.MEASURES
    return Publication.Kind.REPORT_6 if target.round == 6 else Publication.Kind.REPORT_12


def fiscal_year_of(target: Target) -> int:
    return target.fiscal_year if isinstance(target, MeasuresDocument) else target.document.fiscal_year


def _title(target: Target) -> str:
    if isinstance(target, MeasuresDocument):
        return target.title
    organisation = target.document.organisation
    return _("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส %(round)s %(org)s %(year)s") % {
        "round": thai.round_label(target.round, thai_digits=False),
        "org": organisation.name,
        "year": thai.fiscal_year_label(target.document.fiscal_year, thai_digits=False),
    }


@transaction.atomic
def publish(*, target: Target, by) -> Publication:
    """Freeze the approved target as the next version of its document on the public site."""
    target = _lock(target)
    if target.status != DocumentStatus.APPROVED:
        raise ServiceError(_("เผยแพร่ได้เฉพาะเอกสารที่ผ่านการอนุมัติแล้วและยังไม่ได้เผยแพร่"))
    organisation = _organisation_of(target)
    fiscal_year, kind = fiscal_year_of(target), kind_of(target)
    submission = (
        Submission.objects.filter(status=Submission.Status.APPROVED, edition=target.edition,
                                  **({"document": target} if kind == Publication.Kind.MEASURES else {"report": target}))
        .order_by("-closed_at").first()
    )
    if isinstance(target, MeasuresDocument):
        data = selectors.document_snapshot(target)
    else:
        data = selectors.report_snapshot(target)
    # The page and the PDF are rendered from the live tables. A report shows its measures'
    # titles, which a new edition of the measures document may have changed since the report
    # was approved: publishing then would put unapproved (draft) text on the public site.
    if submission is not None and json.loads(json.dumps(data)) != submission.snapshot:
        raise ServiceError(_("เนื้อหาของเอกสารเปลี่ยนไปหลังจากได้รับอนุมัติ (เช่น มีการแก้ไขมาตรการในฉบับปรับปรุง"
                             "ของเอกสารมาตรการ) จึงยังเผยแพร่ไม่ได้ กรุณาเริ่มฉบับปรับปรุงใหม่และเสนออนุมัติอีกครั้ง"))
    latest = (Publication.objects.select_for_update()
              .filter(organisation=organisation, fiscal_year=fiscal_year, kind=kind).order_by("-version").first())
    version = latest.version + 1 if latest else 1
    page, body, _context = rendering.document_page_and_body(target)
    try:
        pdf = render_pdf(page)
    except Exception as error:
        # Nothing is stored yet; the transaction rolls back the lock and the document stays approved.
        log.exception("could not render the PDF of %s", target)
        raise ServiceError(_("สร้างไฟล์ PDF ของเอกสารไม่สำเร็จ จึงยังไม่ได้เผยแพร่ เอกสารยังอยู่ในสถานะอนุมัติแล้ว "
                             "กรุณาลองใหม่อีกครั้ง หากยังไม่สำเร็จกรุณาแจ้งผู้ดูแลระบบ")) from error
    data |= {"organisation": {"name": organisation.name, "slug": organisation.slug, "province": organisation.province},
             "fiscal_year": fiscal_year, "edition": target.edition}
    publication = Publication(
        organisation=organisation, fiscal_year=fiscal_year, kind=kind, version=version,
        document=target if kind == Publication.Kind.MEASURES else None,
        report=target if kind != Publication.Kind.MEASURES else None,
        edition=target.edition, submission=submission, title=_title(target)[:300], data=data,
        html=rendering.freeze_styles(page), body_html=body, sha256=hashlib.sha256(pdf).hexdigest(), pdf_size=len(pdf),
        published_by=by, published_at=timezone.now(),
    )
    publication.pdf.save(f"{organisation.slug}-{fiscal_year}-{kind}-v{version}.pdf", ContentFile(pdf), save=False)
    # If the rows cannot be written, the file goes too: a half-made publication leaves nothing behind.
    try:
        publication.save(force_insert=True)
        target.status = DocumentStatus.PUBLISHED
        _stamp(target, by)
        target.save(update_fields=["status", "updated_at"])
    except Exception:
        publication.pdf.delete(save=False)
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
    target = _lock(target)
    newest = not Publication.objects.filter(document=publication.document, report=publication.report,
                                            version__gt=publication.version).exists()
    if newest and target.status == DocumentStatus.PUBLISHED:
        target.status = DocumentStatus.APPROVED  # it may be published again, as a new version
        _stamp(target, by)
        target.save(update_fields=["status", "updated_at"])
    publication.refresh_from_db()
    return publication


def versions(organisation_id: int, fiscal_year: int, kind: str):
    return (Publication.objects.filter(organisation_id=organisation_id, fiscal_year=fiscal_year, kind=kind)
            .select_related("published_by").order_by("-version"))

