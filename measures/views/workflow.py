"""Sign-off screens: the chain, submit, the inbox, review and decide, memo, editions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reports import rendering

from .. import diffs, editions, people, workflow
from ..access import (
    Action,
    accesses_for_user,
    get_access,
    get_signoff_target_for_user,
    get_submission_for_user,
)
from ..forms import ChainFormSet, DecisionForm, MemoForm
from ..models import Membership, Submission
from ..services import ServiceError
from .base import run_service
from .confirm import is_confirmed

# --- Chain --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def chain_edit(request, org):
    access = get_access(request, org, Action.MANAGE)
    organisation = access.organisation
    approvers = (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role=Membership.Role.APPROVER,
            memberships__is_active=True,
        )
        .distinct()
        .select_related("profile")
        .order_by("first_name")
    )
    positions = list(organisation.approval_positions.prefetch_related("approvers"))
    initial = [
        {"title": p.title, "acting_for": p.acting_for, "approvers": list(p.approvers.all()), "ORDER": p.order}
        for p in positions
    ] or [  # a new organisation: the usual steps of its kind, each waiting for its approvers
        {"title": title, "acting_for": "", "approvers": [], "ORDER": order}
        for order, title in enumerate(workflow.default_chain_titles(organisation), start=1)
    ]
    formset = ChainFormSet(request.POST or None, initial=initial, form_kwargs={"approvers": approvers})
    # The check boxes of every row list the same people: read them once, not once per row.
    choices = [(user.pk, people.label(user)) for user in approvers]  # "นายสมชาย ใจดี (ปลัดเทศบาล)"
    for form in formset.forms:
        form.fields["approvers"].choices = choices
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.ordered_forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        response = run_service(
            request,
            None,  # a refusal is said in a message, above the formset
            lambda: workflow.chain_save(organisation=organisation, by=request.user, rows=rows),
            success_message=_("บันทึกลำดับการพิจารณาแล้ว"),  # the page then warns of a sole approver
            redirect_to=("measures:chain_edit", org),
        )
        if response:
            return response
    sole = workflow.sole_approvers([list(p.approvers.all()) for p in positions])
    return render(
        request,
        "measures/chain_form.html",
        {
            "access": access,
            "organisation": organisation,
            "formset": formset,
            "has_approvers": bool(choices),
            "sole_warnings": [_sole_approver_warning(name, len(positions)) for name in sole],
        },
    )


def _sole_approver_warning(name: str, steps: int) -> str:
    return _(
        "%(name)s เป็นผู้พิจารณาในทุกขั้น (%(n)s ขั้น) ของลำดับการพิจารณา: เอกสารจะผ่านการอนุมัติได้โดยคนเดียว "
        "ควรกำหนดผู้พิจารณาแต่ละตำแหน่งตามผู้ดำรงตำแหน่งจริง"
    ) % {"name": name, "n": steps}


# --- Submit, reopen, memo ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, org, year, round_months=None):
    """The check page before a submission (what blocks it, what only warns, what will not print),
    then, confirmed from it, the submission."""
    access, target = get_signoff_target_for_user(request, org, year, round_months, Action.EDIT)
    if target.status != "draft":
        messages.error(request, _("เอกสารนี้ไม่ได้อยู่ในสถานะร่าง จึงเสนอไม่ได้"))
        return redirect(*target.staff_url)
    status = 200
    if is_confirmed(request):
        # The service builds the edition and checks it; a refusal brings back what it found.
        try:
            workflow.submit(target=target, by=request.user)
        except workflow.NotReady as error:
            data, readiness, status = error.data, error.readiness, 400
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(*target.staff_url)
        else:
            messages.success(request, _("เสนอเพื่อพิจารณาแล้ว ระบบแจ้งผู้พิจารณาลำดับแรกทางอีเมล"))
            return redirect(*target.staff_url)
    else:
        data = editions.edition_data(target)
        readiness = editions.readiness(target, data)
    document = target if round_months is None else target.document
    positions = list(access.organisation.approval_positions.prefetch_related("approvers"))
    return render(
        request,
        "measures/submit_check.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "target": target,
            "readiness": readiness,
            "positions": positions,
            "summary": _summary(data),
            "cancel_url": reverse(target.staff_url[0], args=target.staff_url[1:]),
        },
        status=status,
    )


@login_required
@require_POST
def reopen(request, org, year, round_months=None):
    access, target = get_signoff_target_for_user(request, org, year, round_months, Action.EDIT)
    return run_service(
        request,
        None,
        lambda: workflow.reopen(target=target, by=request.user),
        success_message=lambda reopened: (
            _("เริ่มฉบับปรับปรุงครั้งที่ %(n)s แล้ว เมื่อแก้ไขเสร็จต้องเสนอพิจารณาใหม่") % {"n": reopened.edition}
        ),
        redirect_to=lambda reopened: reopened.staff_url,
    ) or redirect(*target.staff_url)


@login_required
@require_http_methods(["GET", "POST"])
def memo_edit(request, org, year, round_months=None):
    access, target = get_signoff_target_for_user(request, org, year, round_months, Action.EDIT)
    memo = workflow.memo_draft(target, by=request.user)  # saved only by a valid form, below
    form = MemoForm(request.POST or None, instance=memo, initial={"revision": memo.revision})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}

        def save():
            saved = workflow.memo_for(target, by=request.user)
            workflow.memo_update(memo=saved, by=request.user, revision=form.cleaned_data["revision"], **data)

        response = run_service(
            request, form, save, success_message=_("บันทึกบันทึกข้อความแล้ว"), redirect_to=target.staff_url
        )
        if response:
            return response
    document = target if round_months is None else target.document
    return render(
        request,
        "measures/memo_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "target": target,
            "form": form,
            "editable": target.status == "draft",
        },
    )


# --- Inbox and review --------------------------------------------------------------------


@login_required
def inbox(request):
    return render(
        request,
        "measures/inbox.html",
        {"submissions": workflow.pending_for(request.user, accesses_for_user(request.user))},
    )


def _document_of(submission: Submission):
    return submission.document or submission.report.document


def _summary(data: dict) -> dict:
    """The few figures an executive reads first: measures, themes, the ITA result, the results entered."""
    measures = data["measures"]
    summary = {"measures": len(measures), "themes": len(data["themes"]), "kind": data["kind"]}
    if data["kind"] == "measures":
        assessment = data.get("assessment")
        summary |= {
            "assessed_year": data["analysed_year"],
            "findings": len(data["findings"]),
            "total": assessment["total"] if assessment else None,
            "rating": assessment["rating"] if assessment else "",
        }
    else:
        results = [m.get("result") for m in measures]
        summary |= {
            "done": sum(1 for r in results if r and r["status"] == "done"),
            "entered": sum(1 for r in results if r and (r["summary"].strip() or r["status"] != "not_started")),
        }
    return summary


def _previous_approved(submission: Submission) -> Submission | None:
    """The last approved edition before this submission's: what the executives signed before."""
    return (
        Submission.objects.filter(
            document=submission.document_id,
            report=submission.report_id,
            status=Submission.Status.APPROVED,
            edition__lt=submission.edition,
        )
        .order_by("-edition", "-closed_at")
        .first()
    )


