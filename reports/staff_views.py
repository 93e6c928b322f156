"""Staff access to the printed documents: the HTML preview and the PDF, for any state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measures.access import (
    Action,
    get_access,
    get_document_for_user,
    get_report_for_user,
    get_signoff_target_for_user,
    get_submission_for_user,
)
from measures.services import ServiceError
from measures.views.confirm import confirm_page, is_confirmed

from . import oit, publishing, rendering
from .forms import OitEntryForm
from .models import OitEntry, Publication


def _links(request, back: str, pdf: str) -> dict:
    """The on-screen bar of a print preview, and the nonce that lets the document's <style> through the CSP."""
    return {
        "screen_links": [{"label": "← กลับ", "url": back}, {"label": "ดาวน์โหลด PDF", "url": pdf}],
        "csp_nonce": str(request.csp_nonce),
    }


def _respond(html: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(rendering.cached_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return HttpResponse(html)


@login_required
def document_print(request, org, year, fmt="html"):
    access, document = get_document_for_user(request, org, year, action=Action.VIEW)
    links = (
        _links(
            request,
            reverse("measures:document_detail", args=[org, year]),
            reverse("reports:document_pdf", args=[org, year]),
        )
        if fmt == "html"
        else {}
    )
    return _respond(rendering.target_html(document, **links), fmt, f"ita-measures-{slugify(org)}-{year}")


@login_required
def report_print(request, org, year, round_months, fmt="html"):
    access, _document, report = get_report_for_user(request, org, year, round_months, action=Action.VIEW)
    if report is None:
        raise Http404("ยังไม่ได้เริ่มรอบการรายงานนี้")
    links = (
        _links(
            request,
            reverse("measures:round_detail", args=[org, year, round_months]),
            reverse("reports:report_pdf", args=[org, year, round_months]),
        )
        if fmt == "html"
        else {}
    )
    return _respond(rendering.target_html(report, **links), fmt, f"ita-report-{slugify(org)}-{year}-{round_months}")


@login_required
def memo_print(request, org, pk, fmt="html"):
    _access, submission = get_submission_for_user(request, org, pk)
    links = (
        _links(request, reverse("measures:review", args=[org, pk]), reverse("reports:memo_pdf", args=[org, pk]))
        if fmt == "html"
        else {}
    )
    return _respond(rendering.memo_html(submission, **links), fmt, f"ita-memo-{slugify(org)}-{pk}")


# --- Publishing ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, org, year, round_months=None):
    """Publish the approved edition: officers and organisation admins (EDIT). A GET, or a POST not
    sent from the confirmation page, shows what publishing does; nothing is published by one click."""
    access, target = get_signoff_target_for_user(request, org, year, round_months, Action.EDIT)
    back = reverse(target.staff_url[0], args=target.staff_url[1:])
    if target.status != "approved":
        messages.error(request, _("เผยแพร่ได้เฉพาะเอกสารที่ผ่านการอนุมัติแล้วและยังไม่ได้เผยแพร่"))
        return redirect(back)
    if is_confirmed(request):
        try:
            publication = publishing.publish(
                target=target, by=request.user, with_memo=request.POST.get("with_memo") == "1"
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            url = request.build_absolute_uri(
                reverse("reports:publication_latest", args=[org, publication.fiscal_year, publication.kind])
            )
            messages.success(
                request,
                _("เผยแพร่แล้ว (ฉบับเผยแพร่ที่ %(v)s) ที่อยู่ถาวรสำหรับแจ้งใน ITAS: %(url)s")
                % {"v": publication.version, "url": url},
            )
        return redirect(back)
    latest = publishing.versions(access.organisation.pk, target.fiscal_year, target.publication_kind).first()
    version = latest.version + 1 if latest else 1
    address = request.build_absolute_uri(
        reverse("reports:publication_version", args=[org, target.fiscal_year, target.publication_kind, version])
    )
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "access": access,
            "organisation": access.organisation,
            "target": target,
            "document": target if round_months is None else target.document,
            "version": version,
            "address": address,
            "latest_address": request.build_absolute_uri(
                reverse("reports:publication_latest", args=[org, target.fiscal_year, target.publication_kind])
            ),
            "cancel_url": back,
            "print_url": reverse(
                "reports:document_print" if round_months is None else "reports:report_print",
                args=[org, year] if round_months is None else [org, year, round_months],
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, org, pk):
    access = get_access(request, org)
    access.require(Action.EDIT)
    publication = get_object_or_404(Publication, pk=pk, organisation=access.organisation)
    target = publication.document or publication.report
    back = reverse(target.staff_url[0], args=target.staff_url[1:])
    reason = request.POST.get("reason", "").strip()
    error = ""
    if is_confirmed(request):
        try:
            publishing.withdraw(publication=publication, by=request.user, reason=reason)
        except ServiceError as refused:
            error = refused.message
        else:
            messages.success(
                request, _("ถอนการเผยแพร่ฉบับที่ %(v)s แล้ว หน้าเว็บจะแสดงประกาศแทนเอกสาร") % {"v": publication.version}
            )
            return redirect(back)
    return render(
        request,
        "reports/withdraw_confirm.html",
        {
            "access": access,
            "organisation": access.organisation,
            "publication": publication,
            "target": target,
            "document": publication.document or publication.report.document,
            "reason": reason,
            "error": error,
            "cancel_url": back,
            "address": request.build_absolute_uri(
                reverse(
                    "reports:publication_version",
                    args=[org, publication.fiscal_year, publication.kind, publication.version],
                )
            ),
        },
        status=400 if error else 200,
    )


# --- The OIT evidence index: free entries ---------------------------------------------------


def _oit_year(year: int) -> int:
    if not 2500 <= year <= 2700:
        raise Http404("ปีงบประมาณไม่ถูกต้อง")
    return year


@login_required
@require_http_methods(["GET", "POST"])
def oit_edit(request, org, year):
    """The year's OIT index as staff see it, and the form to add a link for another item (EDIT)."""
    access = get_access(request, org, Action.EDIT)
    organisation, year = access.organisation, _oit_year(year)
    form = OitEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = oit.entry_add(organisation=organisation, fiscal_year=year, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("เพิ่มข้อ %(code)s แล้ว") % {"code": entry.item_code})
            return redirect("reports:oit_edit", org, year)
    index = oit.absolutise(oit.build_index(organisation, year), request.build_absolute_uri)
    copy_text = oit.index_text(index)
    return render(
        request,
        "reports/oit_edit.html",
        {
            "access": access,
            "organisation": organisation,
            "year": year,
            "index": index,
            "form": form,
            "copy_text": copy_text,
            "copy_rows": copy_text.count("\n") + 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def oit_delete(request, org, year, pk):
    access = get_access(request, org, Action.EDIT)
    entry = get_object_or_404(OitEntry, pk=pk, organisation=access.organisation, fiscal_year=year)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("ลบรายการนี้ออกจากดัชนีหลักฐาน OIT หรือไม่"),
            lead=_("ข้อ %(code)s %(title)s จะถูกลบออกจากดัชนีหลักฐาน OIT ปีงบประมาณ พ.ศ. %(year)s")
            % {"code": entry.item_code, "title": entry.title, "year": year},
            consequences=[
                _("ที่อยู่เว็บ %(url)s จะไม่แสดงในหน้าสาธารณะของดัชนี และในรายการสำหรับคัดลอกไปกรอกในระบบ ITAS อีก")
                % {"url": entry.url},
                _("ประวัติการแก้ไขยังเก็บไว้ในระบบ"),
            ],
            button=_("ลบรายการ"),
            cancel_url=reverse("reports:oit_edit", args=[org, year]),
            extra_context={"access": access, "organisation": access.organisation},
        )
    oit.entry_delete(entry=entry, by=request.user)
    messages.success(request, _("ลบข้อ %(code)s ออกจากรายการแล้ว") % {"code": entry.item_code})
    return redirect("reports:oit_edit", org, year)
