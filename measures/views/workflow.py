"""Sign-off screens: the chain, submit, the inbox, review and decide, memo, editions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, workflow
from ..access import (
    Action,
    accesses_for_user,
    get_access,
    get_document_for_user,
    get_report_for_user,
    get_submission_for_user,
)
from ..forms import ChainFormSet, DecisionForm, MemoForm
from ..models import Membership, Submission
from ..services import ServiceError


def _target(request, org, year, round_months, action):
    """The measures document (round_months None) or one of its progress reports.

    Sign-off pages show whole documents: contributors (who see only their unit's measures)
    are refused even for reading.
    """
    if round_months is None:
        access, target = get_document_for_user(request, org, year, action=action)
    else:
        access, _document, target = get_report_for_user(request, org, year, round_months, action=action)
        if target is None:
            raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    access.require(action)
    return access, target


def _target_url(target) -> tuple:
    if hasattr(target, "round"):
        return ("measures:round_detail", target.document.organisation.slug, target.document.fiscal_year, target.round)
    return ("measures:document_detail", target.organisation.slug, target.fiscal_year)


# --- Chain --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def chain_edit(request, org):
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    approvers = get_user_model().objects.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.APPROVER,
        memberships__is_active=True,
    ).distinct().order_by("first_name")
    positions = list(organisation.approval_positions.prefetch_related("approvers"))
    initial = [
        {"title": p.title, "acting_for": p.acting_for, "approvers": list(p.approvers.all()), "ORDER": p.order}
        for p in positions
    ]
    formset = ChainFormSet(request.POST or None, initial=initial, form_kwargs={"approvers": approvers})
    # The check boxes of every row list the same people: read them once, not once per row.
    choices = [(user.pk, user.get_full_name() or user.get_username()) for user in approvers]
    for form in formset.forms:
        form.fields["approvers"].choices = choices
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.ordered_forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            workflow.chain_save(organisation=organisation, by=request.user, rows=rows)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("บันทึกลำดับการพิจารณาแล้ว"))
            return redirect("measures:chain_edit", org)
    return render(request, "measures/chain_form.html", {
        "access": access, "organisation": organisation, "formset": formset, "has_approvers": bool(choices),
    })


# --- Submit, reopen, memo ----------------------------------------------------------------


@login_required
@require_POST
def submit(request, org, year, round_months=None):
    access, target = _target(request, org, year, round_months, Action.EDIT)
    try:
        workflow.submit(target=target, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("เสนอเพื่อพิจารณาแล้ว ระบบแจ้งผู้พิจารณาลำดับแรกทางอีเมล"))
    return redirect(*_target_url(target))


@login_required
@require_POST
def reopen(request, org, year, round_months=None):
    access, target = _target(request, org, year, round_months, Action.EDIT)
    try:
        target = workflow.reopen(target=target, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("เริ่มฉบับปรับปรุงครั้งที่ %(n)s แล้ว เมื่อแก้ไขเสร็จต้องเสนอพิจารณาใหม่") % {"n": target.edition}
        )
    return redirect(*_target_url(target))


@login_required
@require_http_methods(["GET", "POST"])
def memo_edit(request, org, year, round_months=None):
    access, target = _target(request, org, year, round_months, Action.EDIT)
    memo = workflow.memo_draft(target, by=request.user)  # saved only by a valid form, below
    form = MemoForm(request.POST or None, instance=memo, initial={"revision": memo.revision})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            memo = workflow.memo_for(target, by=request.user)
            workflow.memo_update(memo=memo, by=request.user, revision=form.cleaned_data["revision"], **data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกบันทึกข้อความแล้ว"))
            return redirect(*_target_url(target))
    document = target if round_months is None else target.document
    return render(request, "measures/memo_form.html", {
        "access": access, "organisation": access.organisation, "document": document, "target": target,
        "form": form, "editable": target.status == "draft",
    })


# --- Inbox and review --------------------------------------------------------------------


@login_required
def inbox(request):
    return render(request, "measures/inbox.html",
                  {"submissions": workflow.pending_for(request.user, accesses_for_user(request.user))})


def _document_of(submission: Submission):
    return submission.document or submission.report.document


@login_required
def review(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    decisions = list(submission.decisions.all())
    history = list(
        Submission.objects.filter(document=submission.document_id, report=submission.report_id)
        .exclude(pk=submission.pk)
        .prefetch_related("decisions")
        .order_by("-submitted_at")
    ) if submission.document_id or submission.report_id else []
    return render(request, "measures/review.html", {
        "access": access, "organisation": access.organisation, "document": _document_of(submission),
        "submission": submission, "decisions": decisions, "history": history,
        "may_decide": submission.may_decide(request.user), "form": DecisionForm(),
        "snapshot": submission.snapshot,
    })


@login_required
@require_POST
def decide(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    if not submission.may_decide(request.user):
        raise PermissionDenied(_("คุณไม่ใช่ผู้พิจารณาในขั้นนี้"))
    form = DecisionForm(request.POST)
    approve = "approve" in request.POST
    if form.is_valid():
        try:
            workflow.decide(submission=submission, by=request.user, approve=approve,
                            comment=form.cleaned_data["comment"])
        except ServiceError as error:
            form.add_error("comment", error.message)
        else:
            messages.success(request, _("บันทึกผลการพิจารณาแล้ว") if approve else _("ส่งกลับให้แก้ไขแล้ว"))
            return redirect("measures:inbox")
    return render(request, "measures/review.html", {
        "access": access, "organisation": access.organisation, "document": _document_of(submission),
        "submission": submission, "decisions": list(submission.decisions.all()), "history": [],
        "may_decide": True, "form": form, "snapshot": submission.snapshot,
    }, status=400)


@login_required
def memo_view(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    target = submission.target
    memo = workflow.memo_draft(target, by=submission.submitted_by)
    decisions = {d.step: d for d in submission.decisions.all()}
    blocks = [{"step": step, "decision": decisions.get(n)} for n, step in enumerate(submission.steps)]
    return render(request, "measures/memo.html", {
        "access": access, "organisation": access.organisation, "document": _document_of(submission),
        "submission": submission, "memo": memo, "blocks": blocks,
        "thai_digits": access.organisation.thai_digits,
    })


# --- Editions ----------------------------------------------------------------------------


@login_required
def editions(request, org, year, round_months=None):
    access, target = _target(request, org, year, round_months, Action.VIEW)
    approved = list(
        Submission.objects.filter(**workflow._target_filter(target), status=Submission.Status.APPROVED)
        .select_related("submitted_by").order_by("edition", "closed_at")
    )
    current = (selectors.document_snapshot(target) if round_months is None else selectors.report_snapshot(target))
    rows = []
    previous = None
    for submission in approved:
        rows.append({"submission": submission, "diff": selectors.snapshot_diff(previous, submission.snapshot)
                     if previous is not None else None})
        previous = submission.snapshot
    draft_diff = selectors.snapshot_diff(previous, current) if previous is not None and target.status == "draft" else None
    document = target if round_months is None else target.document
    return render(request, "measures/editions.html", {
        "access": access, "organisation": access.organisation, "document": document, "target": target,
        "rows": rows, "draft_diff": draft_diff,
    })