def _review_context(request, access, submission: Submission, form) -> dict:
    data = submission.snapshot
    frozen = data.get("schema") == editions.SCHEMA
    previous = _previous_approved(submission)
    history = list(
        Submission.objects.filter(document=submission.document_id, report=submission.report_id)
        .exclude(pk=submission.pk)
        .defer("snapshot")  # whole editions: the list shows dates, states and decisions only
        .prefetch_related("decisions")
        .order_by("-submitted_at")
    )
    context = {
        "access": access,
        "organisation": access.organisation,
        "document": _document_of(submission),
        "submission": submission,
        "decisions": list(submission.decisions.all()),
        "history": history,
        "may_decide": workflow.may_decide(submission, request.user),
        "form": form,
        "previous": previous,
        "changes": diffs.edition_diff(previous.snapshot, data) if previous else None,
    }
    if frozen:
        context |= {
            "summary": _summary(data),
            "readiness": editions.readiness(submission.target, data),
            "doc": rendering.edition_context(data, draft=False, approvals=editions.approvals(submission)),
            "body_template": f"reports/documents/_{rendering.template_name(data)}_body.html",
        }
    else:
        context["snapshot"] = data
    return context


@login_required
def review(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    return render(request, "measures/review.html", _review_context(request, access, submission, DecisionForm()))


@login_required
@require_POST
def decide(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    if not workflow.may_decide(submission, request.user):
        raise PermissionDenied(_("คุณไม่ใช่ผู้พิจารณาในขั้นนี้ หรือไม่ได้ดำรงตำแหน่งในลำดับการพิจารณาของหน่วยงานแล้ว"))
    form = DecisionForm(request.POST)
    approve = "approve" in request.POST
    if form.is_valid():
        try:
            workflow.decide(
                submission=submission, by=request.user, approve=approve, comment=form.cleaned_data["comment"]
            )
        except workflow.NotTheApprover as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            form.add_error("comment", error.message)
        else:
            messages.success(request, _("บันทึกผลการพิจารณาแล้ว") if approve else _("ส่งกลับให้แก้ไขแล้ว"))
            return redirect("measures:inbox")
    return render(request, "measures/review.html", _review_context(request, access, submission, form), status=400)


@login_required
def memo_view(request, org, pk):
    access, submission = get_submission_for_user(request, org, pk)
    context = rendering.memo_context(submission)
    return render(
        request,
        "measures/memo.html",
        context
        | {
            "access": access,
            "organisation": access.organisation,
            "document": _document_of(submission),
            "submission": submission,
        },
    )


# --- Editions ----------------------------------------------------------------------------


@login_required
def editions_view(request, org, year, round_months=None):
    access, target = get_signoff_target_for_user(request, org, year, round_months, Action.VIEW)
    approved = list(
        Submission.objects.filter(**target.target_filter, status=Submission.Status.APPROVED)
        .select_related("submitted_by")
        .order_by("edition", "closed_at")
    )
    rows = []
    previous = None
    for submission in approved:
        rows.append(
            {
                "submission": submission,
                "diff": diffs.edition_diff(previous.snapshot, submission.snapshot) if previous is not None else None,
            }
        )
        previous = submission
    draft_diff = None
    if previous is not None and target.status == "draft":
        draft_diff = diffs.edition_diff(previous.snapshot, editions.edition_data(target))
    document = target if round_months is None else target.document
    return render(
        request,
        "measures/editions.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "target": target,
            "rows": rows,
            "draft_diff": draft_diff,
        },
    )
